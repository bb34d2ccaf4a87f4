import Foundation

/// One record of a CSV file: its fields as raw bytes ranges decoded on demand.
struct CSVRecord {
    /// 1-based line number where the record starts.
    var line: Int
    var fields: [String]
}

/// A fast RFC 4180 reader over bytes: quoted fields, doubled quotes, CRLF or LF,
/// newlines inside quotes. Fields must be valid UTF-8; a NUL byte marks a binary file.
enum CSVParser {
    enum Failure: Error {
        /// A field or a record larger than `ImportLimits.fieldBytes` / `recordBytes`.
        case tooLong(line: Int, field: Int, record: Bool)
        case binary(line: Int)
        case badUTF8(line: Int, field: Int)
        case unterminatedQuote(line: Int)
        case strayQuote(line: Int)
    }

    /// Calls `body` with each non-empty record. Returns the number of lines read.
    @discardableResult
    static func parse(_ bytes: UnsafeRawBufferPointer, body: (CSVRecord) throws -> Void) throws -> Int {
        var i = 0
        let n = bytes.count
        // UTF-8 byte order mark.
        if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        var line = 1
        var fields: [String] = []
        fields.reserveCapacity(24)
        var recordLine = 1
        var field: [UInt8] = []
        field.reserveCapacity(64)
        var inQuotes = false
        var fieldWasQuoted = false
        var recordHasContent = false

        func finishField() throws {
            guard let s = String(validating: field, as: UTF8.self) else {
                throw Failure.badUTF8(line: recordLine, field: fields.count + 1)
            }
            fields.append(s)
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }

        while i < n {
            let c = bytes[i]
            if c == 0 { throw Failure.binary(line: line) }
            if inQuotes {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < n && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(c); i += 2; continue
                    }
                    inQuotes = false
                    i += 1
                    continue
                }
                if c == UInt8(ascii: "\n") { line += 1 }
                field.append(c)
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: ","):
                try finishField()
                recordHasContent = true
            case UInt8(ascii: "\""):
                if !field.isEmpty || fieldWasQuoted { throw Failure.strayQuote(line: line) }
                inQuotes = true
                fieldWasQuoted = true
                recordHasContent = true
            case UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "\n"):
                if recordHasContent || !field.isEmpty {
                    try finishField()
                    try body(CSVRecord(line: recordLine, fields: fields))
                }
                fields.removeAll(keepingCapacity: true)
                recordHasContent = false
                line += 1
                recordLine = line
            default:
                if fieldWasQuoted { throw Failure.strayQuote(line: line) }
                field.append(c)
                recordHasContent = true
            }
            i += 1
        }
        if inQuotes { throw Failure.unterminatedQuote(line: recordLine) }
        if recordHasContent || !field.isEmpty {
            try finishField()
            try body(CSVRecord(line: recordLine, fields: fields))
        }
        return line
    }
}
