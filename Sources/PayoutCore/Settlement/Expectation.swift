import Foundation

// MARK: - Result types

/// A fact the engine found while computing an expectation, for diagnosis (§5).
public enum ExpectationFlag: String, Hashable, Sendable, CaseIterable, Comparable {
    /// A weekend or holiday pushed the settlement day later than the naive date
    /// (trade date + N calendar days).
    case calendarShift = "CALENDAR_SHIFT"
    /// Traded at or after the cutoff: the trade date is the next day.
    case cutoffRollover = "CUTOFF_ROLLOVER"
    /// D+0 quota ran out: part or all of the amount falls back to T+1.
    case d0Quota = "D0_QUOTA"
    /// Traded outside the D+0 window: the amount falls back to T+1.
    case d0OutsideWindow = "D0_OUTSIDE_WINDOW"
    /// A date used lies in a year the calendar has no holiday data for.
    case noHolidayData = "NO_HOLIDAY_DATA"

    public static func < (a: ExpectationFlag, b: ExpectationFlag) -> Bool { a.rawValue < b.rawValue }
}

/// One line of an explanation, in English and Chinese.
public struct ExplanationStep: Hashable, Sendable, CustomStringConvertible {
    /// What the step is about.
    public enum Kind: String, Hashable, Sendable {
        case tradeDate, d0, cycle, makeUpDay, noHolidayData, creditWindow, fee, reserve, net
    }

    public let kind: Kind
    public let en: String
    public let zh: String

    public init(_ kind: Kind, en: String, zh: String) {
        self.kind = kind
        self.en = en
        self.zh = zh
    }

    public var description: String { en }
}

/// Where "now" stands against an expected credit.
public enum CreditTiming: String, Hashable, Sendable {
    /// Before the expected credit time.
    case notYetDue
    /// From the expected credit time through "due by".
    case inWindow
    /// After "due by", within the grace period.
    case inGrace
    /// After "due by" plus grace: late if the money has not arrived.
    case late
}

/// A part of a transaction's money that settles on one day by one route.
///
/// Times: money is expected from `expectedCredit` (the settlement day at the start of
/// the credit window; for D+0 the trade instant itself), is due by `dueBy` (the
/// settlement day at the end of the window; for D+0 the end of the D+0 window), and
/// is late when it has not arrived after `lateAfter` (`dueBy` plus the grace).
public struct SettlementPortion: Hashable, Sendable {
    /// How the portion settles.
    public enum Route: String, Hashable, Sendable {
        /// By the policy's own T+N or D+N cycle.
        case cycle
        /// Same day, D+0.
        case d0
        /// The part of a D+0 transaction that fell back to T+1.
        case t1Fallback
    }

    public let route: Route
    public let gross: Money
    /// This portion's share of the fee (the whole D+0 surcharge stays with the D+0 part).
    public let fee: Money
    public let reserve: Money
    public let net: Money
    public let settlementDay: LocalDate
    /// Trade date + N calendar days: where the money would land with no calendar.
    public let naiveDay: LocalDate
    public let expectedCredit: Instant
    public let dueBy: Instant
    public let lateAfter: Instant

    /// Where `now` stands against this portion's credit times.
    public func timing(at now: Instant) -> CreditTiming {
        if now < expectedCredit { return .notYetDue }
        if now <= dueBy { return .inWindow }
        if now <= lateAfter { return .inGrace }
        return .late
    }
}

/// How the fee of one transaction is made up.
public struct FeeBreakdown: Hashable, Sendable {
    public let cardKind: CardKind
    public let ratePPM: Int64
    /// Gross × rate, before the cap.
    public let ratePart: Money
    /// The cap that applied, when the rate part exceeded it.
    public let appliedCap: Money?
    public let fixed: Money
    public let d0SurchargePPM: Int64
    /// The D+0 surcharge on the D+0 part.
    public let d0Surcharge: Money
    /// min(rate part, cap) + fixed + D+0 surcharge.
    public let total: Money
}

