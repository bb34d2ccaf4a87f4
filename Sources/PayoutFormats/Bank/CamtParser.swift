import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PayoutCore

/// ISO 20022 bank-to-customer statements: camt.053 (end of day, `BkToCstmrStmt/Stmt`)
/// and camt.052 (intraday, `BkToCstmrAcctRpt/Rpt`), versions .001.02 onward. The
/// document's namespace names the message and its version; the elements read are the
/// same in every version (docs/report-formats.md, "Bank statements").
///
/// The file is read as a stream (Foundation's `XMLParser`, no external entities). Any
/// XML error, a truncated file among them, refuses the whole file with the line where
/// the parser stopped.
public struct CamtParser: BankStatementParser {
    public var name: String { "camt" }
    /// The zone of date-times written without an offset.
    public var timeZone: TimeZone

    public init(timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) { self.timeZone = timeZone }

    public func reading(in zone: TimeZone) -> any BankStatementParser { CamtParser(timeZone: zone) }

    public func detects(head: String) -> Bool { Self.message(in: head) != nil }

    /// ("053" or "052", "camt.053.001.02") from the first camt namespace in `text`, when
    /// its version is .001.02 or later.
    static func message(in text: String) -> (kind: String, format: String)? {
        for kind in ["053", "052"] {
            let marker = "urn:iso:std:iso:20022:tech:xsd:camt.\(kind).001."
            guard let r = text.range(of: marker) else { continue }
            let digits = text[r.upperBound...].prefix(while: { $0.isASCII && $0.isNumber })
            guard digits.count == 2, let v = Int(digits), v >= 2 else { return nil }
            return (kind, "camt.\(kind).001.\(digits)")
        }
        return nil
    }

    public func parse(_ data: Data, file: String) throws -> BankStatementFile {
        let head = String(decoding: data.prefix(8192), as: UTF8.self)
        guard let message = Self.message(in: head) else {
            throw ImportError(file: file, line: 0, reason: "not a camt.053 or camt.052 statement of version .001.02 or later")
        }
        let reader = CamtReader(file: file, format: message.format,
                                kind: message.kind == "053" ? .final : .intraday, zone: timeZone)
        // Fed as a stream, in blocks: parsing the bytes in one piece stops near 10 MB
        // (libxml2's limit without its "huge" option), and a year of statements is larger.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        reader.parser = parser
        let ok = parser.parse()
        if let error = reader.failure { throw error }
        if !ok {
            let detail = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown XML error"
            throw ImportError(file: file, line: max(1, parser.lineNumber),
                              reason: "the XML is broken or cut off here (\(detail)); nothing was imported")
        }
        // libxml2 may stop at the end of the bytes without an error: a document whose
        // root element never closed is cut off.
        guard reader.rootClosed else {
            throw ImportError(file: file, line: max(1, parser.lineNumber),
                              reason: "the XML ends before its root element closes (a truncated file?); nothing was imported")
        }
        guard reader.sawRoot else {
            throw ImportError(file: file, line: 0, reason: "no BkToCstmrStmt or BkToCstmrAcctRpt element")
        }
        return BankStatementFile(statements: reader.statements)
    }

    /// An account number shown by its last four characters: the IBAN's country letters
    /// kept, the rest starred ("NL****6890"); a short one only starred.
    public static func maskAccount(_ raw: String) -> (masked: String, tail: String) {
        let compact = raw.filter { !$0.isWhitespace }
        let tail = String(compact.suffix(4))
        guard compact.count > 4 else { return (String(repeating: "*", count: compact.count), tail) }
        let letters = compact.prefix(2).allSatisfy { $0.isLetter } ? String(compact.prefix(2)) : ""
        return (letters + "****" + tail, tail)
    }
}

/// The streaming reader behind `CamtParser`: a stack of element names, the text of the
/// element being read, and the statement and entry under construction.
private final class CamtReader: NSObject, XMLParserDelegate {
    let file: String
    let format: String
    let kind: BankStatementKind
    let zone: TimeZone
    weak var parser: XMLParser?
    var failure: ImportError?
    var sawRoot = false
    /// The document's root element was closed: the file is whole.
    var rootClosed = false
    var statements: [BankStatement] = []

    private var path: [String] = []
    private var text = ""
    private var amountCurrency: String?

