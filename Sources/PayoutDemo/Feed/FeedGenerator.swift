import Foundation
import PayoutCore
import PayoutFormats

/// The simulated acquirer feed: each tick turns the time since the last tick into new
/// transactions and moves payouts along, as canonical CSV report files.
///
/// Pure apart from its own state: the clock is passed in (`tick(now:)`), randomness is
/// seeded, and nothing touches the store; `FeedSimulator` imports what it makes. The
/// feed keeps its books with the same settlement engine reconciliation uses
/// (`SettlementExpectation`), so a payout carries exactly the net its transactions
/// expect: without stories every sale ends up settled, on time.
///
/// What it writes, like a Chinese card acquirer's reports:
/// - transactions with the shop's 15-digit MID and 8-character terminal ids, 6-digit
///   batch (批次号) and trace (凭证号) numbers, 12-digit RRNs (参考号: year digit,
///   day of year, sequence), 6-digit auth codes, debit/credit cards masked to first 6
///   and last 4 (never a full number), QR payments without a card, a few refunds;
/// - one payout per terminal and trade date, scheduled when the trade date closes at
///   the cutoff, processing from the start of the credit window, paid within it; a D+0
///   merchant's sales are paid out in small batches every few minutes ("秒到");
/// - with stories: partial payouts with a risk hold (调单) released later, held payouts
///   (延迟结算), returned payouts, payouts stuck in processing, account reviews.
public struct FeedGenerator: Sendable {
    public let rules: SettlementRules
    public let options: FeedOptions
    public private(set) var shops: [FeedShop]
    /// Transactions made so far.
    public private(set) var transactionsMade = 0

    var rng: SeededRandom
    var lastTick: Instant?
    /// Fractional transactions carried to the next tick.
    var carry = 0.0
    var rrnSequence: Int64
    /// Payouts being built or moved, by merchant and ref.
    var payouts: [String: FeedPayout] = [:]
    /// D+0 quota used per merchant and trade date by transactions of earlier seconds.
    var d0Used: [String: [LocalDate: Int64]]
    /// D+0 quota used in the current second (reconciliation counts only earlier instants).
    var d0Second: (second: Int64, used: [String: [LocalDate: Int64]]) = (0, [:])
    var grossByDay: [String: [LocalDate: Int64]]
    var recentSales: [RecentSale] = []
    /// Account reviews in progress: merchant -> when it is active again.
    var reviews: [String: Instant] = [:]
    var writeMerchants: Bool
    /// Which kind of story the next troubled payout gets.
    var storyTurn = 0

    struct RecentSale: Sendable, Hashable {
        var shop: Int
        var terminal: Int
        var card: String
        var cardKind: CardKind
        var amount: Int64
    }

    /// A feed for `shops`, starting at `start`. `writeMerchants` makes the first tick
    /// write the shops' merchant profiles (for a store that has none).
    public init(shops: [FeedShop], rules: SettlementRules, options: FeedOptions, start: Instant, writeMerchants: Bool = false) {
        self.init(shops: shops, rules: rules, options: options, start: start, writeMerchants: writeMerchants, resume: FeedResume())
    }

    init(shops: [FeedShop], rules: SettlementRules, options: FeedOptions, start: Instant, writeMerchants: Bool, resume: FeedResume) {
        self.shops = shops
        self.rules = rules
        self.options = options
        self.writeMerchants = writeMerchants
        self.rng = SeededRandom(seed: options.seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x5EED)
        self.lastTick = start
        // Without a hint, start the RRN sequence at the millisecond of the day, so a
        // restarted feed does not reuse the numbers of an earlier run of the same day.
        let local = LocalDateTime(start, in: rules.policy.timeZone)
        self.rrnSequence = resume.rrnSequence ?? Int64(local.secondOfDay) * 1000 + start.epochMillis % 1000
        self.d0Used = [:]
        self.grossByDay = [:]
    }

    static func key(_ mid: String, _ ref: String) -> String { mid + "|" + ref }

    var zone: TimeZone { rules.policy.timeZone }

    // MARK: - The tick

