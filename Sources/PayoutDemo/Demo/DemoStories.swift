import Foundation
import PayoutCore

/// The demo's stories as records: the one definition that `DemoData` writes into a
/// store and that the tests read as evidence.
///
/// `make(now:policy:calendar:ordinaryDays:)` builds every record of the demo as
/// PayoutCore values: the four shops of a restaurant chain and their onboarding, a month
/// of ordinary sales on the main shop's three terminals, and the twelve stories. Each
/// story's records (`records(of:)`) are the ones its part of the demo wrote; the story
/// table (`table`) says what each shows and where to find it.
///
/// Amounts, fees, dates, payouts, items, holds and account events follow from `now`,
/// the policy and the calendar. Trace numbers, auth codes and card tails, the frozen
/// shop's amounts and the Class II shop's small sales come from one seeded generator
/// shared with the ordinary sales, so they change with `now` and `ordinaryDays`.
public struct DemoStories: Sendable {
    /// One story: what it shows and where to find it.
    public struct Story: Sendable, Hashable {
        public let number: Int
        public let title: String
        public let rrn: String?
        public let payoutRef: String
        public let merchantId: String
    }

    /// One of the chain's shops as the acquirer's merchant report states it.
    public struct Shop: Sendable, Hashable {
        public let merchantId: String
        public let name: String
        /// The settlement account as the report gives it, in full; the importer masks it.
        public let bankAccount: String
        public let accountClass: AccountClass
        public let dailyInflowLimit: Money?
        /// The contracted cycle when it is not the configured one.
        public let cycle: String?
    }

    /// A terminal of one of the shops.
    public struct Terminal: Sendable, Hashable {
        public let id: String
        public let name: String
        public let merchantId: String
    }

    /// Records of every kind the demo writes, each list in the order written.
    public struct Records: Sendable, Hashable {
        public var merchants: [Merchant] = []
        public var transactions: [Transaction] = []
        public var payouts: [Payout] = []
        public var payoutItems: [PayoutItem] = []
        public var holds: [Hold] = []
        public var accountEvents: [AccountEvent] = []

        public init() {}

        public mutating func append(_ other: Records) {
            merchants += other.merchants
            transactions += other.transactions
            payouts += other.payouts
            payoutItems += other.payoutItems
            holds += other.holds
            accountEvents += other.accountEvents
        }
    }

    // MARK: The chain

    public static let acquirer = "拉卡拉 Lakala"

    public static let mainMID = "898440358120013"
    public static let classIIMID = "898440358120027"
    public static let frozenMID = "898440358120031"
    public static let d0MID = "898440358120045"

    /// The shops: Nanshan (the main shop), Futian on a Class II account, Bao'an (frozen in
    /// story 5), Luohu on D+0.
    public static let shops: [Shop] = [
        Shop(merchantId: mainMID, name: "味道小馆(南山店)", bankAccount: "6222021001123453456", accountClass: .corporate,
             dailyInflowLimit: nil, cycle: nil),
        Shop(merchantId: classIIMID, name: "味道小馆(福田店)", bankAccount: "6217002000012347788", accountClass: .classII,
             dailyInflowLimit: Money(minor: 1_000_000, currency: .CNY), cycle: nil),
        Shop(merchantId: frozenMID, name: "味道小馆(宝安店)", bankAccount: "6228480012345679012", accountClass: .corporate,
             dailyInflowLimit: nil, cycle: nil),
        Shop(merchantId: d0MID, name: "味道小馆(罗湖店)", bankAccount: "6225880198765432109", accountClass: .corporate,
             dailyInflowLimit: nil, cycle: "D+0"),
    ]

    public static let terminals: [Terminal] = [
        Terminal(id: "LKL10001", name: "前台收银1号", merchantId: mainMID),
        Terminal(id: "LKL10002", name: "前台收银2号", merchantId: mainMID),
        Terminal(id: "LKL10003", name: "外卖窗口", merchantId: mainMID),
        Terminal(id: "LKL20001", name: "福田收银台", merchantId: classIIMID),
        Terminal(id: "LKL30001", name: "宝安收银台", merchantId: frozenMID),
        Terminal(id: "LKL40001", name: "罗湖收银台", merchantId: d0MID),
    ]

    public static func shop(_ merchantId: String) -> Shop? { shops.first { $0.merchantId == merchantId } }

    public static func terminalName(_ id: String) -> String? { terminals.first { $0.id == id }?.name }

    // MARK: The story table

