import Foundation
import PayoutCore

extension ReportFile {
    /// How much of a file bank statement detection looks at.
    static let bankHeadBytes = 8192

    /// The bank statement parser of `BankFormats.parsers` that recognises the file's first
    /// bytes (decoded as the file's encoding), or nil when the file is not a bank
    /// statement. `format` other than `auto` and `bankStatement` skips the check: the
    /// caller asked for a report format.
    public func bankStatementParser(format: ReportFormat) -> (any BankStatementParser)? {
        guard format == .auto || format == .bankStatement, size > 0 else { return nil }
        var head = Data()
        _ = try? source.forEachBlock { block in
            if head.count < Self.bankHeadBytes { head.append(contentsOf: block.prefix(Self.bankHeadBytes - head.count)) }
        }
        var text = String(decoding: head, as: UTF8.self)
        if case .success(.gb18030) = sniffed, let decoder = try? GB18030Decoder() {
            var utf8 = Data()
            try? head.withUnsafeBytes { raw in try decoder.feed(raw) { utf8.append(contentsOf: $0) } }
            text = String(decoding: utf8, as: UTF8.self)
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return BankFormats.parsers.first { $0.detects(head: text) }
    }

    /// The whole file's bytes, for a bank statement parser (statements are small: a year
    /// of a busy account is a few MiB).
    public func allBytes() throws -> Data {
        var data = Data(capacity: size)
        try source.forEachBlock { data.append(contentsOf: $0) }
        return data
    }
}