/// When and how much money a transaction should bring, and why.
///
/// Computed by `SettlementExpectation.compute`: the trade date from the cutoff, one or two
/// portions (D+0 with a T+1 fallback) each with its settlement day and credit
/// times, the fee, reserve and net, flags for diagnosis, and an explanation.
public struct SettlementExpectation: Hashable, Sendable {
    public let occurredAt: Instant
    /// The trade's wall-clock time in the policy's zone.
    public let local: LocalDateTime
    public let tradeDate: LocalDate
    public let cycle: SettlementPolicy.Cycle
    public let gross: Money
    public let fee: FeeBreakdown
    public let reserve: Money
    /// gross − fee − reserve.
    public let net: Money
    /// One portion, or a D+0 portion followed by its T+1 fallback.
    public let portions: [SettlementPortion]
    /// The last portion's settlement day (when all the money should be in).
    public let settlementDay: LocalDate
    public let expectedCredit: Instant
    public let dueBy: Instant
    public let lateAfter: Instant
    public let flags: Set<ExpectationFlag>
    /// Years the calculation touched that the calendar has no holiday data for.
    public let yearsWithoutData: [Int]
    public let steps: [ExplanationStep]

    /// Whether the engine raised `flag`.
    public func has(_ flag: ExpectationFlag) -> Bool { flags.contains(flag) }

    /// Where `now` stands against the last portion's credit times.
    public func timing(at now: Instant) -> CreditTiming {
        portions.last?.timing(at: now) ?? .notYetDue
    }

    /// The part settling D+0 (zero when none).
    public var d0Amount: Money {
        portions.first(where: { $0.route == .d0 })?.gross ?? .zero(gross.currency)
    }
}

/// Why an expectation or an inflow split could not be computed.
public struct SettlementError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        case currencyMismatch, overflow, negativeAmount, tooLong
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }

    static func wrap(_ e: MoneyError) -> SettlementError {
        SettlementError(e.code == .currencyMismatch ? .currencyMismatch : .overflow, e.description)
    }
}

// MARK: - Computing an expectation

extension SettlementExpectation {
    /// Computes when and how much a transaction should settle.
    ///
    /// - Parameters:
    ///   - occurredAt: when the transaction happened.
    ///   - amount: signed gross (refunds negative); in the policy's currency.
    ///   - d0UsedToday: D+0 quota already used on the transaction's local day (only
    ///     read for a D+0 policy).
    ///
    /// Refunds and other non-positive amounts carry no fee or reserve and settle by
    /// the cycle (T+1 under a D+0 policy).
    public static func compute(occurredAt: Instant, amount: Money, cardKind: CardKind, policy: SettlementPolicy,
                               calendar: SettlementCalendar, d0UsedToday: Money? = nil) throws(SettlementError) -> SettlementExpectation {
        guard amount.currency == policy.currency else {
            throw SettlementError(.currencyMismatch, "amount in \(amount.currency.code), policy in \(policy.currency.code)")
        }
        var b = ExpectationBuilder(policy: policy, calendar: calendar, occurredAt: occurredAt, gross: amount, cardKind: cardKind)
        do throws(MoneyError) {
            return try b.build(d0UsedToday: d0UsedToday ?? .zero(policy.currency))
        } catch {
            throw SettlementError.wrap(error)
        }
    }

    /// Computes the expectation of one transaction.
    public static func compute(for txn: Transaction, policy: SettlementPolicy, calendar: SettlementCalendar,
                               d0UsedToday: Money? = nil) throws(SettlementError) -> SettlementExpectation {
        try compute(occurredAt: txn.occurredAt, amount: txn.amount, cardKind: txn.cardKind, policy: policy,
                    calendar: calendar, d0UsedToday: d0UsedToday)
    }

    /// Computes the expectations of many transactions, in the order given, tracking
    /// the D+0 quota used per local day in time order.
    public static func computeAll(_ txns: [Transaction], policy: SettlementPolicy,
                                  calendar: SettlementCalendar) throws(SettlementError) -> [SettlementExpectation] {
        let order = txns.indices.sorted { (txns[$0].occurredAt, $0) < (txns[$1].occurredAt, $1) }
        var used: [LocalDate: Money] = [:]
        var out = [SettlementExpectation?](repeating: nil, count: txns.count)
        for i in order {
            let txn = txns[i]
            let day = LocalDateTime(txn.occurredAt, in: policy.timeZone).date
            let e = try compute(for: txn, policy: policy, calendar: calendar, d0UsedToday: used[day])
            if !e.d0Amount.isZero {
                do throws(MoneyError) {
                    used[day] = try (used[day] ?? .zero(policy.currency)).adding(e.d0Amount)
                } catch {
                    throw SettlementError.wrap(error)
                }
            }
            out[i] = e
        }
        return out.compactMap { $0 }
    }
}

/// The working state of one expectation calculation.
private struct ExpectationBuilder {
    let policy: SettlementPolicy
    let calendar: SettlementCalendar
    let occurredAt: Instant
    let gross: Money
    let cardKind: CardKind
    let local: LocalDateTime
    let tradeDate: LocalDate
    let rolledOver: Bool
    var flags: Set<ExpectationFlag> = []
    var missingYears: Set<Int> = []
    var steps: [ExplanationStep] = []

