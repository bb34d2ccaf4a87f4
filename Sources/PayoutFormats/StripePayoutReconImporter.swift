import Foundation
import PayoutCore

/// Reads Stripe's itemized payout reconciliation report (payout_reconciliation.itemized)
/// and the itemized ending balance reconciliation, by column name. Extra columns
/// (`payment_metadata[...]`, customer and shipping columns) are ignored.
///
/// Each row is a balance transaction. Rows with an `automatic_payout_id` are items of
/// that payout (charges and refunds also become transactions); the payout is the sum of
/// its rows' `net`, arriving at `automatic_payout_effective_at`. Rows without one are
/// kept as pending transactions, and are tied to their payout when a later report
/// names it.
final class StripePayoutReconImporter: RowImporter {
    let header: [String]
    let headerLine: Int
    var kind: String { "payout-reconciliation" }

    private let cTxn, cCurrency, cGross, cFee, cNet, cCategory, cCreated, cCreatedUTC, cPayout, cEffective, cEffectiveUTC: Int
    private let cSource, cCharge, cFunding, cMethodType, cDescription, cAccount: Int
    private let merchantId: String

    private var groups: [String: PayoutGroup] = [:]
    private var order: [String] = []
    private var seen = SeenRows()
    private var prepassDone = false
    private var clock: ZoneClock

    static let required = ["balance_transaction_id", "currency", "gross", "fee", "net", "reporting_category"]

    init(headerRecord: CSVRecord, session: ImportSession) throws {
        header = headerRecord.fields.map { Values.trim($0) }
        headerLine = headerRecord.line
        let index = vendorHeaderIndex(header)
        var missing = Self.required.filter { index[$0] == nil }
        if index["created"] == nil && index["created_utc"] == nil { missing.append("created") }
        if !missing.isEmpty {
            throw session.error(headerLine, nil, "a Stripe payout reconciliation report needs column \(missing.joined(separator: ", "))")
        }
        func c(_ n: String) -> Int { index[n] ?? -1 }
        cTxn = c("balance_transaction_id"); cCurrency = c("currency"); cGross = c("gross"); cFee = c("fee"); cNet = c("net")
        cCategory = c("reporting_category"); cCreated = c("created"); cCreatedUTC = c("created_utc")
        cPayout = c("automatic_payout_id"); cEffective = c("automatic_payout_effective_at")
        cEffectiveUTC = c("automatic_payout_effective_at_utc"); cSource = c("source_id"); cCharge = c("charge_id")
        cFunding = c("card_funding"); cMethodType = c("payment_method_type"); cDescription = c("description")
        cAccount = c("connected_account_id")
        merchantId = session.options.merchantId ?? "stripe"
        clock = ZoneClock(zone: session.options.timeZone)
    }

    var wantsPrepass: Bool { true }

    private struct Entry {
        var merchantId: String
        var id: String
        var payout: String?
        var currency: Currency
        var gross: Int64
        var fee: Int64
        var net: Int64
        var category: String
        var created: Instant
        var effective: Instant?
        var charge: String?
        var source: String?
        var cardKind: CardKind
        var line: Int
    }

    private func parse(_ r: CSVRecord, _ s: ImportSession) throws(ImportError) -> Entry {
        let row = try VendorRow(r, header: header, s)
        guard let id = try identifier(row, cTxn) else { throw row.fail(cTxn, "value is missing") }
        let curText = try row.required(cCurrency)
        guard let currency = Currency(code: curText) else { throw row.fail(cCurrency, "unknown currency \(ImportLimits.quote(curText))") }
        let (gross, fee, net) = try readAmounts(row, currency)
        let category = try row.required(cCategory)
        let created = try readCreated(row)
        let effective = try readEffective(row)
        let kind = readCardKind(row)
        let charge = try identifier(row, cCharge)
        let source = try identifier(row, cSource)
        let account = try identifier(row, cAccount)
        return Entry(merchantId: account.map { s.options.merchantId ?? $0 } ?? merchantId, id: id, payout: try identifier(row, cPayout),
                     currency: currency, gross: gross, fee: fee, net: net, category: category, created: created, effective: effective,
                     charge: charge, source: source, cardKind: kind, line: r.line)
    }

    /// A Stripe id (balance transaction, charge, payout ...); nil when empty.
    private func identifier(_ row: VendorRow, _ c: Int) throws(ImportError) -> String? {
        guard let v = row.value(c) else { return nil }
        if let p = Values.identifierProblem(v, .payoutRef) { throw row.fail(c, "\(ImportLimits.quote(v)) \(p)") }
        return v
    }