    /// Everything that happened between the last tick and `now`, as report files.
    ///
    /// - Parameter limit: at most this many new transactions (for `--count`).
    public mutating func tick(now: Instant, limit: Int? = nil) -> FeedBatch {
        var out = FeedOutput()
        var batch = FeedBatch()
        if writeMerchants {
            for s in shops { out.merchant(s.merchant) }
            batch.merchants = shops.count
            writeMerchants = false
        }
        let from = lastTick ?? now.adding(seconds: -1)
        lastTick = max(from, now)
        let elapsedMillis = min(max(0, now.epochMillis - from.epochMillis), 3_600_000)
        let wanted = carry + options.rate * Double(elapsedMillis) / 1000
        var count = Int(wanted.rounded(.down))
        carry = wanted - Double(count)
        count = min(count, 100_000)
        if let limit { count = min(count, max(0, limit)) }
        for t in transactionTimes(count, from: from, to: now) {
            makeTransaction(at: t, into: &out, batch: &batch)
        }
        advancePayouts(now: now, into: &out, batch: &batch)
        if options.stories { accountReviews(from: from, now: now, into: &out, batch: &batch) }
        batch.files = out.files()
        transactionsMade += batch.transactions
        return batch
    }

    /// `count` instants in (from, to], whole seconds (as reports print them), in order.
    mutating func transactionTimes(_ count: Int, from: Instant, to: Instant) -> [Instant] {
        guard count > 0 else { return [] }
        let last = to.epochMillis / 1000
        let first = min(from.epochMillis / 1000 + 1, last)
        var secs: [Int64] = []
        secs.reserveCapacity(count)
        let span = UInt64(last - first + 1)
        for _ in 0..<count { secs.append(first + Int64(rng.next() % span)) }
        secs.sort()
        return secs.map { Instant(epochMillis: $0 * 1000) }
    }

    // MARK: - Transactions

    mutating func pickShop() -> Int? {
        let eligible = shops.indices.filter { i in
            let s = shops[i]
            return (s.accountState == .active || s.accountState == .underReview) && s.weight > 0 && !s.terminals.isEmpty
        }
        let total = eligible.reduce(0) { $0 + shops[$1].weight }
        guard total > 0 else { return nil }
        var r = rng.int(0...(total - 1))
        for i in eligible {
            if r < shops[i].weight { return i }
            r -= shops[i].weight
        }
        return eligible.last
    }

    mutating func makeTransaction(at t: Instant, into out: inout FeedOutput, batch: inout FeedBatch) {
        if rng.int(0...99) < 3, !recentSales.isEmpty {
            let sale = recentSales[rng.int(0...(recentSales.count - 1))]
            if refund(of: sale, at: t, into: &out, batch: &batch) { return }
        }
        guard let si = pickShop() else { return }
        let ti = rng.int(0...(shops[si].terminals.count - 1))
        let merchant = shops[si].merchant
        let unit = Self.unit(merchant.currency)
        let kind: CardKind = [.debit, .debit, .credit, .credit, .qr, .qr, .qr][rng.int(0...6)]
        let amount = saleAmount(unit: unit)
        let card = cardNumber(kind)
        guard record(shop: si, terminal: ti, kind: .sale, cardKind: kind, card: card, amount: amount, at: t,
                     into: &out, batch: &batch) else { return }
        recentSales.append(RecentSale(shop: si, terminal: ti, card: card, cardKind: kind, amount: amount))
        if recentSales.count > 64 { recentSales.removeFirst(recentSales.count - 64) }
    }

    /// A refund of part or all of a recent sale, when the terminal's payout of the day can carry it.
    mutating func refund(of sale: RecentSale, at t: Instant, into out: inout FeedOutput, batch: inout FeedBatch) -> Bool {
        let shop = shops[sale.shop]
        guard shop.accountState == .active || shop.accountState == .underReview else { return false }
        let unit = Self.unit(shop.merchant.currency)
        let back = rng.int(0...1) == 0 ? sale.amount : max(unit, (sale.amount / 2 / unit) * unit)
        let policy = rules.policy(for: shop.merchant, currency: shop.merchant.currency)
        let ref = cycleRef(terminal: shop.terminals[sale.terminal].id, tradeDate: tradeDate(t, policy))
        guard let p = payouts[Self.key(shop.merchant.merchantId, ref)], p.phase == .open, p.expected >= 2 * back else { return false }
        recentSales.removeAll { $0 == sale }
        return record(shop: sale.shop, terminal: sale.terminal, kind: .refund, cardKind: sale.cardKind, card: sale.card,
                      amount: -back, at: t, into: &out, batch: &batch)
    }

