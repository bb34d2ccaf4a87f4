import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import Testing
@testable import PayoutStore

@Suite struct CanonicalImportTests {
    let examples = ["merchants", "transactions", "payouts", "payout_items", "account_events", "holds"]
        .map { repoRoot + "/config/examples/\($0).csv" }

    @Test func everyExampleImportsAsItIs() throws {
        let store = try memoryStore()
        var kinds: [String] = []
        for f in examples {
            let s = try store.importFile(atPath: f, options: importOptions)
            #expect(!s.alreadyImported)
            #expect(s.rows > 0)
            #expect(s.counts.values.allSatisfy { $0.duplicates == 0 && $0.updated == 0 })
            kinds.append(s.kind)
        }
        #expect(kinds == ["merchants", "transactions", "payouts", "payout_items", "account_events", "holds"])
        let counts = try tableCounts(store)
        #expect(counts["txn"] == 5)
        #expect(counts["payout"] == 2)
        #expect(counts["payoutItem"] == 8)
        #expect(counts["hold"] == 1)
        #expect(counts["terminal"] == 2)
        let refund = try store.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT amountMinor, kind, cardMasked, occurredAt FROM txn WHERE rrn = '626000100004'")
        }
        #expect(refund?["amountMinor"] == -68000 as Int64)
        #expect(refund?["kind"] == "refund")
        // 2026-11-20 21:10:00 in Shanghai is 13:10 UTC.
        #expect(refund?["occurredAt"] == InstantParser.parse("2026-11-20T13:10:00Z", zone: shanghai)!.epochMillis)
    }

    @Test func sameFileTwiceAddsNothing() throws {
        let store = try memoryStore()
        for f in examples { _ = try store.importFile(atPath: f, options: importOptions) }
        let before = try tableCounts(store)
        for f in examples {
            let again = try store.importFile(atPath: f, options: importOptions)
            #expect(again.alreadyImported)
        }
        #expect(try tableCounts(store) == before)
    }

    @Test func sameRowsInAnotherFileAreDuplicates() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let text = try String(contentsOfFile: examples[1], encoding: .utf8)
        _ = try store.importFile(atPath: dir.file("a.csv", text), options: importOptions)
        // Same rows, different bytes (a trailing blank line): a new file, every row a duplicate.
        let s = try store.importFile(atPath: dir.file("b.csv", text + "\n"), options: importOptions)
        #expect(!s.alreadyImported)
        #expect(s.counts["transactions"]?.inserted == 0)
        #expect(s.counts["transactions"]?.duplicates == 5)
        #expect(try tableCounts(store)["txn"] == 5)
    }

    @Test func aLaterPayoutStateUpdatesTheRow() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let header = "merchant_id,payout_ref,cycle_date,expected_amount,paid_amount,currency,status,credited_at\n"
        _ = try store.importFile(atPath: dir.file("p1.csv", header + "898440358120013,P1,2026-11-23,100.00,,CNY,scheduled,\n"), options: importOptions)
        let s = try store.importFile(atPath: dir.file("p2.csv", header + "898440358120013,P1,2026-11-23,100.00,100.00,CNY,paid,2026-11-23 10:00:00\n"), options: importOptions)
        #expect(s.counts["payouts"]?.updated == 1)
        let row = try store.writer.read { db in try Row.fetchOne(db, sql: "SELECT status, paidMinor FROM payout WHERE ref = 'P1'") }
        #expect(row?["status"] == "paid")
        #expect(row?["paidMinor"] == 10000 as Int64)
    }

    /// A valid transactions header and row, for the broken variants below.
    static let header = "merchant_id,terminal_id,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,currency,occurred_at"
    static let good = "898440358120013,LKL10001,000123,000451,626000100001,A1B2C3,622848******0018,debit,sale,1288.00,CNY,2026-11-20 12:18:05"

    static let broken: [(name: String, text: String, message: String)] = [
        ("badamount.csv", header + "\n" + good + "\n" + good.replacingOccurrences(of: "1288.00", with: "\"1,2.3\"").replacingOccurrences(of: "000451", with: "000452"),
         "badamount.csv:3: column amount: \"1,2.3\" has misplaced thousands separators"),
        ("abc.csv", header + "\n" + good.replacingOccurrences(of: "1288.00", with: "abc"),
         "abc.csv:2: column amount: \"abc\" is not a number"),
        ("currency.csv", header + "\n" + good.replacingOccurrences(of: ",CNY,", with: ",XYZ,"),
         "currency.csv:2: column currency: unknown currency \"XYZ\""),
        ("date.csv", header + "\n" + good.replacingOccurrences(of: "2026-11-20 12:18:05", with: "2026-11-31 12:18:05"),
         "date.csv:2: column occurred_at: \"2026-11-31 12:18:05\" is not a date and time (expected YYYY-MM-DD HH:MM:SS, optionally with Z or +08:00)"),
        ("missing.csv", header.replacingOccurrences(of: ",auth_code", with: "") + "\n" + good.replacingOccurrences(of: ",A1B2C3", with: ""),
         "missing.csv:1: header is a transactions header missing column auth_code"),
        ("wrong.csv", "name,price\napple,3.00",
         "wrong.csv:1: header is not one of the canonical kinds (transactions, payouts, payout_items, account_events, holds, merchants); see the README's report format"),
        ("empty.csv", "", "empty.csv: the file is empty"),
        ("headeronly.csv", header + "\n", "headeronly.csv:1: the file has a header but no rows"),
        ("short.csv", header + "\n" + good + "\n898440358120013,LKL10001", "short.csv:3: has 2 fields; the header has 12"),
        ("extra.csv", header + ",colour\n" + good + ",red", "extra.csv:1: column colour: unknown column for a transactions file (allowed: merchant_id, terminal_id, batch_no, trace_no, rrn, auth_code, card_number, card_kind, kind, amount, currency, occurred_at, terminal_name, fee, payout_ref)"),
        ("kind.csv", header + "\n" + good.replacingOccurrences(of: ",sale,", with: ",purchase,"),
         "kind.csv:2: column kind: \"purchase\" is not one of sale, refund, void, reversal, preauthCompletion, adjustment"),
        ("card.csv", header + "\n" + good.replacingOccurrences(of: "622848******0018", with: "12345"),
         "card.csv:2: column card_number: card number has 5 digits; expected 12 to 19, or a masked value"),
        ("refund.csv", header + "\n" + good.replacingOccurrences(of: ",sale,", with: ",refund,"),
         "refund.csv:2: column amount: a refund takes money back: write it as a negative amount"),
        ("quote.csv", header + "\n" + good.replacingOccurrences(of: "A1B2C3", with: "\"A1B2C3"),
         "quote.csv:2: a quoted field is never closed (truncated file?)"),
    ]

    @Test(arguments: broken.indices)
    func badInputIsRejectedAndTheStoreIsUnchanged(index: Int) throws {
        let (name, text, message) = Self.broken[index]
        let dir = TempDir()
        let store = try memoryStore()
        _ = try store.importFile(atPath: examples[1], options: importOptions)
        let before = try tableCounts(store)
        let path = dir.file(name, text)
        var thrown: (any Error)?
        do { _ = try store.importFile(atPath: path, options: importOptions) } catch { thrown = error }
        let description = thrown.map { "\($0)" } ?? "no error"
        #expect(description == message.replacingOccurrences(of: name, with: path, options: .anchored))
        #expect(try tableCounts(store) == before)
    }

    @Test func binaryFileIsRejected() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.path + "/photo.jpg"
        FileManager.default.createFile(atPath: path, contents: Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00]))
        #expect(performing: { try store.importFile(atPath: path, options: importOptions) },
                throws: { "\($0)".hasSuffix(": not a text file (binary data)") || "\($0)".contains("not valid UTF-8") })
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    @Test func fullCardNumbersNeverReachTheStore() throws {
        let dir = TempDir()
        let dbPath = dir.path + "/s.sqlite"
        let store = try PayoutStore.openForWriting(path: dbPath)
        let pan = "6228480402564890018"
        _ = try store.importFile(atPath: dir.file("t.csv", Self.header + "\n" + Self.good.replacingOccurrences(of: "622848******0018", with: pan)),
                                 options: importOptions)
        let stored = try store.writer.read { db in try String.fetchOne(db, sql: "SELECT cardMasked FROM txn") }
        #expect(stored == "622848*********0018")
        try store.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        for suffix in ["", "-wal"] {
            guard let bytes = FileManager.default.contents(atPath: dbPath + suffix) else { continue }
            #expect(bytes.range(of: Data(pan.utf8)) == nil, "full PAN found in \(dbPath + suffix)")
        }
    }
}
