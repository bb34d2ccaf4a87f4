/// The causes behind late or short money. The raw values are stored (the store's
/// cause columns) and printed (`payoutmon status`), so they never change.
///
/// Everything else about a cause is in its descriptor, one file per cause under
/// Causes/ (docs/ARCHITECTURE.md, "Adding a cause").
public enum CauseCode: String, Sendable, Codable, CaseIterable, Hashable {
    case calendarShift = "CALENDAR_SHIFT"
    case cutoffRollover = "CUTOFF_ROLLOVER"
    case acquirerBacklog = "ACQUIRER_BACKLOG"
    case accountStatus = "ACCOUNT_STATUS"
    case bankProcessing = "BANK_PROCESSING"
    case reserveHold = "RESERVE_HOLD"
    case riskReview = "RISK_REVIEW"
    case receivingLimit = "RECEIVING_LIMIT"
    case d0Quota = "D0_QUOTA"
    case feeDeduction = "FEE_DEDUCTION"
    case refundOffset = "REFUND_OFFSET"
    case unexplained = "UNEXPLAINED"
    case awaitingReport = "AWAITING_REPORT"
    case currencyMismatch = "CURRENCY_MISMATCH"
    case arrivedLate = "ARRIVED_LATE"
    case notCredited = "NOT_CREDITED"
    case creditedDifferent = "CREDITED_DIFFERENT"

    /// "Settlement account inflow limit".
    public var titleEN: String { descriptor.title.en }

    /// "结算卡入金限额".
    public var titleZH: String { descriptor.title.zh }

    /// The cause's title in `language`.
    public func title(_ language: Language) -> String { descriptor.title(language) }

    /// The monitor's short name for the cause in `language`.
    public func label(_ language: Language) -> String { descriptor.label(language) }

    /// Whether the cause explains the money fully, so no dispute is needed.
    public var isExplained: Bool { descriptor.isExplained }
}

/// Where a transaction's money stands (docs/ARCHITECTURE.md). `late` is never stored:
/// a pending transaction becomes late when "now" passes its due time plus grace.
///
/// `awaitingReport`: no payout carries the sale and no imported settlement report
/// covers the day it settles on, so the reports cannot say yet whether it was paid
/// (never late, not a problem). `otherCurrency`: a payout in another currency than the
/// sale's credited it; without an exchange rate the reports cannot say whether in full.
public enum MoneyState: String, Sendable, Codable, CaseIterable, Hashable {
    case pending, settled, short, late, held, reversed, failed
    case awaitingReport = "awaiting"
    case otherCurrency = "other-currency"

    /// Is this a problem a merchant should look at?
    public var isProblem: Bool {
        self == .short || self == .late || self == .held || self == .failed || self == .otherCurrency
    }

    /// The state at `now` of a stored state whose money is due by `lateAfter`.
    public func at(_ now: Instant, lateAfter: Instant) -> MoneyState {
        self == .pending && now > lateAfter ? .late : self
    }
}
