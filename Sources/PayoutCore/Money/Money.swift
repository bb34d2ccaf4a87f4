/// An exact amount of money: an integer count of minor units (fen, cents) and its currency.
///
/// There is no floating point anywhere: parsing, arithmetic and formatting work on
/// integers, and arithmetic that would overflow throws instead of wrapping.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The amount in minor units (3000000 is ¥30,000.00).
    public let minor: Int64
    public let currency: Currency

    public init(minor: Int64, currency: Currency) {
        self.minor = minor
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minor: 0, currency: currency) }

    public var isZero: Bool { minor == 0 }
    public var isNegative: Bool { minor < 0 }

    public var description: String { formatted(symbol: false) + " " + currency.code }
}

/// Why an amount could not be parsed or computed.
public struct MoneyError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case empty, notANumber, badGrouping, tooManyDecimals, overflow, currencyMismatch
    }
    public let code: Code
    public let text: String

    public init(_ code: Code, _ text: String) {
        self.code = code
        self.text = text
    }

    public var description: String {
        switch code {
        case .empty: return "empty amount"
        case .notANumber: return "\"\(text)\" is not a number"
        case .badGrouping: return "\"\(text)\" has misplaced thousands separators"
        case .tooManyDecimals: return "\"\(text)\" has more decimals than the currency allows"
        case .overflow: return "amount \(text) is out of range"
        case .currencyMismatch: return "currencies differ: \(text)"
        }
    }
}

extension Money {
    /// Parses a decimal amount in major units ("30000", "30,000.00", "-12.5", "+1.00").
    ///
    /// Thousands separators are allowed only in groups of three before the point. A
    /// leading currency symbol or trailing code is not accepted here: the caller knows
    /// the currency. Extra decimals are an error unless they are zeros.
    public static func parse(_ raw: String, currency: Currency) throws(MoneyError) -> Money {
        let minor = try parseMinor(raw, minorDigits: currency.minorDigits)
        return Money(minor: minor, currency: currency)
    }

    /// Parses an amount already written in minor units ("3000000" = 30,000.00 when
    /// the currency has two decimals). Used for reports that give amounts in 分.
    public static func parseMinorUnits(_ raw: String, currency: Currency) throws(MoneyError) -> Money {
        let text = raw.trimmingSpaces()
        guard !text.isEmpty else { throw MoneyError(.empty, raw) }
        var scalars = Substring(text)
        var negative = false
        if scalars.first == "-" || scalars.first == "+" {
            negative = scalars.first == "-"
            scalars = scalars.dropFirst()
        }
        guard !scalars.isEmpty, scalars.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw MoneyError(.notANumber, raw)
        }
        guard let value = Int64(scalars) else { throw MoneyError(.overflow, raw) }
        return Money(minor: negative ? -value : value, currency: currency)
    }

    static func parseMinor(_ raw: String, minorDigits: Int) throws(MoneyError) -> Int64 {
        let text = raw.trimmingSpaces()
        guard !text.isEmpty else { throw MoneyError(.empty, raw) }
        var chars = Array(text.utf8)
        var negative = false
        if chars.first == UInt8(ascii: "-") || chars.first == UInt8(ascii: "+") {
            negative = chars.first == UInt8(ascii: "-")
            chars.removeFirst()
        }
        guard !chars.isEmpty else { throw MoneyError(.notANumber, raw) }
        var intPart: [UInt8] = []
        var fracPart: [UInt8] = []
        var seenPoint = false
        var groups: [Int] = []   // lengths of comma-separated groups of the integer part
        var current = 0
        for c in chars {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if seenPoint { fracPart.append(c) } else { intPart.append(c); current += 1 }
            case UInt8(ascii: ","):
                if seenPoint { throw MoneyError(.badGrouping, raw) }
                groups.append(current)
                current = 0
            case UInt8(ascii: "."):
                if seenPoint { throw MoneyError(.notANumber, raw) }
                seenPoint = true
            default:
                throw MoneyError(.notANumber, raw)
            }
        }
        if !groups.isEmpty {
            groups.append(current)
            // First group 1-3 digits, every other exactly 3.
            guard let first = groups.first, (1...3).contains(first),
                  groups.dropFirst().allSatisfy({ $0 == 3 }) else {
                throw MoneyError(.badGrouping, raw)
            }
        }
        if intPart.isEmpty && fracPart.isEmpty { throw MoneyError(.notANumber, raw) }
        if seenPoint && fracPart.isEmpty { throw MoneyError(.notANumber, raw) }
        // Drop trailing zeros beyond the currency's digits; any other digit is an error.
        while fracPart.count > minorDigits {
            if fracPart.last == UInt8(ascii: "0") { fracPart.removeLast() } else {
                throw MoneyError(.tooManyDecimals, raw)
            }
        }
        while fracPart.count < minorDigits { fracPart.append(UInt8(ascii: "0")) }
        var value: Int64 = 0
        for c in intPart + fracPart {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(c - UInt8(ascii: "0")))
            if o1 || o2 { throw MoneyError(.overflow, raw) }
            value = a
        }
        return negative ? -value : value
    }

    /// Formats in major units: "30,000.00" (grouping on), "¥30,000.00" (symbol on),
    /// "-¥12.50". Exact: the digits come from the integer, never from a float.
    public func formatted(symbol: Bool = false, grouping: Bool = true) -> String {
        let digits = currency.minorDigits
        let magnitude = minor.magnitude
        var divisor: UInt64 = 1
        for _ in 0..<digits { divisor *= 10 }
        let whole = magnitude / divisor
        let frac = magnitude % divisor
        var wholeText = String(whole)
        if grouping && wholeText.count > 3 {
            var out = ""
            for (i, ch) in wholeText.enumerated() {
                if i > 0 && (wholeText.count - i) % 3 == 0 { out.append(",") }
                out.append(ch)
            }
            wholeText = out
        }
        var text = wholeText
        if digits > 0 {
            var f = String(frac)
            while f.count < digits { f = "0" + f }
            text += "." + f
        }
        if symbol { text = currency.symbol + text }
        return minor < 0 ? "-" + text : text
    }

    /// The plain decimal form used in files and JSON: "30000.00", "-12.50".
    public var decimalString: String { formatted(symbol: false, grouping: false) }
}

