import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import PayoutFormats
import Testing
@testable import PayoutStore

/// The inbox watcher: complete files in, good ones to `imported/`, bad ones to `failed/`
/// with the line and reason, nothing taken half-written, nothing imported twice.
@Suite struct InboxTests {
    static let now = LocalDateTime(parsing: "2026-11-23 10:30")!.instant(in: shanghai)

    static func transactions(_ first: Int, _ count: Int, badAmountAt: Int? = nil) -> String {
        var text = "merchant_id,terminal_id,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,currency,occurred_at\n"
        for n in first..<(first + count) {
            let amount = n == badAmountAt ? "12.3.4" : "25.00"
            text += "898440358120013,LKL10001,000001,\(String(format: "%06d", n)),\(String(format: "7%011d", n)),,,qr,sale,\(amount),CNY,2026-11-23 10:00:00\n"
        }
        return text
    }

    struct Inbox {
        let dir = TempDir()
        let store: WritableStore
        var path: String { dir.path + "/inbox" }

        init() throws {
            store = try memoryStore()
            try FileManager.default.createDirectory(atPath: dir.path + "/inbox", withIntermediateDirectories: false)
        }

        func watcher() throws -> InboxWatcher {
            try InboxWatcher(directory: path, store: store, options: ImportOptions(format: .auto, timeZone: shanghai))
        }

        @discardableResult
        func drop(_ name: String, _ text: String) -> String {
            let p = path + "/" + name
            FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
            return p
        }