    init(policy: SettlementPolicy, calendar: SettlementCalendar, occurredAt: Instant, gross: Money, cardKind: CardKind) {
        self.policy = policy
        self.calendar = calendar
        self.occurredAt = occurredAt
        self.gross = gross
        self.cardKind = cardKind
        let local = LocalDateTime(occurredAt, in: policy.timeZone)
        self.local = local
        self.rolledOver = policy.isAfterCutoff(local)
        self.tradeDate = policy.tradeDate(of: local)
    }

    /// A date as "10-08" when in the trade's year, else "2027-01-04".
    func short(_ d: LocalDate) -> String { d.year == local.date.year ? d.monthDay : d.iso }

    /// A local time of an instant as "10-08 20:00" (or with the year when it differs).
    func shortTime(_ i: Instant) -> String {
        let l = LocalDateTime(i, in: policy.timeZone)
        return "\(short(l.date)) \(l.time)"
    }

    mutating func build(d0UsedToday: Money) throws(MoneyError) -> SettlementExpectation {
        addTradeDateStep()
        let split = try routeAmounts(d0UsedToday: d0UsedToday)
        var timings: [(SettlementPortion.Route, Money, Timing)] = []
        if !split.d0.isZero {
            timings.append((.d0, split.d0, d0Timing()))
        }
        if !split.rest.isZero || timings.isEmpty {
            let route: SettlementPortion.Route = policy.cycle == .d0 ? .t1Fallback : .cycle
            let cycle: SettlementPolicy.Cycle = policy.cycle == .d0 ? .t(1) : policy.cycle
            timings.append((route, split.rest, cycleTiming(cycle)))
        }
        addNoDataSteps()
        for (route, _, t) in timings { addCreditStep(route, t) }
        let fee = try feeBreakdown(d0Part: split.d0)
        let reserve = try reserveHoldback()
        let net = try gross.subtracting(fee.total).subtracting(reserve)
        addMoneySteps(fee: fee, reserve: reserve, net: net)
        let portions = try makePortions(timings, fee: fee, reserve: reserve)
        let last = portions[portions.count - 1]
        return SettlementExpectation(
            occurredAt: occurredAt, local: local, tradeDate: tradeDate, cycle: policy.cycle, gross: gross, fee: fee,
            reserve: reserve, net: net, portions: portions, settlementDay: last.settlementDay,
            expectedCredit: last.expectedCredit, dueBy: last.dueBy, lateAfter: last.lateAfter, flags: flags,
            yearsWithoutData: missingYears.sorted(), steps: steps)
    }

    // MARK: Trade date

    mutating func addTradeDateStep() {
        let at = local.description
        let cut = policy.cutoff
        if rolledOver {
            flags.insert(.cutoffRollover)
            steps.append(ExplanationStep(.tradeDate,
                en: "traded \(at), after the \(cut) cutoff: trade date \(short(tradeDate))",
                zh: "交易时间 \(at)，已过日切时间 \(cut)：交易日顺延为 \(short(tradeDate))"))
        } else if cut.minuteOfDay == 0 {
            steps.append(ExplanationStep(.tradeDate,
                en: "traded \(at): trade date \(short(tradeDate)) (no cutoff)",
                zh: "交易时间 \(at)：交易日为 \(short(tradeDate))（无日切）"))
        } else {
            steps.append(ExplanationStep(.tradeDate,
                en: "traded \(at), before the \(cut) cutoff: trade date \(short(tradeDate))",
                zh: "交易时间 \(at)，早于日切时间 \(cut)：交易日为 \(short(tradeDate))"))
        }
    }

    // MARK: D+0 routing

    /// The part settling D+0 and the rest (all of it when the policy is not D+0).
    struct Split { var d0: Money; var rest: Money }

