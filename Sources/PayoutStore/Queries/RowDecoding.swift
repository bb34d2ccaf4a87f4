import Foundation
import GRDB
import PayoutCore

/// Turning stored rows back into PayoutCore records.
enum Decode {
    static func currency(_ row: Row, _ column: String = "currency") -> Currency {
        let code: String = row[column]
        return Currency(code: code) ?? Currency(code: code, minorDigits: 2, symbol: code)
    }

    static func money(_ row: Row, _ column: String, _ c: Currency) -> Money { Money(minor: row[column], currency: c) }

    static func optionalMoney(_ row: Row, _ column: String, _ c: Currency) -> Money? {
        (row[column] as Int64?).map { Money(minor: $0, currency: c) }
    }

    static func instant(_ row: Row, _ column: String) -> Instant? { (row[column] as Int64?).map(Instant.init(epochMillis:)) }

    /// The columns `transaction(_:)` reads, for SELECTs on `txn t` joined with `terminal tm`.
    static let txnColumns = """
        t.id, t.merchantId, t.terminalId, tm.name AS terminalName, t.batchNo, t.traceNo, t.rrn, t.authCode, t.cardMasked,
        t.cardKind, t.kind, t.amountMinor, t.currency, t.feeMinor, t.occurredAt, t.payoutRef
        """
    static let txnJoin = "txn t LEFT JOIN terminal tm ON tm.merchantId = t.merchantId AND tm.terminalId = t.terminalId"

    /// A transaction from a row whose first columns are `txnColumns`, read by position
    /// (reading by name looks each column up, a measurable cost over a million rows).
    static func transaction(_ row: Row) -> Transaction {
        let code: String = row[12]
        let c = Currency(code: code) ?? Currency(code: code, minorDigits: 2, symbol: code)
        return Transaction(
            merchantId: row[1], terminalId: row[2], terminalName: row[3],
            batchNo: row[4], traceNo: row[5], rrn: row[6], authCode: row[7],
            cardMasked: row[8], cardKind: CardKind(rawValue: row[9]) ?? .other,
            kind: TxnKind(rawValue: row[10]) ?? .sale, amount: Money(minor: row[11], currency: c),
            fee: (row[13] as Int64?).map { Money(minor: $0, currency: c) },
            occurredAt: Instant(epochMillis: row[14]), payoutRef: row[15])
    }

    static func payout(_ row: Row) -> Payout {
        let c = currency(row)
        return Payout(
            merchantId: row["merchantId"], ref: row["ref"],
            cycleDate: LocalDate(iso: row["cycleDate"]) ?? LocalDate(dayNumber: 0),
            expectedAmount: money(row, "expectedMinor", c), paidAmount: optionalMoney(row, "paidMinor", c),
            status: PayoutStatus(rawValue: row["status"]) ?? .scheduled,
            expectedArrival: instant(row, "expectedArrival"), creditedAt: instant(row, "creditedAt"),
            bankRef: row["bankRef"], failureCode: row["failureCode"])
    }

    static func item(_ row: Row) -> PayoutItem {
        let c = currency(row)
        return PayoutItem(merchantId: row["merchantId"], payoutRef: row["payoutRef"], lineNo: row["lineNo"],
                          kind: PayoutItemKind(rawValue: row["kind"]) ?? .adjustment, amount: money(row, "amountMinor", c),
                          rrn: row["rrn"], note: row["note"])
    }

    static func hold(_ row: Row) -> Hold {
        let c = currency(row)
        return Hold(merchantId: row["merchantId"], ref: row["ref"], kind: HoldKind(rawValue: row["kind"]) ?? .riskReview,
                    amount: money(row, "amountMinor", c), rrn: row["rrn"], payoutRef: row["payoutRef"],
                    openedAt: Instant(epochMillis: row["openedAt"]), releasedAt: instant(row, "releasedAt"), reason: row["reason"])
    }

    static func event(_ row: Row) -> AccountEvent {
        AccountEvent(merchantId: row["merchantId"], state: AccountState(rawValue: row["state"]) ?? .active,
                     at: Instant(epochMillis: row["at"]), reason: row["reason"])
    }

    static func merchant(_ row: Row) -> Merchant {
        let c = currency(row)
        return Merchant(merchantId: row["merchantId"], name: row["name"], acquirer: row["acquirer"],
                        bankAccountMasked: row["bankAccountMasked"],
                        accountClass: AccountClass(rawValue: row["accountClass"]) ?? .corporate,
                        dailyInflowLimit: optionalMoney(row, "dailyInflowLimitMinor", c), cycle: row["cycle"], currency: c)
    }
}
