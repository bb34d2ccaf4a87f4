import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import PayoutFormats
import Testing
@testable import PayoutStore

/// Broken files of the acquirer formats: each refused with its file, line and reason (or
/// kept with a warning), and the store unchanged by a refused file.
@Suite struct ImporterBadInputTests {
    static let plain = try! String(contentsOfFile: fixture("cn-pos-export.csv"), encoding: .utf8)
    static let statement = String(decoding: try! decodeGB(fixtureBytes("cn-statement-fen.gb18030.csv")), as: UTF8.self)

    static func lines(_ text: String, _ f: (inout [String]) -> Void) -> String {
        var l = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        f(&l)
        return l.joined(separator: "\n")
    }

    /// name, bytes, options edit, expected message after "PATH".
    static let broken: [(String, Data, @Sendable (inout ImportOptions) -> Void, String)] = [
        ("amount.csv", Data(lines(plain) { $0[2] = $0[2].replacingOccurrences(of: "\"3,680.00\"", with: "3千6") }.utf8), { _ in },
         ":3: column 交易金额: \"3千6\" is not a number"),
        ("fen.csv", Data(lines(statement) { $0[7] = $0[7].replacingOccurrences(of: "`50000", with: "`500.00") }.utf8), { _ in },
         ":8: column 交易金额(分): \"500.00\" is not a whole number of 分 (the profile cn-statement-fen reads this column in 分)"),
        ("column.csv", Data(lines(plain) { l in
            for i in l.indices where !l[i].isEmpty {
                var f = l[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                f.remove(at: 3)
                l[i] = f.joined(separator: ",")
            }
        }.utf8), { _ in },
         ":1: header does not match any cn-settlement profile (cn-pos-export, cn-statement-fen): closest is profile cn-pos-export, missing 交易类型"),
        ("truncated.csv", Data(String(plain.prefix(300)).utf8), { _ in },
         ":4: the file ends inside this row, without a line end: it looks cut (has 2 fields; the header has 11)"),
        ("notrailer.csv", Data(lines(statement) { $0.removeLast(3) }.utf8), { _ in },
         ":11: no trailer line (合计/总计 ...) after the rows: the file looks truncated (profile cn-statement-fen expects one)"),
        ("count.csv", gb18030(lines(statement) { $0.remove(at: 6) }), { _ in },
         ":11: the trailer counts 6 rows but the file has 5 (a truncated or edited file?)"),
        ("mixed-utf8.csv", Data(lines(plain) { $0[4] = "" }.utf8) + gb18030(lines(plain) { $0 = [$0[4]] }), { _ in },
         ":12: mixed encodings: line 1 is UTF-8 but line 12 is not (GB18030?); export the whole file again in one encoding"),
        // Past the first 64 KiB the sniffer has decided UTF-8: the reader stops at the line.
        ("mixed-late.csv", Data((plain + String(repeating: lines(plain) { $0.removeFirst(); $0.removeLast() } + "\n", count: 80)).utf8)
            + gb18030(lines(plain) { $0 = [$0[4]] }), { _ in },
         ":812: column 交易类型: text is not valid UTF-8 (the lines before it are: mixed encodings?)"),
        ("mixed-gb.csv", gb18030(lines(statement) { $0.removeLast(4) }) + Data("\n`20261123,`20261120,`170000,`LKL20001,`626000200009,`000109,`000301,,,消费,进账,`100,`1,`99,,\n合计,总笔数：6\n".utf8), { _ in },
         ":11: mixed encodings: line 11 is UTF-8 but line 1 is not (GB18030?); export the whole file again in one encoding"),
        ("currency.csv", Data(lines(plain) { l in
            for i in l.indices where !l[i].isEmpty { l[i] += i == 0 ? ",币种" : i == 3 ? ",港币" : ",人民币" }
        }.utf8), { _ in }, ":4: column 币种: HKD in batch 000123, which is in CNY at line 2"),
        ("conflict.csv", Data(lines(plain) { $0.insert($0[1].replacingOccurrences(of: "1288.00", with: "1388.00"), at: 3) }.utf8), { _ in },
         ":4: has the same merchant, terminal, batch, trace, reference and type as line 2 but a different amount, fee or time"),
        ("type.csv", Data(lines(plain) { $0[3] = $0[3].replacingOccurrences(of: ",消费,", with: ",积分兑换,") }.utf8), { _ in },
         ":4: column 交易类型: \"积分兑换\" is not a transaction type the profile cn-pos-export knows"),
        ("negative.csv", Data(lines(plain) { $0[1] = $0[1].replacingOccurrences(of: ",1288.00,", with: ",-1288.00,") }.utf8), { _ in },
         ":2: column 交易金额: a 消费 must not be negative"),
        ("date.csv", Data(lines(plain) { $0[1] = $0[1].replacingOccurrences(of: "2026-11-20 12:18:05", with: "2026-02-30 12:18:05") }.utf8), { _ in },
         ":2: column 交易时间: \"2026-02-30 12:18:05\" is not a date and time (e.g. 2026-11-20 12:18:05 or 20261120121805)"),
        ("card.csv", Data(lines(plain) { $0[1] = $0[1].replacingOccurrences(of: "6228480402564890018", with: "62284804025648900181234") }.utf8), { _ in },
         ":2: column 卡号: card number has 23 digits; expected 12 to 19, or a masked value"),
        ("pan-rrn.csv", Data(lines(plain) { $0[1] = $0[1].replacingOccurrences(of: ",626000100001,", with: ",6228480402564890018,") }.utf8), { _ in },
         ":2: column 参考号: the value looks like a card number; payoutmon keeps card numbers only in the card column, masked (wrong profile?)"),
        ("adyen-as-cn.csv", fixtureBytes("adyen-sdr-classic.csv"), { $0.profile = "cn-pos-export" },
         ":1: no header row for profile cn-pos-export in the first 20 lines (it looks like an adyen-sdr file; try --format auto)"),
        ("adyen-as-stripe.csv", fixtureBytes("adyen-sdr-classic.csv"), { $0.format = .stripePayoutRecon },
         ":1: not a Stripe payout reconciliation report: the header lacks balance_transaction_id, reporting_category, gross, net, currency (it looks like an adyen-sdr file; try --format auto)"),
        ("stripe-as-adyen.csv", fixtureBytes("stripe-payout-recon.csv"), { $0.format = .adyenSdr },
         ":1: not an Adyen settlement details report: the header lacks Merchant Account, Psp Reference, Type, Batch Number, Net Currency (it looks like a stripe-payout-recon file; try --format auto)"),
        ("cn-as-canonical.csv", fixtureBytes("cn-pos-export.csv"), { $0.format = .canonical },
         ":1: header is not one of the canonical kinds (transactions, payouts, payout_items, account_events, holds, merchants); see the README's report format (it looks like a cn-settlement (profile cn-pos-export) file; try --format auto)"),
        ("utf16.csv", Data([0xFF, 0xFE, 0x41, 0x00]), { _ in }, ": the file is UTF-16 text; save it as CSV in UTF-8 or GB18030 (Excel: \"CSV UTF-8\")"),
        ("gbjunk.csv", Data("商户号,终端号\n".utf8) + Data([0xFF, 0xFF, 0x0A]) + gb18030("商户号"), { _ in },
         ":2: mixed encodings: line 1 is UTF-8 but line 2 is not (GB18030?); export the whole file again in one encoding"),
        ("badgb.csv", gb18030("商户号,终端号\n") + Data([0x81, 0x0A]), { _ in },
         ":2: bytes that are neither UTF-8 nor GB18030 text (a damaged file, or mixed encodings)"),
    ]

    @Test(arguments: broken.indices)
    func refusedWithFileLineAndReasonStoreUnchanged(index: Int) throws {
        let (name, bytes, edit, message) = Self.broken[index]
        let dir = TempDir()
        let store = try memoryStore()
        _ = try store.importFile(atPath: repoRoot + "/config/examples/merchants.csv", options: importOptions)
        let before = try tableCounts(store)
        let path = dir.path + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: bytes)
        var options = importOptions
        edit(&options)
        let error = importError(store, path, options)
        #expect(error.hasPrefix(path + message), "\(error)")
        #expect(try tableCounts(store) == before)
    }

