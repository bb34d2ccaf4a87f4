import Foundation
import Testing
import PayoutDemo
@testable import PayoutCore

/// Evidence for the demo stories, taken from the records the demo builds
/// (`DemoStories`, Sources/PayoutDemo/Demo/DemoStories.swift) for "now" = 2026-11-28
/// 10:00 in Shanghai (a Saturday): the last working days are 11-27, 11-26, 11-25, 11-24,
/// 11-23, 11-20, 11-19. A story's evidence is gathered from its records the way the
/// store's evidence queries gather it.
///
/// The demo draws trace numbers, auth codes and card tails, and the frozen shop's
/// amounts, from a seeded generator it shares with its ordinary sales, so they change
/// with "now" and the number of ordinary days. The golden notes print them: `printed`
/// and `story5Sale` hold the values the golden notes and the assertions were written
/// with, and replace the demo's in the stories that have golden notes.
enum DiagnosisFixtures {
    static let zone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    static func cn() throws -> SettlementCalendar { try SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn") }

    /// "2026-11-26 14:20:11" in Shanghai.
    static func at(_ s: String) throws -> Instant {
        try #require(LocalDateTime(parsing: s), "bad time \(s)").instant(in: zone)
    }

    static func d(_ s: String) throws -> LocalDate { try #require(LocalDate(iso: s), "bad date \(s)") }

    static func cny(_ s: String) throws -> Money { try Money.parse(s, currency: .CNY) }

    static func now() throws -> Instant { try at("2026-11-28 10:00") }

    static let sources = [
        ReportSource(path: "demo/transactions.csv", sha256: "5d0b6f6f0c3e2a9e51f1b1c64a8a5e2ad3c5d53e0f2d8b7a4c9e1f0a2b3c4d5e"),
        ReportSource(path: "demo/payouts.csv", sha256: "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ReportSource(path: "demo/payout_items.csv", sha256: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"),
    ]

    // MARK: The demo's records

    static let mainMID = DemoStories.mainMID, classIIMID = DemoStories.classIIMID
    static let frozenMID = DemoStories.frozenMID, d0MID = DemoStories.d0MID

    /// Story `n`'s RRN and payout ref from the demo's story table.
    static func rrn(_ n: Int) -> String { DemoStories.rrn(n) }
    static func ref(_ n: Int) -> String { DemoStories.payoutRef(n) }

    /// The demo built once for `now()` with the default rules.
    private static let built = Result { try DemoStories.make(now: now(), policy: .demoDefault, calendar: cn()) }

    static func demo() throws -> DemoStories { try built.get() }

    /// Trace number, auth code and card of a story's transaction (its table RRN) as the
    /// golden notes print them.
    static let printed: [Int: (trace: String, auth: String, card: String)] = [
        2: ("000201", "604417", "625807******5532"),
        3: ("000301", "227915", "622848******3318"),
        5: ("000504", "553120", "622848******7261"),
        6: ("000601", "090712", "622848******5804"),
        7: ("000701", "771034", "625807******9921"),
        9: ("000901", "902114", "625807******3307"),
    ]

    /// Story 5's sale as its golden note and assertions state it; the payout it names
    /// carries the sale less the fee.
    static let story5Sale = (amount: "4321.00", fee: "25.93")

    /// The records story `n` wrote, with the printed values in place of the demo's.
    static func records(of n: Int) throws -> DemoStories.Records {
        var r = try demo().records(of: n)
        let story = DemoStories.story(n)
        if let p = printed[n], let i = r.transactions.firstIndex(where: { $0.rrn == story.rrn }) {
            r.transactions[i].traceNo = p.trace
            r.transactions[i].authCode = p.auth
            r.transactions[i].cardMasked = p.card
        }
        if n == 5 {
            let amount = try cny(story5Sale.amount), fee = try cny(story5Sale.fee)
            let t = try #require(r.transactions.firstIndex { $0.rrn == story.rrn })
            r.transactions[t].amount = amount
            r.transactions[t].fee = fee
            let p = try #require(r.payouts.firstIndex { $0.ref == story.payoutRef })
            r.payouts[p].expectedAmount = try amount.subtracting(fee)
            for i in r.payoutItems.indices where r.payoutItems[i].payoutRef == story.payoutRef {
                switch r.payoutItems[i].kind {
                case .transaction: r.payoutItems[i].amount = amount
                case .fee: r.payoutItems[i].amount = try fee.negated()
                default: break
                }
            }
        }
        return r
    }

    static func merchant(_ mid: String) throws -> Merchant {
        try #require(try demo().all.merchants.first { $0.merchantId == mid }, "no demo merchant \(mid)")
    }

    /// The demo policy as it applies to the merchant: its class, limit and cycle.
    static func policy(_ mid: String) throws -> SettlementPolicy {
        SettlementRules(policy: .demoDefault, calendar: try cn()).policy(for: try merchant(mid), currency: .CNY)
    }

    static func events(_ mid: String) throws -> [AccountEvent] {
        try demo().all.accountEvents.filter { $0.merchantId == mid }.sorted { $0.at < $1.at }
    }

    // MARK: Records by hand

    static func txn(_ mid: String, _ tid: String, batch: String, trace: String, rrn: String, auth: String, card: String,
                    _ kind: CardKind, _ type: TxnKind = .sale, amount: String, fee: String, at time: String, payout: String?) throws -> Transaction {
        Transaction(merchantId: mid, terminalId: tid, terminalName: DemoStories.terminalName(tid), batchNo: batch, traceNo: trace, rrn: rrn,
                    authCode: auth, cardMasked: card, cardKind: kind, kind: type, amount: try cny(amount), fee: try cny(fee),
                    occurredAt: try at(time), payoutRef: payout)
    }

    static func payout(_ mid: String, _ ref: String, cycle: String, expected: String, paid: String?, _ status: PayoutStatus,
                       arrival: String, credited: String?, bank: String?, failure: String? = nil) throws -> Payout {
        Payout(merchantId: mid, ref: ref, cycleDate: try d(cycle), expectedAmount: try cny(expected), paidAmount: try paid.map(cny),
               status: status, expectedArrival: try at(arrival), creditedAt: try credited.map(at), bankRef: bank, failureCode: failure)
    }

    static func item(_ mid: String, _ ref: String, _ line: Int, _ kind: PayoutItemKind, _ amount: String, rrn: String? = nil,
                     note: String? = nil) throws -> PayoutItem {
        PayoutItem(merchantId: mid, payoutRef: ref, lineNo: line, kind: kind, amount: try cny(amount), rrn: rrn, note: note)
    }

    static func hold(_ mid: String, _ ref: String, _ kind: HoldKind, _ amount: String, rrn: String?, payout: String?, opened: String,
                     released: String? = nil, reason: String) throws -> Hold {
        Hold(merchantId: mid, ref: ref, kind: kind, amount: try cny(amount), rrn: rrn, payoutRef: payout, openedAt: try at(opened),
             releasedAt: try released.map(at), reason: reason)
    }

    /// Evidence for `subject` (one of `txns`, or nil for the first payout on its own).
    static func evidence(_ mid: String, subject: Transaction?, txns: [Transaction], payouts: [Evidence.PayoutEvidence],
                         holds: [Hold] = [], others: Int = 0) throws -> Evidence {
        let policy = try self.policy(mid)
        var expectation: SettlementExpectation?
        if let subject {
            let all = try SettlementExpectation.computeAll(txns, policy: policy, calendar: cn())
            expectation = all[try #require(txns.firstIndex(of: subject))]
        }
        return Evidence(transaction: subject, expectation: expectation, payouts: payouts, payoutTransactions: txns, holds: holds,
                        accountEvents: try events(mid), merchant: try merchant(mid), policy: policy, otherLatePayoutsSameDay: others)
    }

    // MARK: Evidence from a story's records

    /// The payout `ref` of `mid` in `r` with its lines.
    static func payoutEvidence(_ r: DemoStories.Records, _ mid: String, _ ref: String) -> Evidence.PayoutEvidence? {
        guard let p = r.payouts.first(where: { $0.merchantId == mid && $0.ref == ref }) else { return nil }
        return .init(payout: p, items: r.payoutItems.filter { $0.merchantId == mid && $0.payoutRef == ref }.sorted { $0.lineNo < $1.lineNo })
    }

    /// The transactions of `mid` in `r` that name payout `ref`, oldest first.
    static func payoutTransactions(_ r: DemoStories.Records, _ mid: String, _ ref: String) -> [Transaction] {
        r.transactions.filter { $0.merchantId == mid && $0.payoutRef == ref }.sorted { $0.occurredAt < $1.occurredAt }
    }

    /// Evidence for story `n`'s transaction `rrn` (the table's by default), gathered as the
    /// store gathers it: the payout it names, then any payout with a line for its RRN; the
    /// first payout's transactions; holds on its RRN or those payouts; the merchant's
    /// account events. Its expectation counts the D+0 quota its merchant's earlier sales
    /// in the story used.
    static func evidence(story n: Int, rrn: String? = nil, others: Int = 0) throws -> Evidence {
        let r = try records(of: n)
        let rrn = rrn ?? DemoStories.rrn(n)
        let t = try #require(r.transactions.first { $0.rrn == rrn }, "story \(n) has no RRN \(rrn)")
        let mid = t.merchantId
        var refs: [String] = t.payoutRef.map { [$0] } ?? []
        for i in r.payoutItems where i.merchantId == mid && i.rrn == rrn && !refs.contains(i.payoutRef) { refs.append(i.payoutRef) }
        let payouts = refs.compactMap { payoutEvidence(r, mid, $0) }
        let siblings = refs.first.map { payoutTransactions(r, mid, $0) } ?? []
        let holds = r.holds.filter { $0.merchantId == mid && ($0.rrn == rrn || refs.contains($0.payoutRef ?? "")) }
        let policy = try self.policy(mid)
        let own = r.transactions.filter { $0.merchantId == mid }
        let expectations = try SettlementExpectation.computeAll(own, policy: policy, calendar: cn())
        return Evidence(transaction: t, expectation: expectations[try #require(own.firstIndex(of: t))], payouts: payouts,
                        payoutTransactions: siblings, holds: holds.sorted { $0.openedAt < $1.openedAt },
                        accountEvents: try events(mid), merchant: try merchant(mid), policy: policy, otherLatePayoutsSameDay: others)
    }

    /// Evidence for story `n`'s payout (the table's) examined on its own.
    static func payoutEvidence(story n: Int) throws -> Evidence {
        let r = try records(of: n)
        let story = DemoStories.story(n), mid = story.merchantId
        let pe = try #require(payoutEvidence(r, mid, story.payoutRef))
        return Evidence(transaction: nil, expectation: nil, payouts: [pe], payoutTransactions: payoutTransactions(r, mid, story.payoutRef),
                        holds: r.holds.filter { $0.merchantId == mid && $0.payoutRef == story.payoutRef },
                        accountEvents: try events(mid), merchant: try merchant(mid), policy: try policy(mid), otherLatePayoutsSameDay: 0)
    }

    // MARK: The stories

    /// 1: a normal T+1 sale, paid on time.
    static func story1() throws -> Evidence { try evidence(story: 1) }

    static func story2Records() throws -> (Transaction, [Evidence.PayoutEvidence], [Hold]) {
        let e = try evidence(story: 2)
        return (try #require(e.transaction), e.payouts, e.holds)
    }

    /// 2: 30,000.00 swiped on the Class II shop; 10,000.00 credited, the rest carried over.
    static func story2() throws -> Evidence { try evidence(story: 2) }

    /// 3: 30,000.00 swiped; 20,000.00 held for risk review.
    static func story3() throws -> Evidence { try evidence(story: 3) }

    /// 4: two sales on 2026-09-30 (one after the 23:00 cutoff), paid 10-08 after National Day.
    static func story4(second: Bool = false) throws -> Evidence {
        let e = try evidence(story: 4)
        guard second else { return e }
        return try evidence(story: 4, rrn: try #require(e.payoutTransactions.last?.rrn))
    }

    /// 5: the Bao'an shop's account frozen on 11-23; the payout of 11-25 held.
    static func story5() throws -> Evidence { try evidence(story: 5) }

    /// 6: a payout returned by the bank: account closed.
    static func story6() throws -> Evidence { try evidence(story: 6) }

    /// 7: a payout still processing the day after its window closed.
    static func story7(others: Int = 0) throws -> Evidence { try evidence(story: 7, others: others) }

    /// 8: the D+0 shop takes 62,000.00 on 11-26 against a 50,000.00 quota; the last 12,000.00 goes T+1.
    static func story8() throws -> Evidence { try evidence(story: 8) }

    static func story9Records() throws -> ([Transaction], Evidence.PayoutEvidence) {
        let e = try evidence(story: 9)
        return (e.payoutTransactions, try #require(e.payouts.first))
    }

    /// 9: a payout short of the swipes by exactly the fees (explained).
    static func story9() throws -> Evidence { try evidence(story: 9) }

    /// 9, the payout on its own.
    static func story9Payout() throws -> Evidence { try payoutEvidence(story: 9) }

    /// 10: a refund netted out of the same day's payout.
    static func story10(sale: Bool = false) throws -> Evidence {
        let e = try evidence(story: 10)
        guard sale else { return e }
        return try evidence(story: 10, rrn: try #require(e.payoutTransactions.first { $0.kind == .sale }?.rrn))
    }

    /// 11: a payout 200.00 short with nothing in the reports to explain it.
    static func story11() throws -> Evidence { try evidence(story: 11) }
}

/// Expects `actual` to equal `expected` as whole strings; on failure records a
/// line-by-line diff ("-" expected, "+" actual, each line fenced in "|").
func expectSameText(_ actual: String, _ expected: String, _ what: String = "text",
                    sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual != expected else { return }
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for i in 0..<max(e.count, a.count) {
        let el = i < e.count ? String(e[i]) : nil
        let al = i < a.count ? String(a[i]) : nil
        let n = String(repeating: " ", count: max(0, 4 - String(i + 1).count)) + String(i + 1)
        if el == al, let el {
            out.append("\(n)   |\(el)|")
        } else {
            if let el { out.append("\(n) - |\(el)|") }
            if let al { out.append("\(n) + |\(al)|") }
        }
    }
    Issue.record(Comment(rawValue: "\(what) differs:\n" + out.joined(separator: "\n")), sourceLocation: sourceLocation)
}
