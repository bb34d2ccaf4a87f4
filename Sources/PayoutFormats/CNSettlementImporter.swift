import Foundation
import PayoutCore

/// Reads Chinese acquirer transaction and settlement exports (交易明细, 结算明细, 对账单)
/// through a mapping profile: header synonyms, amounts in 元 or 分, guard characters
/// before values, header and trailer lines, 交易类型 and 资金流向 words.
///
/// - 消费 and 预授权完成 are sales; 撤销, 冲正 and 退货 take money back and are stored
///   negative whether the file writes them signed or not (their fee and 结算金额 follow).
/// - 冻结 rows open a hold and record the account as frozen; 解冻 rows release the hold
///   (matched by 参考号/凭证号, else by amount) and record it active again.
/// - Types the profile lists under `ignore` (预授权, 查询 ...) move no money and are skipped
///   with one warning per type.
final class CNSettlementImporter: RowImporter {
    typealias Field = FormatProfile.Field

    let profile: FormatProfile
    let header: [String]
    let headerLine: Int
    var kind: String { profile.name }

    // Column indices, -1 when the file has no such column.
    private let cMerchant, cTerminal, cTerminalName, cOccurred, cDate, cTime, cType, cBatch, cTrace, cRrn, cAuth: Int
    private let cCard, cCardKind, cAmount, cFee, cSettle, cCurrency, cFlow, cPayout, cNote: Int
    private let amountUnit, feeUnit, settleUnit: FormatProfile.AmountUnit
    private let prefixes: [String]
    private let markerFirstBytes: Set<UInt8>

    /// Values taken from the lines above the header (商户编号：...).
    private var preMerchant, preTerminal: String?
    private var preCurrency: Currency?
    private let isRejectsFile: Bool

    private var clock: ZoneClock
    private var dataRows = 0
    private var lastLine = 0
    private var trailerLine = 0
    private var trailerCount: Int?
    /// The trailer's amount and fee totals, in minor units, with the text as written.
    private var trailerAmount, trailerFee: (minor: Int64, line: Int, text: String)?
    /// The rows' 交易金额 and 手续费 as written, summed; nil once a cell did not read.
    private var amountSum: Int64? = 0, feeSum: Int64? = 0
    /// The transactions' amounts and fees as stored (refunds, voids and reversals
    /// negative): a trailer may total these instead.
    private var netAmount: Int64 = 0, netFee: Int64 = 0
    private var dateOnlyLine = 0
    private var ignored: [String: (count: Int, line: Int)] = [:]
    private var unknownCardKinds: [String: Int] = [:]
    private var batchCurrency: [String: (Currency, Int)] = [:]

    init(match: ProfileHeaderMatch, headerRecord: CSVRecord, preamble: [CSVRecord], session: ImportSession, rejectsFile: Bool) throws {
        profile = match.profile
        header = headerRecord.fields.map { Values.trim($0) }
        headerLine = headerRecord.line
        isRejectsFile = rejectsFile
        func col(_ f: Field) -> Int { match.columns[f] ?? -1 }
        cMerchant = col(.merchantId); cTerminal = col(.terminalId); cTerminalName = col(.terminalName)
        cOccurred = col(.occurredAt); cDate = col(.tradeDate); cTime = col(.tradeTime); cType = col(.type)
        cBatch = col(.batchNo); cTrace = col(.traceNo); cRrn = col(.rrn); cAuth = col(.authCode)
        cCard = col(.cardNumber); cCardKind = col(.cardKind); cAmount = col(.amount); cFee = col(.fee)
        cSettle = col(.settleAmount); cCurrency = col(.currency); cFlow = col(.fundFlow); cPayout = col(.payoutRef)
        cNote = col(.note)
        amountUnit = match.units[.amount] ?? profile.amountUnit
        feeUnit = match.units[.fee] ?? profile.amountUnit
        settleUnit = match.units[.settleAmount] ?? profile.amountUnit
        prefixes = profile.valuePrefixes
        markerFirstBytes = Set(profile.trailerMarkers.compactMap { $0.utf8.first })
        clock = ZoneClock(zone: session.options.timeZone)
        var seen: [Field: Int] = [:]
        for (i, cell) in header.enumerated() {
            guard let field = profile.synonymIndex[FormatProfile.normalizeHeader(cell).name] else { continue }
            if let first = seen[field] {
                throw session.error(headerRecord.line, cell,
                                    "the header has \(field.rawValue) twice (columns \(first + 1) and \(i + 1)): which one holds the figures cannot be told")
            }
            seen[field] = i
        }
        readPreamble(preamble)
        if let c = preCurrency, cCurrency < 0, c != profile.currency {
            session.warn(headerLine, nil, "the lines above the header give the currency as \(c.code); the profile says \(profile.currency.code): using \(c.code)")
        }
    }

