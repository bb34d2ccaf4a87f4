import Testing
@testable import PayoutCore

@Suite struct MoneyParsingTests {
    let cny = Currency.CNY

    @Test(arguments: [
        ("30000", Int64(3_000_000)), ("30,000.00", 3_000_000), ("30000.5", 3_000_050), ("-12.50", -1250),
        ("+1.00", 100), ("0.01", 1), ("1,234,567.89", 123_456_789), (" 7.10 ", 710), ("12.500", 1250), (".5", 50),
    ])
    func parsesExactly(text: String, minor: Int64) throws {
        #expect(try Money.parse(text, currency: cny).minor == minor)
    }

    @Test(arguments: [
        ("1,2.3", MoneyError.Code.badGrouping), ("abc", .notANumber), ("", .empty), ("12.345", .tooManyDecimals),
        ("1.2.3", .notANumber), ("12,34", .badGrouping), ("1e5", .notANumber), ("-", .notANumber), ("5.", .notANumber),
        ("99999999999999999999", .overflow), ("１２", .notANumber),
    ])
    func rejects(text: String, code: MoneyError.Code) {
        #expect(throws: MoneyError(code, text)) { try Money.parse(text, currency: cny) }
    }

    @Test func zeroDecimalCurrency() throws {
        let jpy = try #require(Currency(code: "JPY"))
        #expect(try Money.parse("1,500", currency: jpy).minor == 1500)
        #expect(throws: MoneyError.self) { try Money.parse("1.5", currency: jpy) }
        #expect(Money(minor: 1500, currency: jpy).formatted(symbol: true) == "JP¥1,500")
    }

    @Test func minorUnits() throws {
        #expect(try Money.parseMinorUnits("3000000", currency: cny).minor == 3_000_000)
        #expect(throws: MoneyError.self) { try Money.parseMinorUnits("30.00", currency: cny) }
    }

    @Test func unknownCurrency() {
        #expect(Currency(code: "XYZ") == nil)
        #expect(Currency(code: "cny") == .CNY)
    }
}

@Suite struct MoneyFormattingTests {
    @Test(arguments: [
        (Int64(3_000_000), false, "30,000.00"), (3_000_000, true, "¥30,000.00"), (-1250, true, "-¥12.50"),
        (5, false, "0.05"), (0, true, "¥0.00"), (100_000, false, "1,000.00"), (99_999, false, "999.99"),
        (Int64.max, false, "92,233,720,368,547,758.07"),
    ])
    func formats(minor: Int64, symbol: Bool, text: String) {
        #expect(Money(minor: minor, currency: .CNY).formatted(symbol: symbol) == text)
    }

    @Test func roundTrips() throws {
        for minor: Int64 in [0, 1, -1, 99, 100, 123_456_789, -987_654_321] {
            let m = Money(minor: minor, currency: .CNY)
            #expect(try Money.parse(m.formatted(), currency: .CNY) == m)
            #expect(try Money.parse(m.decimalString, currency: .CNY) == m)
        }
    }
}

@Suite struct MoneyArithmeticTests {
    let a = Money(minor: 3_000_000, currency: .CNY)

    @Test func addAndSubtract() throws {
        #expect(try a.adding(Money(minor: 1, currency: .CNY)).minor == 3_000_001)
        #expect(try a.subtracting(Money(minor: 2_000_000, currency: .CNY)).minor == 1_000_000)
    }

    @Test func overflowThrows() {
        let big = Money(minor: .max, currency: .CNY)
        #expect(throws: MoneyError.self) { try big.adding(Money(minor: 1, currency: .CNY)) }
        #expect(throws: MoneyError.self) { try Money(minor: .min, currency: .CNY).negated() }
        #expect(throws: MoneyError.self) { try big.multiplied(by: 2) }
        #expect(throws: MoneyError.self) { try big.applying(ratePPM: 6000) }
    }

    @Test func mixedCurrenciesThrow() {
        #expect(throws: MoneyError.self) { try a.adding(Money(minor: 1, currency: .USD)) }
    }

    @Test func rateRoundsHalfAwayFromZero() throws {
        // 0.60% of 1,288.00 = 7.728 -> 7.73; of 0.75 = 0.0045 -> 0.00; of 2.50 = 0.015 -> 0.02
        #expect(try Money(minor: 128_800, currency: .CNY).applying(ratePPM: 6000).minor == 773)
        #expect(try Money(minor: 75, currency: .CNY).applying(ratePPM: 6000).minor == 0)
        #expect(try Money(minor: 250, currency: .CNY).applying(ratePPM: 6000).minor == 2)
        #expect(try Money(minor: -250, currency: .CNY).applying(ratePPM: 6000).minor == -2)
    }

    @Test func sums() throws {
        let items = [100, 250, -50].map { Money(minor: $0, currency: .CNY) }
        #expect(try Money.sum(items, currency: .CNY).minor == 300)
    }
}
