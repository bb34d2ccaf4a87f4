import Foundation
import PayoutCore

/// Reads Adyen's Settlement Details Report (SDR), by header name: the classic 30-column
/// layout and newer ones with Booking Date, Balance Currency, Settlement Flow and more
/// columns, in any order.
///
/// Each row is a booking in a settlement batch (`Batch Number`) of a merchant account,
/// in a net currency; Adyen pays a batch out per net currency, so one payout is one
/// (merchant account, batch, net currency). Its `MerchantPayout` row is the payout;
/// every other row that books money becomes a payout item (and Settled/Refunded rows a
/// transaction too); a row that books nothing is counted as skipped with a warning.
/// The invariant checked for every payout: carried in (Balancetransfer from the
/// previous batch) + the other rows - MerchantPayout = carried out (Balancetransfer to
/// the next batch).
final class AdyenSDRImporter: RowImporter {
    let header: [String]
    let headerLine: Int
    var kind: String { "settlement-details" }

    private let cMerchant, cPsp, cType, cNetCurrency, cBatch, cCreated, cNetDebit, cNetCredit: Int
    private let cZone, cModRef, cMerchantRef, cGrossCurrency, cGrossDebit, cGrossCredit: Int
    private let cCommission, cMarkup, cScheme, cInterchange, cMethod, cVariant, cBooking, cBookingZone, cModMerchantRef: Int
    private let cRate: Int

    /// The payouts of the file, by merchant account, batch and net currency.
    private var groups: [String: PayoutGroup] = [:]
    private var carry: [String: Carry] = [:]
    private var order: [String] = []
    /// A bad row sets aside its whole batch (every currency of it), by merchant account and batch.
    private var badBatches: [String: ImportError] = [:]
    private var seen = SeenRows()
    private var zones: [String: TimeZone] = [:]
    private var prepassDone = false
    /// The reserve rows (DepositCorrection, ReserveAdjustment ...) of each payout, written
    /// in `finish` once the whole batch is read: their kind depends on whether the batch
    /// releases what it reserves.
    /// Each keeps the item number it would have had, so the payout's items are numbered in
    /// file order as before.
    private var reserveRows: [String: [(booking: Booking, note: String, lineNo: Int)]] = [:]

    /// What a payout carries in from the batch before and out to the batch after, and
    /// the day its report gives it.
    private struct Carry {
        /// Merchant account and batch, the key of `badBatches`.
        var batchKey: String
        var carriedIn: Int64 = 0
        var carriedOut: Int64 = 0
        /// The MerchantPayout's date as the report writes it, in the report's zone.
        var payoutDay: LocalDate?
    }

    static let required = ["merchant account", "psp reference", "type", "net currency", "batch number", "creation date",
                           "net debit (nc)", "net credit (nc)"]