    private func readPreamble(_ records: [CSVRecord]) {
        func assign(_ key: String, _ value: String) {
            guard let field = profile.preambleIndex[FormatProfile.normalizeHeader(key).name] else { return }
            let v = Values.clean(value, prefixes: prefixes)
            guard !v.isEmpty else { return }
            switch field {
            case .merchantId: preMerchant = v
            case .terminalId: preTerminal = v
            case .currency: preCurrency = profile.currency(for: v)
            default: break
            }
        }
        for r in records {
            var i = 0
            while i < r.fields.count {
                let cell = r.fields[i]
                if let sep = cell.firstIndex(where: { $0 == "：" || $0 == ":" }) {
                    assign(String(cell[..<sep]), String(cell[cell.index(after: sep)...]))
                } else if i + 1 < r.fields.count, profile.preambleIndex[FormatProfile.normalizeHeader(cell).name] != nil {
                    assign(cell, r.fields[i + 1])
                    i += 1
                }
                i += 1
            }
        }
    }

    private var currencyDefault: Currency { preCurrency ?? profile.currency }

    /// The card column masked, whatever its length; other columns scrubbed of anything
    /// that looks like a card number (16-19 digits passing the Luhn check).
    func scrub(_ fields: [String], keeping: Set<String>) -> [String] {
        let keep = keeping.union(merchantIds(fields))
        return fields.enumerated().map { i, f in
            i == cCard ? PANScrubber.maskCard(f, keeping: keep) : i == cMerchant ? f : PANScrubber.scrub(f, keeping: keep)
        }
    }

    func merchantIds(_ fields: [String]) -> Set<String> {
        var ids: Set<String> = []
        if let preMerchant { ids.insert(preMerchant) }
        if cMerchant >= 0 && cMerchant < fields.count { ids.insert(Values.clean(fields[cMerchant], prefixes: prefixes)) }
        return ids
    }

    func column(forField field: String) -> String {
        let c: Int
        switch field {
        case "terminal_id": c = cTerminal
        case "terminal_name": c = cTerminalName
        case "batch_no": c = cBatch
        case "trace_no": c = cTrace
        case "rrn": c = cRrn
        case "auth_code": c = cAuth
        case "payout_ref": c = cPayout
        case "note", "reason": c = cNote
        default: c = -1
        }
        return c >= 0 ? name(c) : field
    }

    private func name(_ c: Int) -> String { Self.columnName(c, in: header) }

    /// A column's header as written, or "#3" when it has none.
    private static func columnName(_ c: Int, in header: [String]) -> String {
        c >= 0 && c < header.count && !header[c].isEmpty ? header[c] : "#\(c + 1)"
    }

    // MARK: rows

    private func isTrailer(_ fields: [String]) -> Bool {
        guard !markerFirstBytes.isEmpty else { return false }
        for f in fields {
            let t = Values.clean(f, prefixes: prefixes)
            if t.isEmpty { continue }
            guard let b = t.utf8.first, markerFirstBytes.contains(b) else { return false }
            return profile.trailerMarkers.contains { t.hasPrefix($0) }
        }
        return false
    }

    static let amountTotalLabels: Set<String> = ["总金额", "交易总金额", "总交易金额", "交易金额", "金额合计", "交易金额合计", "金额"]
    static let feeTotalLabels: Set<String> = ["手续费总额", "手续费总金额", "总手续费", "手续费", "手续费合计"]