    public static let table: [Story] = [
        Story(number: 1, title: "normal T+1 sale settled on time", rrn: "880000000101", payoutRef: "LKLP-DEMO-01", merchantId: mainMID),
        Story(number: 2, title: "30,000.00 swiped, 10,000.00 credited: Class II account inflow limit", rrn: "880000000201", payoutRef: "LKLP-DEMO-02", merchantId: classIIMID),
        Story(number: 3, title: "30,000.00 swiped, 20,000.00 held for risk review (调单)", rrn: "880000000301", payoutRef: "LKLP-DEMO-03", merchantId: mainMID),
        Story(number: 4, title: "sale on 2026-09-30 evening paid after the National Day holiday", rrn: "880000000401", payoutRef: "LKLP-DEMO-04", merchantId: mainMID),
        Story(number: 5, title: "frozen account: every payout since the freeze held", rrn: "880000000501", payoutRef: "LKLP-DEMO-05", merchantId: frozenMID),
        Story(number: 6, title: "payout returned by the bank: account closed", rrn: "880000000601", payoutRef: "LKLP-DEMO-06", merchantId: mainMID),
        Story(number: 7, title: "payout stuck processing past its window (acquirer backlog)", rrn: "880000000701", payoutRef: "LKLP-DEMO-07", merchantId: mainMID),
        Story(number: 8, title: "D+0 day over its quota: excess moved to T+1", rrn: "880000000806", payoutRef: "LKLP-DEMO-08", merchantId: d0MID),
        Story(number: 9, title: "payout short by exactly the fees (explained)", rrn: "880000000901", payoutRef: "LKLP-DEMO-09", merchantId: mainMID),
        Story(number: 10, title: "payout with a refund netted out", rrn: "880000001002", payoutRef: "LKLP-DEMO-10", merchantId: mainMID),
        Story(number: 11, title: "payout 200.00 short with no explanation (dispute)", rrn: "880000001101", payoutRef: "LKLP-DEMO-11", merchantId: mainMID),
        Story(number: 12, title: "payout reported paid that the bank statement does not show (dispute)", rrn: "880000001201", payoutRef: "LKLP-DEMO-12", merchantId: mainMID),
    ]

    /// Story `number` (1 to 12) of the table.
    public static func story(_ number: Int) -> Story { table[number - 1] }

    /// Story `number`'s RRN: every story of the table has one.
    public static func rrn(_ number: Int) -> String {
        guard let rrn = story(number).rrn else { preconditionFailure("demo story \(number) has no RRN") }
        return rrn
    }

    /// Story `number`'s payout ref.
    public static func payoutRef(_ number: Int) -> String { story(number).payoutRef }

    // MARK: The records

    /// The shops and their onboarding events.
    public let onboarding: Records
    /// The main shop's ordinary daily sales and their payouts.
    public let ordinary: Records
    /// What each story wrote, story 1 first.
    public let stories: [Records]

    /// The records story `number` (1 to 12) wrote.
    public func records(of number: Int) -> Records { stories[number - 1] }

    /// Every record, in the order the demo writes them: the shops, the ordinary sales,
    /// then the stories in order.
    public var all: Records {
        var out = onboarding
        out.append(ordinary)
        for s in stories { out.append(s) }
        return out
    }

    /// Builds the demo's records for `now` with the settlement rules in `policy` and
    /// `calendar`, with `ordinaryDays` days of ordinary sales before today.
    public static func make(now: Instant, policy: SettlementPolicy, calendar: SettlementCalendar,
                            ordinaryDays: Int = 30) throws -> DemoStories {
        var b = DemoBuilder(now: now, policy: policy, calendar: calendar)
        try b.build(ordinaryDays: ordinaryDays)
        return DemoStories(onboarding: b.onboarding, ordinary: b.ordinary, stories: b.stories)
    }
}

/// Writes the demo's records; its random draws follow one seeded sequence, so the same
/// arguments give the same records.
private struct DemoBuilder {
    let now: Instant
    let policy: SettlementPolicy
    let calendar: SettlementCalendar
    let zone: TimeZone
    let cny = Currency.CNY
    let today: LocalDate
    var rng = SeededRandom(seed: 20_261_001)
    var trace = 100
    var ordinaryRRN: Int64 = 626_000_000_000

    var onboarding = DemoStories.Records()
    var ordinary = DemoStories.Records()
    var stories: [DemoStories.Records] = []
    /// Where the records being written go.
    var out = DemoStories.Records()

