import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import Testing
@testable import PayoutDemo
@testable import PayoutStore

@Suite struct DemoTests {
    /// A fixed "now": 2026-11-28 15:00 in Shanghai.
    static let now = LocalDateTime(parsing: "2026-11-28 15:00")!.instant(in: shanghai)

    static func demoStore(now: Instant = now) throws -> WritableStore {
        let store = try memoryStore()
        let calendar = try SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
        let demo = try DemoData(now: now, policy: .demoDefault, calendar: calendar)
        _ = try demo.write(to: store, rules: SettlementRules(policy: .demoDefault, calendar: calendar), now: now)
        return store
    }

    @Test func everyStoryIsPresent() throws {
        let store = try Self.demoStore()
        try store.writer.read { db in
            for story in DemoData.stories {
                let payout = try Row.fetchOne(db, sql: "SELECT * FROM payout WHERE ref = ?", arguments: [story.payoutRef])
                #expect(payout != nil, "story \(story.number): payout \(story.payoutRef)")
                #expect(payout?["merchantId"] == story.merchantId)
                if let rrn = story.rrn {
                    let n = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM txn WHERE rrn = ?", arguments: [rrn])
                    #expect(n == 1, "story \(story.number): rrn \(rrn)")
                }
            }
            let txns = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM txn") ?? 0
            #expect(txns > 2000)
        }
    }

    @Test func storiesHaveTheirShape() throws {
        let store = try Self.demoStore()
        try store.writer.read { db in
            func payout(_ ref: String) throws -> Row { try Row.fetchOne(db, sql: "SELECT * FROM payout WHERE ref = ?", arguments: [ref])! }
            // 2: 30,000.00 swiped, 10,000.00 credited, Class II.
            let p2 = try payout("LKLP-DEMO-02")
            #expect(p2["paidMinor"] == 1_000_000 as Int64)
            #expect(try String.fetchOne(db, sql: "SELECT accountClass FROM merchant WHERE merchantId = ?", arguments: [DemoData.classIIMID]) == "II")
            #expect(try Int64.fetchOne(db, sql: "SELECT amountMinor FROM txn WHERE rrn = '880000000201'") == 3_000_000)
            // 3: 20,000.00 held for risk review.
            #expect(try Int64.fetchOne(db, sql: "SELECT amountMinor FROM hold WHERE kind = 'riskReview' AND rrn = '880000000301'") == 2_000_000)
            // 4: traded 2026-09-30, settled after National Day.
            let p4 = try payout("LKLP-DEMO-04")
            #expect(p4["cycleDate"] == "2026-10-08")
            // 5: frozen, payouts held.
            #expect(try String.fetchOne(db, sql: "SELECT state FROM accountEvent WHERE merchantId = ? ORDER BY at DESC LIMIT 1",
                                        arguments: [DemoData.frozenMID]) == "frozen")
            #expect(try payout("LKLP-DEMO-05")["status"] == "held")
            // 6, 7: returned and processing.
            #expect(try payout("LKLP-DEMO-06")["status"] == "returned")
            #expect(try payout("LKLP-DEMO-07")["status"] == "processing")
            // 8: D+0 quota: 50,000.00 gross same day, the rest T+1.
            #expect(try Int64.fetchOne(db, sql: "SELECT SUM(amount) FROM (SELECT amountMinor AS amount FROM txn WHERE payoutRef = 'LKLP-DEMO-08')") == 5_000_000)
            // 9: exactly gross minus fees.
            let p9 = try payout("LKLP-DEMO-09")
            let items9 = try Int64.fetchOne(db, sql: "SELECT SUM(amountMinor) FROM payoutItem WHERE payoutRef = 'LKLP-DEMO-09'")
            #expect(p9["paidMinor"] == items9)
            // 10: a refund line.
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payoutItem WHERE payoutRef = 'LKLP-DEMO-10' AND kind = 'refund'") == 1)
            // Every payout's items sum to its expected amount.
            let mismatched = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM payout p
                WHERE p.expectedMinor != (SELECT COALESCE(SUM(amountMinor), 0) FROM payoutItem i
                                          WHERE i.merchantId = p.merchantId AND i.payoutRef = p.ref AND i.kind NOT IN ('carryOver', 'hold'))
                """)
            #expect(mismatched == 0)
        }
    }

    @Test func theDemoIsRelativeToNow() throws {
        let later = LocalDateTime(parsing: "2027-03-10 11:00")!.instant(in: shanghai)
        let store = try Self.demoStore(now: later)
        let newest = try store.writer.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(occurredAt) FROM txn") }
        #expect(newest! <= later.epochMillis)
        #expect(newest! > later.adding(days: -1).epochMillis)
        let pending = try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payout WHERE status = 'scheduled'") }
        #expect((pending ?? 0) > 0)
    }
}
