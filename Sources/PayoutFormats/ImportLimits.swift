import PayoutCore

/// The size limits of what an import reads, in one place (docs/report-formats.md,
/// "Sizes and card numbers"). The CSV reader refuses a field or a record larger than
/// its byte limit before holding more of it.
public enum ImportLimits {
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

/// The one pass every imported record takes before it reaches the store (see
/// docs/report-formats.md, "Sizes and card numbers"): each text and identifier field
/// has any card-like number masked
/// (`CardNumber.redact`, 13-19 digits, plain, spaced or dashed). The merchant id is the
/// one field kept as written (an identifier by definition; a MID may pass Luhn), and it
/// is kept readable inside the other fields too.
final class RedactingSink: ReportSink {
    let inner: any ReportSink
    /// Every merchant id the records named: identifiers that messages keep readable.
    private(set) var merchantIds: Set<String> = []

    init(_ inner: any ReportSink) { self.inner = inner }

    private func keep(_ mid: String) -> Set<String> {
        if !merchantIds.contains(mid) { merchantIds.insert(mid) }
        return [mid]
    }

    private func mask(_ v: String, _ keeping: Set<String>) -> String { CardNumber.redact(v, keeping: keeping) }

    private func mask(_ v: String?, _ keeping: Set<String>) -> String? { v.map { mask($0, keeping) } }

    func clean(_ t: Transaction, _ line: Int) throws -> Transaction {
        let k = keep(t.merchantId)
        var t = t
        t.terminalId = mask(t.terminalId, k)
        t.terminalName = mask(t.terminalName, k)
        t.batchNo = mask(t.batchNo, k)
        t.traceNo = mask(t.traceNo, k)
        t.rrn = mask(t.rrn, k)
        t.authCode = mask(t.authCode, k)
        t.payoutRef = mask(t.payoutRef, k)
        return t
    }

    func add(_ t: Transaction, line: Int) throws { try inner.add(clean(t, line), line: line) }

    func addTransactionChecked(_ t: Transaction, line: Int) throws -> TxnOutcome {
        try inner.addTransactionChecked(clean(t, line), line: line)
    }

    func add(_ p: Payout, line: Int) throws {
        let k = keep(p.merchantId)
        var p = p
        p.ref = mask(p.ref, k)
        p.bankRef = mask(p.bankRef, k)
        p.failureCode = mask(p.failureCode, k)
        try inner.add(p, line: line)
    }

    func add(_ item: PayoutItem, line: Int) throws {
        let k = keep(item.merchantId)
        var item = item
        item.payoutRef = mask(item.payoutRef, k)
        item.rrn = mask(item.rrn, k)
        item.note = mask(item.note, k)
        try inner.add(item, line: line)
    }

    func add(_ e: AccountEvent, line: Int) throws {
        let k = keep(e.merchantId)
        var e = e
        e.reason = mask(e.reason, k)
        try inner.add(e, line: line)
    }

    func add(_ m: Merchant, line: Int) throws {
        let k = keep(m.merchantId)
        var m = m
        m.name = mask(m.name, k)
        m.acquirer = mask(m.acquirer, k)
        m.bankAccountMasked = mask(m.bankAccountMasked, k)
        m.cycle = mask(m.cycle, k)
        try inner.add(m, line: line)
    }

    private func clean(_ h: Hold, _ line: Int) throws -> Hold {
        let k = keep(h.merchantId)
        var h = h
        h.ref = mask(h.ref, k)
        h.rrn = mask(h.rrn, k)
        h.payoutRef = mask(h.payoutRef, k)
        h.reason = mask(h.reason, k)
        return h
    }

    func add(_ h: Hold, line: Int) throws { try inner.add(clean(h, line), line: line) }

    func addHoldIfNew(_ h: Hold, line: Int) throws -> Bool { try inner.addHoldIfNew(clean(h, line), line: line) }

    func releaseHold(merchantId: String, ref: String?, amount: Money, at: Instant, line: Int) throws -> ReleaseOutcome {
        let k = keep(merchantId)
        let r = mask(ref, k)
        return try inner.releaseHold(merchantId: merchantId, ref: r, amount: amount, at: at, line: line)
    }
}