    /// Gross, fee and net in minor units; net must be gross less fee.
    private func readAmounts(_ row: VendorRow, _ currency: Currency) throws(ImportError) -> (gross: Int64, fee: Int64, net: Int64) {
        func amount(_ c: Int) throws(ImportError) -> Int64 { try row.minorUnits(c, try row.required(c), currency) }
        let gross = try amount(cGross), fee = try amount(cFee), net = try amount(cNet)
        let (expected, o) = gross.subtractingReportingOverflow(fee)
        if o || expected != net {
            throw row.fail(cNet, "\(Money(minor: net, currency: currency).decimalString) is not gross \(Money(minor: gross, currency: currency).decimalString) less fee \(Money(minor: fee, currency: currency).decimalString)")
        }
        return (gross, fee, net)
    }

    /// When the balance transaction was created: `created_utc` when given, else `created`.
    private func readCreated(_ row: VendorRow) throws(ImportError) -> Instant {
        if let v = row.value(cCreatedUTC) {
            guard let t = InstantParser.parse(v, zone: TimeZone(secondsFromGMT: 0)!) else { throw row.fail(cCreatedUTC, "\(ImportLimits.quote(v)) is not a date and time (expected YYYY-MM-DD HH:MM:SS)") }
            return t
        }
        let c = cCreated >= 0 ? cCreated : cCreatedUTC
        let v = try row.required(c)
        return try time(v, c, row)
    }

    /// When the payout arrives, when the row names it: the UTC column, else the local one.
    private func readEffective(_ row: VendorRow) throws(ImportError) -> Instant? {
        if let v = row.value(cEffectiveUTC) {
            guard let t = InstantParser.parse(v, zone: TimeZone(secondsFromGMT: 0)!) else { throw row.fail(cEffectiveUTC, "\(ImportLimits.quote(v)) is not a date and time") }
            return t
        }
        if let v = row.value(cEffective) {
            return try time(v, cEffective, row)
        }
        return nil
    }

    /// The card kind from `card_funding`, else QR for a wallet payment method, else other.
    private func readCardKind(_ row: VendorRow) -> CardKind {
        if let funding = row.value(cFunding)?.lowercased() {
            return funding == "credit" ? .credit : funding == "debit" ? .debit : .other
        }
        if let m = row.value(cMethodType)?.lowercased(), m.contains("wechat") || m.contains("alipay") || m.contains("qr") {
            return .qr
        }
        return .other
    }

    /// A date and time: with an offset or Z as written, else in the import's zone.
    private func time(_ v: String, _ c: Int, _ row: VendorRow) throws(ImportError) -> Instant {
        if v.hasSuffix("Z") || v.dropFirst(16).contains("+") || v.dropFirst(16).contains("-") {
            guard let t = InstantParser.parse(v, zone: clock.zone) else { throw row.fail(c, "\(ImportLimits.quote(v)) is not a date and time (expected YYYY-MM-DD HH:MM:SS)") }
            return t
        }
        guard let (t, _) = Values.localDateTime(date: v, time: nil) else {
            throw row.fail(c, "\(ImportLimits.quote(v)) is not a date and time (expected YYYY-MM-DD HH:MM:SS)")
        }
        return clock.instant(t)
    }

    private func account(_ e: Entry, _ s: ImportSession) throws(ImportError) {
        if let first = seen.check(e.id, line: e.line) {
            throw s.error(e.line, header[cTxn], "\(e.id) repeats line \(first); a report lists each balance transaction once")
        }
        guard let payout = e.payout else { return }
        let key = e.merchantId + "\u{1F}" + payout
        if var g = groups[key] {
            if g.currency != e.currency {
                throw s.error(e.line, header[cCurrency], "payout \(payout) mixes currencies: \(e.currency.code) here, \(g.currency.code) at line \(g.firstLine)")
            }
            g.add(e.net)
            if let t = e.effective { g.payoutAt = t }
            if e.created > g.lastAt { g.lastAt = e.created }
            groups[key] = g
        } else {
            var g = PayoutGroup(merchantId: e.merchantId, ref: payout, label: "payout \(payout)", currency: e.currency,
                                firstLine: e.line, lastAt: e.created)
            g.add(e.net)
            g.payoutAt = e.effective
            groups[key] = g
            order.append(key)
        }
    }

    func prepass(_ r: CSVRecord, _ s: ImportSession) {
        do {
            let e = try parse(r, s)
            do { try account(e, s) } catch {
                if let p = e.payout { markBad(e.merchantId + "\u{1F}" + p, error, r, s) }
            }
        } catch {
            if cPayout >= 0, cPayout < r.fields.count {
                let p = Values.trim(r.fields[cPayout])
                if !p.isEmpty { markBad(merchantId + "\u{1F}" + p, s.error(r.line, nil, "payout \(p) has a bad row at line \(r.line)"), r, s) }
            }
        }
    }

