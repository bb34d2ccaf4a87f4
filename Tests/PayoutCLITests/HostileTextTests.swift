import PayoutTestSupport
import Foundation
import Testing

/// Report text that tries to drive the terminal of whoever reads payoutmon's output:
/// window-title and clear-screen escape sequences, BEL, a C1 CSI and bidi overrides in
/// every free-text column. No output and no file payoutmon writes may carry them raw
/// (docs/ARCHITECTURE.md, "Text from reports").
@Suite struct HostileTextTests {
    /// Sets the window title, rings the bell, clears the screen, starts a C1 CSI, reverses
    /// the text after it and opens an isolate.
    static let hostile = "\u{1b}]0;pwned\u{07}\u{1b}[2J\u{9b}31m\u{202e}\u{2066}"
    /// How `hostile` reads once neutralised.
    static let shown = #"\x1b]0;pwned\x07\x1b[2J\u{9b}31m\u{202e}\u{2066}"#

    /// The characters of `text` a terminal would act on, other than the line feeds that
    /// lay the output out (a check of its own, not `SafeText`'s).
    static func raw(_ text: String) -> [String] {
        text.unicodeScalars.filter { u in
            let v = u.value
            return (v < 0x20 && v != 0x0A) || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
                || (0x2066...0x2069).contains(v)
        }.map { String(format: "U+%04X", $0.value) }
    }

    static func read(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    /// The example reports with `hostile` added to every free-text column; the short
    /// payout gets a failure code and a bank reference, one with a line break in it.
    static func hostileExamples(in dir: TempDir) throws -> [String] {
        let h = hostile
        let edits: [(String, [(String, String)])] = [
            ("merchants", [("味道小馆(南山店)", "味道小馆(南山店)" + h), ("味道小馆(福田店)", "味道小馆(福田店)" + h), ("拉卡拉 Lakala", "拉卡拉 Lakala" + h)]),
            ("transactions", [("前台收银1号", "前台收银1号" + h)]),
            ("payouts", [("B20261123000201,", "B20261123000201" + h + ",\"BANK_LIMIT" + h + "\n\ttwo lines\"")]),
            ("payout_items", [("退货 refund", "退货 refund" + h), ("手续费 fees", "手续费 fees" + h), ("carried to next days", "carried to next days" + h)]),
            ("account_events", [("onboarding approved", "onboarding approved" + h)]),
            ("holds", [("Class II daily inflow limit", "Class II daily inflow limit" + h)]),
        ]
        return try edits.map { name, replacements in
            var text = try read(repoRoot + "/config/examples/\(name).csv")
            for (from, to) in replacements {
                #expect(text.contains(from), "\(name).csv: \(from)")
                text = text.replacingOccurrences(of: from, with: to)
            }
            return dir.file("\(name).csv", text)
        }
    }

    @Test func statusAndNotesShowReportTextVisibly() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let imported = try run(["import", "--db", db] + (try Self.hostileExamples(in: dir)), home: dir.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(Self.raw(imported.stdout + imported.stderr).isEmpty)

        let text = try run(["status", "--db", db, "--all-reports", "--at", "2026-11-23 20:00"], home: dir.path)
        #expect(text.status == 1, "\(text.stderr)")
        #expect(Self.raw(text.stdout + text.stderr).isEmpty, "\(Self.raw(text.stdout))")
        // The failure code is there, visibly, on its payout's one line.
        let line = try #require(text.stdout.split(separator: "\n").first { $0.contains("payout LKLP20261120-20001 mid") })
        #expect(line.hasSuffix(" failure BANK_LIMIT" + Self.shown + #"\n\ttwo lines"#))

        let json = try run(["status", "--db", db, "--all-reports", "--at", "2026-11-23 20:00", "--json"], home: dir.path)
        #expect(json.status == 1, "\(json.stderr)")
        #expect(Self.raw(json.stdout).isEmpty, "\(Self.raw(json.stdout))")
        #expect(json.stdout.contains(#"\u202e"#) && json.stdout.contains(#"\u009b"#) && json.stdout.contains(#"\u001b"#))
        // JSON escapes lose nothing: a script reads the report's text back exactly.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let payouts = try #require(object["payouts"] as? [[String: Any]])
        let payout = try #require(payouts.first { $0["payoutRef"] as? String == "LKLP20261120-20001" })
        #expect(payout["failureCode"] as? String == "BANK_LIMIT" + Self.hostile + "\n\ttwo lines")
        #expect(payout["bankRef"] as? String == "B20261123000201" + Self.hostile)

        for target in [["--payout", "LKLP20261120-20001"], ["--rrn", "626000100004"], ["--rrn", "626000200001"]] {
            for lang in ["en", "zh"] {
                let note = try run(["note", "--db", db, "--lang", lang] + target, home: dir.path)
                #expect(note.status == 0, "\(note.stderr)")
                #expect(Self.raw(note.stdout + note.stderr).isEmpty)
                let path = note.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                let body = try Self.read(path)
                #expect(Self.raw(body).isEmpty, "\(target) \(lang): \(Self.raw(body))")
                #expect(body.contains(Self.shown), "\(target) \(lang): the report's text is in the note, visibly")
            }
        }
    }

    static let header = "merchant_id,terminal_id,terminal_name,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,currency,occurred_at\n"
    static func row(trace: String, rrn: String, amount: String = "25.00") -> String {
        "898440358120013,LKL10001,收银台\(hostile),000123,\(trace),\(rrn),,,qr,sale,\(amount),CNY,2026-11-20 12:18:05\n"
    }

    @Test func importErrorsAndTheRejectsFileShowTheValuesVisibly() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let file = dir.file("bad.csv", Self.header
            + Self.row(trace: "000451", rrn: "626000100001")
            + Self.row(trace: "000452", rrn: "626000100002\u{1b}[2J")
            + Self.row(trace: "000453", rrn: "626000100003", amount: "12" + Self.hostile))
        let refused = try run(["import", "--db", db, file], home: dir.path)
        #expect(refused.status == 2)
        #expect(Self.raw(refused.stdout + refused.stderr).isEmpty, "\(Self.raw(refused.stderr))")
        #expect(refused.stderr.contains(#"\x1b"#), "\(refused.stderr)")

        let skipped = try run(["import", "--db", db, "--skip-bad", file], home: dir.path)
        #expect(skipped.status == 1, "\(skipped.stderr)")
        #expect(Self.raw(skipped.stdout + skipped.stderr).isEmpty, "\(Self.raw(skipped.stderr))")
        #expect(skipped.stderr.contains(#"bad.csv:4: column amount: "12\#(Self.shown)""#), "\(skipped.stderr)")
        let rejects = try Self.read(dir.path + "/bad.rejects.csv")
        #expect(Self.raw(rejects).isEmpty, "\(Self.raw(rejects))")
        let lines = rejects.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4, "header, two rows, the final line feed: \(rejects)")
        #expect(lines[1].hasPrefix("3,") && lines[1].contains(#",626000100002\x1b[2J,"#))
        #expect(lines[2].hasPrefix("4,") && lines[2].contains(",12" + Self.shown + ",CNY,"))

