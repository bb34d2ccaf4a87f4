import Foundation
import PayoutCore

/// Canonical CSV behind the importer protocol.
final class CanonicalRows: RowImporter {
    var inner: CanonicalImporter
    let header: [String]
    let headerLine: Int
    var kind: String { inner.kind.rawValue }

    init(kind: CanonicalKind, headerRecord: CSVRecord, session: ImportSession) throws {
        header = headerRecord.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        headerLine = headerRecord.line
        inner = try CanonicalImporter(kind: kind, file: session.file, header: header, zone: session.options.timeZone)
    }

    func row(_ record: CSVRecord, _ session: ImportSession) throws -> Bool {
        try inner.row(record, into: session.sink)
        return true
    }

    func finish(_ session: ImportSession) throws {}

    func merchantIds(_ fields: [String]) -> Set<String> {
        guard let i = header.firstIndex(of: "merchant_id"), i < fields.count else { return [] }
        return [Values.trim(fields[i])]
    }
}

/// Runs one file through encoding detection, the CSV reader, format detection and the
/// chosen importer, routing bad rows to errors or (with `skipBad`) to the rejects.
final class ImportDriver {
    let session: ImportSession
    let detector: FormatDetector
    private(set) var importer: RowImporter?
    private(set) var format: ReportFormat?
    private var pending: [CSVRecord] = []
    private var sawFirstRecord = false
    private var rejectsFile = false
    private var prepassing = false
    private let every: Int

    init(session: ImportSession) {
        self.session = session
        self.detector = FormatDetector(file: session.file, options: session.options)
        self.every = max(1, session.options.progressEvery)
    }

    private var file: String { session.file }

    /// Reads every record (twice when the importer needs a first pass) and finishes the
    /// importer.
    func run(_ source: ReportBytes, size: Int, encoding: SourceEncoding) throws {
        try pass(source, size: size, encoding: encoding)
        if importer == nil {
            if let (d, index) = try detector.decide(pending, final: true) { try install(d, at: index) }
        }
        if prepassing {
            prepassing = false
            try pass(source, size: size, encoding: encoding)
        }
        if let importer {
            do { try importer.finish(session) } catch let f as FileLevelError {
                throw safe(f.error, fields: [])
            } catch let e as ImportError {
                throw safe(e, fields: [])
            } catch let t as FieldTooLong {
                throw safe(tooLong(t), fields: [])
            } catch let r as RecordRevision {
                throw safe(ImportError(file: file, line: r.line, reason: r.reason), fields: [])
            }
        }
        try refuseRevisions()
    }

    /// A file with revisions that were not accepted is refused once every row is read,
    /// naming each (the first `RecordRevision.listed`, then how many more), each with its
    /// line here and the place of the record it revises (docs/report-formats.md).
    private func refuseRevisions() throws {
        let (listed, total) = session.sink.refusedRevisions
        guard let first = listed.first else { return }
        var e = ImportError(file: file, line: first.line, reason: first.reason)
        if total > 1 {
            // "revises ... (1 of N revisions in this file); a changed record is refused ..."
            e.reason = first.change + " (1 of \(total) revisions in this file)" + first.reason.dropFirst(first.change.count)
            e.related = listed.dropFirst().map { safe(ImportError(file: file, line: $0.line, reason: $0.change), fields: []) }
            e.relatedMore = total - listed.count
        }
        throw safe(e, fields: [])
    }

    /// An error as it may be printed or written to the rejects file: quoted values cut
    /// to a short prefix, card-like numbers masked except the merchant ids known to the
    /// import and named by the row's `fields` (docs/report-formats.md, "Sizes and card
    /// numbers").
    private func safe(_ e: ImportError, fields: [String]) -> ImportError {
        var keep = session.knownMerchantIds
        if let importer { keep.formUnion(importer.merchantIds(fields)) }
        var safe = e
        safe.reason = PANScrubber.scrub(Self.shortenQuoted(e.reason), keeping: keep)
        return safe
    }

    private func tooLong(_ t: FieldTooLong) -> ImportError {
        ImportError(file: file, line: t.line, column: importer?.column(forField: t.field) ?? t.field, reason: t.reason)
    }

