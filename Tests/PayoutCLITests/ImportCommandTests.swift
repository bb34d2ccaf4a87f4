import PayoutTestSupport
import Foundation
import Testing

@Suite struct ImportCommandTests {
    let examples = ["merchants", "transactions", "payouts", "payout_items", "account_events", "holds"]
        .map { repoRoot + "/config/examples/\($0).csv" }

    @Test func importsThenSkipsTheSameFiles() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let first = try run(["import", "--db", db] + examples, home: dir.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("transactions.csv: 5 transactions rows (canonical): 5 stored, 0 duplicate, 0 rejected, 0 skipped\n  records: transactions 5 new, 0 updated, 0 revised, 0 duplicate"))
        let second = try run(["import", "--db", db] + examples, home: dir.path)
        #expect(second.status == 0)
        let lines = second.stdout.split(separator: "\n")
        #expect(lines.count == examples.count)
        #expect(lines.allSatisfy { $0.contains("already imported") && $0.hasSuffix("nothing changed") })
    }

    /// A later report that changes a stored amount is refused, naming both places; with
    /// --accept-revisions it is stored, and the summary counts it as revised.
    @Test func aRevisionIsRefusedUnlessAccepted() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let header = "merchant_id,terminal_id,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,currency,occurred_at\n"
        let row = "898440358120013,LKL10001,000123,000451,626000100001,A1B2C3,,qr,sale,1288.00,CNY,2026-11-20 12:18:05\n"
        let a = dir.file("a.csv", header + row)
        let b = dir.file("b.csv", header + row.replacingOccurrences(of: "1288.00", with: "1208.00"))
        #expect(try run(["import", "--db", db, a], home: dir.path).status == 0)
        let refused = try run(["import", "--db", db, b], home: dir.path)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(b):2: revises transaction RRN 626000100001 (sale, MID 898440358120013) stored from \(a):2: amount 1,288.00 CNY there, 1,208.00 CNY here"))
        // A file with two revisions names both, each on its own line with both places.
        let two = dir.file("two.csv", header + row.replacingOccurrences(of: "1288.00", with: "1200.00")
            + row.replacingOccurrences(of: "000451,626000100001", with: "000452,626000100002"))
        #expect(try run(["import", "--db", db, dir.file("a2.csv", header + row.replacingOccurrences(of: "000451,626000100001", with: "000452,626000100002").replacingOccurrences(of: "1288.00", with: "5.00"))], home: dir.path).status == 0)
        let both = try run(["import", "--db", db, two], home: dir.path)
        #expect(both.status == 2)
        let lines = both.stderr.split(separator: "\n")
        #expect(lines.count >= 2 && lines[0].hasPrefix("payoutmon: error: \(two):2: revises transaction RRN 626000100001") && lines[0].contains("stored from \(a):2") && lines[0].contains("(1 of 2 revisions in this file)"), "\(both.stderr)")
        #expect(lines.count >= 2 && lines[1].hasPrefix("\(two):3: revises transaction RRN 626000100002") && lines[1].contains("stored from \(dir.path)/a2.csv:2: amount 5.00 CNY there, 1,288.00 CNY here"), "\(both.stderr)")
        let accepted = try run(["import", "--db", db, "--accept-revisions", b], home: dir.path)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("b.csv: 1 transactions rows (canonical): 1 stored, 0 duplicate, 0 rejected, 0 skipped\n  records: transactions 0 new, 0 updated, 1 revised, 0 duplicate"))
    }

    @Test func aBrokenFileFailsWithItsLineAndColumn() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let header = "merchant_id,terminal_id,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,currency,occurred_at\n"
        let row = "898440358120013,LKL10001,000123,000451,626000100001,A1B2C3,6228480402564890018,debit,sale,1288.00,CNY,2026-11-20 12:18:05\n"
        let bad = dir.file("bad.csv", header + row + row.replacingOccurrences(of: "000451", with: "000452").replacingOccurrences(of: "1288.00", with: "abc"))
        let r = try run(["import", "--db", db, bad], home: dir.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(bad):3: column amount: \"abc\" is not a number"))
        #expect(!r.stdout.contains("6228480402564890018") && !r.stderr.contains("6228480402564890018"))
        // Nothing from the file landed: importing only the good row now inserts it.
        let good = dir.file("good.csv", header + row)
        let g = try run(["import", "--db", db, good], home: dir.path)
        #expect(g.stdout.contains("transactions 1 new"))
    }

    @Test func oneBadFileDoesNotStopTheOthers() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let empty = dir.file("empty.csv", "")
        let r = try run(["import", "--db", db, empty, examples[0]], home: dir.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(empty): the file is empty"))
        #expect(r.stderr.contains("1 of 2 files failed"))
        #expect(r.stdout.contains("merchants 2 new"))
    }

    @Test func storeProblemsAreExplained() throws {
        let dir = TempDir()
        let missing = try run(["import", "--db", dir.path + "/no/such/dir/s.sqlite", examples[0]], home: dir.path)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("folder \(dir.path)/no/such/dir does not exist"))
        let notDB = dir.file("notes.txt", "hello\n")
        let r = try run(["import", "--db", notDB, examples[0]], home: dir.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("\(notDB) is not a payoutmon store (not a SQLite database)"))
    }

    /// A SQLite database of another program, 1,024 bytes (this test target does not link
    /// SQLite), made with `sqlite3 f.sqlite "PRAGMA page_size=512; CREATE TABLE customer
    /// (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customer (name) VALUES ('Wang');"`.
    static let customerDatabase = "U1FMaXRlIGZvcm1hdCAzAAIAAQEAQCAgAAAAAgAAAAIAAAAAAAAAAAAAAAEAAAAEAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACAC5jAQ0AAAABAakAAakAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABVAQYXHR0Bf3RhYmxlY3VzdG9tZXJjdXN0b21lcgJDUkVBVEUgVEFCTEUgY3VzdG9tZXIgKGlkIElOVEVHRVIgUFJJTUFSWSBLRVksIG5hbWUgVEVYVCkNAAAAAQH3AAH3AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAcBAwAVV2FuZw=="

    /// Another program's SQLite file given as the store: `import` and `simulate` both
    /// refuse it, say why, and leave it byte for byte as it was.
    @Test func anotherProgramsDatabaseIsLeftUnchanged() throws {
        let dir = TempDir()
        let path = dir.path + "/shop.sqlite"
        try Data(base64Encoded: Self.customerDatabase)!.write(to: URL(fileURLWithPath: path))
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let imported = try run(["import", "--db", path, examples[0]], home: dir.path)
        #expect(imported.status == 2)
        #expect(imported.stderr.contains("\(path) is a SQLite database of another program (tables customer), not a payoutmon store"),
                "\(imported.stderr)")
        let simulated = try run(["simulate", "--db", path, "--count", "1", "--tick", "10"], home: dir.path)
        #expect(simulated.status != 0)
        #expect(simulated.stderr.contains("not a payoutmon store"), "\(simulated.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["shop.sqlite"])
    }

    /// A refused import into a path with no store leaves no file there.
    @Test func aRefusedFirstImportLeavesNoStore() throws {
        let dir = TempDir()
        let db = dir.path + "/new.sqlite"
        let bad = dir.file("bad.csv", "merchant_id,terminal_id,amount\nnot,a,report\n")
        let r = try run(["import", "--db", db, bad], home: dir.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains("error: "), "\(r.stderr)")
        #expect(r.stderr.contains("nothing was imported; \(db) was not kept"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["bad.csv"])
        // A store that was there before stays, even when the import is refused.
        let ok = try run(["import", "--db", db, examples[0]], home: dir.path)
        #expect(ok.status == 0, "\(ok.stderr)")
        let again = try run(["import", "--db", db, bad], home: dir.path)
        #expect(again.status == 2)
        #expect(FileManager.default.fileExists(atPath: db))
    }

    /// A store this user may not read and write: the error says permission denied.
    @Test func aStoreWithoutPermissionSaysSo() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let ok = try run(["import", "--db", db, examples[0]], home: dir.path)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(chmod(dir.path, 0o755) == 0 && chmod(db, 0o400) == 0)
        // root may write anything, so the test runs payoutmon as nobody then.
        let r = try run(["import", "--db", db, examples[0]], home: dir.path, asNobody: getuid() == 0)
        #expect(r.status == 2)
        #expect(r.stderr.contains("cannot open the store \(db): permission denied"), "\(r.stderr)")
        let status = try run(["status", "--db", db], home: dir.path, asNobody: getuid() == 0)
        #expect(status.status == 2)
        #expect(status.stderr.contains("cannot open the store \(db): permission denied"), "\(status.stderr)")
    }

    @Test func storeComesFromTheEnvironmentThenXDG() throws {
        let dir = TempDir()
        let envDB = dir.path + "/env.sqlite"
        let r = try run(["import", examples[0]], home: dir.path, env: ["PAYOUTMON_DB": envDB])
        #expect(r.status == 0)
        #expect(FileManager.default.fileExists(atPath: envDB))
        let x = try run(["import", examples[0]], home: dir.path)
        #expect(x.status == 0)
        #expect(FileManager.default.fileExists(atPath: dir.path + "/data/payoutmon/payouts.sqlite"))
    }

    @Test func demoWritesAStoreAndRefusesToOverwrite() throws {
        let dir = TempDir()
        let db = dir.path + "/demo.sqlite"
        let r = try run(["demo", "--db", db], home: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("12 stories"))
        let again = try run(["demo", "--db", db], home: dir.path)
        #expect(again.status != 0)
        #expect(again.stderr.contains("exists"))
    }
}