    /// The amount and fee totals of a trailer line: `label：value` cells, or a label
    /// cell followed by its value. A unit in the label (`交易金额(分)：`) wins; a value
    /// with decimals is in 元; else the column's unit.
    private func scanTrailerTotals(_ r: CSVRecord) {
        let cells = r.fields.map { Values.trim($0) }
        let amountName = cAmount >= 0 ? FormatProfile.normalizeHeader(header[cAmount]).name : nil
        let feeName = cFee >= 0 ? FormatProfile.normalizeHeader(header[cFee]).name : nil
        var i = 0
        while i < cells.count {
            var label = cells[i], value: String?
            if let sep = label.firstIndex(where: { $0 == "：" || $0 == ":" }) {
                value = String(label[label.index(after: sep)...])
                label = String(label[..<sep])
            } else if i + 1 < cells.count {
                value = cells[i + 1]
            }
            i += 1
            let (name, labelUnit) = FormatProfile.normalizeHeader(label)
            let isAmount = Self.amountTotalLabels.contains(name) || name == amountName
            let isFee = Self.feeTotalLabels.contains(name) || name == feeName
            guard isAmount || isFee, let raw = value.map({ Values.clean($0, prefixes: prefixes) }), !raw.isEmpty else { continue }
            let unit = labelUnit ?? (raw.contains(".") ? .yuan : (isAmount ? amountUnit : feeUnit))
            guard let minor = Self.minor(raw, unit, currencyDefault) else { continue }
            let found = (minor, r.line, "\(raw)\(unit == .fen ? " 分" : " 元")")
            if isAmount && trailerAmount == nil { trailerAmount = found } else if isFee && trailerFee == nil { trailerFee = found }
        }
    }

    /// An amount cell in `unit` as minor units, nil when it does not read.
    private static func minor(_ raw: String, _ unit: FormatProfile.AmountUnit, _ currency: Currency) -> Int64? {
        var v = raw
        if v.hasPrefix("¥") || v.hasPrefix("￥") { v = Values.trim(String(v.dropFirst())) }
        if v.hasSuffix("元") { v = Values.trim(String(v.dropLast())) }
        switch unit {
        case .fen: return Values.minorUnits(v, currency)?.minor
        case .yuan: return (try? Values.money(v, currency))?.minor
        }
    }

    /// Adds a row's 交易金额 and 手续费, as written, to the sums the trailer is checked against.
    private func sumRow(_ f: [String]) {
        func add(_ c: Int, _ unit: FormatProfile.AmountUnit, _ sum: inout Int64?) {
            guard c >= 0, c < f.count, let s0 = sum else { return }
            let v = Values.clean(f[c], prefixes: prefixes)
            if v.isEmpty { return }
            if let m = Self.minor(v, unit, currencyDefault) { sum = s0 &+ m } else { sum = nil }
        }
        add(cAmount, amountUnit, &amountSum)
        add(cFee, feeUnit, &feeSum)
    }

    private func scanTrailer(_ r: CSVRecord) {
        if trailerLine == 0 { trailerLine = r.line }
        scanTrailerTotals(r)
        guard trailerCount == nil else { return }
        let cells = r.fields.map { Values.clean($0, prefixes: prefixes) }
        for (i, cell) in cells.enumerated() {
            for label in profile.trailerCountLabels {
                guard let range = cell.range(of: label) else { continue }
                var g = Values.DigitGroups(String(cell[range.upperBound...]))
                if let n = g.next(), n.length <= 9 { trailerCount = n.value; return }
                if i + 1 < cells.count {
                    var g2 = Values.DigitGroups(cells[i + 1])
                    if let n = g2.next(), n.length <= 9 { trailerCount = n.value; return }
                }
            }
        }
    }

    func row(_ r: CSVRecord, _ s: ImportSession) throws -> Bool {
        if trailerLine > 0 { scanTrailer(r); return false }
        let f = r.fields
        if isTrailer(f) { scanTrailer(r); return false }
        if f.allSatisfy({ Values.trim($0).isEmpty }) { return false }   // a spreadsheet's empty row
        dataRows += 1
        lastLine = r.line
        try s.checkFieldCountOrCut(r, header: header)
        sumRow(f)
        let row = Row(fields: f, line: r.line, prefixes: prefixes, header: header, session: s)

        let what = try readAction(row)
        if what.action == .ignore {
            countIgnored(what.typeText ?? "", line: r.line)
            s.skip(r.line, "type \(ImportLimits.quote(what.typeText ?? "")) is listed under ignore in the profile \(profile.name) (no money moves)")
            return true
        }
        let money = try readMoney(row)
        let at = try readTime(row)
        let refs = try readRefs(row)
        switch what.action {
        case .freeze, .release:
            try recordHold(row, what, money, at: at, refs)
        case .ignore:
            break
        case .sale, .preauthCompletion, .void, .reversal, .refund:
            try recordTransaction(row, what, money, at: at, refs)
        }
        return true
    }

