import Foundation
import GRDB
import GRDBSQLite

/// A statement prepared once whose values are bound straight through SQLite's C API:
/// GRDB's `StatementArguments` box every value in an existential and an array, which
/// costs more than the insert itself for the millions of rows of a large import. Used
/// for the statements run once per row (the transaction and payout line inserts, the
/// state upsert); everything else goes through GRDB.
///
/// Valid only on the connection and inside the write it was made in.
struct RawStatement {
    private let statement: Statement
    private let db: Database

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
    }

    /// The statement from the connection's cache (prepared on first use).
    init(_ db: Database, cachedSQL sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
    }

    /// SQLite copies a bound text before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds with `bind`, runs the statement to its end and resets it.
    func run(_ bind: (inout Binder) -> Void) throws {
        let handle = statement.sqliteStatement
        var binder = Binder(handle: handle)
        bind(&binder)
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: statement.sql)
        }
    }

    /// Binds values by position (1-based, as SQLite counts), in order.
    struct Binder {
        let handle: OpaquePointer
        private var index: Int32 = 0

        init(handle: OpaquePointer) { self.handle = handle }

        mutating func add(_ value: Int64) {
            index += 1
            sqlite3_bind_int64(handle, index, value)
        }

        mutating func add(_ value: Int) { add(Int64(value)) }

        mutating func add(_ value: Int64?) {
            guard let value else { return skip() }
            add(value)
        }

        mutating func add(_ value: String) {
            index += 1
            // An empty text is bound as '', never NULL.
            guard !value.isEmpty else {
                sqlite3_bind_text(handle, index, "", 0, RawStatement.transient)
                return
            }
            var text = value
            let (handle, index) = (self.handle, self.index)
            text.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    _ = sqlite3_bind_text(handle, index, chars.baseAddress, Int32(chars.count), RawStatement.transient)
                }
            }
        }

        mutating func add(_ value: String?) {
            guard let value else { return skip() }
            add(value)
        }

        /// NULL (bindings are cleared after each run).
        mutating func skip() { index += 1 }
    }
}
