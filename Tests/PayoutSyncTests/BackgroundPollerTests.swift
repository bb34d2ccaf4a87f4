import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutModel
import PayoutStore
import PayoutSync
import Testing

/// A provider whose every poll blocks until the test lets it go.
final class BlockingProvider: SnapshotProvider, @unchecked Sendable {
    struct Poll: Equatable {
        var request: ViewRequest
        var force: Bool
    }

    /// Signalled when a poll starts.
    let entered = DispatchSemaphore(value: 0)
    /// Each signal lets one poll finish.
    let release = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var _polls: [Poll] = []
    /// Polls started, in order.
    var polls: [Poll] { lock.withLock { _polls } }
    var status: SyncStatus { .synced(at: Instant(epochMillis: 0), changedAt: Instant(epochMillis: 0)) }

    func poll(request: ViewRequest, now: Instant, force: Bool) -> Snapshot? {
        lock.withLock { _polls.append(Poll(request: request, force: force)) }
        entered.signal()
        release.wait()
        return nil
    }
}

/// Another provider behind a gate: each poll says it has started, then waits for the
/// test to open the gate once for it.
final class GatedProvider: SnapshotProvider, @unchecked Sendable {
    let inner: any SnapshotProvider
    /// Signalled when a poll starts.
    let entered = DispatchSemaphore(value: 0)
    /// Each signal lets one poll go on.
    let gate = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var _started: [BlockingProvider.Poll] = []
    private var _finished = 0
    init(_ inner: any SnapshotProvider) { self.inner = inner }
    var status: SyncStatus { inner.status }
    /// Polls started, in order.
    var started: [BlockingProvider.Poll] { lock.withLock { _started } }
    /// Polls that have returned.
    var finished: Int { lock.withLock { _finished } }

    func poll(request: ViewRequest, now: Instant, force: Bool) -> Snapshot? {
        lock.withLock { _started.append(BlockingProvider.Poll(request: request, force: force)) }
        entered.signal()
        gate.wait()
        defer { lock.withLock { _finished += 1 } }
        return inner.poll(request: request, now: now, force: force)
    }
}

@Suite struct BackgroundPollerTests {
    let now = Instant(epochMillis: 1_000)
    let synced0 = PollEvent.status(.synced(at: Instant(epochMillis: 0), changedAt: Instant(epochMillis: 0)))

    @Test func theNewestRequestAskedForWhileAPollRunsRunsAfterIt() throws {
        let provider = BlockingProvider()
        let poller = BackgroundPoller(provider: provider)
        poller.requestPoll(request: ViewRequest(), now: now, force: false)
        #expect(provider.entered.wait(timeout: .now() + 5) == .success)
        #expect(poller.isPolling)
        // Three requests while it runs: the newest is kept, the forced one's force with it.
        poller.requestPoll(request: ViewRequest(transactionLimit: 5), now: now, force: true)
        poller.requestPoll(request: ViewRequest(filter: "88"), now: now, force: false)
        poller.requestPoll(request: ViewRequest(filter: "880"), now: now, force: false)
        #expect(poller.coalesced == 2)
        #expect(poller.takeEvents().isEmpty, "nothing has answered yet")
        provider.release.signal()
        #expect(provider.entered.wait(timeout: .now() + 5) == .success, "the kept request runs after the first")
        #expect(provider.polls.last == BlockingProvider.Poll(request: ViewRequest(filter: "880"), force: true))
        provider.release.signal()
        #expect(poller.waitUntilIdle(timeout: 5))
        #expect(!poller.isPolling)
        #expect(provider.polls.count == 2, "replaced requests never run")
        #expect(poller.takeEvents() == [synced0, synced0])
        #expect(poller.takeEvents().isEmpty, "taking empties the mailbox")
        // Idle again: the next request runs at once.
        poller.requestPoll(request: ViewRequest(), now: now, force: false)
        #expect(provider.entered.wait(timeout: .now() + 5) == .success)
        provider.release.signal()
        #expect(poller.waitUntilIdle(timeout: 5))
        #expect(provider.polls.count == 3)
    }

    @Test func takingWaitsOnlyForAnAnswerThatIsOwed() throws {
        let provider = BlockingProvider()
        let poller = BackgroundPoller(provider: provider)
        // Nothing asked for: no wait, however long the caller would allow.
        let start = Date()
        #expect(poller.takeEvents(waitingUpToMillis: 60_000).isEmpty)
        #expect(Date().timeIntervalSince(start) < 30)
        poller.requestPoll(request: ViewRequest(), now: now, force: false)
        #expect(provider.entered.wait(timeout: .now() + 5) == .success)
        // A poll that does not answer: the wait runs out empty.
        #expect(poller.takeEvents(waitingUpToMillis: 20).isEmpty)
        // One that answers: the wait ends with its answer.
        provider.release.signal()
        #expect(poller.takeEvents(waitingUpToMillis: 60_000) == [synced0])
        #expect(poller.waitUntilIdle(timeout: 5))
    }