    /// Writes one transaction and books its portions into payouts. False when it cannot
    /// be made (over the shop's inflow limit, or the engine refuses it).
    mutating func record(shop si: Int, terminal ti: Int, kind: TxnKind, cardKind: CardKind, card: String, amount: Int64,
                         at t: Instant, into out: inout FeedOutput, batch: inout FeedBatch) -> Bool {
        let merchant = shops[si].merchant
        let mid = merchant.merchantId
        let currency = merchant.currency
        let policy = rules.policy(for: merchant, currency: currency)
        let trade = tradeDate(t, policy)
        if let limit = policy.dailyInflowLimit, amount > 0,
           grossByDay[mid, default: [:]][trade, default: 0] + amount > limit.minor * 9 / 10 {
            return false
        }
        let used = d0UsedBefore(mid, trade, second: t.epochMillis / 1000)
        guard let e = try? SettlementExpectation.compute(occurredAt: t, amount: Money(minor: amount, currency: currency),
                                                         cardKind: cardKind, policy: policy, calendar: rules.calendar,
                                                         d0UsedToday: Money(minor: used, currency: currency)) else { return false }
        if amount > 0 { grossByDay[mid, default: [:]][trade, default: 0] += amount }
        if !e.d0Amount.isZero { d0Second.used[mid, default: [:]][trade, default: 0] += e.d0Amount.minor }

        var terminal = shops[si].terminals[ti]
        if terminal.batchDate != trade {
            terminal.batchNo = terminal.batchDate == nil && terminal.batchNo > 0 ? terminal.batchNo : terminal.batchNo % 999_999 + 1
            terminal.batchDate = trade
        }
        terminal.trace = terminal.trace % 999_999 + 1
        shops[si].terminals[ti] = terminal
        let rrn = nextRRN(t)

        book(e, merchant: merchant, terminal: terminal.id, rrn: rrn, kind: kind, policy: policy)
        // Like an acquirer's transaction export, a row does not name its payout: the
        // settlement report's lines name the RRN (so reconciliation links them then).
        out.transaction([mid, terminal.id, terminal.name, Self.digits(terminal.batchNo, 6), Self.digits(terminal.trace, 6), rrn,
                         cardKind == .qr ? "" : Self.digits(rng.int(0...999_999), 6), card, cardKind.rawValue, kind.rawValue,
                         Money(minor: amount, currency: currency).decimalString, e.fee.total.decimalString, currency.code,
                         stamp(t), nil])
        batch.transactions += 1
        if kind == .refund { batch.refunds += 1 }
        batch.gross[currency.code, default: 0] += amount
        return true
    }