        // Re-imported, the visible escapes are the literal text they read as: the amount
        // is still not a number, and nothing raw comes back.
        let again = try run(["import", "--db", db, "--skip-bad", dir.path + "/bad.rejects.csv"], home: dir.path)
        #expect(Self.raw(again.stdout + again.stderr).isEmpty)
        #expect(again.stderr.contains(#"column amount: "12\x1b]0;pwned\x07"#), "\(again.stderr)")
    }

    @Test func watchLogAndErrorFileShowTheNameAndReasonVisibly() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let inbox = dir.path + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: false)
        let name = "settle\u{1b}]0;pwned\u{07}.csv"
        FileManager.default.createFile(atPath: inbox + "/" + name, contents: Data((Self.header
            + Self.row(trace: "000451", rrn: "626000100001", amount: "9" + Self.hostile)).utf8))
        let r = try run(["watch", inbox, "--db", db, "--once", "--interval", "50"], home: dir.path)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(Self.raw(r.stdout + r.stderr).isEmpty, "\(Self.raw(r.stderr))")
        #expect(r.stderr.contains(#"failed settle\x1b]0;pwned\x07.csv: line 2: "#), "\(r.stderr)")
        let failed = try FileManager.default.contentsOfDirectory(atPath: inbox + "/failed")
        let errorFile = try #require(failed.first { $0.hasSuffix(".error.txt") })
        let text = try Self.read(inbox + "/failed/" + errorFile)
        #expect(Self.raw(text).isEmpty, "\(Self.raw(text))")
        #expect(text.contains(#"could not import settle\x1b]0;pwned\x07.csv"#))
        #expect(text.contains(#"reason: "9"# + Self.shown + "\""), "\(text)")
    }

    /// A Chinese POS export (cn-settlement, profile cn-pos-export) with the same text in
    /// its merchant and terminal names and in a transaction type it does not know.
    @Test func aChineseExportIsShownVisiblyToo() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let h = Self.hostile
        let file = dir.file("交易明细.csv", """
            商户号,商户名称,终端号,终端名称,交易时间,交易类型,批次号,凭证号,参考号,卡号,交易金额,手续费,结算金额
            898440358120013,味道小馆\(h),LKL10001,前台\(h),2026-11-20 12:18:05,消费,000123,000451,626000100001,,1288.00,7.73,1280.27
            898440358120013,味道小馆\(h),LKL10001,前台\(h),2026-11-20 12:19:05,消费\(h),000123,000452,626000100002,,10.00,0.00,10.00

            """)
        let r = try run(["import", "--db", db, "--skip-bad", file], home: dir.path)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(Self.raw(r.stdout + r.stderr).isEmpty, "\(Self.raw(r.stderr))")
        #expect(r.stderr.contains("消费" + Self.shown), "\(r.stderr)")
        let rejects = try Self.read(dir.path + "/交易明细.rejects.csv")
        #expect(Self.raw(rejects).isEmpty, "\(Self.raw(rejects))")
        #expect(rejects.contains("前台" + Self.shown))
        let note = try run(["note", "--db", db, "--lang", "zh", "--rrn", "626000100001"], home: dir.path)
        #expect(note.status == 0, "\(note.stderr)")
        let body = try Self.read(note.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(Self.raw(body).isEmpty, "\(Self.raw(body))")
        #expect(body.contains(Self.shown))
    }
}
