import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutFormats
import PayoutModel
import PayoutStore
import PayoutSync
import Testing

/// The poller: reads only when something changed, moves lateness with the clock, and
/// rides out every fault of the store with its last good snapshot.
@Suite struct StorePollerTests {
    let request = ViewRequest()
    static let t0 = at("2026-11-23 10:30")

    @Test func readsOnlyWhenSomethingChanged() throws {
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        try makeStore(path, transactions: 10)
        let poller = StorePoller(path: path, rules: testRules, merchantId: nil)
        #expect(poller.status == .starting)
        let first = try #require(poller.poll(request: request, now: Self.t0, force: false))
        #expect(first.transactionTotal == 10 && first.summary.transactions == 10)
        #expect(poller.status == .synced(at: Self.t0, changedAt: Self.t0))
        // Nothing changed: no read, but the sync time moves on.
        let t1 = Self.t0.adding(seconds: 1)
        #expect(poller.poll(request: request, now: t1, force: false) == nil)
        #expect(poller.reads == 1)
        #expect(poller.status == .synced(at: t1, changedAt: Self.t0))
        // Another connection commits: the next poll reads it.
        let writer = try PayoutStore.openForWriting(path: path)
        try addTransactions(writer, first: 11, count: 5)
        let t2 = Self.t0.adding(seconds: 2)
        #expect(poller.poll(request: request, now: t2, force: false)?.transactionTotal == 15)
        #expect(poller.status == .synced(at: t2, changedAt: t2))
        // A new request, or "poll now", reads again without a change.
        #expect(poller.poll(request: ViewRequest(transactionLimit: 3), now: t2, force: false)?.transactions.count == 3)
        #expect(poller.poll(request: ViewRequest(transactionLimit: 3), now: t2, force: true) != nil)
        #expect(poller.reads == 4)
        // A commit that changes nothing shown (the same file again) is not news.
        try addTransactions(writer, first: 11, count: 5)
        #expect(poller.poll(request: ViewRequest(transactionLimit: 3), now: t2.adding(seconds: 1), force: false) == nil)
    }

    /// A T+1 sale of Monday 10:00 is due Tuesday by 18:00, late after 20:00 (grace 120
    /// minutes): the poller reads it again when the clock passes that, with no write.
    /// A settlement report covers Tuesday (a payout of another sale), so the sale is
    /// pending, not awaiting a report.
    @Test func latenessMovesWithTheClock() throws {
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        try makeStore(path, transactions: 1)
        _ = try PayoutStore.openForWriting(path: path).importData(Data("""
            merchant_id,payout_ref,cycle_date,expected_amount,paid_amount,currency,status,expected_arrival,credited_at,bank_ref,failure_code
            898440358120013,P-OTHER,2026-11-24,10.00,10.00,CNY,paid,,2026-11-24 10:00:00,,

            """.utf8), name: "test/payouts.csv",
            options: ImportOptions(format: .canonical, timeZone: shanghai, rules: testRules, now: at("2026-11-23 10:30")))
        let poller = StorePoller(path: path, rules: testRules, merchantId: nil)
        let monday = try #require(poller.poll(request: request, now: at("2026-11-23 11:00"), force: false))
        #expect(monday.summary.pending == 1 && monday.summary.late == 0)
        let lateAfter = try #require(monday.transactions.first?.lateAfter)
        #expect(lateAfter == at("2026-11-24 20:00"))
        #expect(poller.poll(request: request, now: at("2026-11-24 19:59"), force: false) == nil)
        #expect(poller.poll(request: request, now: lateAfter, force: false) == nil, "late only after its late time")
        let now = Instant(epochMillis: lateAfter.epochMillis + 1)
        let late = try #require(poller.poll(request: request, now: now, force: false))
        #expect(late.summary.late == 1 && late.summary.pending == 0)
        #expect(late.transactions.first?.state(at: late.now) == .late)
        #expect(late.now == now)
        #expect(poller.poll(request: request, now: now.adding(minutes: 5), force: false) == nil, "no later boundary")
        #expect(poller.reads == 2)
    }