    /// Books each portion of a transaction into the payout that will carry it: a line
    /// with its RRN and gross, and its fee and reserve. A transaction split over two
    /// payouts (D+0 and its T+1 fallback) names its fee share on each, so each payout
    /// carries exactly its part.
    ///
    /// - Parameter only: book only the portions going this way (a restart re-booking the part not yet paid).
    mutating func book(_ e: SettlementExpectation, merchant: Merchant, terminal: String, rrn: String, kind: TxnKind,
                       policy: SettlementPolicy, only route: FeedPayout.Route? = nil) {
        let split = e.portions.count > 1
        for portion in e.portions {
            let slot = portion.route == .d0
                ? d0Slot(terminal: terminal, at: e.occurredAt)
                : Slot(ref: cycleRef(terminal: terminal, tradeDate: e.tradeDate), route: .cycle, cycleDate: portion.settlementDay,
                       arrival: portion.expectedCredit, closesAt: tradeDateCloses(e.tradeDate, policy))
            if let route, slot.route != route { continue }
            let k = Self.key(merchant.merchantId, slot.ref)
            if payouts[k] == nil {
                payouts[k] = FeedPayout(merchantId: merchant.merchantId, terminalId: terminal, ref: slot.ref, currency: merchant.currency,
                                        route: slot.route, cycleDate: slot.cycleDate, arrival: slot.arrival, closesAt: slot.closesAt)
            }
            let itemKind: PayoutItemKind = kind == .refund ? .refund : .transaction
            payouts[k]!.lines.append(FeedPayout.Line(kind: itemKind, amount: portion.gross.minor, rrn: rrn,
                                                     note: kind == .refund ? "退货 refund" : nil))
            if portion.gross.minor > 0 { payouts[k]!.salesGross += portion.gross.minor }
            if split {
                if !portion.fee.isZero {
                    payouts[k]!.lines.append(FeedPayout.Line(kind: .fee, amount: -portion.fee.minor, rrn: rrn, note: "手续费 fee"))
                }
            } else {
                payouts[k]!.fee += portion.fee.minor
            }
            payouts[k]!.reserve += portion.reserve.minor
        }
    }

    /// Where a payout sits: its ref, route, cycle date, expected arrival and close.
    struct Slot {
        var ref: String
        var route: FeedPayout.Route
        var cycleDate: LocalDate
        var arrival: Instant
        var closesAt: Instant
    }

    /// The D+0 batch of a terminal that a sale at `t` falls in: every `d0BatchMinutes`, paid at its end.
    func d0Slot(terminal: String, at t: Instant) -> Slot {
        let local = LocalDateTime(t, in: zone)
        let size = options.d0BatchMinutes * 60
        let start = local.secondOfDay / size * size
        let ref = "SD" + Self.compact(local.date) + "-" + terminal + "-" + Self.digits(start / 3600, 2) + Self.digits(start / 60 % 60, 2)
        let closes = LocalDateTime(date: local.date, secondOfDay: start).instant(in: zone).adding(seconds: Int64(size))
        return Slot(ref: ref, route: .d0, cycleDate: local.date, arrival: closes, closesAt: closes)
    }

    /// Re-books a transaction of an earlier run that no payout carries yet, as the
    /// reconciler saw it (`d0Minor`: its D+0 part), into the payout it will go in.
    mutating func rebook(merchant: Merchant, terminal: String, rrn: String, kind: TxnKind, cardKind: CardKind, amount: Int64,
                         at t: Instant, d0Minor: Int64, only route: FeedPayout.Route?) {
        let policy = rules.policy(for: merchant, currency: merchant.currency)
        let c = merchant.currency
        // The quota left that gives the same split the reconciler made.
        let used = d0Minor == 0 ? policy.d0DailyQuota.minor : policy.d0DailyQuota.minor - d0Minor
        guard let e = try? SettlementExpectation.compute(occurredAt: t, amount: Money(minor: amount, currency: c), cardKind: cardKind,
                                                         policy: policy, calendar: rules.calendar,
                                                         d0UsedToday: Money(minor: max(0, used), currency: c)) else { return }
        book(e, merchant: merchant, terminal: terminal, rrn: rrn, kind: kind, policy: policy, only: route)
    }

    /// A payout of an earlier run still scheduled or processing: the feed pays it on time.
    static func resumedMoving(merchantId: String, currency: Currency, terminal: String, ref: String, cycleDate: LocalDate,
                              arrival: Instant, expected: Int64, status: PayoutStatus, itemLines: Int) -> FeedPayout {
        var p = FeedPayout(merchantId: merchantId, terminalId: terminal, ref: ref, currency: currency,
                           route: ref.hasPrefix("SD") ? .d0 : .cycle, cycleDate: cycleDate, arrival: arrival, closesAt: arrival)
        p.resumedExpected = expected
        p.written = status
        p.writtenLines = itemLines
        p.storyDecided = true
        return p
    }

    func cycleRef(terminal: String, tradeDate: LocalDate) -> String { "JS" + Self.compact(tradeDate) + "-" + terminal }

