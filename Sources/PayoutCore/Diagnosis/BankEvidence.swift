/// What the merchant's bank statements say about one payout: the credits matched to it
/// (with the rule and whether the match is ambiguous) and the statements of its account
/// around its credit window. The store fills it (docs/report-formats.md, "Bank
/// statements"); nil in the evidence means no statement was read for the merchant, and
/// then nothing is claimed about the bank.
public struct BankEvidence: Sendable, Hashable {
    /// One statement of the merchant's account as evidence.
    public struct Statement: Sendable, Hashable {
        public var file: String
        public var sha256: String
        public var format: String
        public var statementRef: String
        public var accountMasked: String
        public var kind: BankStatementKind
        public var periodStart: LocalDate
        public var periodEnd: LocalDate
        /// Why the statement does not add up, when it does not (it then proves nothing).
        public var incompleteReason: String?
        public var line: Int

        public init(file: String, sha256: String, format: String, statementRef: String, accountMasked: String,
                    kind: BankStatementKind, periodStart: LocalDate, periodEnd: LocalDate, incompleteReason: String? = nil, line: Int) {
            self.file = file; self.sha256 = sha256; self.format = format; self.statementRef = statementRef
            self.accountMasked = accountMasked; self.kind = kind; self.periodStart = periodStart; self.periodEnd = periodEnd
            self.incompleteReason = incompleteReason; self.line = line
        }

        /// A final statement that adds up: one that can prove a credit did not come.
        public var provesAbsence: Bool { kind == .final && incompleteReason == nil }
    }

    /// A credit matched to the payout.
    public struct Credit: Sendable, Hashable {
        public var amount: Money
        public var bookingDate: LocalDate
        public var bookedAt: Instant?
        public var bankRef: String?
        public var counterparty: String?
        public var remittance: String?
        /// The matching rule ("reference", "amount-date", "merged", "split", "reference-split").
        public var rule: String
        /// Several credits could be this payout's: none is chosen.
        public var ambiguous: Bool
        /// The credit less the payout's amount, for a credit matched by reference.
        public var difference: Money
        public var file: String
        public var line: Int

        public init(amount: Money, bookingDate: LocalDate, bookedAt: Instant? = nil, bankRef: String? = nil, counterparty: String? = nil,
                    remittance: String? = nil, rule: String, ambiguous: Bool = false, difference: Money, file: String, line: Int) {
            self.amount = amount; self.bookingDate = bookingDate; self.bookedAt = bookedAt; self.bankRef = bankRef
            self.counterparty = counterparty; self.remittance = remittance; self.rule = rule; self.ambiguous = ambiguous
            self.difference = difference; self.file = file; self.line = line
        }
    }

    /// The days a credit of the payout is looked for: its expected credit day through
    /// the next working days (the store's matching window).
    public var window: ClosedRange<LocalDate>
    public var credits: [Credit]
    /// The merchant's statements whose period touches the window.
    public var statements: [Statement]

    public init(window: ClosedRange<LocalDate>, credits: [Credit], statements: [Statement]) {
        self.window = window; self.credits = credits; self.statements = statements
    }

    /// Where the bank side of the payout stands.
    public enum State: String, Sendable, Hashable {
        /// One credit or a set of credits is the payout's.
        case matched
        /// Credits could be the payout's but none is chosen.
        case ambiguous
        /// The payout's credit is in the statement for another amount.
        case creditedDifferent = "credited-different"
        /// Final statements that add up cover every day of the window and hold no credit.
        case notCredited = "not-credited"
        /// No final, complete statement covers every day of the window: nothing is claimed.
        case noStatement = "no-statement"
    }

    public var state: State {
        let sure = credits.filter { !$0.ambiguous }
        if !sure.isEmpty { return sure.contains { !$0.difference.isZero } ? .creditedDifferent : .matched }
        if !credits.isEmpty { return .ambiguous }
        return covering.isEmpty ? .noStatement : .notCredited
    }

    /// The final, complete statements that together cover every day of the window
    /// (empty when some day is not covered).
    public var covering: [Statement] {
        let proving = statements.filter(\.provesAbsence).sorted { ($0.periodStart, $0.periodEnd) < ($1.periodStart, $1.periodEnd) }
        var day = window.lowerBound
        var used: [Statement] = []
        while day <= window.upperBound {
            guard let next = proving.filter({ $0.periodStart <= day && $0.periodEnd >= day }).max(by: { $0.periodEnd < $1.periodEnd }) else {
                return []
            }
            used.append(next)
            day = next.periodEnd.adding(days: 1)
        }
        return used
    }

    /// The booking time of the payout's credit (the latest of a split), when matched and given.
    public var bookedAt: Instant? {
        let sure = credits.filter { !$0.ambiguous }
        guard !sure.isEmpty, sure.allSatisfy({ $0.bookedAt != nil }) else { return nil }
        return sure.compactMap(\.bookedAt).max()
    }

    /// What the bank credited for the payout when matched without ambiguity.
    public var creditedAmount: Money? {
        let sure = credits.filter { !$0.ambiguous }
        guard let first = sure.first else { return nil }
        if sure.contains(where: { $0.rule == "merged" }) { return nil }
        var minor: Int64 = 0
        for c in sure { minor += c.amount.minor }
        return Money(minor: minor, currency: first.amount.currency)
    }
}
