/// Everything payoutmon knows about one cause behind late or short money, in one
/// place: its titles, whether it explains the money, where its findings sort, the
/// evidence rule that raises it, what the reports can rule out about it, and what a
/// dispute note asks or says for it.
///
/// Each cause is one file in this folder (`AccountStatusCause.swift` ...) holding its
/// descriptor and the functions the descriptor names; `Causes.all` lists them.
/// Adding a cause: a `CauseCode` case, a file here, its line in `Causes.all`, and its
/// tests (docs/ARCHITECTURE.md, "Adding a cause").
public struct CauseDescriptor: Sendable {
    public let code: CauseCode
    /// The title notes and the detail screen show:
    /// "RECEIVING_LIMIT — Settlement account inflow limit".
    public let title: BilingualText
    /// The monitor's short name for the cause in its lists: the code in English
    /// ("CALENDAR_SHIFT"), a short form in Chinese ("节假日顺延"); the detail screen and
    /// notes show the title.
    public let label: BilingualText
    /// Whether the cause explains the money fully, so no dispute is needed. A finding
    /// may still say otherwise (`Finding.explained`): a holiday shift that ran late.
    public let isExplained: Bool
    /// Where its findings sort among the findings of one diagnosis.
    public let ranks: CauseRanks
    /// The evidence rule: the finding the evidence raises, if any. `found` holds what
    /// the causes before this one in `Causes.all` raised.
    let find: @Sendable (_ d: Diagnoser, _ c: Context, _ found: [RankedFinding]) throws -> CauseHit?
    /// The sentences saying the reports rule the cause out, checked when it was not found.
    let ruledOut: RuledOutCheck?
    /// A dispute note's request for a finding of this cause that is not explained
    /// (nil: none; when no finding asks anything the note asks for the credit date).
    let request: @Sendable (_ w: NoteWriter, _ x: Finding) -> String?
    /// The clause a note gives for an explained finding of this cause, after "No
    /// dispute is needed: " (nil: the cause adds none).
    let noDisputeClause: (@Sendable (_ w: NoteWriter, _ x: Finding) -> String?)?

    init(code: CauseCode, title: BilingualText, label: BilingualText, isExplained: Bool, ranks: CauseRanks,
         find: @escaping @Sendable (Diagnoser, Context, [RankedFinding]) throws -> CauseHit?,
         ruledOut: RuledOutCheck?,
         request: @escaping @Sendable (NoteWriter, Finding) -> String?,
         noDisputeClause: (@Sendable (NoteWriter, Finding) -> String?)?) {
        self.code = code; self.title = title; self.label = label; self.isExplained = isExplained; self.ranks = ranks
        self.find = find; self.ruledOut = ruledOut; self.request = request; self.noDisputeClause = noDisputeClause
    }
}

/// The causes, in the order their rules run: the order of their ranks as a problem,
/// except that a refund offset (always explained) runs before the calendar and cutoff
/// rules, and UNEXPLAINED runs last because it asks whether another cause found a
/// problem. Findings are then sorted by rank, so this order does not decide theirs.
public enum Causes {
    public static let all: [CauseDescriptor] = [
        NotCreditedCause.descriptor,
        CreditedDifferentCause.descriptor,
        AccountStatusCause.descriptor,
        BankProcessingCause.descriptor,
        RiskReviewCause.descriptor,
        ReceivingLimitCause.descriptor,
        ReserveHoldCause.descriptor,
        AcquirerBacklogCause.descriptor,
        D0QuotaCause.descriptor,
        FeeDeductionCause.descriptor,
        CurrencyMismatchCause.descriptor,
        RefundOffsetCause.descriptor,
        AwaitingReportCause.descriptor,
        CalendarShiftCause.descriptor,
        CutoffRolloverCause.descriptor,
        ArrivedLateCause.descriptor,
        UnexplainedCause.descriptor,
    ]

    /// The descriptor of each code.
    static let byCode: [CauseCode: CauseDescriptor] = Dictionary(all.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })

    /// The ruled-out checks, in the order the "Ruled out" list gives them.
    static let ruledOutOrder: [(code: CauseCode, check: RuledOutCheck)] =
        all.compactMap { d in d.ruledOut.map { (d.code, $0) } }.sorted { $0.check.order < $1.check.order }
}

extension CauseCode {
    /// The cause's descriptor (every code has one; the Causes tests check it).
    public var descriptor: CauseDescriptor {
        guard let d = Causes.byCode[self] else { preconditionFailure("no descriptor for cause \(rawValue) in Causes.all") }
        return d
    }
}

/// Where a cause's finding sorts among the findings of one diagnosis, lower first:
/// problems first (the root cause before its consequences), then what is explained.
/// A holiday shift outranks the fee; a weekend-only shift does not.
public struct CauseRanks: Hashable, Sendable {
    /// A finding that is not explained (nil: the cause's findings always are).
    public let problem: Int?
    /// An explained finding (nil: the cause's findings never are).
    public let explained: Int?
    /// An explained finding its rule calls routine: after the other explanations
    /// (a calendar shift for a weekend only, no holiday).
    public let routine: Int?

    init(problem: Int? = nil, explained: Int? = nil, routine: Int? = nil) {
        self.problem = problem
        self.explained = explained
        self.routine = routine
    }

    /// The rank of `hit`; a cause with one rank gives it whatever the finding says.
    func rank(of hit: CauseHit) -> Int {
        if hit.finding.explained { return (hit.routine ? routine : nil) ?? explained ?? problem ?? 0 }
        return problem ?? explained ?? 0
    }
}

/// A finding an evidence rule raised.
struct CauseHit {
    let finding: Finding
    /// An explained finding that sorts after the other explanations (`CauseRanks.routine`).
    var routine = false

    init(_ finding: Finding, routine: Bool = false) {
        self.finding = finding
        self.routine = routine
    }
}

/// A finding with its rank.
typealias RankedFinding = (rank: Int, finding: Finding)

/// A cause's ruled-out check and where its sentences stand in the "Ruled out" list.
struct RuledOutCheck: Sendable {
    /// Lower first.
    let order: Int
    /// The sentences, when the reports show the cause is not behind the problem.
    let check: @Sendable (_ d: Diagnoser, _ c: Context) throws -> [RuledOut]

    init(order: Int, _ check: @escaping @Sendable (Diagnoser, Context) throws -> [RuledOut]) {
        self.order = order
        self.check = check
    }
}

extension Diagnoser {
    /// Every cause's finding, most important first: by rank, in rule order on a tie.
    func collectFindings(_ c: Context) throws -> [Finding] {
        var found: [RankedFinding] = []
        for cause in Causes.all {
            if let hit = try cause.find(self, c, found) { found.append((cause.ranks.rank(of: hit), hit.finding)) }
        }
        return found.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }.map(\.element.finding)
    }
}
