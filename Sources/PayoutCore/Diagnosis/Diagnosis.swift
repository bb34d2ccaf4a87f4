/// One cause found behind late or short money, with the evidence that raised it.
public struct Finding: Hashable, Sendable {
    public let code: CauseCode
    /// Concrete lines from the reports: amounts, dates, references, quoted reasons.
    public let evidence: [BilingualText]
    /// What the merchant should do about it.
    public let nextStep: BilingualText
    /// True when the finding fully accounts for its part with nothing to dispute (a fee
    /// as contracted, a holiday shift that is not late). Usually `code.isExplained`,
    /// but a calendar shift that ran late, or a fee that differs from the contract,
    /// is not explained.
    public let explained: Bool
    /// The money the finding accounts for, when it names an amount (20,000.00 held,
    /// 19,820.00 carried over, 200.00 missing).
    public let amount: Money?

    public init(code: CauseCode, evidence: [BilingualText], nextStep: BilingualText, explained: Bool, amount: Money? = nil) {
        self.code = code
        self.evidence = evidence
        self.nextStep = nextStep
        self.explained = explained
        self.amount = amount
    }
}

/// A cause the reports show is not behind the problem, and why.
public struct RuledOut: Hashable, Sendable {
    /// What was checked.
    public enum Topic: String, Hashable, Sendable, CaseIterable {
        case refunds, chargebacks, receivingLimit, d0Quota, accountState, holds, reserve, fees, bankReturn
    }

    public let topic: Topic
    public let text: BilingualText

    public init(topic: Topic, text: BilingualText) {
        self.topic = topic
        self.text = text
    }
}

/// What one payout did for the transaction (or payout) examined.
public struct PayoutShare: Hashable, Sendable {
    public let ref: String
    public let status: PayoutStatus
    public let cycleDate: LocalDate
    /// The payout's own expected amount (for all it carries).
    public let expectedAmount: Money
    /// What the payout credited in all, when it was credited.
    public let paidAmount: Money?
    /// The part of what it credited that belongs to the subject (zero until credited).
    public let received: Money
    /// Whether the payout also carries other transactions (N:1).
    public let shared: Bool
    public let expectedArrival: Instant?
    public let creditedAt: Instant?
    public let bankRef: String?
    public let failureCode: String?
    /// When the payout counts as late if not credited: the end of its credit window
    /// (or its expected arrival, when later) plus the grace.
    public let lateAfter: Instant
    /// Whether the money reached the account (status paid or partial, with an amount).
    public var isCredited: Bool { (status == .paid || status == .partial) && paidAmount != nil }

    public init(ref: String, status: PayoutStatus, cycleDate: LocalDate, expectedAmount: Money, paidAmount: Money?, received: Money,
                shared: Bool, expectedArrival: Instant?, creditedAt: Instant?, bankRef: String?, failureCode: String?, lateAfter: Instant) {
        self.ref = ref; self.status = status; self.cycleDate = cycleDate; self.expectedAmount = expectedAmount
        self.paidAmount = paidAmount; self.received = received; self.shared = shared; self.expectedArrival = expectedArrival
        self.creditedAt = creditedAt; self.bankRef = bankRef; self.failureCode = failureCode; self.lateAfter = lateAfter
    }
}

/// The sums of a payout's lines against its own amounts (the Adyen invariant: the
/// non-payout rows of a batch sum to its payout).
public struct PayoutCheck: Hashable, Sendable {
    public let ref: String
    /// Every line.
    public let linesTotal: Money
    /// Lines that withhold money from this payout: hold and carry-over lines.
    public let withheld: Money
    /// Lines other than holds and carry-overs: what the payout should have been.
    public let settlementTotal: Money
    public let expectedAmount: Money
    public let paidAmount: Money?
    /// Whether the lines sum to the expected amount (the settlement lines, with or
    /// without reserve lines, or all lines); nil when the payout has no lines.
    public let balances: Bool?
    /// Lines total minus what was credited, when credited: positive when the payout
    /// paid less than its own lines say.
    public let gap: Money
    /// The part of `gap` that open holds on the payout do not account for.
    public let unexplainedGap: Money

    public init(ref: String, linesTotal: Money, withheld: Money, settlementTotal: Money, expectedAmount: Money, paidAmount: Money?,
                balances: Bool?, gap: Money, unexplainedGap: Money) {
        self.ref = ref; self.linesTotal = linesTotal; self.withheld = withheld; self.settlementTotal = settlementTotal
        self.expectedAmount = expectedAmount; self.paidAmount = paidAmount; self.balances = balances; self.gap = gap
        self.unexplainedGap = unexplainedGap
    }
}

/// Why money is late or short, with evidence, for one transaction or one payout.
///
/// Built by `Diagnosis.diagnose(_:now:)` from `Evidence`. Pure: the same evidence and
/// "now" give the same diagnosis.
public struct Diagnosis: Hashable, Sendable {
    /// What was examined.
    public enum Subject: Hashable, Sendable {
        case transaction(rrn: String)
        case payout(ref: String)

        /// The reference an acquirer finds it by: the RRN or the payout reference.
        public var reference: String {
            switch self {
            case .transaction(let rrn): return rrn
            case .payout(let ref): return ref
            }
        }
    }

    public let subject: Subject
    /// Where the money stands at `now`.
    public let state: MoneyState
    /// What should arrive: the transaction's expected net, or the payout's expected amount.
    public let expectedNet: Money
    /// What arrived, by the attribution rule (see `Diagnosis.diagnose`).
    public let received: Money
    /// expectedNet − received when positive (for a refund, the part not yet netted), else zero.
    public let shortBy: Money
    /// When the money was expected from and when it counts as late (nil when unknown).
    public let expectedCredit: Instant?
    public let lateAfter: Instant?
    /// Causes, most important first: problems before explanations.
    public let findings: [Finding]
    /// What the reports show is not the cause.
    public let ruledOut: [RuledOut]
    /// The payouts that carry the money and what each did for the subject.
    public let shares: [PayoutShare]
    /// The line sums of those payouts.
    public let checks: [PayoutCheck]
    /// The moment the diagnosis was made for.
    public let now: Instant

    public init(subject: Subject, state: MoneyState, expectedNet: Money, received: Money, shortBy: Money,
                expectedCredit: Instant?, lateAfter: Instant?, findings: [Finding], ruledOut: [RuledOut],
                shares: [PayoutShare], checks: [PayoutCheck], now: Instant) {
        self.subject = subject; self.state = state; self.expectedNet = expectedNet; self.received = received
        self.shortBy = shortBy; self.expectedCredit = expectedCredit; self.lateAfter = lateAfter
        self.findings = findings; self.ruledOut = ruledOut; self.shares = shares; self.checks = checks; self.now = now
    }

    /// The same as `expectedNet` (the name the reconciler reads).
    public var expected: Money { expectedNet }

    /// The main cause: the first finding (nil when there is nothing to explain).
    public var primary: CauseCode? { findings.first?.code }

    /// The finding with `code`, if raised.
    public func finding(_ code: CauseCode) -> Finding? { findings.first { $0.code == code } }

    /// Every code raised, in order.
    public var codes: [CauseCode] { findings.map(\.code) }

    /// Whether the merchant has something to ask the acquirer: the money is late,
    /// short, held or failed, or a finding is not fully explained.
    public var needsDispute: Bool { state.isProblem || findings.contains { !$0.explained } }
}