    /// Every double-quoted stretch of `reason` longer than `ImportLimits.quotedPrefix`
    /// cut to that prefix and "…"; a whole message at most 500 characters.
    static func shortenQuoted(_ reason: String) -> String {
        guard reason.count > ImportLimits.quotedPrefix else { return reason }
        var out = ""
        var inQuote = false
        var quoted = ""
        for ch in reason {
            if ch == "\"" {
                if inQuote { out += ImportLimits.shorten(quoted) + "\""; quoted = "" } else { out.append(ch) }
                inQuote.toggle()
            } else if inQuote {
                quoted.append(ch)
            } else {
                out.append(ch)
            }
        }
        if inQuote { out += ImportLimits.shorten(quoted) }
        return out.count > 500 ? String(out.prefix(500)) + "…" : out
    }

    private func pass(_ source: ReportBytes, size: Int, encoding: SourceEncoding) throws {
        var stream = CSVStream(recover: session.skipBad)
        let onBad: CSVStream.Bad = { [unowned self] line, reason in try self.bad(line, reason) }
        let body: (CSVRecord) throws -> Void = { [unowned self] r in try self.take(r) }
        do {
            var decoder: GB18030Decoder?
            if encoding == .gb18030 { decoder = try GB18030Decoder() }
            var first = true
            session.bytesRead = 0
            session.totalBytes = size
            let read = try source.forEachBlock { block in
                session.bytesRead += block.count
                var b = block
                if first {
                    first = false
                    if encoding == .utf8BOM && b.count >= 3 { b = UnsafeRawBufferPointer(rebasing: b[3...]) }
                }
                if let decoder {
                    try decoder.feed(b) { chunk in try stream.feed(chunk, onBad: onBad, body: body) }
                } else {
                    try stream.feed(b, onBad: onBad, body: body)
                }
            }
            if read != size { throw ImportError(file: file, line: 0, reason: "the file changed while it was being imported; import it again") }
            try decoder?.finish()
            session.atUnterminatedEnd = true
            defer { session.atUnterminatedEnd = false }
            try stream.finish(onBad: onBad, body: body)
            session.unterminatedLine = stream.unterminatedLine
        } catch let e as EncodingProblem {
            throw ImportError(file: file, line: e.line, reason: e.reason)
        } catch let f as CSVParser.Failure {
            switch f {
            case .binary(let line):
                throw ImportError(file: file, line: line, reason: "not a text file (binary data)")
            case .badUTF8(let line, let field):
                var col: String?
                if let h = importer?.header, field >= 1, field - 1 < h.count { col = h[field - 1] }
                let hint = encoding == .gb18030 ? "" : line > 1 ? " (the lines before it are: mixed encodings?)" : ""
                throw ImportError(file: file, line: line, column: col, reason: "text is not valid UTF-8" + hint)
            case .unterminatedQuote(let line):
                throw ImportError(file: file, line: line, reason: "a quoted field is never closed (truncated file?)")
            case .tooLong(let line, let field, let record):
                var col: String?
                if let h = importer?.header, field >= 1, field - 1 < h.count { col = h[field - 1] }
                throw ImportError(file: file, line: line, column: record ? nil : col,
                                  reason: record ? "the record is longer than \(ImportLimits.recordBytes) bytes; refused before reading on"
                                                 : "the field is longer than \(ImportLimits.fieldBytes) bytes; refused before reading on")
            case .strayQuote(let line):
                throw ImportError(file: file, line: line, reason: "a quote character inside an unquoted field")
            }
        }
    }

    /// A record the CSV reader could not read, under `skipBad`.
    private func bad(_ line: Int, _ reason: String) throws {
        guard let importer else { throw ImportError(file: file, line: line, reason: reason) }
        if prepassing || line <= importer.headerLine { return }
        countRow(line)
        reject(ImportError(file: file, line: line, reason: reason), line: line, fields: [])
    }

    private func countRow(_ line: Int) {
        session.tally.mark(line, RowTally.rowBit)
        session.rows += 1
        if session.rows % every == 0 { session.reportProgress() }
    }

