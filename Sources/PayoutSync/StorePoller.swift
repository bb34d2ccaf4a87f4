import Foundation
import PayoutCore
import PayoutStore

/// Polls the store for other processes' writes and reads a new snapshot when something changed.
///
/// One dedicated read-only connection asks `PRAGMA data_version`, which changes when
/// another connection commits; GRDB's observation cannot see other processes' writes.
/// A snapshot is read only when that number moved, the request changed, a "poll now"
/// was asked for, or the clock crossed a pending row's late time. On any fault the
/// last good snapshot stays, the status turns stale with the reason, and the poller
/// retries with backoff until the store is good again. It never writes.
public final class StorePoller: SnapshotProvider {
    public let path: String
    let reader: SnapshotReader
    private var store: PayoutStore?
    private var fileIdentity: (dev: UInt64, ino: UInt64)?
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

    public init(path: String, rules: SettlementRules, merchantId: String?) {
        self.path = path
        self.reader = SnapshotReader(rules: rules, merchantId: merchantId)
    }

    public func poll(request: ViewRequest, now: Instant, force: Bool) -> Snapshot? {
        if let retryAt, now < retryAt, !force { return nil }
        do {
            let store = try openIfNeeded()
            let version = try store.dataVersion()
            let crossed = nextBoundary.map { now >= $0 } ?? false
            let changed = version != lastVersion
            guard force || changed || crossed || request != lastRequest || lastSnapshot == nil else {
                markSynced(now: now, changed: false)
                return nil
            }
            let snapshot = try reader.read(store, request: request, now: now)
            nextBoundary = try store.read(rules: reader.rules) { r in try r.nextLateBoundary(after: now) }
            lastVersion = version
            lastRequest = request
            lastSnapshot = snapshot
            reads += 1
            markSynced(now: now, changed: changed || lastNow == nil)
            lastNow = now
            return snapshot
        } catch {
            fail(now: now, reason: Self.reason(error))
            return nil
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

    private func fail(now: Instant, reason: String) {
        store = nil
        fileIdentity = nil
        lastVersion = nil
        backoffMillis = min(Self.maxBackoffMillis, max(500, backoffMillis * 2))
        retryAt = Instant(epochMillis: now.epochMillis + backoffMillis)
        switch status {
        case .stale(let since, _): status = .stale(since: since, reason: reason)
        default: status = .stale(since: now, reason: reason)
        }
    }

    /// Opens the store, or reopens it when the file at `path` was replaced.
    private func openIfNeeded() throws -> PayoutStore {
        var st = stat()
        guard stat(path, &st) == 0 else { throw StoreError(.missingStore, "the store \(path) is missing") }
        let identity = (UInt64(st.st_dev), UInt64(st.st_ino))
        if let store, let fileIdentity, fileIdentity == identity { return store }
        let opened = try PayoutStore.openReadOnly(path: path)
        store = opened
        fileIdentity = identity
        lastVersion = nil
        return opened
    }

    static func reason(_ error: any Error) -> String {
        if let e = error as? StoreError { return e.message }
        return "\(error)"
    }
}
