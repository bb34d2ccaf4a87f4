import PayoutTestSupport
import Foundation
import PayoutDemo
import PayoutCore
import Testing

/// One demo store shared by these tests, written once.
final class DemoFixture: @unchecked Sendable {
    static let shared = DemoFixture()
    let dir = TempDir()
    let db: String
    init() {
        db = dir.path + "/demo.sqlite"
        let r = try! run(["demo", "--db", db], home: dir.path)
        precondition(r.status == 0, r.stderr)
    }
}

@Suite struct StatusCommandTests {
    @Test func theDemoHasProblemsAndSaysWhich() throws {
        let f = DemoFixture.shared
        let r = try run(["status", "--db", f.db, "--json"], home: f.dir.path)
        #expect(r.status == 1, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["problems"] as? Bool == true)
        let txns = try #require(json["transactions"] as? [[String: Any]])
        func cause(_ rrn: String) -> String? { txns.first { $0["rrn"] as? String == rrn }?["cause"] as? String }
        #expect(cause(DemoStories.rrn(2)) == "RECEIVING_LIMIT")
        #expect(cause(DemoStories.rrn(3)) == "RISK_REVIEW")
        #expect(cause(DemoStories.rrn(6)) == "BANK_PROCESSING")
        #expect(cause(DemoStories.rrn(7)) == "ACQUIRER_BACKLOG")
        #expect(cause(DemoStories.rrn(11)) == "UNEXPLAINED")
        #expect(cause(DemoStories.rrn(5)) == "ACCOUNT_STATUS")
        let payouts = try #require(json["payouts"] as? [[String: Any]])
        #expect(payouts.contains { $0["payoutRef"] as? String == DemoStories.payoutRef(2) && $0["state"] as? String == "held" })
        let summary = try #require(json["summary"] as? [String: Int])
        #expect((summary["short"] ?? 0) >= 1)
        #expect(!r.stdout.contains("6228480402564890018"))
    }

    @Test func textListsIdentifiersAndCauses() throws {
        let f = DemoFixture.shared
        let r = try run(["status", "--db", f.db], home: f.dir.path)
        #expect(r.status == 1)
        #expect(r.stdout.contains("short    UNEXPLAINED rrn \(DemoStories.rrn(11))"))
        #expect(r.stdout.contains("payout \(DemoStories.payoutRef(7))"))
    }

    @Test func aCleanStoreExitsZeroAndAMissingOneTwo() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        _ = try run(["import", "--db", db, repoRoot + "/config/examples/merchants.csv"], home: dir.path)
        let ok = try run(["status", "--db", db], home: dir.path)
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("nothing late, short or held"))
        let missing = try run(["status", "--db", dir.path + "/none.sqlite"], home: dir.path)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no store at"))
    }
}

@Suite struct EtaCommandTests {
    @Test func nationalDayMovesTheDate() throws {
        let dir = TempDir()
        let r = try run(["eta", "--at", "2026-09-30 23:10", "--json"], home: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["tradeDate"] as? String == "2026-10-01")
        #expect(json["settlementDay"] as? String == "2026-10-08")
        let flags = json["flags"] as? [String] ?? []
        #expect(flags.contains("CALENDAR_SHIFT") && flags.contains("CUTOFF_ROLLOVER"))
    }

    @Test func textExplains() throws {
        let dir = TempDir()
        let r = try run(["eta", "--at", "2026-09-30 22:30"], home: dir.path)
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("expected credit 2026-10-08 between 09:00 and 18:00 (T+1)"))
        let weekends = try run(["eta", "--at", "2026-09-30 22:30", "--calendar", "weekends", "--json"], home: dir.path)
        #expect(weekends.stdout.contains("\"settlementDay\" : \"2026-10-01\""))
        let d1 = try run(["eta", "--at", "2026-09-30 22:30", "--cycle", "D+1", "--json"], home: dir.path)
        #expect(d1.stdout.contains("\"settlementDay\" : \"2026-10-01\""))
    }

    @Test func badInputIsRefused() throws {
        let dir = TempDir()
        let r = try run(["eta", "--at", "2026-09-31 10:00"], home: dir.path)
        #expect(r.status != 0)
        let c = try run(["eta", "--at", "2026-09-30 10:00", "--cycle", "T+x"], home: dir.path)
        #expect(c.status != 0)
        #expect(c.stderr.contains("T+x"))
        let bad = dir.file("c.toml", "[settlement]\ncutoff = \"25:00\"\n")
        let k = try run(["eta", "--at", "2026-09-30 10:00", "--config", bad], home: dir.path)
        #expect(k.status != 0)
        #expect(k.stderr.contains("settlement.cutoff"))
    }
}