    @Test func aMissingStoreIsStaleUntilItAppears() throws {
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        let poller = StorePoller(path: path, rules: testRules, merchantId: nil)
        #expect(poller.poll(request: request, now: Self.t0, force: false) == nil)
        #expect(poller.status.staleSince == Self.t0)
        #expect(poller.status.reason?.contains("missing") == true)
        try makeStore(path, transactions: 3)
        // Backoff: not before 500 ms have passed.
        #expect(poller.poll(request: request, now: Self.t0.adding(seconds: 0), force: false) == nil)
        #expect(poller.status.isStale)
        let t1 = Instant(epochMillis: Self.t0.epochMillis + 500)
        #expect(poller.poll(request: request, now: t1, force: false)?.transactionTotal == 3)
        #expect(poller.status == .synced(at: t1, changedAt: t1))

        // Deleted while watched: stale, the last snapshot kept; back when recreated.
        removeStore(path)
        let t2 = t1.adding(seconds: 10)
        #expect(poller.poll(request: request, now: t2, force: false) == nil)
        #expect(poller.status.staleSince == t2)
        #expect(poller.lastSnapshot?.transactionTotal == 3)
        try makeStore(path, transactions: 7)
        #expect(poller.poll(request: request, now: t2.adding(seconds: 1), force: false)?.transactionTotal == 7)
        #expect(poller.status.isSynced)
    }

    /// A program holding the store in exclusive locking mode: the poller, opening it,
    /// waits out the busy timeout, reports "locked" and tries again later. The timeout
    /// is cut to 50 ms here (the program's is `PayoutStore.busyTimeout`, 5 s).
    @Test func aLockedStoreIsStaleUntilReleased() throws {
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        try makeStore(path, transactions: 2)
        let poller = StorePoller(path: path, rules: testRules, merchantId: nil, busyTimeout: 0.05)
        #expect(poller.poll(request: request, now: Self.t0, force: false)?.transactionTotal == 2)
        // The store is recreated while the monitor runs, and the new one is locked.
        removeStore(path)
        #expect(poller.poll(request: request, now: Self.t0.adding(seconds: 1), force: false) == nil)
        try makeStore(path, transactions: 9)
        let lock = try RawSQLite(path: path)
        try lock.exec("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; DELETE FROM terminal WHERE 0;")
        try lock.exec("INSERT INTO terminal (merchantId, terminalId, name) VALUES ('x', 'y', 'z')")
        let t1 = Self.t0.adding(seconds: 2)
        #expect(poller.poll(request: request, now: t1, force: false) == nil)
        #expect(poller.status.reason?.contains("locked") == true, "\(poller.status)")
        #expect(poller.lastSnapshot?.transactionTotal == 2)
        try lock.exec("ROLLBACK")
        lock.close()
        let t2 = t1.adding(seconds: 1)
        #expect(poller.poll(request: request, now: t2, force: false)?.transactionTotal == 9)
        #expect(poller.status.isSynced)
    }

    /// Replaced by renaming another file over it: a good store is read at once; a file
    /// that is not a store is stale until a good one takes its place.
    @Test func aReplacedStoreIsReadFromItsNewFile() throws {
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        try makeStore(path, transactions: 4)
        let poller = StorePoller(path: path, rules: testRules, merchantId: nil)
        #expect(poller.poll(request: request, now: Self.t0, force: false)?.transactionTotal == 4)

        /// What a careful replacer does: the new file complete (no WAL of its own), renamed
        /// over the store, and the old store's WAL and index removed.
        func replace(with other: String) {
            #expect(rename(other, path) == 0)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let garbage = dir.path + "/garbage.tmp"
        FileManager.default.createFile(atPath: garbage, contents: Data(repeating: 0x41, count: 8192))
        replace(with: garbage)
        let t1 = Self.t0.adding(seconds: 1)
        #expect(poller.poll(request: request, now: t1, force: false) == nil)
        #expect(poller.status.reason?.contains("not a SQLite database") == true, "\(poller.status)")
        #expect(poller.lastSnapshot?.transactionTotal == 4)

        let fresh = dir.path + "/fresh.tmp"
        try makeStore(fresh, transactions: 6)
        replace(with: fresh)
        #expect(poller.poll(request: request, now: t1.adding(seconds: 1), force: false)?.transactionTotal == 6)
        #expect(poller.status.isSynced)

        let another = dir.path + "/another.tmp"
        try makeStore(another, transactions: 8)
        replace(with: another)
        #expect(poller.poll(request: request, now: t1.adding(seconds: 2), force: false)?.transactionTotal == 8,
                "a good replacement needs no retry")
    }

