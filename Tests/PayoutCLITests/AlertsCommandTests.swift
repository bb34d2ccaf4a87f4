import PayoutTestSupport
import Foundation
import Testing

/// `payoutmon alerts` on the real binary. The scenario `turns-late`: a 1,000.00 sale (fee
/// 6.00) on Tue 2026-11-17 carried by payout LKLP-S1 994.00, scheduled for Wed 11-18:
/// due by 18:00, late after 20:00 (T+1, credit window 09:00-18:00, grace 120 min).
/// `later/5-payouts-paid.csv` credits it on Fri 11-20 11:00. "Now" is given with the
/// hidden `--now`, since lateness depends on it.
struct AlertsCommandTests {
    let s: Scenario
    var dir: String { s.dir.path }

    init() throws { s = try Scenario("turns-late") }

    /// A command that appends its standard input to `file`.
    func recorder(_ name: String) throws -> (command: String, file: String) {
        let script = dir + "/\(name).sh", file = dir + "/\(name).jsonl"
        try "#!/bin/sh\ncat >> '\(file)'\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script)
        return (script, file)
    }

    /// A config whose [alerts] section holds `alerts` (TOML lines).
    func config(_ alerts: String) throws -> String {
        let path = dir + "/alerts.toml"
        try "[alerts]\n\(alerts)\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func alerts(_ config: String, at time: String, _ extra: [String] = []) throws -> RunResult {
        try run(["alerts", "--once", "--db", s.db, "--config", config, "--now", time] + extra, home: dir)
    }