    mutating func routeAmounts(d0UsedToday: Money) throws(MoneyError) -> Split {
        let zero = Money.zero(gross.currency)
        guard policy.cycle == .d0 else { return Split(d0: zero, rest: gross) }
        let t = local.time
        let window = policy.d0Window
        guard gross.minor > 0 else {
            steps.append(ExplanationStep(.d0,
                en: "D+0 pays out sales only: \(gross.formatted()) nets into T+1",
                zh: "秒到仅适用于消费：\(gross.formatted()) 计入 T+1"))
            return Split(d0: zero, rest: gross)
        }
        guard window.contains(secondOfDay: local.secondOfDay) else {
            flags.insert(.d0OutsideWindow)
            steps.append(ExplanationStep(.d0,
                en: "D+0: traded \(t), outside the \(window) window: all \(gross.formatted()) falls back to T+1",
                zh: "秒到：\(t) 不在 \(window) 秒到时段内：\(gross.formatted()) 全部转 T+1"))
            return Split(d0: zero, rest: gross)
        }
        let quota = policy.d0DailyQuota
        let left = try quota.subtracting(d0UsedToday)
        let remaining = left.isNegative ? zero : left
        let d0 = gross < remaining ? gross : remaining
        let rest = try gross.subtracting(d0)
        let day = short(local.date)
        if rest.isZero {
            steps.append(ExplanationStep(.d0,
                en: "D+0: traded \(t) inside the \(window) window, quota \(quota.formatted()) with \(d0UsedToday.formatted()) used today: \(d0.formatted()) settles the same day \(day)",
                zh: "秒到：\(t) 在 \(window) 秒到时段内，当日额度 \(quota.formatted())、已用 \(d0UsedToday.formatted())：\(d0.formatted()) 当日 \(day) 到账"))
        } else {
            flags.insert(.d0Quota)
            steps.append(ExplanationStep(.d0,
                en: "D+0 quota \(quota.formatted()) with \(d0UsedToday.formatted()) used today: \(d0.formatted()) settles D+0 on \(day), \(rest.formatted()) falls back to T+1",
                zh: "秒到额度 \(quota.formatted())，当日已用 \(d0UsedToday.formatted())：\(d0.formatted()) 当日 \(day) 到账，超出的 \(rest.formatted()) 转 T+1"))
        }
        return Split(d0: d0, rest: rest)
    }

    // MARK: Days and times

    /// A portion's settlement day and credit instants.
    struct Timing { var day: LocalDate; var naive: LocalDate; var expected: Instant; var due: Instant; var late: Instant }

    func at(_ d: LocalDate, _ t: LocalTime) -> Instant { LocalDateTime(date: d, time: t).instant(in: policy.timeZone) }

    func d0Timing() -> Timing {
        let due = at(local.date, policy.d0Window.end)
        return Timing(day: local.date, naive: local.date, expected: occurredAt, due: due,
                      late: due.adding(minutes: Int64(policy.graceMinutes)))
    }

    mutating func cycleTiming(_ cycle: SettlementPolicy.Cycle) -> Timing {
        let (day, naive) = settlementDay(cycle)
        if day > naive { flags.insert(.calendarShift) }
        let w = policy.creditWindow
        let due = at(day, w.end)
        return Timing(day: day, naive: naive, expected: at(day, w.start), due: due,
                      late: due.adding(minutes: Int64(policy.graceMinutes)))
    }

    /// The settlement day and the naive day of a cycle, with its explanation step.
    mutating func settlementDay(_ cycle: SettlementPolicy.Cycle) -> (LocalDate, LocalDate) {
        switch cycle {
        case .t(let n):
            let day = n == 0 ? (calendar.isWorkingDay(tradeDate) ? tradeDate : calendar.nextWorkingDay(after: tradeDate))
                             : calendar.addingWorkingDays(n, to: tradeDate)
            for y in calendar.yearsWithoutData(from: tradeDate, through: day) { missingYears.insert(y) }
            if !missingYears.isEmpty { flags.insert(.noHolidayData) }
            addWorkingDayStep(n, day)
            addMakeUpSteps(through: day)
            return (day, tradeDate.adding(days: n))
        case .d(let n):
            let day = tradeDate.adding(days: n)
            steps.append(ExplanationStep(.cycle,
                en: "D+\(n) -> calendar day \(short(day)) (weekends and holidays count)",
                zh: "D+\(n) -> 自然日 \(short(day))（周末、节假日照常计算）"))
            return (day, day)
        case .d0:
            return (local.date, local.date)
        }
    }

    mutating func addWorkingDayStep(_ n: Int, _ day: LocalDate) {
        let runs = nonWorkingRuns(from: tradeDate, before: day)
        let enRuns = runs.isEmpty ? "" : " (" + runs.map { "\($0.en) \(range($0.from, $0.to))" }.joined(separator: ", ") + ")"
        let zhRuns = runs.isEmpty ? "" : "（" + runs.map { "\($0.zh) \(range($0.from, $0.to))" }.joined(separator: "、") + "）"
        let en: String
        let zh: String
        switch n {
        case 0:
            en = day == tradeDate ? "T+0 -> the trade date \(short(day)), a working day" : "T+0 -> first working day \(short(day))"
            zh = day == tradeDate ? "T+0 -> 交易日当天 \(short(day))（工作日）" : "T+0 -> 首个工作日 \(short(day))"
        case 1:
            en = "T+1 -> next working day \(short(day))"
            zh = "T+1 -> 下一个工作日 \(short(day))"
        default:
            en = "T+\(n) -> working day \(n) after the trade date: \(short(day))"
            zh = "T+\(n) -> 交易日后第 \(n) 个工作日 \(short(day))"
        }
        steps.append(ExplanationStep(.cycle, en: en + enRuns, zh: zh + zhRuns))
    }