    init(headerRecord: CSVRecord, session: ImportSession) throws {
        header = headerRecord.fields.map { Values.trim($0) }
        headerLine = headerRecord.line
        let index = vendorHeaderIndex(header)
        var firstAt: [String: Int] = [:]
        for (i, h) in header.enumerated() {
            let k = h.replacingOccurrences(of: "\u{FEFF}", with: "").lowercased()
            if k.isEmpty { continue }
            if let first = firstAt[k] {
                throw session.error(headerLine, nil, "column \(ImportLimits.quote(h)) is named twice (columns \(first + 1) and \(i + 1)); a report names each column once")
            }
            firstAt[k] = i
        }
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
        cModMerchantRef = c("modification merchant reference"); cRate = c("exchange rate")
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
        var role: Role
        var batch: String
        /// Merchant account and batch: what a bad row sets aside.
        var batchKey: String
        /// Merchant account, batch and net currency: the payout.
        var groupKey: String
        var psp: String
        var modRef: String
        var currency: Currency
        var net: Int64
        var fees: Int64
        var gross: Money?
        /// The Exchange Rate as written (digits and one point), when the gross currency
        /// is not the net one.
        var rate: String?
        var created: Instant
        var booked: Instant?
        /// The booking's date as the report writes it (Booking Date, else Creation Date).
        var day: LocalDate
        /// The dates as written, for the row's identity.
        var whenText: String
        var method: String
        var variant: String
        var merchantRef: String?
        /// Modification Merchant Reference: for a Balancetransfer, "... from batch N" or "... to batch N".
        var modMerchantRef: String
        var line: Int

        var isPayout: Bool { role == .payout }
        /// The batch label in messages: "batch 42 EUR".
        var label: String { "batch \(batch) \(currency.code)" }
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
        var rate: String?
        if let g = gross, g.currency != currency { rate = try readRate(row) }
        let (created, createdLocal) = try instant(cCreated, zoneColumn: cZone, required: true, row)!
        let bookedPair = try instant(cBooking, zoneColumn: cBookingZone >= 0 ? cBookingZone : cZone, required: false, row)
        let psp = row.value(cPsp) ?? ""
        let modRef = row.value(cModRef) ?? ""
        if !psp.isEmpty, let p = Values.identifierProblem(psp, .rrn) { throw row.fail(cPsp, "\(ImportLimits.quote(psp)) \(p)") }
        if psp.isEmpty && Self.transactionTypes.contains(type.lowercased()) { throw row.fail(cPsp, "value is missing (a \(type) row names its payment)") }
        let bookedText = cBooking >= 0 ? Values.trim(row.fields[cBooking]) : ""
        return Booking(merchantId: merchant, type: type, role: Self.role(type), batch: batch, batchKey: merchant + "\u{1F}" + batch,
                       groupKey: merchant + "\u{1F}" + batch + "\u{1F}" + currency.code,
                       psp: psp, modRef: modRef, currency: currency, net: net, fees: fees, gross: gross, rate: rate,
                       created: created, booked: bookedPair?.0, day: (bookedPair?.1 ?? createdLocal).date,
                       whenText: Values.trim(row.fields[cCreated]) + "|" + bookedText,
                       method: row.value(cMethod) ?? "", variant: row.value(cVariant) ?? "",
                       merchantRef: row.value(cModMerchantRef) ?? row.value(cMerchantRef), modMerchantRef: row.value(cModMerchantRef) ?? "",
                       line: r.line)
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

    /// The Exchange Rate of a row charged in another currency than it settles in, kept as
    /// written for the payout line's note (never computed with): a plain decimal number,
    /// at most 24 characters; nil when the report leaves it empty.
    private func readRate(_ row: VendorRow) throws(ImportError) -> String? {
        guard cRate >= 0, let v = row.value(cRate) else { return nil }
        let digits = v.utf8.filter { $0 >= 48 && $0 <= 57 }.count
        let points = v.utf8.filter { $0 == 46 }.count
        guard v.utf8.count <= 24, digits > 0, points <= 1, digits + points == v.utf8.count else {
            throw row.fail(cRate, "\(ImportLimits.quote(v)) is not an exchange rate (a decimal number)")
        }
        return v
    }

    /// An exchange rate as the note shows it: as written when it has at most 12 decimals,
    /// else rounded half up to 12 and marked "≈". Every note goes through the card-number
    /// masker, and a longer fraction (0.721346153846154) can read as a card number and
    /// be masked; the exact rate stays in the report, at the line the payout line names.
    static func noteRate(_ rate: String) -> String {
        guard let point = rate.utf8.firstIndex(of: 46) else { return rate }
        let whole = Array(rate.utf8[..<point]), fraction = Array(rate.utf8[rate.utf8.index(after: point)...])
        guard fraction.count > 12 else { return rate }
        var digits = whole + fraction.prefix(12)
        if fraction[12] >= 53 {
            var i = digits.count - 1
            while i >= 0 {
                if digits[i] == 57 { digits[i] = 48; i -= 1 } else { digits[i] += 1; break }
            }
            if i < 0 { digits.insert(49, at: 0) }
        }
        let cut = digits.count - 12
        return "≈" + String(decoding: digits[..<cut].isEmpty ? [48] : Array(digits[..<cut]), as: UTF8.self) + "."
            + String(decoding: digits[cut...], as: UTF8.self)
    }

    /// A date and time in the zone its zone column names (else the import's zone): the
    /// instant, and the date and time as the report writes them (a cycle date is a date
    /// in the report's own zone, never converted).
    private func instant(_ c: Int, zoneColumn: Int, required: Bool, _ row: VendorRow) throws(ImportError) -> (Instant, LocalDateTime)? {
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
        return (t.instant(in: zone), t)
    }

    private func group(for b: Booking) -> PayoutGroup {
        if let g = groups[b.groupKey] { return g }
        let g = PayoutGroup(merchantId: b.merchantId, ref: "batch-\(b.batch)-\(b.currency.code)", label: b.label, currency: b.currency,
                            firstLine: b.line, lastAt: b.booked ?? b.created)
        groups[b.groupKey] = g
        carry[b.groupKey] = Carry(batchKey: b.batchKey)
        order.append(b.groupKey)
        return g
    }

    /// What identifies a row: a row naming a payment (Psp Reference) by its payment,
    /// type, modification, dates and amounts, so a row listed twice is caught and rows
    /// that differ never share a key. A row without one (Fee, Balancetransfer, MiscCosts
    /// ...) by batch, type, modification reference, dates and amount; when even those
    /// repeat (two identical correction rows), by its line: such rows are not repeats.
    private func rowKey(_ b: Booking) -> String? {
        if b.psp.isEmpty { return nil }
        return [b.merchantId, b.batch, b.currency.code, b.type.lowercased(), b.psp, b.modRef, b.whenText, String(b.net), String(b.fees),
                b.gross.map { "\($0.minor) \($0.currency.code)" } ?? ""]
            .joined(separator: "\u{1F}")
    }

    /// True when a Balancetransfer brings money in from another batch; false when it
    /// takes money out to the next. Adyen names the direction in the Modification
    /// Merchant Reference ("Balancetransfer from batch 40", "... to batch 42"); without
    /// it, a credit comes in and a debit goes out.
    private static func carriesIn(_ b: Booking) -> Bool {
        let r = b.modMerchantRef.lowercased()
        if r.contains("from batch") || r.hasPrefix("from ") { return true }
        if r.contains("to batch") || r.hasPrefix("to ") { return false }
        return b.net >= 0
    }

    /// Adds a parsed row to its payout's totals; throws for a row that breaks the batch.
    private func account(_ b: Booking, _ s: ImportSession) throws(ImportError) {
        var g = group(for: b)
        var c = carry[b.groupKey] ?? Carry(batchKey: b.batchKey)
        if let key = rowKey(b), let first = seen.check(key, line: b.line) {
            throw s.error(b.line, nil, "repeats line \(first) (same type, Psp Reference, Modification Reference, dates and amounts in batch \(b.batch)); a settlement report lists each booking once")
        }
        switch b.role {
        case .payout:
            if g.payoutAmount != nil {
                throw s.error(b.line, header[cType], "a second MerchantPayout for \(b.label) (the first is at line \(g.payoutLine))")
            }
            g.payoutAmount = -b.net
            g.payoutLine = b.line
            g.payoutAt = b.booked ?? b.created
            g.payoutBankRef = b.modRef.isEmpty ? b.merchantRef : b.modRef
            c.payoutDay = b.day
        case .carryOver:
            if Self.carriesIn(b) {
                let (v, o) = c.carriedIn.addingReportingOverflow(b.net)
                if o { g.overflow = true } else { c.carriedIn = v }
            } else {
                let (v, o) = c.carriedOut.addingReportingOverflow(-b.net)
                if o { g.overflow = true } else { c.carriedOut = v }
            }
        default:
            g.add(b.net)
        }
        let at = b.booked ?? b.created
        if at > g.lastAt { g.lastAt = at }
        groups[b.groupKey] = g
        carry[b.groupKey] = c
    }

    func prepass(_ r: CSVRecord, _ s: ImportSession) {
        do {
            let b = try parse(r, s)
            do { try account(b, s) } catch {
                markBad(b.batchKey, error)
            }
        } catch {
            // The row's own error is reported in the second pass; its batch cannot be
            // checked, so none of the batch is written.
            if let key = batchKey(of: r) { markBad(key, s.error(r.line, nil, "batch \(r.fields[cBatch]) has a bad row at line \(r.line)")) }
        }
    }

    private func batchKey(of r: CSVRecord) -> String? {
        guard cMerchant < r.fields.count, cBatch < r.fields.count else { return nil }
        return Values.trim(r.fields[cMerchant]) + "\u{1F}" + Values.trim(r.fields[cBatch])
    }

    private func markBad(_ key: String, _ e: ImportError) {
        if badBatches[key] == nil { badBatches[key] = e }
    }

    /// After the first pass: the batches whose rows do not balance are marked, and the
    /// totals start again for the writing pass.
    private func endPrepass(_ s: ImportSession) {
        prepassDone = true
        for key in order {
            guard var g = groups[key], let c = carry[key] else { continue }
            if badBatches[c.batchKey] == nil, let reason = check(g, c) {
                badBatches[c.batchKey] = s.error(g.payoutLine > 0 ? g.payoutLine : g.firstLine, nil, reason)
            }
            g.restartTotals()
            groups[key] = g
            carry[key] = Carry(batchKey: c.batchKey)
        }
        seen = SeenRows()
    }

    private func money(_ minor: Int64, _ c: Currency) -> String { Money(minor: minor, currency: c).decimalString }

    /// Why a payout's rows do not balance, naming both figures, or nil: carried in +
    /// rows - MerchantPayout must equal what the batch carries out.
    private func check(_ g: PayoutGroup, _ c: Carry) -> String? {
        if g.overflow { return g.overflowReason }
        let (a, o1) = c.carriedIn.addingReportingOverflow(g.sum)
        let (left, o2) = a.subtractingReportingOverflow(g.payoutAmount ?? 0)
        if o1 || o2 { return g.overflowReason }
        if left == c.carriedOut { return nil }
        let cur = g.currency
        var s = "\(g.label) does not balance: carried in \(money(c.carriedIn, cur)) + rows \(money(g.sum, cur))"
        if let p = g.payoutAmount {
            s += " - MerchantPayout \(money(p, cur)) (line \(g.payoutLine)) leaves \(money(left, cur)), but the batch carries out \(money(c.carriedOut, cur))"
        } else {
            s += " leaves \(money(left, cur)) with no MerchantPayout row, but the batch carries out \(money(c.carriedOut, cur)) (a truncated file?)"
        }
        return s
    }

    func row(_ r: CSVRecord, _ s: ImportSession) throws -> Bool {
        if s.skipBad && !prepassDone { endPrepass(s) }
        let b = try parse(r, s)
        if let problem = badBatches[b.batchKey] { throw ImportError(file: problem.file, line: r.line, column: nil, reason: "not imported: \(problem.reason)") }
        try account(b, s)
        if b.isPayout { return true }
        if b.net == 0 && b.fees == 0 {
            // Nothing moves: no item, so no payout line of zero; said, not dropped.
            s.warn(b.line, header[cType], "skipped: this \(b.type) row books no money in \(b.label) (Net Credit, Net Debit and fees are empty or zero)")
            s.skip(b.line, "a \(b.type) row that books no money")
            return true
        }
        if b.role == .other {
            s.warn(b.line, header[cType], "type \(ImportLimits.quote(b.type)) is not one payoutmon knows; kept as an adjustment of \(b.label)")
        }
        try write(b, s)
        return true
    }

    /// Journal types that are a card transaction as well as a payout item.
    static let transactionTypes: Set<String> = ["settled", "settledbulk", "settledininstallments", "refunded", "refundedbulk",
                                                "refundedininstallments", "refundedexternally", "refundedexternallywithinfo"]

    /// What a journal type is to the batch (Adyen's journal types, docs/report-formats.md).
    enum Role: Equatable { case sale, refund, chargeback, fee, reserve, carryOver, adjustment, payout, other }

    static func role(_ type: String) -> Role {
        switch type.lowercased() {
        case "merchantpayout": return .payout
        case "settled", "settledbulk", "settledininstallments", "settledexternally", "settledexternallywithinfo", "sentforsettle",
             "capture": return .sale
        case "refunded", "refundedbulk", "refundedininstallments", "refundedexternally", "refundedexternallywithinfo",
             "refundedreversed", "refundedreversedcorrection", "refundnotpossible", "sentforrefund": return .refund
        case "chargeback", "secondchargeback", "chargebackreversed", "chargebackreversedcorrection", "chargebackcorrection",
             "secondchargebackcorrection", "chargebackexternally", "chargebackexternallywithinfo", "chargebackreversedexternallywithinfo",
             "prearbitration", "prearbitrationlost", "notificationofchargeback": return .chargeback
        case "fee", "misccosts", "paymentcost", "settlecost", "invoicededuction", "authorisationschemefee", "manualcorrected_fee",
             "handlingfee", "paymentfee": return .fee
        case "depositcorrection", "reserveadjustment", "reservelock", "reserverelease": return .reserve
        case "balancetransfer": return .carryOver
        case "manualcorrected", "matchedstatement", "bankinstructionreturned", "internalcompanypayout", "topup", "cashadvance",
             "cashadvancerepayment", "fundtransfer": return .adjustment
        default: return .other
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
        func item(_ kind: PayoutItemKind, _ minor: Int64, _ note: String) throws {
            try g.writeItem(kind, minor, rrn: b.psp.isEmpty ? nil : b.psp, note: note, line: b.line, to: s.sink)
        }
        let (grossNC, o) = b.net.addingReportingOverflow(b.fees)
        if o { throw s.error(b.line, nil, "amount out of range") }
        var note = b.type + (b.merchantRef.map { " " + $0 } ?? "")
        if let shopper = shopperAmount(b) {
            // The merchant is booked the net currency; the shopper's side is kept in words.
            note += "; shopper's currency \(shopper.currency.code) \(shopper.decimalString)"
                + (b.rate.map { ", exchange rate \(Self.noteRate($0))" } ?? ", no exchange rate given")
                + ", booked \(b.currency.code) \(Money(minor: grossNC, currency: b.currency).decimalString)"
        }
        if b.role == .sale || b.role == .refund, let gross = b.gross, gross.currency == b.currency, gross.minor != grossNC {
            // Adyen books gross = net + fees in one currency; a row that does not is said,
            // and the transaction keeps its gross: what the shopper paid.
            s.warn(b.line, nil, "gross \(gross.decimalString) \(gross.currency.code) but net \(money(b.net, b.currency)) + fees \(money(b.fees, b.currency)) = \(money(grossNC, b.currency)) \(b.currency.code): the report books \(money((gross.minor &- grossNC).magnitude > UInt64(Int64.max) ? Int64.max : Int64((gross.minor &- grossNC).magnitude), b.currency)) \(b.currency.code) \(gross.minor > grossNC ? "less" : "more") than the gross less its fees")
        }
        switch b.role {
        case .sale, .refund:
            if Self.transactionTypes.contains(b.type.lowercased()) {
                try writeTransaction(b, sale: b.role == .sale, grossNC: grossNC, payoutRef: g.ref, s)
            }
            try item(b.role == .sale ? .transaction : .refund, grossNC, note)
            if b.fees != 0 { try item(.fee, -b.fees, "fees of " + (b.modRef.isEmpty ? b.psp : b.modRef)) }
        case .chargeback:
            try item(.chargeback, grossNC, note)
            if b.fees != 0 { try item(.fee, -b.fees, "chargeback fees") }
        case .fee:
            try item(.fee, b.net, note)
        case .reserve:
            g.items += 1
            reserveRows[b.groupKey, default: []].append((b, note, g.items))
        case .carryOver:
            try item(.carryOver, b.net, note)
        case .adjustment, .other, .payout:
            try item(.adjustment, b.net, note)
        }
        groups[b.groupKey] = g
    }

    /// The shopper's amount of a sale or refund charged in another currency than the
    /// one it settles in (Gross Currency not Net Currency), else nil.
    private func shopperAmount(_ b: Booking) -> Money? {
        guard b.role == .sale || b.role == .refund, let g = b.gross, g.currency != b.currency else { return nil }
        return g
    }

    /// The card transaction of a Settled or Refunded booking: its gross in the gross
    /// currency when that is the net currency, else the money the merchant is booked in
    /// the net currency (net plus fees), signed by the role. A sale charged in another
    /// currency is the merchant's money in the net currency; the shopper's currency,
    /// amount and the report's exchange rate go in its payout line's note.
    private func writeTransaction(_ b: Booking, sale: Bool, grossNC: Int64, payoutRef: String, _ s: ImportSession) throws {
        let amount = shopperAmount(b) == nil ? (b.gross ?? Money(minor: grossNC, currency: b.currency)) : Money(minor: grossNC, currency: b.currency)
        let magnitude = amount.minor.magnitude > UInt64(Int64.max) ? Int64.max : Int64(amount.minor.magnitude)
        let t = Transaction(
            merchantId: b.merchantId, terminalId: "", batchNo: b.batch,
            traceNo: b.modRef.isEmpty || Values.identifierProblem(b.modRef, .traceNo) != nil ? b.psp : b.modRef, rrn: b.psp, authCode: "", cardMasked: "",
            cardKind: cardKind(b), kind: sale ? .sale : .refund,
            amount: Money(minor: sale ? magnitude : -magnitude, currency: amount.currency),
            fee: amount.currency == b.currency && b.fees != 0 ? Money(minor: b.fees, currency: b.currency) : nil,
            occurredAt: b.created, payoutRef: payoutRef)
        switch try s.sink.addTransactionChecked(t, line: b.line) {
        case .inserted, .duplicate, .attached, .revised: break
        case .repeatInFile(let first):
            // Not the same row (that is caught as a repeat before): the same payment with
            // another net amount, fees or booking date.
            throw s.error(b.line, nil, "books the same payment as line \(first) (same Psp Reference, Modification Reference and type) with another net amount or booking date; a settlement report lists each booking once")
        case .conflictInFile(let first):
            throw s.error(b.line, nil, "books the same payment as line \(first) (same Psp Reference, Modification Reference and type) with another amount, fee or time; a settlement report lists each booking once")
        }
    }

    /// The reserve rows of one payout. A debit is money reserved (`reserve`) and a credit
    /// money released (`release`), unless the batch releases at least what it reserves:
    /// then nothing of the batch stays withheld, and its debits are written as
    /// adjustments saying so (docs/report-formats.md, adyen-sdr).
    private func writeReserveRows(_ g: PayoutGroup, _ key: String, _ s: ImportSession) throws {
        guard let rows = reserveRows[key], !rows.isEmpty else { return }
        var reserved: Int64 = 0, released: Int64 = 0, overflow = false
        for r in rows {
            let (v, o) = r.booking.net < 0 ? reserved.subtractingReportingOverflow(r.booking.net) : released.addingReportingOverflow(r.booking.net)
            if o { overflow = true } else if r.booking.net < 0 { reserved = v } else { released = v }
        }
        // Sums too large to count are taken as not released: the rows stay reserve and release.
        let settledInBatch = !overflow && released >= reserved
        for (b, note, lineNo) in rows {
            var kind: PayoutItemKind = b.net < 0 ? .reserve : .release
            var text = note
            if settledInBatch && b.net < 0 {
                kind = .adjustment
                text += "; reserved and released in \(b.label) (reserved \(money(reserved, b.currency)), released \(money(released, b.currency))): none of it stays held"
            }
            try s.sink.add(PayoutItem(merchantId: g.merchantId, payoutRef: g.ref, lineNo: lineNo, kind: kind,
                                      amount: Money(minor: b.net, currency: g.currency), rrn: b.psp.isEmpty ? nil : b.psp, note: text),
                           line: b.line)
        }
    }

    func finish(_ s: ImportSession) throws {
        if s.skipBad && !prepassDone { endPrepass(s) }
        for key in order {
            guard let g = groups[key], let c = carry[key], badBatches[c.batchKey] == nil else { continue }
            if let reason = check(g, c) {
                // Rows that do not balance are what a file cut short looks like.
                let line = g.payoutLine > 0 ? g.payoutLine : g.firstLine
                let e = g.overflow ? s.error(line, nil, reason) : s.incomplete(line, reason)
                throw FileLevelError(error: e)
            }
            try writeReserveRows(g, key, s)
            // No MerchantPayout: the batch's balance went on to the next batch.
            guard let amount = g.payoutAmount, let at = g.payoutAt else { continue }
            let money = Money(minor: amount, currency: g.currency)
            let day = c.payoutDay ?? LocalDateTime(at, in: s.options.timeZone).date
            try s.addGroupPayout(Payout(merchantId: g.merchantId, ref: g.ref, cycleDate: day, expectedAmount: money, paidAmount: money,
                                        status: .paid, expectedArrival: nil, creditedAt: at, bankRef: g.payoutBankRef), line: g.payoutLine)
        }
    }
}
