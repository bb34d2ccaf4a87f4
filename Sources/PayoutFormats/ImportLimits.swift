import PayoutCore

/// The size limits of what an import reads, in one place (docs/report-formats.md,
/// "Sizes and card numbers"). A text field longer than its limit is a `FILE:LINE`
/// error naming the column and the length; the CSV reader refuses a field or a record
/// larger than its byte limit before holding more of it.
public enum ImportLimits {
    /// Names: a merchant's, a terminal's, an acquirer's.
    public static let name = 200
    /// References and identifiers: bank reference, hold and payout references. (The
    /// identifier columns checked by `IdentifierKind` keep its bounds, 40 or 64.)
    public static let reference = 64
    /// Free text: a reason, a note, a failure code and its text, a cycle.
    public static let text = 500
    /// One CSV field, in bytes as read (a 500-character Chinese text is 1500 bytes).
    public static let fieldBytes = 8 * 1024
    /// One CSV record, in bytes as read.
    public static let recordBytes = 64 * 1024
    /// How much of a value an error message quotes.
    public static let quotedPrefix = 40

    /// `value` in double quotes for a message: at most `quotedPrefix` characters, then "…".
    public static func quote(_ value: String) -> String {
        "\"" + shorten(value) + "\""
    }

    /// At most `quotedPrefix` characters of `value`, then "…" when it was longer.
    public static func shorten(_ value: String) -> String {
        value.count <= quotedPrefix ? value : String(value.prefix(quotedPrefix)) + "…"
    }
}

/// A text field longer than its limit, thrown by `RedactingSink` and turned into an
/// `ImportError` naming the file's column by the driver.
struct FieldTooLong: Error {
    /// The field as docs/report-formats.md names it (canonical column names).
    let field: String
    let length: Int
    let limit: Int
    let line: Int
    var reason: String { "is \(length) characters long; at most \(limit) are allowed" }
}

/// The one pass every imported record takes before it reaches the store (see
/// docs/report-formats.md, "Sizes and card numbers"): each text and identifier field is
/// checked against its limit and has any card-like number masked
/// (`CardNumber.redact`, 13-19 digits, plain, spaced or dashed). The merchant id is the
/// one field kept as written (an identifier by definition; a MID may pass Luhn), and it
/// is kept readable inside the other fields too.
final class RedactingSink: ReportSink {
    let inner: any ReportSink
    /// Every merchant id the records named: identifiers that messages keep readable.
    private(set) var merchantIds: Set<String> = []

    init(_ inner: any ReportSink) { self.inner = inner }

    var refusedRevisions: (listed: [RecordRevision], total: Int) { inner.refusedRevisions }

    private func keep(_ mid: String) -> Set<String> {
        if !merchantIds.contains(mid) { merchantIds.insert(mid) }
        return [mid]
    }

    private func text(_ v: String, _ field: String, _ limit: Int, _ line: Int, _ keeping: Set<String>) throws -> String {
        // Characters never outnumber UTF-8 bytes: count them only when the bytes could be too many.
        if v.utf8.count > limit {
            let n = v.count
            if n > limit { throw FieldTooLong(field: field, length: n, limit: limit, line: line) }
        }
        return CardNumber.redact(v, keeping: keeping)
    }

    private func text(_ v: String?, _ field: String, _ limit: Int, _ line: Int, _ keeping: Set<String>) throws -> String? {
        guard let v else { return nil }
        return try text(v, field, limit, line, keeping) as String
    }

    func clean(_ t: Transaction, _ line: Int) throws -> Transaction {
        let k = keep(t.merchantId)
        var t = t
        t.terminalId = try text(t.terminalId, "terminal_id", ImportLimits.reference, line, k)
        t.terminalName = try text(t.terminalName, "terminal_name", ImportLimits.name, line, k)
        t.batchNo = try text(t.batchNo, "batch_no", ImportLimits.reference, line, k)
        t.traceNo = try text(t.traceNo, "trace_no", ImportLimits.reference, line, k)
        t.rrn = try text(t.rrn, "rrn", ImportLimits.reference, line, k)
        t.authCode = try text(t.authCode, "auth_code", ImportLimits.reference, line, k)
        t.payoutRef = try text(t.payoutRef, "payout_ref", ImportLimits.reference, line, k)
        return t
    }

    func add(_ t: Transaction, line: Int) throws { handed(line); try inner.add(clean(t, line), line: line) }

    func addTransactionChecked(_ t: Transaction, line: Int) throws -> TxnOutcome {
        handed(line)
        return try inner.addTransactionChecked(clean(t, line), line: line)
    }

    func add(_ p: Payout, line: Int) throws {
        let k = keep(p.merchantId)
        var p = p
        p.ref = try text(p.ref, "payout_ref", ImportLimits.reference, line, k)
        p.bankRef = try text(p.bankRef, "bank_ref", ImportLimits.reference, line, k)
        p.failureCode = try text(p.failureCode, "failure_code", ImportLimits.text, line, k)
        handed(line)
        try inner.add(p, line: line)
    }

    func add(_ item: PayoutItem, line: Int) throws {
        let k = keep(item.merchantId)
        var item = item
        item.payoutRef = try text(item.payoutRef, "payout_ref", ImportLimits.reference, line, k)
        item.rrn = try text(item.rrn, "rrn", ImportLimits.reference, line, k)
        item.note = try text(item.note, "note", ImportLimits.text, line, k)
        handed(line)
        try inner.add(item, line: line)
    }

    func add(_ e: AccountEvent, line: Int) throws {
        let k = keep(e.merchantId)
        var e = e
        e.reason = try text(e.reason, "reason", ImportLimits.text, line, k)
        handed(line)
        try inner.add(e, line: line)
    }

    func add(_ m: Merchant, line: Int) throws {
        let k = keep(m.merchantId)
        var m = m
        m.name = try text(m.name, "merchant_name", ImportLimits.name, line, k)
        m.acquirer = try text(m.acquirer, "acquirer", ImportLimits.name, line, k)
        m.bankAccountMasked = try text(m.bankAccountMasked, "bank_account", ImportLimits.reference, line, k)
        m.cycle = try text(m.cycle, "cycle", ImportLimits.reference, line, k)
        handed(line)
        try inner.add(m, line: line)
    }

    private func clean(_ h: Hold, _ line: Int) throws -> Hold {
        let k = keep(h.merchantId)
        var h = h
        h.ref = try text(h.ref, "hold_ref", ImportLimits.reference, line, k)
        h.rrn = try text(h.rrn, "rrn", ImportLimits.reference, line, k)
        h.payoutRef = try text(h.payoutRef, "payout_ref", ImportLimits.reference, line, k)
        h.reason = try text(h.reason, "reason", ImportLimits.text, line, k)
        return h
    }

    func add(_ h: Hold, line: Int) throws { handed(line); try inner.add(clean(h, line), line: line) }

    func addHoldIfNew(_ h: Hold, line: Int) throws -> Bool { handed(line); return try inner.addHoldIfNew(clean(h, line), line: line) }

    func releaseHold(merchantId: String, ref: String?, amount: Money, at: Instant, line: Int) throws -> ReleaseOutcome {
        let k = keep(merchantId)
        let r = try text(ref, "hold_ref", ImportLimits.reference, line, k)
        handed(line)
        return try inner.releaseHold(merchantId: merchantId, ref: r, amount: amount, at: at, line: line)
    }

    /// Marks `line` as having handed a record to the sink (see `RowTally.handed`).
    private func handed(_ line: Int) { tally?.mark(line, RowTally.handedBit) }

    var tally: RowTally? {
        get { inner.tally }
        set { inner.tally = newValue }
    }
}
