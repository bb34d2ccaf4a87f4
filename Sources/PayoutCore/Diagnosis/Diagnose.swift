import Foundation

extension Diagnosis {
    /// Diagnoses the transaction of `e` at `now`: its state, what it should have
    /// brought, what it did, and why (`Causes.all`, docs/ARCHITECTURE.md). A payout
    /// examined on its own (`e.transaction == nil`) goes to `diagnosePayout`.
    ///
    /// **Attribution rule** (what a transaction "received"): a payout counts only once
    /// it is credited (status paid or partial, with a paid amount).
    /// - A payout that carries this transaction alone (no line names another RRN and no
    ///   other transaction names the payout) gives it all it credited. So 1:N works by
    ///   adding up: the first payout of a Class II carry-over and each later release
    ///   payout (`release` lines with the RRN) each count what they credited.
    /// - A payout shared with other transactions (N:1) gives it its claim: the lines
    ///   that carry its RRN (its sale, and any hold, carry-over, release, refund or fee
    ///   line naming it), less its own fee unless a fee line names it (the fee the
    ///   report gives for it, else the computed one). Lines that name no RRN other than
    ///   fees (a carry-over, hold or adjustment of the whole batch) and any shortfall of
    ///   the payout (its lines sum minus what it credited) are shared over its sale lines
    ///   in proportion to their gross, rounded half away from zero, the last sale line
    ///   taking the remainder so the shares add up exactly; refunds take no share.
    ///   Where the contract applies, fee lines charging more than the contract for the
    ///   payout's sales, beyond the fees the claims already take off, are shared the
    ///   same way (`feeOverContractNotInClaim`); a payout's own diagnosis is owed its
    ///   expected amount plus that excess, so it and its sales are short alike.
    ///
    /// Amounts use Money's checked arithmetic: an overflow or a currency mix is not
    /// wrapped or guessed; it gives an UNEXPLAINED diagnosis naming the error.
    ///
    /// `includeRuledOut: false` leaves `ruledOut` empty: the state, amounts and findings
    /// are the same, without the causes checked and excluded (what a stored state needs).
    /// `words: false` gives the same state, amounts and finding codes with every text
    /// empty (the findings' evidence and next steps): the reconciler stores codes and
    /// figures, and the screens and notes diagnose again with words when they show one.
    ///
    /// `memo` (one reconciliation pass) keeps what is computed about each payout's lines
    /// for the next sale of the same payout; the diagnosis is the same with or without it.
    public static func diagnose(_ e: Evidence, now: Instant, includeRuledOut: Bool = true, words: Bool = true,
                                memo: DiagnosisMemo? = nil) -> Diagnosis {
        guard let txn = e.transaction else {
            return diagnosePayout(e, now: now, includeRuledOut: includeRuledOut, words: words, memo: memo)
        }
        var d = Diagnoser(evidence: e, now: now)
        d.includeRuledOut = includeRuledOut
        d.words = words
        d.memo = memo
        do {
            return try d.diagnoseTransaction(txn)
        } catch {
            return d.unreadable(error, subject: .transaction(rrn: txn.rrn), currency: txn.amount.currency)
        }
    }

    /// Diagnoses the first payout of `e` examined on its own: its state, its expected
    /// and paid amounts, the check that its lines other than holds and carry-overs sum
    /// to its expected amount (a mismatch is reported as UNEXPLAINED evidence), and
    /// the causes behind a shortfall or delay.
    public static func diagnosePayout(_ e: Evidence, now: Instant, includeRuledOut: Bool = true, words: Bool = true,
                                      memo: DiagnosisMemo? = nil) -> Diagnosis {
        var d = Diagnoser(evidence: e, now: now)
        d.includeRuledOut = includeRuledOut
        d.words = words
        d.memo = memo
        guard let pe = e.payouts.first else {
            let zero = Money.zero(e.policy.currency)
            let f = Finding(code: .unexplained,
                            evidence: [BilingualText(en: "the reports hold no payout to examine", zh: "对账文件中没有可核查的结算单")],
                            nextStep: BilingualText(en: "Import the acquirer's settlement report and try again.",
                                                    zh: "请导入收单机构的结算明细后重试。"),
                            explained: false)
            return Diagnosis(subject: .payout(ref: ""), state: .pending, expectedNet: zero, received: zero, shortBy: zero,
                             expectedCredit: nil, lateAfter: nil, findings: [f], ruledOut: [], shares: [], checks: [], now: now)
        }
        do {
            return try d.diagnosePayout(pe)
        } catch {
            return d.unreadable(error, subject: .payout(ref: pe.payout.ref), currency: pe.payout.expectedAmount.currency)
        }
    }
}

