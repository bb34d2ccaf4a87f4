/// Checks for the identifiers an acquirer uses to find a transaction.
///
/// Acquirers differ (a UnionPay MID has 15 digits, a Stripe payout id is `po_...`), so
/// the rule is: printable ASCII without spaces or commas, within a length bound. The
/// conventional Chinese shapes are documented on each kind for the demo and tests.
public enum IdentifierKind: String, Sendable, CaseIterable {
    /// 商户号: 15 digits in China UnionPay practice.
    case merchantId
    /// 终端号: 8 characters.
    case terminalId
    /// 批次号: 6 digits.
    case batchNo
    /// 凭证号 / STAN: 6 digits.
    case traceNo
    /// 参考号 / RRN: 12 characters.
    case rrn
    /// 授权码: 6 characters.
    case authCode
    /// A payout or settlement reference.
    case payoutRef

    public var maxLength: Int { self == .payoutRef || self == .merchantId ? 64 : 40 }

    /// Returns nil when `value` is acceptable, else why not.
    public func problem(with value: String) -> String? {
        if value.isEmpty { return "is empty" }
        if value.count > maxLength { return "is longer than \(maxLength) characters" }
        for u in value.unicodeScalars {
            if !(u.isASCII && u.value > 32 && u.value < 127) || u == "," || u == "\"" {
                return "has a character that is not allowed in an identifier: \"\(u)\""
            }
        }
        return nil
    }
}
