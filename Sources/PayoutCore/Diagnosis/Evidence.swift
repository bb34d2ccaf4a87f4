/// Everything the reports say about one transaction or payout: the input of diagnosis.
///
/// The store gathers it (PayoutStore's evidence queries); diagnosis only reads it, so
/// diagnosis stays pure and testable with hand-made evidence.
public struct Evidence: Sendable, Hashable {
    /// A payout and the lines that make it up.
    public struct PayoutEvidence: Sendable, Hashable {
        public var payout: Payout
        public var items: [PayoutItem]
        /// Every state the reports gave the payout, oldest first (empty when not read).
        public var history: [PayoutHistoryEntry]
        /// When the sales it carries are due under the contract; nil when no sale is known.
        public var contract: PayoutContract?
        /// What the bank statements say about it; nil when no statement of the
        /// merchant's account was read (then nothing is claimed about the bank).
        public var bank: BankEvidence? = nil
        public init(payout: Payout, items: [PayoutItem], history: [PayoutHistoryEntry] = [], contract: PayoutContract? = nil) {
            self.payout = payout
            self.items = items
            self.history = history
            self.contract = contract
        }
    }

    /// The transaction examined; nil when a payout is examined on its own.
    public var transaction: Transaction?
    /// Its computed expectation (nil for a payout examined on its own).
    public var expectation: SettlementExpectation?
    /// The payouts that carry the money: for a transaction, the payout it names plus any
    /// payout with an item for its RRN (carry-overs, releases); for a payout, itself.
    public var payouts: [PayoutEvidence]
    /// The transactions of those payouts (for a payout examined on its own: all of them).
    public var payoutTransactions: [Transaction]
    /// Holds on the transaction's RRN or on any of its payouts, open or released.
    public var holds: [Hold]
    /// The merchant's account events, oldest first.
    public var accountEvents: [AccountEvent]
    /// The merchant's profile, when the store has one.
    public var merchant: Merchant?
    /// The rules in force.
    public var policy: SettlementPolicy
    /// Other payouts of the same acquirer due the same day and still not paid past their
    /// window: many late at once points at the acquirer.
    public var otherLatePayoutsSameDay: Int
    /// The days the imported settlement reports cover for the merchant; nil when the
    /// caller does not know (hand-made evidence), and then no day counts as uncovered.
    public var coverage: ReportCoverage? = nil
    /// For a payout the bank failed or returned: the merchant's credited payouts
    /// nearest before and after it (by cycle date), so a reason the later credits
    /// contradict ("account closed") is noticed.
    public var neighbourCredits: [Payout] = []

    public init(transaction: Transaction?, expectation: SettlementExpectation?, payouts: [PayoutEvidence],
                payoutTransactions: [Transaction], holds: [Hold], accountEvents: [AccountEvent], merchant: Merchant?,
                policy: SettlementPolicy, otherLatePayoutsSameDay: Int) {
        self.transaction = transaction; self.expectation = expectation; self.payouts = payouts
        self.payoutTransactions = payoutTransactions; self.holds = holds; self.accountEvents = accountEvents
        self.merchant = merchant; self.policy = policy; self.otherLatePayoutsSameDay = otherLatePayoutsSameDay
    }
}

/// The settlement days the imported reports cover for one merchant: each settlement
/// file covers, per merchant, the span of the cycle dates of the payouts it holds.
public struct ReportCoverage: Sendable, Hashable {
    /// Covered spans, inclusive, in any order.
    public var spans: [ClosedRange<LocalDate>]

    public init(spans: [ClosedRange<LocalDate>]) { self.spans = spans }

    /// Whether a report covers `day`.
    public func covers(_ day: LocalDate) -> Bool { spans.contains { $0.contains(day) } }

    /// The last day any report covers (nil: no settlement report for the merchant).
    public var through: LocalDate? { spans.map(\.upperBound).max() }
}
