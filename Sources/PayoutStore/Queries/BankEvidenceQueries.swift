import Foundation
import GRDB
import PayoutCore

/// Reads the bank part of a payout's evidence: the credits matched to it and the
/// statements of its merchant around its credit window (`BankEvidence`). Two indexed
/// queries per payout (bankMatch_payout, bankStatement_merchant); a merchant without
/// any statement gets no bank part, so nothing is claimed about its bank.
enum BankEvidenceQueries {
    static func adding(to pe: Evidence.PayoutEvidence, _ db: Database, rules: SettlementRules) throws -> Evidence.PayoutEvidence {
        var pe = pe
        pe.bank = try bank(db, pe.payout, rules: rules)
        return pe
    }

    static func bank(_ db: Database, _ p: Payout, rules: SettlementRules) throws -> BankEvidence? {
        guard try Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM bankStatement WHERE merchantId = ? LIMIT 1"),
                                arguments: [p.merchantId]) != nil else { return nil }
        let window = BankMatching.window(of: p, rules: rules)
        let cur = p.expectedAmount.currency
        let credits = try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT m.rule, m.ambiguous, m.differenceMinor, e.amountMinor, e.currency, e.bookingDate, e.bookedAt, e.bankRef,
                   e.counterpartyName, e.remittance, e.line, f.path
            FROM bankMatch m JOIN payout p ON p.id = m.payoutId JOIN bankEntry e ON e.id = m.entryId
            JOIN bankStatement s ON s.id = e.statement JOIN reportFile f ON f.id = s.fileId
            WHERE p.merchantId = ? AND p.ref = ? ORDER BY e.bookingDate, e.id
            """), arguments: [p.merchantId, p.ref]).map { row -> BankEvidence.Credit in
            let c = Currency(code: row["currency"]) ?? cur
            let bookedAt: Int64? = row["bookedAt"]
            return BankEvidence.Credit(amount: Money(minor: row["amountMinor"], currency: c),
                                       bookingDate: LocalDate(iso: row["bookingDate"]) ?? window.lowerBound,
                                       bookedAt: bookedAt.map { Instant(epochMillis: $0) }, bankRef: row["bankRef"],
                                       counterparty: row["counterpartyName"], remittance: row["remittance"], rule: row["rule"],
                                       ambiguous: row["ambiguous"], difference: Money(minor: row["differenceMinor"], currency: c),
                                       file: row["path"], line: row["line"])
        }
        let statements = try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT s.format, s.statementRef, s.accountMasked, s.kind, s.periodStart, s.periodEnd, s.incompleteReason, s.line,
                   f.path, f.sha256
            FROM bankStatement s JOIN reportFile f ON f.id = s.fileId
            WHERE s.merchantId = ? AND s.currency = ? AND s.periodEnd >= ? AND s.periodStart <= ?
            ORDER BY s.periodStart, s.id
            """), arguments: [p.merchantId, cur.code, window.lowerBound.iso, window.upperBound.iso]).compactMap { row -> BankEvidence.Statement? in
            guard let start = LocalDate(iso: row["periodStart"]), let end = LocalDate(iso: row["periodEnd"]) else { return nil }
            return BankEvidence.Statement(file: row["path"], sha256: row["sha256"], format: row["format"], statementRef: row["statementRef"],
                                          accountMasked: row["accountMasked"], kind: BankStatementKind(rawValue: row["kind"]) ?? .intraday,
                                          periodStart: start, periodEnd: end, incompleteReason: row["incompleteReason"], line: row["line"])
        }
        return BankEvidence(window: window, credits: credits, statements: statements)
    }
}
