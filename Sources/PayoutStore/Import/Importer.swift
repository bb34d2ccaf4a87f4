import Foundation
import GRDB
import PayoutCore
import PayoutFormats

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
    /// Where every data row went: stored, duplicate, rejected or skipped with a reason;
    /// the four add up to `rows`.
    public var account = RowAccount()
    /// For a bank statement file: its statements and how they were stored.
    public var bank: BankImportSummary? = nil
}

extension PayoutStore {
    /// The SQLite page cache an import uses, in KiB.
    static let importCacheKiB = 131_072

    /// `dir/report.csv` -> `dir/report.rejects.csv`.
    public static func rejectsPath(for path: String) -> String { RejectsFile.path(for: path) }
}

extension WritableStore {
    /// Imports one report file in a single database transaction: every row lands or
    /// none does (with `skipBad`, every good row lands). A file with the same sha256 as
    /// an earlier import changes nothing.
    public func importFile(atPath path: String, options: ImportOptions) throws -> ImportSummary {
        var opts = options
        if opts.skipBad && opts.rejectsPath == nil { opts.rejectsPath = RejectsFile.path(for: path) }
        return try importReport(try Self.unreadable { try ReportFile.sniff(path: path) }, options: opts)
    }

    /// Imports report bytes under a display name (a path, or a label like "demo/transactions.csv").
    /// `beforeCommit` runs inside the write transaction after the last row: throwing
    /// there rolls the whole import back (the inbox checks the file did not change).
    public func importData(_ data: Data, name: String, options: ImportOptions,
                           beforeCommit: (() throws -> Void)? = nil) throws -> ImportSummary {
        try importReport(try Self.unreadable { try ReportFile.sniff(data: data, name: name) }, options: options,
                         beforeCommit: beforeCommit)
    }