// MARK: - Facts about one payout

/// What a payout's lines and status say, computed once.
struct PayoutFacts {
    let payout: Payout
    /// The lines in the payout's currency, indexed (`PayoutLines`).
    let digest: PayoutLines
    /// Lines in the payout's currency, by line number.
    var items: [PayoutItem] { digest.items }
    let zero: Money
    var linesTotal: Money { digest.linesTotal }
    var withheld: Money { digest.withheld }
    var reserveLines: Money { digest.reserveLines }
    let check: PayoutCheck
    let dueBy: Instant
    let lateAfter: Instant
    /// The acquirer's own due and late times (its cycle date and expected arrival), and
    /// the contract's (from the sales' trade dates); `dueBy`/`lateAfter` are the earlier.
    let acquirerDueBy: Instant
    let acquirerLateAfter: Instant
    let contract: PayoutContract?
    let history: [PayoutHistoryEntry]

    var ref: String { payout.ref }
    /// Seconds between the late time and the credit, when credited after it.
    var arrivedLateBy: Int64? {
        guard isCredited, let at = creditedAt, at > lateAfter else { return nil }
        return at.seconds(since: lateAfter)
    }
    /// The bank's side, when statements were read.
    let bank: BankEvidence?
    /// When the money reached the account: the bank's booking time where a statement
    /// shows the credit with a time, else the acquirer's credit time.
    var creditedAt: Instant? { bank?.bookedAt ?? payout.creditedAt }
    /// Credited as the acquirer reports it, unless a bank statement proves it was not
    /// (NOT_CREDITED).
    var isCredited: Bool {
        payout.isReportedPaid && bank?.state != .notCredited
    }
    /// What reached the account: the acquirer's paid amount, or the bank's credit when
    /// the statement shows another amount (CREDITED_DIFFERENT).
    var paid: Money {
        guard isCredited else { return zero }
        if bank?.state == .creditedDifferent, let credited = bank?.creditedAmount, credited.currency == zero.currency { return credited }
        return payout.paidAmount ?? zero
    }
    var isPending: Bool { [.scheduled, .processing, .inTransit].contains(payout.status) }
    var isFailed: Bool { payout.status == .failed || payout.status == .returned }

    func lines(_ kinds: [PayoutItemKind]) -> [PayoutItem] { digest.lines(kinds) }

    /// The RRNs the payout's lines name.
    var rrns: Set<String> { digest.rrns }

    /// The zone where a date ends last (UTC-12).
    static let latestZone = TimeZone(secondsFromGMT: -12 * 3600)!

