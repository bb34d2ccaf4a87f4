import Foundation
import PayoutCore
import PayoutModel
import PayoutStore

/// Polls the store for other processes' writes and reads a new snapshot when something changed.
///
/// One dedicated read-only connection asks `PRAGMA data_version`, which changes when
/// another connection commits; GRDB's observation cannot see other processes' writes.
/// A snapshot is read only when that number moved, the request changed, a "poll now"
/// was asked for, or the clock crossed a pending row's late time. On any fault the
/// last good snapshot stays, the status turns stale with the reason, and the poller
/// retries with backoff until the store is good again. It never writes.
///
/// When the store changed (another connection committed, or the file's size or
/// modification time moved without a commit: a checkpoint, or someone overwriting or
/// truncating it), the connection is reopened, which checks the file is still a
/// payoutmon store with a schema this program knows, before the snapshot is read.
///
/// The connection is also reopened when the store's `-wal` or `-shm` file was removed or
/// replaced under it (a writer that believed it was the last connection deletes them on
/// close, the next one creates new ones: an open connection would keep reading the old
/// ones and never see another commit), and at once when a read fails with an I/O error.
public final class StorePoller: SnapshotProvider {
    public let path: String
    /// How long a read waits for another program's lock before the poll reports the store locked.
    public let busyTimeout: TimeInterval
    let reader: SnapshotReader
    private var store: PayoutStore?
    private var fileStamp: FileStamp?
    /// The identity (device, inode) of the `-wal` and `-shm` files when the connection opened.
    private var sidecars: [FileIdentity?] = []
    /// How many times the connection was reopened (for tests).
    public private(set) var reopens = 0
    private var lastVersion: Int?
    private var lastRequest: ViewRequest?
    private var lastNow: Instant?
    /// The earliest late time of a pending row after the last read: crossing it changes a state.
    private var nextBoundary: Instant?
    private var retryAt: Instant?
    private var backoffMillis: Int64 = 0
    public private(set) var status: SyncStatus = .starting
    public private(set) var lastSnapshot: Snapshot?
    /// How many snapshots were read (for tests and benchmarks).
    public private(set) var reads = 0

    public static let maxBackoffMillis: Int64 = 30_000
    /// A locked store is tried again at least this often, so the data comes soon after the lock goes.
    public static let lockedRetryMillis: Int64 = 2_000

    public init(path: String, rules: SettlementRules, merchantId: String?, busyTimeout: TimeInterval = PayoutStore.busyTimeout) {
        self.path = path
        self.busyTimeout = busyTimeout
        self.reader = SnapshotReader(rules: rules, merchantId: merchantId)
    }

    public func poll(request: ViewRequest, now: Instant, force: Bool) -> Snapshot? {
        if let retryAt, now < retryAt, !force { return nil }
        do {
            return try pollOnce(request: request, now: now, force: force)
        } catch let e as StoreError where e.code == .ioError {
            // The files under the connection changed: a fresh connection reads them, now.
            store = nil
            do { return try pollOnce(request: request, now: now, force: true) } catch {
                fail(now: now, reason: Self.reason(error))
                return nil
            }
        } catch {
            fail(now: now, reason: Self.reason(error), locked: (error as? StoreError)?.code == .locked)
            return nil
        }
    }

    private func pollOnce(request: ViewRequest, now: Instant, force: Bool) throws -> Snapshot? {
        do {
            var store = try openIfNeeded()
            var version = try store.dataVersion()
            // A state turns late when now passes its late time (not at it).
            let crossed = nextBoundary.map { now > $0 } ?? false
            let changed = version != lastVersion
            guard force || changed || crossed || request != lastRequest || lastSnapshot == nil else {
                markSynced(now: now, changed: false)
                return nil
            }
            if changed && lastVersion != nil {
                // Another program wrote: it may have migrated the schema, so check it again.
                store = try reopen()
                version = try store.dataVersion()
            }
            // The version is read before the snapshot: a commit in between is read again next time, never missed.
            let reader = self.reader
            let (snapshot, boundary) = try store.read(rules: reader.rules) { r in
                (try reader.read(r, request: request, now: now),
                 try r.nextLateBoundary(after: Instant(epochMillis: now.epochMillis - 1)))
            }
            nextBoundary = boundary
            lastVersion = version
            if !force && !crossed && request == lastRequest, case .synced = status, var last = lastSnapshot {
                // A commit (or a checkpoint) that changed nothing shown is not news.
                last.now = snapshot.now
                if last == snapshot {
                    markSynced(now: now, changed: false)
                    return nil
                }
            }
            lastRequest = request
            lastSnapshot = snapshot
            reads += 1
            markSynced(now: now, changed: changed || lastNow == nil)
            lastNow = now
            return snapshot
        }
    }

    private func markSynced(now: Instant, changed: Bool) {
        retryAt = nil
        backoffMillis = 0
        switch status {
        case .synced(_, let changedAt) where !changed: status = .synced(at: now, changedAt: changedAt)
        default: status = .synced(at: now, changedAt: now)
        }
    }

    private func fail(now: Instant, reason: String, locked: Bool = false) {
        store = nil
        fileStamp = nil
        lastVersion = nil
        backoffMillis = min(locked ? Self.lockedRetryMillis : Self.maxBackoffMillis, max(500, backoffMillis * 2))
        retryAt = Instant(epochMillis: now.epochMillis + backoffMillis)
        switch status {
        case .stale(let since, _): status = .stale(since: since, reason: reason)
        default: status = .stale(since: now, reason: reason)
        }
    }

    /// The file's identity, size and modification time: a change of identity means the
    /// file was replaced; a change of size or time without a commit means it was
    /// checkpointed, or written behind SQLite's back.
    func currentStamp() throws -> FileStamp {
        guard let stamp = FileStamp.of(path) else { throw StoreError(.missingStore, "the store \(path) is missing") }
        return stamp
    }

    /// Opens the store, or reopens it when the file at `path` was replaced or changed
    /// outside a commit.
    private func openIfNeeded() throws -> PayoutStore {
        let stamp = try currentStamp()
        if let store, let fileStamp, fileStamp == stamp, sidecars == currentSidecars() { return store }
        return try reopen(stamp: stamp)
    }

    /// A fresh read-only connection: opening checks the header and the schema.
    private func reopen(stamp: FileStamp? = nil) throws -> PayoutStore {
        store = nil
        let stamp = try stamp ?? currentStamp()
        let opened = try PayoutStore.openReadOnly(path: path, busyTimeout: busyTimeout)
        store = opened
        fileStamp = stamp
        // After the open's first read, which creates the -shm when there is none.
        sidecars = currentSidecars()
        reopens += 1
        lastVersion = nil
        return opened
    }

    /// Which `-wal` and `-shm` files are there now (nil for one that is not).
    private func currentSidecars() -> [FileIdentity?] {
        ["-wal", "-shm"].map { FileStamp.of(path + $0).map(FileIdentity.init) }
    }

    static func reason(_ error: any Error) -> String {
        if let e = error as? StoreError { return e.message }
        return "\(error)"
    }
}

/// Which file is at a path: the same device and inode is the same file, whatever was written to it.
struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64
    init(_ stamp: FileStamp) {
        device = stamp.device
        inode = stamp.inode
    }
}