    init(now: Instant, policy: SettlementPolicy, calendar: SettlementCalendar) {
        self.now = now
        self.policy = policy
        self.calendar = calendar
        self.zone = policy.timeZone
        self.today = LocalDateTime(now, in: policy.timeZone).date
    }

    // MARK: helpers

    func yuan(_ major: Int64) -> Money { Money(minor: major * 100, currency: cny) }

    func at(_ d: LocalDate, _ h: Int, _ m: Int, _ s: Int = 0) -> Instant {
        LocalDateTime(date: d, secondOfDay: h * 3600 + m * 60 + s).instant(in: zone)
    }

    /// The fee the demo acquirer charges, by the configured fee table.
    func fee(_ amount: Money, _ kind: CardKind, d0: Bool = false) throws -> Money {
        let rule = policy.fees[kind]
        var part = try amount.applying(ratePPM: rule.ratePPM)
        if let cap = rule.cap, part.minor > cap.minor { part = cap }
        if let fixed = rule.fixed { part = try part.adding(fixed) }
        if d0 { part = try part.adding(try amount.applying(ratePPM: policy.d0SurchargePPM)) }
        return part
    }

    /// T+1 settlement day for a trade date.
    func settle(_ trade: LocalDate) -> LocalDate { calendar.addingWorkingDays(1, to: trade) }

    /// The trade date whose T+1 settlement is the `k`-th working day before today (k = 1: the last one).
    func tradeDateSettlingWorkingDaysAgo(_ k: Int) -> (trade: LocalDate, settle: LocalDate) {
        var s = today
        for _ in 0..<k { s = calendar.previousWorkingDay(before: s) }
        return (calendar.previousWorkingDay(before: s), s)
    }

    mutating func nextTrace() -> String { trace += 1; return String(format: "%06d", trace % 1_000_000) }

    mutating func card(_ kind: CardKind) -> String {
        switch kind {
        case .debit: return "622848******" + String(format: "%04d", rng.int(0...9999))
        case .credit: return "625807******" + String(format: "%04d", rng.int(0...9999))
        case .qr, .other: return ""
        }
    }

    mutating func nextAuth() -> String { String(format: "%06d", rng.int(0...999_999)) }

    /// Writes one transaction and returns its fee.
    @discardableResult
    mutating func txn(_ mid: String, _ tid: String, batch: String, rrn: String, kind: CardKind, type: TxnKind = .sale,
                      amount: Money, at time: Instant, payout: String?, d0: Bool = false) throws -> Money {
        let f = type == .sale ? try fee(amount, kind, d0: d0) : Money.zero(cny)
        let traceNo = nextTrace(), authCode = nextAuth(), cardMasked = card(kind)
        out.transactions.append(Transaction(merchantId: mid, terminalId: tid, terminalName: DemoStories.terminalName(tid), batchNo: batch,
                                            traceNo: traceNo, rrn: rrn, authCode: authCode, cardMasked: cardMasked, cardKind: kind,
                                            kind: type, amount: amount, fee: f, occurredAt: time, payoutRef: payout))
        return f
    }

    mutating func payout(_ mid: String, _ ref: String, cycle: LocalDate, expected: Money, paid: Money?, status: PayoutStatus,
                         arrival: Instant, credited: Instant?, bankRef: String?, failure: String? = nil) {
        out.payouts.append(Payout(merchantId: mid, ref: ref, cycleDate: cycle, expectedAmount: expected, paidAmount: paid, status: status,
                                  expectedArrival: arrival, creditedAt: credited, bankRef: bankRef, failureCode: failure))
    }

    mutating func item(_ mid: String, _ ref: String, _ line: Int, _ kind: PayoutItemKind, _ amount: Money, rrn: String? = nil, note: String? = nil) {
        out.payoutItems.append(PayoutItem(merchantId: mid, payoutRef: ref, lineNo: line, kind: kind, amount: amount, rrn: rrn, note: note))
    }

    mutating func hold(_ mid: String, _ ref: String, _ kind: HoldKind, _ amount: Money, rrn: String?, payout: String?, opened: Instant,
                       released: Instant? = nil, reason: String) {
        out.holds.append(Hold(merchantId: mid, ref: ref, kind: kind, amount: amount, rrn: rrn, payoutRef: payout, openedAt: opened,
                              releasedAt: released, reason: reason))
    }

    mutating func event(_ mid: String, _ state: AccountState, at time: Instant, _ reason: String) {
        out.accountEvents.append(AccountEvent(merchantId: mid, state: state, at: time, reason: reason))
    }

