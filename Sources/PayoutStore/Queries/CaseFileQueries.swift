import GRDB
import PayoutCore

/// The case file of a transaction or a payout: the one place evidence, diagnosis and
/// sources are put together, for the drill-down and the dispute note alike.
extension LedgerReader {
    /// A transaction's case file at `now`.
    public func caseFile(forTransaction line: TxnLine, now: Instant) throws -> CaseFile {
        let evidence = try evidence(forTransaction: line, now: now)
        let sources = try sources(transactionId: line.id, merchantId: line.transaction.merchantId,
                                  payoutRefs: evidence.payouts.map(\.payout.ref))
        let revisions = try revisions(transactionId: line.id, merchantId: line.transaction.merchantId,
                                      payoutRefs: evidence.payouts.map(\.payout.ref))
        return CaseFile(evidence: evidence, diagnosis: Diagnosis.diagnose(evidence, now: now), sources: sources, revisions: revisions)
    }

    /// A payout's case file at `now`.
    public func caseFile(forPayout line: PayoutLine, now: Instant) throws -> CaseFile {
        let evidence = try evidence(forPayout: line, now: now)
        let sources = try sources(transactionId: nil, merchantId: line.payout.merchantId, payoutRefs: evidence.payouts.map(\.payout.ref))
        let revisions = try revisions(transactionId: nil, merchantId: line.payout.merchantId, payoutRefs: [line.payout.ref])
        return CaseFile(evidence: evidence, diagnosis: Diagnosis.diagnosePayout(evidence, now: now), sources: sources,
                        revisions: revisions)
    }
}

extension LedgerReader {
    /// The accepted revisions of a transaction (`transactionId`) and of the payouts
    /// `payoutRefs` of `merchantId`: for a payout, those of its items, holds and
    /// transactions too. Oldest first.
    public func revisions(transactionId: Int64?, merchantId: String, payoutRefs: [String]) throws -> [Revision] {
        var conditions: [String] = []
        var args: [DatabaseValueConvertible?] = []
        if let transactionId {
            conditions.append("(r.tableName = 'txn' AND r.recordId = ?)")
            args.append(transactionId)
            // A transaction's case shows its payouts' own revisions, not their other items'.
            for ref in payoutRefs {
                conditions.append("(r.tableName = 'payout' AND r.merchantId = ? AND r.payoutRef = ?)")
                args += [merchantId, ref]
            }
        } else {
            for ref in payoutRefs {
                conditions.append("(r.merchantId = ? AND r.payoutRef = ?)")
                args += [merchantId, ref]
            }
        }
        guard !conditions.isEmpty else { return [] }
        let sql = """
            SELECT r.tableName, r.field, r.oldValue, r.newValue, r.oldLine, r.newLine, o.path AS oldPath, n.path AS newPath,
              CASE r.tableName
                WHEN 'txn' THEN (SELECT rrn FROM txn WHERE id = r.recordId)
                WHEN 'payout' THEN r.payoutRef
                WHEN 'payoutItem' THEN (SELECT lineNo || ' of payout ' || payoutRef FROM payoutItem WHERE id = r.recordId)
                WHEN 'hold' THEN (SELECT ref FROM hold WHERE id = r.recordId)
                ELSE (SELECT state FROM accountEvent WHERE id = r.recordId)
              END AS ref
            FROM revision r JOIN reportFile o ON o.id = r.oldFileId JOIN reportFile n ON n.id = r.newFileId
            WHERE \(conditions.joined(separator: " OR ")) ORDER BY r.id
            """
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)!).map { row in
            Revision(table: row["tableName"], recordRef: (row["ref"] as String?) ?? "", field: row["field"],
                     old: Revision.Value(stored: row["oldValue"]), new: Revision.Value(stored: row["newValue"]),
                     oldPlace: Revision.Place(path: row["oldPath"], line: row["oldLine"]),
                     newPlace: Revision.Place(path: row["newPath"], line: row["newLine"]))
        }
    }
}
