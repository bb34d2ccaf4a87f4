import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutModel
import PayoutStore
import PayoutSync
import Testing

/// Faults the monitor met on real stores: the WAL files replaced under its connection by
/// writers coming and going, and a store locked when it starts.
@Suite struct StoreFaultTests {
    let request = ViewRequest()
    static let t0 = at("2026-11-23 10:30")

    /// A writer process writes and exits; its -wal and -shm are removed as SQLite removes
    /// them on what it takes for the last close (checkpointed first, so nothing is lost);
    /// the next writer process creates new ones and writes. The poller, whose read-only
    /// connection still had the old ones open, sees every write within two polls.
    @Test(.timeLimit(.minutes(1)))
    func writesAfterTheWALFilesWereReplacedAreSeen() throws {
        let binary = try #require(payoutmonBinary, "the payoutmon binary is built next to the tests")
        let sqlite3 = try #require(["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/opt/homebrew/bin/sqlite3"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }, "the sqlite3 shell")
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        try makeStore(path, transactions: 5)
        let poller = StorePoller(path: path, rules: testRules, merchantId: nil)
        var now = Self.t0
        #expect(poller.poll(request: request, now: now, force: false)?.transactionTotal == 5)
        func importBatch(_ k: Int) throws {
            let file = dir.path + "/batch-\(k).csv"
            FileManager.default.createFile(atPath: file, contents: Data(transactionsCSV(first: 100 * k, count: 10).utf8))
            #expect(try runToEnd(binary, ["import", "--db", path, "--format", "canonical", file], home: dir.path) == 0)
        }
        func seenWithinTwoPolls(_ total: Int) -> Bool {
            for _ in 0..<2 {
                now = now.adding(seconds: 1)
                _ = poller.poll(request: request, now: now, force: false)
                if poller.lastSnapshot?.transactionTotal == total && poller.status.isSynced { return true }
            }
            return false
        }
        try importBatch(1)
        #expect(seenWithinTwoPolls(15))
        for k in 2...3 {
            #expect(try runToEnd(sqlite3, [path, "PRAGMA wal_checkpoint(TRUNCATE);"], home: dir.path) == 0)
            for sidecar in ["-wal", "-shm"] { unlink(path + sidecar) }
            try importBatch(k)
            #expect(seenWithinTwoPolls(5 + 10 * k), "after the WAL files were replaced (\(k - 1)): \(poller.status)")
        }
    }

    /// A store another program holds locked when the poller starts: the first poll says
    /// "locked" within the (short) busy timeout, retries come at least every 2 s, and the
    /// data comes at the first retry after the lock goes.
    @Test func aStoreLockedAtStartIsReadOnceTheLockGoes() throws {
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        try makeStore(path, transactions: 9)
        let lock = try RawSQLite(path: path)
        try lock.exec("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; DELETE FROM terminal WHERE 0;")
        try lock.exec("INSERT INTO terminal (merchantId, terminalId, name) VALUES ('x', 'y', 'z')")
        let poller = StorePoller(path: path, rules: testRules, merchantId: nil, busyTimeout: 0.2)
        let started = Date()
        #expect(poller.poll(request: request, now: Self.t0, force: false) == nil)
        #expect(Date().timeIntervalSince(started) < 3, "the busy timeout, not the default 5 s")
        #expect(poller.status.staleSince == Self.t0)
        #expect(poller.status.reason?.contains("locked") == true, "\(poller.status)")
        #expect(poller.lastSnapshot == nil)
        // Still locked: every retry fails, and they never come further apart than 2 s.
        var now = Self.t0
        for _ in 0..<6 {
            now = now.adding(seconds: 2)
            #expect(poller.poll(request: request, now: now, force: false) == nil)
            #expect(poller.status.reason?.contains("locked") == true)
        }
        #expect(poller.status.staleSince == Self.t0)
        try lock.exec("ROLLBACK")
        lock.close()
        now = now.adding(seconds: 2)
        #expect(poller.poll(request: request, now: now, force: false)?.transactionTotal == 9)
        #expect(poller.status.isSynced)
    }
}
