import PayoutTestSupport
import Foundation
import PayoutDemo
import Testing

/// The command line's contract (docs/cli.md): exit 0 done, 1 done and something needs
/// attention, 2 could not do it; errors on standard error as `payoutmon: error: ...`.
@Suite struct CLIContractTests {
    /// One row of the table: a command line, the exit status it must give, and for 2 the
    /// text the error must name.
    struct Case: CustomStringConvertible {
        let name: String
        let args: [String]
        let status: Int32
        var errorSays: String? = nil
        var description: String { name }
    }

    /// A home with a clean store, the demo store (with findings), an inbox with a bad
    /// file, a report with a bad row, and a config whose inbox quiet period is short.
    final class Home: @unchecked Sendable {
        let dir = TempDir()
        let clean: String, bad: String, goodFile: String, badRowFile: String, inbox: String, badInbox: String
        let notAStore: String
        var demo: String { DemoFixture.shared.db }

        init() {
            clean = dir.path + "/clean.sqlite"
            let r = try! run(["import", "--db", clean, repoRoot + "/config/examples/merchants.csv"], home: dir.path)
            precondition(r.status == 0, r.stderr)
            bad = dir.path + "/missing.sqlite"
            goodFile = repoRoot + "/config/examples/transactions.csv"
            badRowFile = dir.file("badrow.csv", Self.header + Self.row(rrn: "626000900001", amount: "12.00")
                                  + Self.row(rrn: "626000900002", amount: "abc"))
            inbox = dir.path + "/inbox"
            badInbox = dir.path + "/badinbox"
            for d in [inbox, badInbox] { try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: false) }
            _ = dir.file("badinbox/broken.csv", "merchant_id,terminal_id,amount\nnot,a,report\n")
            notAStore = dir.file("not-a-store.sqlite", "just text\n")
            try! FileManager.default.createDirectory(atPath: dir.path + "/config/payoutmon", withIntermediateDirectories: true)
            _ = dir.file("config/payoutmon/config.toml", "[inbox]\nquiet_period_ms = 100\n")
        }

