import Foundation
import PayoutCore

/// Pieces the MT940, OFX and Chinese bank export parsers share: the file's text, account
/// masking, the size limits of text fields, and line splitting with 1-based numbers.
enum BankText {
    /// The file's bytes as text, by the project's one encoding rule (`ReportFile`: UTF-8,
    /// UTF-8 with a byte order mark, or GB18030 when the bytes are not UTF-8); a file
    /// that is empty, binary or of mixed encodings is the same `FILE:LINE` error an
    /// acquirer report gets.
    static func decode(_ data: Data, file: String) throws -> String {
        let report = try ReportFile.sniff(data: data, name: file)
        let encoding = try report.encoding()
        switch encoding {
        case .utf8, .utf8BOM:
            guard var text = String(data: data, encoding: .utf8) else {
                throw ImportError(file: file, line: 0, reason: "the file is not valid UTF-8 text")
            }
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            return text
        case .gb18030:
            var out = Data()
            do {
                let decoder = try GB18030Decoder()
                try data.withUnsafeBytes { raw in
                    try decoder.feed(raw) { out.append(contentsOf: $0) }
                }
                try decoder.finish()
            } catch let p as EncodingProblem {
                throw ImportError(file: file, line: p.line, reason: p.reason)
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The text's lines without their terminators (LF, CRLF or a lone CR), in order;
    /// line `i` of the result is line `i + 1` of the file.
    static func lines(_ text: String) -> [Substring] {
        var out: [Substring] = []
        var start = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "\n" || c == "\r\n" || c == "\r" {
                out.append(text[start..<i])
                start = text.index(after: i)
            }
            i = text.index(after: i)
        }
        if start < text.endIndex { out.append(text[start...]) }
        return out
    }

    /// `value` when it is within `limit` characters; else a `FILE:LINE` error naming
    /// the field (docs/report-formats.md, "Sizes and card numbers").
    static func bounded(_ value: String?, _ field: String, _ limit: Int, file: String, line: Int) throws -> String? {
        guard let value else { return nil }
        if value.utf8.count > limit, value.count > limit {
            throw ImportError(file: file, line: line, column: field,
                              reason: "is \(value.count) characters long; at most \(limit) are allowed")
        }
        return value
    }

    /// Trimmed, or nil when nothing is left.
    static func nonEmpty(_ s: some StringProtocol) -> String? {
        let t = String(s).trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }
}

/// A bank account number as a statement may show it: masked to its last four letters or
/// digits, separators kept ("50880050/0194774600888" -> "********/*********0888").
enum BankAccount {
    /// The masked account and its tail (the last four letters or digits). A value the
    /// bank already masked (`*`, `x`) keeps its mask; a value of four characters or fewer
    /// is its own tail.
    static func mask(_ raw: String) -> (masked: String, tail: String) {
        let value = raw.trimmingCharacters(in: .whitespaces)
        let chars = Array(value)
        let significant = chars.indices.filter { chars[$0].isLetter || chars[$0].isNumber }
        let keep = Set(significant.suffix(4))
        var out = ""
        for i in chars.indices {
            let c = chars[i]
            if (c.isLetter || c.isNumber) && !keep.contains(i) && c != "x" && c != "X" { out.append("*") } else { out.append(c) }
        }
        let tail = String(significant.suffix(4).map { chars[$0] })
        return (out, tail)
    }
}

/// Amounts written with a decimal comma or point and no sign ("1234,5", "107,",
/// "0.01"), as MT940 and some OFX files write them, in minor units of `currency`.
enum BankAmount {
    static func minor(_ raw: some StringProtocol, currency: Currency) -> Int64? {
        var intPart = Substring(raw)
        var frac: Substring = ""
        if let sep = raw.firstIndex(where: { $0 == "," || $0 == "." }) {
            intPart = Substring(raw[raw.startIndex..<sep])
            frac = Substring(raw[raw.index(after: sep)...])
        }
        guard !intPart.isEmpty || !frac.isEmpty,
              intPart.allSatisfy({ $0.isASCII && $0.isNumber }), frac.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var digits = Array(frac)
        while digits.count > currency.minorDigits {
            guard digits.last == "0" else { return nil }
            digits.removeLast()
        }
        while digits.count < currency.minorDigits { digits.append("0") }
        var value: Int64 = 0
        for c in Array(intPart) + digits {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(c.wholeNumberValue!))
            if o1 || o2 { return nil }
            value = a
        }
        return value
    }
}
