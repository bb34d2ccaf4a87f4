/// An ISO 4217 currency: its code, the number of minor-unit digits and a display symbol.
public struct Currency: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The three-letter ISO 4217 code, upper case ("CNY").
    public let code: String
    /// Digits after the decimal point (2 for CNY, 0 for JPY, 3 for KWD).
    public let minorDigits: Int
    /// A short display symbol ("¥"); the code when there is no common symbol.
    public let symbol: String

    public init(code: String, minorDigits: Int, symbol: String) {
        self.code = code
        self.minorDigits = minorDigits
        self.symbol = symbol
    }

    /// The currency for a code, or nil when the code is not one payoutmon knows.
    public init?(code raw: String) {
        guard let c = Currency.known[raw.uppercased()] else { return nil }
        self = c
    }

    public var description: String { code }

    public static let CNY = Currency(code: "CNY", minorDigits: 2, symbol: "¥")
    public static let USD = Currency(code: "USD", minorDigits: 2, symbol: "$")
    public static let EUR = Currency(code: "EUR", minorDigits: 2, symbol: "€")

    /// The currencies an import accepts. Unknown codes are rejected rather than guessed.
    public static let known: [String: Currency] = {
        let list: [Currency] = [
            .CNY, .USD, .EUR,
            Currency(code: "HKD", minorDigits: 2, symbol: "HK$"),
            Currency(code: "MOP", minorDigits: 2, symbol: "MOP$"),
            Currency(code: "TWD", minorDigits: 2, symbol: "NT$"),
            Currency(code: "GBP", minorDigits: 2, symbol: "£"),
            Currency(code: "JPY", minorDigits: 0, symbol: "JP¥"),
            Currency(code: "KRW", minorDigits: 0, symbol: "₩"),
            Currency(code: "SGD", minorDigits: 2, symbol: "S$"),
            Currency(code: "AUD", minorDigits: 2, symbol: "A$"),
            Currency(code: "CAD", minorDigits: 2, symbol: "CA$"),
            Currency(code: "NZD", minorDigits: 2, symbol: "NZ$"),
            Currency(code: "CHF", minorDigits: 2, symbol: "CHF"),
            Currency(code: "SEK", minorDigits: 2, symbol: "SEK"),
            Currency(code: "NOK", minorDigits: 2, symbol: "NOK"),
            Currency(code: "DKK", minorDigits: 2, symbol: "DKK"),
            Currency(code: "PLN", minorDigits: 2, symbol: "zł"),
            Currency(code: "THB", minorDigits: 2, symbol: "฿"),
            Currency(code: "MYR", minorDigits: 2, symbol: "RM"),
            Currency(code: "INR", minorDigits: 2, symbol: "₹"),
            Currency(code: "KWD", minorDigits: 3, symbol: "KWD"),
            Currency(code: "BHD", minorDigits: 3, symbol: "BHD"),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.code, $0) })
    }()
}
