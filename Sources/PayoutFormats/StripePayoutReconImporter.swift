import Foundation
import PayoutCore

/// Reads Stripe's itemized balance transaction reports by column name: the payout
/// reconciliation (payout_reconciliation.itemized), the balance change from activity
/// (balance_change_from_activity.itemized) and the ending balance reconciliation
/// (ending_balance_reconciliation.itemized). Extra columns (`payment_metadata[...]`,
/// customer and shipping columns, columns Stripe adds later) are ignored.
///
/// Each row is a balance transaction, and each becomes a transaction (a charge a
/// sale, a refund a refund, every other category an adjustment) with the gross and
/// fee the report gives. A row with an `automatic_payout_id` is also a line of that
/// payout; a row without one is pending balance and stays a transaction without a
/// payout until a later report names it. A `payout` row is the payout itself: its
/// amount must equal what its rows add up to. See docs/report-formats.md.
///
/// The importer reads the file twice (`prepassAlways`): which merchant a payout's rows
/// belong to depends on the whole file (a Connect report names each row's account).
final class StripePayoutReconImporter: RowImporter {
    let header: [String]
    let headerLine: Int
    var kind: String { "payout-reconciliation" }

    private let cTxn, cCurrency, cGross, cFee, cNet, cCategory, cCreated, cCreatedUTC, cPayout, cEffective, cEffectiveUTC: Int
    private let cSource, cCharge, cFunding, cMethodType, cAccount: Int
    /// The merchant of rows that name no account of their own.
    private let defaultMerchant: String
    /// True when `--merchant` (or the config) names the merchant of every row.
    private let merchantGiven: Bool

    /// What the first pass learnt of each payout.
    private struct Plan {
        var accounts: [String] = []
        var problem: ImportError?
    }
    private var plans: [String: Plan] = [:]
    /// False once a row other than a payout row names no connected account.
    private var everyRowNamesAccount = true
    private var prepassDone = false

