import Foundation
import GRDB
import PayoutCore

/// The report formats payoutmon reads.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// Pick the format from the file's header.
    case auto
    /// payoutmon's own CSV kinds (see the README's report format section).
    case canonical
    /// Chinese acquirer exports (交易明细, 结算明细, 对账单), read through a mapping profile.
    case cnSettlement = "cn-settlement"
    /// Adyen's Settlement Details Report.
    case adyenSdr = "adyen-sdr"
    /// Stripe's itemized payout reconciliation report.
    case stripePayoutRecon = "stripe-payout-recon"
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
    /// The settlement rules reconciliation uses; nil skips reconciliation (states are
    /// then computed by a later import or `PayoutStore.recomputeStates`).
    public var rules: SettlementRules?
    /// The instant states are evaluated at; nil means the current time.
    public var now: Instant?
    /// Forces one cn-settlement profile by name (implies `format` cn-settlement).
    public var profile: String?
    /// The cn-settlement profiles known: the built-in ones unless the caller loaded more.
    public var profiles: [FormatProfile]
    /// Import the good rows of a file and set the bad ones aside (in the summary, and
    /// in `rejectsPath`) instead of refusing the whole file.
    public var skipBad: Bool
    /// The merchant id for files that do not name one (Stripe reports, exports with no
    /// 商户号 column).
    public var merchantId: String?
    /// Where `--skip-bad` writes the rejected rows. `importFile` defaults it to the
    /// input's path with `.rejects.csv` in place of its extension.
    public var rejectsPath: String?

    public init(format: ReportFormat = .auto, timeZone: TimeZone, rules: SettlementRules? = nil, now: Instant? = nil,
                progress: (@Sendable (Int) -> Void)? = nil, progressEvery: Int = 50_000,
                profile: String? = nil, profiles: [FormatProfile] = FormatProfiles.builtin, skipBad: Bool = false,
                merchantId: String? = nil, rejectsPath: String? = nil) {
        self.format = format
        self.timeZone = timeZone
        self.progress = progress
        self.progressEvery = progressEvery
        self.rules = rules
        self.now = now
        self.profile = profile
        self.profiles = profiles
        self.skipBad = skipBad
        self.merchantId = merchantId
        self.rejectsPath = rejectsPath
    }
}

/// What one import did.
public struct ImportSummary: Sendable {
    public let path: String
    public let sha256: String
    public let format: ReportFormat
    /// The kind of rows the file held ("transactions", "payouts" ..., the profile name
    /// for cn-settlement files).
    public let kind: String
    /// Data rows read (header excluded).
    public let rows: Int
    /// Per table: inserted, updated, duplicate rows.
    public let counts: [String: ImportCounts]
    /// The same bytes were imported before; nothing was read or written.
    public let alreadyImported: Bool
    /// Transactions added; the store's reconciliation saw exactly these.
    public let newTransactionIds: [Int64]
    /// The cn-settlement profile used.
    public var profile: String? = nil
    /// The text encoding the file was read in.
    public var encoding: SourceEncoding = .utf8
    /// Rows kept or skipped with a remark (at most 200; `warningCount` has them all).
    public var warnings: [ImportWarning] = []
    public var warningCount: Int = 0
    /// Rows left out by `skipBad`, each with its reason.
    public var rejected: [ImportError] = []
    /// Where the rejected rows were written, when there were any.
    public var rejectsPath: String? = nil
}