    // The statement being read.
    private struct StatementDraft {
        var line: Int
        var id = ""
        var createdAt: Instant?
        var from: LocalDate?
        var to: LocalDate?
        var account: String?
        var currency: String?
        var ownerName: String?
        var bank: String?
        var opening: (amount: String, ccy: String?, credit: Bool)?
        var closing: (amount: String, ccy: String?, credit: Bool)?
        var closingDate: LocalDate?
        var entries: [BankEntry] = []
    }
    private var stmt: StatementDraft?

    private struct BalanceDraft {
        var code = ""
        var amount: String?
        var ccy: String?
        var credit = true
        var date: LocalDate?
    }
    private var bal: BalanceDraft?

    private struct EntryDraft {
        var line: Int
        var amount: String?
        var ccy: String?
        var indicator: String?
        var reversal = false
        var status: String?
        var booking: String?
        var value: String?
        var acctSvcrRef: String?
        var domain: String?
        var family: String?
        var subFamily: String?
        var proprietary: String?
        var endToEndIds: [String] = []
        var ustrd: [String] = []
        var additional: [String] = []
        var debtorName: String?
        var debtorAccount: String?
        var creditorName: String?
        var creditorAccount: String?
    }
    private var entry: EntryDraft?

    init(file: String, format: String, kind: BankStatementKind, zone: TimeZone) {
        self.file = file; self.format = format; self.kind = kind; self.zone = zone
    }

    private var line: Int { parser?.lineNumber ?? 0 }

    private func fail(_ line: Int, _ reason: String) {
        if failure == nil { failure = ImportError(file: file, line: line, reason: reason) }
        parser?.abortParsing()
    }

    private static func local(_ qname: String) -> String {
        if let i = qname.lastIndex(of: ":") { return String(qname[qname.index(after: i)...]) }
        return qname
    }

