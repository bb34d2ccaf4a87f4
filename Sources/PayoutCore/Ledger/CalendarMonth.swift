import Foundation

/// One day of the cash-flow calendar: what kind of day it is and the money of the
/// payouts due to arrive on it, per currency (codes to minor units; never summed
/// across currencies).
public struct CalendarDay: Sendable, Hashable {
    public var date: LocalDate
    /// Working day, weekend, holiday or make-up working day (调休), from the settlement calendar.
    public var status: DayStatus
    /// The expected amounts of every payout due that day.
    public var expected: [String: Int64] = [:]
    /// What reached the bank for them (paid and partly paid payouts).
    public var arrived: [String: Int64] = [:]
    /// The expected amounts of open payouts past their late time.
    public var late: [String: Int64] = [:]
    /// What held payouts keep back (expected less paid).
    public var held: [String: Int64] = [:]
    /// What short and failed payouts did not bring (expected less paid).
    public var short: [String: Int64] = [:]
    /// How many payouts are due that day.
    public var payouts: Int = 0

    public init(date: LocalDate, status: DayStatus) {
        self.date = date
        self.status = status
    }
}

/// A month of the cash-flow calendar: every day of it, first to last.
public struct CalendarMonth: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var days: [CalendarDay]

    public init(year: Int, month: Int, days: [CalendarDay]) {
        self.year = year
        self.month = month
        self.days = days
    }

    /// The first day of the month of `date`.
    public static func firstDay(of date: LocalDate) -> LocalDate {
        LocalDate(year: date.year, month: date.month, day: 1) ?? date
    }

    /// The day a payout belongs to on the calendar: the local date of its expected
    /// arrival, else its cycle date.
    public static func day(of payout: Payout, in zone: TimeZone) -> LocalDate {
        payout.expectedArrival.map { LocalDateTime($0, in: zone).date } ?? payout.cycleDate
    }

    /// The month of `date`, its days marked from `calendar` and summed from `payouts`
    /// (those whose day falls in the month; the others are ignored). A payout's state is
    /// the one computation's (`PayoutLine.state(at:)`), as in the lists.
    public static func build(containing date: LocalDate, payouts: [PayoutLine], calendar: SettlementCalendar,
                             zone: TimeZone, now: Instant) -> CalendarMonth {
        let first = firstDay(of: date)
        let count = LocalDate.daysIn(month: first.month, year: first.year)
        var days = (0..<count).map { i -> CalendarDay in
            let d = first.adding(days: i)
            return CalendarDay(date: d, status: calendar.status(of: d))
        }
        for line in payouts {
            let p = line.payout
            let i = day(of: p, in: zone).dayNumber - first.dayNumber
            guard i >= 0, i < count else { continue }
            let code = p.expectedAmount.currency.code
            let paid = p.paidAmount?.minor ?? 0
            days[i].payouts += 1
            days[i].expected[code, default: 0] += p.expectedAmount.minor
            if p.status == .paid || p.status == .partial, paid != 0 {
                days[i].arrived[code, default: 0] += paid
            }
            switch line.state(at: now) {
            case .late:
                days[i].late[code, default: 0] += p.expectedAmount.minor - paid
            case .held:
                days[i].held[code, default: 0] += p.expectedAmount.minor - paid
            case .short, .failed:
                days[i].short[code, default: 0] += p.expectedAmount.minor - paid
            default:
                break
            }
        }
        return CalendarMonth(year: first.year, month: first.month, days: days)
    }
}
