/// One row of the transactions list: the transaction and where its money stands.
public struct TxnLine: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var transaction: Transaction
    /// The stored state (never `late`): see `state(at:)`.
    public var storedState: MoneyState
    public var cause: CauseCode?
    public var expectedCredit: Instant?
    public var lateAfter: Instant?
    public var expectedNet: Money?
    public var received: Money?
    /// The payout that carries it, when matched.
    public var payoutRef: String?
    /// The years its expected credit date was computed through that the settlement
    /// calendar has no holiday data for (weekends and fixed-date holidays assumed);
    /// set by the store's reader, empty when the calendar knew every day.
    public var noHolidayDataYears: [Int] = []

    public init(id: Int64, transaction: Transaction, storedState: MoneyState, cause: CauseCode?, expectedCredit: Instant?,
                lateAfter: Instant?, expectedNet: Money?, received: Money?, payoutRef: String?) {
        self.id = id; self.transaction = transaction; self.storedState = storedState; self.cause = cause
        self.expectedCredit = expectedCredit; self.lateAfter = lateAfter; self.expectedNet = expectedNet
        self.received = received; self.payoutRef = payoutRef
    }

    /// The state at `now`: a pending transaction past its due time and grace is late.
    public func state(at now: Instant) -> MoneyState {
        guard let lateAfter else { return storedState }
        return storedState.at(now, lateAfter: lateAfter)
    }
}

/// One row of the payouts list.
public struct PayoutLine: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var payout: Payout
    /// When the payout counts as late if not paid (expected arrival's window end plus grace).
    public var lateAfter: Instant?
    public var storedState: MoneyState
    public var cause: CauseCode?
    /// Minutes between the late time and the credit, when credited after it (nil: on
    /// time, not credited, or not read).
    public var arrivedLateMinutes: Int64?
    /// When the late money was credited (its own credit, or a re-send's or continuation's).
    public var arrivedLateAt: Instant?
    /// The bank side (`BankEvidence.State`) when a bank statement of its merchant was
    /// read and the line was asked for it; nil otherwise.
    public var bank: BankEvidence.State? = nil

    public init(id: Int64, payout: Payout, lateAfter: Instant?, storedState: MoneyState, cause: CauseCode?) {
        self.id = id; self.payout = payout; self.lateAfter = lateAfter; self.storedState = storedState; self.cause = cause
    }

    public func state(at now: Instant) -> MoneyState {
        guard let lateAfter else { return storedState }
        return storedState.at(now, lateAfter: lateAfter)
    }
}

/// One merchant's account standing: profile, current state, open holds, recent events.
public struct AccountLine: Sendable, Hashable {
    public var merchant: Merchant
    public var state: AccountState
    public var since: Instant?
    public var reason: String?
    public var openHolds: [Hold]
    public var recentEvents: [AccountEvent]
    /// The settlement cycle judged against ("T+1"); nil when the config's contract does
    /// not apply to the account's currency (its acquirer's own dates are used).
    public var cycle: String?
    /// True when no merchants file describes the account: the reports name it only in
    /// their transactions or payouts, so its name is its id and its bank account unknown.
    public var fromReportsOnly: Bool
    /// Currency codes the account's rows are in besides `merchant.currency` (an Adyen
    /// merchant account paid out in USD and EUR), most rows first.
    public var otherCurrencies: [String]

    public init(merchant: Merchant, state: AccountState, since: Instant?, reason: String?, openHolds: [Hold], recentEvents: [AccountEvent],
                cycle: String? = nil, fromReportsOnly: Bool = false, otherCurrencies: [String] = []) {
        self.otherCurrencies = otherCurrencies
        self.merchant = merchant; self.state = state; self.since = since; self.reason = reason
        self.openHolds = openHolds; self.recentEvents = recentEvents
        self.cycle = cycle; self.fromReportsOnly = fromReportsOnly
    }
}

/// Counts and totals for a header or `payoutmon status`.
public struct LedgerSummary: Sendable, Hashable {
    public var transactions: Int = 0
    public var pending: Int = 0
    public var dueToday: Int = 0
    public var late: Int = 0
    public var short: Int = 0
    public var held: Int = 0
    public var failed: Int = 0
    /// Per currency: expected net still to come, and the total short.
    public var outstanding: [String: Int64] = [:]
    public var shortTotal: [String: Int64] = [:]
    /// Sales no payout carries whose settlement day no imported report covers: not
    /// late and not in `outstanding` (the reports cannot say yet), with their expected
    /// net per currency and the last day any settlement report covers (nil: none).
    public var awaitingReport: Int = 0
    public var awaitingTotal: [String: Int64] = [:]
    public var reportsThrough: LocalDate?
    /// Sales credited by a payout in another currency (CURRENCY_MISMATCH).
    public var otherCurrency: Int = 0
    /// The settlement calendar's name and the years it has holiday data for (empty
    /// for a weekends-only calendar, which needs none).
    public var calendarName: String = ""
    public var holidayDataYears: [Int] = []
    /// Open transactions (pending or awaiting a report) whose expected credit date
    /// falls in a year without holiday data, and those years.
    public var noHolidayData: Int = 0
    public var noHolidayDataYears: [Int] = []
    /// The store was upgraded and its states not yet recomputed: the figures may be
    /// stale until a command that writes with the rules (`import`, `watch`) opens it.
    public var statesNeedRecompute = false

    public init() {}

    public var hasProblems: Bool { late + short + held + failed + otherCurrency > 0 }

    /// "2024-2026" / "2024, 2026": the years with holiday data.
    public var holidayDataYearsText: String {
        let ys = holidayDataYears.sorted()
        guard let first = ys.first, let last = ys.last else { return "" }
        if ys.count == last - first + 1 && ys.count > 1 { return "\(first)-\(last)" }
        return ys.map(String.init).joined(separator: ", ")
    }
}
