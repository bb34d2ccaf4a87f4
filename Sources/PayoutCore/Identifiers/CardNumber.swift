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

    /// The one masker for free text: every card-like number becomes its first 6 and
    /// last 4 digits around `*` ("400005******5556"). A card-like number is a run of
    /// ASCII digits, or digit groups joined by single spaces or dashes
    /// of 3 to 6 digits each ("4000 0566 5566 5556", "4000-0566-5566-5556"), whose digit count is in
    /// `lengths`, that passes the Luhn check and is not one of `keeping` (identifiers the
    /// caller knows are not cards: a MID that happens to pass Luhn). Within a chain of
    /// groups the longest card-like stretch starting at each group is taken, so a number
    /// written after another one ("ref 12 4000 0566 5566 5556") is still found. Text with
    /// no such number comes back as it is. Fourteen digits that read as a date and time
    /// (`20261120121805`) are not a card number.
    ///
    /// Notes, diagnosis text, imported records, import errors and rejects mask 13-19
    /// digits, as card numbers run; known identifiers (the row's MID) stay readable.
    public static func redact(_ text: String, lengths: ClosedRange<Int> = 13...19, keeping: Set<String> = []) -> String {
        // Fast path: no chain of digit groups holds enough digits.
        var longest = 0, chain = 0
        var prev: UInt8 = 0, sep = false
        for u in text.utf8 {
            if u >= 48 && u <= 57 {
                chain = (sep || (prev >= 48 && prev <= 57)) ? chain + 1 : 1
                if chain > longest { longest = chain }
                sep = false
            } else if (u == 32 || u == 45) && prev >= 48 && prev <= 57 {
                sep = true
            } else {
                sep = false; chain = 0
            }
            prev = u
        }
        guard longest >= lengths.lowerBound else { return text }

        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        let n = bytes.count
        func isDigit(_ k: Int) -> Bool { k < n && bytes[k] >= 48 && bytes[k] <= 57 }
        while i < n {
            guard isDigit(i) else { out.append(bytes[i]); i += 1; continue }
            // A chain: digit groups joined by one space or dash each.
            var groups: [Range<Int>] = []
            var k = i
            while true {
                let start = k
                while isDigit(k) { k += 1 }
                groups.append(start..<k)
                if k < n, bytes[k] == 32 || bytes[k] == 45, isDigit(k + 1) { k += 1 } else { break }
            }
            var g = 0
            while g < groups.count {
                var digits: [UInt8] = []
                var found: (end: Int, digits: [UInt8])?
                for h in g..<groups.count {
                    // Groups as cards are printed: 4-4-4-4, 4-6-5, 4-4-4-4-3 ...
                    if h > g && !(groupSizes.contains(groups[g].count) && groupSizes.contains(groups[h].count)) { break }
                    digits.append(contentsOf: bytes[groups[h]])
                    if digits.count > lengths.upperBound { break }
                    if lengths.contains(digits.count), luhn(digits.map { Int($0) - 48 }), !isTimestamp(digits),
                       !keeping.contains(String(decoding: digits, as: UTF8.self)) {
                        found = (h, digits)
                    }
                }
                if let f = found {
                    out.append(contentsOf: f.digits.prefix(6))
                    out.append(contentsOf: repeatElement(42, count: f.digits.count - 10))
                    out.append(contentsOf: f.digits.suffix(4))
                    g = f.end + 1
                } else {
                    out.append(contentsOf: bytes[groups[g]])
                    g += 1
                }
                // The separator after a group stays as written.
                if g < groups.count { out.append(bytes[groups[g].lowerBound - 1]) }
            }
            i = groups[groups.count - 1].upperBound
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True for 14 digits that read as a date and time, YYYYMMDDHHMMSS (1900-2199), as
    /// Chinese exports write them: not a card number (no 14-digit card range starts
    /// with 19, 20 or 21).
    private static func isTimestamp(_ d: [UInt8]) -> Bool {
        guard d.count == 14 else { return false }
        func n(_ i: Int, _ len: Int) -> Int { d[i..<(i + len)].reduce(0) { $0 * 10 + Int($1) - 48 } }
        return (1900...2199).contains(n(0, 4)) && (1...12).contains(n(4, 2)) && (1...31).contains(n(6, 2))
            && n(8, 2) < 24 && n(10, 2) < 60 && n(12, 2) < 60
    }

    /// The digits in one group of a card number written in groups.
    private static let groupSizes = 3...6

    static func luhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            if i % 2 == 1 { let x = d * 2; sum += x > 9 ? x - 9 : x } else { sum += d }
        }
        return sum % 10 == 0
    }
}