    func tradeDate(_ t: Instant, _ policy: SettlementPolicy) -> LocalDate { policy.tradeDate(of: t) }

    /// The first instant whose trade date is after `trade`.
    func tradeDateCloses(_ trade: LocalDate, _ policy: SettlementPolicy) -> Instant { policy.batchCloses(trade) }

    /// D+0 quota the reconciler will count as used before a transaction in `second`:
    /// only transactions of earlier seconds (reports print whole seconds).
    mutating func d0UsedBefore(_ mid: String, _ trade: LocalDate, second: Int64) -> Int64 {
        if second != d0Second.second {
            for (m, days) in d0Second.used { for (d, v) in days { d0Used[m, default: [:]][d, default: 0] += v } }
            d0Second = (second, [:])
        }
        return d0Used[mid]?[trade] ?? 0
    }

    mutating func nextRRN(_ t: Instant) -> String {
        let d = LocalDateTime(t, in: zone).date
        let dayOfYear = d.dayNumber - LocalDate(year: d.year, month: 1, day: 1)!.dayNumber + 1
        rrnSequence += 1
        return String(d.year % 10) + Self.digits(dayOfYear, 3) + Self.digits(Int(rrnSequence % 100_000_000), 8)
    }

    /// A restaurant bill: mostly 12-150, some up to 800, a few up to 3,000 (major units).
    mutating func saleAmount(unit: Int64) -> Int64 {
        let r = rng.int(0...99)
        let major = r < 70 ? rng.int(12...150) : r < 95 ? rng.int(150...800) : rng.int(800...3_000)
        var minor = Int64(major) * unit
        if unit >= 100 {
            switch rng.int(0...9) {
            case 0...5: break
            case 6...7: minor += unit / 2
            default: minor += Int64(rng.int(1...99)) * unit / 100
            }
        }
        return minor
    }

    /// A masked card number (first 6, last 4); QR payments have none.
    mutating func cardNumber(_ kind: CardKind) -> String {
        let debit = ["622848", "621700", "622202", "621483", "623668", "621226"]
        let credit = ["622588", "625807", "436742", "518710", "622689", "625965"]
        let bins: [String]
        switch kind {
        case .debit: bins = debit
        case .credit: bins = credit
        case .qr, .other: return ""
        }
        let length = kind == .debit && rng.int(0...2) == 0 ? 19 : 16
        return bins[rng.int(0...(bins.count - 1))] + String(repeating: "*", count: length - 10) + Self.digits(rng.int(0...9999), 4)
    }

    // MARK: - Payouts

    /// Moves every payout whose time has come: scheduled at its close, processing in its
    /// window, then paid (or its story), holds opened and released.
    mutating func advancePayouts(now: Instant, into out: inout FeedOutput, batch: inout FeedBatch) {
        for k in payouts.keys.sorted() {
            guard var p = payouts[k] else { continue }
            if p.phase == .open {
                guard now >= p.closesAt else { continue }
                if p.lines.isEmpty && p.resumedExpected == nil { payouts[k] = nil; continue }
                open(&p)
            }
            let finished = move(&p, now: now, into: &out, batch: &batch)
            payouts[k] = finished ? nil : p
        }
    }

    func processing(_ p: FeedPayout) -> Instant { p.processingAt ?? p.closesAt }

