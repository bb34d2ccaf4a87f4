import Foundation
import GRDB
import PayoutCore

/// What the reports and the calendar cannot vouch for: how far the imported settlement
/// reports reach, and the open transactions whose dates needed holiday data the
/// calendar does not have.
extension LedgerReader {
    /// `line` with the years its expected credit date was computed through that the
    /// calendar has no holiday data for.
    func flagged(_ line: TxnLine) -> TxnLine {
        guard let credit = line.expectedCredit, rules.calendar.kind != .weekends else { return line }
        let zone = rules.policy.timeZone
        let from = LocalDateTime(line.transaction.occurredAt, in: zone).date
        let to = LocalDateTime(credit, in: zone).date
        var l = line
        l.noHolidayDataYears = rules.calendar.yearsWithoutData(from: from, through: to)
        return l
    }

    /// The years without holiday data from `date`'s year (empty for a weekends calendar).
    public func yearsWithoutHolidayData(at now: Instant) -> [Int] {
        let day = LocalDateTime(now, in: rules.policy.timeZone).date
        return rules.calendar.yearsWithoutData(from: day, through: day)
    }

    /// The last day any settlement report covers, the calendar's years, and the open
    /// transactions due in a year it has no data for. The counts read the pending
    /// running totals (`pending`, with the boundary days' rows) and the awaiting ones
    /// (`AwaitingTotals`, with the boundary days' rows of `txnState_awaiting`).
    func addCoverageAndCalendar(_ s: inout LedgerSummary, pending: PendingTotals) throws {
        s.reportsThrough = try ReportCoverageStore.latestCovered(db)
        let cal = rules.calendar
        s.calendarName = cal.name
        s.holidayDataYears = cal.years.sorted()
        guard cal.kind != .weekends, let first = cal.years.min(), let last = cal.years.max() else { return }
        let zone = rules.policy.timeZone
        let before = LocalDateTime(date: LocalDate(year: first, month: 1, day: 1)!, secondOfDay: 0).instant(in: zone).epochMillis
        let after = LocalDateTime(date: LocalDate(year: last + 1, month: 1, day: 1)!, secondOfDay: 0).instant(in: zone).epochMillis
        var (n, lo, hi) = try pending.outside(db, before: before, after: after)
        let awaiting = try AwaitingTotals.outside(db, before: before, after: after)
        n += awaiting.n
        if let a = awaiting.lo { lo = min(lo ?? a, a) }
        if let b = awaiting.hi { hi = max(hi ?? b, b) }
        s.noHolidayData = n
        if let lo, let hi {
            s.noHolidayDataYears = cal.yearsWithoutData(from: LocalDateTime(Instant(epochMillis: lo), in: zone).date,
                                                        through: LocalDateTime(Instant(epochMillis: hi), in: zone).date)
        }
    }
}
