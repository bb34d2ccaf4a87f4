import Foundation
import PayoutCore

/// Reads Adyen's Settlement Details Report (SDR), by header name: the classic 30-column
/// layout and newer ones with Booking Date and more columns, in any order.
///
/// Each row is a booking in a settlement batch (`Batch Number`). The batch's
/// `MerchantPayout` row is the payout; every other row becomes a payout item (and
/// Settled/Refunded rows a transaction too). The invariant checked for every batch:
/// the net of its non-payout rows equals its MerchantPayout, all in one net currency.
final class AdyenSDRImporter: RowImporter {
    let header: [String]
    let headerLine: Int
    var kind: String { "settlement-details" }

    private let cMerchant, cPsp, cType, cNetCurrency, cBatch, cCreated, cNetDebit, cNetCredit: Int
    private let cZone, cModRef, cMerchantRef, cGrossCurrency, cGrossDebit, cGrossCredit: Int
    private let cCommission, cMarkup, cScheme, cInterchange, cMethod, cVariant, cBooking, cBookingZone, cModMerchantRef: Int

    private var groups: [String: PayoutGroup] = [:]
    private var order: [String] = []
    private var seen = SeenRows()
    private var zones: [String: TimeZone] = [:]
    private var prepassDone = false

    static let required = ["merchant account", "psp reference", "type", "net currency", "batch number", "creation date",
                           "net debit (nc)", "net credit (nc)"]

    init(headerRecord: CSVRecord, session: ImportSession) throws {
        header = headerRecord.fields.map { Values.trim($0) }
        headerLine = headerRecord.line
        let index = vendorHeaderIndex(header)
        let missing = Self.required.filter { index[$0] == nil }
        if !missing.isEmpty {
            throw session.error(headerLine, nil, "an Adyen settlement details report needs column \(missing.map(FormatDetector.adyenTitle).joined(separator: ", "))")
        }
        func c(_ names: String...) -> Int { for n in names { if let i = index[n] { return i } }; return -1 }
        cMerchant = c("merchant account"); cPsp = c("psp reference"); cType = c("type"); cNetCurrency = c("net currency")
        cBatch = c("batch number"); cCreated = c("creation date"); cNetDebit = c("net debit (nc)"); cNetCredit = c("net credit (nc)")
        cZone = c("timezone", "creation date timezone", "time zone"); cModRef = c("modification reference")
        cMerchantRef = c("merchant reference"); cGrossCurrency = c("gross currency"); cGrossDebit = c("gross debit (gc)")
        cGrossCredit = c("gross credit (gc)"); cCommission = c("commission (nc)"); cMarkup = c("markup (nc)")
        cScheme = c("scheme fees (nc)"); cInterchange = c("interchange (nc)"); cMethod = c("payment method")
        cVariant = c("payment method variant"); cBooking = c("booking date"); cBookingZone = c("booking date timezone")
        cModMerchantRef = c("modification merchant reference")
    }

    var wantsPrepass: Bool { true }

    /// Every field scrubbed of card-like numbers, the Psp and Modification References
    /// too: they are 16-digit numbers and one in ten passes the Luhn check, so they are
    /// masked like any other value (docs/report-formats.md, "Sizes and card numbers").
    /// The merchant account is kept.
    func scrub(_ fields: [String], keeping: Set<String>) -> [String] {
        let keep = keeping.union(merchantIds(fields))
        return fields.enumerated().map { i, f in i == cMerchant ? f : PANScrubber.scrub(f, keeping: keep) }
    }

    func merchantIds(_ fields: [String]) -> Set<String> {
        cMerchant >= 0 && cMerchant < fields.count ? [Values.trim(fields[cMerchant])] : []
    }

    func column(forField field: String) -> String {
        switch field {
        case "note": return cMerchantRef >= 0 ? header[cMerchantRef] : "Merchant Reference"
        case "rrn": return header[cPsp]
        case "trace_no", "bank_ref": return cModRef >= 0 ? header[cModRef] : "Modification Reference"
        case "batch_no", "payout_ref": return header[cBatch]
        default: return field
        }
    }

