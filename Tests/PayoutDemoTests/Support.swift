import Foundation
import GRDB
@testable import PayoutStore

/// A new store in memory, its schema migrated: for every test that needs no file.
func memoryStore() throws -> WritableStore { try WritableStore(DatabaseQueue()) }

/// Row counts of every table: equal before and after means the store did not change.
func tableCounts(_ store: PayoutStore) throws -> [String: Int] {
    try store.reader.read { db in
        var out: [String: Int] = [:]
        for t in ["reportFile", "merchant", "terminal", "txn", "payout", "payoutItem", "accountEvent", "hold", "txnState"] {
            out[t] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(t)")
        }
        return out
    }
}
