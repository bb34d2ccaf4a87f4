import Foundation

/// What a text typed at the monitor's `/` can mean: an identifier (RRN, payout ref,
/// terminal id, MID; whole or its start), a card's last four digits (with or without
/// the `*` the screen shows), an amount in any way it is written on screen or in a
/// report (`¥30,000.00`, `30000`, `30,000.00`, `-88.00`, `1288元`), or part of a shop or
/// terminal name. The store turns each reading into an indexed condition.
public struct SearchTerms: Hashable, Sendable {
    /// The text without surrounding spaces.
    public let text: String
    /// The text as an identifier: upper-cased, as refs and terminal ids are stored.
    public let identifier: String
    /// Four digits, when the text is a card tail ("3179", "*3179", "**** 3179").
    public let cardTail: String?
    /// The amount in minor units, when the text reads as one in `currency`.
    public let amountMinor: Int64?
    /// True when the text is all digits (an RRN or its start may be meant).
    public let isDigits: Bool

    public init?(_ raw: String, currency: Currency) {
        let text = raw.trimmingSpaces()
        guard !text.isEmpty else { return nil }
        self.text = text
        self.identifier = text.uppercased()
        let digits = text.allSatisfy { $0.isASCII && $0.isNumber }
        self.isDigits = digits
        var tail = Substring(text)
        while let f = tail.first, f == "*" || f == " " || f == "•" { tail = tail.dropFirst() }
        self.cardTail = tail.count == 4 && tail.allSatisfy({ $0.isASCII && $0.isNumber }) && (digits || tail.count < text.count)
            ? String(tail) : nil
        self.amountMinor = Self.amount(text, currency: currency)
    }

    /// The amount the text writes, with a currency sign or word around it, or nil.
    static func amount(_ text: String, currency: Currency) -> Int64? {
        var s = text
        for mark in ["CNY", "RMB", "USD", "EUR", "HKD", "GBP", "元", "¥", "￥", "$", "€", "£", "HK"] {
            s = s.replacingOccurrences(of: mark, with: "")
        }
        s = s.trimmingSpaces()
        // "-¥88.00" and "¥-88.00" both leave a sign at the front.
        guard !s.isEmpty, s.contains(where: { $0.isASCII && $0.isNumber }),
              s.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "," || $0 == "." || $0 == "-" || $0 == "+" }) else { return nil }
        guard let m = try? Money.parse(s, currency: currency), m.minor != 0 else { return nil }
        return m.minor
    }
}