    /// One data row as read through the profile: its cells cleaned of space and guard
    /// characters, and errors that name the row's line and the cell's header.
    private struct Row {
        let fields: [String]
        let line: Int
        let prefixes: [String]
        let header: [String]
        let session: ImportSession

        /// The cleaned cell; nil when the column is absent or the cell empty.
        @inline(__always) func value(_ c: Int) -> String? {
            guard c >= 0 else { return nil }
            let v = Values.clean(fields[c], prefixes: prefixes)
            return v.isEmpty ? nil : v
        }

        func fail(_ c: Int, _ reason: String) -> ImportError {
            session.error(line, c >= 0 ? CNSettlementImporter.columnName(c, in: header) : nil, reason)
        }

        /// The cell of a field the row cannot do without.
        func required(_ c: Int, _ what: Field) throws(ImportError) -> String {
            if let v = value(c) { return v }
            if c < 0 { throw session.error(line, nil, "\(what.rawValue) is not in the file") }
            throw fail(c, "value is missing")
        }

        /// `v` as an identifier of `kind`; a value that looks like a card number is
        /// refused, as card numbers are kept only in the card column, masked.
        func identifier(_ c: Int, _ v: String, _ kind: IdentifierKind) throws(ImportError) -> String {
            if let p = Values.identifierProblem(v, kind) { throw fail(c, "\(ImportLimits.quote(v)) \(p)") }
            // A MID may pass Luhn (15 digits); 16 or more is a card. Any other identifier
            // holding 13-19 card-like digits (plain or dashed) is one.
            if kind == .merchantId ? v.utf8.count >= 16 && CardNumber.redact(v, lengths: 16...19) != v
                                   : v.utf8.count >= 13 && CardNumber.redact(v) != v {
                throw fail(c, "the value looks like a card number; payoutmon keeps card numbers only in the card column, masked (wrong profile?)")
            }
            return v
        }

        /// The cell as an identifier of `kind`; nil when empty.
        func optionalIdentifier(_ c: Int, _ kind: IdentifierKind) throws(ImportError) -> String? {
            guard let v = value(c) else { return nil }
            return try identifier(c, v, kind)
        }
    }

    // MARK: What the row does

    /// A row's action, and the 交易类型 word that gave it (nil when only the 资金流向 did).
    private struct RowAction {
        let action: FormatProfile.Action
        let typeText: String?
    }

    /// The action from the row's 交易类型, else from its 资金流向; a 冻结 or 解冻 flow
    /// wins over the type.
    private func readAction(_ row: Row) throws(ImportError) -> RowAction {
        let typeText = row.value(cType)
        let flow = try readFlow(row)
        var action: FormatProfile.Action
        if let t = typeText {
            action = try typeAction(t, row)
        } else if let flow {
            action = Self.action(for: flow)
        } else {
            throw cType >= 0 ? row.fail(cType, "value is missing") : row.fail(cFlow, "value is missing")
        }
        if flow == .freeze { action = .freeze } else if flow == .release { action = .release }
        return RowAction(action: action, typeText: typeText)
    }

    private func readFlow(_ row: Row) throws(ImportError) -> FormatProfile.Flow? {
        guard let ft = row.value(cFlow) else { return nil }
        guard let flow = profile.flow(for: ft) else {
            throw row.fail(cFlow, "\(ImportLimits.quote(ft)) is not a fund-flow word the profile \(profile.name) knows (进账, 出账, 退款, 冻结, 解冻 ...)")
        }
        return flow
    }

    private func typeAction(_ t: String, _ row: Row) throws(ImportError) -> FormatProfile.Action {
        guard let a = profile.action(for: t) else {
            let known = [FormatProfile.Action.sale, .void, .reversal, .refund, .preauthCompletion].flatMap { profile.typeWords[$0] ?? [] }
            throw row.fail(cType, "\(ImportLimits.quote(t)) is not a transaction type the profile \(profile.name) knows (\(known.joined(separator: ", ")); add it under [types])")
        }
        return a
    }