    /// Status and credit of a payout due at `credit`: paid if that time has passed, else scheduled.
    func dueState(_ credit: Instant) -> (PayoutStatus, Instant?) {
        credit <= now ? (.paid, credit) : (.scheduled, nil)
    }

    func bankRef(_ d: LocalDate, _ n: Int) -> String { "B" + d.iso.replacingOccurrences(of: "-", with: "") + String(format: "%06d", n) }

    /// Takes what was written since the last call.
    mutating func take() -> DemoStories.Records {
        defer { out = DemoStories.Records() }
        return out
    }

    /// Story `number`'s payout ref and RRN from the table.
    func ids(_ number: Int) -> (ref: String, rrn: String) { (DemoStories.payoutRef(number), DemoStories.rrn(number)) }

    // MARK: the data

    mutating func build(ordinaryDays: Int) throws {
        for shop in DemoStories.shops {
            out.merchants.append(Merchant(merchantId: shop.merchantId, name: shop.name, acquirer: DemoStories.acquirer,
                                          bankAccountMasked: try CardNumber.mask(shop.bankAccount), accountClass: shop.accountClass,
                                          dailyInflowLimit: shop.dailyInflowLimit, cycle: shop.cycle, currency: cny))
        }
        for shop in DemoStories.shops {
            event(shop.merchantId, .active, at: at(today.adding(days: -400), 9, 0), "商户入网审核通过 onboarding approved")
        }
        onboarding = take()
        try ordinary(days: ordinaryDays)
        ordinary = take()
        let parts: [(inout DemoBuilder) throws -> Void] = [
            { try $0.story1() }, { try $0.story2() }, { try $0.story3() }, { try $0.story4() }, { try $0.story5() }, { try $0.story6() },
            { try $0.story7() }, { try $0.story8() }, { try $0.story9() }, { try $0.story10() }, { try $0.story11() },
            { try $0.story12() },
        ]
        for part in parts {
            try part(&self)
            stories.append(take())
        }
    }

    /// Ordinary daily batches of the main shop's three terminals, each settled T+1.
    mutating func ordinary(days: Int) throws {
        let terminals = DemoStories.terminals.filter { $0.merchantId == DemoStories.mainMID }.map(\.id)
        for back in stride(from: days, through: 0, by: -1) {
            let trade = today.adding(days: -back)
            for (ti, tid) in terminals.enumerated() {
                let batch = String(format: "%06d", (trade.dayNumber % 900) * 3 + ti + 1)
                let ref = "LKLP" + trade.iso.replacingOccurrences(of: "-", with: "") + "-" + tid.suffix(5)
                let count = rng.int(25...40)
                var gross = Money.zero(cny)
                var fees = Money.zero(cny)
                var lines: [(String, Money)] = []
                for i in 0..<count {
                    let minute = 10 * 60 + 30 + i * (11 * 60 / count) + rng.int(0...9)
                    let time = at(trade, minute / 60, minute % 60, rng.int(0...59))
                    if time > now.adding(minutes: -5) { break }
                    let kind: CardKind = [.debit, .debit, .credit, .qr, .qr][rng.int(0...4)]
                    let amount = Money(minor: Int64(rng.int(1_800...68_000)), currency: cny)
                    ordinaryRRN += 1
                    let rrn = String(ordinaryRRN)
                    let f = try txn(DemoStories.mainMID, tid, batch: batch, rrn: rrn, kind: kind, amount: amount, at: time, payout: ref)
                    gross = try gross.adding(amount)
                    fees = try fees.adding(f)
                    lines.append((rrn, amount))
                }
                if lines.isEmpty { continue }
                let s = settle(trade)
                let credit = at(s, 10, rng.int(0...50))
                let (status, credited) = dueState(credit)
                let net = try gross.subtracting(fees)
                payout(DemoStories.mainMID, ref, cycle: s, expected: net, paid: credited == nil ? nil : net, status: status,
                       arrival: at(s, 9, 0), credited: credited, bankRef: credited == nil ? nil : bankRef(s, ti + 1))
                var n = 1
                for (rrn, amount) in lines { item(DemoStories.mainMID, ref, n, .transaction, amount, rrn: rrn); n += 1 }
                item(DemoStories.mainMID, ref, n, .fee, try fees.negated(), note: "手续费 fees")
            }
        }
    }

