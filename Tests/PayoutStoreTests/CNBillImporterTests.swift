import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import Testing
@testable import PayoutFormats
@testable import PayoutStore

/// WeChat Pay trade bills and Alipay account statements (docs/report-formats.md,
/// "wechat-bill" and "alipay-statement"), and the totals checks of Chinese reports.
@Suite struct CNBillImporterTests {
    static let wechatHeader = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
    static let wechatTrailer = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"

    /// A WeChat bill row, every cell guarded with a backtick as the bills write them.
    static func wxRow(_ time: String, mch: String = "1900000001", id: String, order: String, status: String = "SUCCESS",
                      settle: String, refundId: String = "0", refund: String = "0.00", refundStatus: String = "",
                      fee: String, device: String = "POS-01") -> String {
        [time, "wxapp", mch, "0", device, id, order, "openid", "MICROPAY", status, "OTHERS", "CNY", settle, "0.00", refundId, "0",
         refund, "0.00", refundStatus.isEmpty ? "" : "ORIGINAL", refundStatus, "商品", "", fee, "0.60%",
         status == "REFUND" ? "0.00" : settle, refund, ""].map { "`" + $0 }.joined(separator: ",")
    }

    static func wxTotals(_ n: Int, settle: String, refund: String, fee: String, order: String? = nil) -> String {
        wechatTrailer + "\n" + ["\(n)", settle, refund, "0.00", fee, order ?? settle, refund].map { "`" + $0 }.joined(separator: ",")
    }

    /// A bill of a 1.00 and a 54.00 payment at 0.6% (fees 0.00600 and 0.32400, which
    /// round to 0.01 and 0.32) and a refund of 10.00 giving back 0.06000.
    static func subFenBill(feeTotal: String) -> String {
        [wechatHeader,
         wxRow("2026-11-20 09:00:00", id: "4200000001202611200000000001", order: "A001", settle: "1.00", fee: "0.00600"),
         wxRow("2026-11-20 10:00:00", id: "4200000001202611200000000002", order: "A002", settle: "54.00", fee: "0.32400"),
         wxRow("2026-11-20 11:00:00", id: "4200000001202611200000000002", order: "A002", status: "REFUND", settle: "0.00",
               refundId: "50300000012026112000000000001", refund: "10.00", refundStatus: "SUCCESS", fee: "-0.06000"),
         wxTotals(3, settle: "55.00", refund: "10.00", fee: feeTotal), ""].joined(separator: "\n")
    }

    // MARK: WeChat Pay, public files