    /// One row, read and checked but not written.
    private struct Booking {
        var merchantId: String
        var type: String
        var batch: String
        var groupKey: String
        var psp: String
        var modRef: String
        var currency: Currency
        var net: Int64
        var fees: Int64
        var gross: Money?
        var created: Instant
        var booked: Instant?
        var method: String
        var variant: String
        var merchantRef: String?
        var line: Int
    }

    private func parse(_ r: CSVRecord, _ s: ImportSession) throws(ImportError) -> Booking {
        let row = try VendorRow(r, header: header, s)
        let merchant = try row.required(cMerchant)
        if let p = Values.identifierProblem(merchant, .merchantId) { throw row.fail(cMerchant, "\(ImportLimits.quote(merchant)) \(p)") }
        let type = try row.required(cType)
        let batch = try readBatch(row)
        let curText = try row.required(cNetCurrency)
        guard let currency = Currency(code: curText) else { throw row.fail(cNetCurrency, "unknown currency \(ImportLimits.quote(curText))") }
        let net = try readNet(row, currency)
        let fees = try readFees(row, currency)
        let gross = try readGross(row)
        let created = try instant(cCreated, zoneColumn: cZone, required: true, row)!
        let booked = try instant(cBooking, zoneColumn: cBookingZone >= 0 ? cBookingZone : cZone, required: false, row)
        let psp = row.value(cPsp) ?? ""
        let modRef = row.value(cModRef) ?? ""
        if !psp.isEmpty, let p = Values.identifierProblem(psp, .rrn) { throw row.fail(cPsp, "\(ImportLimits.quote(psp)) \(p)") }
        if psp.isEmpty && Self.transactionTypes.contains(type.lowercased()) { throw row.fail(cPsp, "value is missing (a \(type) row names its payment)") }
        return Booking(merchantId: merchant, type: type, batch: batch, groupKey: merchant + "\u{1F}" + batch,
                       psp: psp, modRef: modRef, currency: currency, net: net, fees: fees, gross: gross,
                       created: created, booked: booked, method: row.value(cMethod) ?? "", variant: row.value(cVariant) ?? "",
                       merchantRef: row.value(cModMerchantRef) ?? row.value(cMerchantRef), line: r.line)
    }

