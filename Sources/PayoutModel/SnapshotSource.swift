import PayoutCore

/// What one poll tells the monitor.
public enum PollEvent: Sendable, Hashable {
    /// A new snapshot, with the status after the poll.
    case snapshot(Snapshot, SyncStatus)
    /// No new snapshot; the status after the poll (synced, or stale with its reason).
    case status(SyncStatus)

    /// The event for a poll's answer: a snapshot if there was one, and the provider's status.
    public init(snapshot: Snapshot?, status: SyncStatus) {
        self = snapshot.map { .snapshot($0, status) } ?? .status(status)
    }
}

/// Where the monitor's loop gets its snapshots without running the polls itself.
///
/// The loop asks for a poll and goes on reading keys; the answers land in a mailbox
/// that the loop empties on each of its turns. A `SnapshotProvider` polls the store
/// where it is called, and may block there (a store another program holds locked
/// waits out the busy timeout), so the program puts one behind a source that polls
/// on a thread of its own (`BackgroundPoller` in PayoutSync); tests use
/// `ImmediateSnapshotSource`, which answers inside the request.
///
/// See docs/ARCHITECTURE.md, "The monitor loop".
public protocol SnapshotSource: AnyObject {
    /// Asks for a poll of `request` as of `now` (`force`: read even if nothing changed).
    /// Never waits for the poll. When one is already running, this request is kept and
    /// runs after it; a newer request replaces a kept one (a forced one stays forced),
    /// so the newest request is always served and polls never queue up.
    func requestPoll(request: ViewRequest, now: Instant, force: Bool)

    /// The answers that have arrived since the last call, oldest first, emptying the
    /// mailbox. When it is empty and a poll is asked for but unanswered, waits up to
    /// `waitingUpToMillis` for an answer (0: returns at once).
    func takeEvents(waitingUpToMillis: Int) -> [PollEvent]
}

extension SnapshotSource {
    /// The answers that have arrived, without waiting.
    public func takeEvents() -> [PollEvent] { takeEvents(waitingUpToMillis: 0) }
}

/// A source that polls its provider inside `requestPoll`, on the caller's thread, and
/// keeps the answer until it is taken: the embedded source, for tests (polls happen
/// exactly when the loop asks, so a scripted run is deterministic) and for providers
/// that never block. Not for a store's poller: a locked store would stall the caller.
public final class ImmediateSnapshotSource: SnapshotSource {
    public let provider: any SnapshotProvider
    private var mailbox: [PollEvent] = []

    public init(_ provider: any SnapshotProvider) {
        self.provider = provider
    }

    public func requestPoll(request: ViewRequest, now: Instant, force: Bool) {
        let snapshot = provider.poll(request: request, now: now, force: force)
        mailbox.append(PollEvent(snapshot: snapshot, status: provider.status))
    }

    /// Never waits: every request has been answered by the time it returns.
    public func takeEvents(waitingUpToMillis: Int) -> [PollEvent] {
        defer { mailbox = [] }
        return mailbox
    }
}
