/// The causes behind late or short money (DESIGN §5), each with its titles.
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

    public var titleEN: String {
        switch self {
        case .calendarShift: return "Settlement cycle / holiday shift"
        case .cutoffRollover: return "Traded after the daily cutoff"
        case .acquirerBacklog: return "Acquirer processing delay"
        case .accountStatus: return "Merchant account frozen, limited or under review"
        case .bankProcessing: return "Bank processing delay or return"
        case .reserveHold: return "Reserve withheld"
        case .riskReview: return "Risk review / delayed settlement"
        case .receivingLimit: return "Settlement account inflow limit"
        case .d0Quota: return "D+0 quota exceeded, moved to T+1"
        case .feeDeduction: return "Fees deducted"
        case .refundOffset: return "Refunds or chargebacks netted"
        case .unexplained: return "Unexplained: dispute recommended"
        }
    }

    public var titleZH: String {
        switch self {
        case .calendarShift: return "清算周期/节假日顺延"
        case .cutoffRollover: return "超过日切时间"
        case .acquirerBacklog: return "收单系统处理延迟/维护"
        case .accountStatus: return "商户账户冻结/受限/审核中"
        case .bankProcessing: return "银行处理延迟或退票"
        case .reserveHold: return "备付金/保证金留存"
        case .riskReview: return "风控调单/延迟结算"
        case .receivingLimit: return "结算卡入金限额"
        case .d0Quota: return "秒到额度超限，转T+1"
        case .feeDeduction: return "手续费扣除"
        case .refundOffset: return "退款/退单抵扣"
        case .unexplained: return "原因不明，建议申诉"
        }
    }

    /// Whether the cause explains the money fully, so no dispute is needed.
    public var isExplained: Bool {
        switch self {
        case .calendarShift, .cutoffRollover, .feeDeduction, .refundOffset, .d0Quota: return true
        default: return false
        }
    }
}

/// Where a transaction's money stands (DESIGN §4). `late` is never stored: a pending
/// transaction becomes late when "now" passes its due time plus grace.
public enum MoneyState: String, Sendable, Codable, CaseIterable, Hashable {
    case pending, settled, short, late, held, reversed, failed

    /// Is this a problem a merchant should look at?
    public var isProblem: Bool { self == .short || self == .late || self == .held || self == .failed }

    /// The state at `now` of a stored state whose money is due by `lateAfter`.
    public func at(_ now: Instant, lateAfter: Instant) -> MoneyState {
        self == .pending && now > lateAfter ? .late : self
    }
}
