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
