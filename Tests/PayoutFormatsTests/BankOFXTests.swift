import Foundation
import PayoutCore
import Testing
@testable import PayoutFormats

@Suite struct BankOFXTests {
    let parser = OFXParser()

    /// ofxparse's OFX 1.02 sample: SGML with unclosed leaves, all on few lines, posting
    /// times with a `[-5:EST]` offset.
    @Test func ofx1SampleEveryEntryAndBalance() throws {
        let result = try parser.parse(BankFixtures.publicFile("ofx1-bank_medium.ofxparse.ofx"), file: "m.ofx")
        #expect(result.statements.count == 1 && result.skipped.isEmpty)
        let s = result.statements[0]
        let cad = try #require(Currency(code: "CAD"))
        #expect(s.format == "OFX 1" && s.kind == .final && s.currency == cad)
        #expect(s.accountMasked == "***** ********5678" && s.accountTail == "5678")
        #expect(s.bank == "160000100")
        #expect(s.periodStart == day(2009, 4, 1) && s.periodEnd == day(2009, 5, 23))
        #expect(s.openingBalance == nil)
        #expect(s.closingBalance == Money(minor: 38_234, currency: cad))
        #expect(s.statementId == "***** ********5678 2009-04-01..2009-05-23")
        #expect(s.line == 13)
        #expect(s.entries.map(\.amount.minor) == [-660, -31_667, -2_200])
        #expect(s.entries.map(\.line) == [15, 16, 17])
        #expect(s.entries.map(\.bankRef) == ["0000123456782009040100001", "0000123456782009040200004", "0000123456782009040300005"])
        let e = s.entries[0]
        #expect(e.transactionCode == "POS" && e.bookingDate == day(2009, 4, 1))
        // 12:20:17 at -5 hours is 17:20:17 UTC.
        #expect(e.bookedAt == Instant(epochMillis: 1_238_606_417_000))
        #expect(e.counterpartyName == "MCDONALD'S #112")
        #expect(e.remittance == "MCDONALD'S #112; POS MERCHANDISE;MCDONALD'S #112")
        #expect(s.createdAt == Instant(epochMillis: 1_243_081_217_000))
    }

    /// asgrim/ofxparser's OFX 2.00 sample: XML, dates without times.
    @Test func ofx2SampleEveryEntryAndBalance() throws {
        let result = try parser.parse(BankFixtures.publicFile("ofx2-savings.asgrim-ofxparser.ofx"), file: "x.ofx")
        let s = try #require(result.statements.first)
        #expect(s.format == "OFX 2" && s.currency == .USD)
        #expect(s.accountMasked == "**8-121" && s.accountTail == "8121")
        #expect(s.bank == "MYBANK")
        #expect(s.periodStart == day(2007, 1, 1) && s.periodEnd == day(2007, 10, 15))
        #expect(s.closingBalance == Money(minor: 525_000, currency: .USD) && s.openingBalance == nil)
        #expect(s.entries.map(\.amount.minor) == [20_000, 15_000, -10_000])
        #expect(s.entries.map(\.line) == [36, 45, 54])
        #expect(s.entries.map(\.bookingDate) == [day(2007, 3, 15), day(2007, 3, 29), day(2007, 7, 9)])
        #expect(s.entries.allSatisfy { $0.bookedAt == nil })
        #expect(s.entries[2].transactionCode == "CHECK" && s.entries[2].remittance == "Cheque")
        // 02:15:29 at -8 hours is 10:15:29 UTC.
        #expect(s.createdAt == Instant(epochMillis: 1_192_443_329_000))
    }