        func names(_ sub: String = "") -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: path + sub)) ?? []).sorted()
        }

        func count(_ table: String) throws -> Int {
            try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
        }
    }

    @Test func aGoodFileIsImportedOnceStableAndMoved() throws {
        let inbox = try Inbox()
        let w = try inbox.watcher()
        inbox.drop("settlement-1123.csv", Self.transactions(1, 30))
        #expect(w.poll(now: Self.now).isEmpty, "first sight: not yet known to be complete")
        #expect(w.waiting == ["settlement-1123.csv"])
        let events = w.poll(now: Self.now.adding(seconds: 1))
        #expect(events == [InboxEvent(name: "settlement-1123.csv", movedTo: w.importedDirectory + "/settlement-1123.csv",
                                      outcome: .imported(rows: 30, kind: "transactions"))])
        #expect(inbox.names() == ["failed", "imported"])
        #expect(inbox.names("/imported") == ["settlement-1123.csv"])
        #expect(try inbox.count("txn") == 30)
        let path = try inbox.store.writer.read { db in try String.fetchOne(db, sql: "SELECT path FROM reportFile") }
        #expect(path == w.importedDirectory + "/settlement-1123.csv", "the store names the file where it now is")
        #expect(w.poll(now: Self.now.adding(seconds: 2)).isEmpty)
    }

    @Test func aBadFileGoesToFailedWithItsLineAndReason() throws {
        let inbox = try Inbox()
        let w = try inbox.watcher()
        inbox.drop("bad.csv", Self.transactions(1, 5, badAmountAt: 3))
        _ = w.poll(now: Self.now)
        let events = w.poll(now: Self.now.adding(seconds: 1))
        let event = try #require(events.first)
        guard case .failed(let line, let reason, let errorFile) = event.outcome else {
            Issue.record("expected a failure: \(event)")
            return
        }
        #expect(line == 4, "data row 3 is line 4")
        #expect(reason.contains("12.3.4"))
        #expect(event.movedTo == w.failedDirectory + "/bad.csv")
        #expect(errorFile == w.failedDirectory + "/bad.csv.error.txt")
        let text = try String(contentsOfFile: errorFile, encoding: .utf8)
        #expect(text.contains("line: 4"))
        #expect(text.contains("column: amount"))
        #expect(text.contains("reason: " + reason))
        let mode = try FileManager.default.attributesOfItem(atPath: errorFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(inbox.names("/failed") == ["bad.csv", "bad.csv.error.txt"])
        #expect(try inbox.count("txn") == 0 && inbox.count("reportFile") == 0, "nothing from the file landed")

        // Fixed and put back: imported; a second bad file of the same name does not overwrite the first.
        inbox.drop("bad.csv", Self.transactions(1, 5))
        _ = w.poll(now: Self.now.adding(seconds: 2))
        #expect(w.poll(now: Self.now.adding(seconds: 3)).first?.outcome == .imported(rows: 5, kind: "transactions"))
        inbox.drop("bad.csv", "merchant_id,nonsense\n1,2\n")
        _ = w.poll(now: Self.now.adding(seconds: 4))
        let again = try #require(w.poll(now: Self.now.adding(seconds: 5)).first)
        #expect(again.movedTo == w.failedDirectory + "/bad-2.csv")
        #expect(FileManager.default.fileExists(atPath: w.failedDirectory + "/bad-2.csv.error.txt"))
    }

    @Test func aFileStillBeingWrittenIsNotTaken() throws {
        let inbox = try Inbox()
        let w = try inbox.watcher()
        let full = Self.transactions(1, 40)
        let cut = full.index(full.startIndex, offsetBy: full.count / 2)
        let p = inbox.drop("growing.csv", String(full[..<cut]))
        // Downloaders' temp names and dotfiles are never taken, however long they sit.
        inbox.drop("next.csv.part", full)
        inbox.drop("other.CRDOWNLOAD", full)
        inbox.drop("tmp-file.tmp", full)
        inbox.drop(".hidden.csv", full)
        _ = w.poll(now: Self.now)
        let handle = try #require(FileHandle(forWritingAtPath: p))
        handle.seekToEndOfFile()
        handle.write(Data(full[cut...].utf8))
        try handle.close()
        #expect(w.poll(now: Self.now.adding(seconds: 1)).isEmpty, "it grew since the last poll")
        #expect(w.waiting == ["growing.csv"])
        let events = w.poll(now: Self.now.adding(seconds: 2))
        #expect(events.map(\.outcome) == [.imported(rows: 40, kind: "transactions")])
        for t in 3...6 { #expect(w.poll(now: Self.now.adding(seconds: Int64(t))).isEmpty) }
        #expect(inbox.names() == [".hidden.csv", "failed", "imported", "next.csv.part", "other.CRDOWNLOAD", "tmp-file.tmp"])
        // The download finishes: renamed to its real name, then taken.
        #expect(rename(inbox.path + "/next.csv.part", inbox.path + "/next.csv") == 0)
        _ = w.poll(now: Self.now.adding(seconds: 7))
        #expect(w.poll(now: Self.now.adding(seconds: 8)).first?.outcome == .alreadyImported, "same bytes as growing.csv")
        #expect(try inbox.count("txn") == 40)
    }

    @Test func anEmptyFileWaitsThenFails() throws {
        let inbox = try Inbox()
        let w = try inbox.watcher()
        inbox.drop("empty.csv", "")
        _ = w.poll(now: Self.now)
        #expect(w.poll(now: Self.now.adding(seconds: 1)).isEmpty)
        #expect(w.poll(now: Self.now.adding(seconds: 30)).isEmpty, "a downloader may not have written yet")
        let events = w.poll(now: Self.now.adding(seconds: 62))
        guard case .failed(_, let reason, _)? = events.first?.outcome else {
            Issue.record("\(events)")
            return
        }
        #expect(reason.contains("empty"))
    }

    /// A watcher that crashed after the import committed but before the move leaves the
    /// file in the inbox: the next one sees the store has it and only moves it.
    @Test func aRestartImportsNothingTwice() throws {
        let inbox = try Inbox()
        do {
            let first = try inbox.watcher()
            inbox.drop("a.csv", Self.transactions(1, 10))
            _ = first.poll(now: Self.now)
            #expect(first.poll(now: Self.now.adding(seconds: 1)).first?.outcome == .imported(rows: 10, kind: "transactions"))
        }
        // The crash: b.csv imported, not moved.
        let b = inbox.drop("b.csv", Self.transactions(11, 10))
        _ = try inbox.store.importData(try Data(contentsOf: URL(fileURLWithPath: b)), name: b,
                                       options: ImportOptions(format: .auto, timeZone: shanghai))
        // And someone drops a copy of a.csv under another name.
        inbox.drop("a-copy.csv", Self.transactions(1, 10))
        let files = try inbox.count("reportFile")
        let txns = try inbox.count("txn")

        let second = try inbox.watcher()
        _ = second.poll(now: Self.now.adding(seconds: 10))
        let events = second.poll(now: Self.now.adding(seconds: 11))
        #expect(events.map(\.name) == ["a-copy.csv", "b.csv"])
        #expect(events.allSatisfy { $0.outcome == .alreadyImported })
        #expect(try inbox.count("reportFile") == files && inbox.count("txn") == txns)
        #expect(inbox.names("/imported") == ["a-copy.csv", "a.csv", "b.csv"])
        #expect(inbox.names() == ["failed", "imported"])
    }

    @Test func aNameAlreadyInImportedGetsANumber() throws {
        let inbox = try Inbox()
        let w = try inbox.watcher()
        for (i, t) in [0, 10].enumerated() {
            inbox.drop("daily.csv", Self.transactions(100 + i * 10, 10))
            _ = w.poll(now: Self.now.adding(seconds: Int64(t)))
            _ = w.poll(now: Self.now.adding(seconds: Int64(t + 1)))
        }
        #expect(inbox.names("/imported") == ["daily-2.csv", "daily.csv"])
        #expect(try inbox.count("txn") == 20)
    }

    @Test func theInboxMustBeAFolder() throws {
        let inbox = try Inbox()
        #expect(throws: StoreError.self) {
            try InboxWatcher(directory: inbox.path + "/nope", store: inbox.store, options: ImportOptions(timeZone: shanghai))
        }
        #expect(InboxWatcher.isIgnored(".x.csv") && InboxWatcher.isIgnored("a.csv.Part") && !InboxWatcher.isIgnored("a.csv"))
    }
}