    /// `memo` keeps the lines' digest across the sales of one reconciliation pass.
    init(_ pe: Evidence.PayoutEvidence, policy: SettlementPolicy, holds: [Hold], now: Instant, memo: DiagnosisMemo? = nil) throws {
        let p = pe.payout
        payout = p
        bank = pe.bank
        let cur = p.expectedAmount.currency
        zero = .zero(cur)
        digest = try memo?.lines(for: pe) ?? PayoutLines(pe)
        let items = digest.items, linesTotal = digest.linesTotal, withheld = digest.withheld, reserveLines = digest.reserveLines
        let settlementTotal = try linesTotal.subtracting(withheld)
        let withoutReserve = try settlementTotal.subtracting(reserveLines)
        let balances: Bool? = items.isEmpty ? nil
            : (settlementTotal == p.expectedAmount || withoutReserve == p.expectedAmount || linesTotal == p.expectedAmount)
        let credited = p.isReportedPaid
        var gap = zero
        if credited, let paid = p.paidAmount, paid.currency == cur {
            gap = try (items.isEmpty ? p.expectedAmount : linesTotal).subtracting(paid)
        }
        var unexplained = gap.isNegative ? zero : gap
        if gap.minor > 0 && withheld.isZero {
            // Holds the lines do not show yet (a hold report ahead of the settlement file).
            let rrns = digest.rrns
            let open = holds.filter { h in
                (h.payoutRef == p.ref || (h.rrn.map { rrns.contains($0) } ?? false)) && h.amount.currency == cur
                    && h.openedAt <= now && (h.releasedAt.map { $0 > now } ?? true)
            }
            let covered = try Money.sum(open.map(\.amount), currency: cur)
            unexplained = covered.minor >= gap.minor ? zero : try gap.subtracting(covered)
        }
        check = PayoutCheck(ref: p.ref, linesTotal: linesTotal, withheld: withheld, settlementTotal: settlementTotal,
                            expectedAmount: p.expectedAmount, paidAmount: p.paidAmount, balances: balances, gap: gap,
                            unexplainedGap: unexplained)
        let zone = policy.timeZone
        var due = LocalDateTime(date: p.cycleDate, time: policy.creditWindow.end).instant(in: zone)
        if !policy.contractApplies {
            // No contract: the credit window is not this money's. The cycle date is the
            // acquirer's only promise: late once that day has ended in every zone (the
            // report's zone is not kept), or after the arrival it announced.
            due = LocalDateTime(date: p.cycleDate.adding(days: 1), secondOfDay: 0).instant(in: Self.latestZone)
        }
        if let arrival = p.expectedArrival, arrival > due { due = arrival }
        acquirerDueBy = due
        acquirerLateAfter = due.adding(minutes: Int64(policy.graceMinutes))
        contract = pe.contract
        history = pe.history
        if policy.contractApplies, let c = pe.contract, c.lateAfter < acquirerLateAfter {
            dueBy = c.dueBy
            lateAfter = c.lateAfter
        } else {
            dueBy = acquirerDueBy
            lateAfter = acquirerLateAfter
        }
    }
}

/// `rrn`'s part of `total` split over `weights` by `allocate` (the sum of its parts when
/// it has several weights).
func allocated(_ total: Int64, over weights: [(rrn: String, gross: Int64)], to rrn: String) -> Int64 {
    let parts = allocate(total, over: weights.map(\.gross))
    var mine: Int64 = 0
    for (i, w) in weights.enumerated() where w.rrn == rrn { mine += parts[i] }
    return mine
}

/// Splits `total` over `weights` in proportion, rounded half away from zero, the last
/// weight taking the remainder so the parts add up to `total` exactly.
func allocate(_ total: Int64, over weights: [Int64]) -> [Int64] {
    guard !weights.isEmpty else { return [] }
    let sumW = weights.reduce(UInt64(0)) { $0 + UInt64(max(0, $1)) }
    guard sumW > 0 else { return weights.indices.map { $0 == weights.count - 1 ? total : 0 } }
    var parts: [Int64] = []
    var left = total
    for (i, w) in weights.enumerated() {
        if i == weights.count - 1 { parts.append(left); break }
        let product = total.magnitude.multipliedFullWidth(by: UInt64(max(0, w)))
        let (q, r) = sumW.dividingFullWidth(product)
        let rounded = r >= sumW - r ? q + 1 : q
        let part = total < 0 ? -Int64(rounded) : Int64(rounded)
        parts.append(part)
        left -= part
    }
    return parts
}

// MARK: - The diagnoser

/// One diagnosis in the making: the evidence, "now", and the words.
struct Diagnoser {
    let e: Evidence
    let now: Instant
    let policy: SettlementPolicy
    let f: DiagnosisFormat
    /// Whether to list the causes checked and excluded.
    var includeRuledOut = true
    /// Whether to write the findings' text (`Diagnosis.diagnose(_:now:includeRuledOut:words:memo:)`).
    var words = true
    /// What earlier diagnoses of the same pass computed about payouts' lines.
    var memo: DiagnosisMemo?

    /// The facts of a payout of the evidence (its lines' digest from the memo when there is one).
    func facts(_ pe: Evidence.PayoutEvidence) throws -> PayoutFacts {
        try PayoutFacts(pe, policy: policy, holds: e.holds, now: now, memo: memo)
    }

    init(evidence: Evidence, now: Instant) {
        e = evidence
        self.now = now
        policy = evidence.policy
        var ids = Set<String>()
        if let m = evidence.merchant { ids.insert(m.merchantId) }
        if let t = evidence.transaction { ids.insert(t.merchantId) }
        for p in evidence.payouts { ids.insert(p.payout.merchantId) }
        f = DiagnosisFormat(zone: policy.timeZone, knownIdentifiers: ids)
    }

