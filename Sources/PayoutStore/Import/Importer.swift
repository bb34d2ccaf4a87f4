import Crypto
import Foundation
import GRDB
import PayoutCore

/// The report formats payoutmon reads.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// Pick the format from the file's header.
    case auto
    /// payoutmon's own CSV kinds (see the README's report format section).
    case canonical
}

/// How to import a file.
public struct ImportOptions: Sendable {
    public var format: ReportFormat
    /// The zone of timestamps written without an offset.
    public var timeZone: TimeZone
    /// Called now and then with the number of rows read so far.
    public var progress: (@Sendable (Int) -> Void)?
    /// Rows between progress calls.
    public var progressEvery: Int

    public init(format: ReportFormat = .auto, timeZone: TimeZone, progress: (@Sendable (Int) -> Void)? = nil,
                progressEvery: Int = 50_000) {
        self.format = format
        self.timeZone = timeZone
        self.progress = progress
        self.progressEvery = progressEvery
    }
}

/// What one import did.
public struct ImportSummary: Sendable {
    public let path: String
    public let sha256: String
    public let format: ReportFormat
    /// The kind of rows the file held ("transactions", "payouts" ...).
    public let kind: String
    /// Data rows read (header excluded).
    public let rows: Int
    /// Per table: inserted, updated, duplicate rows.
    public let counts: [String: ImportCounts]
    /// The same bytes were imported before; nothing was read or written.
    public let alreadyImported: Bool
    /// Transactions added; the store's reconciliation saw exactly these.
    public let newTransactionIds: [Int64]
}

extension PayoutStore {
    /// Imports one report file in a single database transaction: every row lands or
    /// none does. A file with the same sha256 as an earlier import changes nothing.
    public func importFile(atPath path: String, options: ImportOptions) throws -> ImportSummary {
        let url = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw StoreError(.unreadableFile, "\(path): no such file")
        }
        guard !isDir.boolValue else { throw StoreError(.unreadableFile, "\(path): is a folder, not a report file") }
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw StoreError(.unreadableFile, "\(path): cannot be read (\(error.localizedDescription))")
        }
        return try importData(data, name: path, options: options)
    }

    /// Imports report bytes under a display name (a path, or a label like "demo/transactions.csv").
    public func importData(_ data: Data, name: String, options: ImportOptions) throws -> ImportSummary {
        precondition(!isReadOnly, "importing needs a writable store")
        let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        if try writer.read({ db in try Bool.fetchOne(db, sql: "SELECT 1 FROM reportFile WHERE sha256 = ?", arguments: [sha]) }) != nil {
            return ImportSummary(path: name, sha256: sha, format: options.format, kind: "", rows: 0, counts: [:],
                                 alreadyImported: true, newTransactionIds: [])
        }
        if data.isEmpty { throw ImportError(file: name, line: 0, reason: "the file is empty") }
        do {
            return try writer.write { db in
                try self.importInTransaction(db, data: data, name: name, sha: sha, options: options)
            }
        } catch let e as DatabaseError {
            throw PayoutStore.translate(e, path: path)
        }
    }

    private func importInTransaction(_ db: Database, data: Data, name: String, sha: String,
                                     options: ImportOptions) throws -> ImportSummary {
        try db.execute(sql: "INSERT INTO reportFile (path, sha256, format, kind, importedAt, rows) VALUES (?,?,?,?,?,0)",
                       arguments: [name, sha, ReportFormat.canonical.rawValue, "", Instant(Date()).epochMillis])
        let fileId = db.lastInsertedRowID
        let sink = RecordSink(db: db, fileId: fileId)
        var importer: CanonicalImporter?
        var rows = 0
        let every = max(1, options.progressEvery)
        do {
            try data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
                try CSVParser.parse(buf) { record in
                    if importer == nil {
                        let header = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
                        switch CanonicalKind.detect(header: header) {
                        case .success(let kind):
                            importer = try CanonicalImporter(kind: kind, file: name, header: header, zone: options.timeZone)
                        case .failure(let problem):
                            throw ImportError(file: name, line: record.line, reason: problem.reason)
                        }
                        return
                    }
                    try importer!.row(record, into: sink)
                    rows += 1
                    if rows % every == 0 { options.progress?(rows) }
                }
            }
        } catch let f as CSVParser.Failure {
            switch f {
            case .binary(let line):
                throw ImportError(file: name, line: line, reason: "not a text file (binary data)")
            case .badUTF8(let line, let field):
                let col = importer.map { imp in imp.reader.columns.first(where: { $0.value == field - 1 })?.key } ?? nil
                throw ImportError(file: name, line: line, column: col, reason: "text is not valid UTF-8")
            case .unterminatedQuote(let line):
                throw ImportError(file: name, line: line, reason: "a quoted field is never closed (truncated file?)")
            case .strayQuote(let line):
                throw ImportError(file: name, line: line, reason: "a quote character inside an unquoted field")
            }
        }
        guard let kind = importer?.kind else { throw ImportError(file: name, line: 0, reason: "the file has no header") }
        if rows == 0 { throw ImportError(file: name, line: 1, reason: "the file has a header but no rows") }
        if rows >= every && rows % every != 0 { options.progress?(rows) }
        try db.execute(sql: "UPDATE reportFile SET kind = ?, rows = ? WHERE id = ?", arguments: [kind.rawValue, rows, fileId])
        return ImportSummary(path: name, sha256: sha, format: .canonical, kind: kind.rawValue, rows: rows,
                             counts: sink.counts, alreadyImported: false, newTransactionIds: sink.newTxnIds)
    }
}
