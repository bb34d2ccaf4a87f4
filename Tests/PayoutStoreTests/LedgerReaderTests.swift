import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
@testable import PayoutStore
import Testing

/// The overview's queries against the plain SQL they replace: same rows, same order.
@Suite struct LedgerReaderTests {
    /// The open-payout window read from `payoutState_open` is the window the plain
    /// query (sort every open payout by expected arrival, else late time) gives, at
    /// every offset, with and without "problems only".
    @Test func openPayoutsComeInTheOrderOfThePlainQuery() throws {
        let store = try DemoStore.make()
        let rules = ReconcileTests.rules
        for problemsOnly in [false, true] {
            let condition = problemsOnly
                ? "s.state IN ('short', 'held', 'failed') OR (s.state = 'pending' AND s.lateAfter < :now)"
                : "s.state IN ('pending', 'short', 'held', 'failed')"
            let plain = try store.writer.read { db in
                try String.fetchAll(db, sql: """
                    SELECT p.merchantId || ' ' || p.ref FROM payoutState s JOIN payout p ON p.id = s.payoutId
                    WHERE \(condition) ORDER BY COALESCE(p.expectedArrival, s.lateAfter), p.id
                    """, arguments: ["now": DemoStore.now.epochMillis])
            }
            #expect(plain.count > 3, "the demo has open payouts (problemsOnly \(problemsOnly))")
            for offset in [0, 1, plain.count - 2] {
                let window = try store.read(rules: rules) { r in
                    try r.payouts(problemsOnly: problemsOnly, now: DemoStore.now, offset: offset, limit: 3)
                }
                #expect(window.lines.map { "\($0.payout.merchantId) \($0.payout.ref)" } == Array(plain.dropFirst(offset).prefix(3)),
                        "problemsOnly \(problemsOnly) offset \(offset)")
                #expect(window.total == plain.count)
            }
        }
    }

    /// The window is read through the index in order: no sort of all open payouts.
    @Test(arguments: [false, true]) func openPayoutsAreReadThroughTheirIndex(problemsOnly: Bool) throws {
        let store = try DemoStore.make()
        let plan = try store.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + LedgerReader.openPayoutsSQL(problemsOnly: problemsOnly),
                             arguments: ["now": DemoStore.now.epochMillis, "limit": 5, "offset": 0])
                .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("payoutState_open") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }

    /// Accounts: every merchant, its open holds (oldest first) and no released hold.
    @Test func accountsListEachMerchantsOpenHolds() throws {
        let store = try DemoStore.make()
        let rules = ReconcileTests.rules
        let (accounts, expected) = try store.read(rules: rules) { r in
            let accounts = try r.accounts(now: DemoStore.now)
            let expected = try String.fetchAll(r.db, sql: """
                SELECT merchantId || ' ' || ref FROM hold WHERE releasedAt IS NULL ORDER BY merchantId, openedAt, id
                """)
            return (accounts, expected)
        }
        #expect(accounts.map(\.merchant.merchantId) == accounts.map(\.merchant.merchantId).sorted())
        #expect(!expected.isEmpty, "the demo has open holds")
        #expect(accounts.flatMap { a in a.openHolds.map { "\(a.merchant.merchantId) \($0.ref)" } } == expected)
        #expect(accounts.allSatisfy { $0.openHolds.allSatisfy { $0.releasedAt == nil } })
    }
}
