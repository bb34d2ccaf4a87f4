import Foundation
import PayoutCore

/// SWIFT MT940 (customer statement) and MT942 (interim transaction report) files
/// (docs/report-formats.md, "Bank statements: MT940/MT942, OFX, Chinese bank exports").
///
/// A file holds one or more statements, each from `:20:` to the next `:20:` (or a `-`
/// line), optionally inside SWIFT blocks `{1:}{2:}{4: ... -}`. Lines outside a statement
/// (a bank's own file header such as "ABNANL2A" / "940") are listed as skipped.
public struct MT940Parser: BankStatementParser {
    public let name = "mt940"

    public init() {}

    public func detects(head: String) -> Bool {
        let lines = BankText.lines(head).map { $0.trimmingCharacters(in: .whitespaces) }
        let hasRef = lines.contains { $0.hasPrefix(":20:") }
        let hasAccount = lines.contains { $0.hasPrefix(":25:") }
        return (hasRef && hasAccount) || head.contains("{4:") && hasRef
    }

    public func parse(_ data: Data, file: String) throws -> BankStatementFile {
        let text = try BankText.decode(data, file: file)
        var reader = MT940Reader(file: file)
        for (i, raw) in BankText.lines(text).enumerated() {
            try reader.line(String(raw), number: i + 1)
        }
        return try reader.finish()
    }
}

/// One field as read: its tag, the text of its first and continuation lines, and the
/// line it started on.
private struct MTField {
    let tag: String
    var lines: [String]
    let line: Int
}

private struct MT940Reader {
    let file: String
    var statements: [BankStatement] = []
    var skipped: [(line: Int, reason: String)] = []
    var warnings: [ImportWarning] = []
    /// The fields of the statement being read.
    var fields: [MTField] = []
    /// True when the SWIFT block 2 named message type 942.
    var blockSays942 = false

    init(file: String) { self.file = file }

    func error(_ line: Int, _ column: String?, _ reason: String) -> ImportError {
        ImportError(file: file, line: line, column: column, reason: reason)
    }

