#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import PayoutCore

/// A report file that cannot be read at all (missing, a folder, no permission).
public struct ReportFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One report file's bytes, checked once: their size, sha256 and text encoding.
///
/// Reading is in two steps so a store can skip a file it already holds before any
/// row is parsed: `sniff` reads the bytes once for the checksum and the encoding;
/// `read` then parses the rows into a sink.
public struct ReportFile {
    /// The name errors and the store use: a path, or a label such as "demo/transactions.csv".
    public let name: String
    public let size: Int
    public let sha256: String
    let source: ReportBytes
    let sniffed: Result<SourceEncoding, EncodingProblem>

    /// Sniffs the file at `path`, a block at a time (memory stays flat however large it is).
    public static func sniff(path: String) throws -> ReportFile {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ReportFileError("\(path): no such file")
        }
        guard !isDir.boolValue else { throw ReportFileError("\(path): is a folder, not a report file") }
        return try sniff(ReportBytes(storage: .file(path)), name: path)
    }

    /// Sniffs bytes held in memory under a display name.
    public static func sniff(data: Data, name: String) throws -> ReportFile {
        try sniff(ReportBytes(storage: .memory(data)), name: name)
    }

    static func sniff(_ source: ReportBytes, name: String) throws -> ReportFile {
        var sniffer = EncodingSniffer()
        let size = try source.forEachBlock { sniffer.feed($0) }
        let (sniffed, sha) = sniffer.finish()
        return ReportFile(name: name, size: size, sha256: sha, source: source, sniffed: sniffed)
    }

    /// The text encoding, or the `FILE:LINE` error that makes the file unreadable
    /// (empty, binary, invalid UTF-8, GB18030 mixed with UTF-8).
    public func encoding() throws -> SourceEncoding {
        if size == 0 { throw ImportError(file: name, line: 0, reason: "the file is empty") }
        let encoding: SourceEncoding
        switch sniffed {
        case .success(let e): encoding = e
        case .failure(let p): throw ImportError(file: name, line: p.line, reason: p.reason)
        }
        if encoding == .gb18030 {
            var check = MixedEncodingCheck()
            try source.forEachBlock { check.feed($0) }
            do { try check.finish() } catch { throw ImportError(file: name, line: error.line, reason: error.reason) }
        }
        return encoding
    }

    /// Detects the format and reads every row, decoded as `encoding` (what `encoding()`
    /// returned), into `sink`. Throws the first bad row's `ImportError` unless
    /// `options.skipBad`, in which case bad rows are set aside in the result. A file with
    /// a header and no rows is an error.
    public func read(_ encoding: SourceEncoding, options: ImportOptions, into sink: any ReportSink) throws -> ReportRead {
        let session = ImportSession(file: name, options: options, sink: sink)
        let driver = ImportDriver(session: session)
        try driver.run(source, size: size, encoding: encoding)
        guard let importer = driver.importer, let format = driver.format else {
            throw ImportError(file: name, line: 0, reason: "the file has no header")
        }
        let rows = session.rows
        if rows == 0 { throw ImportError(file: name, line: importer.headerLine, reason: "the file has a header but no rows") }
        let every = max(1, options.progressEvery)
        if rows >= every && rows % every != 0 { session.reportProgress() }
        let account = Self.account(session)
        return ReportRead(format: format, kind: importer.kind, rows: rows,
                          profile: (importer as? CNSettlementImporter)?.profile.name, encoding: encoding,
                          warnings: session.warnings, warningCount: session.warningCount,
                          rejects: session.rejects, header: importer.header, account: account)
    }

    /// Where each data row went, from the sink's notes and the driver's marks. A row
    /// read that no record, reject or reason accounts for is counted as skipped, with a
    /// warning naming its line: no row leaves the import unaccounted for.
    static func account(_ session: ImportSession) -> RowAccount {
        var a = RowAccount()
        let storedBits = RecordOutcome.new.rawValue | RecordOutcome.updated.rawValue | RecordOutcome.revised.rawValue
        session.tally.forEachRow { line, bits in
            a.read += 1
            if bits & RowTally.rejectedBit != 0 {
                a.rejected += 1
            } else if bits & storedBits != 0 {
                a.stored += 1
            } else if bits & RecordOutcome.duplicate.rawValue != 0 {
                a.duplicates += 1
            } else if let reason = session.skips[line] {
                a.skipped[reason, default: 0] += 1
            } else {
                a.skipped[RowAccount.nothingWritten, default: 0] += 1
                session.warn(line, nil, "read but not stored: \(RowAccount.nothingWritten)")
            }
        }
        return a
    }
}

