import Foundation
import Testing
@testable import PayoutCore

/// A D+0 sale split at the quota: its D+0 part is paid the same day and its T+1 part
/// has no payout yet. Until the T+1 part is due the money is coming, not short.
@Suite struct DiagnosisD0SplitTests {
    typealias F = DiagnosisFixtures

    func splitSale() throws -> (Transaction, SettlementExpectation, Evidence.PayoutEvidence, SettlementPolicy) {
        let m = F.d0MID
        let policy = try F.policy(m)
        // 45,000 already used today: 5,000 of this 12,000 sale goes D+0, 7,000 falls back to T+1.
        let t = try F.txn(m, "LKL40001", batch: "000801", trace: "000811", rrn: "880000000811", auth: "640011",
                          card: "625807******1028", .credit, amount: "12000.00", fee: "72.00", at: "2026-11-26 16:15:00", payout: "LKLP-D0-SPLIT")
        let used = try F.cny("45000.00")
        let e = try SettlementExpectation.compute(for: t, policy: policy, calendar: F.cn(), d0UsedToday: used)
        try #require(e.portions.count == 2)
        let d0 = try #require(e.portions.first)
        let p = try F.payout(m, "LKLP-D0-SPLIT", cycle: "2026-11-26", expected: d0.net.decimalString, paid: d0.net.decimalString, .paid,
                             arrival: "2026-11-26 21:00", credited: "2026-11-26 21:40", bank: "B20261126000811")
        let items = [try F.item(m, "LKLP-D0-SPLIT", 1, .transaction, d0.gross.decimalString, rrn: t.rrn),
                     try F.item(m, "LKLP-D0-SPLIT", 2, .fee, try d0.fee.negated().decimalString)]
        return (t, e, .init(payout: p, items: items), policy)
    }

    func evidence() throws -> Evidence {
        let (t, e, p, policy) = try splitSale()
        return Evidence(transaction: t, expectation: e, payouts: [p], payoutTransactions: [t], holds: [],
                        accountEvents: try F.events(F.d0MID), merchant: try F.merchant(F.d0MID), policy: policy,
                        otherLatePayoutsSameDay: 0)
    }

    @Test func theT1PartIsPendingUntilDue() throws {
        let e = try evidence()
        let lateAfter = try #require(e.expectation?.lateAfter)
        let before = Diagnosis.diagnose(e, now: Instant(epochMillis: lateAfter.epochMillis - 60_000))
        #expect(before.state == .pending)
        let after = Diagnosis.diagnose(e, now: Instant(epochMillis: lateAfter.epochMillis + 60_000))
        #expect(after.state == .late)
    }
}