    /// 1: a normal T+1 sale, paid on time.
    mutating func story1() throws {
        try paidOnTime(story: 1, terminal: "LKL10001", batch: "000901", yuan: 1288, workingDaysAgo: 3,
                       traded: (12, 18, 5), credited: (10, 15), bankRefNo: 101)
    }

    /// One debit-card sale of the main shop, in a payout of its own reported paid on its
    /// settlement day: the sale and the payout with its sale and fee lines.
    mutating func paidOnTime(story: Int, terminal: String, batch: String, yuan whole: Int64, workingDaysAgo: Int,
                             traded: (Int, Int, Int), credited: (Int, Int), bankRefNo: Int) throws {
        let (trade, s) = tradeDateSettlingWorkingDaysAgo(workingDaysAgo)
        let (ref, rrn) = ids(story), mid = DemoStories.mainMID
        let amount = yuan(whole)
        let f = try txn(mid, terminal, batch: batch, rrn: rrn, kind: .debit, amount: amount,
                        at: at(trade, traded.0, traded.1, traded.2), payout: ref)
        let net = try amount.subtracting(f)
        payout(mid, ref, cycle: s, expected: net, paid: net, status: .paid, arrival: at(s, 9, 0), credited: at(s, credited.0, credited.1),
               bankRef: bankRef(s, bankRefNo))
        item(mid, ref, 1, .transaction, amount, rrn: rrn)
        item(mid, ref, 2, .fee, try f.negated(), note: "手续费 fees")
    }

    /// 2: the Class II shop swipes 30,000.00; its account takes 10,000.00 a day, the rest carries over.
    mutating func story2() throws {
        let mid = DemoStories.classIIMID, (ref, rrn) = ids(2)
        let (trade, s) = tradeDateSettlingWorkingDaysAgo(1)
        let amount = yuan(30_000)
        let f = try txn(mid, "LKL20001", batch: "000201", rrn: rrn, kind: .credit, amount: amount, at: at(trade, 14, 20, 11), payout: ref)
        let net = try amount.subtracting(f)
        let limit = yuan(10_000)
        var remaining = try net.subtracting(limit)
        payout(mid, ref, cycle: s, expected: net, paid: limit, status: .partial, arrival: at(s, 9, 0),
               credited: at(s, 10, 5), bankRef: bankRef(s, 201))
        item(mid, ref, 1, .transaction, amount, rrn: rrn)
        item(mid, ref, 2, .fee, try f.negated(), note: "手续费 fees")
        item(mid, ref, 3, .carryOver, try remaining.negated(), note: "二类户日入金限额 10,000.00 Class II daily inflow limit: carried to next days")
        hold(mid, "HOLD-DEMO-02", .receivingLimit, remaining, rrn: rrn, payout: ref, opened: at(s, 10, 5),
             reason: "结算卡为二类户，单日入金限额10,000.00元 Class II account: 10,000.00 a day")
        var day = s
        for suffix in ["B", "C"] where remaining.minor > 0 {
            day = calendar.nextWorkingDay(after: day)
            let part = remaining.minor > limit.minor ? limit : remaining
            remaining = try remaining.subtracting(part)
            let credit = at(day, 10, 5)
            let (status, credited) = dueState(credit)
            let partRef = ref + suffix
            payout(mid, partRef, cycle: day, expected: part, paid: credited == nil ? nil : part, status: status,
                   arrival: at(day, 9, 0), credited: credited, bankRef: credited == nil ? nil : bankRef(day, 202))
            item(mid, partRef, 1, .release, part, rrn: rrn, note: "限额顺延 carried over from \(ref)")
        }
        // A few small ordinary sales, well under the limit, on other days, each paid T+1.
        for back in 2...6 {
            let d = today.adding(days: -back - 3)
            let dayRef = "LKLP" + d.iso.replacingOccurrences(of: "-", with: "") + "-20001"
            let dayRRN = "88000000029\(back)"
            let amount = Money(minor: Int64(rng.int(3_000...20_000)), currency: cny)
            let f = try txn(mid, "LKL20001", batch: "000200", rrn: dayRRN, kind: .qr, amount: amount, at: at(d, 12, 30), payout: dayRef)
            let s = settle(d)
            let net = try amount.subtracting(f)
            let (status, credited) = dueState(at(s, 10, 1))
            payout(mid, dayRef, cycle: s, expected: net, paid: credited == nil ? nil : net, status: status, arrival: at(s, 9, 0),
                   credited: credited, bankRef: credited == nil ? nil : bankRef(s, 200 + back))
            item(mid, dayRef, 1, .transaction, amount, rrn: dayRRN)
            item(mid, dayRef, 2, .fee, try f.negated(), note: "手续费 fees")
        }
    }

