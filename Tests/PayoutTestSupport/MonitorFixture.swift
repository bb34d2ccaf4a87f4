import Foundation
import PayoutCore

import PayoutDemo
import PayoutModel
import PayoutTUI

/// A hand-built store for screen tests: four shops of a restaurant chain (one frozen,
/// one on a Class II account), a dozen transactions with Chinese terminal names, a
/// payout in every state, and the Class II short story (30,000.00 swiped, 10,000.00
/// a day credited) with a diagnosis from the real diagnosis engine. "Now" is fixed:
/// 2026-10-14 15:30:05 in Shanghai.
///
/// The shops (MIDs, names, account classes, limits, cycles), the terminal names and the
/// stories' RRNs and payout refs are the demo's (`DemoStories`). The records are this
/// fixture's own, smaller and at another "now" than the demo's; the screen goldens are
/// written from them.
public enum Fixture {
    public static let zone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
    public static let cny = Currency.CNY
    public static let now = at("2026-10-14 15:30:05")
    public static let policy = SettlementPolicy.demoDefault
    public static let calendar: SettlementCalendar = (try? SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")) ?? .weekends

    public static let mainMID = DemoStories.mainMID
    public static let classIIMID = DemoStories.classIIMID
    public static let frozenMID = DemoStories.frozenMID
    public static let d0MID = DemoStories.d0MID

    /// The Class II story's transaction id, RRN and payout ref.
    public static let storyTxnId: Int64 = 107
    public static let storyRRN = DemoStories.rrn(2)
    public static let storyPayoutRef = DemoStories.payoutRef(2)
    /// The risk-review story's RRN and payout ref (a hold holds the payout back), and
    /// the failed payout with no line naming a sale.
    public static let riskRRN = DemoStories.rrn(3)
    public static let riskPayoutRef = DemoStories.payoutRef(3)
    public static let failedPayoutRef = DemoStories.payoutRef(11)

    /// A local time in Shanghai.
    public static func at(_ text: String) -> Instant { PayoutTestSupport.at(text, in: zone) }

    public static func yuan(_ text: String) -> Money {
        guard let m = try? Money.parse(text, currency: cny) else { fatalError("bad fixture amount \(text)") }
        return m
    }

    public static func day(_ iso: String) -> LocalDate {
        guard let d = LocalDate(iso: iso) else { fatalError("bad fixture date \(iso)") }
        return d
    }

    // MARK: - Merchants and accounts

    /// The settlement accounts as this fixture masks them (the screen goldens show them).
    static let maskedAccounts = [mainMID: "6222********3456", classIIMID: "6217********7788", frozenMID: "6228********9012",
                                 d0MID: "6225********2109"]

    /// The demo's shops, in its order (the main shop first).
    public static let merchants: [Merchant] = DemoStories.shops.map { shop in
        Merchant(merchantId: shop.merchantId, name: shop.name, acquirer: DemoStories.acquirer,
                 bankAccountMasked: maskedAccounts[shop.merchantId] ?? "", accountClass: shop.accountClass,
                 dailyInflowLimit: shop.dailyInflowLimit, cycle: shop.cycle, currency: cny)
    }

    public static func merchant(_ mid: String) -> Merchant? { merchants.first { $0.merchantId == mid } }

    public static let holds: [Hold] = [
        Hold(merchantId: mainMID, ref: "HOLD-DEMO-03", kind: .riskReview, amount: yuan("20000"), rrn: DemoStories.rrn(3),
             payoutRef: DemoStories.payoutRef(3), openedAt: at("2026-10-13 08:30"),
             reason: "风控调单：大额交易，请提供交易小票及购货凭证 risk review: provide receipt and proof of goods"),
        Hold(merchantId: classIIMID, ref: "HOLD-DEMO-02", kind: .receivingLimit, amount: yuan("19820"), rrn: storyRRN,
             payoutRef: storyPayoutRef, openedAt: at("2026-10-13 10:05"),
             reason: "结算卡为二类户，单日入金限额10,000.00元 Class II account: 10,000.00 a day"),
        Hold(merchantId: d0MID, ref: "RSV-40001", kind: .reserve, amount: yuan("5000"), openedAt: at("2026-09-01 09:00"),
             reason: "保证金 reserve"),
    ]

    public static let events: [AccountEvent] = [
        AccountEvent(merchantId: mainMID, state: .active, at: at("2025-09-09 09:00"), reason: "商户入网审核通过 onboarding approved"),
        AccountEvent(merchantId: classIIMID, state: .active, at: at("2025-09-09 09:00"), reason: "商户入网审核通过 onboarding approved"),
        AccountEvent(merchantId: frozenMID, state: .active, at: at("2025-09-09 09:00"), reason: "商户入网审核通过 onboarding approved"),
        AccountEvent(merchantId: frozenMID, state: .frozen, at: at("2026-10-09 10:00"),
                     reason: "账户冻结：涉嫌异常交易，请补充经营资料 frozen: unusual activity, documents requested"),
        AccountEvent(merchantId: d0MID, state: .active, at: at("2025-09-09 09:00"), reason: "商户入网审核通过 onboarding approved"),
    ]

    public static var accounts: [AccountLine] {
        merchants.map { m in
            let own = events.filter { $0.merchantId == m.merchantId }
            let last = own.max { $0.at < $1.at }
            return AccountLine(merchant: m, state: last?.state ?? .active, since: last?.at, reason: last?.reason,
                               openHolds: holds.filter { $0.merchantId == m.merchantId && $0.releasedAt == nil },
                               recentEvents: own.sorted { $0.at > $1.at }, cycle: m.cycle ?? policy.cycle.description)
        }
    }

    // MARK: - Transactions

    public struct TxnSpec: Sendable {
        var id: Int64
        var mid: String
        var tid: String
        /// The terminal's name when not the demo's.
        var tname: String? = nil
        var rrn: String
        var card: String
        var cardKind: CardKind
        var kind: TxnKind = .sale
        var amount: String
        var fee: String?
        var at: String
        var payout: String?
        var state: MoneyState
        var cause: CauseCode?
        var received: String?
    }

    public static let specs: [TxnSpec] = [
        TxnSpec(id: 112, mid: mainMID, tid: "LKL10001", rrn: "626000000112", card: "622848******4821",
                cardKind: .debit, amount: "268.00", fee: "1.61", at: "2026-10-14 15:12:40", payout: "LKLP20261014-10001",
                state: .pending),
        TxnSpec(id: 111, mid: mainMID, tid: "LKL10003", rrn: "626000000111", card: "", cardKind: .qr,
                amount: "56.50", fee: "0.21", at: "2026-10-14 14:55:03", state: .pending),
        TxnSpec(id: 110, mid: classIIMID, tid: "LKL20001", rrn: "626000000110", card: "", cardKind: .qr,
                amount: "120.00", fee: "0.46", at: "2026-10-14 12:30:00", state: .pending),
        TxnSpec(id: 109, mid: mainMID, tid: "LKL10001", rrn: "626000000109", card: "625807******1234",
                cardKind: .credit, amount: "1288.00", fee: "7.73", at: "2026-10-13 11:05:00", payout: "LKLP20261013-10001",
                state: .settled, received: "1280.27"),
        TxnSpec(id: 108, mid: mainMID, tid: "LKL10002", rrn: DemoStories.rrn(3), card: "622848******0310",
                cardKind: .debit, amount: "30000.00", fee: "35.00", at: "2026-10-12 19:42:30", payout: DemoStories.payoutRef(3),
                state: .held, cause: .riskReview, received: "9965.00"),
        TxnSpec(id: 107, mid: classIIMID, tid: "LKL20001", rrn: storyRRN, card: "625807******7788",
                cardKind: .credit, amount: "30000.00", fee: "180.00", at: "2026-10-12 14:20:11", payout: storyPayoutRef,
                state: .short, cause: .receivingLimit, received: "20000.00"),
        TxnSpec(id: 106, mid: frozenMID, tid: "LKL30001", rrn: DemoStories.rrn(5), card: "622848******9012",
                cardKind: .debit, amount: "4560.00", fee: "27.36", at: "2026-10-12 13:15:00", payout: DemoStories.payoutRef(5),
                state: .held, cause: .accountStatus),
        TxnSpec(id: 105, mid: mainMID, tid: "LKL10001", rrn: DemoStories.rrn(7), card: "622848******5566",
                cardKind: .debit, amount: "512.00", fee: "3.07", at: "2026-10-12 10:31:00", payout: DemoStories.payoutRef(7),
                state: .pending, cause: .acquirerBacklog),
        TxnSpec(id: 104, mid: mainMID, tid: "LKL10002", rrn: DemoStories.rrn(6), card: "625807******3321",
                cardKind: .credit, amount: "2000.00", fee: "12.00", at: "2026-10-12 09:12:00", payout: DemoStories.payoutRef(6),
                state: .failed, cause: .bankProcessing),
        TxnSpec(id: 103, mid: mainMID, tid: "LKL10003", rrn: "626000000103", card: "", cardKind: .qr,
                kind: .refund, amount: "-88.00", fee: "0.00", at: "2026-10-11 20:10:00", state: .settled),
        TxnSpec(id: 102, mid: mainMID, tid: "LKL10002", rrn: "626000000102", card: "622848******7001",
                cardKind: .debit, kind: .reversal, amount: "-300.00", fee: "0.00", at: "2026-10-11 18:00:00", state: .reversed),
        TxnSpec(id: 101, mid: d0MID, tid: "LKL40001", tname: "罗湖店一楼收银台（靠近大门）", rrn: "626000000101",
                card: "622848******2468", cardKind: .debit, amount: "888.00", fee: "6.22", at: "2026-10-10 09:40:00",
                payout: "LKLP20261010-40001", state: .settled, received: "881.78"),
    ]

    public static func transaction(_ spec: TxnSpec) -> Transaction {
        Transaction(merchantId: spec.mid, terminalId: spec.tid, terminalName: spec.tname ?? DemoStories.terminalName(spec.tid),
                    batchNo: "000" + String(spec.id % 1000),
                    traceNo: "000" + String(spec.id + 300), rrn: spec.rrn, authCode: String(482_900 + spec.id), cardMasked: spec.card,
                    cardKind: spec.cardKind, kind: spec.kind, amount: yuan(spec.amount), fee: spec.fee.map(yuan),
                    occurredAt: at(spec.at), payoutRef: spec.payout)
    }

    /// Every transaction line, newest first.
    public static let transactions: [TxnLine] = specs.map { spec in
        let txn = transaction(spec)
        let exp = try? SettlementExpectation.compute(for: txn, policy: policy, calendar: calendar)
        let net = spec.fee.flatMap { fee in try? txn.amount.subtracting(yuan(fee)) } ?? exp?.net
        return TxnLine(id: spec.id, transaction: txn, storedState: spec.state, cause: spec.cause,
                       expectedCredit: exp?.expectedCredit, lateAfter: exp?.lateAfter, expectedNet: net,
                       received: spec.received.map(yuan), payoutRef: spec.payout)
    }

    // MARK: - Payouts

    public struct PayoutSpec: Sendable {
        var id: Int64
        var mid: String
        var ref: String
        var cycle: String
        var expected: String
        var paid: String?
        var status: PayoutStatus
        var credited: String?
        var bankRef: String?
        var failure: String?
        var state: MoneyState
        var cause: CauseCode?
        var items: [PayoutItem]
    }

    public static func item(_ mid: String, _ ref: String, _ n: Int, _ kind: PayoutItemKind, _ amount: String, rrn: String? = nil,
                     note: String? = nil) -> PayoutItem {
        PayoutItem(merchantId: mid, payoutRef: ref, lineNo: n, kind: kind, amount: yuan(amount), rrn: rrn, note: note)
    }

    public static let payoutSpecs: [PayoutSpec] = [
        PayoutSpec(id: 206, mid: mainMID, ref: DemoStories.payoutRef(6), cycle: "2026-10-13", expected: "1988.00", status: .returned,
                   failure: "收款账户已销户", state: .failed, cause: .bankProcessing,
                   items: [item(mainMID, DemoStories.payoutRef(6), 1, .transaction, "2000.00", rrn: DemoStories.rrn(6)),
                           item(mainMID, DemoStories.payoutRef(6), 2, .fee, "-12.00", note: "手续费 fees")]),
        PayoutSpec(id: 207, mid: mainMID, ref: DemoStories.payoutRef(7), cycle: "2026-10-13", expected: "508.93", status: .processing,
                   state: .pending, cause: .acquirerBacklog,
                   items: [item(mainMID, DemoStories.payoutRef(7), 1, .transaction, "512.00", rrn: DemoStories.rrn(7)),
                           item(mainMID, DemoStories.payoutRef(7), 2, .fee, "-3.07", note: "手续费 fees")]),
        PayoutSpec(id: 202, mid: classIIMID, ref: storyPayoutRef, cycle: "2026-10-13", expected: "29820.00", paid: "10000.00",
                   status: .partial, credited: "2026-10-13 10:05", bankRef: "B20261013000201", state: .short, cause: .receivingLimit,
                   items: [item(classIIMID, storyPayoutRef, 1, .transaction, "30000.00", rrn: storyRRN),
                           item(classIIMID, storyPayoutRef, 2, .fee, "-180.00", note: "手续费 fees"),
                           item(classIIMID, storyPayoutRef, 3, .carryOver, "-19820.00", rrn: storyRRN,
                                note: "二类户日入金限额 10,000.00 Class II daily inflow limit: carried to next days")]),
        PayoutSpec(id: 203, mid: mainMID, ref: DemoStories.payoutRef(3), cycle: "2026-10-13", expected: "29965.00", paid: "9965.00",
                   status: .partial, credited: "2026-10-13 10:20", bankRef: "B20261013000301", state: .held, cause: .riskReview,
                   items: [item(mainMID, DemoStories.payoutRef(3), 1, .transaction, "30000.00", rrn: DemoStories.rrn(3)),
                           item(mainMID, DemoStories.payoutRef(3), 2, .fee, "-35.00", note: "手续费 fees"),
                           item(mainMID, DemoStories.payoutRef(3), 3, .hold, "-20000.00", rrn: DemoStories.rrn(3), note: "风控调单 risk review")]),
        PayoutSpec(id: 205, mid: frozenMID, ref: DemoStories.payoutRef(5), cycle: "2026-10-13", expected: "4532.64", status: .held,
                   state: .held, cause: .accountStatus,
                   items: [item(frozenMID, DemoStories.payoutRef(5), 1, .transaction, "4560.00", rrn: DemoStories.rrn(5)),
                           item(frozenMID, DemoStories.payoutRef(5), 2, .fee, "-27.36", note: "手续费 fees")]),
        PayoutSpec(id: 211, mid: mainMID, ref: DemoStories.payoutRef(11), cycle: "2026-10-14", expected: "1000.00", status: .failed,
                   failure: "E051", state: .failed, cause: .unexplained,
                   items: [item(mainMID, DemoStories.payoutRef(11), 1, .adjustment, "1000.00", note: "调整 adjustment")]),
        PayoutSpec(id: 212, mid: classIIMID, ref: storyPayoutRef + "B", cycle: "2026-10-14", expected: "10000.00", paid: "10000.00",
                   status: .paid, credited: "2026-10-14 10:05", bankRef: "B20261014000202", state: .settled,
                   items: [item(classIIMID, storyPayoutRef + "B", 1, .release, "10000.00", rrn: storyRRN,
                                note: "限额顺延 carried over from \(storyPayoutRef)")]),
        PayoutSpec(id: 213, mid: mainMID, ref: "LKLP20261013-10001", cycle: "2026-10-14", expected: "1280.27", paid: "1280.27",
                   status: .paid, credited: "2026-10-14 10:31", bankRef: "B20261014000001", state: .settled,
                   items: [item(mainMID, "LKLP20261013-10001", 1, .transaction, "1288.00", rrn: "626000000109"),
                           item(mainMID, "LKLP20261013-10001", 2, .fee, "-7.73", note: "手续费 fees")]),
        PayoutSpec(id: 208, mid: d0MID, ref: DemoStories.payoutRef(8), cycle: "2026-10-14", expected: "882.67", status: .inTransit,
                   state: .pending, items: []),
        PayoutSpec(id: 214, mid: classIIMID, ref: storyPayoutRef + "C", cycle: "2026-10-15", expected: "9820.00",
                   status: .scheduled, state: .pending,
                   items: [item(classIIMID, storyPayoutRef + "C", 1, .release, "9820.00", rrn: storyRRN,
                                note: "限额顺延 carried over from \(storyPayoutRef)")]),
        PayoutSpec(id: 215, mid: mainMID, ref: "LKLP20261014-10001", cycle: "2026-10-15", expected: "266.39", status: .scheduled,
                   state: .pending,
                   items: [item(mainMID, "LKLP20261014-10001", 1, .transaction, "268.00", rrn: "626000000112"),
                           item(mainMID, "LKLP20261014-10001", 2, .fee, "-1.61", note: "手续费 fees")]),
    ]

    public static func payout(_ spec: PayoutSpec) -> Payout {
        let cycle = day(spec.cycle)
        let arrival = spec.ref == DemoStories.payoutRef(8) ? at("2026-10-14 16:00")
            : LocalDateTime(date: cycle, secondOfDay: 9 * 3600).instant(in: zone)
        return Payout(merchantId: spec.mid, ref: spec.ref, cycleDate: cycle, expectedAmount: yuan(spec.expected),
                      paidAmount: spec.paid.map(yuan), status: spec.status, expectedArrival: arrival,
                      creditedAt: spec.credited.map(at), bankRef: spec.bankRef, failureCode: spec.failure)
    }

    /// Every payout line, by expected arrival.
    public static let payouts: [PayoutLine] = payoutSpecs.map { spec in
        let p = payout(spec)
        let lateAfter = LocalDateTime(date: p.cycleDate, secondOfDay: 20 * 3600).instant(in: zone)
        return PayoutLine(id: spec.id, payout: p, lateAfter: max(lateAfter, p.expectedArrival ?? lateAfter),
                          storedState: spec.state, cause: spec.cause)
    }

    /// The calendar's payouts: the lists' payouts and story 4's (settled on 10-08 after
    /// National Day, so no list shows it), as the demo writes it.
    public static let calendarPayouts: [PayoutLine] = {
        var lines = payouts
        if let stories = try? DemoStories.make(now: now, policy: policy, calendar: calendar),
           let story4 = stories.records(of: 4).payouts.first {
            lines.append(PayoutLine(id: 204, payout: story4, lateAfter: nil, storedState: .settled, cause: .calendarShift))
        }
        return lines
    }()

    // MARK: - Evidence and diagnosis

    public static func payoutEvidence(_ ref: String, mid: String) -> Evidence.PayoutEvidence? {
        guard let spec = payoutSpecs.first(where: { $0.ref == ref && $0.mid == mid }) else { return nil }
        return Evidence.PayoutEvidence(payout: payout(spec), items: spec.items)
    }

    public static func sources(_ mid: String) -> [ReportSource] {
        [ReportSource(path: "reports/lakala-\(mid.suffix(4))-settlement-20261013.csv",
                      sha256: "9f2c4e1b7a3d5f60818c2e4d6b0a9c7e5f3d1b2a4c6e8f0a1b3c5d7e9f1a2b3c")]
    }

    public static func detail(forTransaction id: Int64) -> DetailSnapshot? {
        guard let line = transactions.first(where: { $0.id == id }) else { return nil }
        let txn = line.transaction
        let exp = try? SettlementExpectation.compute(for: txn, policy: policy, calendar: calendar)
        var refs: [String] = []
        if let ref = line.payoutRef { refs.append(ref) }
        for spec in payoutSpecs where spec.mid == txn.merchantId && spec.items.contains(where: { $0.rrn == txn.rrn }) {
            if !refs.contains(spec.ref) { refs.append(spec.ref) }
        }
        let payoutList = refs.compactMap { payoutEvidence($0, mid: txn.merchantId) }
        let evidence = Evidence(
            transaction: txn, expectation: exp, payouts: payoutList,
            payoutTransactions: transactions.map(\.transaction).filter { t in refs.contains(t.payoutRef ?? "") },
            holds: holds.filter { $0.merchantId == txn.merchantId && ($0.rrn == txn.rrn || refs.contains($0.payoutRef ?? "")) },
            accountEvents: events.filter { $0.merchantId == txn.merchantId }, merchant: merchant(txn.merchantId),
            policy: policy, otherLatePayoutsSameDay: 0)
        return DetailSnapshot(subject: .transaction(line), evidence: evidence,
                              diagnosis: Diagnosis.diagnose(evidence, now: now), sources: sources(txn.merchantId))
    }

    public static func detail(forPayout mid: String, ref: String) -> DetailSnapshot? {
        guard let line = payouts.first(where: { $0.payout.merchantId == mid && $0.payout.ref == ref }),
              let pe = payoutEvidence(ref, mid: mid) else { return nil }
        let evidence = Evidence(
            transaction: nil, expectation: nil, payouts: [pe],
            payoutTransactions: transactions.map(\.transaction).filter { $0.payoutRef == ref && $0.merchantId == mid },
            holds: holds.filter { $0.merchantId == mid && $0.payoutRef == ref },
            accountEvents: events.filter { $0.merchantId == mid }, merchant: merchant(mid),
            policy: policy, otherLatePayoutsSameDay: 0)
        return DetailSnapshot(subject: .payout(line), evidence: evidence,
                              diagnosis: Diagnosis.diagnosePayout(evidence, now: now), sources: sources(mid))
    }

    /// The account case file of `mid`, as the store's `caseFile(forAccount:)` builds it.
    public static func accountCaseFile(_ mid: String) -> AccountCaseFile? {
        guard let m = merchant(mid) else { return nil }
        let own = events.filter { $0.merchantId == mid }.sorted { $0.at < $1.at }
        let last = own.last
        let list = payouts.filter { $0.payout.merchantId == mid }
            .sorted { ($0.payout.cycleDate.iso, $0.id) > ($1.payout.cycleDate.iso, $1.id) }
        return AccountCaseFile(merchant: m, state: last?.state ?? .active, since: last?.at, reason: last?.reason, events: own,
                               holds: holds.filter { $0.merchantId == mid }, payouts: list, sources: sources(mid))
    }

    /// Store ids by RRN of the fixture's transactions of `mid`.
    public static func transactionIds(_ mid: String) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for line in transactions where line.transaction.merchantId == mid {
            out[line.transaction.rrn] = min(out[line.transaction.rrn] ?? line.id, line.id)
        }
        return out
    }

