/// The working state of one expectation calculation: the trade date (by the policy's
/// one trade-date rule, `SettlementPolicy.tradeDate(of:)`), the routing of the amount
/// (D+0 within the window and quota, else the cycle), each portion's settlement day
/// and credit times, and the fee, reserve and net. The explanation steps it writes
/// along the way are in ExpectationSteps.swift.
struct ExpectationBuilder {
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
    /// Whether to write the explanation steps (a stored state needs none of them).
    var words = true

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

    /// A part of the gross with its route and its credit times, before fee and reserve
    /// are shared out.
    typealias RoutedAmount = (route: SettlementPortion.Route, amount: Money, timing: Timing)

    mutating func build(d0UsedToday: Money) throws(MoneyError) -> SettlementExpectation {
        if rolledOver { flags.insert(.cutoffRollover) }
        addTradeDateStep()
        let split = try routeAmounts(d0UsedToday: d0UsedToday)
        let routed = timeRoutes(split)
        addNoDataSteps()
        for (route, _, t) in routed { addCreditStep(route, t) }
        let fee = try feeBreakdown(d0Part: split.d0)
        let reserve = try reserveHoldback()
        let net = try gross.subtracting(fee.total).subtracting(reserve)
        addMoneySteps(fee: fee, reserve: reserve, net: net)
        let portions = try makePortions(routed, fee: fee, reserve: reserve)
        let last = portions[portions.count - 1]
        return SettlementExpectation(
            occurredAt: occurredAt, local: local, tradeDate: tradeDate, cycle: policy.cycle, gross: gross, fee: fee,
            reserve: reserve, net: net, portions: portions, settlementDay: last.settlementDay,
            expectedCredit: last.expectedCredit, dueBy: last.dueBy, lateAfter: last.lateAfter, flags: flags,
            yearsWithoutData: missingYears.sorted(), steps: steps)
    }

    // MARK: D+0 routing

    /// The part settling D+0 and the rest (all of it when the policy is not D+0).
    struct Split { var d0: Money; var rest: Money }

    /// Splits the gross between D+0 and the cycle: only sales inside the D+0 window go
    /// D+0, as far as the day's quota (less `d0UsedToday`) allows.
    mutating func routeAmounts(d0UsedToday: Money) throws(MoneyError) -> Split {
        let zero = Money.zero(gross.currency)
        guard policy.cycle == .d0 else { return Split(d0: zero, rest: gross) }
        guard gross.minor > 0 else {
            addD0SalesOnlyStep()
            return Split(d0: zero, rest: gross)
        }
        guard policy.d0Window.contains(secondOfDay: local.secondOfDay) else {
            flags.insert(.d0OutsideWindow)
            addD0OutsideWindowStep()
            return Split(d0: zero, rest: gross)
        }
        let left = try policy.d0DailyQuota.subtracting(d0UsedToday)
        let remaining = left.isNegative ? zero : left
        let d0 = gross < remaining ? gross : remaining
        let rest = try gross.subtracting(d0)
        if !rest.isZero { flags.insert(.d0Quota) }
        addD0QuotaStep(usedToday: d0UsedToday, d0: d0, rest: rest)
        return Split(d0: d0, rest: rest)
    }

    /// The routes of a split with their credit times: the D+0 part (when any), then the
    /// rest by the cycle (T+1 under a D+0 policy), which is there even when zero if
    /// there is no D+0 part.
    mutating func timeRoutes(_ split: Split) -> [RoutedAmount] {
        var routed: [RoutedAmount] = []
        if !split.d0.isZero {
            routed.append((.d0, split.d0, d0Timing()))
        }
        if !split.rest.isZero || routed.isEmpty {
            let route: SettlementPortion.Route = policy.cycle == .d0 ? .t1Fallback : .cycle
            let cycle: SettlementPolicy.Cycle = policy.cycle == .d0 ? .t(1) : policy.cycle
            routed.append((route, split.rest, cycleTiming(cycle)))
        }
        return routed
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

    /// The settlement day and the naive day of a cycle, with its explanation steps.
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
            addCalendarDayStep(n, day)
            return (day, day)
        case .d0:
            return (local.date, local.date)
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

    /// The portions with their shares of fee and reserve. The D+0 portion carries the
    /// whole D+0 surcharge; the base fee and the reserve are shared in proportion to
    /// the gross, rounded half away from zero, the last portion taking the remainder
    /// so the portions sum exactly to the whole.
    func makePortions(_ routed: [RoutedAmount], fee: FeeBreakdown,
                      reserve: Money) throws(MoneyError) -> [SettlementPortion] {
        let baseFee = try fee.total.subtracting(fee.d0Surcharge)
        var feeLeft = baseFee
        var reserveLeft = reserve
        var out: [SettlementPortion] = []
        for (i, (route, amount, t)) in routed.enumerated() {
            let isLast = i == routed.count - 1
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
