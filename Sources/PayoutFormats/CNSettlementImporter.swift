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
    func scrub(_ fields: [String]) -> [String] {
        fields.enumerated().map { i, f in i == cCard ? PANScrubber.maskCard(f) : PANScrubber.scrub(f) }
    }

    private func name(_ c: Int) -> String { c >= 0 && c < header.count && !header[c].isEmpty ? header[c] : "#\(c + 1)" }

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

    private func scanTrailer(_ r: CSVRecord) {
        if trailerLine == 0 { trailerLine = r.line }
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
        if f.count != header.count && !(f.count == header.count + 1 && Values.trim(f[f.count - 1]).isEmpty) {
            throw s.error(r.line, nil, "has \(f.count) fields; the header has \(header.count)")
        }

        @inline(__always) func value(_ c: Int) -> String? {
            guard c >= 0 else { return nil }
            let v = Values.clean(f[c], prefixes: prefixes)
            return v.isEmpty ? nil : v
        }
        func fail(_ c: Int, _ reason: String) -> ImportError { s.error(r.line, c >= 0 ? name(c) : nil, reason) }
        func required(_ c: Int, _ what: Field) throws(ImportError) -> String {
            if let v = value(c) { return v }
            if c < 0 { throw s.error(r.line, nil, "\(what.rawValue) is not in the file") }
            throw fail(c, "value is missing")
        }
        func identifier(_ c: Int, _ v: String, _ kind: IdentifierKind) throws(ImportError) -> String {
            if let p = Values.identifierProblem(v, kind) { throw fail(c, "\"\(v)\" \(p)") }
            if v.utf8.count >= 16 && PANScrubber.scrub(v) != v {
                throw fail(c, "the value looks like a card number; payoutmon keeps card numbers only in the card column, masked (wrong profile?)")
            }
            return v
        }

        // What the row does.
        let typeText = value(cType)
        var flow: FormatProfile.Flow?
        if let ft = value(cFlow) {
            guard let fl = profile.flow(for: ft) else {
                throw fail(cFlow, "\"\(ft)\" is not a fund-flow word the profile \(profile.name) knows (进账, 出账, 退款, 冻结, 解冻 ...)")
            }
            flow = fl
        }
        var action: FormatProfile.Action
        if let t = typeText {
            guard let a = profile.action(for: t) else {
                let known = [FormatProfile.Action.sale, .void, .reversal, .refund, .preauthCompletion].flatMap { profile.typeWords[$0] ?? [] }
                throw fail(cType, "\"\(t)\" is not a transaction type the profile \(profile.name) knows (\(known.joined(separator: ", ")); add it under [types])")
            }
            action = a
        } else if let flow {
            switch flow {
            case .in: action = .sale
            case .out, .refund: action = .refund
            case .freeze: action = .freeze
            case .release: action = .release
            }
        } else {
            throw cType >= 0 ? fail(cType, "value is missing") : fail(cFlow, "value is missing")
        }
        if flow == .freeze { action = .freeze } else if flow == .release { action = .release }
        if action == .ignore {
            let key = typeText ?? ""
            if let e = ignored[key] { ignored[key] = (e.count + 1, e.line) } else { ignored[key] = (1, r.line) }
            return true
        }

        // Money.
        var currency = currencyDefault
        if let c = value(cCurrency) {
            guard let cur = profile.currency(for: c) else { throw fail(cCurrency, "unknown currency \"\(c)\"") }
            currency = cur
        }
        var amount = try parseAmount(try required(cAmount, .amount), unit: amountUnit, currency, column: cAmount, fail)
        var fee = try value(cFee).map { v throws(ImportError) in try parseAmount(v, unit: feeUnit, currency, column: cFee, fail) }
        var settle = try value(cSettle).map { v throws(ImportError) in try parseAmount(v, unit: settleUnit, currency, column: cSettle, fail) }

        // When.
        let at: Instant
        if cOccurred >= 0 {
            let v = try required(cOccurred, .occurredAt)
            guard let (t, hasTime) = Values.localDateTime(date: v, time: nil) else {
                throw fail(cOccurred, "\"\(v)\" is not a date and time (e.g. 2026-11-20 12:18:05 or 20261120121805)")
            }
            if !hasTime && dateOnlyLine == 0 { dateOnlyLine = r.line }
            at = clock.instant(t)
        } else {
            let d = try required(cDate, .tradeDate)
            let tm = value(cTime)
            guard let (t, hasTime) = Values.localDateTime(date: d, time: tm) else {
                let c = tm != nil && Values.localDateTime(date: d, time: nil) != nil ? cTime : cDate
                throw fail(c, "\"\(c == cTime ? tm ?? "" : d)\" is not a \(c == cTime ? "time (e.g. 12:18:05 or 121805)" : "date (e.g. 2026-11-20 or 20261120)")")
            }
            if !hasTime && dateOnlyLine == 0 { dateOnlyLine = r.line }
            at = clock.instant(t)
        }

        // Who.
        let merchantId: String
        if let v = value(cMerchant) { merchantId = try identifier(cMerchant, v, .merchantId) }
        else if cMerchant >= 0 { throw fail(cMerchant, "value is missing") }
        else if let v = preMerchant ?? s.options.merchantId { merchantId = try identifier(-1, v, .merchantId) }
        else { throw s.error(r.line, nil, "no 商户号 (merchant id): the file has no such column or line above the header; pass one with the import's merchant option") }
        let rrn = try value(cRrn).map { v throws(ImportError) in try identifier(cRrn, v, .rrn) }
        let trace = try value(cTrace).map { v throws(ImportError) in try identifier(cTrace, v, .traceNo) }
        let payoutRef = try value(cPayout).map { v throws(ImportError) in try identifier(cPayout, v, .payoutRef) }
        let note = value(cNote)

        switch action {
        case .freeze, .release:
            if amount.isNegative { amount = Money(minor: -amount.minor, currency: currency) }
            if amount.isZero { throw fail(cAmount, "a \(typeText ?? "冻结") row must move money") }
            let word = typeText ?? (action == .freeze ? "冻结" : "解冻")
            let reason = "\(word) \(amount.formatted(symbol: true))" + (note.map { ": \($0)" } ?? "")
            let ref = (rrn ?? trace).map { "FRZ-\($0)" }
            if action == .freeze {
                let hold = Hold(merchantId: merchantId, ref: ref ?? "FRZ-\(at.epochMillis / 1000)-\(amount.minor)",
                                kind: profile.holdKind(for: (note ?? "") + word), amount: amount, rrn: rrn, payoutRef: payoutRef,
                                openedAt: at, releasedAt: nil, reason: note ?? word)
                try s.sink.addHoldIfNew(hold, line: r.line)
                try s.sink.add(AccountEvent(merchantId: merchantId, state: .frozen, at: at, reason: reason), line: r.line)
            } else {
                let outcome = try s.sink.releaseHold(merchantId: merchantId, ref: ref, amount: amount, at: at, line: r.line)
                if outcome == .notFound {
                    s.warn(r.line, nil, "\(word) of \(amount.formatted(symbol: true)) matches no open 冻结 in this file or the store; recorded as a hold opened and released at \(LocalDateTime(at, in: s.options.timeZone))")
                    let hold = Hold(merchantId: merchantId, ref: (ref ?? "FRZ-\(at.epochMillis / 1000)-\(amount.minor)") + "-R",
                                    kind: profile.holdKind(for: (note ?? "") + word), amount: amount, rrn: rrn, payoutRef: payoutRef,
                                    openedAt: at, releasedAt: at, reason: note ?? word)
                    try s.sink.addHoldIfNew(hold, line: r.line)
                }
                try s.sink.add(AccountEvent(merchantId: merchantId, state: .active, at: at, reason: reason), line: r.line)
            }
            return true
        case .ignore:
            return true
        case .sale, .preauthCompletion, .void, .reversal, .refund:
            break
        }

        let kind: TxnKind
        switch action {
        case .void: kind = .void
        case .reversal: kind = .reversal
        case .refund: kind = .refund
        case .preauthCompletion: kind = .preauthCompletion
        default: kind = .sale
        }
        if kind == .sale || kind == .preauthCompletion {
            if amount.isNegative { throw fail(cAmount, "a \(typeText ?? "消费") must not be negative") }
        } else if amount.minor > 0 {
            // The file writes reversals unsigned: money goes back, so all amounts flip.
            amount = Money(minor: -amount.minor, currency: currency)
            if let f0 = fee, f0.minor > 0 { fee = Money(minor: -f0.minor, currency: currency) }
            if let s0 = settle, s0.minor > 0 { settle = Money(minor: -s0.minor, currency: currency) }
        }
        if let st = settle {
            if let fe = fee {
                let (net, o) = amount.minor.subtractingReportingOverflow(fe.minor)
                if o || net != st.minor {
                    s.warn(r.line, name(cSettle), "\(st.decimalString) is not \(name(cAmount)) \(amount.decimalString) less \(name(cFee)) \(fe.decimalString); kept as reported")
                }
            } else {
                let (f1, o) = amount.minor.subtractingReportingOverflow(st.minor)
                if !o { fee = Money(minor: f1, currency: currency) }
            }
        }

        let terminalId: String
        if let v = value(cTerminal) { terminalId = try identifier(cTerminal, v, .terminalId) }
        else if cTerminal >= 0 { throw fail(cTerminal, "value is missing") }
        else { terminalId = preTerminal ?? "" }
        let batch = try value(cBatch).map { v throws(ImportError) in try identifier(cBatch, v, .batchNo) } ?? ""
        if rrn == nil && trace == nil {
            throw s.error(r.line, cRrn >= 0 ? name(cRrn) : name(cTrace),
                          "value is missing (a transaction needs its \(cRrn >= 0 ? name(cRrn) : "参考号") or \(cTrace >= 0 ? name(cTrace) : "凭证号") to be told apart)")
        }
        if cCurrency >= 0 && !batch.isEmpty {
            if let (c0, line0) = batchCurrency[batch], c0 != currency {
                throw fail(cCurrency, "\(currency.code) in batch \(batch), which is in \(c0.code) at line \(line0)")
            } else if batchCurrency[batch] == nil {
                batchCurrency[batch] = (currency, r.line)
            }
        }
        let card: String
        do { card = try Values.maskCard(value(cCard) ?? "") } catch { throw fail(cCard, error.reason) }
        var cardKind: CardKind = card.isEmpty ? .qr : .other
        if let k = value(cCardKind) {
            if let ck = profile.cardKind(for: k) { cardKind = ck }
            else if unknownCardKinds[k] == nil { unknownCardKinds[k] = r.line }
        }

        let t = Transaction(
            merchantId: merchantId, terminalId: terminalId, terminalName: value(cTerminalName), batchNo: batch,
            traceNo: trace ?? "", rrn: rrn ?? "", authCode: value(cAuth) ?? "", cardMasked: card, cardKind: cardKind,
            kind: kind, amount: amount, fee: fee, occurredAt: at, payoutRef: payoutRef)
        switch try s.sink.addTransactionChecked(t, line: r.line) {
        case .inserted, .duplicate, .attached:
            break
        case .repeatInFile(let first):
            s.warn(r.line, nil, "repeats line \(first) (same merchant, terminal, batch, trace, reference and type); counted once")
        case .conflictInFile(let first):
            throw s.error(r.line, nil, "has the same merchant, terminal, batch, trace, reference and type as line \(first) but a different amount, fee or time")
        }
        return true
    }

    private func parseAmount(_ raw: String, unit: FormatProfile.AmountUnit, _ currency: Currency, column: Int,
                             _ fail: (Int, String) -> ImportError) throws(ImportError) -> Money {
        var v = raw
        if let f = v.utf8.first, f == 0xC2 || f == 0xEF, v.hasPrefix("¥") || v.hasPrefix("￥") { v = Values.trim(String(v.dropFirst())) }
        if v.utf8.last == 0x83, v.hasSuffix("元") { v = Values.trim(String(v.dropLast())) }
        switch unit {
        case .fen:
            guard let m = Values.minorUnits(v, currency) else {
                throw fail(column, "\"\(raw)\" is not a whole number of 分 (the profile \(profile.name) reads this column in 分)")
            }
            return m
        case .yuan:
            do { return try Values.money(v, currency) } catch {
                throw fail(column, error.description)
            }
        }
    }

    func finish(_ s: ImportSession) throws {
        for (type, e) in ignored.sorted(by: { $0.value.line < $1.value.line }) {
            s.warn(e.line, cType >= 0 ? name(cType) : nil,
                   "\(e.count) row\(e.count == 1 ? "" : "s") of type \"\(type)\" skipped: the profile \(profile.name) lists it under ignore (no money moves)")
        }
        for (k, line) in unknownCardKinds.sorted(by: { $0.value < $1.value }) {
            s.warn(line, name(cCardKind), "\"\(k)\" is not a card kind the profile \(profile.name) knows; taken as other")
        }
        if dateOnlyLine > 0 {
            s.warn(dateOnlyLine, nil, "the file gives trade dates without times; times are taken as 00:00")
        }
        if isRejectsFile { return }
        if trailerLine == 0 && profile.trailerRequired {
            throw FileLevelError(error: s.error(lastLine, nil,
                "no trailer line (\(profile.trailerMarkers.joined(separator: "/")) ...) after the rows: the file looks truncated (profile \(profile.name) expects one)"))
        }
        if let n = trailerCount, n != dataRows {
            throw FileLevelError(error: s.error(trailerLine, nil,
                "the trailer counts \(n) rows but the file has \(dataRows) (a truncated or edited file?)"))
        }
    }
}