    func range(_ a: LocalDate, _ b: LocalDate) -> String { a == b ? short(a) : "\(short(a))..\(short(b))" }

    /// A run of consecutive days off with one reason.
    struct Run { var en: String; var zh: String; var from: LocalDate; var to: LocalDate }

    /// The days off in [from, before), grouped into runs of one reason each.
    func nonWorkingRuns(from: LocalDate, before: LocalDate) -> [Run] {
        var runs: [Run] = []
        var d = from
        while d < before {
            let status = calendar.status(of: d)
            let names: (String, String)?
            switch status {
            case .holiday(let label): names = (label.en, label.zh)
            case .weekend: names = ("weekend", "周末")
            case .working, .makeUpWorkday: names = nil
            }
            if let (en, zh) = names {
                if let last = runs.last, last.en == en, last.to.adding(days: 1) == d {
                    runs[runs.count - 1].to = d
                } else {
                    runs.append(Run(en: en, zh: zh, from: d, to: d))
                }
            }
            d = d.adding(days: 1)
        }
        return runs
    }

    /// One step per make-up working day in (trade date, day].
    mutating func addMakeUpSteps(through day: LocalDate) {
        var d = tradeDate.adding(days: 1)
        while d <= day {
            if case .makeUpWorkday(let label) = calendar.status(of: d) {
                steps.append(ExplanationStep(.makeUpDay,
                    en: "\(short(d)) is a make-up working day (\(label.en))",
                    zh: "\(short(d)) 为调休工作日（\(label.zh)）"))
            }
            d = d.adding(days: 1)
        }
    }

    mutating func addNoDataSteps() {
        for y in missingYears.sorted() {
            steps.append(ExplanationStep(.noHolidayData,
                en: "no holiday data for \(y): assuming weekends only",
                zh: "无 \(y) 年节假日数据：仅按周末推算"))
        }
    }

    mutating func addCreditStep(_ route: SettlementPortion.Route, _ t: Timing) {
        let grace = policy.graceMinutes
        if route == .d0 {
            steps.append(ExplanationStep(.creditWindow,
                en: "D+0 credit expected right away, due by \(shortTime(t.due)); late after \(shortTime(t.late)) (grace \(grace) min)",
                zh: "秒到资金应即时到账，最晚 \(shortTime(t.due))；超过 \(shortTime(t.late)) 视为延迟（宽限 \(grace) 分钟）"))
        } else {
            let w = policy.creditWindow
            steps.append(ExplanationStep(.creditWindow,
                en: "credit window \(w) on \(short(t.day)); late after \(shortTime(t.late)) (grace \(grace) min)",
                zh: "入账时段 \(short(t.day)) \(w)；超过 \(shortTime(t.late)) 视为延迟（宽限 \(grace) 分钟）"))
        }
    }

    // MARK: Money

    /// gross × reserve rate; nothing for refunds and reversals.
    func reserveHoldback() throws(MoneyError) -> Money {
        guard gross.minor > 0 else { return .zero(gross.currency) }
        return try gross.applying(ratePPM: policy.reservePPM)
    }

    func feeBreakdown(d0Part: Money) throws(MoneyError) -> FeeBreakdown {
        let rule = policy.fees[cardKind]
        let zero = Money.zero(gross.currency)
        guard gross.minor > 0 else {
            return FeeBreakdown(cardKind: cardKind, ratePPM: rule.ratePPM, ratePart: zero, appliedCap: nil, fixed: zero,
                                d0SurchargePPM: policy.d0SurchargePPM, d0Surcharge: zero, total: zero)
        }
        let ratePart = try gross.applying(ratePPM: rule.ratePPM)
        var base = ratePart
        var appliedCap: Money?
        if let cap = rule.cap, cap < ratePart {
            base = cap
            appliedCap = cap
        }
        let fixed = rule.fixed ?? zero
        let surcharge = try d0Part.applying(ratePPM: policy.d0SurchargePPM)
        let total = try base.adding(fixed).adding(surcharge)
        return FeeBreakdown(cardKind: cardKind, ratePPM: rule.ratePPM, ratePart: ratePart, appliedCap: appliedCap,
                            fixed: fixed, d0SurchargePPM: policy.d0SurchargePPM, d0Surcharge: surcharge, total: total)
    }

