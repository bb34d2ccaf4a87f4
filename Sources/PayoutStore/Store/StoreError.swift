/// Every way the store refuses to open, read or import, with a matchable code.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The store's folder does not exist.
        case missingDirectory
        /// There is no store at the path (read-only opening).
        case missingStore
        /// The file is not a SQLite database.
        case notADatabase
        /// The file is a SQLite database of another program (it has tables, and none of
        /// payoutmon's migrations); writers leave it untouched.
        case notAPayoutStore
        /// The file or its folder cannot be read or written by this user.
        case permissionDenied
        /// A newer payoutmon migrated the store; this program cannot read it safely.
        case schemaTooNew
        /// The store predates this program's schema and must be upgraded by a writer.
        case schemaTooOld
        /// The store is locked by another program past the busy timeout.
        case locked
        /// A report file could not be read.
        case unreadableFile
        /// A report file has a bad header, row or value.
        case badReport
        /// SQLite could not read or write the files (SQLITE_IOERR): a fresh connection may.
        case ioError
        /// Anything else SQLite reported.
        case database
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