        static let header = "merchant_id,terminal_id,terminal_name,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,fee,currency,occurred_at,payout_ref\n"
        static func row(rrn: String, amount: String) -> String {
            "898440358120013,LKL10001,前台收银1号,000123,\(rrn.suffix(6)),\(rrn),,,qr,sale,\(amount),,CNY,2026-11-20 12:18:05,\n"
        }
    }

    static let home = Home()

    static var cases: [Case] {
        let h = home
        let out = h.dir.path
        return [
            Case(name: "status ok", args: ["status", "--db", h.clean], status: 0),
            Case(name: "status --json ok", args: ["status", "--db", h.clean, "--json"], status: 0),
            Case(name: "status needs attention", args: ["status", "--db", h.demo], status: 1),
            Case(name: "status bad argument", args: ["status", "--db", h.clean, "--limit", "many"], status: 2, errorSays: "see `payoutmon help status`"),
            Case(name: "status bad --at", args: ["status", "--db", h.clean, "--all-reports", "--at", "yesterday"], status: 2, errorSays: "--at \"yesterday\""),
            Case(name: "status unknown option", args: ["status", "--nope"], status: 2, errorSays: "--nope"),
            Case(name: "status missing store", args: ["status", "--db", h.bad], status: 2, errorSays: "no store at \(h.bad)"),
            Case(name: "status not a store", args: ["status", "--db", h.notAStore], status: 2, errorSays: "not a payoutmon store"),
            Case(name: "note ok", args: ["note", "--db", h.demo, "--rrn", DemoStories.rrn(1), "--out", out + "/"], status: 0),
            Case(name: "note bad argument", args: ["note", "--db", h.demo], status: 2, errorSays: "give exactly one of --rrn and --payout"),
            Case(name: "note unknown option", args: ["note", "--db", h.demo, "--rrn", "1", "--colour"], status: 2, errorSays: "--colour"),
            Case(name: "note unknown RRN", args: ["note", "--db", h.demo, "--rrn", "999999999999"], status: 2, errorSays: "no transaction with RRN 999999999999"),
            Case(name: "note missing store", args: ["note", "--db", h.bad, "--rrn", "1"], status: 2, errorSays: "no store at \(h.bad)"),
            Case(name: "import ok", args: ["import", "--db", out + "/import-ok.sqlite", h.goodFile], status: 0),
            Case(name: "import rejected rows", args: ["import", "--db", out + "/import-skip.sqlite", "--skip-bad", h.badRowFile], status: 1),
            Case(name: "import bad file", args: ["import", "--db", out + "/import-bad.sqlite", h.badRowFile], status: 2, errorSays: "badrow.csv:3: column amount"),
            Case(name: "import missing file", args: ["import", "--db", out + "/import-missing.sqlite", out + "/no-such.csv"], status: 2, errorSays: "no-such.csv"),
            Case(name: "import bad argument", args: ["import", "--format", "excel", h.goodFile], status: 2, errorSays: "see `payoutmon help import`"),
            Case(name: "import no files", args: ["import"], status: 2, errorSays: "Missing expected argument"),
            Case(name: "import not a store", args: ["import", "--db", h.notAStore, h.goodFile], status: 2, errorSays: "not a payoutmon store"),
            Case(name: "eta ok", args: ["eta", "--at", "2026-09-30 22:30"], status: 0),
            Case(name: "eta bad argument", args: ["eta", "--at", "2026-09-31 10:00"], status: 2, errorSays: "--at \"2026-09-31 10:00\""),
            Case(name: "eta bad card", args: ["eta", "--at", "2026-09-30 10:00", "--card", "gold"], status: 2, errorSays: "--card \"gold\""),
            Case(name: "eta missing option", args: ["eta"], status: 2, errorSays: "--at"),
            Case(name: "watch ok", args: ["watch", h.inbox, "--db", out + "/watch.sqlite", "--once", "--interval", "50"], status: 0),
            Case(name: "watch failed file", args: ["watch", h.badInbox, "--db", out + "/watch-bad.sqlite", "--once", "--interval", "50"], status: 1),
            Case(name: "watch bad argument", args: ["watch", h.inbox, "--interval", "1"], status: 2, errorSays: "--interval must be"),
            Case(name: "watch missing inbox", args: ["watch", out + "/no-inbox", "--db", out + "/watch-none.sqlite", "--once"], status: 2, errorSays: "no-inbox"),
            Case(name: "simulate ok", args: ["simulate", "--db", out + "/sim.sqlite", "--count", "1", "--tick", "10", "--seed", "7"], status: 0),
            Case(name: "simulate bad argument", args: ["simulate", "--count", "0"], status: 2, errorSays: "--count must be at least 1"),
            Case(name: "simulate not a store", args: ["simulate", "--db", h.notAStore, "--count", "1"], status: 2, errorSays: "not a payoutmon store"),
            Case(name: "alerts ok", args: ["alerts", "--db", h.clean, "--once"], status: 0),
            Case(name: "alerts needs attention", args: ["alerts", "--db", h.demo, "--once", "--dry-run"], status: 1),
            Case(name: "alerts bad --now", args: ["alerts", "--db", h.clean, "--once", "--now", "yesterday"], status: 2, errorSays: "--now \"yesterday\""),
            Case(name: "alerts unknown option", args: ["alerts", "--nope"], status: 2, errorSays: "--nope"),
            Case(name: "alerts missing store", args: ["alerts", "--db", h.bad, "--once"], status: 2, errorSays: "no store at \(h.bad)"),
            Case(name: "alerts not a store", args: ["alerts", "--db", h.notAStore, "--once"], status: 2, errorSays: "not a payoutmon store"),
            Case(name: "demo exists", args: ["demo", "--db", h.clean], status: 2, errorSays: "pass --force"),
            Case(name: "demo missing --db", args: ["demo"], status: 2, errorSays: "--db"),
            Case(name: "monitor missing store", args: ["--db", h.bad], status: 2, errorSays: "no store at \(h.bad)"),
            Case(name: "monitor bad argument", args: ["--lang", "fr"], status: 2, errorSays: "--lang must be"),
            Case(name: "unknown command", args: ["frobnicate"], status: 2, errorSays: "frobnicate"),
        ]
    }

    @Test(arguments: cases)
    func exitStatusAndErrorPrefix(_ c: Case) throws {
        let r = try run(c.args, home: Self.home.dir.path)
        #expect(r.status == c.status, "\(c.name): \(r.status)\n\(r.stdout)\n\(r.stderr)")
        // argument-parser's own "Error: " never reaches the user: every error is ours.
        #expect(!r.stderr.contains("Error: "), "\(c.name): \(r.stderr)")
        if c.status == 2 {
            let first = r.stderr.split(separator: "\n").first { $0.contains("error:") }.map(String.init) ?? ""
            #expect(first.hasPrefix("payoutmon: error: "), "\(c.name): \(r.stderr)")
            #expect(r.stderr.contains(c.errorSays ?? ""), "\(c.name): \(r.stderr)")
        } else {
            #expect(!r.stderr.contains("error:"), "\(c.name): \(r.stderr)")
        }
    }

    @Test func helpAndVersionExitZeroOnStandardOutput() throws {
        for args in [["--help"], ["help", "status"], ["status", "--help"], ["--version"]] {
            let r = try run(args, home: Self.home.dir.path)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(!r.stdout.isEmpty && r.stderr.isEmpty, "\(args)")
        }
        let root = try run(["--help"], home: Self.home.dir.path)
        #expect(root.stdout.contains("Exit status, for every command: 0 done and nothing needs attention"))
    }

    /// `help status` and `help note` fill their lines: a paragraph line ends only where
    /// the next word would not fit in the 79 columns argument-parser fills without a terminal.
    @Test(arguments: ["status", "note", "import", "watch", "alerts"])
    func helpParagraphsFillTheirLines(_ command: String) throws {
        let r = try run(["help", command], home: Self.home.dir.path)
        #expect(r.status == 0)
        let lines = r.stdout.components(separatedBy: "\n")
        let overview = try #require(lines.firstIndex { $0.hasPrefix("OVERVIEW:") })
        let usage = try #require(lines.firstIndex { $0.hasPrefix("USAGE:") })
        let discussion = Array(lines[overview..<usage])
        #expect(discussion.count > 3)
        for (i, line) in discussion.enumerated() where i + 1 < discussion.count {
            #expect(line.count <= 80, "\(line)")
            // A line followed by more of its paragraph is full: the next word would not fit on it.
            let next = discussion[i + 1].prefix { $0 != " " }
            if !line.isEmpty && !next.isEmpty {
                #expect(line.count + 1 + next.count >= 80, "ragged line in help \(command): \"\(line)\"")
            }
        }
    }
}