extension PayoutStore {
    /// Imports one report file in a single database transaction: every row lands or
    /// none does (with `skipBad`, every good row lands). A file with the same sha256 as
    /// an earlier import changes nothing.
    public func importFile(atPath path: String, options: ImportOptions) throws -> ImportSummary {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw StoreError(.unreadableFile, "\(path): no such file")
        }
        guard !isDir.boolValue else { throw StoreError(.unreadableFile, "\(path): is a folder, not a report file") }
        var opts = options
        if opts.skipBad && opts.rejectsPath == nil { opts.rejectsPath = Self.rejectsPath(for: path) }
        // Read a block at a time, never whole: memory stays flat however large the file.
        return try importSource(ReportBytes(storage: .file(path)), name: path, options: opts)
    }

    /// The SQLite page cache an import uses, in KiB.
    static let importCacheKiB = 131_072

    /// `dir/report.csv` -> `dir/report.rejects.csv`.
    public static func rejectsPath(for path: String) -> String {
        let ns = path as NSString
        let ext = ns.pathExtension
        let base = ext.isEmpty || ext.contains("/") ? path : ns.deletingPathExtension
        return base + ".rejects.csv"
    }

    /// Imports report bytes under a display name (a path, or a label like "demo/transactions.csv").
    public func importData(_ data: Data, name: String, options: ImportOptions) throws -> ImportSummary {
        try importSource(ReportBytes(storage: .memory(data)), name: name, options: options)
    }

    private func importSource(_ source: ReportBytes, name: String, options: ImportOptions) throws -> ImportSummary {
        precondition(!isReadOnly, "importing needs a writable store")
        // First pass: the sha256 and the encoding.
        var sniffer = EncodingSniffer()
        let size = try source.forEachBlock { sniffer.feed($0) }
        let (sniffed, sha) = sniffer.finish()
        if try writer.read({ db in try Bool.fetchOne(db, sql: "SELECT 1 FROM reportFile WHERE sha256 = ?", arguments: [sha]) }) != nil {
            return ImportSummary(path: name, sha256: sha, format: options.format, kind: "", rows: 0, counts: [:],
                                 alreadyImported: true, newTransactionIds: [])
        }
        if size == 0 { throw ImportError(file: name, line: 0, reason: "the file is empty") }
        let encoding: SourceEncoding
        switch sniffed {
        case .success(let e): encoding = e
        case .failure(let p): throw ImportError(file: name, line: p.line, reason: p.reason)
        }
        if encoding == .gb18030 {
            var check = MixedEncodingCheck()
            try source.forEachBlock { check.feed($0) }
            do { try check.finish() } catch { throw ImportError(file: name, line: error.line, reason: error.reason) }
        }
        var result: (summary: ImportSummary, rejects: [RejectedRow], header: [String])
        do {
            result = try writer.write { db in
                try self.importInTransaction(db, source: source, size: size, encoding: encoding, name: name, sha: sha, options: options)
            }
        } catch let e as DatabaseError {
            throw PayoutStore.translate(e, path: path)
        }
        if !result.rejects.isEmpty, let out = options.rejectsPath {
            do {
                try Self.writeRejects(result.rejects, header: result.header, to: out,
                                      bom: result.summary.encoding != .utf8)
                result.summary.rejectsPath = out
            } catch {
                result.summary.warnings.append(ImportWarning(file: name, line: 0, reason: "could not write the rejected rows to \(out): \(error)"))
                result.summary.warningCount += 1
            }
        }
        return result.summary
    }

    private func importInTransaction(_ db: Database, source: ReportBytes, size: Int, encoding: SourceEncoding, name: String,
                                     sha: String, options: ImportOptions) throws -> (ImportSummary, [RejectedRow], [String]) {
        try db.execute(sql: "INSERT INTO reportFile (path, sha256, format, kind, importedAt, rows) VALUES (?,?,?,?,?,0)",
                       arguments: [name, sha, options.format.rawValue, "", Instant(Date()).epochMillis])
        let fileId = db.lastInsertedRowID
        // A large file touches pages of every index of the txn table; with SQLite's default
        // 2 MB page cache they would be spilled to the WAL and read back again and again.
        // A bounded cache keeps memory flat and the write fast.
        let oldCache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        if oldCache > -Self.importCacheKiB { try db.execute(sql: "PRAGMA cache_size = -\(Self.importCacheKiB)") }
        defer { if oldCache > -Self.importCacheKiB { try? db.execute(sql: "PRAGMA cache_size = \(oldCache)") } }
        let sink = RecordSink(db: db, fileId: fileId)
        let session = ImportSession(file: name, options: options, sink: sink)
        let driver = ImportDriver(session: session)
        try driver.run(source, size: size, encoding: encoding)
        guard let importer = driver.importer, let format = driver.format else {
            throw ImportError(file: name, line: 0, reason: "the file has no header")
        }
        let rows = session.rows
        if rows == 0 { throw ImportError(file: name, line: importer.headerLine, reason: "the file has a header but no rows") }
        let every = max(1, options.progressEvery)
        if rows >= every && rows % every != 0 { options.progress?(rows) }
        try db.execute(sql: "UPDATE reportFile SET format = ?, kind = ?, rows = ? WHERE id = ?",
                       arguments: [format.rawValue, importer.kind, rows, fileId])
        try sink.reconcile(rules: options.rules, now: options.now)
        var summary = ImportSummary(path: name, sha256: sha, format: format, kind: importer.kind, rows: rows,
                                    counts: sink.counts, alreadyImported: false, newTransactionIds: sink.newTxnIds)
        summary.profile = (importer as? CNSettlementImporter)?.profile.name
        summary.encoding = encoding
        summary.warnings = session.warnings
        summary.warningCount = session.warningCount
        summary.rejected = session.rejects.map(\.error)
        return (summary, session.rejects, importer.header)
    }

    /// Writes rejected rows as CSV: `rejected_line,rejected_reason`, then the file's own
    /// columns (card numbers masked). Mode 0600, written beside and renamed into place.
    static func writeRejects(_ rows: [RejectedRow], header: [String], to path: String, bom: Bool) throws {
        func quote(_ s: String) -> String {
            if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.hasPrefix(" ") || s.hasSuffix(" ") {
                return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return s
        }
        var text = bom ? "\u{FEFF}" : ""
        text += (["rejected_line", "rejected_reason"] + header).map(quote).joined(separator: ",") + "\n"
        for r in rows {
            let reason = (r.error.column.map { "column \($0): " } ?? "") + r.error.reason
            var fields = r.fields
            if fields.isEmpty { fields = Array(repeating: "", count: header.count) }
            text += ([String(r.error.line), reason] + fields).map(quote).joined(separator: ",") + "\n"
        }
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        guard fd >= 0 else { throw StoreError(.unreadableFile, "cannot create \(tmp): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { close(fd); unlink(tmp); throw StoreError(.unreadableFile, "cannot write \(tmp): \(String(cString: strerror(errno)))") }
            written += n
        }
        close(fd)
        guard rename(tmp, path) == 0 else {
            unlink(tmp)
            throw StoreError(.unreadableFile, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// Canonical CSV behind the importer protocol.
final class CanonicalRows: RowImporter {
    var inner: CanonicalImporter
    let header: [String]
    let headerLine: Int
    var kind: String { inner.kind.rawValue }

    init(kind: CanonicalKind, headerRecord: CSVRecord, session: ImportSession) throws {
        header = headerRecord.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        headerLine = headerRecord.line
        inner = try CanonicalImporter(kind: kind, file: session.file, header: header, zone: session.options.timeZone)
    }

    func row(_ record: CSVRecord, _ session: ImportSession) throws -> Bool {
        try inner.row(record, into: session.sink)
        return true
    }

    func finish(_ session: ImportSession) throws {}
}

/// Runs one file through encoding detection, the CSV reader, format detection and the
/// chosen importer, routing bad rows to errors or (with `skipBad`) to the rejects.
final class ImportDriver {
    let session: ImportSession
    let detector: FormatDetector
    private(set) var importer: RowImporter?
    private(set) var format: ReportFormat?
    private var pending: [CSVRecord] = []
    private var sawFirstRecord = false
    private var rejectsFile = false
    private var prepassing = false
    private let every: Int

    init(session: ImportSession) {
        self.session = session
        self.detector = FormatDetector(file: session.file, options: session.options)
        self.every = max(1, session.options.progressEvery)
    }

    private var file: String { session.file }

    /// Reads every record (twice when the importer needs a first pass) and finishes the
    /// importer.
    func run(_ source: ReportBytes, size: Int, encoding: SourceEncoding) throws {
        try pass(source, size: size, encoding: encoding)
        if importer == nil {
            if let (d, index) = try detector.decide(pending, final: true) { try install(d, at: index) }
        }
        if prepassing {
            prepassing = false
            try pass(source, size: size, encoding: encoding)
        }
        if let importer {
            do { try importer.finish(session) } catch let f as FileLevelError { throw f.error }
        }
    }

    private func pass(_ source: ReportBytes, size: Int, encoding: SourceEncoding) throws {
        var stream = CSVStream(recover: session.skipBad)
        let onBad: CSVStream.Bad = { [unowned self] line, reason in try self.bad(line, reason) }
        let body: (CSVRecord) throws -> Void = { [unowned self] r in try self.take(r) }
        do {
            var decoder: GB18030Decoder?
            if encoding == .gb18030 { decoder = try GB18030Decoder() }
            var first = true
            let read = try source.forEachBlock { block in
                var b = block
                if first {
                    first = false
                    if encoding == .utf8BOM && b.count >= 3 { b = UnsafeRawBufferPointer(rebasing: b[3...]) }
                }
                if let decoder {
                    try decoder.feed(b) { chunk in try stream.feed(chunk, onBad: onBad, body: body) }
                } else {
                    try stream.feed(b, onBad: onBad, body: body)
                }
            }
            if read != size { throw ImportError(file: file, line: 0, reason: "the file changed while it was being imported; import it again") }
            try decoder?.finish()
            try stream.finish(onBad: onBad, body: body)
        } catch let e as EncodingProblem {
            throw ImportError(file: file, line: e.line, reason: e.reason)
        } catch let f as CSVParser.Failure {
            switch f {
            case .binary(let line):
                throw ImportError(file: file, line: line, reason: "not a text file (binary data)")
            case .badUTF8(let line, let field):
                var col: String?
                if let h = importer?.header, field >= 1, field - 1 < h.count { col = h[field - 1] }
                let hint = encoding == .gb18030 ? "" : line > 1 ? " (the lines before it are: mixed encodings?)" : ""
                throw ImportError(file: file, line: line, column: col, reason: "text is not valid UTF-8" + hint)
            case .unterminatedQuote(let line):
                throw ImportError(file: file, line: line, reason: "a quoted field is never closed (truncated file?)")
            case .strayQuote(let line):
                throw ImportError(file: file, line: line, reason: "a quote character inside an unquoted field")
            }
        }
    }

    /// A record the CSV reader could not read, under `skipBad`.
    private func bad(_ line: Int, _ reason: String) throws {
        guard let importer else { throw ImportError(file: file, line: line, reason: reason) }
        if prepassing || line <= importer.headerLine { return }
        countRow()
        session.reject(ImportError(file: file, line: line, reason: reason), fields: [])
    }

    private func countRow() {
        session.rows += 1
        if session.rows % every == 0 { session.options.progress?(session.rows) }
    }

    private func take(_ record: CSVRecord) throws {
        var r = record
        if !sawFirstRecord {
            sawFirstRecord = true
            if r.fields.count >= 2, Values.trim(r.fields[0]).replacingOccurrences(of: "\u{FEFF}", with: "") == "rejected_line",
               Values.trim(r.fields[1]) == "rejected_reason" {
                rejectsFile = true
            }
        }
        if rejectsFile { r.fields.removeFirst(min(2, r.fields.count)) }
        guard let importer else {
            pending.append(r)
            if let (d, index) = try detector.decide(pending, final: false) { try install(d, at: index) }
            return
        }
        if r.line <= importer.headerLine { return }
        if prepassing { importer.prepass(r, session); return }
        do {
            if try importer.row(r, session) { countRow() }
        } catch let raw as ImportError {
            countRow()
            // A message quoting a value never shows a card number, whatever column it was in.
            let e = ImportError(file: raw.file, line: raw.line, column: raw.column, reason: PANScrubber.scrub(raw.reason))
            guard session.skipBad else { throw e }
            session.reject(e, fields: importer.scrub(r.fields))
        } catch let c as RecordConflict {
            countRow()
            let e = ImportError(file: file, line: r.line, reason: c.reason)
            guard session.skipBad else { throw e }
            session.reject(e, fields: importer.scrub(r.fields))
        } catch let f as FileLevelError {
            throw f.error
        }
    }

    /// Creates the importer for a detection whose header is `pending[index]`, then
    /// feeds it the records already read after the header.
    private func install(_ d: Detection, at index: Int) throws {
        let headerRecord = pending[index]
        let imp: RowImporter
        switch d {
        case .canonical(let kind):
            imp = try CanonicalRows(kind: kind, headerRecord: headerRecord, session: session)
            format = .canonical
        case .cn(let match):
            imp = try CNSettlementImporter(match: match, headerRecord: headerRecord, preamble: Array(pending[..<index]),
                                           session: session, rejectsFile: rejectsFile)
            format = .cnSettlement
        case .adyen:
            imp = try AdyenSDRImporter(headerRecord: headerRecord, session: session)
            format = .adyenSdr
        case .stripe:
            imp = try StripePayoutReconImporter(headerRecord: headerRecord, session: session)
            format = .stripePayoutRecon
        }
        importer = imp
        prepassing = session.skipBad && imp.wantsPrepass
        let rest = pending[(index + 1)...]
        pending = []
        for r in rest {
            // Already stripped of rejects columns: go straight to the importer.
            try takeStripped(r)
        }
    }

    private func takeStripped(_ r: CSVRecord) throws {
        let saved = rejectsFile
        rejectsFile = false
        defer { rejectsFile = saved }
        try take(r)
    }
}
