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

    static func transaction(_ row: Row) -> Transaction {
        let c = currency(row)
        return Transaction(
            merchantId: row["merchantId"], terminalId: row["terminalId"], terminalName: row["terminalName"],
            batchNo: row["batchNo"], traceNo: row["traceNo"], rrn: row["rrn"], authCode: row["authCode"],
            cardMasked: row["cardMasked"], cardKind: CardKind(rawValue: row["cardKind"]) ?? .other,
            kind: TxnKind(rawValue: row["kind"]) ?? .sale, amount: money(row, "amountMinor", c),
            fee: optionalMoney(row, "feeMinor", c), occurredAt: Instant(epochMillis: row["occurredAt"]), payoutRef: row["payoutRef"])
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