/// `status` and `note` without --db when only the demo store exists.
@Suite struct DefaultStoreHintTests {
    @Test func statusAndNoteNameTheDemoStore() throws {
        let dir = TempDir()
        let demo = dir.path + "/data/payoutmon/demo.sqlite"
        let store = dir.path + "/data/payoutmon/payouts.sqlite"
        // Without a demo store: how to make a store.
        let none = try run(["status"], home: dir.path)
        #expect(none.status == 2)
        #expect(none.stderr.hasPrefix("payoutmon: error: no store at \(store): import your acquirer's reports first"), "\(none.stderr)")
        try FileManager.default.createDirectory(atPath: dir.path + "/data/payoutmon", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: DemoFixture.shared.db, toPath: demo)
        for args in [["status"], ["status", "--json"], ["note", "--rrn", DemoStories.rrn(1)]] {
            let r = try run(args, home: dir.path)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr == "payoutmon: error: no store at \(store); the demo store is at \(demo): pass --db \(demo)\n", "\(args): \(r.stderr)")
        }
        // An explicit --db that does not exist is not the default: no demo hint.
        let named = try run(["status", "--db", dir.path + "/other.sqlite"], home: dir.path)
        #expect(named.status == 2)
        #expect(!named.stderr.contains("demo"), "\(named.stderr)")
        // And the hint is right: the demo store answers.
        let r = try run(["status", "--db", demo], home: dir.path)
        #expect(r.status == 1, "\(r.stderr)")
    }
}
