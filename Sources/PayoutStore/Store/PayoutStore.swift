import Foundation
import GRDB
import PayoutCore

/// The SQLite store of imported reports, for reading: the monitor, `status`, `eta` and
/// `note` open it read-only. Every query is a method of the store or of the reader it
/// lends for one read transaction (`read(rules:_:)`, `readFeedHistory(_:)`); the
/// connection stays inside. `WritableStore` adds the writes: importing reports and
/// recomputing states. See "The store" in docs/ARCHITECTURE.md.
///
/// Writers use WAL and a busy timeout so a reader never blocks them. Files the store
/// creates are mode 0600.
public class PayoutStore: @unchecked Sendable {
    /// The database connection(s) reads go through. GRDB serialises access; this class owns them.
    let reader: any DatabaseReader
    public let path: String

    /// How long a connection waits for another process's lock before giving up: the
    /// writers' timeout, and the read-only connection's unless its opener asks for another.
    public static let busyTimeout: TimeInterval = 5

    init(reader: any DatabaseReader, path: String) {
        self.reader = reader
        self.path = path
    }

    /// True for a store opened read-only: it has no method that writes.
    var isReadOnly: Bool { !(self is WritableStore) }

    /// Opens (creating if needed) a store for writing and brings its schema up to date.
    /// `busyTimeout` is how long each write waits for another program's lock.
    ///
    /// Refused, each with its reason and the file left as it was: a missing folder, a
    /// file or folder this user may not read and write, a file that is not SQLite, a
    /// SQLite database of another program (`notAPayoutStore`), a store locked by another
    /// program, a store made by a newer payoutmon. A store this call creates and then
    /// cannot set up is removed again; `WritableStore.removeIfUnused` removes one that
    /// stayed empty.
    public static func openForWriting(path: String, busyTimeout: TimeInterval = PayoutStore.busyTimeout) throws -> WritableStore {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw StoreError(.missingDirectory, "cannot create the store \(path): folder \(dir) does not exist")
        }
        let existed = FileManager.default.fileExists(atPath: path)
        if existed {
            if access(path, R_OK | W_OK) != 0 {
                throw StoreError(.permissionDenied, "cannot open the store \(path): permission denied (this user may not read and write it; check its owner and mode)")
            }
            try checkIsPayoutStore(path, busyTimeout: busyTimeout)
        }
        // SQLite keeps the -wal and -shm files beside the store.
        if access(dir, W_OK | X_OK) != 0 && !(existed && FileManager.default.fileExists(atPath: path + "-wal")
                                                && FileManager.default.fileExists(atPath: path + "-shm")) {
            throw StoreError(.permissionDenied, "cannot \(existed ? "open" : "create") the store \(path): permission denied in folder \(dir) (the store needs to create files there)")
        }
        if !existed {
            // Create the file ourselves so it is 0600 from its first byte.
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            if fd < 0 {
                let reason = errno == EACCES || errno == EPERM ? "permission denied" : String(cString: strerror(errno))
                throw StoreError(errno == EACCES || errno == EPERM ? .permissionDenied : .database, "cannot create the store \(path): \(reason)")
            }
            close(fd)
        }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        // A writer's page cache of 64 MiB (SQLite's default is 2 MiB): a big import or a
        // full recompute otherwise spills pages to the WAL and rereads index pages from
        // disk. The pages are only allocated as they are used; the monitor's read-only
        // connection keeps the small default.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -65536") }
        let oldMask = umask(0o077)
        defer { umask(oldMask) }
        do {
            let pool: DatabasePool
            do {
                pool = try DatabasePool(path: path, configuration: config)
            } catch let e as DatabaseError {
                throw translate(e, path: path)
            }
            return try WritableStore(writer: pool, path: path, created: !existed)
        } catch {
            if !existed { removeFiles(of: path) }
            throw error
        }
    }

    /// The store's file and SQLite's files beside it.
    static func removeFiles(of path: String) {
        for p in [path, path + "-wal", path + "-shm", path + "-journal"] { unlink(p) }
    }

    /// Refuses a SQLite database that holds tables but is not a payoutmon store, before
    /// anything writes to it: opened read-only, so not a byte of it changes. An empty
    /// database (or an empty file) may become a store.
    static func checkIsPayoutStore(_ path: String, busyTimeout: TimeInterval) throws {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(busyTimeout)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            let tables = try queue.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            }
            if tables.isEmpty { return }
            let ours = try tables.contains("grdb_migrations") && tables.contains("reportFile") && queue.read { db in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM grdb_migrations WHERE identifier = 'v1'") ?? false
            }
            if !ours {
                let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
                throw StoreError(.notAPayoutStore, "\(path) is a SQLite database of another program (tables \(shown)), not a payoutmon store; it was left unchanged. Give --db a new file or a payoutmon store")
            }
        } catch let e as DatabaseError {
            throw translate(e, path: path)
        }
    }

    /// Opens an existing store read-only, as the monitor does. Refuses a store whose
    /// schema is newer than this program, or older than it (a writer upgrades it).
    /// `busyTimeout` is how long each read waits for another program's lock.
    public static func openReadOnly(path: String, busyTimeout: TimeInterval = PayoutStore.busyTimeout) throws -> PayoutStore {
        guard FileManager.default.fileExists(atPath: path) else {
            let dir = (path as NSString).deletingLastPathComponent
            if access(dir.isEmpty ? "." : dir, X_OK) != 0 && errno == EACCES {
                throw StoreError(.permissionDenied, "cannot open the store \(path): permission denied in folder \(dir)")
            }
            throw StoreError(.missingStore, "no store at \(path)")
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(busyTimeout)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.read { db in try checkSchema(db, path: path) }
        } catch let e as DatabaseError {
            throw translate(e, path: path)
        }
        return PayoutStore(reader: queue, path: path)
    }

    /// When the store's newest file was imported (nil when it holds none).
    public func lastImport() throws -> Instant? {
        do {
            return try reader.read { db in
                try Int64.fetchOne(db, sql: "SELECT MAX(importedAt) FROM reportFile").map { Instant(epochMillis: $0) }
            }
        } catch let e as DatabaseError { throw Self.translate(e, path: path) }
    }

    /// SQLite's `PRAGMA data_version` on this connection: it changes when another
    /// connection (or process) commits a write.
    public func dataVersion() throws -> Int {
        do {
            return try reader.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        } catch let e as DatabaseError {
            throw PayoutStore.translate(e, path: path)
        }
    }

    /// The tables that hold what reports said, and the derived transaction states.
    public static let recordTables = ["reportFile", "merchant", "terminal", "txn", "payout", "payoutItem", "accountEvent",
                                      "hold", "txnState"]

    /// How many rows each of `recordTables` holds, read in one transaction: equal counts
    /// before and after an operation mean it added and removed nothing (a refused file).
    public func rowCounts() throws -> [String: Int] {
        do {
            return try reader.read { db in
                var out: [String: Int] = [:]
                for t in Self.recordTables { out[t] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(t)") }
                return out
            }
        } catch let e as DatabaseError {
            throw PayoutStore.translate(e, path: path)
        }
    }

    /// Throws unless the schema is exactly the one this program knows.
    static func checkSchema(_ db: Database, path: String) throws {
        let migrator = Schema.migrator
        if try migrator.hasBeenSuperseded(db) {
            throw StoreError(.schemaTooNew, "the store \(path) was written by a newer payoutmon; upgrade payoutmon to read it")
        }
        if try !migrator.hasCompletedMigrations(db) {
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            if !tables.isEmpty && !tables.contains("reportFile") {
                throw StoreError(.notAPayoutStore, "\(path) is a SQLite database of another program, not a payoutmon store; give --db a payoutmon store")
            }
            throw StoreError(.schemaTooOld, "the store \(path) has an older or no payoutmon schema; run `payoutmon import` or `payoutmon demo` on it to upgrade")
        }
    }

    static func translate(_ e: DatabaseError, path: String) -> StoreError {
        switch e.resultCode {
        case .SQLITE_NOTADB:
            // SQLite reads the header before it writes anything, so a file that is not a
            // database is refused unchanged. (Reading the header here with a file handle of
            // our own would be wrong: closing any descriptor of the file drops every POSIX
            // lock this process holds on it, the SQLite connections' included, and another
            // program's last connection could then delete the WAL under them.)
            return StoreError(.notADatabase, "\(path) is not a payoutmon store (not a SQLite database)")
        case .SQLITE_CORRUPT:
            return StoreError(.notADatabase, "\(path) is not a readable payoutmon store: \(e.message ?? "corrupt")")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(.locked, "the store \(path) is locked by another program; try again when it has finished")
        case .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            return StoreError(.permissionDenied, "cannot write to the store \(path): permission denied (check the owner and mode of the file and its folder)")
        case .SQLITE_CANTOPEN:
            let dir = (path as NSString).deletingLastPathComponent
            var isDir: ObjCBool = false
            if !dir.isEmpty && !(FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue) {
                return StoreError(.missingDirectory, "cannot open the store \(path): folder \(dir) does not exist")
            }
            if !FileManager.default.fileExists(atPath: path) {
                return StoreError(.missingStore, "cannot open the store \(path): there is no file there")
            }
            if access(path, R_OK) != 0 || access(dir.isEmpty ? "." : dir, X_OK) != 0 {
                return StoreError(.permissionDenied, "cannot open the store \(path): permission denied (check its owner and mode)")
            }
            return StoreError(.missingStore, "cannot open the store \(path): \(e.message ?? "SQLite could not open the file")")
        case .SQLITE_IOERR:
            return StoreError(.ioError, "store \(path): \(e.message ?? e.description)")
        default:
            return StoreError(.database, "store \(path): \(e.message ?? e.description)")
        }
    }
}