    /// A line of text, built only when the diagnosis has words.
    func t(_ en: @autoclosure () throws -> String, _ zh: @autoclosure () throws -> String) rethrows -> BilingualText {
        words ? BilingualText(en: try en(), zh: try zh()) : Self.silent
    }

    static let silent = BilingualText(en: "", zh: "")

    /// A diagnosis that could not compute its amounts, saying why.
    func unreadable(_ error: any Error, subject: Diagnosis.Subject, currency: Currency) -> Diagnosis {
        let zero = Money.zero(currency)
        let finding = Finding(code: .unexplained,
            evidence: [t("the amounts could not be computed: \(error)", "金额无法计算：\(error)")],
            nextStep: t("Check the report rows for this reference; ask the acquirer for a corrected statement.",
                        "请核对该参考号对应的对账记录，并向收单机构索取更正后的对账单。"),
            explained: false)
        return Diagnosis(subject: subject, state: .short, expectedNet: zero, received: zero, shortBy: zero,
                         expectedCredit: nil, lateAfter: nil, findings: [finding], ruledOut: [], shares: [], checks: [], now: now)
    }

    var accountClass: AccountClass { e.merchant?.accountClass ?? policy.accountClass }
    var dailyLimit: Money? {
        if let m = e.merchant { return m.dailyInflowLimit ?? SettlementPolicy.defaultInflowLimit(for: m.accountClass, currency: m.currency) }
        return policy.dailyInflowLimit
    }
    var accountMasked: String? { e.merchant?.bankAccountMasked }

    /// Whether the hold still withholds money at `now` (`Hold.openAmount`: a continuation
    /// payout that paid out all of it closes it).
    func isOpen(_ h: Hold) -> Bool { h.openAmount(now: now, payouts: e.payouts).minor > 0 }

    // MARK: Transaction

    func diagnoseTransaction(_ txn: Transaction) throws -> Diagnosis {
        let cur = txn.amount.currency
        let zero = Money.zero(cur)
        let exp = e.expectation
        let facts = try e.payouts.filter { $0.payout.expectedAmount.currency == cur }
            .map { try self.facts($0) }
        let ownFee = txn.fee ?? (txn.amount.minor > 0 ? exp?.fee.total : nil) ?? zero
        // Under the contract the sale is owed its contracted net (a fee over the contract
        // is a shortfall to dispute); money the config is not the contract of is owed the
        // gross less the fee its report states.
        var expected = try exp?.net ?? txn.amount.subtracting(txn.fee ?? zero)
        if !policy.contractApplies, let reported = txn.fee, let exp, reported.currency == cur {
            expected = try exp.net.adding(exp.fee.total).subtracting(reported)
        }

        var shares: [PayoutShare] = []
        var received = zero
        var shareOfGap: [String: Money] = [:]
        for p in facts {
            let sole = isSole(p, txn)
            var got = zero
            if p.isCredited {
                if sole {
                    got = p.paid
                } else {
                    let (claim, gapShare) = try sharedClaim(p, txn, ownFee: ownFee)
                    // A batch fee over the contract is taken from the sales' money too.
                    got = try claim.adding(gapShare).subtracting(try feeOverContractNotInClaim(p, rrn: txn.rrn))
                    shareOfGap[p.ref] = gapShare
                }
            }
            received = try received.adding(got)
            shares.append(share(p, received: got, shared: !sole))
        }
        // Payouts in another currency count nothing here (CURRENCY_MISMATCH says why).
        let foreign = try foreignPayouts(cur)
        for p in foreign { shares.append(share(p, received: zero, shared: !isSole(p, txn))) }
        let remaining = try expected.subtracting(received)
        let settled = expected.minor >= 0 ? remaining.minor <= 0 : remaining.minor >= 0
        let shortBy = settled ? zero : (expected.minor >= 0 ? remaining : try remaining.negated())

        let holds = relevantHolds(rrns: [txn.rrn], refs: Set(facts.map(\.ref)))
        let withholdLines = facts.flatMap { p in
            p.digest.lines([.hold, .carryOver], namingOrNone: txn.rrn)
        }
        let unexpectedReserve = policy.reservePPM == 0 && facts.contains { !$0.reserveLines.isZero }
        let state: MoneyState
        if txn.kind == .void || txn.kind == .reversal {
            state = .reversed
        } else if settled {
            state = .settled
        } else if facts.contains(where: \.isFailed) && !facts.contains(where: \.isPending) {
            state = .failed
        } else if facts.contains(where: { $0.payout.status == .held }) || holds.contains(where: isOpen) {
            state = .held
        } else if facts.contains(where: \.isPending) {
            state = facts.contains { $0.isPending && now > $0.lateAfter } ? .late : .pending
        } else if !withholdLines.isEmpty || unexpectedReserve {
            state = .held
        } else if facts.isEmpty {
            state = noPayoutState(exp, foreign: foreign)
        } else if let exp, exp.portions.count > facts.count {
            // A D+0 sale split at the quota: its T+1 part has no payout yet. It is still
            // coming (pending) until its own late time, not short.
            state = now > exp.lateAfter ? .late : .pending
        } else {
            state = .short
        }

        var ctx = Context(txn: txn, exp: exp, facts: facts, holds: holds, state: state, expected: expected,
                          received: received, shortBy: shortBy, ownFee: ownFee, shareOfGap: shareOfGap, zero: zero)
        ctx.periodStart = txn.occurredAt
        let findings = try collectFindings(ctx)
        let ruledOut = includeRuledOut ? try ruledOutChecks(ctx, codes: Set(findings.map(\.code))) : []
        return Diagnosis(subject: .transaction(rrn: txn.rrn), state: state, expectedNet: expected, received: received,
                         shortBy: shortBy, expectedCredit: exp?.expectedCredit ?? facts.first?.payout.expectedArrival,
                         lateAfter: exp?.lateAfter ?? facts.first?.lateAfter, findings: findings, ruledOut: ruledOut,
                         shares: shares, checks: facts.map(\.check), now: now)
    }