    /// The names below the innermost element called `anchor`, or nil when not inside one.
    private func below(_ anchor: String) -> ArraySlice<String>? {
        guard let i = path.lastIndex(of: anchor) else { return nil }
        return path[(i + 1)...]
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        let name = Self.local(elementName)
        path.append(name)
        text = ""
        if name == "Amt" || name == "Amount" {
            amountCurrency = attributes["Ccy"]
        }
        if name == "BkToCstmrStmt" || name == "BkToCstmrAcctRpt" { sawRoot = true }
        let parent = path.count >= 2 ? path[path.count - 2] : ""
        if (name == "Stmt" && parent == "BkToCstmrStmt") || (name == "Rpt" && parent == "BkToCstmrAcctRpt") {
            stmt = StatementDraft(line: line)
        } else if name == "Bal" && stmt != nil && entry == nil {
            bal = BalanceDraft()
        } else if name == "Ntry" && stmt != nil {
            entry = EntryDraft(line: line)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        let name = Self.local(elementName)
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        defer {
            path.removeLast(); text = ""
            if path.isEmpty { rootClosed = true }
        }
        guard failure == nil else { return }
        if entry != nil, let sub = below("Ntry") {
            endInEntry(name, Array(sub), value)
        } else if bal != nil, let sub = below("Bal") {
            endInBalance(name, Array(sub), value)
        } else if stmt != nil, let sub = below(kind == .intraday ? "Rpt" : "Stmt") {
            endInStatement(name, Array(sub), value)
        }
    }

    private func endInStatement(_ name: String, _ sub: [String], _ value: String) {
        guard var s = stmt else { return }
        switch sub {
        case []:
            finishStatement(s)
            stmt = nil
            return
        case ["Id"]: s.id = value
        case ["CreDtTm"]: s.createdAt = InstantParser.parse(value, zone: zone)
        case ["FrToDt", "FrDtTm"], ["FrToDt", "FrDt"]: s.from = LocalDate(iso: String(value.prefix(10)))
        case ["FrToDt", "ToDtTm"], ["FrToDt", "ToDt"]: s.to = LocalDate(iso: String(value.prefix(10)))
        case ["Acct", "Id", "IBAN"], ["Acct", "Id", "Othr", "Id"]: s.account = value
        case ["Acct", "Ccy"]: s.currency = value
        case ["Acct", "Nm"]: if s.ownerName == nil { s.ownerName = value }
        case ["Acct", "Ownr", "Nm"], ["Acct", "Ownr", "Pty", "Nm"]: s.ownerName = value
        case ["Acct", "Svcr", "FinInstnId", "BIC"], ["Acct", "Svcr", "FinInstnId", "BICFI"]: s.bank = value
        case ["Acct", "Svcr", "FinInstnId", "Nm"]: if s.bank == nil { s.bank = value }
        default: break
        }
        stmt = s
    }

    private func endInBalance(_ name: String, _ sub: [String], _ value: String) {
        guard var b = bal else { return }
        switch sub {
        case []:
            bal = nil
            guard var s = stmt else { return }
            guard let amount = b.amount else { return fail(line, "a balance (\(b.code)) without an amount") }
            switch b.code {
            case "OPBD", "PRCD":
                // The opening booked balance wins over the previous day's closing.
                if s.opening == nil || b.code == "OPBD" { s.opening = (amount, b.ccy, b.credit) }
            case "CLBD":
                s.closing = (amount, b.ccy, b.credit)
                s.closingDate = b.date
            default: break
            }
            stmt = s
            return
        case ["Tp", "CdOrPrtry", "Cd"]: b.code = value
        case ["Amt"]: b.amount = value; b.ccy = amountCurrency
        case ["CdtDbtInd"]: b.credit = value != "DBIT"
        case ["Dt", "Dt"], ["Dt", "DtTm"]: b.date = LocalDate(iso: String(value.prefix(10)))
        default: break
        }
        bal = b
    }

    private func endInEntry(_ name: String, _ sub: [String], _ value: String) {
        guard var e = entry else { return }
        switch sub {
        case []:
            entry = nil
            finishEntry(e)
            return
        case ["Amt"]: e.amount = value; e.ccy = amountCurrency
        case ["CdtDbtInd"]: e.indicator = value
        case ["RvslInd"]: e.reversal = value == "true" || value == "1"
        case ["Sts"], ["Sts", "Cd"]: if !value.isEmpty { e.status = value }
        case ["BookgDt", "Dt"], ["BookgDt", "DtTm"]: e.booking = value
        case ["ValDt", "Dt"], ["ValDt", "DtTm"]: e.value = value
        case ["AcctSvcrRef"]: e.acctSvcrRef = value
        case ["BkTxCd", "Domn", "Cd"]: e.domain = value
        case ["BkTxCd", "Domn", "Fmly", "Cd"]: e.family = value
        case ["BkTxCd", "Domn", "Fmly", "SubFmlyCd"]: e.subFamily = value
        case ["BkTxCd", "Prtry", "Cd"]: e.proprietary = value
        case ["AddtlNtryInf"]: if !value.isEmpty { e.additional.append(value) }
        default:
            // Transaction details: one or several (a batch) under NtryDtls.
            guard sub.count >= 3, sub[0] == "NtryDtls", sub[1] == "TxDtls" else { break }
            let d = Array(sub.dropFirst(2))
            switch d {
            case ["Refs", "EndToEndId"]:
                if !value.isEmpty && value != "NOTPROVIDED" && !e.endToEndIds.contains(value) { e.endToEndIds.append(value) }
            case ["Refs", "AcctSvcrRef"]: if e.acctSvcrRef == nil { e.acctSvcrRef = value }
            case ["RmtInf", "Ustrd"]: if !value.isEmpty { e.ustrd.append(value) }
            case ["AddtlTxInf"]: if !value.isEmpty { e.additional.append(value) }
            case ["RltdPties", "Dbtr", "Nm"], ["RltdPties", "Dbtr", "Pty", "Nm"]: if e.debtorName == nil { e.debtorName = value }
            case ["RltdPties", "Cdtr", "Nm"], ["RltdPties", "Cdtr", "Pty", "Nm"]: if e.creditorName == nil { e.creditorName = value }
            case ["RltdPties", "DbtrAcct", "Id", "IBAN"], ["RltdPties", "DbtrAcct", "Id", "Othr", "Id"]:
                if e.debtorAccount == nil { e.debtorAccount = value }
            case ["RltdPties", "CdtrAcct", "Id", "IBAN"], ["RltdPties", "CdtrAcct", "Id", "Othr", "Id"]:
                if e.creditorAccount == nil { e.creditorAccount = value }
            default: break
            }
        }
        entry = e
    }

    private func currency(_ code: String?, at line: Int) -> Currency? {
        guard let code, !code.isEmpty else { fail(line, "no currency for the amount"); return nil }
        guard let c = Currency(code: code) else { fail(line, "unknown currency \(ImportLimits.quote(code))"); return nil }
        return c
    }

    private func money(_ raw: String, _ currency: Currency, at line: Int) -> Money? {
        do { return try Money.parse(raw, currency: currency) } catch {
            fail(line, "amount \(ImportLimits.quote(raw)): \(error)"); return nil
        }
    }

    private func finishEntry(_ e: EntryDraft) {
        guard var s = stmt else { return }
        guard let raw = e.amount else { return fail(e.line, "an entry (Ntry) without an amount (Amt)") }
        guard let ccy = currency(e.ccy ?? s.currency, at: e.line) else { return }
        if let sc = s.currency, sc != ccy.code {
            return fail(e.line, "the entry is in \(ccy.code) but the account is in \(sc)")
        }
        if s.currency == nil { s.currency = ccy.code }
        guard let amount = money(raw, ccy, at: e.line) else { return }
        let sign: Int64
        switch e.indicator {
        case "CRDT": sign = 1
        case "DBIT": sign = -1
        default: return fail(e.line, "credit or debit (CdtDbtInd) is \(ImportLimits.quote(e.indicator ?? "missing")), not CRDT or DBIT")
        }
        let status: BankEntryStatus
        switch e.status ?? "BOOK" {
        case "BOOK": status = .booked
        case "PDNG", "INFO", "FUTR": status = .pending
        case let other: return fail(e.line, "entry status \(ImportLimits.quote(other)) is not BOOK, PDNG or INFO")
        }
        guard let dateText = e.booking ?? e.value, let day = LocalDate(iso: String(dateText.prefix(10))) else {
            return fail(e.line, "an entry without a booking date (BookgDt) or value date (ValDt)")
        }
        let bookedAt: Instant? = (e.booking.map { $0.count > 10 } ?? false) ? InstantParser.parse(e.booking!, zone: zone) : nil
        var code: String?
        if let d = e.domain {
            code = [d, e.family, e.subFamily].compactMap { $0 }.joined(separator: "/")
            if let p = e.proprietary { code! += " (\(p))" }
        } else { code = e.proprietary }
        let credit = sign > 0
        let partyName = credit ? e.debtorName : e.creditorName
        let partyAccount = (credit ? e.debtorAccount : e.creditorAccount).map { CamtParser.maskAccount($0).masked }
        let texts = e.ustrd + e.additional
        let remittance = texts.isEmpty ? nil : CardNumber.redact(texts.joined(separator: " / "))
        s.entries.append(BankEntry(
            amount: Money(minor: sign * amount.minor, currency: ccy), reversal: e.reversal, status: status,
            bookingDate: day, bookedAt: bookedAt, valueDate: e.value.flatMap { LocalDate(iso: String($0.prefix(10))) },
            bankRef: e.acctSvcrRef.map { CardNumber.redact($0) },
            endToEndId: e.endToEndIds.isEmpty ? nil : CardNumber.redact(e.endToEndIds.joined(separator: " ")),
            transactionCode: code, remittance: remittance, counterpartyName: partyName.map { CardNumber.redact($0) },
            counterpartyAccount: partyAccount, line: e.line))
        stmt = s
    }

    private func finishStatement(_ s: StatementDraft) {
        guard let account = s.account, !account.isEmpty else {
            return fail(s.line, "the statement names no account (Acct/Id)")
        }
        guard let ccy = currency(s.currency ?? s.opening?.ccy ?? s.closing?.ccy, at: s.line) else { return }
        func balance(_ b: (amount: String, ccy: String?, credit: Bool)?) -> Money?? {
            guard let b else { return .some(nil) }
            if let c = b.ccy, c != ccy.code {
                fail(s.line, "a balance in \(c) on an account in \(ccy.code)"); return nil
            }
            guard let m = money(b.amount, ccy, at: s.line) else { return nil }
            return .some(Money(minor: b.credit ? m.minor : -m.minor, currency: ccy))
        }
        guard let opening = balance(s.opening), let closing = balance(s.closing) else { return }
        let days = s.entries.map(\.bookingDate) + (s.closingDate.map { [$0] } ?? [])
        let created = s.createdAt.map { LocalDateTime($0, in: zone).date }
        guard let start = s.from ?? days.min() ?? created, let end = s.to ?? days.max() ?? created else {
            return fail(s.line, "the statement states no period and holds no dated entry or balance")
        }
        let masked = CamtParser.maskAccount(account)
        statements.append(BankStatement(
            format: format, statementId: s.id, accountMasked: masked.masked, accountTail: masked.tail,
            accountName: s.ownerName, bank: s.bank, currency: ccy, kind: kind, periodStart: min(start, end),
            periodEnd: max(start, end), openingBalance: opening, closingBalance: closing, createdAt: s.createdAt,
            line: s.line, entries: s.entries))
    }
}
