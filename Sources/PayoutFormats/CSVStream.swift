/// An RFC 4180 reader fed in blocks: the same rules as `CSVParser` (quoted fields,
/// doubled quotes, CRLF or LF, newlines inside quotes, NUL means binary), but its state
/// survives between blocks, so a file decoded on the fly (GB18030) never has to be held
/// whole in memory.
///
/// In recovery mode (`--skip-bad`) a record with a stray quote or bad UTF-8 is reported
/// through `onBad` and reading resumes at the next line, instead of failing the file.
struct CSVStream {
    private enum Mode: UInt8 { case fieldStart, unquoted, quoted, quoteSeen, afterQuoted, skipLine }

    private(set) var line = 1
    private var recordLine = 1
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var mode = Mode.fieldStart
    private var recordHasContent = false
    /// Bytes of the record's finished fields, against `ImportLimits.recordBytes`.
    private var recordBytes = 0
    let recover: Bool
    /// The line of the last record when the input ended inside it, without a line end.
    private(set) var unterminatedLine = 0

    init(recover: Bool) {
        self.recover = recover
        fields.reserveCapacity(32)
        field.reserveCapacity(128)
    }

    typealias Bad = (_ line: Int, _ reason: String) throws -> Void

    /// Refuses a field or a record past its byte limit (docs/report-formats.md, "Sizes
    /// and card numbers") as soon as it is seen, even under `--skip-bad`: the rest of
    /// such a record is never accumulated.
    @inline(__always)
    private func checkSize(adding extra: Int = 0) throws {
        let f = field.count + extra
        if f > ImportLimits.fieldBytes {
            throw CSVParser.Failure.tooLong(line: recordLine, field: fields.count + 1, record: false)
        }
        if recordBytes + f > ImportLimits.recordBytes {
            throw CSVParser.Failure.tooLong(line: recordLine, field: fields.count + 1, record: true)
        }
    }

    private mutating func finishField(_ onBad: Bad) throws -> Bool {
        guard let s = String(validating: field, as: UTF8.self) else {
            if !recover { throw CSVParser.Failure.badUTF8(line: recordLine, field: fields.count + 1) }
            try onBad(recordLine, "text is not valid UTF-8")
            return false
        }
        fields.append(s)
        recordBytes += field.count
        field.removeAll(keepingCapacity: true)
        return true
    }

    private mutating func emit(_ body: (CSVRecord) throws -> Void) throws {
        try body(CSVRecord(line: recordLine, fields: fields))
        resetRecord()
    }

    private mutating func resetRecord() {
        fields.removeAll(keepingCapacity: true)
        field.removeAll(keepingCapacity: true)
        recordHasContent = false
        recordBytes = 0
        mode = .fieldStart
    }

    private mutating func stray(_ onBad: Bad) throws {
        if !recover { throw CSVParser.Failure.strayQuote(line: line) }
        try onBad(recordLine, "a quote character inside an unquoted field")
        resetRecord()
        mode = .skipLine
    }

    /// Reads one block. Records that end inside it go to `body`.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, onBad: Bad, body: (CSVRecord) throws -> Void) throws {
        let n = chunk.count
        var i = 0
        while i < n {
            let c = chunk[i]
            switch mode {
            case .skipLine:
                if c == 0 { throw CSVParser.Failure.binary(line: line) }
                if c == 10 {
                    nextLine()
                    resetRecord()
                }
                i += 1

            case .fieldStart:
                switch c {
                case 44: // ,
                    fields.append("")
                    recordHasContent = true
                    i += 1
                case 34: // "
                    mode = .quoted
                    recordHasContent = true
                    i += 1
                case 13:
                    i += 1
                case 10:
                    if recordHasContent {
                        fields.append("")
                        try emit(body)
                    } else {
                        resetRecord()
                    }
                    nextLine()
                    i += 1
                case 0:
                    throw CSVParser.Failure.binary(line: line)
                default:
                    recordHasContent = true
                    i = try takeUnquotedRun(chunk, from: i, onBad, body)
                }

            case .unquoted:
                switch c {
                case 44:
                    try endFieldAtComma(onBad)
                    i += 1
                case 10:
                    try endRecordAtNewline(onBad, body)
                    i += 1
                case 34:
                    try stray(onBad)
                    i += 1
                case 13:
                    i += 1
                case 0:
                    throw CSVParser.Failure.binary(line: line)
                default:
                    let j = Self.unquotedRunEnd(chunk, from: i)
                    try checkSize(adding: j - i)
                    field.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[i..<j]))
                    i = j
                }

