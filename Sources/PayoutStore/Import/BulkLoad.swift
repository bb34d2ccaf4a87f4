import Foundation
import GRDB
import PayoutFormats

/// The bulk path of large writes (docs/ARCHITECTURE.md, "Bulk path"): a table's secondary
/// indexes, and the triggers that keep running totals, are set aside for the length of
/// a large load and put back afterwards inside the same write transaction, so SQLite
/// builds each index once from sorted data instead of updating it row by row, and the
/// totals are added up once in SQL instead of once per row.
///
/// Everything happens inside the caller's transaction: if anything fails the rollback
/// brings the indexes and triggers back with the rows. Other connections never see the
/// store without them (they read the last committed schema).
struct SetAside {
    /// The `CREATE INDEX` / `CREATE TRIGGER` statements, as the store keeps them.
    private let statements: [String]
    /// Whether the running-total triggers were among them (their tables are rebuilt).
    private let totals: Bool

    /// Drops `table`'s secondary indexes other than `keep` and, with `triggers`, its
    /// triggers. Indexes that back a UNIQUE constraint or the primary key (SQLite's
    /// automatic indexes) always stay: they decide what is a duplicate.
    static func drop(_ db: Database, table: String, keep: Set<String> = [], triggers: Bool = false) throws -> SetAside {
        let rows = try Row.fetchAll(db, sql: """
            SELECT type, name, sql FROM sqlite_master
            WHERE tbl_name = ? AND sql IS NOT NULL AND (type = 'index' OR (type = 'trigger' AND ?))
            ORDER BY type, name
            """, arguments: [table, triggers])
        var statements: [String] = []
        var totals = false
        for row in rows {
            let type: String = row["type"], name: String = row["name"]
            guard !keep.contains(name) else { continue }
            statements.append(row["sql"])
            if type == "trigger" { totals = true }
            try db.execute(sql: "DROP \(type == "index" ? "INDEX" : "TRIGGER") \(name.quotedDatabaseIdentifier)")
        }
        return SetAside(statements: statements, totals: totals)
    }

    /// Puts the indexes and triggers back (rebuilding the running totals their triggers
    /// would have kept).
    func restore(_ db: Database) throws {
        for sql in statements { try db.execute(sql: sql) }
        if totals { try RunningTotals.rebuild(db) }
    }

    /// How many were set aside.
    var count: Int { statements.count }
}

/// The running totals the `txnState` triggers keep (v3, v7-coverage, v11-pending-totals,
/// v12-awaiting-totals),
/// added up again from `txnState` in one pass each: what the triggers would hold after
/// writing the same rows one at a time (less the zero rows a removal leaves, which every
/// reader treats as absent).
enum RunningTotals {
    /// The states `txnStateTotal` counts.
    static let totalledStates = "('short', 'held', 'failed', 'awaiting', 'other-currency')"

    static func rebuild(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM txnStateTotal;
            INSERT INTO txnStateTotal (state, currency, n, missingMinor)
                SELECT state, currency, COUNT(*), SUM(expectedNetMinor - COALESCE(receivedMinor, 0))
                FROM txnState WHERE state IN \(totalledStates) GROUP BY state, currency;
            DELETE FROM txnPendingTotal;
            INSERT INTO txnPendingTotal (currency, lateDay, creditDay, n, missingMinor)
                SELECT currency, \(PendingTotals.daySQL("lateAfter")), \(PendingTotals.daySQL("expectedCreditAt")),
                       COUNT(*), SUM(expectedNetMinor - COALESCE(receivedMinor, 0))
                FROM txnState WHERE state = 'pending' GROUP BY 1, 2, 3;
            DELETE FROM txnAwaitingTotal;
            INSERT INTO txnAwaitingTotal (creditDay, n)
                SELECT \(PendingTotals.daySQL("expectedCreditAt")), COUNT(*) FROM txnState WHERE state = 'awaiting' GROUP BY 1;
            """)
    }
}

extension BulkMode {
    /// The fewest rows worth a bulk load: below it, rebuilding the indexes costs more
    /// than it saves.
    static let minimumRows = 20_000
    /// Bytes a report row takes, for guessing a file's rows before reading it (the
    /// built-in formats' rows are 100-300 bytes).
    static let bytesPerRow = 150

    /// Whether `rows` new rows into a table of about `stored` rows take the bulk path:
    /// at least `minimumRows` and at least a quarter of what is stored (below that,
    /// rebuilding the whole index costs more than updating it).
    func applies(rows: Int, stored: Int) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto: return rows >= Self.minimumRows && rows * 4 >= stored
        }
    }
}