    /// The action of a row that has a 资金流向 but no 交易类型.
    private static func action(for flow: FormatProfile.Flow) -> FormatProfile.Action {
        switch flow {
        case .in: return .sale
        case .out, .refund: return .refund
        case .freeze: return .freeze
        case .release: return .release
        }
    }

    /// Counts a row of a type the profile ignores, for one warning per type at the end.
    private func countIgnored(_ type: String, line: Int) {
        if let e = ignored[type] { ignored[type] = (e.count + 1, e.line) } else { ignored[type] = (1, line) }
    }

    // MARK: Money, time and references

    /// A row's money: the amount, and the fee and 结算金额 when given, in the row's currency.
    private struct RowMoney {
        let currency: Currency
        var amount: Money
        var fee: Money?
        var settle: Money?
    }

    /// The row's currency (its column, else the lines above the header, else the
    /// profile's), then its amount, fee and 结算金额.
    private func readMoney(_ row: Row) throws(ImportError) -> RowMoney {
        var currency = currencyDefault
        if let c = row.value(cCurrency) {
            guard let cur = profile.currency(for: c) else { throw row.fail(cCurrency, "unknown currency \(ImportLimits.quote(c))") }
            currency = cur
        }
        let amount = try parseAmount(try row.required(cAmount, .amount), unit: amountUnit, currency, column: cAmount, row)
        let fee = try row.value(cFee).map { v throws(ImportError) in try parseAmount(v, unit: feeUnit, currency, column: cFee, row) }
        let settle = try row.value(cSettle).map { v throws(ImportError) in try parseAmount(v, unit: settleUnit, currency, column: cSettle, row) }
        return RowMoney(currency: currency, amount: amount, fee: fee, settle: settle)
    }

    private func parseAmount(_ raw: String, unit: FormatProfile.AmountUnit, _ currency: Currency, column: Int,
                             _ row: Row) throws(ImportError) -> Money {
        var v = raw
        if let f = v.utf8.first, f == 0xC2 || f == 0xEF, v.hasPrefix("¥") || v.hasPrefix("￥") { v = Values.trim(String(v.dropFirst())) }
        if v.utf8.last == 0x83, v.hasSuffix("元") { v = Values.trim(String(v.dropLast())) }
        switch unit {
        case .fen:
            guard let m = Values.minorUnits(v, currency) else {
                throw row.fail(column, "\(ImportLimits.quote(raw)) is not a whole number of 分 (the profile \(profile.name) reads this column in 分)")
            }
            return m
        case .yuan:
            do { return try Values.money(v, currency) } catch {
                throw row.fail(column, error.description)
            }
        }
    }

    /// When the row happened: one date-and-time column, or a date column and a time
    /// column. A date without a time is taken as 00:00 (warned about once, at the end).
    private func readTime(_ row: Row) throws(ImportError) -> Instant {
        let read: (LocalDateTime, hasTime: Bool)
        if cOccurred >= 0 {
            let v = try row.required(cOccurred, .occurredAt)
            guard let dt = Values.localDateTime(date: v, time: nil) else {
                throw row.fail(cOccurred, "\(ImportLimits.quote(v)) is not a date and time (e.g. 2026-11-20 12:18:05 or 20261120121805)")
            }
            read = dt
        } else {
            let d = try row.required(cDate, .tradeDate)
            let tm = row.value(cTime)
            guard let dt = Values.localDateTime(date: d, time: tm) else {
                let c = tm != nil && Values.localDateTime(date: d, time: nil) != nil ? cTime : cDate
                throw row.fail(c, "\(ImportLimits.quote(c == cTime ? tm ?? "" : d)) is not a \(c == cTime ? "time (e.g. 12:18:05 or 121805)" : "date (e.g. 2026-11-20 or 20261120)")")
            }
            read = dt
        }
        if !read.hasTime && dateOnlyLine == 0 { dateOnlyLine = row.line }
        return clock.instant(read.0)
    }

    /// The merchant and the references a row names.
    private struct RowRefs {
        let merchantId: String
        let rrn: String?
        let trace: String?
        let payoutRef: String?
        let note: String?
    }

    private func readRefs(_ row: Row) throws(ImportError) -> RowRefs {
        let merchantId = try readMerchantId(row)
        let rrn = try row.optionalIdentifier(cRrn, .rrn)
        let trace = try row.optionalIdentifier(cTrace, .traceNo)
        let payoutRef = try row.optionalIdentifier(cPayout, .payoutRef)
        return RowRefs(merchantId: merchantId, rrn: rrn, trace: trace, payoutRef: payoutRef, note: row.value(cNote))
    }

