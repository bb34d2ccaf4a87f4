import Foundation
import PayoutCore

/// The canonical CSV kinds: payoutmon's own documented report format.
///
/// Each kind is recognised by its header: the kind whose required columns are all
/// present wins. Column names are snake_case; order does not matter; extra columns
/// are an error so that a misspelt optional column is not silently ignored.
public enum CanonicalKind: String, CaseIterable, Sendable {
    case transactions
    case payouts
    case payoutItems = "payout_items"
    case accountEvents = "account_events"
    case holds
    case merchants

    public var requiredColumns: [String] {
        switch self {
        case .transactions:
            return ["merchant_id", "terminal_id", "batch_no", "trace_no", "rrn", "auth_code", "card_number",
                    "card_kind", "kind", "amount", "currency", "occurred_at"]
        case .payouts:
            return ["merchant_id", "payout_ref", "cycle_date", "expected_amount", "currency", "status"]
        case .payoutItems:
            return ["merchant_id", "payout_ref", "line_no", "item_kind", "amount", "currency"]
        case .accountEvents:
            return ["merchant_id", "state", "at", "reason"]
        case .holds:
            return ["merchant_id", "hold_ref", "hold_kind", "amount", "currency", "opened_at", "reason"]
        case .merchants:
            return ["merchant_id", "merchant_name", "acquirer", "bank_account", "account_class", "currency"]
        }
    }

    public var optionalColumns: [String] {
        switch self {
        case .transactions: return ["terminal_name", "fee", "payout_ref"]
        case .payouts: return ["paid_amount", "expected_arrival", "credited_at", "bank_ref", "failure_code"]
        case .payoutItems: return ["rrn", "note"]
        case .accountEvents: return []
        case .holds: return ["rrn", "payout_ref", "released_at"]
        case .merchants: return ["daily_inflow_limit", "cycle"]
        }
    }

    /// The column that only this kind has; used to name the kind a broken header meant.
    var marker: String {
        switch self {
        case .transactions: return "trace_no"
        case .payouts: return "cycle_date"
        case .payoutItems: return "item_kind"
        case .accountEvents: return "state"
        case .holds: return "hold_kind"
        case .merchants: return "merchant_name"
        }
    }

    /// Picks the kind for a header, or explains what is wrong with it.
    static func detect(header: [String]) -> Result<CanonicalKind, HeaderProblem> {
        let names = Set(header)
        if let exact = allCases.first(where: { Set($0.requiredColumns).isSubset(of: names) }) {
            return .success(exact)
        }
        if let meant = allCases.first(where: { names.contains($0.marker) }) {
            let missing = meant.requiredColumns.filter { !names.contains($0) }
            return .failure(HeaderProblem(reason: "header is a \(meant.rawValue) header missing column \(missing.joined(separator: ", "))"))
        }
        return .failure(HeaderProblem(reason: "header is not one of the canonical kinds (\(allCases.map(\.rawValue).joined(separator: ", "))); see the README's report format"))
    }
}

/// Why a header matches no canonical kind.
struct HeaderProblem: Error { let reason: String }