    /// 3: a 30,000.00 sale of which 20,000.00 is held for risk review.
    mutating func story3() throws {
        let mid = DemoStories.mainMID, (ref, rrn) = ids(3)
        let (trade, s) = tradeDateSettlingWorkingDaysAgo(2)
        let amount = yuan(30_000)
        let f = try txn(mid, "LKL10002", batch: "000301", rrn: rrn, kind: .debit, amount: amount, at: at(trade, 19, 42, 30), payout: ref)
        let net = try amount.subtracting(f)
        let held = yuan(20_000)
        let paid = try net.subtracting(held)
        payout(mid, ref, cycle: s, expected: net, paid: paid, status: .partial, arrival: at(s, 9, 0), credited: at(s, 10, 20),
               bankRef: bankRef(s, 301))
        item(mid, ref, 1, .transaction, amount, rrn: rrn)
        item(mid, ref, 2, .fee, try f.negated(), note: "手续费 fees")
        item(mid, ref, 3, .hold, try held.negated(), rrn: rrn, note: "风控调单 risk review")
        hold(mid, "HOLD-DEMO-03", .riskReview, held, rrn: rrn, payout: ref, opened: at(s, 8, 30),
             reason: "风控调单：大额交易，请提供交易小票及购货凭证 risk review: provide receipt and proof of goods")
    }

    /// 4: sales on 2026-09-30, before and after the cutoff, settled after National Day.
    mutating func story4() throws {
        let mid = DemoStories.mainMID, (ref, rrn) = ids(4)
        guard let day = LocalDate(year: 2026, month: 9, day: 30) else { return }
        let a1 = yuan(3680), a2 = yuan(1260)
        let f1 = try txn(mid, "LKL10001", batch: "000401", rrn: rrn, kind: .credit, amount: a1, at: at(day, 21, 30, 12), payout: ref)
        let f2 = try txn(mid, "LKL10001", batch: "000401", rrn: "880000000402", kind: .debit, amount: a2, at: at(day, 23, 10, 40), payout: ref)
        let s = settle(day)
        let net = try a1.adding(a2).subtracting(f1).subtracting(f2)
        let (status, credited) = dueState(at(s, 10, 8))
        payout(mid, ref, cycle: s, expected: net, paid: credited == nil ? nil : net, status: status, arrival: at(s, 9, 0),
               credited: credited, bankRef: credited == nil ? nil : bankRef(s, 401))
        item(mid, ref, 1, .transaction, a1, rrn: rrn)
        item(mid, ref, 2, .transaction, a2, rrn: "880000000402")
        item(mid, ref, 3, .fee, try f1.adding(f2).negated(), note: "手续费 fees")
    }

    /// 5: the Bao'an shop's account is frozen; every payout since is held.
    mutating func story5() throws {
        let mid = DemoStories.frozenMID, (storyRef, storyRRN) = ids(5)
        let freeze = at(today.adding(days: -5), 10, 0)
        event(mid, .frozen, at: freeze, "账户冻结：涉嫌异常交易，请补充经营资料 frozen: unusual activity, documents requested")
        for back in stride(from: 9, through: 1, by: -1) {
            let trade = today.adding(days: -back)
            let s = settle(trade)
            let ref = back == 4 ? storyRef : storyRef + "-" + trade.iso.replacingOccurrences(of: "-", with: "")
            let rrn = back == 4 ? storyRRN : "88000000059\(back)"
            let amount = Money(minor: Int64(rng.int(200_000...600_000)), currency: cny)
            let f = try txn(mid, "LKL30001", batch: String(format: "%06d", 500 + back), rrn: rrn, kind: .debit,
                            amount: amount, at: at(trade, 13, 15), payout: ref)
            let net = try amount.subtracting(f)
            let arrival = at(s, 9, 0)
            if at(s, 10, 0) < freeze {
                payout(mid, ref, cycle: s, expected: net, paid: net, status: .paid, arrival: arrival, credited: at(s, 9, 45),
                       bankRef: bankRef(s, 500 + back))
            } else {
                payout(mid, ref, cycle: s, expected: net, paid: nil, status: .held, arrival: arrival, credited: nil, bankRef: nil,
                       failure: "ACCOUNT_FROZEN")
            }
            item(mid, ref, 1, .transaction, amount, rrn: rrn)
            item(mid, ref, 2, .fee, try f.negated(), note: "手续费 fees")
        }
    }