    /// Whether `p` carries `txn` alone.
    func isSole(_ p: PayoutFacts, _ txn: Transaction) -> Bool {
        if p.digest.namesOther(than: txn.rrn) { return false }
        return !e.payoutTransactions.contains { $0.rrn != txn.rrn && $0.payoutRef == p.ref }
    }

    /// A shared payout's claim for `txn` (its lines less its fee) and its share of the
    /// unattributed lines and of the payout's shortfall.
    func sharedClaim(_ p: PayoutFacts, _ txn: Transaction, ownFee: Money) throws -> (Money, Money) {
        let own = p.digest.lines(naming: txn.rrn)
        var claim: Money
        if own.isEmpty {
            claim = try txn.amount.subtracting(ownFee)
        } else {
            claim = try Money.sum(own.map(\.amount), currency: p.zero.currency)
            let hasSale = own.contains { $0.kind == .transaction }
            if hasSale && !own.contains(where: { $0.kind == .fee }) { claim = try claim.subtracting(ownFee) }
        }
        // Whole-batch lines other than fees, and the part the payout did not pay.
        let spread = try p.digest.unassigned.subtracting(p.check.gap.isNegative ? p.zero : p.check.gap)
        let mine: Int64
        if !p.digest.saleWeights.isEmpty {
            mine = p.digest.share(of: spread.minor, rrn: txn.rrn)
        } else {
            var weights = e.payoutTransactions.filter { $0.payoutRef == p.ref && $0.amount.minor > 0 }.map { (rrn: $0.rrn, gross: $0.amount.minor) }
            if !weights.contains(where: { $0.rrn == txn.rrn }) && txn.amount.minor > 0 { weights.append((txn.rrn, txn.amount.minor)) }
            mine = allocated(spread.minor, over: weights, to: txn.rrn)
        }
        return (claim, Money(minor: mine, currency: p.zero.currency))
    }

    func share(_ p: PayoutFacts, received: Money, shared: Bool) -> PayoutShare {
        PayoutShare(ref: p.ref, status: p.payout.status, cycleDate: p.payout.cycleDate, expectedAmount: p.payout.expectedAmount,
                    paidAmount: p.payout.paidAmount, received: received, shared: shared, expectedArrival: p.payout.expectedArrival,
                    creditedAt: p.creditedAt, bankRef: p.payout.bankRef, failureCode: p.payout.failureCode,
                    lateAfter: p.lateAfter)
    }

