import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import PayoutDemo
import PayoutFormats
import Testing
@testable import PayoutStore

/// The bulk path (`SetAside`, `BulkMode`) changes how fast rows land, never what lands:
/// a store written with the transaction and state indexes set aside and rebuilt, and the
/// running totals added up once, holds the same rows, states, totals and schema as one
/// written row by row.
@Suite struct BulkLoadTests {
    static let rules = ReconcileTests.rules

    /// Every row of the tables an import and a reconciliation write, and the schema.
    static func dump(_ store: PayoutStore) throws -> [String: [String]] {
        try store.reader.read { db in
            var out: [String: [String]] = [:]
            let queries = [
                "txn": "SELECT * FROM txn ORDER BY id",
                "txnState": "SELECT * FROM txnState ORDER BY txnId",
                "payoutState": "SELECT * FROM payoutState ORDER BY payoutId",
                "payout": "SELECT * FROM payout ORDER BY id",
                "payoutItem": "SELECT * FROM payoutItem ORDER BY id",
                "hold": "SELECT * FROM hold ORDER BY id",
                "reportCoverage": "SELECT * FROM reportCoverage ORDER BY id",
                "bankMatch": "SELECT * FROM bankMatch ORDER BY payoutId, entryId",
                // A removal leaves a total at zero where a rebuild has no row: both read as none.
                "txnStateTotal": "SELECT * FROM txnStateTotal WHERE n != 0 ORDER BY state, currency",
                "txnPendingTotal": "SELECT * FROM txnPendingTotal WHERE n != 0 ORDER BY currency, lateDay, creditDay",
                "txnAwaitingTotal": "SELECT * FROM txnAwaitingTotal WHERE n != 0 ORDER BY creditDay",
                "schema": "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
            ]
            for (name, sql) in queries {
                out[name] = try Row.fetchAll(db, sql: sql).map { $0.description }
            }
            return out
        }
    }

    /// The demo's reports imported one at a time, each reconciled as it lands (as
    /// `payoutmon import` does), then 2,000 sales no report covers yet, in `mode`.
    static func importAll(_ mode: BulkMode) throws -> WritableStore {
        let store = try memoryStore()
        let demo = try DemoData(now: DemoStore.now, policy: .demoDefault, calendar: rules.calendar)
        var options = ImportOptions(format: .canonical, timeZone: shanghai, rules: rules, now: DemoStore.now)
        options.bulk = mode
        for f in demo.files {
            _ = try store.importData(Data(f.text.utf8), name: f.name, options: options)
        }
        var bank = options
        bank.format = .bankStatement
        _ = try store.importData(Data(demo.bankStatement.text.utf8), name: demo.bankStatement.name, options: bank)
        _ = try store.importData(Data(randomSales(2_000).utf8), name: "pos-export.csv", options: options)
        return store
    }

    /// Sales of one account over a month, in two currencies, some cards masked.
    static func randomSales(_ n: Int) -> String {
        var rng = SeededRandom(seed: 7)
        let zone = rules.policy.timeZone
        let start = LocalDateTime(parsing: "2026-10-20 00:00")!.instant(in: zone)
        var text = "merchant_id,terminal_id,terminal_name,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,fee,currency,occurred_at,payout_ref\n"
        for i in 0..<n {
            let at = LocalDateTime(start.adding(seconds: Int64.random(in: 0..<(40 * 86_400), using: &rng)), in: zone)
            let trace = String(format: "%06d", i)
            let currency = i % 5 == 0 ? "HKD" : "CNY"
            text += "822100099990001,T\(i % 3),前台,000001,\(trace),66\(trace)0000,A1,625807******4417,credit,sale,"
                + "\(Int.random(in: 1...9_999, using: &rng)).\(String(format: "%02d", Int.random(in: 0...99, using: &rng))),,\(currency),"
                + "\(at.date.iso) \(String(format: "%02d:%02d:%02d", at.secondOfDay / 3600, at.secondOfDay / 60 % 60, at.secondOfDay % 60)),"
                + (i % 4 == 0 ? "PX\(at.date.iso)" : "") + "\n"
        }
        return text
    }

