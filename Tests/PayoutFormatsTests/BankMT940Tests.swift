import Foundation
import PayoutCore
import Testing
@testable import PayoutFormats

/// Where the bank statement fixtures are: the public samples (with their sources in the
/// README there) and the hand-made layouts.
enum BankFixtures {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { url.deleteLastPathComponent() }
        return url.path + "/PayoutStoreTests/Fixtures"
    }()

    static func publicFile(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: root + "/public/bank/" + name))
    }

    static func ownFile(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: root + "/bank/" + name))
    }
}

func eur(_ minor: Int64) -> Money { Money(minor: minor, currency: .EUR) }
func day(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

/// Parses, expecting an `ImportError`; returns it.
func bankError(_ parser: any BankStatementParser, _ text: String, file: String = "s.txt") -> ImportError? {
    bankError(parser, Data(text.utf8), file: file)
}

func bankError(_ parser: any BankStatementParser, _ data: Data, file: String) -> ImportError? {
    do {
        _ = try parser.parse(data, file: file)
        return nil
    } catch let e as ImportError {
        return e
    } catch {
        Issue.record("not an ImportError: \(error)")
        return nil
    }
}

@Suite struct BankMT940Tests {
    let parser = MT940Parser()

    /// ABN AMRO's sample (jejik/mt940 via wolph/mt940): two statements behind a bank
    /// header of non-SWIFT lines; amounts such as "11,8" and "107,". Its balances do not
    /// add up (the sample's own figures): the parser keeps them as written and leaves
    /// the check to `computedClosing`.
    @Test func abnAmroSampleEveryEntryAndBalance() throws {
        let result = try parser.parse(BankFixtures.publicFile("mt940-abnamro.jejik.sta"), file: "abn.sta")
        #expect(result.statements.count == 2)
        #expect(result.skipped.map(\.line) == [1, 2, 3, 29, 30, 31])
        let s1 = result.statements[0]
        #expect(s1.format == "MT940" && s1.kind == .final)
        #expect(s1.statementId == "ABN AMRO BANK NV/19321/1")
        #expect(s1.accountMasked == "*****2257" && s1.accountTail == "2257")
        #expect(s1.line == 4)
        #expect(s1.openingBalance == eur(323_628))
        #expect(s1.closingBalance == eur(87_684))
        #expect(s1.entries.map(\.amount.minor) == [-900, -1159, -1163, -1180, -1345, -1549, -10_700, -14_148])
        #expect(s1.entries.map(\.line) == [8, 12, 14, 16, 18, 20, 23, 25])
        #expect(s1.computedClosing == eur(323_628 - 32_144))
        #expect(s1.periodStart == day(2011, 5, 23) && s1.periodEnd == day(2011, 5, 24))
        let e1 = s1.entries[0]
        #expect(e1.valueDate == day(2011, 5, 24) && e1.bookingDate == day(2011, 5, 24))
        #expect(e1.transactionCode == "N192" && e1.endToEndId == nil && e1.bankRef == nil && !e1.reversal)
        #expect(e1.remittance == "GIRO   428428 KPN - DIGITENNE    BETALINGSKENM.  000000042188659 5314606715                       BETREFT FACTUUR D.D. 20-05-2011 INCL. 1,44 BTW")
        let e2 = s1.entries[1]
        #expect(e2.valueDate == day(2011, 5, 21) && e2.bookingDate == day(2011, 5, 23))

        let s2 = result.statements[1]
        #expect(s2.statementId == "ABN AMRO BANK NV/19322/1")
        #expect(s2.openingBalance == eur(287_684) && s2.closingBalance == eur(184_975))
        #expect(s2.entries.map(\.amount.minor) == [-949, -1500])
        #expect(s2.entries.map(\.line) == [36, 38])
    }

    /// A German bank's SEPA statements (betterplace sample via wolph/mt940): structured
    /// `:86:` subfields, a reversal (RC), a debit opening balance. Each statement's
    /// balances add up, so every amount read to the cent shows in `computedClosing`.
    @Test func germanStructuredSampleBalancesToTheCent() throws {
        let result = try parser.parse(BankFixtures.publicFile("mt940-sepa-first3.betterplace.sta"), file: "sepa.sta")
        #expect(result.statements.count == 3)
        #expect(result.skipped.isEmpty)
        let expected: [(Int64, Int64, Int)] = [(-123_471_836, -123_762_823, 7), (-97_049_990, -145_574_985, 2), (-170_929_634, -223_733_485, 5)]
        for (s, (open, close, n)) in zip(result.statements, expected) {
            #expect(s.openingBalance == eur(open))
            #expect(s.closingBalance == eur(close))
            #expect(s.entries.count == n)
            #expect(s.computedClosing == s.closingBalance, "\(s.statementId)")
            #expect(s.bank == "50880050")
        }
        let s1 = result.statements[0]
        #expect(s1.statementId == "T089413946000001/00004/00001")
        #expect(s1.accountMasked == "50880050/*********0888" && s1.accountTail == "0888")
        #expect(s1.periodStart == day(2007, 9, 4) && s1.periodEnd == day(2007, 9, 4))
        let reversal = s1.entries[5]
        #expect(reversal.line == 19 && reversal.reversal && reversal.amount == eur(-20_488))
        #expect(reversal.transactionCode == "NRTI")
        #expect(reversal.remittance == "SAMMLER/STORNO: 0904059003")
        #expect(s1.entries[0].endToEndId == "TFNR 40005 00005")
        #expect(s1.entries[0].bankRef == "0724710345313905")
        #expect(s1.entries[0].remittance == "RETOURE: EREF+TFNR 40005 00005 MTLG:Grund nicht spezifiziert Reject aus SEPA-Ueberweisungsauftrag")

        let credit = result.statements[1].entries[0]
        #expect(credit.line == 30 && credit.amount == eur(1_500_005))
        #expect(credit.endToEndId == "EndToEndIdTFNR2000400001")
        #expect(credit.counterpartyName == "Richter Renate 70 Zeichen Beginn Fuellzeichen xxxxxxxx")
        #expect(credit.counterpartyAccount == "******************1105")
        let text = try #require(credit.remittance)
        #expect(text.hasPrefix("GUTSCHRIFT: EREF+EndToEndIdTFNR2000400001 SVWZ+TO 13 TFNr 20004 Eingangskanal Mint"))
        #expect(text.contains(" MTLG:SEPA-Ueberweisungseingang Auftraggeber: Richter R"))
        #expect(!text.contains("DE42100100100043921105"))
    }

    /// mBank's MT942 sample (wolph/mt940): an intraday report, its `:90C:` count and sum
    /// agreeing with the entries.
    @Test func mt942SampleIsIntraday() throws {
        let result = try parser.parse(BankFixtures.publicFile("mt942-mbank.wolph.sta"), file: "942.sta")
        let s = try #require(result.statements.first)
        #expect(result.statements.count == 1 && result.warnings.isEmpty)
        #expect(s.format == "MT942" && s.kind == .intraday)
        #expect(s.currency.code == "PLN")
        #expect(s.openingBalance == nil && s.closingBalance == nil)
        #expect(s.accountTail == "1002" && !s.accountMasked.contains("2911401081"))
        #expect(s.createdAt == Instant(epochMillis: 1_484_846_100_000))   // 2017-01-19 18:15 +01:00
        #expect(s.entries.map(\.amount.minor) == [1, 1, 1])
        #expect(s.entries.map(\.line) == [7, 13, 19])
        #expect(s.entries.map(\.bankRef) == ["MB170119012058", "MB170119012085", "MB170119012121"])
        #expect(s.entries[0].remittance?.hasPrefix("911-TRANSAKCJA IPH; 911 TRANSAKCJA COLLECT; ID IPH: XX000000000001; Z RACH.:") == true)
        #expect(s.periodStart == day(2017, 1, 19) && s.periodEnd == day(2017, 1, 19))
    }

    @Test func mt942CountThatDisagreesIsAWarning() throws {
        let text = ":20:R1\n:25:1234567890\n:28C:1/1\n:34F:EUR0,\n:13D:2611301200+0100\n:61:261130C5,00NTRFNONREF//B1\n:90C:2EUR5,00\n-\n"
        let result = try parser.parse(Data(text.utf8), file: "i.sta")
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.line == 7)
        #expect(result.warnings.first?.reason.contains("2 credits") == true)
    }

    @Test func missingClosingBalanceNamesTheStatementLine() {
        let text = """
        :20:FIRST
        :25:1234567890
        :28C:1/1
        :60F:C261130CNY100,00
        :62F:C261130CNY100,00
        -
        :20:SECOND
        :25:1234567890
        :28C:2/1
        :60F:C261130CNY100,00
        :61:2612011201C50,00NTRFNONREF//B1
        :86:payout
        -
        """
        let e = bankError(parser, text)
        #expect(e?.line == 7)
        #expect(e?.reason.contains("\"SECOND\" has no closing balance (:62F: or :62M:)") == true)
    }

    @Test func entryDateRollsOverTheYear() throws {
        let text = ":20:R\n:25:1234567890\n:28C:1/1\n:60F:C251230CNY0,00\n:61:2512310102C1,NTRFNONREF\n:61:2601021231D1,NTRFNONREF\n:62F:C260102CNY0,\n"
        let s = try #require(try parser.parse(Data(text.utf8), file: "r.sta").statements.first)
        #expect(s.entries[0].valueDate == day(2025, 12, 31) && s.entries[0].bookingDate == day(2026, 1, 2))
        #expect(s.entries[1].valueDate == day(2026, 1, 2) && s.entries[1].bookingDate == day(2025, 12, 31))
        #expect(s.computedClosing == s.closingBalance)
    }

    @Test func swiftBlocksAndFundsCodeAndReversalOfDebit() throws {
        let text = """
        {1:F01BANKDEFFAXXX0000000000}{2:O9401200261201BANKDEFFAXXX00000000002612011200N}{4:
        :20:STMT1
        :25:DE89370400440532013000
        :28C:7/1
        :60F:C261130EUR1000,00
        :61:2612011201CR500,00NMSCREF1//CREF1
        supplementary
        :86:Customer payment
        :61:2612011201RD20,50NCHGNONREF
        :62F:C261201EUR1520,50
        -}{5:{CHK:123456789ABC}}
        """
        let result = try parser.parse(Data(text.utf8), file: "b.sta")
        let s = try #require(result.statements.first)
        #expect(result.statements.count == 1 && result.skipped.isEmpty)
        #expect(s.accountMasked == "******************3000" && s.accountTail == "3000")
        #expect(s.entries[0].amount == eur(50_000) && s.entries[0].endToEndId == "REF1" && s.entries[0].bankRef == "CREF1")
        #expect(s.entries[0].remittance == "supplementary; Customer payment")
        #expect(s.entries[1].amount == eur(2_050) && s.entries[1].reversal)
        #expect(s.computedClosing == s.closingBalance)
    }

    @Test func badLinesAreErrorsNamingTheirLine() {
        let noAmount = ":20:R\n:25:1\n:60F:C261130EUR0,\n:61:261201CNTRFNONREF\n:62F:C261201EUR0,\n"
        #expect(bankError(parser, noAmount)?.line == 4)
        let before = ":25:123\n:20:R\n"
        #expect(bankError(parser, before)?.line == 1)
        let badCurrency = ":20:R\n:25:1\n:60F:C261130XXX0,\n:62F:C261201EUR0,\n"
        #expect(bankError(parser, badCurrency)?.reason.contains("XXX") == true)
    }

    @Test func overlongRemittanceIsAnErrorNamingItsLine() {
        let long = String(repeating: "x", count: 60)
        let lines = (0..<10).map { _ in long }.joined(separator: "\n")
        let text = ":20:R\n:25:1234567890\n:60F:C261130EUR0,\n:61:261201C1,NTRFNONREF\n:86:\(lines)\n:62F:C261201EUR1,\n"
        let e = bankError(parser, text)
        #expect(e?.line == 5 && e?.column == ":86:")
        #expect(e?.reason.contains("at most \(ImportLimits.text)") == true)
    }

    @Test func detection() {
        #expect(parser.detects(head: ":20:STARTUMS\n:25:1222333444\n:28:1/1\n"))
        #expect(parser.detects(head: "{1:F01X}{2:O940}{4:\n:20:A\n"))
        #expect(!parser.detects(head: "交易日期,余额\n"))
        #expect(!OFXParser().detects(head: ":20:STARTUMS\n:25:1222333444\n"))
    }
}
