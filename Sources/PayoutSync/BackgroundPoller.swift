import Dispatch
import Foundation
import PayoutCore
import PayoutModel

/// Runs a provider's polls on a thread of its own, so a slow poll (a store another
/// program holds locked until the busy timeout) never holds up the caller, and leaves
/// the answers in a mailbox for `takeEvents`.
///
/// A poll asked for while one runs is kept and runs when it finishes; a newer request
/// replaces a kept one, and a kept forced request stays forced. So the newest request
/// (a filter typed during a slow poll) is always served, and a queue of polls behind a
/// lock never builds up to replay old requests. Answers arrive in the order the polls ran.
public final class BackgroundPoller: SnapshotSource, @unchecked Sendable {
    private struct Job {
        var request: ViewRequest
        var now: Instant
        var force: Bool
    }

    private let queue = DispatchQueue(label: "payoutmon.poller")
    /// Guards everything below; signalled when an answer arrives and when the poller goes idle.
    private let condition = NSCondition()
    /// Used only on `queue` while `running`; let go of at shutdown.
    private var provider: (any SnapshotProvider)?
    private var running = false
    private var pending: Job?
    private var mailbox: [PollEvent] = []
    private var closed = false
    private var _coalesced = 0

    /// Wraps `provider`, which from now on is used only on the poller's thread.
    public init(provider: any SnapshotProvider) {
        self.provider = provider
    }

    /// True while a poll runs or waits to run.
    public var isPolling: Bool { condition.withLock { running } }

    /// Requests that a newer one replaced before they ran.
    public var coalesced: Int { condition.withLock { _coalesced } }

    public func requestPoll(request: ViewRequest, now: Instant, force: Bool) {
        let start = condition.withLock { () -> Bool in
            guard !closed else { return false }
            if let kept = pending {
                _coalesced += 1
                pending = Job(request: request, now: now, force: force || kept.force)
            } else {
                pending = Job(request: request, now: now, force: force)
            }
            if running { return false }
            running = true
            return true
        }
        if start { queue.async { [self] in work() } }
    }

    public func takeEvents(waitingUpToMillis wait: Int) -> [PollEvent] {
        condition.withLock {
            if wait > 0 {
                let deadline = Date(timeIntervalSinceNow: Double(wait) / 1000)
                while mailbox.isEmpty && running && condition.wait(until: deadline) {}
            }
            defer { mailbox = [] }
            return mailbox
        }
    }

    /// Waits until no poll runs or waits to run (for shutdown and tests). False on timeout.
    public func waitUntilIdle(timeout: TimeInterval) -> Bool {
        condition.withLock {
            let deadline = Date(timeIntervalSinceNow: timeout)
            while running {
                if !condition.wait(until: deadline) { return !running }
            }
            return true
        }
    }

    /// Stops taking requests, forgets a kept one, and waits up to `timeout` for a running
    /// poll to finish; then lets go of the provider (closing a store's connection).
    /// False when the poll was still running at the deadline: it is left to finish on
    /// its own, and the provider with it.
    @discardableResult
    public func shutdown(timeout: TimeInterval) -> Bool {
        condition.withLock {
            closed = true
            pending = nil
        }
        guard waitUntilIdle(timeout: timeout) else { return false }
        condition.withLock { provider = nil }
        return true
    }

    /// The poller's thread: runs the kept request until there is none.
    private func work() {
        while let (job, provider) = next() {
            let snapshot = provider.poll(request: job.request, now: job.now, force: job.force)
            let event = PollEvent(snapshot: snapshot, status: provider.status)
            condition.withLock {
                mailbox.append(event)
                condition.broadcast()
            }
        }
    }

    /// The kept request to run next, or nil (the poller goes idle).
    private func next() -> (Job, any SnapshotProvider)? {
        condition.withLock {
            if !closed, let job = pending, let provider {
                pending = nil
                return (job, provider)
            }
            pending = nil
            running = false
            condition.broadcast()
            return nil
        }
    }
}