    /// A file that cannot be read at all is the store's `unreadableFile` error.
    private static func unreadable<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ReportFileError { throw StoreError(.unreadableFile, e.message) }
    }

    /// Runs `body` inside one write transaction (taken at once, so no other writer comes
    /// in between): it reads what it needs through `BatchWrite.history` and imports
    /// report bytes with `BatchWrite.importData`. Everything lands or, when `body`
    /// throws, nothing does. The simulated feed writes each batch this way, so the RRNs
    /// it chooses after reading the store are still free when its rows land.
    public func writeBatch<T>(_ body: (BatchWrite) throws -> T) throws -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(BatchWrite(db: db))
                    return .commit
                }
                return result!
            }
        } catch let e as DatabaseError {
            throw PayoutStore.translate(e, path: path)
        } catch let e as ReportFileError {
            throw StoreError(.unreadableFile, e.message)
        }
    }

    private func importReport(_ file: ReportFile, options: ImportOptions,
                              beforeCommit: (() throws -> Void)? = nil) throws -> ImportSummary {
        if try writer.read({ db in try Bool.fetchOne(db, sql: "SELECT 1 FROM reportFile WHERE sha256 = ?", arguments: [file.sha256]) }) != nil {
            return ImportSummary(path: file.name, sha256: file.sha256, format: options.format, kind: "", rows: 0, counts: [:],
                                 alreadyImported: true, newTransactionIds: [])
        }
        if let parser = file.bankStatementParser(format: options.format) {
            return try importBankStatement(file, parser: parser, options: options, beforeCommit: beforeCommit)
        }
        // An unreadable encoding fails before the write transaction starts.
        let encoding = try file.encoding()
        var result: (summary: ImportSummary, read: ReportRead)
        do {
            result = try writer.write { db in
                let result = try Self.importInTransaction(db, file: file, encoding: encoding, options: options)
                try beforeCommit?()
                return result
            }
        } catch let e as DatabaseError {
            throw PayoutStore.translate(e, path: path)
        } catch let e as ReportFileError {
            throw StoreError(.unreadableFile, e.message)
        }
        if !result.read.rejected.isEmpty, let out = options.rejectsPath {
            do {
                try result.read.writeRejects(to: out)
                result.summary.rejectsPath = out
            } catch {
                result.summary.warnings.append(ImportWarning(file: file.name, line: 0, reason: "could not write the rejected rows to \(out): \(error)"))
                result.summary.warningCount += 1
            }
        }
        return result.summary
    }

    fileprivate static func importInTransaction(_ db: Database, file: ReportFile, encoding: SourceEncoding,
                                     options: ImportOptions) throws -> (ImportSummary, ReportRead) {
        try db.execute(sql: "INSERT INTO reportFile (path, sha256, format, kind, importedAt, rows) VALUES (?,?,?,?,?,0)",
                       arguments: [file.name, file.sha256, options.format.rawValue, "", (options.importedAt ?? Instant(Date())).epochMillis])
        let fileId = db.lastInsertedRowID
        // A large file touches pages of every index of the txn table; with SQLite's default
        // 2 MB page cache they would be spilled to the WAL and read back again and again.
        // A bounded cache keeps memory flat and the write fast.
        let oldCache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        if oldCache > -Self.importCacheKiB { try db.execute(sql: "PRAGMA cache_size = -\(Self.importCacheKiB)") }
        defer { if oldCache > -Self.importCacheKiB { try? db.execute(sql: "PRAGMA cache_size = \(oldCache)") } }
        let sink = try RecordSink(db: db, fileId: fileId, acceptRevisions: options.acceptRevisions, zone: options.timeZone)
        // A large file (against the store) is loaded with the transaction indexes set
        // aside and rebuilt once after the last row (`SetAside`); the unique key that
        // tells duplicates stays.
        let storedTxns = try Int.fetchOne(db, sql: "SELECT MAX(id) FROM txn") ?? 0
        let aside = options.bulk.applies(rows: file.size / BulkMode.bytesPerRow, stored: storedTxns)
            ? try SetAside.drop(db, table: "txn") : nil
        let read = try file.read(encoding, options: options, into: sink)
        try aside?.restore(db)
        try db.execute(sql: "UPDATE reportFile SET format = ?, kind = ?, rows = ? WHERE id = ?",
                       arguments: [read.format.rawValue, read.kind, read.rows, fileId])
        // The bank side first: payouts whose credits changed are diagnosed with them.
        var bankChanged: Set<PayoutKey> = []
        let newlyAssigned = try BankStatementStore.assignUnassigned(db)
        if let rules = options.rules, !sink.touchedPayouts.isEmpty || !newlyAssigned.isEmpty, try BankMatching.hasStatements(db) {
            bankChanged = try BankMatching(db: db, rules: rules).run(merchants: Set(sink.touchedPayouts.map(\.merchantId)).union(newlyAssigned))
        }
        // The reconciliation's progress comes after the file's: the rows are all read.
        func report(_ phase: @escaping (Int, Int) -> ImportProgress.Phase) -> ((Int, Int) -> Void)? {
            options.progress.map { report in
                { done, total in
                    var p = ImportProgress(rows: read.rows, bytes: file.size, totalBytes: file.size)
                    p.phase = phase(done, total)
                    report(p)
                }
            }
        }
        try sink.reconcile(rules: options.rules, now: options.now, bulk: options.bulk,
                           progress: report { .transactions(done: $0, total: $1) },
                           payoutProgress: report { .payouts(done: $0, total: $1) })
        if let rules = options.rules, !bankChanged.subtracting(sink.touchedPayouts).isEmpty {
            try Reconciler(db: db, rules: rules, now: options.now ?? Instant(Date()))
                .apply(newTxnIds: [], touchedPayouts: bankChanged.subtracting(sink.touchedPayouts), touchedRRNs: [], touchedMerchants: [])
        }
        var summary = ImportSummary(path: file.name, sha256: file.sha256, format: read.format, kind: read.kind, rows: read.rows,
                                    counts: sink.counts, alreadyImported: false, newTransactionIds: sink.newTxnIds)
        summary.profile = read.profile
        summary.encoding = read.encoding
        summary.warnings = read.warnings
        summary.warningCount = read.warningCount
        summary.rejected = read.rejected
        summary.account = read.account
        return (summary, read)
    }
}

/// One write transaction lent by `WritableStore.writeBatch`: the feed's read queries and
/// imports on the same connection. Valid only inside the closure it is handed to.
public struct BatchWrite {
    let db: Database

    /// The simulated feed's queries, reading inside the write transaction.
    public var history: FeedHistory { FeedHistory(db: db) }

    /// Imports report bytes under a display name inside the batch's transaction, as
    /// `WritableStore.importData` does on its own. Bad rows are never skipped here (no
    /// rejects file is written inside a batch): a bad row fails the whole batch.
    public func importData(_ data: Data, name: String, options: ImportOptions) throws -> ImportSummary {
        let file: ReportFile
        do { file = try ReportFile.sniff(data: data, name: name) } catch let e as ReportFileError {
            throw StoreError(.unreadableFile, e.message)
        }
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM reportFile WHERE sha256 = ?", arguments: [file.sha256]) != nil {
            return ImportSummary(path: file.name, sha256: file.sha256, format: options.format, kind: "", rows: 0, counts: [:],
                                 alreadyImported: true, newTransactionIds: [])
        }
        var opts = options
        opts.skipBad = false
        let encoding = try file.encoding()
        return try WritableStore.importInTransaction(db, file: file, encoding: encoding, options: opts).0
    }
}