@Suite struct NoteCommandTests {
    @Test func writesANoteAndNeverOverwrites() throws {
        let f = DemoFixture.shared
        let out = TempDir()
        let a = try run(["note", "--db", f.db, "--rrn", DemoStories.rrn(2), "--out", out.path], home: f.dir.path)
        #expect(a.status == 0, "\(a.stderr)")
        let first = a.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(first.hasPrefix(out.path + "/\(DemoStories.classIIMID)-\(DemoStories.rrn(2))-"))
        #expect(first.hasSuffix(".md"))
        let text = try String(contentsOfFile: first, encoding: .utf8)
        #expect(text.contains(DemoStories.rrn(2)))
        #expect(text.contains(DemoStories.payoutRef(2)))
        let mode = try FileManager.default.attributesOfItem(atPath: first)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let b = try run(["note", "--db", f.db, "--rrn", DemoStories.rrn(2), "--out", out.path], home: f.dir.path)
        let second = b.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(second != first)
        #expect(second.hasSuffix("-2.md"))
        #expect(try String(contentsOfFile: first, encoding: .utf8) == text)
    }

    @Test func defaultFolderPlainTextEnglish() throws {
        let f = DemoFixture.shared
        let home = TempDir()
        let r = try run(["note", "--db", f.db, "--payout", DemoStories.payoutRef(6), "--lang", "en", "--format", "txt"], home: home.path)
        #expect(r.status == 0, "\(r.stderr)")
        let path = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(path.hasPrefix(home.path + "/data/payoutmon/notes/"))
        #expect(path.hasSuffix(".txt"))
    }

    @Test func anExplainedCaseSaysNoDisputeIsNeeded() throws {
        let f = DemoFixture.shared
        let out = TempDir()
        let r = try run(["note", "--db", f.db, "--rrn", DemoStories.rrn(9), "--lang", "en", "--out", out.path], home: f.dir.path)
        #expect(r.status == 0)
        #expect(r.stderr.contains("no dispute is needed"))
    }