            case .quoted:
                if c == 34 { mode = .quoteSeen; i += 1; continue }
                if c == 0 { throw CSVParser.Failure.binary(line: line) }
                var j = i
                while j < n {
                    let d = chunk[j]
                    if d == 34 || d == 0 { break }
                    if d == 10 { line += 1 }
                    j += 1
                }
                try checkSize(adding: j - i)
                field.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[i..<j]))
                i = j

            case .quoteSeen:
                if c == 34 {
                    field.append(34)
                    mode = .quoted
                    i += 1
                } else {
                    mode = .afterQuoted   // reprocess c
                }

            case .afterQuoted:
                switch c {
                case 44:
                    try endFieldAtComma(onBad)
                    i += 1
                case 10:
                    try endRecordAtNewline(onBad, body)
                    i += 1
                case 13:
                    i += 1
                case 0:
                    throw CSVParser.Failure.binary(line: line)
                default:
                    try stray(onBad)
                    i += 1
                }
            }
        }
    }

    /// Where an unquoted run that starts at `i` ends: at the first comma, newline,
    /// quote, CR or NUL, or at the end of the block.
    @inline(__always)
    private static func unquotedRunEnd(_ chunk: UnsafeRawBufferPointer, from i: Int) -> Int {
        var j = i + 1
        while j < chunk.count {
            let d = chunk[j]
            if d == 44 || d == 10 || d == 34 || d == 13 || d == 0 { break }
            j += 1
        }
        return j
    }

    /// An unquoted field starting at `i`: taken whole when it ends in this block (at a
    /// comma, a newline or CR LF), else kept for the next block in `.unquoted` mode.
    /// Returns where reading goes on.
    @inline(__always)
    private mutating func takeUnquotedRun(_ chunk: UnsafeRawBufferPointer, from i: Int, _ onBad: Bad,
                                          _ body: (CSVRecord) throws -> Void) throws -> Int {
        let n = chunk.count
        let j = Self.unquotedRunEnd(chunk, from: i)
        try checkSize(adding: j - i)
        // The run ends the field here: at a comma, a newline or CR LF.
        var end = -1
        if j < n {
            let d = chunk[j]
            if d == 44 || d == 10 { end = j + 1 } else if d == 13 && j + 1 < n && chunk[j + 1] == 10 { end = j + 2 }
        }
        guard end > 0 else {
            field.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[i..<j]))
            mode = .unquoted
            return j
        }
        let endsRecord = chunk[end - 1] == 10
        if let s = String(validating: UnsafeRawBufferPointer(rebasing: chunk[i..<j]), as: UTF8.self) {
            fields.append(s)
            recordBytes += j - i
        } else {
            field.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[i..<j]))
            if try !finishField(onBad) {
                resetRecord()
                if endsRecord { nextLine() } else { mode = .skipLine }
                return end
            }
        }
        if endsRecord {
            try emit(body)
            nextLine()
        }
        return end
    }

    /// A comma after a field: the next field starts. A field that is not UTF-8 (in
    /// recovery) drops the record, and the rest of its line is skipped.
    @inline(__always)
    private mutating func endFieldAtComma(_ onBad: Bad) throws {
        if try finishField(onBad) {
            mode = .fieldStart
            recordHasContent = true
        } else {
            resetRecord()
            mode = .skipLine
        }
    }

    /// A newline after a field: the record ends (dropped when the field is not UTF-8).
    @inline(__always)
    private mutating func endRecordAtNewline(_ onBad: Bad, _ body: (CSVRecord) throws -> Void) throws {
        if try finishField(onBad) { try emit(body) } else { resetRecord() }
        nextLine()
    }

    /// Past a newline outside quotes: the next record starts on the next line.
    @inline(__always)
    private mutating func nextLine() {
        line += 1
        recordLine = line
    }

    /// Ends the input: a last record without a newline is delivered; an open quote is a
    /// truncated file.
    mutating func finish(onBad: Bad, body: (CSVRecord) throws -> Void) throws {
        switch mode {
        case .skipLine:
            break
        case .quoted:
            if !recover { throw CSVParser.Failure.unterminatedQuote(line: recordLine) }
            try onBad(recordLine, "a quoted field is never closed (truncated file?)")
        case .fieldStart:
            if recordHasContent {
                unterminatedLine = recordLine
                fields.append("")
                try emit(body)
            }
        case .unquoted, .quoteSeen, .afterQuoted:
            unterminatedLine = recordLine
            if try finishField(onBad) { try emit(body) }
        }
        resetRecord()
    }
}
