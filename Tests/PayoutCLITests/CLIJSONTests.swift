import PayoutTestSupport
import Foundation
import PayoutDemo
import Testing

/// Every command's `--json` output parses and holds the keys docs/cli.md documents.
@Suite struct CLIJSONTests {
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    /// The keys a table of docs/cli.md lists for a shape, so the test and the document agree.
    static func documentedKeys(_ heading: String) throws -> Set<String> {
        let doc = try String(contentsOfFile: repoRoot + "/docs/cli.md", encoding: .utf8)
        let start = try #require(doc.range(of: heading), "docs/cli.md has no \(heading)")
        let rest = doc[start.upperBound...]
        let section = rest.range(of: "\n### ").map { rest[..<$0.lowerBound] } ?? rest
        var keys = Set<String>()
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cell = line.dropFirst(2).prefix { $0 != "|" }
            for part in cell.split(separator: "`") where !part.contains(" ") && !part.contains(",") && !part.isEmpty {
                keys.insert(String(part))
            }
        }
        return keys
    }

    @Test func importReportsEveryFileAndRow() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let good = repoRoot + "/config/examples/transactions.csv"
        let bad = dir.file("bad.csv", CLIContractTests.Home.header + CLIContractTests.Home.row(rrn: "626000900001", amount: "12.00")
                           + CLIContractTests.Home.row(rrn: "626000900002", amount: "abc"))
        let r = try run(["import", "--db", db, "--json", "--skip-bad", good, bad, good], home: dir.path)
        #expect(r.status == 1, "\(r.stderr)")
        let json = try Self.object(r.stdout)
        #expect(json["schema"] as? String == "payoutmon.import/1")
        #expect(json["store"] as? String == db)
        #expect(json["storeKept"] as? Bool == true)
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.count == 3)
        let fileKeys = try Self.documentedKeys("### `import --json`")
        #expect(fileKeys.isSuperset(of: ["path", "outcome", "read", "stored", "rejectedRows", "rejectsFile", "error"]))
        for f in files {
            #expect(Set(f.keys) == fileKeys.subtracting(["schema", "store", "storeKept", "files"]), "\(f.keys.sorted())")
            let read = try #require(f["read"] as? Int)
            let parts = ["stored", "duplicate", "rejected", "skipped"].compactMap { f[$0] as? Int }
            #expect(parts.count == 4 && parts.reduce(0, +) == read, "\(f)")
        }
        #expect(files[0]["outcome"] as? String == "imported")
        #expect(files[0]["format"] as? String == "canonical")
        let records = try #require(files[0]["records"] as? [String: [String: Int]])
        #expect((records["transactions"]?["new"] ?? 0) > 0)
        #expect(files[1]["rejected"] as? Int == 1)
        #expect(files[1]["stored"] as? Int == 1)
        #expect(files[1]["rejectsFile"] as? String == dir.path + "/bad.rejects.csv")
        let rejected = try #require(files[1]["rejectedRows"] as? [[String: Any]])
        #expect(rejected.first?["line"] as? Int == 3)
        #expect(rejected.first?["column"] as? String == "amount")
        #expect(files[2]["outcome"] as? String == "already-imported")
        // The text summary is not printed as well: standard output is the one document.
        #expect(!r.stdout.contains("rows (canonical)"))
    }

    @Test func importJSONNamesARefusedFile() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let bad = dir.file("bad.csv", "merchant_id,terminal_id,amount\nnot,a,report\n")
        let r = try run(["import", "--db", db, "--json", bad], home: dir.path)
        #expect(r.status == 2)
        let json = try Self.object(r.stdout)
        #expect(json["storeKept"] as? Bool == false)
        let f = try #require((json["files"] as? [[String: Any]])?.first)
        #expect(f["outcome"] as? String == "failed")
        let error = try #require(f["error"] as? String)
        #expect(r.stderr.contains("payoutmon: error: " + error))
    }

    @Test func noteSaysWhatItCovers() throws {
        let f = DemoFixture.shared
        let out = TempDir()
        let r = try run(["note", "--db", f.db, "--rrn", DemoStories.rrn(3), "--lang", "en", "--out", out.path + "/", "--json"], home: f.dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try Self.object(r.stdout)
        #expect(Set(json.keys) == (try Self.documentedKeys("### `note --json`")).union(["schema"]), "\(json.keys.sorted())")
        #expect(json["schema"] as? String == "payoutmon.note/1")
        let path = try #require(json["path"] as? String)
        #expect(FileManager.default.fileExists(atPath: path) && path.hasPrefix(out.path + "/"))
        #expect(json["subject"] as? String == "transaction")
        #expect(json["reference"] as? String == DemoStories.rrn(3))
        let t = try #require(json["transaction"] as? [String: Any])
        #expect(t["rrn"] as? String == DemoStories.rrn(3))
        #expect(json["dispute"] as? Bool == true)
        #expect(json["cause"] as? String == "RISK_REVIEW")
        let payouts = try #require(json["payouts"] as? [[String: Any]])
        #expect(payouts.contains { $0["payoutRef"] as? String == DemoStories.payoutRef(3) })
        #expect((json["rrns"] as? [String])?.contains(DemoStories.rrn(3)) == true)
        // The note on disk is the one the JSON describes.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(DemoStories.rrn(3)))

        let payout = try run(["note", "--db", f.db, "--payout", DemoStories.payoutRef(1), "--out", out.path + "/", "--json"], home: f.dir.path)
        #expect(payout.status == 0, "\(payout.stderr)")
        let pj = try Self.object(payout.stdout)
        #expect(pj["subject"] as? String == "payout")
        #expect(pj["transaction"] is NSNull)
        #expect(pj["dispute"] as? Bool == false)
        #expect((pj["rrns"] as? [String])?.contains(DemoStories.rrn(1)) == true)
    }

    @Test func watchWritesOneObjectPerEvent() throws {
        let dir = TempDir()
        let inbox = dir.path + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: repoRoot + "/config/examples/merchants.csv", toPath: inbox + "/merchants.csv")
        _ = dir.file("inbox/broken.csv", "merchant_id,terminal_id,amount\nnot,a,report\n")
        try FileManager.default.createDirectory(atPath: dir.path + "/config/payoutmon", withIntermediateDirectories: true)
        _ = dir.file("config/payoutmon/config.toml", "[inbox]\nquiet_period_ms = 100\n")
        let r = try run(["watch", inbox, "--db", dir.path + "/s.sqlite", "--once", "--interval", "50", "--json"], home: dir.path)
        #expect(r.status == 1, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(r.stdout)")
        let events = try lines.map(Self.object)
        let keys = try Self.documentedKeys("### `watch --json`").union(["schema"])
        for e in events {
            #expect(Set(e.keys) == keys, "\(e.keys.sorted())")
            #expect(e["schema"] as? String == "payoutmon.watch/1")
        }
        let imported = try #require(events.first { $0["file"] as? String == "merchants.csv" })
        #expect(imported["outcome"] as? String == "imported")
        #expect((imported["rows"] as? Int ?? 0) > 0)
        #expect((imported["movedTo"] as? String)?.hasSuffix("/imported/merchants.csv") == true)
        let failed = try #require(events.first { $0["file"] as? String == "broken.csv" })
        #expect(failed["outcome"] as? String == "failed")
        #expect(!(failed["reason"] as? String ?? "").isEmpty)
        #expect((failed["errorFile"] as? String).map { FileManager.default.fileExists(atPath: $0) } == true)
    }

    @Test func simulateWritesOneObjectPerBatch() throws {
        let dir = TempDir()
        let r = try run(["simulate", "--db", dir.path + "/s.sqlite", "--count", "3", "--tick", "10", "--rate", "1000", "--seed", "3", "--json"],
                        home: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(!lines.isEmpty)
        let batches = try lines.map(Self.object)
        let keys = try Self.documentedKeys("### `simulate --json`").union(["schema"])
        for b in batches {
            #expect(Set(b.keys) == keys, "\(b.keys.sorted())")
            #expect(b["schema"] as? String == "payoutmon.simulate/1")
        }
        // The count asked for is the count the batches say the store added.
        #expect(batches.compactMap { $0["transactionsAdded"] as? Int }.reduce(0, +) == 3, "\(r.stdout)")
    }

    @Test func etaSaysWhatItAssumed() throws {
        let dir = TempDir()
        let assumed = try Self.object(try run(["eta", "--at", "2026-11-24 10:00", "--json"], home: dir.path).stdout)
        #expect(assumed["schema"] as? String == "payoutmon.eta/1")
        #expect(assumed["assumed"] as? [String] == ["amount", "card"])
        #expect(assumed["card"] as? String == "debit")
        #expect(assumed["gross"] as? String == "1000.00")
        let given = try Self.object(try run(["eta", "--at", "2026-11-24 10:00", "--amount", "250.00", "--card", "credit", "--json"], home: dir.path).stdout)
        #expect(given["assumed"] as? [String] == [])
        #expect(given["card"] as? String == "credit")
        #expect(given["gross"] as? String == "250.00")
    }
}