    /// 6: a payout the bank returned because the settlement account was closed.
    mutating func story6() throws {
        let mid = DemoStories.mainMID, (ref, rrn) = ids(6)
        let (trade, s) = tradeDateSettlingWorkingDaysAgo(4)
        let amount = yuan(5600)
        let f = try txn(mid, "LKL10003", batch: "000601", rrn: rrn, kind: .debit, amount: amount, at: at(trade, 18, 5, 9), payout: ref)
        let net = try amount.subtracting(f)
        payout(mid, ref, cycle: s, expected: net, paid: nil, status: .returned, arrival: at(s, 9, 0), credited: nil,
               bankRef: bankRef(s, 601), failure: "收款账户已销户")
        item(mid, ref, 1, .transaction, amount, rrn: rrn)
        item(mid, ref, 2, .fee, try f.negated(), note: "手续费 fees")
    }

    /// 7: a payout still "processing" hours after its credit window closed.
    mutating func story7() throws {
        let mid = DemoStories.mainMID, (ref, rrn) = ids(7)
        var k = 1
        var (trade, s) = tradeDateSettlingWorkingDaysAgo(k)
        // The window (and its grace) must be over: step back until it is.
        while at(s, 18, 0).adding(minutes: Int64(policy.graceMinutes)) > now { k += 1; (trade, s) = tradeDateSettlingWorkingDaysAgo(k) }
        let amount = yuan(8_450)
        let f = try txn(mid, "LKL10002", batch: "000701", rrn: rrn, kind: .credit, amount: amount, at: at(trade, 20, 12, 44), payout: ref)
        let net = try amount.subtracting(f)
        payout(mid, ref, cycle: s, expected: net, paid: nil, status: .processing, arrival: at(s, 9, 0), credited: nil, bankRef: nil)
        item(mid, ref, 1, .transaction, amount, rrn: rrn)
        item(mid, ref, 2, .fee, try f.negated(), note: "手续费 fees")
    }

    /// 8: a D+0 shop takes 62,000.00 in a day against a 50,000.00 quota; the excess goes T+1.
    mutating func story8() throws {
        let mid = DemoStories.d0MID, (d0Ref, storyRRN) = ids(8), t1Ref = d0Ref + "B"
        let day = calendar.previousWorkingDay(before: calendar.previousWorkingDay(before: today))
        let amounts: [Int64] = [12_000, 9_500, 15_000, 8_500, 5_000, 12_000]
        var d0Gross = Money.zero(cny), d0Fee = Money.zero(cny), t1Gross = Money.zero(cny), t1Fee = Money.zero(cny)
        var d0Lines: [(String, Money)] = [], t1Lines: [(String, Money)] = []
        let quota = policy.d0DailyQuota
        for (i, major) in amounts.enumerated() {
            let amount = yuan(major)
            let rrn = "88000000080\(i + 1)"
            let fits = try d0Gross.adding(amount).minor <= quota.minor
            let ref = fits ? d0Ref : t1Ref
            let f = try txn(mid, "LKL40001", batch: "000801", rrn: rrn, kind: .credit, amount: amount,
                            at: at(day, 10 + i * 2, 15), payout: ref, d0: fits)
            if fits { d0Gross = try d0Gross.adding(amount); d0Fee = try d0Fee.adding(f); d0Lines.append((rrn, amount)) }
            else { t1Gross = try t1Gross.adding(amount); t1Fee = try t1Fee.adding(f); t1Lines.append((rrn, amount)) }
        }
        let d0Net = try d0Gross.subtracting(d0Fee)
        payout(mid, d0Ref, cycle: day, expected: d0Net, paid: d0Net, status: .paid, arrival: at(day, 21, 0),
               credited: at(day, 21, 40), bankRef: bankRef(day, 801))
        var n = 1
        for (rrn, a) in d0Lines { item(mid, d0Ref, n, .transaction, a, rrn: rrn); n += 1 }
        item(mid, d0Ref, n, .fee, try d0Fee.negated(), note: "手续费(含秒到0.10%) fees incl. D+0 surcharge")
        let s = settle(day)
        let t1Net = try t1Gross.subtracting(t1Fee)
        let (status, credited) = dueState(at(s, 10, 30))
        payout(mid, t1Ref, cycle: s, expected: t1Net, paid: credited == nil ? nil : t1Net, status: status,
               arrival: at(s, 9, 0), credited: credited, bankRef: credited == nil ? nil : bankRef(s, 802))
        n = 1
        for (rrn, a) in t1Lines { item(mid, t1Ref, n, .transaction, a, rrn: rrn); n += 1 }
        item(mid, t1Ref, n, .fee, try t1Fee.negated(), note: "手续费 fees")
        hold(mid, "HOLD-DEMO-08", .d0Quota, t1Gross, rrn: storyRRN, payout: t1Ref, opened: at(day, 20, 15), released: credited,
             reason: "秒到额度超限，超出部分转T+1 D+0 quota exceeded: excess settles T+1")
    }