    /// Turns a closed batch into a payout on its way, deciding its times and story.
    mutating func open(_ p: inout FeedPayout) {
        p.phase = .moving
        let policy = rules.policy(for: shops.first { $0.merchant.merchantId == p.merchantId }?.merchant, currency: p.currency)
        switch p.route {
        case .cycle:
            let processing = max(p.arrival, p.closesAt)
            p.processingAt = processing
            let windowMinutes = max(20, (policy.creditWindow.end.minuteOfDay - policy.creditWindow.start.minuteOfDay))
            p.paidAt = processing.adding(minutes: Int64(rng.int(10...min(150, windowMinutes - 10))))
        case .d0:
            p.processingAt = p.closesAt
            p.paidAt = p.closesAt.adding(seconds: Int64(rng.int(30...180)))
        }
        guard options.stories, !p.storyDecided else { return }
        p.storyDecided = true
        guard rng.int(0...99) < options.storyPercent else { return }
        // The kinds take turns, so a short run shows each of them.
        var kinds: [FeedPayout.Story?] = [nil, .held, .stuck]
        if p.route == .cycle { kinds.append(.returned) }
        let sales = p.lines.filter { $0.kind == .transaction && $0.amount > 0 && $0.rrn != nil }
        if let biggest = sales.max(by: { $0.amount < $1.amount }), let rrn = biggest.rrn {
            let unit = Self.unit(p.currency)
            let held = min(biggest.amount / unit * unit, p.expected)
            if held > 0 { kinds[0] = .riskHold(rrn: rrn, amount: held) }
        }
        let available = kinds.compactMap { $0 }
        p.story = available[storyTurn % available.count]
        storyTurn += 1
        let holdMinutes = p.route == .d0 ? rng.int(10...25) : rng.int(120...300)
        switch p.story {
        case .stuck:
            let late = policy.payoutLateAfter(cycleDate: p.cycleDate, expectedArrival: p.arrival)
            p.paidAt = late.adding(minutes: Int64(rng.int(20...90)))
        case .held:
            p.releaseAt = processing(p).adding(minutes: Int64(holdMinutes))
        case .riskHold:
            p.releaseAt = (p.paidAt ?? p.closesAt).adding(minutes: Int64(holdMinutes))
        case .returned, nil:
            break
        }
    }

    /// Writes the payout's state at `now`. True when nothing more will happen to it.
    mutating func move(_ p: inout FeedPayout, now: Instant, into out: inout FeedOutput, batch: inout FeedBatch) -> Bool {
        guard let processingAt = p.processingAt, let paidAt = p.paidAt else { return true }
        var status: PayoutStatus = p.route == .d0 ? .processing : .scheduled
        var paid: Int64?
        var credited: Instant?
        var failure: String?
        var done = false
        if now >= processingAt { status = .processing }
        switch p.story {
        case nil, .stuck:
            if now >= paidAt { status = .paid; paid = p.expected; credited = paidAt; done = true }
        case .returned:
            if now >= paidAt { status = .returned; failure = "户名与账号不符"; done = true }
        case .held:
            if now >= processingAt, let releaseAt = p.releaseAt {
                let hold = FeedHold(merchantId: p.merchantId, ref: "HD-" + p.ref, kind: .riskReview, amount: p.expected,
                                    currency: p.currency, rrn: nil, payoutRef: p.ref, openedAt: processingAt,
                                    reason: "延迟结算：交易核实中 settlement delayed: transactions under verification")
                openHold(&p, hold, into: &out, batch: &batch)
                if now >= releaseAt {
                    out.hold(hold, released: releaseAt, stamp: stamp)
                    batch.holdsReleased += 1
                    status = .paid; paid = p.expected; credited = releaseAt; done = true
                } else {
                    status = .held; failure = "RISK_REVIEW 延迟结算 settlement delayed"
                }
            }
        case .riskHold(let rrn, let amount):
            if now >= paidAt, let releaseAt = p.releaseAt {
                let hold = FeedHold(merchantId: p.merchantId, ref: "HD-" + p.ref, kind: .riskReview, amount: amount,
                                    currency: p.currency, rrn: rrn, payoutRef: p.ref, openedAt: paidAt,
                                    reason: "风控调单：请提供交易小票 risk review: provide the sales slip")
                if !p.holdWritten {
                    writeLines(&p, into: &out)
                    p.writtenLines += 1
                    out.item(p.merchantId, p.ref, p.writtenLines, .hold, -amount, p.currency, rrn: rrn, note: "风控调单 risk review")
                }
                openHold(&p, hold, into: &out, batch: &batch)
                status = .partial; paid = p.expected - amount; credited = paidAt
                if now >= releaseAt {
                    out.hold(hold, released: releaseAt, stamp: stamp)
                    batch.holdsReleased += 1
                    let ref = p.ref + "-R"
                    out.item(p.merchantId, ref, 1, .release, amount, p.currency, rrn: rrn, note: "调单暂扣释放 hold released")
                    out.payoutRow(merchantId: p.merchantId, ref: ref, cycleDate: LocalDateTime(releaseAt, in: zone).date,
                                  expected: amount, paid: amount, currency: p.currency, status: .paid, arrival: releaseAt,
                                  credited: releaseAt, bankRef: bankRef(releaseAt), failure: nil, stamp: stamp)
                    batch.payouts[.paid, default: 0] += 1
                    done = true
                }
            }
        }
        writeLines(&p, into: &out)
        if p.written != status {
            out.payoutRow(merchantId: p.merchantId, ref: p.ref, cycleDate: p.cycleDate, expected: p.expected, paid: paid,
                          currency: p.currency, status: status, arrival: p.arrival, credited: credited,
                          bankRef: credited.map { bankRef($0) } ?? (status == .returned ? bankRef(now) : nil),
                          failure: failure, stamp: stamp)
            batch.payouts[status, default: 0] += 1
            p.written = status
        }
        return done
    }