@Suite struct EtaTextTests {
    /// The net is printed once, and the answer says when the amount and card were assumed.
    @Test func netOnceAndAssumptionsSaid() throws {
        let dir = TempDir()
        let r = try run(["eta", "--at", "2026-11-24 10:00"], home: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLIJSONTests.object(try run(["eta", "--at", "2026-11-24 10:00", "--json"], home: dir.path).stdout)
        let net = try #require(json["net"] as? String)
        let netLines = r.stdout.split(separator: "\n").filter { $0.contains("= ") && $0.contains("net") }
        #expect(netLines.count == 1, "\(r.stdout)")
        // The one net line is the computed net (under 1,000, so written without a group separator).
        #expect(netLines.first?.hasSuffix("= " + net) == true, "\(r.stdout)")
        #expect(!r.stdout.contains("−"), "\(r.stdout)")
        #expect(r.stdout.contains("for 1,000.00 CNY on a debit card (assumed amount and card"), "\(r.stdout)")
        let given = try run(["eta", "--at", "2026-11-24 10:00", "--amount", "250", "--card", "credit"], home: dir.path)
        #expect(given.stdout.contains("for 250.00 CNY on a credit card\n"), "\(given.stdout)")
        #expect(!given.stdout.contains("assumed"))
    }
}

@Suite struct CompletionTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsNameTheCommands(_ shell: String) throws {
        let dir = TempDir()
        let r = try run(["--generate-completion-script", shell], home: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        for sub in ["import", "status", "note", "watch", "simulate", "eta", "demo"] {
            #expect(r.stdout.contains(sub), "\(shell) script lacks \(sub)")
        }
        #expect(r.stdout.contains("skip-bad"))
    }
}