    /// 9: a payout exactly gross minus fees: short of the swipes, but explained.
    mutating func story9() throws {
        let mid = DemoStories.mainMID, (ref, rrn) = ids(9)
        let (trade, s) = tradeDateSettlingWorkingDaysAgo(5)
        let a1 = yuan(6_000), a2 = yuan(4_000)
        let f1 = try txn(mid, "LKL10003", batch: "000901", rrn: rrn, kind: .credit, amount: a1, at: at(trade, 11, 40, 2), payout: ref)
        let f2 = try txn(mid, "LKL10003", batch: "000901", rrn: "880000000902", kind: .credit, amount: a2, at: at(trade, 13, 5, 51), payout: ref)
        let fees = try f1.adding(f2)
        let net = try a1.adding(a2).subtracting(fees)
        payout(mid, ref, cycle: s, expected: net, paid: net, status: .paid, arrival: at(s, 9, 0), credited: at(s, 10, 2),
               bankRef: bankRef(s, 901))
        item(mid, ref, 1, .transaction, a1, rrn: rrn)
        item(mid, ref, 2, .transaction, a2, rrn: "880000000902")
        item(mid, ref, 3, .fee, try fees.negated(), note: "手续费 0.60% fees")
    }

    /// 10: a refund of an earlier sale netted out of a payout.
    mutating func story10() throws {
        let mid = DemoStories.mainMID, (ref, refundRRN) = ids(10), saleRRN = "880000001001"
        let (trade, s) = tradeDateSettlingWorkingDaysAgo(6)
        let sale = yuan(4_500), refund = yuan(-1_200)
        let f = try txn(mid, "LKL10001", batch: "001001", rrn: saleRRN, kind: .credit, amount: sale, at: at(trade, 12, 0, 31), payout: ref)
        try txn(mid, "LKL10001", batch: "001001", rrn: refundRRN, kind: .credit, type: .refund, amount: refund,
                at: at(trade, 16, 45, 10), payout: ref)
        let net = try sale.adding(refund).subtracting(f)
        payout(mid, ref, cycle: s, expected: net, paid: net, status: .paid, arrival: at(s, 9, 0), credited: at(s, 10, 11),
               bankRef: bankRef(s, 1001))
        item(mid, ref, 1, .transaction, sale, rrn: saleRRN)
        item(mid, ref, 2, .refund, refund, rrn: refundRRN, note: "退货 原交易参考号 \(saleRRN) refund of \(saleRRN)")
        item(mid, ref, 3, .fee, try f.negated(), note: "手续费 fees")
    }

    /// 12: a payout the acquirer reports paid on time whose credit the bank statement
    /// of the main shop's account does not hold (`DemoBankStatement` leaves it out).
    mutating func story12() throws {
        try paidOnTime(story: 12, terminal: "LKL10003", batch: "001201", yuan: 3_360, workingDaysAgo: 4,
                       traded: (19, 2, 44), credited: (10, 20), bankRefNo: 1201)
    }

    /// 11: a payout 200.00 short with nothing in the reports to explain it.
    mutating func story11() throws {
        let mid = DemoStories.mainMID, (ref, rrn) = ids(11)
        let (trade, s) = tradeDateSettlingWorkingDaysAgo(7)
        let amount = yuan(2_680)
        let f = try txn(mid, "LKL10002", batch: "001101", rrn: rrn, kind: .credit, amount: amount, at: at(trade, 15, 33, 20), payout: ref)
        let net = try amount.subtracting(f)
        let paid = try net.subtracting(yuan(200))
        payout(mid, ref, cycle: s, expected: net, paid: paid, status: .paid, arrival: at(s, 9, 0), credited: at(s, 10, 9),
               bankRef: bankRef(s, 1101))
        item(mid, ref, 1, .transaction, amount, rrn: rrn)
        item(mid, ref, 2, .fee, try f.negated(), note: "手续费 fees")
    }
}
