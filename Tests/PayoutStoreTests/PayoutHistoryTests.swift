import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import PayoutFormats
import Testing
@testable import PayoutStore

/// The payout history (`payoutEvent`, v6-payout-events) and the states that depend on
/// payouts carrying on each other, imported file by file.
@Suite struct PayoutHistoryTests {
    static let calendar = try! SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
    static let rules = SettlementRules(policy: .demoDefault, calendar: calendar)
    static let scenarios = repoRoot + "/Tests/PayoutCLITests/Scenarios/"
    static let now = at("2026-11-19 15:00")

    func load(_ store: WritableStore, _ name: String, _ text: String) throws {
        _ = try store.importData(Data(text.utf8), name: name,
                                 options: ImportOptions(format: .canonical, timeZone: shanghai, rules: Self.rules, now: Self.now))
    }

    func scenario(_ store: WritableStore, _ name: String, skip: Set<String> = []) throws {
        let folder = Self.scenarios + name
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where file.hasSuffix(".csv") && !skip.contains(file) {
            try load(store, file, try String(contentsOfFile: folder + "/" + file, encoding: .utf8))
        }
    }

    func history(_ store: PayoutStore, _ ref: String) throws -> [String] {
        try store.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.status, e.paidMinor, e.line, f.path FROM payoutEvent e JOIN reportFile f ON f.id = e.fileId
                WHERE e.payoutRef = ? ORDER BY e.id
                """, arguments: [ref]).map { "\($0["status"] as String) \(($0["paidMinor"] as Int64?).map(String.init) ?? "-") \($0["path"] as String):\($0["line"] as Int)" }
        }
    }

    func states(_ store: PayoutStore) throws -> [String] {
        try store.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.rrn, s.state, s.cause, s.expectedNetMinor, s.receivedMinor, s.lateAfter FROM txnState s JOIN txn t ON t.id = s.txnId
                ORDER BY t.rrn
                """).map { "\($0)" }
            + Row.fetchAll(db, sql: """
                SELECT p.ref, s.state, s.cause, s.lateAfter, s.arrivedLateAt, s.arrivedLateMinutes FROM payoutState s
                JOIN payout p ON p.id = s.payoutId ORDER BY p.ref
                """).map { "\($0)" }
        }
    }

    /// Every state a report gives a payout is kept once, with its file and line; the same
    /// state again (another file saying the same) adds nothing.
    @Test func everyStateIsKeptOnceWithItsFileAndLine() throws {
        let store = try memoryStore()
        try scenario(store, "returned-then-paid")
        let header = "merchant_id,payout_ref,cycle_date,expected_amount,paid_amount,currency,status,expected_arrival,credited_at,bank_ref,failure_code\n"
        // The paid state again, from another file: a duplicate, not a new state.
        try load(store, "again.csv", header + "898440358120013,LKLP-S2,2026-11-18,1988.00,1988.00,CNY,paid,2026-11-18 09:00:00,2026-11-23 10:00:00,B20261123000702,\n")
        #expect(try history(store, "LKLP-S2") == ["returned - 3-payouts-returned.csv:2", "paid 198800 5-payouts-paid.csv:2"])
    }

    /// A continuation paid in a later file changes what its parent still owes: the
    /// incremental reconciliation reaches the parent, and agrees with a full recompute.
    @Test func aContinuationPaidLaterReachesItsParent() throws {
        let store = try memoryStore()
        let header = "merchant_id,payout_ref,cycle_date,expected_amount,paid_amount,currency,status,expected_arrival,credited_at,bank_ref,failure_code\n"
        try scenario(store, "class-ii-continuation")
        let parentBefore = try store.read(rules: Self.rules) { try $0.payoutLine(merchantId: "898440358120027", ref: "LKLP-S4")?.storedState }
        #expect(parentBefore == .held)
        // LKLP-S4C pays the last 9,820.00, and the limit hold is released.
        try load(store, "s4c-paid.csv", header + "898440358120027,LKLP-S4C,2026-11-20,9820.00,9820.00,CNY,paid,2026-11-20 09:00:00,2026-11-20 10:05:00,B20261120000704,\n")
        // Only LKLP-S4C's row changed: its parent is reconciled all the same (all paid out: settled).
        let paid = try states(store)
        try store.recomputeStates(rules: Self.rules, now: Self.now)
        #expect(try states(store) == paid)
        #expect(try store.read(rules: Self.rules) { try $0.payoutLine(merchantId: "898440358120027", ref: "LKLP-S4")?.storedState } == .settled)
        try load(store, "hold-released.csv", "merchant_id,hold_ref,hold_kind,amount,currency,rrn,payout_ref,opened_at,released_at,reason\n"
                 + "898440358120027,HOLD-S4,receivingLimit,19820.00,CNY,626000700004,LKLP-S4,2026-11-18 10:05:00,2026-11-20 10:05:00,二类户单日入金限额10000元 Class II daily inflow limit\n")
        let incremental = try states(store)
        try store.recomputeStates(rules: Self.rules, now: Self.now)
        #expect(try states(store) == incremental)
        let parent = try store.read(rules: Self.rules) { try $0.payoutLine(merchantId: "898440358120027", ref: "LKLP-S4")?.storedState }
        let sale = try store.read(rules: Self.rules) { try $0.transactionLines(rrn: "626000700004").first }
        let holds = try store.read(rules: Self.rules) { try $0.accounts(now: at("2026-11-21 12:00")).flatMap(\.openHolds) }
        #expect(parent == .settled)
        #expect(sale?.storedState == .settled)
        #expect(sale?.received == Money(minor: 2_982_000, currency: .CNY))
        #expect(holds.isEmpty)
    }

    /// Until the hold is released, the open hold is what the continuations have not paid:
    /// 19,820.00 less LKLP-S4B's credited 10,000.00.
    @Test func theHoldShowsWhatIsStillWithheld() throws {
        let store = try memoryStore()
        try scenario(store, "class-ii-continuation")
        let holds = try store.read(rules: Self.rules) { try $0.accounts(now: Self.now).flatMap(\.openHolds) }
        #expect(holds.map(\.amount) == [Money(minor: 982_000, currency: .CNY)])
    }
}
