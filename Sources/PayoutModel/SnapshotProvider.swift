import PayoutCore

/// Polls for snapshots where it is called: the store's poller, or a fixed snapshot in
/// tests. A poll may block (the store's waits out another program's lock), so the
/// monitor reaches a provider through a `SnapshotSource`.
public protocol SnapshotProvider: AnyObject {
    /// A new snapshot when the store changed, the request changed, `force` is set, or
    /// time moved a state (a payout turning late); nil when nothing changed.
    func poll(request: ViewRequest, now: Instant, force: Bool) -> Snapshot?
    /// How fresh the data is, for the header.
    var status: SyncStatus { get }
}

/// A provider that always answers with snapshots made by a closure: for tests and
/// for showing a store read once.
public final class FixedSnapshotProvider: SnapshotProvider {
    private let make: (ViewRequest, Instant) -> Snapshot
    private var last: (ViewRequest, Instant)?
    public private(set) var status: SyncStatus

    public init(status: SyncStatus, make: @escaping (ViewRequest, Instant) -> Snapshot) {
        self.make = make
        self.status = status
    }

    public func poll(request: ViewRequest, now: Instant, force: Bool) -> Snapshot? {
        if !force, let last, last.0 == request, last.1 == now { return nil }
        last = (request, now)
        return make(request, now)
    }
}