    mutating func line(_ raw: String, number: Int) throws {
        var text = raw
        // SWIFT envelope: "{1:F01...}{2:O940...}{4:" before the fields, "-}" or "-}{5:...}" after.
        if text.hasPrefix("{") {
            if text.contains("{2:O942") || text.contains("{2:I942") { blockSays942 = true }
            if text.contains("{2:O940") || text.contains("{2:I940") { blockSays942 = false }
            if let r = text.range(of: "{4:") {
                text = String(text[r.upperBound...])
                if text.isEmpty { return }
            } else {
                return
            }
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "-" || trimmed.hasPrefix("-}") {
            try endStatement()
            return
        }
        if let (tag, value) = Self.tag(of: text) {
            if tag == "20" { try endStatement() }
            if fields.isEmpty && tag != "20" {
                throw error(number, ":\(tag):", "field :\(tag): before the statement's :20: reference")
            }
            fields.append(MTField(tag: tag, lines: [value], line: number))
            return
        }
        if fields.isEmpty {
            if !trimmed.isEmpty { skipped.append((number, "not part of a statement (a line before its :20:, such as a bank's file header)")) }
            return
        }
        if trimmed.isEmpty { return }
        fields[fields.count - 1].lines.append(text)
    }

    /// ":61:1105..." -> ("61", "1105..."); tags are two digits and an optional letter, or
    /// "NS" (a bank's own field).
    static func tag(of line: String) -> (String, String)? {
        guard line.hasPrefix(":") else { return nil }
        let rest = line.dropFirst()
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let tag = rest[rest.startIndex..<colon]
        guard (2...3).contains(tag.count), tag.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isUppercase) }) else { return nil }
        return (String(tag), String(rest[rest.index(after: colon)...]))
    }

    mutating func finish() throws -> BankStatementFile {
        try endStatement()
        if statements.isEmpty {
            throw error(0, nil, "no MT940/MT942 statement (no :20: field) in the file")
        }
        return BankStatementFile(statements: statements, skipped: skipped, warnings: warnings)
    }

    // MARK: One statement

    mutating func endStatement() throws {
        guard let first = fields.first else { return }
        defer { fields = [] }
        let refLine = first.line
        let reference = first.lines.joined().trimmingCharacters(in: .whitespaces)
        let is942 = blockSays942 || fields.contains { ["34F", "13D", "90D", "90C"].contains($0.tag) }

        var number: String?
        var account: MTField?
        var opening: (Money, LocalDate)?
        var closing: (Money, LocalDate)?
        var currency: Currency?
        var createdAt: Instant?
        var createdDay: LocalDate?
        var counts: [(tag: String, field: MTField)] = []
        var pending: [(field: MTField, details: MTField?)] = []

        for f in fields.dropFirst() {
            switch f.tag {
            case "25": account = f
            case "28", "28C": number = f.lines.joined().trimmingCharacters(in: .whitespaces)
            case "60F", "60M":
                let b = try balance(f)
                opening = b; currency = currency ?? b.0.currency
            case "62F", "62M":
                let b = try balance(f)
                closing = b; currency = currency ?? b.0.currency
            case "34F":
                let v = f.lines.joined()
                let code = String(v.prefix(3))
                guard let c = Currency(code: code) else {
                    throw error(f.line, ":34F:", "currency \"\(code)\" is not one payoutmon knows")
                }
                currency = currency ?? c
            case "13D":
                let v = f.lines.joined().trimmingCharacters(in: .whitespaces)
                guard let (day, instant) = Self.dateTime13D(v) else {
                    throw error(f.line, ":13D:", "\"\(v)\" is not a date and time YYMMDDhhmm+hhmm")
                }
                createdAt = instant; createdDay = day
            case "61": pending.append((f, nil))
            case "86":
                if let last = pending.indices.last, pending[last].details == nil { pending[last].details = f }
            case "90D", "90C": counts.append((f.tag, f))
            default: break
            }
        }

        if !is942 && closing == nil {
            throw error(refLine, ":20:", "statement \"\(reference)\" has no closing balance (:62F: or :62M:) before its end")
        }
        if !is942 && opening == nil {
            throw error(refLine, ":20:", "statement \"\(reference)\" has no opening balance (:60F: or :60M:)")
        }
        guard let accountField = account else {
            throw error(refLine, ":20:", "statement \"\(reference)\" has no account (:25:)")
        }
        guard let currency else {
            throw error(refLine, ":20:", "statement \"\(reference)\" names no currency (no balance or :34F:)")
        }
        let accountText = accountField.lines.joined().trimmingCharacters(in: .whitespaces)
        var bank: String?
        var accountId = accountText
        if let slash = accountText.firstIndex(of: "/") {
            bank = BankText.nonEmpty(accountText[accountText.startIndex..<slash])
            accountId = String(accountText[accountText.index(after: slash)...])
        }
        let (masked, tail) = BankAccount.mask(accountId)
        let maskedAccount = bank.map { $0 + "/" + masked } ?? masked

        var entries: [BankEntry] = []
        for (f, details) in pending {
            entries.append(try entry(f, details: details, currency: currency))
        }
        if is942 { checkCounts(counts, entries: entries, currency: currency) }

        var days = entries.map(\.bookingDate)
        if let c = closing { days.append(c.1) }
        if let d = createdDay { days.append(d) }
        if days.isEmpty, let o = opening { days.append(o.1) }
        guard let start = days.min(), let end = days.max() else {
            throw error(refLine, ":20:", "statement \"\(reference)\" has no date: no entries, balances or :13D:")
        }
        let id = number.map { reference + "/" + $0 } ?? reference
        let statement = BankStatement(
            format: is942 ? "MT942" : "MT940", statementId: try BankText.bounded(id, ":20:", ImportLimits.reference, file: file, line: refLine)!,
            accountMasked: maskedAccount, accountTail: tail, bank: bank, currency: currency,
            kind: is942 ? .intraday : .final, periodStart: start, periodEnd: end,
            openingBalance: opening?.0, closingBalance: closing?.0, createdAt: createdAt, line: refLine, entries: entries)
        statements.append(statement)
    }

    /// ":60F:C110522EUR3236,28": mark, date, currency, amount.
    func balance(_ f: MTField) throws -> (Money, LocalDate) {
        let v = f.lines.joined().trimmingCharacters(in: .whitespaces)
        let chars = Array(v)
        guard chars.count >= 11, chars[0] == "C" || chars[0] == "D",
              let date = Self.date6(String(chars[1..<7])) else {
            throw error(f.line, ":\(f.tag):", "\"\(v)\" is not a balance (C or D, YYMMDD, currency, amount)")
        }
        let code = String(chars[7..<10])
        guard let currency = Currency(code: code) else {
            throw error(f.line, ":\(f.tag):", "currency \"\(code)\" is not one payoutmon knows")
        }
        guard let minor = BankAmount.minor(String(chars[10...]), currency: currency) else {
            throw error(f.line, ":\(f.tag):", "\"\(String(chars[10...]))\" is not an amount")
        }
        return (Money(minor: chars[0] == "D" ? -minor : minor, currency: currency), date)
    }

    /// One `:61:` line and its `:86:`.
    func entry(_ f: MTField, details: MTField?, currency: Currency) throws -> BankEntry {
        let first = f.lines[0]
        let chars = Array(first)
        var i = 0
        func fail(_ why: String) -> ImportError {
            error(f.line, ":61:", "\(why) in \"\(first)\"")
        }
        guard chars.count >= 6, let valueDate = Self.date6(String(chars[0..<6])) else { throw fail("no value date YYMMDD") }
        i = 6
        var bookingDate = valueDate
        if chars.count >= i + 4, chars[i..<(i + 4)].allSatisfy({ $0.isASCII && $0.isNumber }) {
            let mm = Int(String(chars[i..<(i + 2)]))!, dd = Int(String(chars[(i + 2)..<(i + 4)]))!
            guard let d = Self.entryDate(month: mm, day: dd, near: valueDate) else { throw fail("entry date MMDD is not a date") }
            bookingDate = d
            i += 4
        }
        var mark = ""
        if i + 1 < chars.count, chars[i] == "R", chars[i + 1] == "C" || chars[i + 1] == "D" {
            mark = String(chars[i...(i + 1)]); i += 2
        } else if i < chars.count, chars[i] == "C" || chars[i] == "D" {
            mark = String(chars[i]); i += 1
        } else {
            throw fail("no debit/credit mark (C, D, RC or RD)")
        }
        // Funds code: the third letter of the currency code, when given.
        if i < chars.count, chars[i].isLetter { i += 1 }
        let amountStart = i
        while i < chars.count, chars[i].isNumber || chars[i] == "," { i += 1 }
        guard i > amountStart, let minor = BankAmount.minor(String(chars[amountStart..<i]), currency: currency) else {
            throw fail("no amount")
        }
        // Transaction type: N, F or S and three characters.
        guard i + 4 <= chars.count, "NFS".contains(chars[i]) else { throw fail("no transaction type (N, F or S and three characters)") }
        let typeCode = String(chars[i..<(i + 4)])
        i += 4
        let rest = String(chars[i...])
        var customerRef = rest
        var bankRef: String?
        if let r = rest.range(of: "//") {
            customerRef = String(rest[rest.startIndex..<r.lowerBound])
            bankRef = BankText.nonEmpty(rest[r.upperBound...])
        }
        let supplementary = f.lines.dropFirst().compactMap { BankText.nonEmpty($0) }.joined(separator: " ")
        // C and RD add to the balance; D and RC take from it.
        let positive = mark == "C" || mark == "RD"
        let amount = Money(minor: positive ? minor : -minor, currency: currency)

        var remittance: String?
        var counterpartyName: String?
        var counterpartyAccount: String?
        var endToEnd = BankText.nonEmpty(customerRef).flatMap { $0 == "NONREF" ? nil : $0 }
        if let details {
            let parsed = MT86.parse(details.lines)
            remittance = parsed.text
            counterpartyName = parsed.name
            counterpartyAccount = parsed.account.map { BankAccount.mask($0).masked }
            if let e = parsed.endToEnd { endToEnd = e }
        }
        if let s = BankText.nonEmpty(supplementary) {
            remittance = remittance.map { s + "; " + $0 } ?? s
        }
        let line = f.line
        let detailsLine = details?.line ?? line
        return BankEntry(
            amount: amount, reversal: mark.hasPrefix("R"), status: .booked, bookingDate: bookingDate, valueDate: valueDate,
            bankRef: try BankText.bounded(bankRef, "bank reference", ImportLimits.reference, file: file, line: line),
            endToEndId: try BankText.bounded(endToEnd, "reference", ImportLimits.reference, file: file, line: detailsLine),
            transactionCode: typeCode,
            remittance: try BankText.bounded(remittance, ":86:", ImportLimits.text, file: file, line: detailsLine),
            counterpartyName: try BankText.bounded(counterpartyName, ":86:", ImportLimits.name, file: file, line: detailsLine),
            counterpartyAccount: try BankText.bounded(counterpartyAccount, ":86:", ImportLimits.reference, file: file, line: detailsLine),
            line: line)
    }

    /// MT942's `:90D:`/`:90C:` give the number and sum of debits and credits; a
    /// difference is a warning (the file is read as written).
    mutating func checkCounts(_ counts: [(tag: String, field: MTField)], entries: [BankEntry], currency: Currency) {
        for (tag, f) in counts {
            let v = f.lines.joined().trimmingCharacters(in: .whitespaces)
            let digits = v.prefix { $0.isNumber }
            let rest = v.dropFirst(digits.count)
            guard let n = Int(digits), rest.count > 3, let sum = BankAmount.minor(rest.dropFirst(3), currency: currency) else {
                warnings.append(ImportWarning(file: file, line: f.line, column: ":\(tag):", reason: "\"\(v)\" is not a count, currency and sum; not checked"))
                continue
            }
            let credit = tag == "90C"
            let matching = entries.filter { credit ? $0.amount.minor > 0 : $0.amount.minor < 0 }
            let total = matching.reduce(Int64(0)) { $0 + abs($1.amount.minor) }
            if matching.count != n || total != sum {
                let what = credit ? "credits" : "debits"
                warnings.append(ImportWarning(file: file, line: f.line, column: ":\(tag):",
                                              reason: "says \(n) \(what) of \(Money(minor: sum, currency: currency)); the entries hold \(matching.count) of \(Money(minor: total, currency: currency))"))
            }
        }
    }

    // MARK: Dates

    /// YYMMDD; years 70-99 are 19xx, 00-69 are 20xx.
    static func date6(_ s: String) -> LocalDate? {
        guard s.count == 6, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let yy = Int(s.prefix(2))!, mm = Int(s.dropFirst(2).prefix(2))!, dd = Int(s.suffix(2))!
        return LocalDate(year: yy < 70 ? 2000 + yy : 1900 + yy, month: mm, day: dd)
    }

    /// The entry date MMDD in the year that puts it nearest the value date (a value date
    /// of 31 December booked on 2 January is booked in the next year).
    static func entryDate(month: Int, day: Int, near value: LocalDate) -> LocalDate? {
        let candidates = [value.year - 1, value.year, value.year + 1].compactMap { LocalDate(year: $0, month: month, day: day) }
        return candidates.min { abs($0.dayNumber - value.dayNumber) < abs($1.dayNumber - value.dayNumber) }
    }

    /// ":13D:1701191815+0100": the day as written and the instant.
    static func dateTime13D(_ s: String) -> (LocalDate, Instant)? {
        let c = Array(s)
        guard c.count == 15, let day = date6(String(c[0..<6])),
              let hh = Int(String(c[6..<8])), let mi = Int(String(c[8..<10])), hh < 24, mi < 60,
              c[10] == "+" || c[10] == "-", let oh = Int(String(c[11..<13])), let om = Int(String(c[13..<15])) else { return nil }
        let offset = (oh * 60 + om) * (c[10] == "-" ? -1 : 1)
        let local = Int64(day.dayNumber) * 86_400 + Int64(hh * 3600 + mi * 60)
        return (day, Instant(epochMillis: (local - Int64(offset * 60)) * 1000))
    }
}