    @Test func truncatedFileNamesTheUnclosedElement() throws {
        let whole = String(decoding: try BankFixtures.publicFile("ofx2-savings.asgrim-ofxparser.ofx"), as: UTF8.self)
        let cut = BankText.lines(whole).prefix(40).joined(separator: "\n")
        let e = bankError(parser, cut, file: "t.ofx")
        #expect(e?.line == 36)
        #expect(e?.reason.contains("<STMTTRN> is closed (truncated?)") == true)

        let sgml = String(decoding: try BankFixtures.publicFile("ofx1-bank_medium.ofxparse.ofx"), as: UTF8.self)
        let cutSGML = String(sgml.prefix(sgml.count - 60))
        #expect(bankError(parser, cutSGML, file: "t1.ofx")?.reason.contains("truncated?") == true)
    }

    @Test func creditCardStatementIsRefusedOrSkipped() throws {
        let card = """
        <?xml version="1.0" encoding="UTF-8"?>
        <?OFX OFXHEADER="200" VERSION="211"?>
        <OFX>
        <CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS><CURDEF>USD</CURDEF>
        <CCACCTFROM><ACCTID>4111111111111111</ACCTID></CCACCTFROM>
        </CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1>
        </OFX>
        """
        let e = bankError(parser, card, file: "cc.ofx")
        #expect(e?.line == 4)
        #expect(e?.reason.contains("credit card statement") == true)
        #expect(e.map { !$0.description.contains("4111111111111111") } == true)

        let both = """
        OFXHEADER:100
        DATA:OFXSGML

        <OFX>
        <BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>CNY
        <BANKACCTFROM><BANKID>ICBK<ACCTID>6222020200012345678</BANKACCTFROM>
        <BANKTRANLIST><DTSTART>20261101<DTEND>20261130
        <STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261102093000[+8:CST]<TRNAMT>3005.00<FITID>F1<NAME>拉卡拉支付股份有限公司&amp;结算</STMTTRN>
        </BANKTRANLIST><LEDGERBAL><BALAMT>8005.00<DTASOF>20261130</LEDGERBAL>
        </STMTRS></STMTTRNRS></BANKMSGSRSV1>
        <CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS><CURDEF>CNY</CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1>
        </OFX>
        """
        let result = try parser.parse(Data(both.utf8), file: "both.ofx")
        #expect(result.skipped.count == 1 && result.skipped.first?.line == 11)
        let s = try #require(result.statements.first)
        #expect(s.accountMasked == "***************5678" && s.currency == .CNY)
        #expect(s.entries.first?.counterpartyName == "拉卡拉支付股份有限公司&结算")
        // 09:30 at +8 hours is 01:30 UTC.
        #expect(s.entries.first?.bookedAt == Instant(epochMillis: 1_793_583_000_000))
        #expect(s.closingBalance == Money(minor: 800_500, currency: .CNY))
    }

    @Test func badValuesNameTheirLine() {
        let text = "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR\n<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>\n<STMTTRN><DTPOSTED>2026-11-01<TRNAMT>1.00</STMTTRN>\n</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
        let e = bankError(parser, text, file: "b.ofx")
        #expect(e?.line == 3 && e?.column == "DTPOSTED")
        let noStatement = "<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>"
        #expect(bankError(parser, noStatement, file: "n.ofx")?.reason.contains("no bank statement") == true)
    }

    /// Report text in an error is shown as `SafeText` does: an escape sequence never
    /// reaches the terminal raw.
    @Test func hostileTextInAnErrorIsShownEscaped() throws {
        let text = "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR\n<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>\n<STMTTRN><DTPOSTED>20261101<TRNAMT>\u{1b}]0;owned\u{7}</STMTTRN>\n</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
        let e = try #require(bankError(parser, text, file: "h.ofx"))
        #expect(e.line == 3 && e.column == "TRNAMT")
        #expect(!e.description.contains("\u{1b}") && e.description.contains("\\x1b]0;owned\\x07"))
    }

    @Test func detection() {
        #expect(parser.detects(head: "OFXHEADER:100\nDATA:OFXSGML\n"))
        #expect(parser.detects(head: "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\"?>\n<OFX>"))
        #expect(!parser.detects(head: ":20:A\n:25:B\n"))
    }
}
