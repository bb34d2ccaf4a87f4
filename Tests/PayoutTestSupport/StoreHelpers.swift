import Foundation
import GRDB
import PayoutStore

/// A new store in memory, its schema migrated: for every test that needs no file.
public func memoryStore() throws -> WritableStore { try WritableStore(DatabaseQueue()) }

/// Row counts of every table: equal before and after means the store did not change.
public func tableCounts(_ store: PayoutStore) throws -> [String: Int] { try store.rowCounts() }

/// Runs `body` while another connection (as another program would) holds the write lock
/// of the SQLite file at `path`; the lock is let go when `body` returns.
public func whileLocked<T>(_ path: String, _ body: () throws -> T) throws -> T {
    let other = try DatabaseQueue(path: path)
    let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
    let failure = LockFailure()
    Thread.detachNewThread {
        do {
            try other.inDatabase { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                release.wait()
                try db.execute(sql: "ROLLBACK")
            }
        } catch {
            failure.error = error
            locked.signal()
        }
        done.signal()
    }
    locked.wait()
    defer {
        release.signal()
        done.wait()
    }
    if let e = failure.error { throw e }
    return try body()
}

private final class LockFailure: @unchecked Sendable {
    var error: (any Error)?
}