/// A store that also writes: it imports report files and recomputes states (the demo
/// and the simulated feed write through these too). `PayoutStore.openForWriting` and
/// the initialiser below make one; a store opened read-only is a plain `PayoutStore`,
/// which has no method that writes.
public final class WritableStore: PayoutStore, @unchecked Sendable {
    /// The connection(s) writes go through; reads go through the same object.
    let writer: any DatabaseWriter

    /// A store over any GRDB database writer, its schema brought up to date: a
    /// `DatabaseQueue()` gives a store in memory (as tests use it), a `DatabasePool` a
    /// file. The store takes the connection over; nothing else should use it.
    ///
    /// - Throws: `StoreError` `.schemaTooNew` when a newer payoutmon migrated the
    ///   database, or the SQLite error as a `StoreError`.
    public convenience init(_ writer: any DatabaseWriter) throws {
        try self.init(writer: writer, path: writer.path, created: false)
    }

    /// This connection created the store's file (`PayoutStore.openForWriting`).
    public let created: Bool

    init(writer: any DatabaseWriter, path: String, created: Bool) throws {
        self.created = created
        let migrator = Schema.migrator
        do {
            try writer.read { db in
                if try migrator.hasBeenSuperseded(db) {
                    throw StoreError(.schemaTooNew, "the store \(path) was written by a newer payoutmon; upgrade payoutmon to use it")
                }
            }
            try migrator.migrate(writer)
        } catch let e as DatabaseError {
            throw PayoutStore.translate(e, path: path)
        }
        self.writer = writer
        super.init(reader: writer, path: path)
    }

    /// Removes the store's file when this connection created it and nothing has been
    /// imported into it, so a refused first import leaves no empty store behind. Closes
    /// the connection when it removes the file: the store is not to be used after that.
    ///
    /// - Returns: true when the file was removed.
    @discardableResult
    public func removeIfUnused() -> Bool {
        guard created, let imported = try? writer.read({ db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reportFile") }),
              imported == 0 else { return false }
        guard (try? writer.close()) != nil else { return false }
        PayoutStore.removeFiles(of: path)
        return true
    }
}