    @Test func importsStoreTheSameRowsStatesAndTotalsEitherWay() throws {
        let rowByRow = try Self.dump(try Self.importAll(.never))
        let bulk = try Self.dump(try Self.importAll(.always))
        #expect(rowByRow["txn"]!.count > 2_000)
        #expect(rowByRow["txnStateTotal"]!.count > 1 && rowByRow["txnPendingTotal"]!.count > 1 && rowByRow["txnAwaitingTotal"]!.count > 1)
        #expect(rowByRow["schema"]!.contains { $0.contains("txn_rrn") } && rowByRow["schema"]!.contains { $0.contains("txnPendingTotal_insert") })
        for key in rowByRow.keys.sorted() {
            #expect(bulk[key] == rowByRow[key], "\(key) differs")
        }
    }

    @Test func aFullRecomputeWritesTheSameStatesAndTotalsEitherWay() throws {
        let store = try DemoStore.make()
        let original = try Self.dump(store)
        for mode in [BulkMode.always, .never, .always] {
            try store.recomputeStates(rules: Self.rules, now: DemoStore.now, cacheSpan: 20_000, bulk: mode)
            let again = try Self.dump(store)
            for key in original.keys.sorted() {
                #expect(again[key] == original[key], "\(key) differs after a recompute in \(mode)")
            }
        }
    }

    /// A refused file takes its rows and the set-aside indexes' absence with it.
    @Test func aRefusedBulkImportLeavesTheSchemaAsItWas() throws {
        let store = try DemoStore.make()
        let before = try Self.dump(store)
        var options = ImportOptions(format: .canonical, timeZone: shanghai, rules: Self.rules, now: DemoStore.now)
        options.bulk = .always
        let bad = Self.randomSales(50) + "822100099990001,T9,前台,000001,999999,669999990000,A1,,credit,sale,not money,,CNY,2026-10-21 10:00:00,\n"
        #expect(throws: (any Error).self) { _ = try store.importData(Data(bad.utf8), name: "bad.csv", options: options) }
        let after = try Self.dump(store)
        for key in before.keys.sorted() { #expect(after[key] == before[key], "\(key) changed") }
    }

    @Test func setAsideDropsTheSecondaryIndexesAndPutsThemBack() throws {
        let store = try DemoStore.make()
        try store.writer.write { db in
            func names(_ table: String) throws -> [String] {
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') ORDER BY name",
                                    arguments: [table])
            }
            let txn = try names("txn"), state = try names("txnState")
            let asideTxn = try SetAside.drop(db, table: "txn")
            #expect(asideTxn.count == 7)
            #expect(try names("txn") == ["sqlite_autoindex_txn_1"], "the unique key stays")
            let asideState = try SetAside.drop(db, table: "txnState", keep: [Reconciler.indexReadWhileReconciling], triggers: true)
            #expect(try names("txnState") == ["txnState_d0"])
            #expect(asideState.count == state.count - 1)
            // Totals spoiled while the triggers are away are added up again on restore.
            try db.execute(sql: "UPDATE txnStateTotal SET n = n + 5; DELETE FROM txnPendingTotal; UPDATE txnAwaitingTotal SET n = 0")
            try asideTxn.restore(db)
            try asideState.restore(db)
            #expect(try names("txn") == txn)
            #expect(try names("txnState") == state)
        }
        let totals = try Self.dump(store)
        let fresh = try Self.dump(try DemoStore.make())
        #expect(totals["txnStateTotal"] == fresh["txnStateTotal"])
        #expect(totals["txnPendingTotal"] == fresh["txnPendingTotal"])
        #expect(totals["txnAwaitingTotal"] == fresh["txnAwaitingTotal"])
        #expect(totals["schema"] == fresh["schema"])
    }

    @Test func autoTakesTheBulkPathForManyRowsAgainstTheStore() {
        #expect(BulkMode.auto.applies(rows: 20_000, stored: 0))
        #expect(BulkMode.auto.applies(rows: 20_000, stored: 80_000))
        #expect(!BulkMode.auto.applies(rows: 20_000, stored: 80_001), "under a quarter of the store")
        #expect(!BulkMode.auto.applies(rows: 19_999, stored: 0), "too few to be worth a rebuild")
        #expect(BulkMode.always.applies(rows: 1, stored: 1_000_000))
        #expect(!BulkMode.never.applies(rows: 1_000_000, stored: 0))
    }
}