    /// Writes a hold's opening once.
    func openHold(_ p: inout FeedPayout, _ hold: FeedHold, into out: inout FeedOutput, batch: inout FeedBatch) {
        guard !p.holdWritten else { return }
        p.holdWritten = true
        out.hold(hold, released: nil, stamp: stamp)
        batch.holdsOpened += 1
    }

    /// Writes the payout's lines the first time its row is written.
    func writeLines(_ p: inout FeedPayout, into out: inout FeedOutput) {
        guard p.writtenLines == 0, p.resumedExpected == nil else { return }
        for (i, line) in p.itemLines.enumerated() {
            out.item(p.merchantId, p.ref, i + 1, line.kind, line.amount, p.currency, rrn: line.rrn, note: line.note)
        }
        p.writtenLines = p.itemLines.count
    }

    // MARK: - Account reviews

    mutating func accountReviews(from: Instant, now: Instant, into out: inout FeedOutput, batch: inout FeedBatch) {
        for mid in reviews.keys.sorted() {
            guard let until = reviews[mid], now >= until, let i = shops.firstIndex(where: { $0.merchant.merchantId == mid }) else { continue }
            reviews[mid] = nil
            shops[i].accountState = .active
            out.event(mid, .active, at: until, reason: "复核通过，恢复正常结算 review passed: settlement resumed", stamp: stamp)
            batch.accountEvents += 1
        }
        let elapsed = max(0, now.epochMillis - from.epochMillis)
        // About one review every `reviewMinutes` (at most every other tick when the clock jumps).
        let chance = min(0.5, Double(elapsed) / Double(options.reviewMinutes * 60_000))
        guard Double(rng.next() % 1_000_000) / 1_000_000 < chance else { return }
        let candidates = shops.indices.filter { shops[$0].accountState == .active && shops[$0].weight > 0 }
        guard !candidates.isEmpty else { return }
        let i = candidates[rng.int(0...(candidates.count - 1))]
        let mid = shops[i].merchant.merchantId
        shops[i].accountState = .underReview
        reviews[mid] = now.adding(minutes: Int64(rng.int(15...40)))
        out.event(mid, .underReview, at: now, reason: "交易量异常，账户复核中 unusual volume: account under review", stamp: stamp)
        batch.accountEvents += 1
    }

    // MARK: - Formatting

    func stamp(_ i: Instant) -> String {
        let l = LocalDateTime(i, in: zone)
        let s = l.secondOfDay
        return l.date.iso + " " + Self.digits(s / 3600, 2) + ":" + Self.digits(s / 60 % 60, 2) + ":" + Self.digits(s % 60, 2)
    }

    mutating func bankRef(_ i: Instant) -> String {
        "B" + Self.compact(LocalDateTime(i, in: zone).date) + Self.digits(rng.int(0...999_999), 6)
    }

    static func compact(_ d: LocalDate) -> String { d.iso.replacingOccurrences(of: "-", with: "") }

    static func digits(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// One major unit in minor units.
    static func unit(_ c: Currency) -> Int64 {
        var u: Int64 = 1
        for _ in 0..<c.minorDigits { u *= 10 }
        return u
    }
}