    /// The merchant from its column; when the file has none, from the lines above the
    /// header, else from the import's merchant option.
    private func readMerchantId(_ row: Row) throws(ImportError) -> String {
        if let v = row.value(cMerchant) { return try row.identifier(cMerchant, v, .merchantId) }
        if cMerchant >= 0 { throw row.fail(cMerchant, "value is missing") }
        if let v = preMerchant ?? row.session.options.merchantId { return try row.identifier(-1, v, .merchantId) }
        throw row.session.error(row.line, nil, "no 商户号 (merchant id): the file has no such column or line above the header; pass one with the import's merchant option")
    }

    // MARK: Holds

    /// A 冻结 or 解冻 row as read: the hold it opens or releases, and the reason of the
    /// account event it records.
    private struct HoldRow {
        let merchantId: String
        /// The amount held, positive whatever the file's sign.
        let amount: Money
        let at: Instant
        /// The row's type word, else 冻结 or 解冻.
        let word: String
        let note: String?
        let rrn: String?
        let payoutRef: String?
        let kind: HoldKind
        /// FRZ- and the row's 参考号 (else 凭证号); nil when it has neither.
        let ref: String?

        /// The hold's ref when the row has no reference: from its time and amount.
        var fallbackRef: String { "FRZ-\(at.epochMillis / 1000)-\(amount.minor)" }

        /// "冻结 ¥500.00: 调单" for the account event.
        var reason: String { "\(word) \(amount.formatted(symbol: true))" + (note.map { ": \($0)" } ?? "") }

        func hold(ref: String, releasedAt: Instant?) -> Hold {
            Hold(merchantId: merchantId, ref: ref, kind: kind, amount: amount, rrn: rrn, payoutRef: payoutRef,
                 openedAt: at, releasedAt: releasedAt, reason: note ?? word)
        }
    }

    /// A 冻结 row opens a hold and records the account frozen; a 解冻 row releases its
    /// hold (by reference, else by amount) and records the account active again.
    private func recordHold(_ row: Row, _ what: RowAction, _ money: RowMoney, at: Instant, _ refs: RowRefs) throws {
        var amount = money.amount
        if amount.isNegative { amount = Money(minor: -amount.minor, currency: money.currency) }
        if amount.isZero { throw row.fail(cAmount, "a \(what.typeText ?? "冻结") row must move money") }
        let word = what.typeText ?? (what.action == .freeze ? "冻结" : "解冻")
        let h = HoldRow(merchantId: refs.merchantId, amount: amount, at: at, word: word, note: refs.note, rrn: refs.rrn,
                        payoutRef: refs.payoutRef, kind: profile.holdKind(for: (refs.note ?? "") + word),
                        ref: (refs.rrn ?? refs.trace).map { "FRZ-\($0)" })
        if what.action == .freeze {
            try openHold(h, row)
        } else {
            try releaseHold(h, row)
        }
    }

    private func openHold(_ h: HoldRow, _ row: Row) throws {
        let s = row.session
        try s.sink.addHoldIfNew(h.hold(ref: h.ref ?? h.fallbackRef, releasedAt: nil), line: row.line)
        try s.sink.add(AccountEvent(merchantId: h.merchantId, state: .frozen, at: h.at, reason: h.reason), line: row.line)
    }

    /// Releases the hold; one that matches no open hold is recorded as opened and
    /// released at once, with a warning.
    private func releaseHold(_ h: HoldRow, _ row: Row) throws {
        let s = row.session
        let outcome = try s.sink.releaseHold(merchantId: h.merchantId, ref: h.ref, amount: h.amount, at: h.at, line: row.line)
        if outcome == .notFound {
            s.warn(row.line, nil, "\(h.word) of \(h.amount.formatted(symbol: true)) matches no open 冻结 in this file or the store; recorded as a hold opened and released at \(LocalDateTime(h.at, in: s.options.timeZone))")
            try s.sink.addHoldIfNew(h.hold(ref: (h.ref ?? h.fallbackRef) + "-R", releasedAt: h.at), line: row.line)
        }
        try s.sink.add(AccountEvent(merchantId: h.merchantId, state: .active, at: h.at, reason: h.reason), line: row.line)
    }