    @Test func publicBillWithRefundsImportsEveryRowToTheCent() throws {
        let store = try memoryStore()
        let s = try store.importFile(atPath: fixture("public/wechat-bill-all.dax-pay.csv"), options: importOptions)
        #expect(s.format == .wechatBill)
        #expect(s.kind == "wechat-bill")
        #expect(s.rows == 3)
        #expect(s.counts["transactions"]?.inserted == 3)
        #expect(s.warnings.isEmpty, "\(s.warnings)")
        let rows = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, amountMinor, feeMinor, rrn, traceNo, merchantId, terminalId, cardKind, line FROM txn ORDER BY line")
                .map { "\($0["kind"] as String) \($0["amountMinor"] as Int64) \($0["feeMinor"] as Int64) \($0["rrn"] as String) \($0["merchantId"] as String)/\($0["terminalId"] as String) \($0["cardKind"] as String) \($0["line"] as Int)" }
        }
        // The bill's own totals: 应结订单总金额 0.02, 退款总金额 0.02, 手续费总金额 0.00000.
        #expect(rows == [
            "sale 2 0 4200002086202401160745964084 1627859777/ qr 2",
            "refund -1 0 4200002086202401160745964084 1627859777/ qr 3",
            "refund -1 0 4200002086202401160745964084 1627859777/ qr 4",
        ])
        // A refund names the original order (its RRN) and its own refund number (the trace).
        #expect(try fetchString(store, "SELECT group_concat(traceNo, ' ') FROM (SELECT traceNo FROM txn WHERE kind = 'refund' ORDER BY line)")
                == "50303108562024011601487282563 50303108562024011683774350275")
        #expect(try fetchInt(store, "SELECT occurredAt FROM txn WHERE line = 2") == at("2024-01-16 22:43:59").epochMillis)
    }

    @Test func publicBillOfThreePaymentsImports() throws {
        let store = try memoryStore()
        let s = try store.importFile(atPath: fixture("public/wechat-bill-all.wechatpay-go.csv"), options: importOptions)
        #expect(s.format == .wechatBill)
        #expect(s.rows == 3)
        #expect(try fetchInt(store, "SELECT SUM(amountMinor) FROM txn WHERE kind = 'sale'") == 3)
        #expect(try fetchString(store, "SELECT traceNo FROM txn WHERE rrn = '4200000910202101282955148400'") == "S20210128153505214586")
        #expect(try fetchString(store, "SELECT DISTINCT merchantId FROM txn") == "1601959334")
    }

    // MARK: Sub-fen fees

    @Test func subFenFeesAreRoundedAsTheTotalsDoAndSaidSo() throws {
        let dir = TempDir()
        let store = try memoryStore()
        // 0.01 + 0.32 - 0.06 rounded per row is 0.27: the bill's total is the rounded one.
        let path = dir.file("wx.csv", Self.subFenBill(feeTotal: "0.27000"))
        let s = try store.importFile(atPath: path, options: importOptions)
        #expect(s.rows == 3)
        #expect(try fetchInt(store, "SELECT feeMinor FROM txn WHERE traceNo = 'A001'") == 1)
        #expect(try fetchInt(store, "SELECT feeMinor FROM txn WHERE traceNo = 'A002'") == 32)
        #expect(try fetchInt(store, "SELECT feeMinor FROM txn WHERE kind = 'refund'") == -6)
        let texts = s.warnings.map(\.description)
        #expect(texts.contains("\(path):2: column 手续费: fee 0.00600 rounded to 0.01 as the bill's totals do (手续费总金额 0.27000)"), "\(texts)")
        #expect(texts.contains("\(path):3: column 手续费: fee 0.32400 rounded to 0.32 as the bill's totals do (手续费总金额 0.27000)"))
        #expect(texts.count == 2)
    }

    @Test func aFeeTotalOfTheExactFeesIsSaidSo() throws {
        let dir = TempDir()
        let store = try memoryStore()
        // With 0.32500 in place of 0.32400 the exact fees sum to 0.27100 and the rounded
        // ones to 0.28: this bill's total is the exact sum.
        let exact = Self.subFenBill(feeTotal: "0.27100").replacingOccurrences(of: "`0.32400", with: "`0.32500")
        let p2 = dir.file("wx-exact.csv", exact)
        let s = try store.importFile(atPath: p2, options: importOptions)
        #expect(s.warnings.contains { $0.description == "\(p2):3: column 手续费: fee 0.32500 rounded to 0.33; the bill's 手续费总金额 0.27100 sums the exact fees, and each fee is stored rounded half up to the 分" },
                "\(s.warnings)")
        #expect(try fetchInt(store, "SELECT SUM(feeMinor) FROM txn") == 28)
    }

    @Test func aFeeTotalThatMatchesNeitherRefusesTheBillNamingBoth() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("wx.csv", Self.subFenBill(feeTotal: "0.30000"))
        let error = importError(store, path)
        #expect(error == "\(path):6: the bill's 手续费总金额 is 0.30000 but the rows' 手续费 add up to 0.27000 (0.27 rounded per row)")
        #expect(try tableCounts(store)["txn"] == 0)
    }

    // MARK: Totals and cut files

    @Test func aBillCutInsideItsLastAmountIsRefusedAsIncomplete() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let whole = Self.subFenBill(feeTotal: "0.27000")
        // Cut inside the 54.00 of line 3, no line end: no trailer either.
        let cut = String(whole[..<whole.range(of: "`54")!.upperBound])
        let path = dir.file("cut.csv", cut.replacingOccurrences(of: "`54", with: "`5"))
        do {
            _ = try store.importFile(atPath: path, options: importOptions)
            Issue.record("a cut bill was imported")
        } catch let e as ImportError {
            #expect(e.incomplete)
            #expect(e.description == "\(path):3: the file ends inside this row, without a line end: it looks cut (has 13 fields; the header has 27)")
        }
        // The same under --skip-bad: a cut file is not a bad row to set aside.
        var options = importOptions
        options.skipBad = true
        #expect(importError(store, path, options) == "\(path):3: the file ends inside this row, without a line end: it looks cut (has 13 fields; the header has 27)")
        #expect(try tableCounts(store)["txn"] == 0)
    }

    @Test func aBillWhoseRowsDoNotMakeItsTotalsIsRefusedNamingBoth() throws {
        let dir = TempDir()
        let store = try memoryStore()
        // The last payment's amount cut from 54.00 to 5.00; the trailer still says 55.00.
        let text = Self.subFenBill(feeTotal: "0.27000").replacingOccurrences(of: "`54.00,`0.00,`0,`0,`0.00", with: "`5.00,`0.00,`0,`0,`0.00")
        let path = dir.file("edited.csv", text)
        do {
            _ = try store.importFile(atPath: path, options: importOptions)
            Issue.record("imported")
        } catch let e as ImportError {
            #expect(e.incomplete)
            #expect(e.description == "\(path):6: the bill's 应结订单总金额 is 55.00 but the rows' 应结订单金额 add up to 6.00 (a truncated or edited file, or amounts in the wrong unit?)")
        }
        #expect(try tableCounts(store)["txn"] == 0)
    }

    static let posHeader = "商户号,终端号,交易时间,交易类型,批次号,凭证号,参考号,卡号,交易金额,手续费,结算金额"
    /// An export whose last column is the amount: a cut inside it leaves a whole row.
    static let amountLastHeader = "商户号,终端号,交易时间,交易类型,批次号,凭证号,参考号,卡号,手续费,交易金额"
    static let amountLastRows = [
        "898440358120013,LKL10001,2026-11-20 12:30:00,消费,000123,000452,626000100002,,0.34,56.50",
        "898440358120013,LKL10001,2026-11-20 12:18:05,消费,000123,000451,626000100001,,7.73,1288.00",
    ]
    static let posRows = [
        "898440358120013,LKL10001,2026-11-20 12:18:05,消费,000123,000451,626000100001,,1288.00,7.73,1280.27",
        "898440358120013,LKL10001,2026-11-20 12:30:00,消费,000123,000452,626000100002,,56.50,0.34,56.16",
    ]

    @Test func aCutLastLineWithNoTotalsIsImportedWithAWarningNamingIt() throws {
        let dir = TempDir()
        let store = try memoryStore()
        // 1288.00 cut to 12 and no line end: the file has no trailer to check it against.
        let rows = [Self.amountLastRows[0], Self.amountLastRows[1].replacingOccurrences(of: ",1288.00", with: ",12")]
        let path = dir.file("cut.csv", ([Self.amountLastHeader] + rows).joined(separator: "\n"))
        let s = try store.importFile(atPath: path, options: importOptions)
        #expect(s.warnings.contains { $0.description == "\(path):3: the file ends inside this line, without a line end, and has no totals to check it against: the line may be cut; compare it with the acquirer's portal" },
                "\(s.warnings)")
        // The same rows with a line end at the end: no such warning.
        #expect(try fetchInt(store, "SELECT amountMinor FROM txn WHERE rrn = '626000100001'") == 1200)
        let whole = dir.file("whole.csv", ([Self.amountLastHeader] + Self.amountLastRows).joined(separator: "\n") + "\n")
        let s2 = try memoryStore().importFile(atPath: whole, options: importOptions)
        #expect(!s2.warnings.contains { $0.reason.contains("without a line end") })
    }

    @Test func rowsThatDoNotMakeTheTrailersTotalsAreRefusedNamingBothFigures() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let rows = [Self.posRows[0].replacingOccurrences(of: "1288.00,7.73,1280.27", with: "12.00,7.73,4.27"), Self.posRows[1]]
        let path = dir.file("cut.csv", ([Self.posHeader] + rows + ["合计,总笔数：2,总金额：1344.50,手续费总额：8.07"]).joined(separator: "\n") + "\n")
        do {
            _ = try store.importFile(atPath: path, options: importOptions)
            Issue.record("imported")
        } catch let e as ImportError {
            #expect(e.incomplete)
            #expect(e.description == "\(path):4: the trailer's 交易金额 total is 1344.50 元 but the rows add up to 68.50 元 (a truncated or edited file, or amounts in the wrong unit?)")
        }
        // With the right figures the trailer's totals pass.
        let good = dir.file("good.csv", ([Self.posHeader] + Self.posRows + ["合计,总笔数：2,总金额：1344.50,手续费总额：8.07"]).joined(separator: "\n") + "\n")
        #expect(try store.importFile(atPath: good, options: importOptions).counts["transactions"]?.inserted == 2)
        // A refund written unsigned: the total may be the column as written or net of it.
        let refund = Self.posRows[1].replacingOccurrences(of: ",消费,", with: ",退货,").replacingOccurrences(of: "626000100002", with: "626000100003")
        for (name, total) in [("gross.csv", "1344.50"), ("net.csv", "1231.50")] {
            let p = dir.file(name, ([Self.posHeader, Self.posRows[0], refund, "合计,总笔数：2,总金额：\(total)"]).joined(separator: "\n") + "\n")
            #expect(try memoryStore().importFile(atPath: p, options: importOptions).rows == 2, "\(name)")
        }
        let neither = dir.file("neither.csv", ([Self.posHeader, Self.posRows[0], refund, "合计,总笔数：2,总金额：1300.00"]).joined(separator: "\n") + "\n")
        #expect(importError(store, neither) == "\(neither):4: the trailer's 交易金额 total is 1300.00 元 but the rows add up to 1344.50 元 (1231.50 元 net of refunds) (a truncated or edited file, or amounts in the wrong unit?)")
    }

    @Test func amountsInFenDeclaredAsYuanAreCaughtByTheTotals() throws {
        let dir = TempDir()
        let store = try memoryStore()
        // The header says 元 but the cells are 分 (128800 for 1288.00); the trailer is in 元.
        let header = Self.posHeader.replacingOccurrences(of: "交易金额", with: "交易金额(元)")
        let rows = ["898440358120013,LKL10001,2026-11-20 12:18:05,消费,000123,000451,626000100001,,128800,773,128027"]
        let path = dir.file("unit.csv", ([header] + rows + ["合计,总笔数：1,总金额：1288.00"]).joined(separator: "\n") + "\n")
        let error = importError(store, path)
        #expect(error == "\(path):3: the trailer's 交易金额(元) total is 1288.00 元 but the rows add up to 128800.00 元 (a truncated or edited file, or amounts in the wrong unit?)")
        #expect(try tableCounts(store)["txn"] == 0)
    }

    @Test func theStatementTrailersAmountIsChecked() throws {
        let dir = TempDir()
        let store = try memoryStore()
        var bytes = fixtureBytes("cn-statement-fen.gb18030.csv")
        let from = Data("5052000".utf8), to = Data("5052001".utf8)
        bytes.replaceSubrange(bytes.range(of: from)!, with: to)
        let path = dir.path + "/statement.csv"
        _ = FileManager.default.createFile(atPath: path, contents: bytes)
        let error = importError(store, path)
        #expect(error == "\(path):12: the trailer's 交易金额(分) total is 5052001 分 (50520.01 元) but the rows add up to 50520.00 元 (30120.00 元 net of refunds) (a truncated or edited file, or amounts in the wrong unit?)")
        #expect(try store.importFile(atPath: fixture("cn-statement-fen.gb18030.csv"), options: importOptions).rows == 6)
    }

    // MARK: Bad input

    @Test func aBillThatMixesTwoMerchantsIsRefusedOrSetAsideRowByRow() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let text = [Self.wechatHeader,
                    Self.wxRow("2026-11-20 09:00:00", id: "4200000001202611200000000001", order: "A001", settle: "10.00", fee: "0.06000"),
                    Self.wxRow("2026-11-20 10:00:00", mch: "1900000002", id: "4200000001202611200000000002", order: "B001", settle: "20.00", fee: "0.12000"),
                    Self.wxTotals(2, settle: "30.00", refund: "0.00", fee: "0.18000"), ""].joined(separator: "\n")
        let path = dir.file("mixed.csv", text)
        #expect(importError(store, path) == "\(path):3: column 商户号: 1900000002 is not the bill's merchant 1900000001 (line 2): a bill is one merchant account's; two bills in one file?")
        #expect(try tableCounts(store)["txn"] == 0)
        var options = importOptions
        options.skipBad = true
        let s = try store.importFile(atPath: path, options: options)
        #expect(s.rejected.map(\.line) == [3])
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn") == 1)
        let rejects = try String(contentsOfFile: dir.path + "/mixed.rejects.csv", encoding: .utf8)
        #expect(rejects.contains("1900000002"))
    }

    @Test func aHeaderWithAColumnTwiceIsRefused() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let wx = dir.file("twice.csv", Self.subFenBill(feeTotal: "0.27000").replacingOccurrences(of: "费率,订单金额", with: "手续费,订单金额"))
        #expect(importError(store, wx) == "\(wx):1: column 手续费: the header names this column twice (columns 23 and 24): which one holds the figures cannot be told")
        var options = importOptions
        options.skipBad = true
        #expect(importError(store, wx, options).hasPrefix("\(wx):1: column 手续费: the header names this column twice"))
        let pos = dir.file("twice-pos.csv", ([Self.posHeader.replacingOccurrences(of: "结算金额", with: "交易金额")] + Self.posRows).joined(separator: "\n") + "\n")
        #expect(importError(store, pos) == "\(pos):1: column 交易金额: the header has amount twice (columns 9 and 11): which one holds the figures cannot be told")
        #expect(try tableCounts(store)["txn"] == 0)
    }

    // MARK: Alipay

    /// An Alipay 账务明细 statement as the merchant portal exports it (GB18030, `#`
    /// lines above and below, cells ending in a tab), built here: no whole public one
    /// was found (Fixtures/public/README.md).
    static func alipay(rows: [String], totals: [String], account: String = "20881234567890120156") -> Data {
        gb18030(([
            "#支付宝账务明细查询",
            "#账号：[\(account)]",
            "#起始日期：[2026年11月20日 00:00:00]   终止日期：[2026年11月21日 00:00:00]",
            "#-----------------------------------------账务明细列表----------------------------------------",
            "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注",
        ] + rows + ["#----------------------------------------账务明细列表结束-------------------------------------"] + totals
          + ["#导出时间：[2026年11月21日 08:00:00]"]).joined(separator: "\r\n") + "\r\n")
    }

    static let alipayRows = [
        "300001\t,2026112022001400001\t,M-1001\t,午餐\t,2026-11-20 12:01:00,张三 (z***@qq.com)\t,100.00,0.00,100.00,支付宝,在线支付,",
        "300002\t,2026112022001400001\t,M-1001\t,午餐\t,2026-11-20 12:01:00,\t,0.00,0.60,99.40,支付宝,收费,服务费[2026112022001400001]",
        "300003\t,2026112022001400001\t,M-1001\t,午餐\t,2026-11-20 15:00:00,张三 (z***@qq.com)\t,0.00,20.00,79.40,支付宝,交易退款,",
        "300004\t,2026112022001400001\t,M-1001\t,午餐\t,2026-11-20 15:00:00,\t,0.12,0.00,79.52,支付宝,收费,退服务费[2026112022001400001]",
        "300005\t,2026112000001\t,\t,提现\t,2026-11-20 18:00:00,\t,0.00,50.00,29.52,支付宝,提现,",
    ]
    /// One total as most statements write it, one as some do (no 共).
    static let alipayTotals = ["#支出合计：3笔，共-70.60元", "#收入合计：2笔100.12元"]

    @Test func alipayStatementRowsBecomeSalesRefundsAndTheirFees() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.path + "/alipay.csv"
        _ = FileManager.default.createFile(atPath: path, contents: Self.alipay(rows: Self.alipayRows, totals: Self.alipayTotals))
        let s = try store.importFile(atPath: path, options: importOptions)
        #expect(s.format == .alipayStatement)
        #expect(s.encoding == .gb18030)
        #expect(s.rows == 5)
        let rows = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, amountMinor, feeMinor, rrn, traceNo, merchantId, line FROM txn ORDER BY line")
                .map { "\($0["kind"] as String) \($0["amountMinor"] as Int64) \($0["feeMinor"] as Int64) \($0["rrn"] as String) \($0["traceNo"] as String) \($0["merchantId"] as String) \($0["line"] as Int)" }
        }
        #expect(rows == [
            "sale 10000 60 2026112022001400001 300001 20881234567890120156 6",
            "refund -2000 -12 2026112022001400001 300003 20881234567890120156 8",
        ])
        #expect(s.warnings.map(\.description) == ["\(path):10: column 业务类型: 1 row of \"提现\" skipped: a withdrawal to the bank (提现): not a sale or refund"])
        #expect(try fetchInt(store, "SELECT occurredAt FROM txn WHERE line = 6") == at("2026-11-20 12:01").epochMillis)
    }

    @Test func alipayTotalsThatDoNotMatchOrAreMissingRefuseTheStatement() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let wrong = dir.path + "/wrong.csv"
        _ = FileManager.default.createFile(atPath: wrong, contents: Self.alipay(rows: Self.alipayRows, totals: ["#支出合计：3笔，共-70.60元", "#收入合计：2笔，共1001.20元"]))
        #expect(importError(store, wrong) == "\(wrong):13: the statement's #收入合计 is 2笔，共1001.20元 but the rows give 2笔，共100.12元 (a truncated or edited file?)")
        // Cut after the third row: no end of the list, no totals.
        var cut = Self.alipay(rows: Self.alipayRows, totals: Self.alipayTotals)
        let marker = gb18030("300004")
        cut = cut.subdata(in: 0..<cut.range(of: marker)!.lowerBound)
        let cutPath = dir.path + "/cut.csv"
        _ = FileManager.default.createFile(atPath: cutPath, contents: cut)
        do {
            _ = try store.importFile(atPath: cutPath, options: importOptions)
            Issue.record("imported")
        } catch let e as ImportError {
            #expect(e.incomplete)
            #expect(e.description == "\(cutPath):8: no end of the list (#---账务明细列表结束---) after the rows: the statement looks truncated")
        }
        #expect(try tableCounts(store)["txn"] == 0)
    }

    @Test func twoAlipayStatementsInOneFileAreRefused() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let first = Self.alipay(rows: Array(Self.alipayRows.prefix(1)), totals: ["#支出合计：0笔，共0.00元", "#收入合计：1笔，共100.00元"])
        let second = Self.alipay(rows: ["400001\t,2026112022001400009\t,M-2001\t,晚餐\t,2026-11-20 19:00:00,\t,50.00,0.00,50.00,支付宝,在线支付,"],
                                 totals: ["#支出合计：0笔，共0.00元", "#收入合计：1笔，共50.00元"], account: "20889999999999990156")
        let path = dir.path + "/two.csv"
        _ = FileManager.default.createFile(atPath: path, contents: first + second)
        #expect(importError(store, path) == "\(path):12: a second 账号 20889999999999990156 (the statement's is 20881234567890120156): the file mixes two merchants")
        #expect(try tableCounts(store)["txn"] == 0)
    }

    @Test func anAlipaySummaryIsRefusedWithAdvice() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.path + "/summary.csv"
        _ = FileManager.default.createFile(atPath: path, contents: gb18030(
            "#支付宝账务汇总查询\r\n#账号：[20881234567890120156]\r\n业务类型,收入笔数,收入金额（+元）,支出笔数,支出金额（-元）\r\n在线支付,1,100.00,0,0.00\r\n"))
        #expect(importError(store, path) == "\(path):1: an Alipay 账务汇总 (totals by business type) holds no transactions: import the 账务明细 file of the same period")
        // A statement without 业务类型 cannot tell sales from fees: refused, saying what it lacks.
        let bare = dir.path + "/bare.csv"
        _ = FileManager.default.createFile(atPath: bare, contents: gb18030(
            "#支付宝账务明细查询\r\n账务流水号,商户订单号,业务流水号,收入金额（+元）,支出金额（-元）,账户余额（元）,发生时间,备注\r\n1,M-1,B-1,88.00,,100.00,2026-05-08 10:00:00,订单收款\r\n"))
        #expect(importError(store, bare) == "\(bare):2: the header looks like an Alipay account statement but lacks 业务类型")
    }
}

