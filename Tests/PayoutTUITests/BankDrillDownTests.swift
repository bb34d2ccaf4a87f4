import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutModel
import Testing
@testable import PayoutTUI

/// The transaction drill-down shows its payout's bank state from the payout's own
/// `BankEvidence`, in the words the payout drill-down uses.
@Suite struct BankDrillDownTests {
    static let statement = BankEvidence.Statement(file: "bank/camt053.xml", sha256: "ab", format: "camt.053.001.02",
                                                  statementRef: "S1", accountMasked: "6222****3456", kind: .final,
                                                  periodStart: LocalDate(iso: "2026-10-01")!, periodEnd: LocalDate(iso: "2026-10-31")!, line: 3)

    static func bank(_ credits: [BankEvidence.Credit], statements: [BankEvidence.Statement] = [statement]) -> BankEvidence {
        BankEvidence(window: LocalDate(iso: "2026-10-13")!...LocalDate(iso: "2026-10-15")!, credits: credits, statements: statements)
    }

    static func detail(_ bank: BankEvidence?) throws -> (TxnLine, DetailSnapshot) {
        var detail = try #require(Fixture.detail(forTransaction: Fixture.storyTxnId))
        guard case .transaction(let line) = detail.subject else { throw CancellationError() }
        try #require(!detail.evidence.payouts.isEmpty)
        detail.evidence.payouts[0].bank = bank
        return (line, detail)
    }

    static func bankLines(_ bank: BankEvidence?, language: Language = .en) throws -> [String] {
        let (line, detail) = try detail(bank)
        return TransactionDetailView.lines(line, detail: detail, state: Fixture.state(language: language), width: 100)
            .map(\.text).filter { $0.hasPrefix("  Bank ") || $0.hasPrefix("  银行 ") }
    }

    @Test func noStatementsNoBankLine() throws {
        #expect(try Self.bankLines(nil).isEmpty)
    }

    @Test func eachStateInThePayoutDrillDownsWords() throws {
        let booked = Fixture.at("2026-10-14 10:30")
        let credit = BankEvidence.Credit(amount: Money(minor: 100, currency: .CNY), bookingDate: LocalDate(iso: "2026-10-14")!,
                                         bookedAt: booked, rule: "amount-date", difference: Money(minor: 0, currency: .CNY),
                                         file: "bank/camt053.xml", line: 9)
        let credited = try Self.bankLines(Self.bank([credit]))
        #expect(credited.count == 1 && credited[0].contains("✓ credited ") && credited[0].contains("10:30"))
        let missing = try Self.bankLines(Self.bank([]))
        #expect(missing.count == 1 && missing[0].contains("not in the statement 10-13–10-15"))
        let none = try Self.bankLines(Self.bank([], statements: []))
        #expect(none.count == 1 && none[0].contains("· no bank statement for these days"))
        #expect(try Self.bankLines(Self.bank([]), language: .zhHans).first?.contains("对账单 10-13–10-15 无入账") == true)

        // The same words and mark as the payout drill-down's Bank field, for the same evidence.
        let (_, detail) = try Self.detail(Self.bank([credit]))
        let pe = detail.evidence.payouts[0]
        let words = PayoutDetailView.bankSpans(try #require(pe.bank), payout: pe.payout, state: Fixture.state()).map(\.text).joined()
        #expect(credited[0].hasSuffix(words))
    }
}

/// The header's bank figure, as grid text: the open payouts not credited, in the
/// problem style, after the identifiers (which it never pushes out).
@Suite struct BankHeaderTests {
    static func rows(width: Int, notCredited: Int?, language: Language = .en) -> (row0: String, styles: String) {
        var state = Fixture.state(size: Size(width: width, height: width == 80 ? 24 : 36), language: language)
        state.snapshot?.bankNotCredited = notCredited
        let grid = render(state)
        let styles = grid.styleMap { $0.foreground == Style.bad.foreground ? "!" : "." }
        return (grid.row(0), String(styles.split(separator: "\n")[0]))
    }

    @Test func noStatementNoBankFigure() {
        let plain = render(Fixture.state(size: Size(width: 120, height: 36))).row(0)
        #expect(!plain.contains("bank") && Self.rows(width: 120, notCredited: nil).row0 == plain)
    }

    @Test func notCreditedInTheProblemStyle() throws {
        let wide = Self.rows(width: 120, notCredited: 2)
        #expect(wide.row0.contains("MID 898440358120013") && wide.row0.contains("T+1  bank ✗ 2 not credited"))
        let range = try #require(wide.row0.range(of: "bank ✗ 2 not credited"))
        let start = DisplayWidth.of(String(wide.row0[..<range.lowerBound]))
        let marks = Array(wide.styles)
        #expect(marks[start..<(start + DisplayWidth.of("bank ✗ 2 not credited"))].allSatisfy { $0 == "!" })

        // At 80 columns the short form, and the merchant and MID stay whole.
        let narrow = Self.rows(width: 80, notCredited: 2)
        #expect(narrow.row0.hasPrefix("味道小馆(南山店)  MID 898440358120013"))
        #expect(narrow.row0.contains("bank ✗ 2") && !narrow.row0.contains("not credited"))
        #expect(narrow.row0.hasSuffix("15:30:05"))

        #expect(Self.rows(width: 120, notCredited: 1, language: .zhHans).row0.contains("银行 ✗ 1 笔未入账"))
    }

    @Test func allCreditedIsQuiet() throws {
        let row = Self.rows(width: 120, notCredited: 0)
        let range = try #require(row.row0.range(of: "bank ✓"))
        let start = DisplayWidth.of(String(row.row0[..<range.lowerBound]))
        #expect(!Array(row.styles)[start..<(start + 6)].contains("!"))
    }
}
