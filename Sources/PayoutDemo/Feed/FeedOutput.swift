import Foundation
import PayoutCore
import PayoutFormats

/// A hold the feed opens for a story, and releases later.
struct FeedHold: Sendable, Hashable {
    var merchantId: String
    var ref: String
    var kind: HoldKind
    var amount: Int64
    var currency: Currency
    var rrn: String?
    var payoutRef: String?
    var openedAt: Instant
    var reason: String
}

/// The rows of one feed tick, collected per canonical kind and turned into CSV files.
struct FeedOutput {
    private var merchants = Rows(kind: "merchants", header: ["merchant_id", "merchant_name", "acquirer", "bank_account",
                                                             "account_class", "daily_inflow_limit", "cycle", "currency"])
    private var transactions = Rows(kind: "transactions", header: ["merchant_id", "terminal_id", "terminal_name", "batch_no",
                                                                   "trace_no", "rrn", "auth_code", "card_number", "card_kind",
                                                                   "kind", "amount", "fee", "currency", "occurred_at", "payout_ref"])
    private var items = Rows(kind: "payout_items", header: ["merchant_id", "payout_ref", "line_no", "item_kind", "amount",
                                                            "currency", "rrn", "note"])
    private var holds = Rows(kind: "holds", header: ["merchant_id", "hold_ref", "hold_kind", "amount", "currency", "rrn",
                                                     "payout_ref", "opened_at", "released_at", "reason"])
    private var payouts = Rows(kind: "payouts", header: ["merchant_id", "payout_ref", "cycle_date", "expected_amount",
                                                         "paid_amount", "currency", "status", "expected_arrival",
                                                         "credited_at", "bank_ref", "failure_code"])
    private var events = Rows(kind: "account_events", header: ["merchant_id", "state", "at", "reason"])

    /// Rows of one kind.
    struct Rows {
        let kind: String
        var writer: CSVWriter
        var count = 0
        init(kind: String, header: [String]) {
            self.kind = kind
            self.writer = CSVWriter(header: header)
        }
        mutating func append(_ fields: [String?]) {
            writer.append(fields)
            count += 1
        }
        var file: FeedFile? { count == 0 ? nil : FeedFile(kind: kind, text: writer.text, rows: count) }
    }

    /// The files in import order: profiles and transactions first, then the lines of
    /// payouts and the holds, then the payouts that name them, then account events. A
    /// payout row thus arrives with its lines already in the store.
    func files() -> [FeedFile] {
        [merchants.file, transactions.file, items.file, holds.file, payouts.file, events.file].compactMap { $0 }
    }

    mutating func merchant(_ m: Merchant) {
        merchants.append([m.merchantId, m.name, m.acquirer, m.bankAccountMasked, m.accountClass.rawValue,
                          m.dailyInflowLimit?.decimalString, m.cycle, m.currency.code])
    }

    mutating func transaction(_ fields: [String?]) { transactions.append(fields) }

    mutating func item(_ mid: String, _ ref: String, _ line: Int, _ kind: PayoutItemKind, _ amount: Int64, _ currency: Currency,
                       rrn: String?, note: String?) {
        items.append([mid, ref, String(line), kind.rawValue, Money(minor: amount, currency: currency).decimalString,
                      currency.code, rrn, note])
    }

    mutating func hold(_ h: FeedHold, released: Instant?, stamp: (Instant) -> String) {
        holds.append([h.merchantId, h.ref, h.kind.rawValue, Money(minor: h.amount, currency: h.currency).decimalString,
                      h.currency.code, h.rrn, h.payoutRef, stamp(h.openedAt), released.map(stamp), h.reason])
    }

    mutating func payoutRow(merchantId: String, ref: String, cycleDate: LocalDate, expected: Int64, paid: Int64?,
                            currency: Currency, status: PayoutStatus, arrival: Instant, credited: Instant?, bankRef: String?,
                            failure: String?, stamp: (Instant) -> String) {
        payouts.append([merchantId, ref, cycleDate.iso, Money(minor: expected, currency: currency).decimalString,
                        paid.map { Money(minor: $0, currency: currency).decimalString }, currency.code, status.rawValue,
                        stamp(arrival), credited.map(stamp), bankRef, failure])
    }

    mutating func event(_ mid: String, _ state: AccountState, at: Instant, reason: String, stamp: (Instant) -> String) {
        events.append([mid, state.rawValue, stamp(at), reason])
    }
}
