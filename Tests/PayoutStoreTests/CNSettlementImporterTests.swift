import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import Testing
@testable import PayoutFormats
@testable import PayoutStore

/// The path of a fixture under Tests/PayoutStoreTests/Fixtures.
func fixture(_ name: String) -> String { repoRoot + "/Tests/PayoutStoreTests/Fixtures/" + name }

func fixtureBytes(_ name: String) -> Data { FileManager.default.contents(atPath: fixture(name))! }

/// GB18030 bytes of a string, through the C library's iconv (as the importer reads them).
func gb18030(_ text: String) -> Data {
    let cd = iconv_open("GB18030", "UTF-8")!
    defer { iconv_close(cd) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
    let produced = input.withUnsafeMutableBytes { inBuf in
        output.withUnsafeMutableBytes { outBuf in
            var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
            var inLeft = inBuf.count
            var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
            var outLeft = outBuf.count
            _ = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            return outBuf.count - outLeft
        }
    }
    return Data(output[0..<produced])
}

func fetchInt(_ store: PayoutStore, _ sql: String, _ args: StatementArguments = []) throws -> Int64? {
    try store.reader.read { db in try Int64.fetchOne(db, sql: sql, arguments: args) }
}

func fetchString(_ store: PayoutStore, _ sql: String, _ args: StatementArguments = []) throws -> String? {
    try store.reader.read { db in try String.fetchOne(db, sql: sql, arguments: args) }
}

/// The error an import throws, as text ("" when it succeeds).
func importError(_ store: WritableStore, _ path: String, _ options: ImportOptions = importOptions) -> String {
    do { _ = try store.importFile(atPath: path, options: options); return "" } catch { return "\(error)" }
}

@Suite struct CNSettlementImporterTests {
    @Test func plainExportIsRecognisedAndImported() throws {
        let store = try memoryStore()
        let s = try store.importFile(atPath: fixture("cn-pos-export.csv"), options: importOptions)
        #expect(s.format == .cnSettlement)
        #expect(s.profile == "cn-pos-export")
        #expect(s.kind == "cn-pos-export")
        #expect(s.encoding == .utf8)
        #expect(s.rows == 10)
        #expect(s.counts["transactions"]?.inserted == 9)
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn") == 9)
        #expect(try fetchInt(store, "SELECT SUM(amountMinor) FROM txn") == 484_450)
        #expect(try fetchInt(store, "SELECT SUM(feeMinor) FROM txn") == 3_302)
        let kinds = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) AS n, SUM(amountMinor) AS total FROM txn GROUP BY kind ORDER BY kind")
                .map { "\($0["kind"] as String):\($0["n"] as Int):\($0["total"] as Int64)" }
        }
        #expect(kinds == ["preauthCompletion:1:50000", "refund:1:-68000", "reversal:1:-9900", "sale:5:532350", "void:1:-20000"])
        // Reversals written unsigned come out negative, their fee too.
        #expect(try fetchInt(store, "SELECT feeMinor FROM txn WHERE kind = 'void'") == -120)
        // The full card number was masked; an empty card is a QR payment.
        #expect(try fetchString(store, "SELECT cardMasked FROM txn WHERE rrn = '626000100001'") == "622848*********0018")
        #expect(try fetchString(store, "SELECT cardKind FROM txn WHERE rrn = '626000100003'") == "qr")
        #expect(try fetchInt(store, "SELECT occurredAt FROM txn WHERE rrn = '626000100001'")
                == InstantParser.parse("2026-11-20T04:18:05Z", zone: shanghai)!.epochMillis)
        // 预授权 moves no money: skipped with one warning.
        #expect(s.warnings.contains { $0.line == 11 && $0.reason.contains("1 row of type \"预授权\" skipped") })
        #expect(try fetchString(store, "SELECT format || '/' || kind FROM reportFile") == "cn-settlement/cn-pos-export")
    }

    @Test func reimportingChangesNothing() throws {
        let dir = TempDir()
        let store = try memoryStore()
        _ = try store.importFile(atPath: fixture("cn-pos-export.csv"), options: importOptions)
        let before = try tableCounts(store)
        #expect(try store.importFile(atPath: fixture("cn-pos-export.csv"), options: importOptions).alreadyImported)
        // The same rows in other bytes (CRLF line ends): every row a duplicate.
        let text = try String(contentsOfFile: fixture("cn-pos-export.csv"), encoding: .utf8)
        let crlf = dir.file("crlf.csv", text.replacingOccurrences(of: "\n", with: "\r\n"))
        let s = try store.importFile(atPath: crlf, options: importOptions)
        #expect(s.counts["transactions"]?.inserted == 0)
        #expect(s.counts["transactions"]?.duplicates == 9)
        var after = try tableCounts(store)
        after["reportFile"]! -= 1
        #expect(after == before)
    }

    @Test func gb18030StatementWithHeaderTrailerAndFen() throws {
        let store = try memoryStore()
        let s = try store.importFile(atPath: fixture("cn-statement-fen.gb18030.csv"), options: importOptions)
        #expect(s.encoding == .gb18030)
        #expect(s.profile == "cn-statement-fen")
        #expect(s.rows == 6)
        #expect(s.warnings.isEmpty, "\(s.warnings)")
        // The merchant comes from the 商户编号 line above the header, without its backtick.
        #expect(try fetchString(store, "SELECT DISTINCT merchantId FROM txn") == "898440358120027")
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn") == 4)
        #expect(try fetchInt(store, "SELECT SUM(amountMinor) FROM txn") == 3_012_000)
        #expect(try fetchInt(store, "SELECT amountMinor FROM txn WHERE kind = 'refund'") == -20_000)
        #expect(try fetchString(store, "SELECT cardMasked FROM txn WHERE rrn = '626000200001'") == "621700*********1238")
        #expect(try fetchString(store, "SELECT group_concat(cardKind, ',') FROM (SELECT cardKind FROM txn ORDER BY rrn, kind)")
                == "debit,credit,credit,credit")
        #expect(try fetchString(store, "SELECT traceNo || '/' || batchNo || '/' || terminalId || '/' || authCode FROM txn WHERE rrn = '626000200001'")
                == "000101/000301/LKL20001/305521")
        // 冻结 then 解冻: one hold, opened and released, and two account events.
        let hold = try store.writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM hold") }
        #expect(hold?["ref"] == "FRZ-626000200002")
        #expect(hold?["kind"] == "retrievalRequest")
        #expect(hold?["amountMinor"] == 1_000_000 as Int64)
        #expect(hold?["openedAt"] == InstantParser.parse("2026-11-20 16:00:00", zone: shanghai)!.epochMillis)
        #expect(hold?["releasedAt"] == InstantParser.parse("2026-11-21 10:00:00", zone: shanghai)!.epochMillis)
        #expect(hold?["rrn"] == "626000200002")
        let states = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT state FROM accountEvent ORDER BY at") }
        #expect(states == ["frozen", "active"])
        #expect(try fetchString(store, "SELECT reason FROM accountEvent WHERE state = 'frozen'")?.contains("风控调单") == true)
    }

    @Test func utf8WithBOMReadsTheSameAsGB18030() throws {
        let gbStore = try memoryStore()
        _ = try gbStore.importFile(atPath: fixture("cn-statement-fen.gb18030.csv"), options: importOptions)
        let text = String(decoding: try decodeGB(fixtureBytes("cn-statement-fen.gb18030.csv")), as: UTF8.self)
        let other = TempDir()
        let utfStore = try memoryStore()
        let path = other.path + "/bom.csv"
        _ = FileManager.default.createFile(atPath: path, contents: Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8))
        let s = try utfStore.importFile(atPath: path, options: importOptions)
        #expect(s.encoding == .utf8BOM)
        let q = "SELECT group_concat(merchantId || rrn || kind || amountMinor || cardMasked, ';') FROM (SELECT * FROM txn ORDER BY rrn, kind)"
        #expect(try fetchString(utfStore, q) == fetchString(gbStore, q))
        #expect(try tableCounts(utfStore) == tableCounts(gbStore))
    }

    @Test func signedReversalsAndHeaderUnitsAreUnderstood() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let text = """
            商户编号,终端编号,交易日期时间,交易名称,检索参考号,交易金额(分),手续费(分),卡类型,卡号
            898440358120013,LKL10001,20261120121805,消费,626000300001,`128800,`773,借记卡,622848******0018
            898440358120013,LKL10001,2026/11/20 9:05,退货,626000300002,-68000,0,贷记卡,625807******4417

            """
        let s = try store.importFile(atPath: dir.file("units.csv", text), options: importOptions)
        #expect(s.profile == "cn-pos-export")
        #expect(try fetchInt(store, "SELECT amountMinor FROM txn WHERE kind = 'sale'") == 128_800)
        #expect(try fetchInt(store, "SELECT amountMinor FROM txn WHERE kind = 'refund'") == -68_000)
        #expect(try fetchInt(store, "SELECT occurredAt FROM txn WHERE kind = 'refund'")
                == InstantParser.parse("2026-11-20 09:05:00", zone: shanghai)!.epochMillis)
        #expect(try fetchString(store, "SELECT cardKind FROM txn WHERE kind = 'refund'") == "credit")
    }

    @Test func aProfileCanBeForcedAndAWrongOneIsExplained() throws {
        let dir = TempDir()
        let store = try memoryStore()
        var forced = importOptions
        forced.profile = "cn-pos-export"
        #expect(try store.importFile(atPath: fixture("cn-pos-export.csv"), options: forced).rows == 10)
        var wrong = importOptions
        wrong.profile = "cn-statement-fen"
        let before = try tableCounts(store)
        // The statement's own profile, forced, reads it.
        #expect(importError(store, fixture("cn-statement-fen.gb18030.csv"), wrong) == "")
        let other = dir.file("plain.csv", try String(contentsOfFile: fixture("cn-pos-export.csv"), encoding: .utf8) + "\n")
        let refused = importError(store, other, wrong)
        #expect(refused.hasPrefix("\(other):1: header does not match profile cn-statement-fen: closest is profile cn-statement-fen, missing "))
        #expect(refused.contains("(profile cn-pos-export fits this file)"))
        #expect(try tableCounts(store)["txn"] == before["txn"]! + 4)
        var unknown = importOptions
        unknown.profile = "no-such"
        #expect(importError(store, other, unknown) == "\(other): no format profile named \"no-such\" (known: cn-pos-export, cn-statement-fen)")
    }

    @Test func profilesFromFilesAddAndReplace() throws {
        let dir = TempDir()
        let formats = dir.path + "/formats"
        try FileManager.default.createDirectory(atPath: formats, withIntermediateDirectories: true)
        let text = """
            name = "acme-bank"
            amount_unit = "fen"
            required = ["merchant_id", "occurred_at", "type", "amount", "rrn"]
            [columns]
            merchant_id = ["MID"]
            occurred_at = ["时间"]
            type = ["类型"]
            rrn = ["RRN"]
            amount = ["金额"]
            [types]
            sale = ["支付"]
            refund = ["退款"]

            """
        _ = FileManager.default.createFile(atPath: formats + "/acme.toml", contents: Data(text.utf8))
        let profiles = try FormatProfiles.load(directories: [formats, dir.path + "/missing"])
        #expect(profiles.map(\.name) == ["cn-pos-export", "cn-statement-fen", "acme-bank"])
        let store = try memoryStore()
        var options = importOptions
        options.profiles = profiles
        let s = try store.importFile(atPath: dir.file("acme.csv", "MID,时间,类型,RRN,金额\n898440358120099,2026-11-20 10:00:00,支付,626000400001,1000\n"),
                                     options: options)
        #expect(s.profile == "acme-bank")
        #expect(try fetchInt(store, "SELECT amountMinor FROM txn") == 1000)
        #expect(try fetchString(store, "SELECT terminalId FROM txn") == "")
    }

    static let badProfiles: [(String, String)] = [
        ("name = \"x\"\ncolour = \"red\"\n[columns]\namount = [\"金额\"]\n", "colour: unknown key"),
        ("name = \"x\"\n[columns]\namount = [\"金额\"]\nwhen = [\"时间\"]\n", "columns.when: unknown field"),
        ("name = \"x\"\namount_unit = \"jiao\"\n[columns]\namount = [\"金额\"]\n", "amount_unit: \"jiao\" must be yuan (元) or fen (分)"),
        ("name = \"x\"\n[columns]\namount = [\"金额\"]\n", "columns: needs occurred_at, or trade_date (with trade_time)"),
        ("name = \"x y\"\n[columns]\namount = [\"金额\"]\n", "name: \"x y\" must be ASCII letters"),
        ("name = \"x\"\n[columns]\namount = [\"金额\"]\nfee = [\"金额\"]\n", "header \"金额\" is also listed for"),
        ("name = = \"x\"", "line 1:"),
    ]

    @Test(arguments: badProfiles.indices)
    func badProfilesNameTheKey(index: Int) {
        let (text, expected) = Self.badProfiles[index]
        do {
            _ = try FormatProfile.parse(text, source: "p.toml")
            Issue.record("parsed")
        } catch {
            #expect(error.description.hasPrefix("profile p.toml: "))
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test func builtinProfilesAreTheFilesInConfigFormats() throws {
        let dir = repoRoot + "/config/formats"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".toml") }.sorted()
        #expect(BuiltinFormats.files.map { $0.name + ".toml" } == names, "run scripts/embed-formats.sh")
        for (name, text) in BuiltinFormats.files {
            let file = try String(contentsOfFile: dir + "/\(name).toml", encoding: .utf8)
            #expect(text + "\n" == file, "config/formats/\(name).toml differs from the built-in copy: run scripts/embed-formats.sh")
        }
        #expect(FormatProfiles.builtin.count == names.count)
    }
}

/// UTF-8 from GB18030 bytes, for tests.
func decodeGB(_ data: Data) throws -> [UInt8] {
    var out: [UInt8] = []
    let decoder = try GB18030Decoder()
    try data.withUnsafeBytes { buf in
        try decoder.feed(buf) { out.append(contentsOf: $0) }
    }
    try decoder.finish()
    return out
}