    // MARK: Transactions

    /// A sale, 预授权完成, void, reversal or refund row: a transaction.
    private func recordTransaction(_ row: Row, _ what: RowAction, _ money: RowMoney, at: Instant, _ refs: RowRefs) throws {
        let kind = Self.txnKind(what.action)
        let money = reconcileSettleAmount(try signed(money, kind: kind, typeText: what.typeText, row), row)
        netAmount &+= money.amount.minor
        netFee &+= money.fee?.minor ?? 0
        let terminalId = try readTerminalId(row)
        let batch = try row.optionalIdentifier(cBatch, .batchNo) ?? ""
        if refs.rrn == nil && refs.trace == nil {
            throw row.session.error(row.line, cRrn >= 0 ? name(cRrn) : name(cTrace),
                                    "value is missing (a transaction needs its \(cRrn >= 0 ? name(cRrn) : "参考号") or \(cTrace >= 0 ? name(cTrace) : "凭证号") to be told apart)")
        }
        try checkBatchCurrency(batch, money.currency, row)
        let card: String
        do { card = try Values.maskCard(row.value(cCard) ?? "") } catch { throw row.fail(cCard, error.reason) }
        let t = Transaction(
            merchantId: refs.merchantId, terminalId: terminalId, terminalName: row.value(cTerminalName), batchNo: batch,
            traceNo: refs.trace ?? "", rrn: refs.rrn ?? "", authCode: row.value(cAuth) ?? "", cardMasked: card,
            cardKind: readCardKind(row, card: card), kind: kind, amount: money.amount, fee: money.fee, occurredAt: at,
            payoutRef: refs.payoutRef)
        try add(t, row)
    }

    private static func txnKind(_ action: FormatProfile.Action) -> TxnKind {
        switch action {
        case .void: return .void
        case .reversal: return .reversal
        case .refund: return .refund
        case .preauthCompletion: return .preauthCompletion
        default: return .sale
        }
    }

    /// The money with the sign of its kind: a sale must not be negative; the file writes
    /// voids, reversals and refunds unsigned or negative, and money goes back, so
    /// positive amounts (and their fee and 结算金额) flip.
    private func signed(_ money: RowMoney, kind: TxnKind, typeText: String?, _ row: Row) throws(ImportError) -> RowMoney {
        var m = money
        if kind == .sale || kind == .preauthCompletion {
            if m.amount.isNegative { throw row.fail(cAmount, "a \(typeText ?? "消费") must not be negative") }
        } else if m.amount.minor > 0 {
            m.amount = Money(minor: -m.amount.minor, currency: m.currency)
            if let f0 = m.fee, f0.minor > 0 { m.fee = Money(minor: -f0.minor, currency: m.currency) }
            if let s0 = m.settle, s0.minor > 0 { m.settle = Money(minor: -s0.minor, currency: m.currency) }
        }
        return m
    }

    /// With a 结算金额: the fee is amount less 结算金额 when the file gives none; when it
    /// gives one that does not make the 结算金额, a warning (the row is kept as reported).
    private func reconcileSettleAmount(_ money: RowMoney, _ row: Row) -> RowMoney {
        guard let st = money.settle else { return money }
        var m = money
        if let fe = m.fee {
            let (net, o) = m.amount.minor.subtractingReportingOverflow(fe.minor)
            if o || net != st.minor {
                row.session.warn(row.line, name(cSettle), "\(st.decimalString) is not \(name(cAmount)) \(m.amount.decimalString) less \(name(cFee)) \(fe.decimalString); kept as reported")
            }
        } else {
            let (f1, o) = m.amount.minor.subtractingReportingOverflow(st.minor)
            if !o { m.fee = Money(minor: f1, currency: m.currency) }
        }
        return m
    }

    /// The terminal from its column; when the file has none, from the lines above the
    /// header, else none ("").
    private func readTerminalId(_ row: Row) throws(ImportError) -> String {
        if let v = row.value(cTerminal) { return try row.identifier(cTerminal, v, .terminalId) }
        if cTerminal >= 0 { throw row.fail(cTerminal, "value is missing") }
        return preTerminal ?? ""
    }

