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

        /// A watcher with a one-second quiet period, so the tests above step one poll a second;
        /// `quiet` nil keeps the default (5 s).
        func watcher(quiet: Int64? = 1000) throws -> InboxWatcher {
            let w = try InboxWatcher(directory: path, store: store, options: ImportOptions(format: .auto, timeZone: shanghai))
            if let quiet { w.quietPeriodMillis = quiet }
            return w
        }

        func append(_ name: String, _ data: Data) throws {
            let handle = try #require(FileHandle(forWritingAtPath: path + "/" + name))
            handle.seekToEndOfFile()
            handle.write(data)
            try handle.close()
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

    /// A file that changes a stored amount (a revision) goes to failed/ naming the earlier
    /// file and line; the watcher never accepts revisions.
    @Test func aRevisionGoesToFailedNamingTheEarlierFile() throws {
        let inbox = try Inbox()
        let w = try inbox.watcher()
        inbox.drop("a.csv", Self.transactions(1, 3))
        _ = w.poll(now: Self.now)
        #expect(w.poll(now: Self.now.adding(seconds: 1)).first?.outcome == .imported(rows: 3, kind: "transactions"))
        var lines = Self.transactions(1, 3).split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: ",25.00,", with: ",52.00,")
        inbox.drop("b.csv", lines.joined(separator: "\n") + "\n")
        _ = w.poll(now: Self.now.adding(seconds: 2))
        let event = try #require(w.poll(now: Self.now.adding(seconds: 3)).first)
        guard case .failed(let line, let reason, _) = event.outcome else {
            Issue.record("expected a failure: \(event)")
            return
        }
        #expect(line == 3)
        #expect(reason.contains("stored from \(w.importedDirectory)/a.csv:3: amount 25.00 CNY there, 52.00 CNY here"))
        #expect(try inbox.count("reportFile") == 1)
    }

    /// A file with two revisions names both in its error file, each with both places.
    @Test func aFileWithTwoRevisionsNamesBothInItsErrorFile() throws {
        let inbox = try Inbox()
        let w = try inbox.watcher()
        inbox.drop("a.csv", Self.transactions(1, 3))
        _ = w.poll(now: Self.now)
        #expect(w.poll(now: Self.now.adding(seconds: 1)).first?.outcome == .imported(rows: 3, kind: "transactions"))
        var lines = Self.transactions(1, 3).split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: ",25.00,", with: ",52.00,")
        lines[3] = lines[3].replacingOccurrences(of: ",25.00,", with: ",26.00,")
        inbox.drop("b.csv", lines.joined(separator: "\n") + "\n")
        _ = w.poll(now: Self.now.adding(seconds: 2))
        let event = try #require(w.poll(now: Self.now.adding(seconds: 3)).first)
        guard case .failed(let line, _, let errorFile) = event.outcome else {
            Issue.record("expected a failure: \(event)")
            return
        }
        #expect(line == 2)
        let text = try String(contentsOfFile: errorFile, encoding: .utf8)
        #expect(text.contains("stored from \(w.importedDirectory)/a.csv:2: amount 25.00 CNY there, 52.00 CNY here (1 of 2 revisions in this file)"), "\(text)")
        #expect(text.contains("/b.csv:4: revises transaction RRN 700000000003 (sale, MID 898440358120013) stored from \(w.importedDirectory)/a.csv:4: amount 25.00 CNY there, 26.00 CNY here"), "\(text)")
        #expect(try inbox.count("reportFile") == 1)
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

    /// The reported fault: a writer pausing ~3.5 s at a line break had 199 of 500 rows
    /// imported as a success. Polled every second with the default quiet period, the
    /// pause is not taken for the end of the file.
    @Test func aWriterPausingAtALineBreakIsWaitedFor() throws {
        let inbox = try Inbox()
        let w = try inbox.watcher(quiet: nil)
        #expect(w.quietPeriodMillis == 5_000)
        let full = Self.transactions(1, 500)
        let lines = full.split(separator: "\n", omittingEmptySubsequences: false)
        let head = lines[0..<200].joined(separator: "\n") + "\n"      // the header and 199 rows
        inbox.drop("slow.csv", head)
        for ms in stride(from: 0, through: 3_500, by: 500) {
            #expect(w.poll(now: Instant(epochMillis: Self.now.epochMillis + Int64(ms))).isEmpty, "paused \(ms) ms")
        }
        try inbox.append("slow.csv", Data(full.utf8.dropFirst(head.utf8.count)))
        var events: [InboxEvent] = []
        for ms in stride(from: 4_000, through: 12_000, by: 1_000) {
            events += w.poll(now: Instant(epochMillis: Self.now.epochMillis + Int64(ms)))
            if !events.isEmpty { #expect(ms >= 9_000, "taken \(ms) ms in: before 5 s of quiet"); break }
        }
        #expect(events.map(\.outcome) == [.imported(rows: 500, kind: "transactions")])
        #expect(try inbox.count("txn") == 500)
    }

    /// A writer stopped mid-line for longer than the quiet period: the file waits, and
    /// is imported whole when the rest comes; never a partial success.
    @Test func aFileCutMidLineWaitsPastTheQuietPeriodThenGoesInWhole() throws {
        let inbox = try Inbox()
        let w = try inbox.watcher(quiet: nil)
        let full = Data(Self.transactions(1, 500).utf8)
        let cut = full.count / 2 + 7
        inbox.drop("slow.csv", "")
        try inbox.append("slow.csv", full.prefix(cut))
        #expect(full[cut - 1] != UInt8(ascii: "\n"), "cut inside a line")
        for s in [0, 6, 30, 120] as [Int64] {
            #expect(w.poll(now: Self.now.adding(seconds: s)).isEmpty, "\(s) s")
            #expect(w.waiting == ["slow.csv"])
        }
        #expect(try inbox.count("txn") == 0 && inbox.count("reportFile") == 0)
        try inbox.append("slow.csv", full.dropFirst(cut))
        #expect(w.poll(now: Self.now.adding(seconds: 121)).isEmpty)
        #expect(w.poll(now: Self.now.adding(seconds: 124)).isEmpty, "3 s quiet is not 5")
        let events = w.poll(now: Self.now.adding(seconds: 126))
        #expect(events.map(\.outcome) == [.imported(rows: 500, kind: "transactions")])
        #expect(try inbox.count("txn") == 500)
    }

    /// A cn-settlement statement whose profile requires the trailer: cut before it, it
    /// waits; with the trailer it goes in with every row.
    @Test func aStatementWithoutItsTrailerWaits() throws {
        let inbox = try Inbox()
        let w = try inbox.watcher(quiet: nil)
        let bytes = fixtureBytes("cn-statement-fen.gb18030.csv")
        // The bytes up to and including the line end before "合计" (0xBA 0xCF in GB18030).
        let marker: [UInt8] = [0x0A, 0xBA, 0xCF]
        let at = try #require((0..<(bytes.count - 2)).first { Array(bytes[$0..<$0 + 3]) == marker })
        inbox.drop("statement.csv", "")
        try inbox.append("statement.csv", bytes.prefix(at + 1))
        for s in [0, 6, 60] as [Int64] { #expect(w.poll(now: Self.now.adding(seconds: s)).isEmpty, "\(s) s") }
        #expect(w.waiting == ["statement.csv"])
        #expect(try inbox.count("txn") == 0 && inbox.count("reportFile") == 0)
        try inbox.append("statement.csv", bytes.dropFirst(at + 1))
        _ = w.poll(now: Self.now.adding(seconds: 61))
        let events = w.poll(now: Self.now.adding(seconds: 67))
        guard case .imported(let rows, _)? = events.first?.outcome else {
            Issue.record("\(events)")
            return
        }
        #expect(rows == 6, "the trailer counts 6")
        #expect(try inbox.count("reportFile") == 1)
    }

    /// An incomplete file that stops changing fails after the timeout, with the reason,
    /// and nothing of it in the store.
    @Test func anIncompleteFileFailsAfterTheTimeout() throws {
        let inbox = try Inbox()
        let w = try inbox.watcher(quiet: nil)
        w.incompleteTimeoutMillis = 60_000
        let full = Self.transactions(1, 10)
        inbox.drop("stuck.csv", String(full.dropLast(3)))
        #expect(w.poll(now: Self.now).isEmpty)
        #expect(w.poll(now: Self.now.adding(seconds: 59)).isEmpty)
        let events = w.poll(now: Self.now.adding(seconds: 60))
        guard case .failed(_, let reason, let errorFile)? = events.first?.outcome else {
            Issue.record("\(events)")
            return
        }
        #expect(reason.contains("no line end") && reason.contains("60 s"))
        #expect(events.first?.movedTo == w.failedDirectory + "/stuck.csv")
        #expect(try String(contentsOfFile: errorFile, encoding: .utf8).contains("reason: " + reason))
        #expect(try inbox.count("txn") == 0 && inbox.count("reportFile") == 0)
    }

    /// Marker mode: a complete-looking file waits for NAME.done; the marker leaves with it.
    @Test func withMarkersRequiredAFileWaitsForItsDoneMarker() throws {
        let inbox = try Inbox()
        let w = try inbox.watcher()
        w.requireDoneMarker = true
        inbox.drop("a.csv", Self.transactions(1, 3))
        inbox.drop("bad.csv", "merchant_id,nonsense\n1,2\n")
        for s in [0, 10, 100] as [Int64] { #expect(w.poll(now: Self.now.adding(seconds: s)).isEmpty) }
        #expect(w.waiting == ["a.csv", "bad.csv"])
        inbox.drop("a.csv.done", "")
        inbox.drop("bad.csv.done", "")
        inbox.drop("orphan.csv.done", "")
        let events = w.poll(now: Self.now.adding(seconds: 101))
        #expect(events.map(\.name) == ["a.csv", "bad.csv"])
        #expect(events.first?.outcome == .imported(rows: 3, kind: "transactions"))
        #expect(inbox.names() == ["failed", "imported", "orphan.csv.done"], "the markers left with their files")
        #expect(inbox.names("/imported") == ["a.csv"])
        #expect(inbox.names("/failed") == ["bad.csv", "bad.csv.error.txt"])
    }

    /// The import commits only if the file is still the one read: a change found before
    /// the commit rolls every row back.
    @Test func anImportWhoseCheckFailsBeforeCommitLeavesNothing() throws {
        let inbox = try Inbox()
        struct Changed: Error {}
        #expect(throws: Changed.self) {
            try inbox.store.importData(Data(Self.transactions(1, 20).utf8), name: "x.csv",
                                       options: ImportOptions(format: .auto, timeZone: shanghai)) { throw Changed() }
        }
        #expect(try inbox.count("txn") == 0 && inbox.count("reportFile") == 0)
        let s = try inbox.store.importData(Data(Self.transactions(1, 20).utf8), name: "x.csv",
                                           options: ImportOptions(format: .auto, timeZone: shanghai)) {}
        #expect(s.rows == 20 && !s.alreadyImported)
    }

    @Test func theInboxMustBeAFolder() throws {
        let inbox = try Inbox()
        #expect(throws: StoreError.self) {
            try InboxWatcher(directory: inbox.path + "/nope", store: inbox.store, options: ImportOptions(timeZone: shanghai))
        }
        #expect(InboxWatcher.isIgnored(".x.csv") && InboxWatcher.isIgnored("a.csv.Part") && !InboxWatcher.isIgnored("a.csv"))
        #expect(InboxWatcher.isIgnored("a.csv.done"))
    }
}
