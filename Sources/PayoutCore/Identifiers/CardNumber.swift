/// Card numbers: masking to first 6 + last 4, and spotting a full number in text.
///
/// payoutmon never stores or prints a full primary account number (PAN). Every card
/// value that enters the program goes through `CardNumber.mask` first.
public enum CardNumber {
    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// Returns a masked card value: "622848******1234".
    ///
    /// - A full number of 12-19 digits (spaces and dashes allowed) keeps its first 6 and
    ///   last 4 digits; the rest become `*`.
    /// - An already-masked value (digits with `*`, `x` or `X` in the middle) is
    ///   normalised to `*` and kept, provided it shows no more than 6 + 4 digits.
    /// - Empty input stays empty (QR payments have no card).
    public static func mask(_ raw: String) throws(Invalid) -> String {
        let text = raw.filter { $0 != " " && $0 != "-" }
        if text.isEmpty { return "" }
        var out = ""
        var digits = 0
        var masks = 0
        for ch in text {
            if ch.isASCII && ch.isNumber { out.append(ch); digits += 1 }
            else if ch == "*" || ch == "x" || ch == "X" || ch == "•" { out.append("*"); masks += 1 }
            else { throw Invalid(reason: "card number has a character that is neither a digit nor a mask: \"\(ch)\"") }
        }
        if masks == 0 {
            guard (12...19).contains(digits) else {
                throw Invalid(reason: "card number has \(digits) digits; expected 12 to 19, or a masked value")
            }
            let chars = Array(out)
            return String(chars.prefix(6)) + String(repeating: "*", count: chars.count - 10) + String(chars.suffix(4))
        }
        // Masked already: must not reveal more than first 6 and last 4.
        let chars = Array(out)
        let leading = chars.prefix(while: { $0 != "*" }).count
        let trailing = chars.reversed().prefix(while: { $0 != "*" }).count
        let middleDigits = digits - leading - trailing
        guard leading <= 6, trailing <= 4, middleDigits == 0 else {
            throw Invalid(reason: "masked card number shows more than the first 6 and last 4 digits")
        }
        return out
    }

    /// The last four digits of a masked card, or "" when there are none.
    public static func tail(_ masked: String) -> String {
        let t = masked.reversed().prefix(while: { $0.isNumber })
        return t.count >= 4 ? String(String(t.reversed()).suffix(4)) : ""
    }

    /// True when `text` holds a run of 12-19 digits that passes the Luhn check: a value
    /// that looks like a full card number. Used by tests and output guards.
    public static func containsFullPAN(_ text: String) -> Bool {
        var run: [Int] = []
        func check() -> Bool {
            guard run.count >= 13 && run.count <= 19 else { return false }
            // Any 13-19 window of a longer run is not considered; the run itself is tested.
            return luhn(run)
        }
        for u in text.utf8 {
            if u >= 48 && u <= 57 { run.append(Int(u - 48)) } else {
                if check() { return true }
                run.removeAll(keepingCapacity: true)
            }
        }
        return check()
    }

    /// The one masker for free text: every run of ASCII digits whose length is in
    /// `lengths`, that passes the Luhn check and is not one of `keeping` (identifiers
    /// the caller knows are not cards: a MID that happens to pass Luhn) becomes its first
    /// 6 and last 4 digits around `*`. Text with no such run comes back as it is.
    ///
    /// Notes and diagnosis text mask 13-19 digits, as card numbers run; report rows set
    /// aside and import errors mask 16-19, since 13-15-digit merchant ids and references
    /// fill those and must stay readable.
    public static func redact(_ text: String, lengths: ClosedRange<Int> = 13...19, keeping: Set<String> = []) -> String {
        var longest = 0, run = 0
        for u in text.utf8 {
            if u >= 48 && u <= 57 { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        guard longest >= lengths.lowerBound else { return text }
        var out = ""
        var digits = ""
        func flush() {
            if lengths.contains(digits.count), !keeping.contains(digits), luhn(digits.utf8.map { Int($0) - 48 }) {
                out += String(digits.prefix(6)) + String(repeating: "*", count: digits.count - 10) + String(digits.suffix(4))
            } else {
                out += digits
            }
            digits = ""
        }
        for ch in text {
            if ch.isASCII && ch.isNumber { digits.append(ch) } else { flush(); out.append(ch) }
        }
        flush()
        return out
    }

    static func luhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            if i % 2 == 1 { let x = d * 2; sum += x > 9 ? x - 9 : x } else { sum += d }
        }
        return sum % 10 == 0
    }
}