    mutating func addMoneySteps(fee: FeeBreakdown, reserve: Money, net: Money) {
        let g = gross.formatted()
        if gross.minor <= 0 {
            steps.append(ExplanationStep(.fee,
                en: "no fee on a refund or reversal (\(g))",
                zh: "退款/冲正不计手续费（\(g)）"))
        } else {
            var en = "fee \(cardKind.rawValue) \(percent(fee.ratePPM)) of \(g) = \(fee.ratePart.formatted())"
            var zh = "手续费 \(cardKind.zhName) \(percent(fee.ratePPM)) × \(g) = \(fee.ratePart.formatted())"
            if let cap = fee.appliedCap {
                en += ", capped at \(cap.formatted())"
                zh += "，封顶 \(cap.formatted())"
            }
            if !fee.fixed.isZero {
                en += ", plus fixed \(fee.fixed.formatted())"
                zh += "，另加固定 \(fee.fixed.formatted())"
            }
            steps.append(ExplanationStep(.fee, en: en, zh: zh))
        }
        if !fee.d0Surcharge.isZero {
            let part = (fee.d0Surcharge, percent(fee.d0SurchargePPM))
            steps.append(ExplanationStep(.fee,
                en: "D+0 surcharge \(part.1) of the D+0 part = \(part.0.formatted())",
                zh: "秒到加收 \(part.1)（按秒到部分）= \(part.0.formatted())"))
        }
        if !reserve.isZero {
            steps.append(ExplanationStep(.reserve,
                en: "reserve \(percent(policy.reservePPM)) held back: \(reserve.formatted())",
                zh: "保证金留存 \(percent(policy.reservePPM))：\(reserve.formatted())"))
        }
        let r = reserve.isZero ? ("", "") : (" - reserve \(reserve.formatted())", " - 保证金 \(reserve.formatted())")
        steps.append(ExplanationStep(.net,
            en: "expected net \(g) - fee \(fee.total.formatted())\(r.0) = \(net.formatted())",
            zh: "预计净额 \(g) - 手续费 \(fee.total.formatted())\(r.1) = \(net.formatted())"))
    }

    /// The portions with their shares of fee and reserve. The D+0 portion carries the
    /// whole D+0 surcharge; the base fee and the reserve are shared in proportion to
    /// the gross, rounded half away from zero, the last portion taking the remainder
    /// so the portions sum exactly to the whole.
    func makePortions(_ timings: [(SettlementPortion.Route, Money, Timing)], fee: FeeBreakdown,
                      reserve: Money) throws(MoneyError) -> [SettlementPortion] {
        let baseFee = try fee.total.subtracting(fee.d0Surcharge)
        var feeLeft = baseFee
        var reserveLeft = reserve
        var out: [SettlementPortion] = []
        for (i, (route, amount, t)) in timings.enumerated() {
            let isLast = i == timings.count - 1
            let feeShare = isLast ? feeLeft : share(baseFee, amount)
            let reserveShare = isLast ? reserveLeft : share(reserve, amount)
            feeLeft = try feeLeft.subtracting(feeShare)
            reserveLeft = try reserveLeft.subtracting(reserveShare)
            let portionFee = try feeShare.adding(route == .d0 ? fee.d0Surcharge : .zero(amount.currency))
            let net = try amount.subtracting(portionFee).subtracting(reserveShare)
            out.append(SettlementPortion(route: route, gross: amount, fee: portionFee, reserve: reserveShare, net: net,
                                         settlementDay: t.day, naiveDay: t.naive, expectedCredit: t.expected,
                                         dueBy: t.due, lateAfter: t.late))
        }
        return out
    }

    /// whole × part / gross, rounded half away from zero; exact for any Int64 inputs
    /// with 0 ≤ part ≤ gross.
    func share(_ whole: Money, _ part: Money) -> Money {
        guard gross.minor > 0, part.minor > 0, whole.minor > 0 else { return .zero(whole.currency) }
        let product = whole.minor.magnitude.multipliedFullWidth(by: part.minor.magnitude)
        let divisor = gross.minor.magnitude
        let (q, r) = divisor.dividingFullWidth(product)
        let rounded = r >= divisor - r ? q + 1 : q
        return Money(minor: Int64(rounded), currency: whole.currency)
    }
}

