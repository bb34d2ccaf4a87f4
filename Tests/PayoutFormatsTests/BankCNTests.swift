import Foundation
import PayoutCore
import Testing
@testable import PayoutFormats

func cny(_ minor: Int64) -> Money { Money(minor: minor, currency: .CNY) }

@Suite struct BankCNTests {
    let parser = CNBankParser()

    /// CMB-style layout, public example (deb-sig/double-entry-generator): one signed
    /// amount, no title rows, rows not in date order. Opening = the earliest row's
    /// balance less its amount (1,271.66 - 1,234.00), closing = the latest row's
    /// (2024-01-27: 81.22).
    @Test func cmbSample() throws {
        let result = try parser.parse(BankFixtures.publicFile("cn-cmb-debit.double-entry-generator.csv"), file: "cmb.csv")
        let s = try #require(result.statements.first)
        #expect(s.format == "cn-bank:cmb" && s.kind == .final && s.currency == .CNY)
        #expect(s.entries.map(\.amount.minor) == [123_400, -100_000, -300, -100_000, -1_014])
        #expect(s.entries.map(\.balanceAfter?.minor) == [127_166, 27_166, 8_122, 12_345, 121_824])
        #expect(s.entries.map(\.line) == [2, 3, 4, 5, 6])
        #expect(s.openingBalance == cny(3_766))
        #expect(s.closingBalance == cny(8_122))
        #expect(s.periodStart == day(2024, 1, 1) && s.periodEnd == day(2024, 1, 27))
        #expect(s.accountMasked == "" && s.accountTail == "")
        #expect(s.entries[0].remittance == "代发住房公积金; 01月01日约定提取")
        #expect(s.entries[0].counterpartyName == "北京住房公积金管理中心1111111111")
        #expect(s.entries[3].counterpartyName == nil)
        #expect(result.skipped.isEmpty)
    }

    /// ABC-style layout, public example (deb-sig/double-entry-generator): a time column
    /// as HHMMSS, "+" on credits, a serial column named "日 志 号", short rows.
    @Test func abcSample() throws {
        let result = try parser.parse(BankFixtures.publicFile("cn-abc-debit.double-entry-generator.csv"), file: "abc.csv")
        let s = try #require(result.statements.first)
        #expect(s.format == "cn-bank:abc")
        #expect(s.entries.map(\.amount.minor) == [1_000_000, -1_000, -1_234_589, 1, 0])
        #expect(s.entries.map(\.bankRef) == ["369396693", "369333999", "111222333", "0000000000", "0000000000"])
        #expect(s.openingBalance == cny(100_000))
        #expect(s.closingBalance == cny(12_335))
        // 12:34:56 in Shanghai is 04:34:56 UTC.
        #expect(s.entries[0].bookedAt == Instant(epochMillis: 1_704_083_696_000))
        #expect(s.entries[2].bookedAt == nil)
        #expect(s.entries[3].counterpartyName == nil)
        #expect(s.entries[1].remittance == "财付通; UA01234123412341234微信支付-北京一卡通")
    }

    /// ICBC-style layout (hand-made, GB18030, CRLF): title rows with the account, holder
    /// and period; 收入金额/支出金额; newest row first; a 合计 row. Worked by hand:
    /// oldest row 8,005.00 after +3,005.00 -> opening 5,000.00; newest row 20,345.67;
    /// 5,000.00 + 3,005.00 - 5.00 + 12,345.67 = 20,345.67.
    @Test func icbcStyleGB18030WithTitlesAndTotals() throws {
        let result = try parser.parse(BankFixtures.ownFile("cn-icbc-style.gb18030.csv"), file: "icbc.csv")
        let s = try #require(result.statements.first)
        #expect(s.format == "cn-bank:icbc")
        #expect(s.accountMasked == "***************5678" && s.accountTail == "5678")
        #expect(s.accountName == "上海某某餐饮有限公司")
        #expect(s.periodStart == day(2026, 11, 1) && s.periodEnd == day(2026, 11, 30))
        #expect(s.line == 5)
        #expect(s.entries.map(\.amount.minor) == [1_234_567, -500, 300_500])
        #expect(s.entries.map(\.line) == [6, 7, 8])
        #expect(s.openingBalance == cny(500_000))
        #expect(s.closingBalance == cny(2_034_567))
        #expect(s.computedClosing == s.closingBalance)
        #expect(result.skipped.count == 1 && result.skipped[0].line == 9 && result.skipped[0].reason == "totals row (合计)")
        let e = s.entries[0]
        #expect(e.counterpartyName == "拉卡拉支付股份有限公司")
        #expect(e.counterpartyAccount == "***************8901")
        #expect(e.bankRef == "ICBC20261103001")
        #expect(e.remittance == "转账; T+1结算款")
        #expect(e.bookedAt == Instant(epochMillis: 1_793_672_465_000))
    }

