import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutModel
import PayoutStore
import PayoutSync
import Testing

/// A provider whose poll blocks until the test lets it go.
final class BlockingProvider: SnapshotProvider, @unchecked Sendable {
    let entered = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var _polls = 0
    var polls: Int { lock.withLock { _polls } }
    var status: SyncStatus { .synced(at: Instant(epochMillis: 0), changedAt: Instant(epochMillis: 0)) }

    func poll(request: ViewRequest, now: Instant, force: Bool) -> Snapshot? {
        lock.withLock { _polls += 1 }
        entered.signal()
        release.wait()
        return nil
    }
}

/// Collects events from the poller's thread.
final class Events: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [PollEvent] = []
    func add(_ e: PollEvent) { lock.withLock { list.append(e) } }
    var all: [PollEvent] { lock.withLock { list } }
}

@Suite struct BackgroundPollerTests {
    @Test func aPollAskedForWhileOneRunsIsDropped() throws {
        let provider = BlockingProvider()
        let events = Events()
        let poller = BackgroundPoller(provider: provider) { events.add($0) }
        let now = Instant(epochMillis: 1_000)
        #expect(poller.requestPoll(request: ViewRequest(), now: now))
        #expect(provider.entered.wait(timeout: .now() + 5) == .success)
        #expect(poller.isPolling)
        #expect(!poller.requestPoll(request: ViewRequest(), now: now))
        #expect(!poller.requestPoll(request: ViewRequest(transactionLimit: 5), now: now, force: true))
        #expect(poller.dropped == 2)
        provider.release.signal()
        #expect(poller.waitUntilIdle(timeout: 5))
        #expect(!poller.isPolling)
        #expect(provider.polls == 1, "dropped polls do not run later")
        #expect(events.all.count == 1)
        // Free again: the next request runs.
        #expect(poller.requestPoll(request: ViewRequest(), now: now))
        #expect(provider.entered.wait(timeout: .now() + 5) == .success)
        provider.release.signal()
        #expect(poller.waitUntilIdle(timeout: 5))
        #expect(provider.polls == 2)
    }

    @Test func itReportsSnapshotsAndStatusFromTheStore() throws {
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        try makeStore(path, transactions: 5)
        let events = Events()
        let poller = BackgroundPoller(provider: StorePoller(path: path, rules: testRules, merchantId: nil)) { events.add($0) }
        let now = at("2026-11-23 10:30")
        #expect(poller.requestPoll(request: ViewRequest(), now: now))
        #expect(poller.waitUntilIdle(timeout: 10))
        #expect(poller.requestPoll(request: ViewRequest(), now: now.adding(seconds: 1)))
        #expect(poller.waitUntilIdle(timeout: 10))
        let all = events.all
        #expect(all.count == 2)
        if case .snapshot(let s, let status) = all.first {
            #expect(s.transactionTotal == 5)
            #expect(status == .synced(at: now, changedAt: now))
        } else {
            Issue.record("first event: \(String(describing: all.first))")
        }
        #expect(all.last == .status(.synced(at: now.adding(seconds: 1), changedAt: now)))
    }
}