    /// A batch is in one currency: the first row of a batch sets it, and a later row in
    /// another is an error. Checked only when the file has a currency column.
    private func checkBatchCurrency(_ batch: String, _ currency: Currency, _ row: Row) throws(ImportError) {
        guard cCurrency >= 0 && !batch.isEmpty else { return }
        if let (c0, line0) = batchCurrency[batch], c0 != currency {
            throw row.fail(cCurrency, "\(currency.code) in batch \(batch), which is in \(c0.code) at line \(line0)")
        } else if batchCurrency[batch] == nil {
            batchCurrency[batch] = (currency, row.line)
        }
    }

    /// The card kind from its column; without one, QR when there is no card number,
    /// else other. A word the profile does not know is other, warned about at the end.
    private func readCardKind(_ row: Row, card: String) -> CardKind {
        var cardKind: CardKind = card.isEmpty ? .qr : .other
        if let k = row.value(cCardKind) {
            if let ck = profile.cardKind(for: k) { cardKind = ck }
            else if unknownCardKinds[k] == nil { unknownCardKinds[k] = row.line }
        }
        return cardKind
    }

    /// Writes the transaction: a row repeated in the file is counted once, with a
    /// warning; the same keys with other values are an error.
    private func add(_ t: Transaction, _ row: Row) throws {
        let s = row.session
        switch try s.sink.addTransactionChecked(t, line: row.line) {
        case .inserted, .duplicate, .attached, .revised:
            break
        case .repeatInFile(let first):
            s.warn(row.line, nil, "repeats line \(first) (same merchant, terminal, batch, trace, reference and type); counted once")
        case .conflictInFile(let first):
            throw s.error(row.line, nil, "has the same merchant, terminal, batch, trace, reference and type as line \(first) but a different amount, fee or time")
        }
    }

    func finish(_ s: ImportSession) throws {
        for (type, e) in ignored.sorted(by: { $0.value.line < $1.value.line }) {
            s.warn(e.line, cType >= 0 ? name(cType) : nil,
                   "\(e.count) row\(e.count == 1 ? "" : "s") of type \(ImportLimits.quote(type)) skipped: the profile \(profile.name) lists it under ignore (no money moves)")
        }
        for (k, line) in unknownCardKinds.sorted(by: { $0.value < $1.value }) {
            s.warn(line, name(cCardKind), "\(ImportLimits.quote(k)) is not a card kind the profile \(profile.name) knows; taken as other")
        }
        if dateOnlyLine > 0 {
            s.warn(dateOnlyLine, nil, "the file gives trade dates without times; times are taken as 00:00")
        }
        if isRejectsFile { return }
        if trailerLine == 0 && profile.trailerRequired {
            throw FileLevelError(error: s.incomplete(lastLine,
                "no trailer line (\(profile.trailerMarkers.joined(separator: "/")) ...) after the rows: the file looks truncated (profile \(profile.name) expects one)"))
        }
        if let n = trailerCount, n != dataRows {
            throw FileLevelError(error: s.incomplete(trailerLine,
                "the trailer counts \(n) rows but the file has \(dataRows) (a truncated or edited file?)"))
        }
        // A total is the column's sum as written, or the sum as stored (net of refunds).
        for (total, sum, net, col) in [(trailerAmount, amountSum, netAmount, cAmount), (trailerFee, feeSum, netFee, cFee)] {
            guard let t = total else { continue }
            guard col >= 0, let sum else {
                s.warn(t.line, nil, "a trailer total is not checked: \(col < 0 ? "the file has no such column" : "a cell of \(name(col)) did not read as an amount")")
                continue
            }
            if sum != t.minor && net != t.minor {
                let m = { (x: Int64) in Money(minor: x, currency: self.currencyDefault).decimalString + " 元" }
                throw FileLevelError(error: s.incomplete(t.line,
                    "the trailer's \(name(col)) total is \(t.text)\(t.text.hasSuffix(" 分") ? " (\(m(t.minor)))" : "") but the rows add up to \(m(sum))\(net != sum ? " (\(m(net)) net of refunds)" : "") (a truncated or edited file, or amounts in the wrong unit?)"))
            }
        }
        if trailerLine == 0 && s.unterminatedLine > 0 && s.unterminatedLine == lastLine {
            s.warn(lastLine, nil, "the file ends inside this line, without a line end, and has no totals to check it against: the line may be cut; compare it with the acquirer's portal")
        }
    }
}
