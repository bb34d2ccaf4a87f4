import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import Testing
@testable import PayoutDemo
@testable import PayoutStore

/// One computation behind every view: on the demo store, each transaction's stored
/// state (the list and the summary read it) is its drill-down's diagnosis; the summary's
/// totals are the sums of those states; and for each story the payout view, the
/// transaction view and the open hold agree to the cent, with the story's cause kept.
@Suite struct DemoViewsAgreeTests {
    static let now = at("2026-11-28 15:00")

    /// The cause each story is about (README, "The demo's stories").
    static let causes: [Int: CauseCode] = [
        2: .receivingLimit, 3: .riskReview, 4: .calendarShift, 5: .accountStatus, 6: .bankProcessing,
        7: .acquirerBacklog, 8: .d0Quota, 9: .feeDeduction, 10: .refundOffset, 11: .unexplained,
    ]

    @Test func everyStorysViewsAgreeToTheCent() throws {
        let calendar = try SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
        let rules = SettlementRules(policy: .demoDefault, calendar: calendar)
        let demo = try DemoData(now: Self.now, policy: .demoDefault, calendar: calendar, ordinaryDays: 3)
        let store = try WritableStore(DatabaseQueue())
        _ = try demo.write(to: store, rules: rules, now: Self.now)
        let now = Self.now
        try store.read(rules: rules) { r in
            // Every transaction: the stored line is the drill-down's diagnosis.
            let lines = try r.transactions(filter: nil, problemsOnly: false, now: now, offset: 0, limit: 100_000).lines
            var count: [MoneyState: Int] = [:]
            var missing: [MoneyState: Int64] = [:]
            for l in lines {
                let d = try r.caseFile(forTransaction: l, now: now).diagnosis
                let rrn = l.transaction.rrn
                #expect(l.state(at: now) == d.state, "\(rrn)")
                #expect(l.cause == d.primary, "\(rrn)")
                #expect(l.received == d.received, "\(rrn)")
                #expect(l.expectedNet == d.expected, "\(rrn)")
                let state = l.state(at: now)
                count[state, default: 0] += 1
                missing[state, default: 0] += (l.expectedNet?.minor ?? 0) - (l.received?.minor ?? 0)
            }
            // The summary: the same states added up.
            let s = try r.summary(now: now)
            #expect(s.short == count[.short, default: 0] && s.held == count[.held, default: 0])
            #expect(s.failed == count[.failed, default: 0] && s.late == count[.late, default: 0])
            #expect(s.shortTotal["CNY", default: 0] == missing[.short, default: 0])
            let outstanding = [MoneyState.pending, .late, .held, .failed].reduce(Int64(0)) { $0 + missing[$1, default: 0] }
            #expect(s.outstanding["CNY", default: 0] == outstanding)

            let accounts = try r.accounts(now: now)
            for story in DemoStories.table {
                let n = story.number
                let rrn = try #require(story.rrn)
                let txnLine = try #require(try r.transactionLines(rrn: rrn).first { $0.transaction.merchantId == story.merchantId })
                let t = try r.caseFile(forTransaction: txnLine, now: now).diagnosis
                let payoutLine = try #require(try r.payoutLine(merchantId: story.merchantId, ref: story.payoutRef))
                let p = try r.caseFile(forPayout: payoutLine, now: now).diagnosis
                #expect(payoutLine.state(at: now) == p.state, "story \(n): the payout list is its drill-down")
                #expect(payoutLine.cause == p.primary, "story \(n)")
                if let cause = Self.causes[n] {
                    #expect(t.codes.contains(cause), "story \(n) keeps \(cause.rawValue): \(t.codes)")
                    #expect(p.codes.contains(cause) || p.state == .settled, "story \(n) payout: \(p.codes)")
                }
                #expect(!t.codes.contains(.arrivedLate) && !p.codes.contains(.arrivedLate), "story \(n) arrived on time")
                // A payout that carries only the story's sale owes what the sale is owed.
                let carried = try r.evidence(forPayout: payoutLine, now: now).payoutTransactions
                if carried.map(\.rrn) == [story.rrn] {
                    #expect(p.shortBy == t.shortBy, "story \(n): payout \(p.shortBy) vs transaction \(t.shortBy)")
                    #expect(p.state == t.state || (p.state.isProblem == t.state.isProblem), "story \(n): \(p.state) vs \(t.state)")
                }
                // An open hold on the sale shows what is still withheld.
                let holds = accounts.flatMap(\.openHolds).filter { $0.rrn == story.rrn && $0.merchantId == story.merchantId }
                if t.state == .held && !holds.isEmpty {
                    #expect(holds.reduce(Int64(0)) { $0 + $1.amount.minor } == t.shortBy.minor, "story \(n): hold vs transaction")
                }
            }
        }
    }
}
