import PayoutCore

/// Where importers write the records they read. The store implements it inside one
/// database transaction per file; a test can implement it in memory.
///
/// Every importer, whatever its format, ends here, so the rules for new rows,
/// duplicates (same natural key, same values) and updates (a later state of the same
/// row) are the sink's, the same for all formats.
public protocol ReportSink: AnyObject {
    func add(_ t: Transaction, line: Int) throws
    func add(_ p: Payout, line: Int) throws
    func add(_ item: PayoutItem, line: Int) throws
    func add(_ e: AccountEvent, line: Int) throws
    func add(_ m: Merchant, line: Int) throws
    func add(_ h: Hold, line: Int) throws
    /// Like `add(_: Transaction)`, but tells a repeat within this file from a row stored by
    /// an earlier file, and records the payout of a transaction stored before as pending.
    func addTransactionChecked(_ t: Transaction, line: Int) throws -> TxnOutcome
    /// Opens a hold unless one with the same ref is stored; never touches a stored hold
    /// (an older file must not reopen a hold a newer one released). True when added.
    @discardableResult
    func addHoldIfNew(_ h: Hold, line: Int) throws -> Bool
    /// Releases an open hold: the one with `ref` when given and stored, else the oldest
    /// open hold of the merchant with the same amount opened no later than `at`.
    func releaseHold(merchantId: String, ref: String?, amount: Money, at: Instant, line: Int) throws -> ReleaseOutcome
}

/// A row that contradicts what the sink already holds; the row is rejected with the reason.
public struct RecordConflict: Error {
    public let reason: String
    public init(reason: String) { self.reason = reason }
}

/// What became of a transaction row whose natural key may already be stored.
public enum TxnOutcome: Equatable, Sendable {
    case inserted
    /// Stored by an earlier file: counted as a duplicate.
    case duplicate
    /// Stored earlier without a payout (pending); this row names its payout, now recorded.
    case attached
    /// The same row appeared earlier in this file, at `line`.
    case repeatInFile(line: Int)
    /// The same key appeared earlier in this file, at `line`, with another amount, fee or time.
    case conflictInFile(line: Int)
}

/// What became of a release (解冻) row.
public enum ReleaseOutcome: Equatable, Sendable {
    case released
    case alreadyReleased
    case notFound
}