extension CNBillImporterTests {
    /// The REFUND kind of bill: 退款申请时间 and 退款成功时间 after 代金券金额; a refund is
    /// dated when it succeeded. The row is the one of the public `gunsluo/wechatpay-go`
    /// test (`TestUnmarshalRefundTradeBill`), with the bill's header and a trailer.
    @Test func aRefundBillDatesRefundsWhenTheySucceeded() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let header = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,退款申请时间,退款成功时间,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
        let row = ["2021-01-24 16:16:25", "wx81be3101902f7cb2", "1601959334", "0", "", "4200000844202101245866928772", "S20210124161554311546",
                   "ofyak5qR_1wYsC99CsWA6R9MJazA", "NATIVE", "REFUND", "OTHERS", "CNY", "0.00", "0.00", "2021-02-01 14:33:21", "2021-02-01 14:33:24",
                   "50300807172021020106006664916", "S20210201143320649393", "0.01", "0.00", "ORIGINAL", "SUCCESS", "for testing", "cipher code",
                   "0.00000", "1.00%", "0.00", "0.01", ""].map { "`" + $0 }.joined(separator: ",")
        let path = dir.file("refund.csv", [header, row, Self.wxTotals(1, settle: "0.00", refund: "0.01", fee: "0.00000"), ""].joined(separator: "\n"))
        let s = try store.importFile(atPath: path, options: importOptions)
        #expect(s.format == .wechatBill)
        #expect(s.warnings.isEmpty, "\(s.warnings)")
        #expect(try fetchString(store, "SELECT kind || ' ' || amountMinor || ' ' || rrn || ' ' || traceNo FROM txn")
                == "refund -1 4200000844202101245866928772 50300807172021020106006664916")
        #expect(try fetchInt(store, "SELECT occurredAt FROM txn") == at("2021-02-01 14:33:24").epochMillis)
    }

    /// The SUCCESS kind: no refund columns, and the trailer totals them 0.00.
    @Test func aSuccessBillImportsWithoutRefundColumns() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let header = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注"
        let row = ["2021-02-01 14:38:45", "wx81be3101902f7cb2", "1601959334", "0", "", "4200000922202102014836880592", "S20210201143829466741",
                   "ofyak5lCyFIsihOYEX0Zx9smR0g0", "NATIVE", "SUCCESS", "OTHERS", "CNY", "0.01", "0.00", "for testing", "cipher code", "0.00000",
                   "1.00%", "0.01", ""].map { "`" + $0 }.joined(separator: ",")
        let path = dir.file("success.csv", [header, row, Self.wxTotals(1, settle: "0.01", refund: "0.00", fee: "0.00000"), ""].joined(separator: "\n"))
        let s = try store.importFile(atPath: path, options: importOptions)
        #expect(s.rows == 1)
        #expect(s.warnings.isEmpty, "\(s.warnings)")
        #expect(try fetchInt(store, "SELECT amountMinor FROM txn WHERE kind = 'sale'") == 1)
        // A nonzero refund total in a bill without the column cannot be checked: said so.
        let odd = dir.file("odd.csv", [header, row, Self.wxTotals(1, settle: "0.01", refund: "5.00", fee: "0.00000"), ""].joined(separator: "\n"))
        let s2 = try memoryStore().importFile(atPath: odd, options: importOptions)
        #expect(s2.warnings.map(\.description).contains("\(odd):4: column 退款总金额: a total of a column the bill does not have; not checked"))
    }

    /// Statuses that move no money are counted as skipped, one warning per status, and
    /// still count in the bill's totals.
    @Test func revokedAndPendingRefundRowsAreSkippedWithTheirReason() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let text = [Self.wechatHeader,
                    Self.wxRow("2026-11-20 09:00:00", id: "4200000001202611200000000001", order: "A001", settle: "10.00", fee: "0.06000"),
                    Self.wxRow("2026-11-20 09:05:00", id: "4200000001202611200000000003", order: "A003", status: "REVOKED", settle: "0.00", fee: "0.00000"),
                    Self.wxRow("2026-11-20 10:00:00", id: "4200000001202611200000000001", order: "A001", status: "REFUND", settle: "0.00",
                               refundId: "50300000012026112000000000009", refund: "10.00", refundStatus: "PROCESSING", fee: "-0.06000"),
                    Self.wxTotals(3, settle: "10.00", refund: "10.00", fee: "0.00000"), ""].joined(separator: "\n")
        let path = dir.file("skips.csv", text)
        let s = try store.importFile(atPath: path, options: importOptions)
        #expect(s.rows == 3)
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn") == 1)
        let texts = s.warnings.map(\.description)
        #expect(texts == [
            "\(path):3: column 交易状态: 1 row \"REVOKED\" skipped: revoked (已撤销): the payment was cancelled",
            "\(path):4: column 交易状态: 1 row \"REFUND PROCESSING\" skipped: a refund whose 退款状态 is PROCESSING, not SUCCESS: no money has moved yet",
        ])
    }
}