extension Money {
    private func check(_ other: Money) throws(MoneyError) {
        guard currency == other.currency else {
            throw MoneyError(.currencyMismatch, "\(currency.code) and \(other.currency.code)")
        }
    }

    public func adding(_ other: Money) throws(MoneyError) -> Money {
        try check(other)
        let (v, o) = minor.addingReportingOverflow(other.minor)
        if o { throw MoneyError(.overflow, "\(self) + \(other)") }
        return Money(minor: v, currency: currency)
    }

    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try check(other)
        let (v, o) = minor.subtractingReportingOverflow(other.minor)
        if o { throw MoneyError(.overflow, "\(self) - \(other)") }
        return Money(minor: v, currency: currency)
    }

    public func negated() throws(MoneyError) -> Money {
        guard minor != .min else { throw MoneyError(.overflow, "-(\(self))") }
        return Money(minor: -minor, currency: currency)
    }

    public func multiplied(by n: Int64) throws(MoneyError) -> Money {
        let (v, o) = minor.multipliedReportingOverflow(by: n)
        if o { throw MoneyError(.overflow, "\(self) × \(n)") }
        return Money(minor: v, currency: currency)
    }

    /// This amount times a rate in basis points of a basis point (1/1,000,000), rounded
    /// half away from zero: `applying(ratePPM: 6000)` is 0.60%.
    public func applying(ratePPM: Int64) throws(MoneyError) -> Money {
        let (p, o) = minor.multipliedReportingOverflow(by: ratePPM)
        if o { throw MoneyError(.overflow, "\(self) × \(ratePPM)ppm") }
        let q = p / 1_000_000
        let r = p % 1_000_000
        let rounded = r.magnitude * 2 >= 1_000_000 ? q + (p < 0 ? -1 : 1) : q
        return Money(minor: rounded, currency: currency)
    }

    /// Sum of amounts in one currency; throws on a mixed list or overflow.
    public static func sum(_ items: some Sequence<Money>, currency: Currency) throws(MoneyError) -> Money {
        var total = Money.zero(currency)
        for m in items { total = try total.adding(m) }
        return total
    }

    public static func < (a: Money, b: Money) -> Bool { a.minor < b.minor }
}