    /// The JSON objects in a JSON-lines file (none when it does not exist).
    func received(_ file: String) throws -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func aPayoutTurningLateAlertsOnceAndItsCreditAlertsTheRecovery() throws {
        let hook = try recorder("hook")
        let cfg = try config("commands = [\"\(hook.command)\"]\nretry_delay_seconds = 0")

        // 19:00: due by 18:00 but within its grace: pending, nothing to say.
        let before = try alerts(cfg, at: "2026-11-18 19:00")
        #expect(before.status == 0, "\(before.stderr)")
        #expect(try received(hook.file).isEmpty)

        // 21:00: past 20:00, the payout (and the sale it carries) turned late: one alert.
        let late = try alerts(cfg, at: "2026-11-18 21:00")
        #expect(late.status == 1, "\(late.stderr)")
        var got = try received(hook.file)
        #expect(got.count == 1)
        let alert = try #require(got.first)
        #expect(alert["schema"] as? String == "payoutmon.alert/1")
        #expect(alert["kind"] as? String == "late")
        #expect(alert["subject"] as? String == "payout")
        #expect(alert["payoutRef"] as? String == "LKLP-S1")
        #expect(alert["merchantId"] as? String == Scenario.corporate)
        #expect(alert["expected"] as? String == "994.00" && alert["currency"] as? String == "CNY")
        #expect(alert["rrns"] as? [String] == ["626000700001"])
        #expect(alert["lateAfter"] as? String == "2026-11-18T12:00:00Z")
        #expect((alert["note"] as? String)?.contains("note --db \(s.db) --payout LKLP-S1") == true)
        #expect((alert["evidence"] as? String)?.contains("LKLP-S1") == true)
        #expect(late.stdout.contains("ALERT late payout LKLP-S1"))

        // 22:00: still late, already alerted: nothing more, but it still needs attention.
        let again = try alerts(cfg, at: "2026-11-18 22:00")
        #expect(again.status == 1)
        #expect(try received(hook.file).count == 1)
        #expect(!again.stdout.contains("ALERT"))

        // The credit arrives: one recovery, then silence.
        let imported = try run(["import", "--db", s.db, repoRoot + "/Tests/PayoutCLITests/Scenarios/turns-late/later/5-payouts-paid.csv"], home: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        let recovered = try alerts(cfg, at: "2026-11-20 12:00")
        #expect(recovered.status == 1)
        got = try received(hook.file)
        #expect(got.count == 2)
        let recovery = try #require(got.last)
        #expect(recovery["kind"] as? String == "recovered")
        #expect(recovery["payoutRef"] as? String == "LKLP-S1")
        #expect(recovery["state"] as? String == "settled")
        #expect(recovery["cause"] as? String == "ARRIVED_LATE")
        #expect(recovery["received"] as? String == "994.00")
        let previous = try #require(recovery["previous"] as? [String: Any])
        #expect(previous["state"] as? String == "late")
        let quiet = try alerts(cfg, at: "2026-11-20 13:00")
        #expect(quiet.status == 0, "\(quiet.stdout)")
        #expect(try received(hook.file).count == 2)
    }

    @Test func aFailingCommandIsRetriedAndReportedWhileTheOtherGetsItsAlert() throws {
        let hook = try recorder("hook")
        let attempts = dir + "/attempts.txt"
        let failing = "echo attempt >> '\(attempts)'; echo webhook down >&2; exit 7"
        let cfg = try config("""
            commands = ["\(failing)", "\(hook.command)"]
            retries = 2
            retry_delay_seconds = 0
            """)
        let r = try alerts(cfg, at: "2026-11-18 21:00")
        #expect(r.status == 1)
        let tries = try String(contentsOfFile: attempts, encoding: .utf8).split(separator: "\n")
        #expect(tries.count == 3)
        #expect(r.stderr.contains("command 1"))
        #expect(r.stderr.contains("failed 3 times, last: exit 7: webhook down"))
        #expect(try received(hook.file).count == 1)
        // The second command took it, so it is remembered: a restart sends nothing again.
        let again = try alerts(cfg, at: "2026-11-18 21:30")
        #expect(try received(hook.file).count == 1)
        #expect(try String(contentsOfFile: attempts, encoding: .utf8).split(separator: "\n").count == 3)
        #expect(!again.stderr.contains("failed"))
    }

    @Test func anAlertNoDestinationTookIsNotRememberedAndFiresAgain() throws {
        let cfg = try config("commands = [\"exit 1\"]\nretries = 0")
        let first = try alerts(cfg, at: "2026-11-18 21:00")
        #expect(first.stderr.contains("not remembered"))
        let second = try alerts(cfg, at: "2026-11-18 21:30")
        #expect(second.stdout.contains("ALERT late payout LKLP-S1"))
    }

    @Test func aCommandThatHangsIsKilledAndTheOthersStillGetTheirAlert() throws {
        let hook = try recorder("hook")
        let cfg = try config("commands = [\"sleep 600\", \"\(hook.command)\"]\ntimeout_seconds = 1\nretries = 0")
        let r = try alerts(cfg, at: "2026-11-18 21:00")
        #expect(r.stderr.contains("timed out after 1 s (killed)"))
        #expect(try received(hook.file).count == 1)
    }

    @Test func dryRunFiresNothingAndRemembersNothing() throws {
        let hook = try recorder("hook")
        let log = dir + "/alerts.log"
        let cfg = try config("commands = [\"\(hook.command)\"]\nlog = \"\(log)\"")
        let dry = try alerts(cfg, at: "2026-11-18 21:00", ["--dry-run"])
        #expect(dry.stdout.contains("would fire: ALERT late payout LKLP-S1"))
        #expect(try received(hook.file).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: log))
        // Nothing was remembered: the real run fires it, to the command and the log alike.
        let real = try alerts(cfg, at: "2026-11-18 21:00")
        #expect(real.stdout.contains("ALERT late payout LKLP-S1"))
        #expect(try received(hook.file).count == 1)
        #expect(try received(log).count == 1)
        let mode = try FileManager.default.attributesOfItem(atPath: log)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// The keys of `--json` (and of what commands get) are the ones docs/cli.md lists.
    @Test func jsonAlertKeysAreTheDocumentedOnes() throws {
        let cfg = try config("")
        let r = try alerts(cfg, at: "2026-11-18 21:00", ["--json"])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let first = try #require(lines.first)
        let alert = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let doc = try String(contentsOfFile: repoRoot + "/docs/cli.md", encoding: .utf8)
        let section = try #require(doc.components(separatedBy: "### `alerts --json`").dropFirst().first?
            .components(separatedBy: "\n### ").first)
        let documented = Set(section.split(separator: "\n").filter { $0.hasPrefix("| `") }.flatMap { row in
            row.split(separator: "|").first.map { cell in
                cell.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            } ?? []
        })
        #expect(!documented.isEmpty)
        #expect(Set(alert.keys) == documented)
        let previous = alert["previous"]
        #expect(previous is NSNull)
    }

    @Test func aBadAlertsConfigOrAMissingStoreCannotRun() throws {
        let bad = try config("commands = \"not a list\"")
        let r = try alerts(bad, at: "2026-11-18 21:00")
        #expect(r.status == 2)
        #expect(r.stderr.contains("alerts.commands: must be a list of strings"))
        let missing = try run(["alerts", "--once", "--db", dir + "/none.sqlite"], home: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("payoutmon: error: no store at"))
    }

    /// A folder holding a stand-in for `name` that records its arguments (one a line) in
    /// `name.args` and its standard input in `name.stdin`.
    func standIn(_ name: String) throws -> String {
        let bin = dir + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let script = "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '\(dir)/\(name).args'\ncat > '\(dir)/\(name).stdin'\n"
        try script.write(toFile: bin + "/" + name, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: bin + "/" + name)
        return bin
    }

    @Test func theNotifySendExampleShowsTheAlert() throws {
        let bin = try standIn("notify-send")
        let cfg = try config("commands = [\"\(repoRoot)/config/alerts/notify-send.sh\"]\nretries = 0")
        let r = try run(["alerts", "--once", "--db", s.db, "--config", cfg, "--now", "2026-11-18 21:00"], home: dir,
                        env: ["PATH": bin + ":/usr/bin:/bin"])
        #expect(!r.stderr.contains("failed"), "\(r.stderr)")
        let args = try String(contentsOfFile: dir + "/notify-send.args", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(args.contains("--urgency=critical"))
        #expect(args.contains("payoutmon: late payout LKLP-S1"))
        let body = try #require(args.last)
        #expect(body.contains("味道小馆(南山店)") && body.contains("994.00 CNY") && body.contains("ACQUIRER_BACKLOG"))
    }

    @Test func theWebhookExamplePostsTheAlertAsItIs() throws {
        let bin = try standIn("curl")
        let url = "https://hooks.example.com/payouts"
        let cfg = try config("commands = [\"PAYOUTMON_WEBHOOK_URL=\(url) \(repoRoot)/config/alerts/webhook.sh\"]\nretries = 0")
        let r = try run(["alerts", "--once", "--json", "--db", s.db, "--config", cfg, "--now", "2026-11-18 21:00"], home: dir,
                        env: ["PATH": bin + ":/usr/bin:/bin"])
        #expect(!r.stderr.contains("failed"), "\(r.stderr)")
        let args = try String(contentsOfFile: dir + "/curl.args", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(args.last == url && args.contains("--fail") && args.contains("@-"))
        let posted = try String(contentsOfFile: dir + "/curl.stdin", encoding: .utf8)
        #expect(posted == r.stdout)
        #expect(posted.contains("\"payoutRef\":\"LKLP-S1\""))
    }

    @Test func theDocumentedAlertsDefaultsAreTheBuiltInOnes() throws {
        let file = try String(contentsOfFile: repoRoot + "/config/payoutmon.toml", encoding: .utf8)
        #expect(file.contains("[alerts]"))
        let r = try run(["alerts", "--once", "--db", s.db, "--config", repoRoot + "/config/payoutmon.toml", "--now", "2026-11-18 19:00"], home: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("no [alerts] commands or log"))
    }

    @Test func watchWithAlertsFiresAfterItsImportsAndRemembersAcrossRuns() throws {
        let other = TempDir()
        let inbox = other.path + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: false)
        let folder = repoRoot + "/Tests/PayoutCLITests/Scenarios/turns-late"
        for f in ["1-merchants.csv", "2-transactions.csv", "3-payouts.csv", "4-payout_items.csv"] {
            try FileManager.default.copyItem(atPath: folder + "/" + f, toPath: inbox + "/" + f)
        }
        let hook = try recorder("hook")
        let cfg = try config("commands = [\"\(hook.command)\"]\nretry_delay_seconds = 0\n[inbox]\nquiet_period_ms = 100")
        let db = other.path + "/w.sqlite"
        let args = ["watch", inbox, "--db", db, "--config", cfg, "--once", "--interval", "50", "--alerts", "--alerts-now", "2026-11-18 21:00"]
        let r = try run(args, home: other.path)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("imported 3-payouts.csv"))
        #expect(r.stdout.contains("ALERT late payout LKLP-S1"))
        let got = try received(hook.file)
        #expect(got.count == 1)
        #expect(got.first?["payoutRef"] as? String == "LKLP-S1")
        let again = try run(args, home: other.path)
        #expect(again.status == 1)
        #expect(try received(hook.file).count == 1)
    }

    /// An account frozen (with a reason carrying an escape sequence, as a hostile report
    /// might) alerts once, shown safely; active again, it recovers.
    @Test func anAccountFrozenThenActiveAlertsAndRecovers() throws {
        let events = dir + "/account_events.csv"
        try """
            merchant_id,state,at,reason
            \(Scenario.classII),frozen,2026-11-18 10:00:00,风控冻结 risk freeze \u{1b}]0;pwned\u{07}
            \(Scenario.classII),active,2026-11-19 10:00:00,解冻 unfrozen
            """.write(toFile: events, atomically: true, encoding: .utf8)
        let imported = try run(["import", "--db", s.db, events], home: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        let hook = try recorder("hook")
        let cfg = try config("commands = [\"\(hook.command)\"]")
        let frozen = try alerts(cfg, at: "2026-11-18 11:00")
        #expect(frozen.status == 1)
        #expect(frozen.stdout.contains("ALERT frozen account mid \(Scenario.classII) (味道小馆(福田店))"))
        #expect(!frozen.stdout.contains("\u{1b}"))
        var got = try received(hook.file)
        #expect(got.count == 1)
        #expect(got.first?["subject"] as? String == "account" && got.first?["kind"] as? String == "frozen")
        #expect((got.first?["evidence"] as? String)?.contains("risk freeze \u{1b}]0;pwned") == true)
        #expect(got.first?["note"] is NSNull)
        #expect(try String(contentsOfFile: hook.file, encoding: .utf8).contains("\\u001b"))
        let active = try alerts(cfg, at: "2026-11-19 11:00")
        #expect(active.stdout.contains("RECOVERED account mid \(Scenario.classII)"))
        // By then the scenario's payout is late too: its alert is the other one.
        got = try received(hook.file).filter { $0["subject"] as? String == "account" }
        #expect(got.count == 2)
        #expect(got.last?["kind"] as? String == "recovered" && got.last?["state"] as? String == "active")
    }

    /// Without --once it evaluates at once, then every interval, until Ctrl-C, which
    /// ends it cleanly (exit 0) with the alert sent and remembered.
    @Test func withoutOnceItRunsUntilInterruptedAndExitsZero() throws {
        let hook = try recorder("hook")
        let cfg = try config("commands = [\"\(hook.command)\"]\ninterval = 3600")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: payoutmonBinary)
        p.arguments = ["alerts", "--db", s.db, "--config", cfg, "--now", "2026-11-18 21:00"]
        p.environment = ["HOME": dir, "XDG_DATA_HOME": dir + "/data", "XDG_CONFIG_HOME": dir + "/config", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // The first evaluation's line: read until it is there (or the program ended).
        var printed = ""
        while !printed.contains("ALERT late payout LKLP-S1") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        #expect(printed.contains("ALERT late payout LKLP-S1"))
        p.interrupt()
        p.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationReason == .exit && p.terminationStatus == 0, "\(stderr)")
        #expect(stderr.contains("Ctrl-C stops"))
        #expect(try received(hook.file).count == 1)
        // Remembered: a run after the restart sends nothing again.
        let after = try alerts(cfg, at: "2026-11-18 21:30")
        #expect(!after.stdout.contains("ALERT"))
        #expect(try received(hook.file).count == 1)
    }
}
