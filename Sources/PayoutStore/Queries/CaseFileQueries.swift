import PayoutCore

/// The case file of a transaction or a payout: the one place evidence, diagnosis and
/// sources are put together, for the drill-down and the dispute note alike.
extension LedgerReader {
    /// A transaction's case file at `now`.
    public func caseFile(forTransaction line: TxnLine, now: Instant) throws -> CaseFile {
        let evidence = try evidence(forTransaction: line, now: now)
        let sources = try sources(transactionId: line.id, merchantId: line.transaction.merchantId,
                                  payoutRefs: evidence.payouts.map(\.payout.ref))
        return CaseFile(evidence: evidence, diagnosis: Diagnosis.diagnose(evidence, now: now), sources: sources)
    }

    /// A payout's case file at `now`.
    public func caseFile(forPayout line: PayoutLine, now: Instant) throws -> CaseFile {
        let evidence = try evidence(forPayout: line, now: now)
        let sources = try sources(transactionId: nil, merchantId: line.payout.merchantId, payoutRefs: evidence.payouts.map(\.payout.ref))
        return CaseFile(evidence: evidence, diagnosis: Diagnosis.diagnosePayout(evidence, now: now), sources: sources)
    }
}
