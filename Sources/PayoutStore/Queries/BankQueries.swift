import Foundation
import GRDB
import PayoutCore

/// A payout's bank side as `status`, the monitor and notes show it: the state
/// `BankEvidence.state` computes (the diagnosis reads the same evidence) and the
/// booking time of its credit.
public struct PayoutBankState: Sendable, Hashable {
    public var state: BankEvidence.State
    public var bookedAt: Instant?
    /// The booking day when no time is given.
    public var bookingDate: LocalDate?
    /// The statement files that prove a missing credit (for `notCredited`).
    public var statementFiles: [String]
}

/// A credit from an acquirer's payer that matches no payout: money nobody announced.
public struct UnannouncedCredit: Sendable, Hashable {
    public var merchantId: String
    public var amount: Money
    public var bookingDate: LocalDate
    public var bookedAt: Instant?
    public var counterparty: String?
    public var remittance: String?
    public var bankRef: String?
    public var file: String
    public var line: Int
}

extension LedgerReader {
    /// The bank side of one payout; nil when no statement of its merchant was read.
    public func bankState(of p: Payout) throws -> PayoutBankState? {
        guard let bank = try BankEvidenceQueries.bank(db, p, rules: rules) else { return nil }
        let sure = bank.credits.filter { !$0.ambiguous }
        return PayoutBankState(state: bank.state, bookedAt: bank.bookedAt, bookingDate: sure.map(\.bookingDate).max(),
                               statementFiles: bank.state == .notCredited ? bank.covering.map(\.file) : [])
    }

    /// Credits from an acquirer's payer on assigned statements that no match claims,
    /// newest first.
    public func unannouncedCredits(limit: Int = 50) throws -> [UnannouncedCredit] {
        try Row.fetchAll(db, sql: """
            SELECT e.merchantId, e.amountMinor, e.currency, e.bookingDate, e.bookedAt, e.counterpartyName, e.remittance, e.bankRef,
                   e.line, f.path
            FROM bankEntry e JOIN bankStatement s ON s.id = e.statement JOIN reportFile f ON f.id = s.fileId
            WHERE e.fromAcquirer = 1 AND e.merchantId IS NOT NULL AND e.amountMinor > 0 AND e.status = 'booked' AND e.reversal = 0
              AND NOT EXISTS (SELECT 1 FROM bankMatch m WHERE m.entryId = e.id)
            ORDER BY e.bookingDate DESC, e.id DESC LIMIT ?
            """, arguments: [limit]).map { row in
            let bookedAt: Int64? = row["bookedAt"]
            let c = Currency(code: row["currency"]) ?? .CNY
            return UnannouncedCredit(merchantId: row["merchantId"], amount: Money(minor: row["amountMinor"], currency: c),
                                     bookingDate: LocalDate(iso: row["bookingDate"]) ?? LocalDate(year: 1970, month: 1, day: 1)!,
                                     bookedAt: bookedAt.map { Instant(epochMillis: $0) }, counterparty: row["counterpartyName"],
                                     remittance: row["remittance"], bankRef: row["bankRef"], file: row["path"], line: row["line"])
        }
    }

    /// Statements stored for an account no merchant has.
    public func unassignedStatementCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bankStatement WHERE merchantId IS NULL") ?? 0
    }

    /// How many open payouts the store holds as `NOT_CREDITED` (the acquirer reports them
    /// paid, a complete statement of their days holds no credit: the Bank column's ✗);
    /// nil when no statement is assigned to a merchant, so nothing is claimed.
    public func notCreditedOpenPayouts() throws -> Int? {
        guard try BankMatching.hasStatements(db) else { return nil }
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payoutState s WHERE \(Self.openCondition(false)) AND s.cause = ?",
                                arguments: [CauseCode.notCredited.rawValue]) ?? 0
    }
}