    private func take(_ record: CSVRecord) throws {
        var r = record
        if !sawFirstRecord {
            sawFirstRecord = true
            if r.fields.count >= 2, Values.trim(r.fields[0]).replacingOccurrences(of: "\u{FEFF}", with: "") == "rejected_line",
               Values.trim(r.fields[1]) == "rejected_reason" {
                rejectsFile = true
            }
        }
        if rejectsFile { r.fields.removeFirst(min(2, r.fields.count)) }
        guard let importer else {
            pending.append(r)
            if let (d, index) = try detector.decide(pending, final: false) { try install(d, at: index) }
            return
        }
        if r.line <= importer.headerLine { return }
        if prepassing { importer.prepass(r, session); return }
        do {
            if try importer.row(r, session) { countRow(r.line) }
        } catch let raw as ImportError {
            countRow(r.line)
            // A message quoting a value never shows a card number, whatever column it was in.
            let e = safe(raw, fields: r.fields)
            guard session.skipBad else { throw e }
            try rejectUnwritten(e, r, importer)
        } catch let t as FieldTooLong {
            countRow(r.line)
            let e = safe(tooLong(t), fields: r.fields)
            // Where a bad row sets aside its whole group (Adyen batch, Stripe payout), the
            // groups were chosen in the first pass and some of this one is written: the
            // file is refused rather than store a payout without all of its rows.
            guard session.skipBad, !importer.wantsPrepass else { throw e }
            try rejectUnwritten(e, r, importer)
        } catch let c as RecordConflict {
            countRow(r.line)
            let e = safe(ImportError(file: file, line: r.line, reason: c.reason), fields: r.fields)
            // The same for a record the store refuses: the rest of its group is written.
            guard session.skipBad, !importer.wantsPrepass else { throw e }
            try rejectUnwritten(e, r, importer)
        } catch let v as RecordRevision {
            // A revision refuses the whole file, --skip-bad or not (docs/report-formats.md).
            throw safe(ImportError(file: file, line: v.line, reason: v.reason), fields: r.fields)
        } catch let f as FileLevelError {
            throw safe(f.error, fields: r.fields)
        }
    }

    /// Sets a bad row aside under `skipBad`, unless part of it reached the sink before
    /// its error: a row both stored and rejected would be counted twice and half of it
    /// kept, so the file is refused instead. For an importer that writes groups (Adyen
    /// batch, Stripe payout), any record of the row handed to the sink means the rest
    /// of its group is written too.
    private func rejectUnwritten(_ e: ImportError, _ r: CSVRecord, _ importer: RowImporter) throws {
        if session.tally.stored(r.line) || (importer.wantsPrepass && session.tally.handed(r.line)) {
            var refused = e
            refused.reason += " (part of the row was already written, so the file is refused rather than keep half of it)"
            throw refused
        }
        reject(e, line: r.line, fields: importer.scrub(r.fields, keeping: session.knownMerchantIds))
    }

    private func reject(_ e: ImportError, line: Int, fields: [String]) {
        session.tally.mark(line, RowTally.rejectedBit)
        session.reject(e, fields: fields)
    }

    /// Creates the importer for a detection whose header is `pending[index]`, then
    /// feeds it the records already read after the header.
    private func install(_ d: Detection, at index: Int) throws {
        let headerRecord = pending[index]
        let imp: RowImporter
        switch d {
        case .canonical(let kind):
            imp = try CanonicalRows(kind: kind, headerRecord: headerRecord, session: session)
            format = .canonical
        case .cn(let match):
            imp = try CNSettlementImporter(match: match, headerRecord: headerRecord, preamble: Array(pending[..<index]),
                                           session: session, rejectsFile: rejectsFile)
            format = .cnSettlement
        case .adyen:
            imp = try AdyenSDRImporter(headerRecord: headerRecord, session: session)
            format = .adyenSdr
        case .stripe:
            imp = try StripePayoutReconImporter(headerRecord: headerRecord, session: session)
            format = .stripePayoutRecon
        case .wechatBill:
            imp = try WeChatBillImporter(headerRecord: headerRecord, session: session, rejectsFile: rejectsFile)
            format = .wechatBill
        case .alipayStatement:
            imp = try AlipayStatementImporter(headerRecord: headerRecord, preamble: Array(pending[..<index]),
                                              session: session, rejectsFile: rejectsFile)
            format = .alipayStatement
        }
        importer = imp
        prepassing = imp.wantsPrepass && (session.skipBad || imp.prepassAlways)
        let rest = pending[(index + 1)...]
        pending = []
        for r in rest {
            // Already stripped of rejects columns: go straight to the importer.
            try takeStripped(r)
        }
    }

    private func takeStripped(_ r: CSVRecord) throws {
        let saved = rejectsFile
        rejectsFile = false
        defer { rejectsFile = saved }
        try take(r)
    }
}