    /// Holds on these RRNs or payouts.
    func relevantHolds(rrns: Set<String>, refs: Set<String>) -> [Hold] {
        e.holds.filter { h in (h.rrn.map { rrns.contains($0) } ?? false) || (h.payoutRef.map { refs.contains($0) } ?? false) }
            .sorted { ($0.openedAt, $0.ref) < ($1.openedAt, $1.ref) }
    }

    // MARK: Payout

    func diagnosePayout(_ pe: Evidence.PayoutEvidence) throws -> Diagnosis {
        let p = try facts(pe)
        let zero = p.zero
        // Under the contract the payout owes the contracted net: fee lines charging more
        // than the contract for its sales leave it short by the excess (as its sales are).
        var expected = p.payout.expectedAmount
        if let over = try payoutFeeOverContract(p)?.amount, over.minor > 0 { expected = try expected.adding(over) }
        // Continuations and re-sends (`followUps`) pay part of what this payout owes.
        let follow = try followUps(of: p, among: e.payouts.dropFirst().filter { $0.payout.expectedAmount.currency == zero.currency }
            .map { try self.facts($0) })
        let received = try Money.sum([p.paid] + follow.map(\.credited), currency: zero.currency)
        let remaining = try expected.subtracting(received)
        // A payout short of its own lines is short, whatever its expected amount says.
        let ownGap = p.check.unexplainedGap
        let settled = (p.isCredited || follow.contains { !$0.credited.isZero }) && remaining.minor <= 0 && ownGap.minor <= 0
        let shortBy = remaining.minor >= ownGap.minor ? (remaining.minor > 0 ? remaining : zero) : ownGap
        let rrns = p.rrns.union(e.payoutTransactions.filter { $0.payoutRef == p.ref }.map(\.rrn))
        let holds = relevantHolds(rrns: rrns, refs: [p.ref])
        let pendingFollow = follow.filter { $0.facts.isPending }
        let state: MoneyState
        if settled {
            state = .settled
        } else if p.isFailed && follow.isEmpty {
            state = .failed
        } else if p.payout.status == .held || holds.contains(where: isOpen) {
            state = .held
        } else if p.isPending {
            state = now > p.lateAfter ? .late : .pending
        } else if !pendingFollow.isEmpty {
            state = pendingFollow.contains { now > $0.facts.lateAfter } ? .late : .pending
        } else if p.isFailed {
            state = .failed
        } else if (!p.withheld.isZero && follow.isEmpty) || (policy.reservePPM == 0 && !p.reserveLines.isZero) {
            state = .held
        } else {
            state = .short
        }
        var ctx = Context(txn: nil, exp: nil, facts: [p] + follow.map(\.facts), holds: holds, state: state, expected: expected,
                          received: received, shortBy: shortBy, ownFee: zero, shareOfGap: [:], zero: zero)
        ctx.periodStart = LocalDateTime(date: p.payout.cycleDate, secondOfDay: 0).instant(in: policy.timeZone)
        let findings = try collectFindings(ctx)
        let ruledOut = includeRuledOut ? try ruledOutChecks(ctx, codes: Set(findings.map(\.code))) : []
        return Diagnosis(subject: .payout(ref: p.ref), state: state, expectedNet: expected, received: received, shortBy: shortBy,
                         expectedCredit: p.payout.expectedArrival, lateAfter: p.lateAfter, findings: findings,
                         ruledOut: ruledOut,
                         shares: [share(p, received: p.paid, shared: rrns.count > 1)] + follow.map { share($0.facts, received: $0.credited, shared: true) },
                         checks: [p.check], now: now)
    }
}

/// What the rules read: the subject, its payouts and holds, and the sums so far.
struct Context {
    let txn: Transaction?
    let exp: SettlementExpectation?
    let facts: [PayoutFacts]
    let holds: [Hold]
    let state: MoneyState
    let expected: Money
    let received: Money
    let shortBy: Money
    let ownFee: Money
    /// For a transaction in a shared payout: its share of the payout's unattributed
    /// lines and shortfall.
    let shareOfGap: [String: Money]
    let zero: Money
    var periodStart: Instant = Instant(epochMillis: 0)

    var isLate: Bool { state == .late }
    var settled: Bool { state == .settled }
    /// The reference the acquirer finds the subject by.
    var subjectRef: String { txn?.rrn ?? facts.first?.ref ?? "" }
}
