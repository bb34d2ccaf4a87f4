import Foundation
import PayoutCore

/// A row-level import failure, printed as `FILE:LINE: column NAME: reason` (one line:
/// the reason quotes values from the report, shown as `SafeText` shows them), then a
/// line for each related problem it stands for (`related`).
public struct ImportError: Error, Hashable, Sendable, CustomStringConvertible {
    public let file: String
    /// 1-based line in the file; 0 when the problem is the whole file.
    public let line: Int
    public let column: String?
    public internal(set) var reason: String
    /// True when the check that failed is a sign the file is not yet whole (a missing or
    /// miscounted trailer, batch rows that do not sum to their payout): a file still being
    /// written fails it now and may pass it later, so the inbox waits before failing it.
    public var incomplete = false
    /// Further problems of the same kind the error stands for (every revision of a file
    /// refused for revisions), each printed on a line of its own after this one, and how
    /// many more were counted but not listed.
    public var related: [ImportError] = []
    public var relatedMore = 0

    public init(file: String, line: Int, column: String? = nil, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// One line, its values shown as `SafeText` does: a reason quotes the report; then
    /// one line for each related problem and "and N more" when some were not listed.
    public var description: String {
        var s = line > 0 ? "\(file):\(line): " : "\(file): "
        if let column { s += "column \(column): " }
        var out = SafeText.visible(s + reason)
        for r in related { out += "\n" + r.description }
        if relatedMore > 0 { out += "\nand \(relatedMore) more" }
        return out
    }

    /// The reason and every related problem (`FILE:LINE: reason`) on one line, for a
    /// place that holds one reason (the inbox's `NAME.error.txt`).
    public var reasonWithRelated: String {
        reason + related.map { "; \($0.file):\($0.line): \($0.reason)" }.joined() + (relatedMore > 0 ? "; and \(relatedMore) more" : "")
    }
}

/// A finding that did not stop the import: a row kept or skipped, a value assumed.
/// Printed like an error, `FILE:LINE: column NAME: reason`.
public struct ImportWarning: Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: String?
    public let reason: String

    public init(file: String, line: Int, column: String? = nil, reason: String) {
        self.file = file; self.line = line; self.column = column; self.reason = reason
    }

    /// One line, its values shown as `SafeText` does: a reason quotes the report.
    public var description: String {
        var s = line > 0 ? "\(file):\(line): " : "\(file): "
        if let column { s += "column \(column): " }
        return SafeText.visible(s + reason)
    }
}

/// A row left out by `--skip-bad`, with why, and its fields (card numbers masked).
struct RejectedRow {
    let error: ImportError
    let fields: [String]
}

/// A problem that fails the whole file even under `--skip-bad` (a header, a trailer, an
/// encoding), thrown from inside a row.
struct FileLevelError: Error {
    let error: ImportError
}

/// What every format's importer does with the records after its header.
///
/// Importers are classes so the driver can hold one behind the protocol and call it
/// per row without copying its state.
protocol RowImporter: AnyObject {
    /// What the rows are, for the summary ("transactions", a profile name ...).
    var kind: String { get }
    /// The file's header as written, for the rejects file.
    var header: [String] { get }
    /// The 1-based line of the header; records at or before it are not rows.
    var headerLine: Int { get }
    /// Reads one record after the header. Returns false for a line that is not a data
    /// row (a trailer line). Throws `ImportError` for a bad row (rejectable), or
    /// `FileLevelError` for a problem with the whole file.
    func row(_ record: CSVRecord, _ session: ImportSession) throws -> Bool
    /// After the last record: whole-file checks (batch sums, trailer counts) and records
    /// that needed every row (payouts made of their items).
    func finish(_ session: ImportSession) throws
    /// True when `--skip-bad` needs a first pass over the rows to know which groups of
    /// rows (batches, payouts) are bad before writing any of them.
    var wantsPrepass: Bool { get }
    /// True when the first pass is needed without `--skip-bad` too (a Stripe report:
    /// which merchant each payout's rows belong to depends on the whole file).
    var prepassAlways: Bool { get }
    func prepass(_ record: CSVRecord, _ session: ImportSession)
    /// The fields of a rejected record as they may be written to disk, card-like numbers
    /// masked except `keeping` (the merchant ids known to the import).
    func scrub(_ fields: [String], keeping: Set<String>) -> [String]
    /// The merchant ids a record names (its MID column): identifiers that the rejects
    /// file and error messages keep readable even when they pass the Luhn check.
    func merchantIds(_ fields: [String]) -> Set<String>
    /// The file's column for a record field named as docs/report-formats.md names the
    /// canonical columns (`terminal_name`, `note` ...), for errors about the field.
    func column(forField field: String) -> String
}