    @Test func unknownRRNWritesNothing() throws {
        let f = DemoFixture.shared
        let out = TempDir()
        let r = try run(["note", "--db", f.db, "--rrn", "999999999999", "--out", out.path], home: f.dir.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("no transaction with RRN 999999999999"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }

    /// Two sales of one shop with the same RRN (as two feeds or two acquirers can
    /// number them): `note --rrn` lists both and picks neither; --tid or --date picks one.
    @Test func anRRNSharedBySeveralTransactionsListsThemAndAsksWhich() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let txns = dir.file("t.csv", """
            merchant_id,terminal_id,terminal_name,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,fee,currency,occurred_at,payout_ref
            898440358120013,LKL10001,前台收银1号,000123,000451,626000199999,A1B2C3,6228480402564890018,debit,sale,1288.00,7.73,CNY,2026-11-20 12:18:05,
            898440358120013,LKL10002,前台收银2号,000007,000012,626000199999,305521,625807******4417,credit,sale,56.00,0.34,CNY,2026-11-21 19:42:30,

            """)
        let imported = try run(["import", "--db", db, repoRoot + "/config/examples/merchants.csv", txns], home: dir.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        let out = TempDir()
        let r = try run(["note", "--db", db, "--rrn", "626000199999", "--out", out.path], home: dir.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains("RRN 626000199999 is shared by 2 transactions:"), "\(r.stderr)")
        #expect(r.stderr.contains("MID 898440358120013  TID LKL10001  2026-11-20 12:18:05  1,288.00 CNY"), "\(r.stderr)")
        #expect(r.stderr.contains("MID 898440358120013  TID LKL10002  2026-11-21 19:42:30  56.00 CNY"), "\(r.stderr)")
        #expect(r.stderr.contains("add --tid or --date YYYY-MM-DD"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)

        let byTerminal = try run(["note", "--db", db, "--rrn", "626000199999", "--tid", "LKL10002", "--lang", "en", "--out", out.path],
                                 home: dir.path)
        #expect(byTerminal.status == 0, "\(byTerminal.stderr)")
        let second = try String(contentsOfFile: byTerminal.stdout.trimmingCharacters(in: .whitespacesAndNewlines), encoding: .utf8)
        #expect(second.contains("LKL10002") && !second.contains("LKL10001"))
        let byDate = try run(["note", "--db", db, "--rrn", "626000199999", "--date", "2026-11-20", "--lang", "en", "--out", out.path],
                             home: dir.path)
        #expect(byDate.status == 0, "\(byDate.stderr)")
        let first = try String(contentsOfFile: byDate.stdout.trimmingCharacters(in: .whitespacesAndNewlines), encoding: .utf8)
        #expect(first.contains("LKL10001") && !first.contains("LKL10002"))
        let neither = try run(["note", "--db", db, "--rrn", "626000199999", "--date", "2026-11-22", "--out", out.path], home: dir.path)
        #expect(neither.status == 2)
        #expect(neither.stderr.contains("no transaction with RRN 626000199999 in \(db) for date 2026-11-22"), "\(neither.stderr)")
    }

    @Test func anUnwritableFolderIsExplained() throws {
        let f = DemoFixture.shared
        let r = try run(["note", "--db", f.db, "--rrn", DemoStories.rrn(2), "--out", "/proc/payoutmon-notes/n.md"], home: f.dir.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains("folder /proc/payoutmon-notes does not exist"), "\(r.stderr)")
    }

    /// `--out` never makes folders: a missing one is named, even at the root, and
    /// nothing is created.
    @Test func aMissingFolderIsAnErrorNotCreated() throws {
        let f = DemoFixture.shared
        let dir = TempDir()
        let nested = try run(["note", "--db", f.db, "--rrn", DemoStories.rrn(2), "--out", dir.path + "/nope/deeper/n.md"], home: f.dir.path)
        #expect(nested.status == 2)
        #expect(nested.stderr.contains("folder \(dir.path)/nope/deeper does not exist"), "\(nested.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/nope"))
        let root = "/payoutmon-test-\(UUID().uuidString)"
        let atRoot = try run(["note", "--db", f.db, "--rrn", DemoStories.rrn(2), "--out", root + "/n.md"], home: f.dir.path)
        #expect(atRoot.status == 2)
        #expect(atRoot.stderr.contains("folder \(root) does not exist"), "\(atRoot.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root))
        let slash = try run(["note", "--db", f.db, "--rrn", DemoStories.rrn(2), "--out", dir.path + "/newdir/"], home: f.dir.path)
        #expect(slash.status == 2)
        #expect(slash.stderr.contains("folder \(dir.path)/newdir does not exist"), "\(slash.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    /// A path ending in "/" is a folder to write in, under the note's own name.
    @Test func aTrailingSlashWritesInsideTheFolder() throws {
        let f = DemoFixture.shared
        let dir = TempDir()
        let r = try run(["note", "--db", f.db, "--rrn", DemoStories.rrn(2), "--out", dir.path + "/"], home: f.dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let path = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(path.hasPrefix(dir.path + "/\(DemoStories.classIIMID)-\(DemoStories.rrn(2))-"))
        var isDir: ObjCBool = true
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// Devices, FIFOs and symbolic links are refused and left as they were; a plain
    /// file that exists keeps its bytes and the note takes a numbered name beside it.
    @Test func onlyANewPlainFileIsWritten() throws {
        let f = DemoFixture.shared
        let note = ["note", "--db", f.db, "--rrn", DemoStories.rrn(2), "--out"]
        #expect(!FileManager.default.fileExists(atPath: "/dev/full-2"))
        let device = try run(note + ["/dev/full"], home: f.dir.path)
        #expect(device.status == 2)
        #expect(device.stderr.contains("/dev/full is a character device, not a new file"), "\(device.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/dev/full-2"))

        let dir = TempDir()
        let fifo = dir.path + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let toFifo = try run(note + [fifo], home: f.dir.path)
        #expect(toFifo.status == 2)
        #expect(toFifo.stderr.contains("\(fifo) is a FIFO (named pipe), not a new file"), "\(toFifo.stderr)")

        let target = dir.file("target.txt", "keep me\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/link.md", withDestinationPath: target)
        let toLink = try run(note + [dir.path + "/link.md"], home: f.dir.path)
        #expect(toLink.status == 2)
        #expect(toLink.stderr.contains("\(dir.path)/link.md is a symbolic link, not a new file"), "\(toLink.stderr)")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/dangling.md", withDestinationPath: dir.path + "/absent.md")
        let toDangling = try run(note + [dir.path + "/dangling.md"], home: f.dir.path)
        #expect(toDangling.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/absent.md"))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me\n")

        let existing = dir.file("n.md", "an earlier note\n")
        let beside = try run(note + [existing], home: f.dir.path)
        #expect(beside.status == 0, "\(beside.stderr)")
        #expect(beside.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == dir.path + "/n-2.md")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "an earlier note\n")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
                == ["pipe", "target.txt", "link.md", "dangling.md", "n.md", "n-2.md"])
    }
}
