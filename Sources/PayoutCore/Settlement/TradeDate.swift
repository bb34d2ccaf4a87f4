/// The trade-date rule: which day's batch a sale belongs to. One rule for the
/// expectation, the demo feed and the screens.
extension SettlementPolicy {
    /// Whether a sale at local time `local` is at or after the cutoff, and so in the next
    /// day's batch. A cutoff of 00:00 means none: the day ends at midnight.
    public func isAfterCutoff(_ local: LocalDateTime) -> Bool {
        let cut = cutoff.minuteOfDay * 60
        return cut > 0 && local.secondOfDay >= cut
    }

    /// The trade date of a sale made at `local`: its date, or the next day after the cutoff.
    public func tradeDate(of local: LocalDateTime) -> LocalDate {
        isAfterCutoff(local) ? local.date.adding(days: 1) : local.date
    }

    /// The trade date of a sale made at `instant`, in the policy's zone.
    public func tradeDate(of instant: Instant) -> LocalDate {
        tradeDate(of: LocalDateTime(instant, in: timeZone))
    }

    /// When the batch of `tradeDate` closes: the first instant whose trade date is later
    /// (the cutoff on that date, or the next midnight when there is no cutoff).
    public func batchCloses(_ tradeDate: LocalDate) -> Instant {
        let cut = cutoff.minuteOfDay
        if cut == 0 { return LocalDateTime(date: tradeDate.adding(days: 1), secondOfDay: 0).instant(in: timeZone) }
        return LocalDateTime(date: tradeDate, secondOfDay: cut * 60).instant(in: timeZone)
    }
}