    @Test func anIdenticalRepeatedRowIsKeptOnceWithAWarning() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("repeat.csv", Self.lines(Self.plain) { $0.insert($0[1], at: 3) })
        let s = try store.importFile(atPath: path, options: importOptions)
        #expect(s.warnings.contains { $0.description == "\(path):4: repeats line 2 (same merchant, terminal, batch, trace, reference and type); counted once" })
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn") == 9)
    }

    @Test func settleAmountThatDisagreesIsAWarning() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("settle.csv", Self.lines(Self.plain) { $0[1] = $0[1].replacingOccurrences(of: ",1280.27", with: ",1280.00") })
        let s = try store.importFile(atPath: path, options: importOptions)
        #expect(s.warnings.contains { $0.description == "\(path):2: column 结算金额: 1280.00 is not 交易金额 1288.00 less 手续费 7.73; kept as reported" })
    }

    @Test func skipBadImportsTheGoodRowsAndWritesTheRest() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let text = Self.lines(Self.plain) { l in
            l[1] = l[1].replacingOccurrences(of: "2026-11-20 12:18:05", with: "yesterday")       // keeps its full card number
            l[3] = l[3].replacingOccurrences(of: "56.50", with: "fifty")
            l.insert("898440358120013,LKL1\"0001,2026-11-20 22:00:00,消费,000124,000016,626000100012,,1.00,0.00,1.00", at: 5)  // a stray quote
        }
        let path = dir.file("partly.csv", text)
        var options = importOptions
        options.skipBad = true
        let s = try store.importFile(atPath: path, options: options)
        #expect(s.rows == 11)
        #expect(s.rejected.map(\.line) == [2, 4, 6])
        #expect(s.rejectsPath == dir.path + "/partly.rejects.csv")
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn") == 7)
        let rejects = try String(contentsOfFile: dir.path + "/partly.rejects.csv", encoding: .utf8)
        #expect(!rejects.contains("6228480402564890018"))
        #expect(rejects.contains("622848*********0018"))
        #expect(rejects.contains("2,column 交易时间: \"\"yesterday\"\" is not a date") || rejects.contains("2,\"column 交易时间: \"\"yesterday\"\" is not a date"))
        #expect(rejects.contains("4,\"column 交易金额: \"\"fifty\"\" is not a number\""))
        // The rejects file, fixed, imports as a cn-settlement file of the same profile.
        let fixed = rejects.replacingOccurrences(of: "yesterday", with: "2026-11-20 12:18:05").replacingOccurrences(of: "fifty", with: "56.50")
        let fixedPath = dir.file("fixed.csv", Self.lines(fixed) { $0.remove(at: 3) })
        let again = try store.importFile(atPath: fixedPath, options: importOptions)
        #expect(again.profile == "cn-pos-export")
        #expect(again.counts["transactions"]?.inserted == 2)
        #expect(try fetchInt(store, "SELECT SUM(amountMinor) FROM txn") == 484_450)
    }

    @Test func autoDetectsEveryFormat() throws {
        let store = try memoryStore()
        let cases: [(String, ReportFormat)] = [
            (fixture("cn-pos-export.csv"), .cnSettlement), (fixture("cn-statement-fen.gb18030.csv"), .cnSettlement),
            (fixture("adyen-sdr-classic.csv"), .adyenSdr), (fixture("adyen-sdr-booking.csv"), .adyenSdr),
            (fixture("stripe-payout-recon.csv"), .stripePayoutRecon), (repoRoot + "/config/examples/merchants.csv", .canonical),
        ]
        for (path, format) in cases {
            #expect(try store.importFile(atPath: path, options: importOptions).format == format, "\(path)")
        }
    }
}