    /// The batch number: digits only, at most 18.
    private func readBatch(_ row: VendorRow) throws(ImportError) -> String {
        let batch = try row.required(cBatch)
        guard batch.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), batch.utf8.count <= 18 else {
            throw row.fail(cBatch, "\(ImportLimits.quote(batch)) is not a batch number")
        }
        return batch
    }

    /// An amount column in minor units; an empty cell is zero.
    private func amountOrZero(_ row: VendorRow, _ c: Int, _ currency: Currency) throws(ImportError) -> Int64 {
        guard let v = row.value(c) else { return 0 }
        return try row.minorUnits(c, v, currency)
    }

    /// Net Credit less Net Debit; a booking sets one or the other, not both.
    private func readNet(_ row: VendorRow, _ currency: Currency) throws(ImportError) -> Int64 {
        let credit = try amountOrZero(row, cNetCredit, currency)
        let debit = try amountOrZero(row, cNetDebit, currency)
        if credit != 0 && debit != 0 {
            throw row.fail(cNetCredit, "both Net Credit (NC) and Net Debit (NC) are set; a booking is one or the other")
        }
        return credit - debit
    }

    /// Commission, markup, scheme fees and interchange, added up.
    private func readFees(_ row: VendorRow, _ currency: Currency) throws(ImportError) -> Int64 {
        var fees: Int64 = 0
        for c in [cCommission, cMarkup, cScheme, cInterchange] {
            let (v, o) = fees.addingReportingOverflow(try amountOrZero(row, c, currency))
            if o { throw row.fail(c, "amount out of range") }
            fees = v
        }
        return fees
    }

    /// Gross Credit less Gross Debit in the gross currency; nil when the row gives none.
    private func readGross(_ row: VendorRow) throws(ImportError) -> Money? {
        guard let gcText = row.value(cGrossCurrency) else { return nil }
        guard let gc = Currency(code: gcText) else { throw row.fail(cGrossCurrency, "unknown currency \(ImportLimits.quote(gcText))") }
        let gCredit = try amountOrZero(row, cGrossCredit, gc)
        let gDebit = try amountOrZero(row, cGrossDebit, gc)
        if gCredit != 0 || gDebit != 0 { return Money(minor: gCredit &- gDebit, currency: gc) }
        return nil
    }

    /// A date and time in the zone its zone column names (else the import's zone).
    private func instant(_ c: Int, zoneColumn: Int, required: Bool, _ row: VendorRow) throws(ImportError) -> Instant? {
        guard c >= 0 else { return nil }
        let v = Values.trim(row.fields[c])
        if v.isEmpty {
            if required { throw row.fail(c, "value is missing") }
            return nil
        }
        var zone = row.session.options.timeZone
        if zoneColumn >= 0 {
            let z = Values.trim(row.fields[zoneColumn])
            if !z.isEmpty {
                if let known = zones[z] { zone = known } else if let parsed = ZoneNames.zone(z) { zones[z] = parsed; zone = parsed } else {
                    throw row.fail(zoneColumn, "\(ImportLimits.quote(z)) is not a time zone payoutmon knows (CET, UTC, +08:00, Europe/Amsterdam ...)")
                }
            }
        }
        guard let (t, _) = Values.localDateTime(date: v, time: nil) else {
            throw row.fail(c, "\(ImportLimits.quote(v)) is not a date and time (expected YYYY-MM-DD HH:MM:SS)")
        }
        return t.instant(in: zone)
    }

    private func group(for b: Booking, _ s: ImportSession) throws(ImportError) -> PayoutGroup {
        if let g = groups[b.groupKey] {
            if g.currency != b.currency {
                throw s.error(b.line, header[cNetCurrency], "batch \(b.batch) mixes currencies: \(b.currency.code) here, \(g.currency.code) at line \(g.firstLine)")
            }
            return g
        }
        let g = PayoutGroup(merchantId: b.merchantId, ref: "batch-" + b.batch, label: "batch \(b.batch)", currency: b.currency,
                            firstLine: b.line, lastAt: b.booked ?? b.created)
        groups[b.groupKey] = g
        order.append(b.groupKey)
        return g
    }

    private func rowKey(_ b: Booking) -> String? {
        if b.psp.isEmpty && b.modRef.isEmpty { return nil }
        return b.merchantId + "|" + b.batch + "|" + b.type + "|" + b.psp + "|" + b.modRef
    }

    /// Adds a parsed row to its batch's totals; throws for a row that breaks the batch.
    private func account(_ b: Booking, _ s: ImportSession) throws(ImportError) {
        var g = try group(for: b, s)
        if let key = rowKey(b), let first = seen.check(key, line: b.line) {
            throw s.error(b.line, nil, "repeats line \(first) (same type, Psp Reference and Modification Reference in batch \(b.batch)); a settlement report lists each booking once")
        }
        if b.type.caseInsensitiveCompare("MerchantPayout") == .orderedSame {
            if g.payoutAmount != nil {
                throw s.error(b.line, header[cType], "a second MerchantPayout for batch \(b.batch) (the first is at line \(g.payoutLine))")
            }
            g.payoutAmount = -b.net
            g.payoutLine = b.line
            g.payoutAt = b.booked ?? b.created
            g.payoutBankRef = b.modRef.isEmpty ? b.merchantRef : b.modRef
        } else {
            g.add(b.net)
        }
        let at = b.booked ?? b.created
        if at > g.lastAt { g.lastAt = at }
        groups[b.groupKey] = g
    }

    func prepass(_ r: CSVRecord, _ s: ImportSession) {
        do {
            let b = try parse(r, s)
            do { try account(b, s) } catch {
                markBad(b.groupKey, error)
            }
        } catch {
            // The row's own error is reported in the second pass; its batch cannot be
            // checked, so none of the batch is written.
            if let key = groupKey(of: r) { markBad(key, s.error(r.line, nil, "batch \(r.fields[cBatch]) has a bad row at line \(r.line)")) }
        }
    }

    private func groupKey(of r: CSVRecord) -> String? {
        guard cMerchant < r.fields.count, cBatch < r.fields.count else { return nil }
        let key = Values.trim(r.fields[cMerchant]) + "\u{1F}" + Values.trim(r.fields[cBatch])
        if groups[key] == nil {
            groups[key] = PayoutGroup(merchantId: Values.trim(r.fields[cMerchant]), ref: "batch-" + Values.trim(r.fields[cBatch]),
                                      label: "batch \(Values.trim(r.fields[cBatch]))", currency: .EUR, firstLine: r.line,
                                      lastAt: Instant(epochMillis: 0))
            order.append(key)
        }
        return key
    }

    private func markBad(_ key: String, _ e: ImportError) {
        if groups[key]?.problem == nil { groups[key]?.problem = e }
    }

    /// After the first pass: the batches whose rows do not add up are marked, and the
    /// totals start again for the writing pass.
    private func endPrepass(_ s: ImportSession) {
        prepassDone = true
        for key in order {
            guard var g = groups[key] else { continue }
            if g.problem == nil, let reason = check(g) { g.problem = s.error(g.payoutLine > 0 ? g.payoutLine : g.firstLine, nil, reason) }
            g.restartTotals()
            groups[key] = g
        }
        seen = SeenRows()
    }

    /// Why a batch's rows do not make its payout, or nil.
    private func check(_ g: PayoutGroup) -> String? {
        if g.overflow { return g.overflowReason }
        if let p = g.payoutAmount {
            if p != g.sum {
                return "\(g.label): the rows sum to \(Money(minor: g.sum, currency: g.currency).decimalString) \(g.currency.code) but its MerchantPayout (line \(g.payoutLine)) is \(Money(minor: p, currency: g.currency).decimalString)"
            }
        } else if g.sum != 0 {
            return "\(g.label) has no MerchantPayout row and its rows sum to \(Money(minor: g.sum, currency: g.currency).decimalString) \(g.currency.code) (a truncated file?)"
        }
        return nil
    }

    func row(_ r: CSVRecord, _ s: ImportSession) throws -> Bool {
        if s.skipBad && !prepassDone { endPrepass(s) }
        let b = try parse(r, s)
        if let problem = groups[b.groupKey]?.problem { throw ImportError(file: problem.file, line: r.line, column: nil, reason: "not imported: \(problem.reason)") }
        try account(b, s)
        if b.type.caseInsensitiveCompare("MerchantPayout") == .orderedSame { return true }
        try write(b, s)
        return true
    }

    /// Journal types that are a card transaction as well as a payout item.
    static let transactionTypes: Set<String> = ["settled", "settledbulk", "settledininstallments", "refunded", "refundedbulk",
                                                "refundedininstallments"]

    private enum Role { case sale, refund, chargeback, fee, reserve, carryOver, adjustment }

    private static func role(_ type: String) -> Role {
        switch type.lowercased() {
        case "settled", "settledbulk", "settledininstallments", "settledexternallywithinfo", "capture": return .sale
        case "refunded", "refundedbulk", "refundedininstallments", "refundedexternallywithinfo", "refundedreversed",
             "refundedreversedcorrection", "refundnotpossible": return .refund
        case "chargeback", "secondchargeback", "chargebackreversed", "chargebackreversedcorrection", "chargebackcorrection",
             "prearbitration", "notificationofchargeback": return .chargeback
        case "fee", "misccosts", "paymentcost", "settlecost", "invoicededuction", "authorisationschemefee", "manualcorrected_fee":
            return .fee
        case "depositcorrection", "reserveadjustment", "reservelock", "reserverelease": return .reserve
        case "balancetransfer": return .carryOver
        default: return .adjustment
        }
    }

    private func cardKind(_ b: Booking) -> CardKind {
        let v = (b.variant + " " + b.method).lowercased()
        if v.contains("debit") || v.contains("maestro") || v.contains("electron") { return .debit }
        if v.contains("prepaid") { return .other }
        if v.contains("wechat") || v.contains("alipay") || v.contains("qr") { return .qr }
        for brand in ["visa", "mc", "amex", "jcb", "diners", "discover", "cup", "unionpay"] where v.hasPrefix(brand) || v.contains(" " + brand) {
            return .credit
        }
        return .other
    }

    /// Writes a booking's payout items, and for a Settled or Refunded row its transaction.
    private func write(_ b: Booking, _ s: ImportSession) throws {
        var g = groups[b.groupKey]!
        let role = Self.role(b.type)
        func item(_ kind: PayoutItemKind, _ minor: Int64, _ note: String) throws {
            try g.writeItem(kind, minor, rrn: b.psp.isEmpty ? nil : b.psp, note: note, line: b.line, to: s.sink)
        }
        let (grossNC, o) = b.net.addingReportingOverflow(b.fees)
        if o { throw s.error(b.line, nil, "amount out of range") }
        let note = b.type + (b.merchantRef.map { " " + $0 } ?? "")
        switch role {
        case .sale, .refund:
            if Self.transactionTypes.contains(b.type.lowercased()) {
                try writeTransaction(b, sale: role == .sale, grossNC: grossNC, payoutRef: g.ref, s)
            }
            try item(role == .sale ? .transaction : .refund, grossNC, note)
            if b.fees != 0 { try item(.fee, -b.fees, "fees of " + (b.modRef.isEmpty ? b.psp : b.modRef)) }
        case .chargeback:
            try item(.chargeback, grossNC, note)
            if b.fees != 0 { try item(.fee, -b.fees, "chargeback fees") }
        case .fee:
            try item(.fee, b.net, note)
        case .reserve:
            try item(b.net < 0 ? .reserve : .release, b.net, note)
        case .carryOver:
            try item(.carryOver, b.net, note)
        case .adjustment:
            try item(.adjustment, b.net, note)
        }
        groups[b.groupKey] = g
    }

    /// The card transaction of a Settled or Refunded booking: its gross (in the gross
    /// currency when given, else the net one plus fees), signed by the role.
    private func writeTransaction(_ b: Booking, sale: Bool, grossNC: Int64, payoutRef: String, _ s: ImportSession) throws {
        let amount = b.gross ?? Money(minor: grossNC, currency: b.currency)
        let magnitude = amount.minor.magnitude > UInt64(Int64.max) ? Int64.max : Int64(amount.minor.magnitude)
        let t = Transaction(
            merchantId: b.merchantId, terminalId: "", batchNo: b.batch,
            traceNo: b.modRef.isEmpty || Values.identifierProblem(b.modRef, .traceNo) != nil ? b.psp : b.modRef, rrn: b.psp, authCode: "", cardMasked: "",
            cardKind: cardKind(b), kind: sale ? .sale : .refund,
            amount: Money(minor: sale ? magnitude : -magnitude, currency: amount.currency),
            fee: amount.currency == b.currency && b.fees != 0 ? Money(minor: b.fees, currency: b.currency) : nil,
            occurredAt: b.created, payoutRef: payoutRef)
        try s.addTransactionListedOnce(t, line: b.line) { first in
            s.error(b.line, nil, "repeats the booking at line \(first) (same Psp Reference, Modification Reference and type)")
        }
    }

    func finish(_ s: ImportSession) throws {
        if s.skipBad && !prepassDone { endPrepass(s) }
        for key in order {
            guard let g = groups[key], g.problem == nil else { continue }
            if let reason = check(g) {
                // Rows that do not sum to their payout are what a file cut short looks like.
                let line = g.payoutLine > 0 ? g.payoutLine : g.firstLine
                let e = g.overflow ? s.error(line, nil, reason) : s.incomplete(line, reason)
                throw FileLevelError(error: e)
            }
            guard let amount = g.payoutAmount, let at = g.payoutAt else { continue }
            let money = Money(minor: amount, currency: g.currency)
            let day = LocalDateTime(at, in: s.options.timeZone).date
            try s.addGroupPayout(Payout(merchantId: g.merchantId, ref: g.ref, cycleDate: day, expectedAmount: money, paidAmount: money,
                                        status: .paid, expectedArrival: nil, creditedAt: at, bankRef: g.payoutBankRef), line: g.payoutLine)
        }
    }
}