extension CardKind {
    /// The card kind's Chinese name in explanations.
    public var zhName: String {
        switch self {
        case .debit: return "借记卡"
        case .credit: return "贷记卡"
        case .qr: return "扫码"
        case .other: return "其他"
        }
    }
}

/// A rate in parts per million as a percent with 2 to 4 decimals: 6000 -> "0.60%".
func percent(_ ppm: Int64) -> String { SettlementPolicy.percentText(ppm: ppm) }

extension SettlementPolicy {
    /// A rate in parts per million as a percent with 2 to 4 decimals: 6000 -> "0.60%".
    public static func percentText(ppm: Int64) -> String {
    let sign = ppm < 0 ? "-" : ""
    let m = ppm.magnitude
    var frac = String(m % 10_000)
    frac = String(repeating: "0", count: 4 - frac.count) + frac
    while frac.count > 2 && frac.hasSuffix("0") { frac.removeLast() }
    return "\(sign)\(m / 10_000).\(frac)%"
    }
}

// MARK: - Receiving limits

/// An amount due to reach the settlement account on a day (a payout, by reference).
public struct InflowDue: Hashable, Sendable {
    public let ref: String
    public let date: LocalDate
    public let amount: Money

    public init(ref: String, date: LocalDate, amount: Money) {
        self.ref = ref
        self.date = date
        self.amount = amount
    }
}

/// A part of a due amount credited on one day.
public struct InflowCredit: Hashable, Sendable {
    public let ref: String
    public let dueDate: LocalDate
    public let date: LocalDate
    public let amount: Money

    /// Whether the limit pushed this part past its due date.
    public var isCarriedOver: Bool { date > dueDate }
}

/// What happened on one day of inflow.
public struct InflowDay: Hashable, Sendable {
    public let date: LocalDate
    /// Amounts first due this day.
    public let due: Money
    /// Amounts carried over from earlier days and retried this day.
    public let carriedIn: Money
    public let credited: Money
    /// What is left of due + carriedIn for a later day.
    public let carriedOut: Money
}

/// How due amounts reach an account with a daily inflow limit.
public struct InflowPlan: Hashable, Sendable {
    /// Every credited part, by day, oldest due first within a day.
    public let credits: [InflowCredit]
    /// Every day that saw a due amount or a retry.
    public let days: [InflowDay]
    /// Years of retry days the calendar had no holiday data for.
    public let yearsWithoutData: [Int]

    /// The parts of one reference, in date order.
    public func credits(for ref: String) -> [InflowCredit] { credits.filter { $0.ref == ref } }
}

/// Which days carried-over money is retried on.
public enum CarryOverDays: Hashable, Sendable {
    /// Every calendar day (D+N and D+0 products pay every day).
    case calendarDays
    /// Working days of the calendar (T+N payouts run on working days only).
    case workingDays(SettlementCalendar)
}

extension SettlementPolicy {
    /// The days carried-over inflow is retried on under this policy's cycle: working
    /// days for T+N, calendar days for D+N and D+0.
    public func carryOverDays(calendar: SettlementCalendar) -> CarryOverDays {
        if case .t = cycle { return .workingDays(calendar) }
        return .calendarDays
    }
}

/// The split of payouts by an account's daily inflow limit (二类户 10,000 a day).
public enum ReceivingLimit {
    /// The most days a split may run before it is refused as unreasonable.
    public static let maxDays = 3660

    /// Splits amounts due per day into what each day can credit and what carries over.
    ///
    /// The limit counts per calendar day of inflow. Each due amount is credited on its
    /// own date as far as the day's limit allows; the rest is retried on the next
    /// retry day (`carryOver`), oldest due first, until all is credited. A due date
    /// that is not a retry day (a Saturday under working days) still credits its own
    /// amount; carried-over money waits for a retry day. With no limit every amount is
    /// credited on its due date.
    public static func split(_ dues: [InflowDue], dailyLimit: Money?, carryOver: CarryOverDays,
                             currency: Currency) throws(SettlementError) -> InflowPlan {
        for d in dues {
            guard d.amount.currency == currency else {
                throw SettlementError(.currencyMismatch, "\(d.ref): amount in \(d.amount.currency.code), limit in \(currency.code)")
            }
            guard !d.amount.isNegative else {
                throw SettlementError(.negativeAmount, "\(d.ref): a due inflow cannot be negative (\(d.amount))")
            }
        }
        if let limit = dailyLimit {
            guard limit.currency == currency else {
                throw SettlementError(.currencyMismatch, "limit in \(limit.currency.code), dues in \(currency.code)")
            }
            guard limit.minor > 0 else { throw SettlementError(.negativeAmount, "the daily inflow limit must be more than zero") }
        }
        var run = InflowRun(dues: dues.filter { !$0.amount.isZero }, limit: dailyLimit, carryOver: carryOver, currency: currency)
        return try run.plan()
    }
}

