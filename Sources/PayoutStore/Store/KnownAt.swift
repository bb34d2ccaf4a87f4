import Foundation
import GRDB
import PayoutCore

/// The store as it was known at an earlier instant: `status --at` evaluates this, so a
/// report imported after that instant, or a fact dated after it, plays no part in what
/// it says (docs/cli.md, "status --at").
///
/// Built as a copy: the store is copied into a temporary file, every record a file
/// imported after the instant wrote is taken out again (records it revised get their
/// earlier values back from the revision history, payouts the status their last earlier
/// report gave), facts dated after the instant are dropped (transactions, account
/// events, holds, credits, releases), and every state is computed again with "now"
/// at the instant. The original store is only read. The list of files stays whole (a
/// merchant row points at the file that last named it; merchants are kept as known now:
/// names and settings, no money).
public struct KnownAtCopy {
    /// The copy, to read as the store was known; removed by `close()`.
    public let store: WritableStore
    /// The instant the copy stands for.
    public let at: Instant
    /// Files imported at or before the instant, and after it (left out).
    public let filesKnown: Int
    public let filesLater: Int
    /// When the store's first file was imported (nil for a store with none).
    public let firstImport: Instant?
    let directory: URL

    /// Removes the copy's files.
    public func close() {
        try? store.writer.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

extension PayoutStore {
    /// The store as it was known at `at` (see `KnownAtCopy`), its states computed with
    /// `rules` as of `at`. `temporaryDirectory` is where the copy is written (the
    /// system's by default); the caller closes the copy when done.
    public func knownAt(_ at: Instant, rules: SettlementRules,
                        temporaryDirectory: URL = FileManager.default.temporaryDirectory) throws -> KnownAtCopy {
        let dir = temporaryDirectory.appendingPathComponent("payoutmon-at-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(.ioError, "cannot make a temporary copy of the store in \(temporaryDirectory.path): \(error.localizedDescription)")
        }
        do {
            let queue = try DatabaseQueue(path: dir.appendingPathComponent("copy.sqlite").path)
            try reader.backup(to: queue)
            let copy = try WritableStore(queue)
            let (known, later, first) = try copy.writer.write { db in try Self.forget(after: at, db) }
            try copy.recomputeStates(rules: rules, now: at)
            return KnownAtCopy(store: copy, at: at, filesKnown: known, filesLater: later, firstImport: first, directory: dir)
        } catch {
            try? FileManager.default.removeItem(at: dir)
            if let e = error as? DatabaseError { throw PayoutStore.translate(e, path: path) }
            throw error
        }
    }

    /// Takes out of `db` what was not known at `at`. Returns the number of files known
    /// and left out, and the first file's import time.
    static func forget(after at: Instant, _ db: Database) throws -> (Int, Int, Instant?) {
        let t = at.epochMillis
        let first = try Int64.fetchOne(db, sql: "SELECT MIN(importedAt) FROM reportFile").map { Instant(epochMillis: $0) }
        let later = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reportFile WHERE importedAt > ?", arguments: [t]) ?? 0
        let known = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reportFile WHERE importedAt <= ?", arguments: [t]) ?? 0
        try db.execute(sql: "CREATE TEMP TABLE laterFile (id INTEGER PRIMARY KEY)")
        try db.execute(sql: "INSERT INTO laterFile SELECT id FROM reportFile WHERE importedAt > ?", arguments: [t])

        // Revisions a later file made: the record gets its earlier values and place back,
        // newest first so a record revised twice ends with the values known at `at`.
        let revisions = try Row.fetchAll(db, sql: """
            SELECT id, tableName, recordId, field, oldValue, oldFileId, oldLine FROM revision
            WHERE newFileId IN (SELECT id FROM laterFile) ORDER BY id DESC
            """)
        for r in revisions {
            try restore(table: r["tableName"], id: r["recordId"], field: r["field"], old: Revision.Value(stored: r["oldValue"]), db)
            let table: String = r["tableName"]
            if ["txn", "payout", "payoutItem", "hold", "accountEvent"].contains(table) {
                try db.execute(sql: "UPDATE \(table) SET fileId = ?, line = ? WHERE id = ?",
                               arguments: [r["oldFileId"], r["oldLine"], r["recordId"]])
            }
        }
        try db.execute(sql: "DELETE FROM revision WHERE newFileId IN (SELECT id FROM laterFile)")

        // Records later files wrote, and facts dated after `at`.
        // A payout row is kept while a report known then gave it (its history, below);
        // merchants are kept as the store knows them now (names and settings, no money).
        for table in ["payoutItem", "payoutEvent", "accountEvent", "reportCoverage"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE fileId IN (SELECT id FROM laterFile)")
        }
        // Bank statements a later file brought, with their entries and matches (matching runs
        // again in the recompute).
        try db.execute(sql: """
            DELETE FROM bankMatch WHERE entryId IN (SELECT e.id FROM bankEntry e JOIN bankStatement st ON st.id = e.statement
                                                    WHERE st.fileId IN (SELECT id FROM laterFile))
            """)
        try db.execute(sql: "DELETE FROM bankEntry WHERE statement IN (SELECT id FROM bankStatement WHERE fileId IN (SELECT id FROM laterFile))")
        try db.execute(sql: "DELETE FROM bankStatement WHERE fileId IN (SELECT id FROM laterFile)")
        try db.execute(sql: "DELETE FROM txn WHERE fileId IN (SELECT id FROM laterFile) OR occurredAt > ?", arguments: [t])
        try db.execute(sql: "DELETE FROM accountEvent WHERE at > ?", arguments: [t])
        // A hold's row carries the file that last wrote it: a later file that released a
        // hold opened before leaves it open as known then; one a later file opened (and did
        // not release) was not known.
        try db.execute(sql: "DELETE FROM hold WHERE openedAt > ? OR (fileId IN (SELECT id FROM laterFile) AND releasedAt IS NULL)",
                       arguments: [t])
        try db.execute(sql: "UPDATE hold SET releasedAt = NULL WHERE releasedAt > ? OR fileId IN (SELECT id FROM laterFile)",
                       arguments: [t])
        // A report's credit dated after `at` had not happened yet: that report's state of
        // the payout is not known either.
        try db.execute(sql: "DELETE FROM payoutEvent WHERE creditedAt > ?", arguments: [t])
        // Each payout left stands as its last known report gave it.
        try db.execute(sql: """
            UPDATE payout SET (status, paidMinor, creditedAt, failureCode, fileId, line) = (
                SELECT e.status, e.paidMinor, e.creditedAt, e.failureCode, e.fileId, e.line FROM payoutEvent e
                WHERE e.merchantId = payout.merchantId AND e.payoutRef = payout.ref ORDER BY e.id DESC LIMIT 1)
            WHERE EXISTS (SELECT 1 FROM payoutEvent e WHERE e.merchantId = payout.merchantId AND e.payoutRef = payout.ref)
            """)
        // A payout whose every report was dated later is not known at all.
        try db.execute(sql: """
            DELETE FROM payout WHERE NOT EXISTS (SELECT 1 FROM payoutEvent e WHERE e.merchantId = payout.merchantId AND e.payoutRef = payout.ref)
            """)
        try db.execute(sql: "DELETE FROM txnState WHERE txnId NOT IN (SELECT id FROM txn)")
        try db.execute(sql: "DELETE FROM payoutState WHERE payoutId NOT IN (SELECT id FROM payout)")
        try db.execute(sql: "DROP TABLE laterFile")
        return (known, later, first)
    }

    /// Puts back one field of a record as a revision's old value had it.
    private static func restore(table: String, id: Int64, field: String, old: Revision.Value, _ db: Database) throws {
        func set(_ sql: String, _ args: StatementArguments) throws {
            try db.execute(sql: "UPDATE \(table) SET \(sql) WHERE id = ?", arguments: args + [id])
        }
        switch (table, field, old) {
        case ("txn", "amount", .money(let m)), ("payoutItem", "amount", .money(let m)), ("hold", "amount", .money(let m)):
            try set("amountMinor = ?, currency = ?", [m.minor, m.currency.code])
        case ("txn", "fee", .money(let m)): try set("feeMinor = ?", [m.minor])
        case ("txn", "time", .instant(let i)): try set("occurredAt = ?", [i.epochMillis])
        case ("payout", "expected amount", .money(let m)): try set("expectedMinor = ?, currency = ?", [m.minor, m.currency.code])
        case ("payout", "cycle date", .date(let d)): try set("cycleDate = ?", [d.iso])
        case ("payout", "cycle date", .word(let w)): try set("cycleDate = ?", [w])
        case ("payoutItem", "kind", .word(let w)), ("hold", "kind", .word(let w)): try set("kind = ?", [w])
        case ("hold", "opened", .instant(let i)): try set("openedAt = ?", [i.epochMillis])
        case ("accountEvent", "state", .word(let w)): try set("state = ?", [w])
        default: break
        }
    }
}