    /// CCB-style workbook (hand-made by make-ccb-style-xlsx.py): shared and inline
    /// strings, dates as serial numbers, an amount stored as text, 借贷方向. Worked by
    /// hand: 3,500.50 after +1,000.00 -> opening 2,500.50; closing 3,480.25.
    @Test func ccbStyleXLSX() throws {
        let result = try parser.parse(BankFixtures.ownFile("cn-ccb-style.xlsx"), file: "ccb.xlsx")
        let s = try #require(result.statements.first)
        #expect(s.format == "cn-bank:ccb")
        #expect(s.accountTail == "5678" && s.accountName == "深圳市某某科技有限公司")
        #expect(s.periodStart == day(2026, 11, 1) && s.periodEnd == day(2026, 11, 30))
        #expect(s.entries.map(\.amount.minor) == [100_000, -2_025])
        #expect(s.entries.map(\.bookingDate) == [day(2026, 11, 2), day(2026, 11, 3)])
        #expect(s.entries.map(\.line) == [5, 6])
        #expect(s.entries[0].bookedAt == Instant(epochMillis: 1_793_584_800_000))
        #expect(s.openingBalance == cny(250_050) && s.closingBalance == cny(348_025))
        #expect(s.computedClosing == s.closingBalance)
        #expect(s.entries[0].counterpartyAccount == "************1234")
        #expect(result.skipped.map(\.line) == [7])
    }

    @Test func titleRowMissingIsAnError() throws {
        let text = try decodeGB18030()
        let without = text.replacingOccurrences(of: "户名:上海某某餐饮有限公司\r\n", with: "")
        let e = bankError(parser, Data(without.utf8), file: "icbc.csv")
        #expect(e?.line == 4)
        #expect(e?.reason.contains("title row 户名 expected above the header (profile icbc) is missing") == true)
    }

    @Test func renamedColumnIsAnError() throws {
        let text = try decodeGB18030()
        let renamed = text.replacingOccurrences(of: "对方户名", with: "对方名称")
        let e = bankError(parser, Data(renamed.utf8), file: "icbc.csv")
        #expect(e?.line == 5)
        #expect(e?.reason.contains("matches no Chinese bank layout") == true)
        #expect(e?.reason.contains("nearest is icbc") == true)
        #expect(e?.reason.contains("counterparty_name (对方户名)") == true)
    }

    @Test func badRowsNameTheirLineAndColumn() {
        let both = "记账日期,货币,交易金额,联机余额\n2024-01-01,CNY,abc,1.00\n"
        let e = bankError(parser, both, file: "x.csv")
        #expect(e?.line == 2 && e?.column == "交易金额")
        let currency = "记账日期,货币,交易金额,联机余额\n2024-01-01,USD,1.00,1.00\n"
        #expect(bankError(parser, currency, file: "x.csv")?.column == "货币")
        let noHeader = "a,b\n1,2\n"
        #expect(bankError(parser, noHeader, file: "x.csv")?.reason.contains("no header row") == true)
    }

    @Test func xlsxThatIsNotAZipIsAnError() {
        let e = bankError(parser, Data("交易日期,余额 but not a workbook".utf8), file: "statement.xlsx")
        #expect(e?.reason.contains("not an XLSX workbook") == true)
        var broken = Data([0x50, 0x4B, 0x03, 0x04])
        broken.append(Data(repeating: 0x41, count: 64))
        let e2 = bankError(parser, broken, file: "statement.csv")
        #expect(e2?.reason.contains("not an XLSX workbook") == true)
    }

    @Test func builtinProfilesAreTheFilesInConfigBanks() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let dir = url.path + "/config/banks"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".toml") }.sorted()
        #expect(BuiltinBanks.files.map { $0.name + ".toml" } == names, "run scripts/embed-banks.sh")
        for (name, text) in BuiltinBanks.files {
            let file = try String(contentsOfFile: dir + "/\(name).toml", encoding: .utf8)
            #expect(text + "\n" == file, "config/banks/\(name).toml differs from the built-in copy: run scripts/embed-banks.sh")
        }
        #expect(CNBankProfile.builtin.map(\.name) == ["abc", "ccb", "cmb", "icbc"])
    }

    @Test func profileTyposAreErrors() {
        #expect(throws: (any Error).self) { try CNBankProfile.parse("name = \"x\"\ncolums = {}\n", source: "x.toml") }
        #expect(throws: (any Error).self) {
            try CNBankProfile.parse("name = \"x\"\n[columns]\ndate = [\"日期\"]\nbalance = [\"余额\"]\namount = [\"金额\"]\ncredit = [\"收入\"]\ndebit = [\"支出\"]\n", source: "x.toml")
        }
    }

    @Test func detection() {
        #expect(parser.detects(head: "账号:1\n交易日期,摘要,余额\n"))
        #expect(parser.detects(head: "PK\u{3}\u{4}..."))
        #expect(!parser.detects(head: ":20:A\n:25:B\n"))
    }

    /// The ICBC-style fixture as text.
    func decodeGB18030() throws -> String {
        try BankText.decode(BankFixtures.ownFile("cn-icbc-style.gb18030.csv"), file: "icbc.csv")
    }
}
