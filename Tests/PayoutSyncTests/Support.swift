import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutFormats
import PayoutModel
import PayoutStore
import PayoutSync
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let cnCalendar = try! SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
let testRules = SettlementRules(policy: .demoDefault, calendar: cnCalendar)



/// Canonical transactions: `count` QR sales of 10.00 numbered from `first` (trace and RRN), at `occurredAt`.
func transactionsCSV(first: Int, count: Int, occurredAt: String = "2026-11-23 10:00:00") -> String {
    var text = "merchant_id,terminal_id,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,currency,occurred_at\n"
    for n in first..<(first + count) {
        let trace = String(format: "%06d", n % 1_000_000)
        let rrn = "9" + String(format: "%011d", n)
        text += "898440358120013,LKL10001,000001,\(trace),\(rrn),,,qr,sale,10.00,CNY,\(occurredAt)\n"
    }
    return text
}

/// Imports `count` transactions numbered from `first` into `store`, reconciled as of `now`.
func addTransactions(_ store: WritableStore, first: Int, count: Int, occurredAt: String = "2026-11-23 10:00:00",
                     now: Instant = at("2026-11-23 10:30")) throws {
    _ = try store.importData(Data(transactionsCSV(first: first, count: count, occurredAt: occurredAt).utf8),
                             name: "test/\(first)-\(count).csv",
                             options: ImportOptions(format: .canonical, timeZone: shanghai, rules: testRules, now: now))
}

/// A store at `path` with `count` transactions; the writer is closed on return.
func makeStore(_ path: String, transactions count: Int) throws {
    let store = try PayoutStore.openForWriting(path: path)
    if count > 0 { try addTransactions(store, first: 1, count: count) }
}

func removeStore(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

extension SyncStatus {
    var isStale: Bool { if case .stale = self { return true } else { return false } }
    var isSynced: Bool { if case .synced = self { return true } else { return false } }
    var reason: String? { if case .stale(_, let r) = self { return r } else { return nil } }
    var staleSince: Instant? { if case .stale(let s, _) = self { return s } else { return nil } }
}

/// A raw SQLite connection through the system library, found at run time, for what
/// payoutmon itself never does: hold an exclusive lock, checkpoint, write a migration
/// row from the future.
final class RawSQLite {
    private typealias Open = @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<OpaquePointer?>?, Int32, UnsafePointer<CChar>?) -> Int32
    private typealias Exec = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, OpaquePointer?, UnsafeMutableRawPointer?,
                                             UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32
    private typealias Close = @convention(c) (OpaquePointer?) -> Int32
    private typealias Free = @convention(c) (UnsafeMutableRawPointer?) -> Void

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private static let symbols: (open: Open, exec: Exec, close: Close, free: Free)? = {
        var handles: [UnsafeMutableRawPointer] = []
        if let me = dlopen(nil, RTLD_NOW) { handles.append(me) }
        for name in ["libsqlite3.so.0", "libsqlite3.so", "/usr/lib/libsqlite3.dylib"] {
            if let h = dlopen(name, RTLD_NOW) { handles.append(h) }
        }
        for h in handles {
            guard let o = dlsym(h, "sqlite3_open_v2"), let e = dlsym(h, "sqlite3_exec"), let c = dlsym(h, "sqlite3_close_v2"),
                  let f = dlsym(h, "sqlite3_free") else { continue }
            return (unsafeBitCast(o, to: Open.self), unsafeBitCast(e, to: Exec.self), unsafeBitCast(c, to: Close.self),
                    unsafeBitCast(f, to: Free.self))
        }
        return nil
    }()

    private var db: OpaquePointer?

    init(path: String) throws {
        guard let s = Self.symbols else { throw Failure(description: "no SQLite library found") }
        let rc = s.open(path, &db, 0x2 /* READWRITE */, nil)
        if rc != 0 { throw Failure(description: "open \(path): code \(rc)") }
    }

    func exec(_ sql: String) throws {
        guard let s = Self.symbols else { return }
        var message: UnsafeMutablePointer<CChar>?
        let rc = s.exec(db, sql, nil, nil, &message)
        if rc != 0 {
            let text = message.map { String(cString: $0) } ?? "code \(rc)"
            s.free(message)
            throw Failure(description: "\(sql): \(text)")
        }
    }

    func close() {
        if let s = Self.symbols, db != nil { _ = s.close(db) }
        db = nil
    }

    deinit { close() }
}

/// The built `payoutmon` binary, next to the test bundle (as `swift test` builds it).
let payoutmonBinary: String? = {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var candidates = [dir, dir.deletingLastPathComponent()].map { $0.appendingPathComponent("payoutmon").path }
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { root.deleteLastPathComponent() }
    candidates.append(root.path + "/.build/debug/payoutmon")
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// Runs a program to its end (its output discarded) in a clean environment under `home`; its exit status.
@discardableResult
func runToEnd(_ executable: String, _ arguments: [String], home: String) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    p.environment = ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config",
                     "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus
}