    private func markBad(_ key: String, _ e: ImportError, _ r: CSVRecord, _ s: ImportSession) {
        if groups[key] == nil {
            groups[key] = PayoutGroup(merchantId: merchantId, ref: key, label: key, currency: .USD, firstLine: r.line,
                                      lastAt: Instant(epochMillis: 0))
            order.append(key)
        }
        if groups[key]?.problem == nil { groups[key]?.problem = e }
    }

    private func endPrepass() {
        prepassDone = true
        for key in order {
            guard var g = groups[key] else { continue }
            if g.problem == nil && g.overflow {
                g.problem = ImportError(file: "", line: g.firstLine, reason: g.overflowReason)
            }
            g.restartTotals()
            groups[key] = g
        }
        seen = SeenRows()
    }

    func row(_ r: CSVRecord, _ s: ImportSession) throws -> Bool {
        if s.skipBad && !prepassDone { endPrepass() }
        let e = try parse(r, s)
        if let p = e.payout, let problem = groups[e.merchantId + "\u{1F}" + p]?.problem {
            throw s.error(r.line, nil, "not imported: \(problem.reason)")
        }
        try account(e, s)
        try write(e, s)
        return true
    }

    private enum Role { case charge, refund, dispute, fee, reserve, release, adjustment }

    private static func role(_ category: String) -> Role {
        switch category.lowercased() {
        case "charge": return .charge
        case "refund", "refund_failure", "partial_capture_reversal": return .refund
        case "dispute", "dispute_reversal": return .dispute
        case "fee", "stripe_fee", "network_cost", "tax": return .fee
        case "risk_reserved_funds": return .reserve
        case "risk_released_funds": return .release
        default: return .adjustment
        }
    }

    /// Writes a charge or refund as a transaction, and a row of a payout as its item.
    private func write(_ e: Entry, _ s: ImportSession) throws {
        let lower = e.category.lowercased()
        if lower == "charge" || lower == "refund" { try writeTransaction(e, sale: lower == "charge", s) }
        guard let payout = e.payout else { return }
        try writeItems(e, payout: payout, s)
    }

    private func writeTransaction(_ e: Entry, sale: Bool, _ s: ImportSession) throws {
        let t = Transaction(
            merchantId: e.merchantId, terminalId: "", batchNo: "", traceNo: e.id, rrn: e.charge ?? e.source ?? e.id,
            authCode: "", cardMasked: "", cardKind: e.cardKind, kind: sale ? .sale : .refund,
            amount: Money(minor: sale ? abs(e.gross) : -abs(e.gross), currency: e.currency),
            fee: e.fee != 0 ? Money(minor: e.fee, currency: e.currency) : nil,
            occurredAt: e.created, payoutRef: e.payout)
        try s.addTransactionListedOnce(t, line: e.line) { first in
            s.error(e.line, header[cTxn], "\(e.id) repeats line \(first)")
        }
    }

    /// The payout items of a row: charges, refunds and disputes by their gross with the
    /// fee as an item of its own; other rows by their net.
    private func writeItems(_ e: Entry, payout: String, _ s: ImportSession) throws {
        let key = e.merchantId + "\u{1F}" + payout
        var g = groups[key]!
        func item(_ kind: PayoutItemKind, _ minor: Int64, _ note: String) throws {
            try g.writeItem(kind, minor, rrn: e.charge ?? e.source, note: note, line: e.line, to: s.sink)
        }
        let note = e.category + " " + e.id
        let role = Self.role(e.category)
        switch role {
        case .charge, .refund, .dispute:
            try item(role == .charge ? .transaction : role == .refund ? .refund : .chargeback, e.gross, note)
            if e.fee != 0 { try item(.fee, -e.fee, "fee of " + e.id) }
        case .fee:
            try item(.fee, e.net, note)
        case .reserve:
            try item(.reserve, e.net, note)
        case .release:
            try item(.release, e.net, note)
        case .adjustment:
            try item(.adjustment, e.net, note)
        }
        groups[key] = g
    }

    func finish(_ s: ImportSession) throws {
        if s.skipBad && !prepassDone { endPrepass() }
        for key in order {
            guard let g = groups[key], g.problem == nil else { continue }
            if g.overflow { throw FileLevelError(error: s.error(g.firstLine, nil, g.overflowReason)) }
            let money = Money(minor: g.sum, currency: g.currency)
            let at = g.payoutAt ?? g.lastAt
            let day = LocalDateTime(at, in: s.options.timeZone).date
            try s.addGroupPayout(Payout(merchantId: g.merchantId, ref: g.ref, cycleDate: day, expectedAmount: money, paidAmount: money,
                                        status: .paid, expectedArrival: g.payoutAt, creditedAt: g.payoutAt), line: g.firstLine)
        }
    }
}
