import Foundation
import PayoutCore

/// Reads one bank statement format (docs/report-formats.md, "Bank statements").
///
/// A parser turns a whole file's bytes into statements, or throws `ImportError` naming
/// the file and line of the first problem (truncated XML, an MT940 block without its
/// closing balance, a Chinese export whose title rows or header changed). It never
/// returns part of a file: the store writes a file's statements in one transaction or
/// not at all. Whole-file checks that do not refuse the file (opening balance plus
/// entries differing from the closing balance) are the store's, so every format is
/// judged by one rule (`BankStatement.computedClosing`).
public protocol BankStatementParser: Sendable {
    /// The format's name for `--format` and the summary ("camt.053", "mt940", "ofx",
    /// "cn-bank").
    var name: String { get }
    /// True when the file's first bytes (decoded text, at most a few KiB) look like this
    /// format. Detection asks each parser of `BankFormats.parsers` in order.
    func detects(head: String) -> Bool
    /// Parses the whole file. `file` is the name used in errors (`FILE:LINE: reason`).
    func parse(_ data: Data, file: String) throws -> BankStatementFile
    /// This parser reading date-times written without an offset in `zone` (the config's
    /// time zone, `ImportOptions.timeZone`). Formats that carry no such times return
    /// themselves.
    func reading(in zone: TimeZone) -> any BankStatementParser
}

extension BankStatementParser {
    public func reading(in zone: TimeZone) -> any BankStatementParser { self }
}

/// What a parser read from one file: its statements, and the rows it read but did not
/// make entries of (with the reason), so every row is accounted for.
public struct BankStatementFile: Sendable {
    public var statements: [BankStatement]
    /// Lines read and not turned into entries: (line, reason), e.g. a Chinese export's
    /// 合计 (totals) row.
    public var skipped: [(line: Int, reason: String)]
    /// Problems that do not refuse the file.
    public var warnings: [ImportWarning]

    public init(statements: [BankStatement], skipped: [(line: Int, reason: String)] = [], warnings: [ImportWarning] = []) {
        self.statements = statements; self.skipped = skipped; self.warnings = warnings
    }
}

/// The bank statement formats payoutmon reads, in the order detection tries them.
public enum BankFormats {
    public static let parsers: [any BankStatementParser] = [
        CamtParser(),
        MT940Parser(),
        OFXParser(),
        CNBankParser(),
    ]
}