    /// Bytes overwritten or the file cut short behind SQLite's back: stale, then good
    /// again when the bytes are restored.
    @Test func aCorruptOrTruncatedStoreIsStaleUntilRestored() throws {
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        try makeStore(path, transactions: 20)
        let poller = StorePoller(path: path, rules: testRules, merchantId: nil)
        #expect(poller.poll(request: request, now: Self.t0, force: false)?.transactionTotal == 20)
        let raw = try RawSQLite(path: path)
        try raw.exec("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.close()
        let good = try Data(contentsOf: URL(fileURLWithPath: path))

        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 100))
        try handle.close()
        let t1 = Self.t0.adding(seconds: 1)
        #expect(poller.poll(request: request, now: t1, force: false) == nil)
        #expect(poller.status.reason?.contains("not a") == true, "\(poller.status)")
        #expect(poller.lastSnapshot?.transactionTotal == 20)

        #expect(truncate(path, 0) == 0)
        let t2 = t1.adding(seconds: 1)
        #expect(poller.poll(request: request, now: t2, force: false) == nil)
        #expect(poller.status.staleSince == t1, "still stale since the first fault")
        #expect(poller.status.reason?.contains("schema") == true, "\(poller.status)")

        #expect(truncate(path, off_t(good.count / 2)) == 0)
        let out = try #require(FileHandle(forWritingAtPath: path))
        try out.write(contentsOf: good.prefix(4096))
        try out.close()
        let t3 = t2.adding(seconds: 2)
        _ = poller.poll(request: request, now: t3, force: false)
        #expect(poller.status.isStale, "a store cut in half is not readable: \(poller.status)")

        try good.write(to: URL(fileURLWithPath: path))
        let t4 = t3.adding(seconds: 30)
        _ = poller.poll(request: request, now: t4, force: false)
        #expect(poller.status.isSynced, "\(poller.status)")
        #expect(poller.lastSnapshot?.transactionTotal == 20)
    }

    /// A newer payoutmon migrated the store: this one must not read a schema it does not
    /// know, even on a connection it opened before.
    @Test func aStoreMigratedByANewerProgramIsStale() throws {
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        try makeStore(path, transactions: 4)
        let poller = StorePoller(path: path, rules: testRules, merchantId: nil)
        #expect(poller.poll(request: request, now: Self.t0, force: false)?.transactionTotal == 4)
        let raw = try RawSQLite(path: path)
        try raw.exec("INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        let t1 = Self.t0.adding(seconds: 1)
        #expect(poller.poll(request: request, now: t1, force: false) == nil)
        #expect(poller.status.reason?.contains("newer payoutmon") == true, "\(poller.status)")
        #expect(poller.lastSnapshot?.transactionTotal == 4)
        // Retries keep the first time it went stale, and back off.
        #expect(poller.poll(request: request, now: t1.adding(seconds: 1), force: false) == nil)
        #expect(poller.status.staleSince == t1)
        try raw.exec("DELETE FROM grdb_migrations WHERE identifier = 'v99-from-the-future'")
        raw.close()
        #expect(poller.poll(request: request, now: t1.adding(seconds: 1), force: false) == nil,
                "backoff: 1 s after the second failure")
        _ = poller.poll(request: request, now: t1.adding(seconds: 3), force: false)
        #expect(poller.status.isSynced, "\(poller.status)")
        #expect(poller.lastSnapshot?.transactionTotal == 4)
    }

    /// Retries wait 0.5 s, then twice as long after each failure, up to 30 s; "poll now" does not wait.
    @Test func retriesBackOffUpToAMaximum() throws {
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        let poller = StorePoller(path: path, rules: testRules, merchantId: nil)
        var now = Self.t0
        var wait: Int64 = 500
        _ = poller.poll(request: request, now: now, force: false)
        for _ in 0..<8 {
            now = Instant(epochMillis: now.epochMillis + wait)
            _ = poller.poll(request: request, now: now, force: false)
            wait = min(StorePoller.maxBackoffMillis, wait * 2)
        }
        #expect(wait == 30_000)
        try makeStore(path, transactions: 1)
        #expect(poller.poll(request: request, now: Instant(epochMillis: now.epochMillis + wait - 1), force: false) == nil)
        #expect(poller.status.staleSince == Self.t0)
        #expect(poller.poll(request: request, now: Instant(epochMillis: now.epochMillis + wait), force: false) != nil)

        removeStore(path)
        let t1 = Instant(epochMillis: now.epochMillis + wait + 1)
        _ = poller.poll(request: request, now: t1, force: false)
        try makeStore(path, transactions: 2)
        #expect(poller.poll(request: request, now: t1, force: true)?.transactionTotal == 2, "poll now")
    }
}