    @Test func shutdownForgetsTheKeptRequestAndTakesNoMore() throws {
        let provider = BlockingProvider()
        let poller = BackgroundPoller(provider: provider)
        poller.requestPoll(request: ViewRequest(), now: now, force: false)
        #expect(provider.entered.wait(timeout: .now() + 5) == .success)
        poller.requestPoll(request: ViewRequest(filter: "880"), now: now, force: true)
        #expect(!poller.shutdown(timeout: 0.01), "the running poll outlives a short shutdown")
        provider.release.signal()
        #expect(poller.waitUntilIdle(timeout: 5))
        poller.requestPoll(request: ViewRequest(), now: now, force: true)
        #expect(!poller.isPolling)
        #expect(poller.shutdown(timeout: 5))
        #expect(provider.polls.count == 1, "neither the kept request nor a later one ran")
    }

    @Test func itReportsSnapshotsAndStatusFromTheStore() throws {
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        try makeStore(path, transactions: 5)
        let poller = BackgroundPoller(provider: StorePoller(path: path, rules: testRules, merchantId: nil))
        let now = at("2026-11-23 10:30")
        poller.requestPoll(request: ViewRequest(), now: now, force: false)
        #expect(poller.waitUntilIdle(timeout: 10))
        poller.requestPoll(request: ViewRequest(), now: now.adding(seconds: 1), force: false)
        #expect(poller.waitUntilIdle(timeout: 10))
        let all = poller.takeEvents()
        #expect(all.count == 2)
        if case .snapshot(let s, let status) = all.first {
            #expect(s.transactionTotal == 5)
            #expect(status == .synced(at: now, changedAt: now))
        } else {
            Issue.record("first event: \(String(describing: all.first))")
        }
        #expect(all.last == .status(.synced(at: now.adding(seconds: 1), changedAt: now)))
    }

    /// Another program holds the store locked: the poll reports "locked" after the busy
    /// timeout (half a second here), and a filter asked for while it waited is read as
    /// soon as that poll is over and the lock is gone.
    @Test func aFilterAskedForWhileTheStoreIsLockedIsReadAfterwards() throws {
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        try makeStore(path, transactions: 9)
        let lock = try RawSQLite(path: path)
        try lock.exec("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; DELETE FROM terminal WHERE 0;")
        try lock.exec("INSERT INTO terminal (merchantId, terminalId, name) VALUES ('x', 'y', 'z')")
        let provider = GatedProvider(StorePoller(path: path, rules: testRules, merchantId: nil, busyTimeout: 0.5))
        let poller = BackgroundPoller(provider: provider)
        let now = at("2026-11-23 10:30")
        poller.requestPoll(request: ViewRequest(), now: now, force: true)
        #expect(provider.entered.wait(timeout: .now() + 5) == .success)
        let filtered = ViewRequest(filter: "900000000003")
        poller.requestPoll(request: filtered, now: now, force: true)
        #expect(poller.takeEvents().isEmpty)
        provider.gate.signal()
        let first = poller.takeEvents(waitingUpToMillis: 10_000)
        #expect(first.count == 1)
        if case .status(let status) = first.first {
            #expect(status.reason?.contains("locked") == true, "\(status)")
        } else {
            Issue.record("first event: \(first)")
        }
        #expect(provider.entered.wait(timeout: .now() + 5) == .success, "the filter's poll comes next")
        try lock.exec("ROLLBACK")
        lock.close()
        provider.gate.signal()
        #expect(poller.waitUntilIdle(timeout: 10))
        let second = poller.takeEvents()
        if case .snapshot(let s, let status) = second.first, second.count == 1 {
            #expect(s.request == filtered)
            #expect(s.transactionTotal == 1)
            #expect(status.isSynced)
        } else {
            Issue.record("second events: \(second)")
        }
        #expect(poller.shutdown(timeout: 5))
    }
}

/// The embedded source: each request is answered before it returns, in order.
@Suite struct ImmediateSnapshotSourceTests {
    @Test func answersInsideTheRequestAndKeepsTheAnswersUntilTaken() {
        let source = ImmediateSnapshotSource(Fixture.provider())
        source.requestPoll(request: ViewRequest(), now: Fixture.now, force: false)
        source.requestPoll(request: ViewRequest(), now: Fixture.now, force: false)
        source.requestPoll(request: ViewRequest(filter: "880"), now: Fixture.now, force: false)
        let events = source.takeEvents(waitingUpToMillis: 60_000)
        #expect(events == [.snapshot(Fixture.snapshot(ViewRequest()), Fixture.sync), .status(Fixture.sync),
                           .snapshot(Fixture.snapshot(ViewRequest(filter: "880")), Fixture.sync)])
        #expect(source.takeEvents().isEmpty)
    }
}
