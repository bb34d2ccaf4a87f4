import PayoutCore

/// Where importers write the records they read. The store implements it inside one
/// database transaction per file; a test can implement it in memory.
///
/// Every importer, whatever its format, ends here, so the rules for new rows,
/// duplicates (same natural key, same values), updates (a later state of the same
/// row) and revisions (the same key with another amount, state or date: `RecordRevision`)
/// are the sink's, the same for all formats.
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
    /// Where the sink notes what it did with each record, by line; set by the import
    /// session before the first row.
    var tally: RowTally? { get set }
    /// The revisions this file makes that were not accepted: the first
    /// `RecordRevision.listed` of them in the order met, and how many in all. The file is
    /// refused naming each listed one once every row is read.
    var refusedRevisions: (listed: [RecordRevision], total: Int) { get }
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
    /// Stored by an earlier file with another amount, fee or time: a revision, accepted
    /// (`ImportOptions.acceptRevisions`) and stored as the new version.
    case revised
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

/// A row that changes a stored record (same natural key, another amount, state or
/// date): a revision. Without `ImportOptions.acceptRevisions` the whole file is
/// refused with `reason`, which names the earlier file and line and this one.
public struct RecordRevision: Error {
    /// The line of this file whose record revises the stored one.
    public let line: Int
    public let reason: String
    /// What it revises and where it was stored, without the advice `reason` ends with.
    public let change: String
    public init(line: Int, reason: String, change: String? = nil) {
        self.line = line
        self.reason = reason
        self.change = change ?? reason
    }

    /// How many revisions a refused file names; the rest are counted ("and N more").
    public static let listed = 20
}

/// What the sink did with one record it was handed.
public enum RecordOutcome: UInt8, Sendable {
    case new = 1
    case updated = 2
    case revised = 4
    case duplicate = 8
}

/// Which lines of a file the sink wrote what for, so the driver can say where every
/// row went (docs/report-formats.md, "Where every row goes"). The sink notes each
/// record it is handed under the line the importer named; a row that writes several
/// records (a transaction and its payout items) is stored when any of them is new,
/// updated or revised, a duplicate when all of them were.
public final class RowTally {
    /// Per line: the `RecordOutcome` bits noted for it.
    private var bits: [UInt8] = []

    public init() {}

    public func note(line: Int, _ outcome: RecordOutcome) {
        guard line > 0 else { return }
        if line >= bits.count { bits.append(contentsOf: repeatElement(0, count: max(line + 1 - bits.count, bits.count / 2 + 64))) }
        bits[line] |= outcome.rawValue
    }

    /// Notes for `to` what was noted for `from`: a row whose money went into another
    /// row's record (an Alipay fee row folded into its sale) went where that record went.
    func copyOutcome(from: Int, to: Int) {
        let o = outcomes(from)
        guard o != 0, to > 0 else { return }
        mark(to, o)
    }

    /// The outcome bits noted for `line` (0 when none).
    func outcomes(_ line: Int) -> UInt8 { line > 0 && line < bits.count ? bits[line] & 0x0F : 0 }

    /// True when something of `line` was written to the store (new, updated or revised).
    func stored(_ line: Int) -> Bool { outcomes(line) & (RecordOutcome.new.rawValue | RecordOutcome.updated.rawValue | RecordOutcome.revised.rawValue) != 0 }

    /// The driver's marks, beside the sink's outcomes: the line is a data row; it was
    /// rejected; a record of it was handed to the sink (whatever the sink then did).
    static let rowBit: UInt8 = 16
    static let rejectedBit: UInt8 = 32
    static let handedBit: UInt8 = 64

    /// True when a record of `line` was handed to the sink.
    func handed(_ line: Int) -> Bool { line > 0 && line < bits.count && bits[line] & Self.handedBit != 0 }

    func mark(_ line: Int, _ bit: UInt8) {
        guard line > 0 else { return }
        if line >= bits.count { bits.append(contentsOf: repeatElement(0, count: max(line + 1 - bits.count, bits.count / 2 + 64))) }
        bits[line] |= bit
    }

    /// Every data row's line with its bits, in order.
    func forEachRow(_ body: (Int, UInt8) -> Void) {
        for (line, b) in bits.enumerated() where b & Self.rowBit != 0 { body(line, b) }
    }
}

/// Where the rows of one file went: every data row read is exactly one of stored (at
/// least one of its records new, updated or revised), duplicate (all of its records
/// already stored with the same values), rejected (under `skipBad`, to the rejects
/// file) or skipped with a reason. The four add up to `read`.
public struct RowAccount: Hashable, Sendable {
    public var read = 0
    public var stored = 0
    public var duplicates = 0
    public var rejected = 0
    /// Skipped rows by reason.
    public var skipped: [String: Int] = [:]

    public init() {}

    /// The reason of a row the importer read and wrote no record for (the driver's
    /// safety net: such a row is counted, never dropped).
    public static let nothingWritten = "the importer made no record of this row"

    public var skippedTotal: Int { skipped.values.reduce(0, +) }
    /// True when every row read is accounted for.
    public var balanced: Bool { stored + duplicates + rejected + skippedTotal == read }
}