extension RowImporter {
    var wantsPrepass: Bool { false }
    var prepassAlways: Bool { false }
    func prepass(_ record: CSVRecord, _ session: ImportSession) {}
    func scrub(_ fields: [String], keeping: Set<String>) -> [String] {
        fields.map { PANScrubber.scrub($0, keeping: keeping) }
    }
    func merchantIds(_ fields: [String]) -> Set<String> { [] }
    func column(forField field: String) -> String { field }
}

/// The state of one file's import shared by the driver and the importer: the sink,
/// options, rows read, warnings and rejects.
final class ImportSession {
    let file: String
    let options: ImportOptions
    let sink: any ReportSink
    var rows = 0
    /// Bytes of the file read by the current pass, and the file's size (for `progress`).
    var bytesRead = 0
    var totalBytes = 0
    /// The line of the file's last record when it ends without a line end (the line
    /// may be cut); 0 when the file ends with one.
    var unterminatedLine = 0
    /// True while the reader delivers the file's last record, which ended without a
    /// line end: a row too short there is a cut file, not a bad row.
    var atUnterminatedEnd = false
    private(set) var warnings: [ImportWarning] = []
    private(set) var warningCount = 0
    private(set) var rejects: [RejectedRow] = []
    /// What the sink wrote for each line.
    let tally = RowTally()
    /// Rows read and left out on purpose, by line, with why (a type the profile ignores).
    private(set) var skips: [Int: String] = [:]
    /// Warnings kept in the summary; the rest are counted.
    static let maxWarnings = 200

    /// Tells `options.progress` how far the import is.
    func reportProgress() {
        options.progress?(ImportProgress(rows: rows, bytes: bytesRead, totalBytes: totalBytes))
    }

    /// Every record passes `RedactingSink` (limits, card numbers) on its way to `sink`.
    private let redacting: RedactingSink

    init(file: String, options: ImportOptions, sink: any ReportSink) {
        self.file = file
        self.options = options
        redacting = RedactingSink(sink)
        self.sink = redacting
        redacting.tally = tally
    }

    /// The merchant ids known to this import (the records', `--merchant`): card-like
    /// numbers in messages and rejects are masked, these are not.
    var knownMerchantIds: Set<String> {
        var ids = redacting.merchantIds
        if let m = options.merchantId { ids.insert(m) }
        return ids
    }

    var skipBad: Bool { options.skipBad }

    func error(_ line: Int, _ column: String?, _ reason: String) -> ImportError {
        ImportError(file: file, line: line, column: column, reason: reason)
    }

    /// A whole-file check that a truncated file fails (see `ImportError.incomplete`).
    /// A row with the wrong number of fields: when it is the file's last record and has
    /// no line end, the file looks cut, and that refuses it (as incomplete).
    func checkFieldCountOrCut(_ r: CSVRecord, header: [String]) throws {
        do { try checkFieldCount(r, header: header) } catch {
            guard atUnterminatedEnd else { throw error }
            throw FileLevelError(error: incomplete(r.line, "the file ends inside this row, without a line end: it looks cut (\(error.reason))"))
        }
    }

    func incomplete(_ line: Int, _ reason: String) -> ImportError {
        var e = error(line, nil, reason)
        e.incomplete = true
        return e
    }

    func warn(_ line: Int, _ column: String?, _ reason: String) {
        warningCount += 1
        if warnings.count < Self.maxWarnings {
            warnings.append(ImportWarning(file: file, line: line, column: column,
                                          reason: PANScrubber.scrub(reason, keeping: knownMerchantIds)))
        }
    }

    func reject(_ error: ImportError, fields: [String]) {
        rejects.append(RejectedRow(error: error, fields: fields))
    }

    /// A row read and deliberately not stored, with why; it is counted as skipped with
    /// that reason in the import's accounting.
    func skip(_ line: Int, _ reason: String) {
        skips[line] = reason
    }
}

/// Masks anything in a rejected field or a message that could be a full card number.
enum PANScrubber {
    /// Card numbers in a row's text or a message: 13 to 19 digits, plain, spaced or
    /// dashed, that pass the Luhn check (see `CardNumber.redact`), except `keeping`, the
    /// merchant ids known to the import (a MID may pass Luhn and must stay readable);
    /// a card column is masked whatever its length.
    static func scrub(_ text: String, keeping: Set<String> = []) -> String { CardNumber.redact(text, keeping: keeping) }

    /// A card column's value for the rejects file: masked, or stars when it cannot be.
    static func maskCard(_ text: String, keeping: Set<String> = []) -> String {
        let cleaned = text.filter { $0 != "`" && $0 != "'" && $0 != "\t" }
        if let m = try? CardNumber.mask(cleaned) { return m }
        return scrub(text, keeping: keeping)
    }
}