    // MARK: - Snapshots

    /// Whether `line` matches a `/` filter: RRN start, terminal id or name, amount, or card tail.
    public static func matches(_ line: TxnLine, filter: String) -> Bool {
        let t = line.transaction
        return t.rrn.hasPrefix(filter) || t.terminalId.contains(filter) || (t.terminalName?.contains(filter) ?? false)
            || t.amount.decimalString == filter || t.amount.formatted() == filter || t.cardMasked.hasSuffix(filter)
    }

    public static var summary: LedgerSummary {
        var s = LedgerSummary()
        s.transactions = transactions.count
        for line in transactions {
            switch line.state(at: now) {
            case .pending: s.pending += 1
            case .late: s.late += 1
            case .short: s.short += 1
            case .held: s.held += 1
            case .failed: s.failed += 1
            default: break
            }
        }
        s.outstanding = ["CNY": 4_069_839]
        s.shortTotal = ["CNY": 982_000]
        return s
    }

    /// The snapshot a store would give for `request` at `now`.
    public static func snapshot(_ request: ViewRequest, now: Instant = Fixture.now) -> Snapshot {
        var txns = transactions
        var pays = payouts
        var shown = accounts
        if let filter = request.filter {
            txns = txns.filter { matches($0, filter: filter) }
            pays = pays.filter { p in p.payout.ref.contains(filter) || merchant(p.payout.merchantId)?.name.contains(filter) == true }
            shown = shown.filter { $0.merchant.name.contains(filter) || $0.merchant.merchantId == filter }
        }
        if let shop = request.shop {
            txns = txns.filter { $0.transaction.merchantId == shop }
            pays = pays.filter { $0.payout.merchantId == shop }
            shown = shown.filter { $0.merchant.merchantId == shop }
        }
        if request.transactionSort == .amount {
            txns = txns.enumerated().sorted { ($0.element.transaction.amount.minor, -$0.offset) > ($1.element.transaction.amount.minor, -$1.offset) }.map(\.element)
        }
        if request.payoutSort == .amount {
            pays = pays.enumerated().sorted { ($0.element.payout.expectedAmount.minor, -$0.offset) > ($1.element.payout.expectedAmount.minor, -$1.offset) }.map(\.element)
        }
        if request.accountSort == .state {
            shown = shown.filter { $0.state != .active } + shown.filter { $0.state == .active }
        }
        if request.problemsOnly {
            txns = txns.filter { $0.state(at: now).isProblem }
            pays = pays.filter { $0.state(at: now).isProblem || $0.payout.status == .partial }
        }
        func window<T>(_ list: [T], _ offset: Int, _ limit: Int) -> [T] {
            guard offset < list.count else { return [] }
            return Array(list[offset..<min(list.count, offset + limit)])
        }
        var detail: DetailSnapshot?
        var account: AccountCaseFile?
        var ids: [String: Int64] = [:]
        switch request.detail {
        case .transaction(let id): detail = Self.detail(forTransaction: id)
        case .payout(let mid, let ref):
            detail = Self.detail(forPayout: mid, ref: ref)
            ids = transactionIds(mid)
        case .account(let mid):
            account = accountCaseFile(mid)
            ids = transactionIds(mid)
        case nil: detail = nil
        }
        var snapshot = Snapshot(now: now, request: request, merchant: merchants[0], otherMerchants: merchants.count - 1,
                        accountState: .frozen, cycle: "T+1",
                        transactions: window(txns, request.transactionOffset, request.transactionLimit),
                        transactionTotal: txns.count,
                        payouts: window(pays, request.payoutOffset, request.payoutLimit), payoutTotal: pays.count,
                        accounts: shown, summary: summary, detail: detail, dataAsOf: at("2026-10-14 15:12"), account: account)
        snapshot.shops = merchants
        snapshot.transactionIds = ids
        if let day = request.calendar {
            snapshot.calendar = CalendarMonth.build(containing: day, payouts: calendarPayouts, calendar: calendar, zone: zone, now: now)
            snapshot.calendarPayouts = calendarPayouts.filter {
                let d = CalendarMonth.day(of: $0.payout, in: zone)
                return d.year == day.year && d.month == day.month
            }.sorted { ($0.payout.expectedArrival ?? now) < ($1.payout.expectedArrival ?? now) }
        }
        return snapshot
    }

    public static let sync = SyncStatus.synced(at: now.adding(seconds: -3), changedAt: now.adding(seconds: -40))

    /// A state at `size` with the snapshot its request asks for loaded.
    public static func state(size: Size = Size(width: 120, height: 36), language: Language = .en) -> MonitorState {
        var state = MonitorState(now: now, timeZone: zone, language: language, size: size, sync: sync)
        state.snapshot = snapshot(state.request)
        return state
    }

    /// Refreshes the state's snapshot for its current request (what the run loop does after each event).
    public static func refresh(_ state: inout MonitorState) {
        _ = reduce(&state, .snapshot(snapshot(state.request, now: state.now)))
    }

    /// Applies `keys` one by one, refreshing the snapshot after each, as the run loop would.
    public static func press(_ keys: [Key], on state: inout MonitorState) -> [MonitorEffect] {
        var effects: [MonitorEffect] = []
        for key in keys {
            effects += reduce(&state, .key(key))
            refresh(&state)
        }
        return effects
    }

    /// A provider serving the fixture.
    public static func provider() -> FixedSnapshotProvider {
        FixedSnapshotProvider(status: sync) { request, now in snapshot(request, now: now) }
    }
}