/// The text of a `:86:` field: unstructured lines, or the structured subfields German
/// banks write (`GVC?00posting text?20..?29 purpose?30 bank?31 account?32?33 name?60..?63`).
enum MT86 {
    struct Parsed {
        var text: String?
        var name: String?
        var account: String?
        var endToEnd: String?
    }

    static let sepaKeywords = ["EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "SVWZ+", "ABWA+", "ABWE+", "COAM+", "OAMT+", "MTLG:"]

    static func parse(_ lines: [String]) -> Parsed {
        let joined = lines.joined()
        let chars = Array(joined)
        // Structured: three digits, then "?" and two digits.
        guard chars.count >= 6, chars[0..<3].allSatisfy({ $0.isASCII && $0.isNumber }), chars[3] == "?",
              chars[4].isNumber, chars[5].isNumber else {
            let text = lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
            return Parsed(text: BankText.nonEmpty(text))
        }
        var sub: [(Int, String)] = []
        var i = 3
        while i + 2 < chars.count, chars[i] == "?", chars[i + 1].isNumber, chars[i + 2].isNumber {
            let code = Int(String(chars[(i + 1)...(i + 2)]))!
            var j = i + 3
            while j < chars.count {
                if chars[j] == "?", j + 2 < chars.count, chars[j + 1].isNumber, chars[j + 2].isNumber { break }
                j += 1
            }
            sub.append((code, String(chars[(i + 3)..<j])))
            i = j
        }
        var posting: String?
        var purpose = ""
        var name = ""
        var account: String?
        for (code, value) in sub {
            switch code {
            case 0: posting = BankText.nonEmpty(value)
            case 20...29, 60...63:
                if !purpose.isEmpty, sepaKeywords.contains(where: { value.hasPrefix($0) }) { purpose += " " }
                purpose += value
            case 31: account = BankText.nonEmpty(value)
            case 32, 33: name += value
            default: break
            }
        }
        var endToEnd: String?
        if let r = purpose.range(of: "EREF+") {
            let after = purpose[r.upperBound...]
            let stop = sepaKeywords.compactMap { after.range(of: " " + $0)?.lowerBound }.min() ?? after.endIndex
            endToEnd = BankText.nonEmpty(after[after.startIndex..<stop]).flatMap { $0 == "NOTPROVIDED" ? nil : $0 }
        }
        let text = [posting, BankText.nonEmpty(purpose)].compactMap { $0 }.joined(separator: ": ")
        return Parsed(text: BankText.nonEmpty(text), name: BankText.nonEmpty(name), account: account, endToEnd: endToEnd)
    }
}
