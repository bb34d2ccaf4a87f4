import Dispatch
import Foundation
import PayoutCore
import PayoutModel

/// What a poll tells its listener.
public enum PollEvent: Sendable, Hashable {
    /// A new snapshot, with the status after the poll.
    case snapshot(Snapshot, SyncStatus)
    /// No new snapshot; the status after the poll (synced, or stale with its reason).
    case status(SyncStatus)
}

/// Runs a provider's polls on their own thread, so a slow poll (a store another
/// program holds locked until the busy timeout) never holds up the caller.
///
/// A poll asked for while one is running is dropped, not queued: the running poll
/// will report the newest state anyway, and a queue of polls behind a lock would only
/// replay old requests. Results arrive as events, in order, on the poller's thread.
public final class BackgroundPoller: @unchecked Sendable {
    private let provider: any SnapshotProvider
    private let onEvent: @Sendable (PollEvent) -> Void
    private let queue = DispatchQueue(label: "payoutmon.poller")
    private let lock = NSLock()
    private var running = false
    private var _dropped = 0

    /// Wraps `provider`, which from now on is used only on the poller's thread.
    public init(provider: any SnapshotProvider, onEvent: @escaping @Sendable (PollEvent) -> Void) {
        self.provider = provider
        self.onEvent = onEvent
    }

    /// True while a poll runs.
    public var isPolling: Bool { lock.withLock { running } }

    /// Polls asked for while another ran, and so dropped.
    public var dropped: Int { lock.withLock { _dropped } }

    /// Starts a poll unless one is running. Returns false when the request was dropped.
    @discardableResult
    public func requestPoll(request: ViewRequest, now: Instant, force: Bool = false) -> Bool {
        let start = lock.withLock { () -> Bool in
            if running { _dropped += 1; return false }
            running = true
            return true
        }
        guard start else { return false }
        queue.async { [self] in
            let snapshot = provider.poll(request: request, now: now, force: force)
            let status = provider.status
            lock.withLock { running = false }
            onEvent(snapshot.map { .snapshot($0, status) } ?? .status(status))
        }
        return true
    }

    /// Waits until no poll runs (for shutdown and tests). False on timeout.
    public func waitUntilIdle(timeout: TimeInterval) -> Bool {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        return done.wait(timeout: .now() + timeout) == .success
    }
}