    private var groups: [String: PayoutGroup] = [:]
    private var order: [String] = []
    /// Per payout: its rows other than the payout row, and the payout's date as written.
    private var itemRows: [String: Int] = [:]
    private var payoutDays: [String: LocalDate] = [:]
    private var seen = SeenRows()
    private var pendingRows = 0
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
        cFunding = c("card_funding"); cMethodType = c("payment_method_type")
        cAccount = c("connected_account_id")
        defaultMerchant = session.options.merchantId ?? "stripe"
        merchantGiven = session.options.merchantId != nil
        clock = ZoneClock(zone: session.options.timeZone)
    }

    var wantsPrepass: Bool { true }
    var prepassAlways: Bool { true }

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
        /// The payout's day as the report writes it (the date of the effective column).
        var effectiveDay: LocalDate?
        var charge: String?
        var source: String?
        var cardKind: CardKind
        var line: Int
        var isPayoutRow: Bool { category == "payout" }
    }

    /// A cell as written (trimmed), "" when the column is absent.
    private func raw(_ r: CSVRecord, _ c: Int) -> String {
        c >= 0 && c < r.fields.count ? Values.trim(r.fields[c]) : ""
    }

    /// The payout a record belongs to as written: its `automatic_payout_id`, or for a
    /// `payout` row its own `source_id` (the payout's id).
    private func rawPayout(_ r: CSVRecord) -> String? {
        let p = raw(r, cPayout)
        if !p.isEmpty { return p }
        if raw(r, cCategory).lowercased() == "payout" {
            let s = raw(r, cSource)
            return s.isEmpty ? nil : s
        }
        return nil
    }

    /// True when the file is a Connect report of connected accounts' balances: every
    /// row but the payouts names its account, which is then the merchant.
    private var perAccount: Bool { cAccount >= 0 && everyRowNamesAccount && !merchantGiven && prepassDone }

    /// The merchant of a payout's rows: `--merchant`, else in a Connect report the
    /// account its rows name, else the default.
    private func merchant(ofPayout p: String) -> String {
        guard perAccount, let first = plans[p]?.accounts.first else { return defaultMerchant }
        return first
    }

    private func parse(_ r: CSVRecord, _ s: ImportSession) throws(ImportError) -> Entry {
        let row = try VendorRow(r, header: header, s)
        guard let id = try identifier(row, cTxn) else { throw row.fail(cTxn, "value is missing") }
        let curText = try row.required(cCurrency)
        guard let currency = Currency(code: curText) else { throw row.fail(cCurrency, "unknown currency \(ImportLimits.quote(curText))") }
        let (gross, fee, net) = try readAmounts(row, currency)
        let category = try row.required(cCategory).lowercased()
        let created = try readCreated(row)
        let (effective, effectiveDay) = try readEffective(row)
        let kind = readCardKind(row)
        let charge = try identifier(row, cCharge)
        let source = try identifier(row, cSource)
        let account = try identifier(row, cAccount)
        var payout = try identifier(row, cPayout)
        if category == "payout" && payout == nil {
            guard let source else {
                throw row.fail(cSource, "a payout row needs the payout's id in source_id (or automatic_payout_id)")
            }
            payout = source
        }
        let merchantId: String
        if let payout {
            merchantId = merchant(ofPayout: payout)
            if perAccount, let account, account != merchantId {
                throw row.fail(cAccount, "payout \(payout) is account \(merchantId)'s; this row names \(account)")
            }
        } else {
            merchantId = perAccount ? (account ?? defaultMerchant) : defaultMerchant
        }
        return Entry(merchantId: merchantId, id: id, payout: payout, currency: currency, gross: gross, fee: fee, net: net,
                     category: category, created: created, effective: effective, effectiveDay: effectiveDay,
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

    /// When the payout arrives, when the row names it (the UTC column, else the local
    /// one), and its date as that column writes it.
    private func readEffective(_ row: VendorRow) throws(ImportError) -> (Instant?, LocalDate?) {
        if let v = row.value(cEffectiveUTC) {
            guard let t = InstantParser.parse(v, zone: TimeZone(secondsFromGMT: 0)!) else { throw row.fail(cEffectiveUTC, "\(ImportLimits.quote(v)) is not a date and time") }
            return (t, LocalDate(iso: String(v.prefix(10))))
        }
        if let v = row.value(cEffective) {
            return (try time(v, cEffective, row), LocalDate(iso: String(v.prefix(10))))
        }
        return (nil, nil)
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

    /// Checks a row against the rows before it (each balance transaction once, one
    /// currency and one payout row per payout) and adds it to its payout's totals.
    private func account(_ e: Entry, _ s: ImportSession) throws(ImportError) {
        if let first = seen.check(e.id, line: e.line) {
            throw s.error(e.line, header[cTxn], "\(e.id) repeats line \(first); a report lists each balance transaction once")
        }
        guard let payout = e.payout else { return }
        var g = groups[payout] ?? PayoutGroup(merchantId: e.merchantId, ref: payout, label: "payout \(payout)",
                                              currency: e.currency, firstLine: e.line, lastAt: e.created)
        if g.currency != e.currency {
            throw s.error(e.line, header[cCurrency], "payout \(payout) mixes currencies: \(e.currency.code) here, \(g.currency.code) at line \(g.firstLine)")
        }
        if e.isPayoutRow {
            if g.payoutAmount != nil {
                throw s.error(e.line, header[cCategory], "payout \(payout) has a second payout row; the first is line \(g.payoutLine)")
            }
            g.payoutAmount = e.net
            g.payoutLine = e.line
        } else {
            g.add(e.net)
            itemRows[payout, default: 0] += 1
        }
        if let t = e.effective { g.payoutAt = t }
        if let d = e.effectiveDay { payoutDays[payout] = d }
        if e.created > g.lastAt { g.lastAt = e.created }
        if groups[payout] == nil { order.append(payout) }
        groups[payout] = g
    }

    func prepass(_ r: CSVRecord, _ s: ImportSession) {
        let payout = rawPayout(r)
        let isPayoutRow = raw(r, cCategory).lowercased() == "payout"
        let named = raw(r, cAccount)
        if !isPayoutRow && named.isEmpty { everyRowNamesAccount = false }
        if let payout {
            var plan = plans[payout] ?? Plan()
            if !isPayoutRow && !named.isEmpty && !plan.accounts.contains(named) {
                plan.accounts.append(named)
            }
            plans[payout] = plan
        }
        guard s.skipBad else { return }
        // Under --skip-bad a bad row sets aside its whole payout: find them now.
        do {
            try account(try parse(r, s), s)
        } catch {
            guard let payout else { return }
            let column = error.column.map { "column \($0): " } ?? ""
            markBad(payout, ImportError(file: "", line: r.line, reason: "payout \(payout) has a bad row (line \(r.line): \(column)\(error.reason))"))
        }
    }

    private func markBad(_ payout: String, _ e: ImportError) {
        if plans[payout]?.problem == nil { plans[payout, default: Plan()].problem = e }
    }

    /// After the first pass: a Connect report's payout whose rows name two accounts is
    /// bad; the totals of the first pass are dropped (the second pass counts again).
    private func endPrepass(_ s: ImportSession) {
        prepassDone = true
        for key in order {
            if let g = groups[key], g.overflow { markBad(key, ImportError(file: "", line: g.firstLine, reason: g.overflowReason)) }
        }
        if perAccount {
            for (payout, plan) in plans where plan.accounts.count > 1 && plan.problem == nil {
                markBad(payout, ImportError(file: "", line: 0, reason: "payout \(payout) names accounts \(plan.accounts.joined(separator: " and "))"))
            }
        }
        if !s.skipBad {
            for key in plans.keys { plans[key]?.problem = nil }
        }
        groups = [:]
        order = []
        itemRows = [:]
        payoutDays = [:]
        seen = SeenRows()
    }

    func row(_ r: CSVRecord, _ s: ImportSession) throws -> Bool {
        if !prepassDone { endPrepass(s) }
        let e = try parse(r, s)
        if let p = e.payout, let problem = plans[p]?.problem {
            throw s.error(r.line, nil, "not imported: \(problem.reason)")
        }
        try account(e, s)
        try write(e, s)
        return true
    }

    /// What a row is: a transaction of which kind, and a payout line of which kind.
    private enum Role { case charge, refund, dispute, fee, reserve, release, adjustment }

    /// Stripe's reporting categories (docs.stripe.com/reports/reporting-categories, as
    /// listed in docs/report-formats.md); a category not listed is an adjustment.
    private static func role(_ category: String, net: Int64) -> Role {
        switch category {
        case "charge": return .charge
        case "refund", "partial_capture_reversal": return .refund
        case "dispute", "dispute_reversal": return .dispute
        case "fee", "stripe_fee", "network_cost", "tax": return .fee
        case "risk_reserved_funds": return .reserve
        case "risk_released_funds": return .release
        case "connect_reserved_funds": return net < 0 ? .reserve : .release
        default: return .adjustment
        }
    }

    /// Every row but the payout row is a transaction; a row of a payout is also its lines.
    private func write(_ e: Entry, _ s: ImportSession) throws {
        if e.isPayoutRow { return }
        let role = Self.role(e.category, net: e.net)
        let rrn = Self.rrn(e, role)
        try writeTransaction(e, role: role, rrn: rrn, s)
        guard let payout = e.payout else {
            pendingRows += 1
            return
        }
        try writeItems(e, role: role, rrn: rrn, payout: payout, s)
    }

    /// The reference a row is found by: a charge's id for a charge, else the balance
    /// transaction's own id (a refund, dispute or fee is never counted as its charge's).
    private static func rrn(_ e: Entry, _ role: Role) -> String {
        role == .charge ? e.charge ?? e.source ?? e.id : e.id
    }

    private func writeTransaction(_ e: Entry, role: Role, rrn: String, _ s: ImportSession) throws {
        let kind: TxnKind
        switch role {
        case .charge:
            if e.gross < 0 { throw s.error(e.line, header[cGross], "a charge must not be negative") }
            kind = .sale
        case .refund:
            if e.gross > 0 { throw s.error(e.line, header[cGross], "a \(e.category) takes money back: it must not be positive") }
            kind = .refund
        default:
            kind = .adjustment
        }
        let t = Transaction(
            merchantId: e.merchantId, terminalId: "", batchNo: "", traceNo: e.id, rrn: rrn,
            authCode: "", cardMasked: "", cardKind: e.cardKind, kind: kind,
            amount: Money(minor: e.gross, currency: e.currency),
            fee: Money(minor: e.fee, currency: e.currency),
            occurredAt: e.created, payoutRef: e.payout)
        try s.addTransactionListedOnce(t, line: e.line) { first in
            s.error(e.line, header[cTxn], "\(e.id) repeats line \(first)")
        }
    }

    /// A row's payout lines: its gross as a line of its kind, and its fee (when not zero)
    /// as a fee line; both carry the row's reference, so they add up to its net.
    private func writeItems(_ e: Entry, role: Role, rrn: String, payout: String, _ s: ImportSession) throws {
        var g = groups[payout]!
        let kind: PayoutItemKind
        switch role {
        case .charge: kind = .transaction
        case .refund: kind = .refund
        case .dispute: kind = .chargeback
        case .fee: kind = .fee
        case .reserve: kind = .reserve
        case .release: kind = .release
        case .adjustment: kind = .adjustment
        }
        var note = e.category + " " + e.id
        if let c = e.charge, c != rrn { note += " of charge " + c }
        if let src = e.source, src != rrn, src != e.charge { note += " (" + src + ")" }
        try g.writeItem(kind, e.gross, rrn: rrn, note: note, line: e.line, to: s.sink)
        if e.fee != 0 { try g.writeItem(.fee, -e.fee, rrn: rrn, note: "fee of " + e.id, line: e.line, to: s.sink) }
        groups[payout] = g
    }

    func finish(_ s: ImportSession) throws {
        if !prepassDone { endPrepass(s) }
        let now = s.options.now ?? Instant(Date())
        for key in order {
            guard let g = groups[key], plans[key]?.problem == nil else { continue }
            if g.overflow { throw FileLevelError(error: s.error(g.firstLine, nil, g.overflowReason)) }
            let money = Money(minor: g.sum, currency: g.currency)
            if let stated = g.payoutAmount, -stated != g.sum && stated != g.sum {
                let rows = itemRows[key] ?? 0
                let what = rows == 1 ? "its 1 row adds" : "its \(rows) rows add"
                throw FileLevelError(error: s.incomplete(g.payoutLine,
                    "payout \(key): the payout row says \(Money(minor: stated, currency: g.currency).decimalString), but \(what) up to \(money.decimalString)"))
            }
            let at = g.payoutAt ?? g.lastAt
            let day = payoutDays[key] ?? LocalDateTime(at, in: s.options.timeZone).date
            let arrived = g.payoutAt.map { $0 <= now } ?? true
            try s.addGroupPayout(Payout(merchantId: g.merchantId, ref: g.ref, cycleDate: day, expectedAmount: money,
                                        paidAmount: arrived ? money : nil, status: arrived ? .paid : .inTransit,
                                        expectedArrival: g.payoutAt, creditedAt: arrived ? g.payoutAt : nil),
                                 line: g.payoutLine > 0 ? g.payoutLine : g.firstLine)
        }
        if pendingRows > 0 {
            s.warn(0, nil, "\(pendingRows) \(pendingRows == 1 ? "row is" : "rows are") not in a payout yet (no automatic_payout_id): kept as pending balance, stored as transactions without a payout")
        }
    }
}