/// The day-by-day walk of an inflow split.
private struct InflowRun {
    struct Pending { let ref: String; let dueDate: LocalDate; var left: Int64 }

    let dues: [InflowDue]
    let limit: Money?
    let carryOver: CarryOverDays
    let currency: Currency
    var credits: [InflowCredit] = []
    var days: [InflowDay] = []
    var missingYears: Set<Int> = []

    init(dues: [InflowDue], limit: Money?, carryOver: CarryOverDays, currency: Currency) {
        // Stable sort by date keeps the given order within a day.
        self.dues = dues.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        self.limit = limit
        self.carryOver = carryOver
        self.currency = currency
    }

    func isRetryDay(_ d: LocalDate) -> Bool {
        switch carryOver {
        case .calendarDays: return true
        case .workingDays(let cal): return cal.isWorkingDay(d)
        }
    }

    func nextRetryDay(after d: LocalDate) -> LocalDate {
        switch carryOver {
        case .calendarDays: return d.adding(days: 1)
        case .workingDays(let cal): return cal.nextWorkingDay(after: d)
        }
    }

    mutating func plan() throws(SettlementError) -> InflowPlan {
        var carried: [Pending] = []
        var next = 0
        var day = dues.first?.date
        var steps = 0
        while let today = day {
            steps += 1
            guard steps <= ReceivingLimit.maxDays else {
                throw SettlementError(.tooLong, "the inflow limit would spread these payouts over more than \(ReceivingLimit.maxDays) days")
            }
            var fresh: [Pending] = []
            while next < dues.count && dues[next].date == today {
                fresh.append(Pending(ref: dues[next].ref, dueDate: today, left: dues[next].amount.minor))
                next += 1
            }
            let retrying = isRetryDay(today)
            carried = try settle(today, fresh: fresh, carried: carried, retrying: retrying)
            let nextDue = next < dues.count ? dues[next].date : nil
            let nextRetry = carried.isEmpty ? nil : nextRetryDay(after: today)
            if let nextRetry, case .workingDays(let cal) = carryOver {
                missingYears.formUnion(cal.yearsWithoutData(from: today, through: nextRetry))
            }
            day = [nextDue, nextRetry].compactMap { $0 }.min()
        }
        return InflowPlan(credits: credits, days: days, yearsWithoutData: missingYears.sorted())
    }

    /// Credits one day: carried-over money first (when the day is a retry day), then
    /// the day's own dues, up to the limit. Returns what is still pending.
    mutating func settle(_ today: LocalDate, fresh: [Pending], carried: [Pending], retrying: Bool) throws(SettlementError) -> [Pending] {
        let queue = (retrying ? carried : []) + fresh
        var capacity = limit?.minor ?? Int64.max
        var left: [Pending] = retrying ? [] : carried
        var credited: Int64 = 0
        for var p in queue {
            let take = min(p.left, capacity)
            if take > 0 {
                credits.append(InflowCredit(ref: p.ref, dueDate: p.dueDate, date: today, amount: Money(minor: take, currency: currency)))
                capacity -= take
                credited += take
                p.left -= take
            }
            if p.left > 0 { left.append(p) }
        }
        let dueSum = try sum(fresh.map { $0.left })
        let carriedInSum = try sum(retrying ? carried.map { $0.left } : [])
        let (total, o) = dueSum.addingReportingOverflow(carriedInSum)
        guard !o else { throw SettlementError(.overflow, "inflow on \(today.iso) is out of range") }
        days.append(InflowDay(date: today, due: money(dueSum), carriedIn: money(carriedInSum), credited: money(credited),
                              carriedOut: money(total - credited)))
        // Oldest first: unretried carry-over, then leftovers of the queue (carried, then fresh).
        return left
    }

    func money(_ minor: Int64) -> Money { Money(minor: minor, currency: currency) }

    func sum(_ xs: [Int64]) throws(SettlementError) -> Int64 {
        var s: Int64 = 0
        for x in xs {
            let (v, o) = s.addingReportingOverflow(x)
            guard !o else { throw SettlementError(.overflow, "inflow total is out of range") }
            s = v
        }
        return s
    }
}