/// What reading one report found.
public struct ReportRead {
    public let format: ReportFormat
    /// The kind of rows the file held ("transactions", "payouts" ..., the profile name
    /// for cn-settlement files).
    public let kind: String
    /// Data rows read (header and trailer excluded).
    public let rows: Int
    /// The cn-settlement profile used.
    public let profile: String?
    public let encoding: SourceEncoding
    /// Rows kept or skipped with a remark (at most `ImportSession.maxWarnings`; `warningCount` has them all).
    public let warnings: [ImportWarning]
    public let warningCount: Int
    /// Rows left out under `skipBad`, with their fields (card numbers masked).
    let rejects: [RejectedRow]
    /// The file's header as written, for the rejects file.
    let header: [String]
    /// Where every data row went.
    public let account: RowAccount

    /// The reasons the rows under `skipBad` were left out.
    public var rejected: [ImportError] { rejects.map(\.error) }

    /// Writes the rejected rows as CSV beside the input (see `RejectsFile`).
    public func writeRejects(to path: String) throws {
        try RejectsFile.save(rejects, header: header, to: path, bom: encoding != .utf8)
    }
}

/// The file `--skip-bad` writes: `rejected_line,rejected_reason`, then the input's own
/// columns with card numbers masked. Importing it again (after fixing the rows) reads
/// the input's columns and ignores the first two.
///
/// Every field is written as `SafeText.visible` shows it, so the file is safe to `cat`:
/// a control character or bidi override in a field becomes a visible escape (`\x1b`,
/// `\n`, `\u{202e}`), one line per row. Re-importing reads those escapes as the literal
/// text they are; nothing decodes them back, so a row keeps what the merchant sees and
/// fixes. Fields without such characters are written byte for byte as before.
public enum RejectsFile {
    /// `dir/report.csv` -> `dir/report.rejects.csv`.
    public static func path(for input: String) -> String {
        let ns = input as NSString
        let ext = ns.pathExtension
        let base = ext.isEmpty || ext.contains("/") ? input : ns.deletingPathExtension
        return base + ".rejects.csv"
    }

    /// Mode 0600, written beside and renamed into place.
    static func save(_ rows: [RejectedRow], header: [String], to path: String, bom: Bool) throws {
        // The header is report text too: shown as the fields are, card-like numbers masked.
        var csv = CSVWriter(header: ["rejected_line", "rejected_reason"] + header.map { SafeText.visible(PANScrubber.scrub($0)) },
                            bom: bom)
        for r in rows {
            let reason = (r.error.column.map { "column \($0): " } ?? "") + r.error.reason
            var fields = r.fields.map { SafeText.visible($0) }
            if fields.isEmpty { fields = Array(repeating: "", count: header.count) }
            csv.append([String(r.error.line), SafeText.visible(reason)] + fields)
        }
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        guard fd >= 0 else { throw ReportFileError("cannot create \(tmp): \(String(cString: strerror(errno)))") }
        let bytes = Array(csv.text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { close(fd); unlink(tmp); throw ReportFileError("cannot write \(tmp): \(String(cString: strerror(errno)))") }
            written += n
        }
        close(fd)
        guard rename(tmp, path) == 0 else {
            unlink(tmp)
            throw ReportFileError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
