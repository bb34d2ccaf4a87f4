import Foundation
import PayoutCore

/// OFX bank statements: OFX 1.x (an `OFXHEADER:100` header, then SGML whose leaf
/// elements are not closed) and OFX 2.x (XML). Reads `BANKMSGSRSV1/STMTTRNRS/STMTRS`
/// (docs/report-formats.md, "Bank statements: MT940/MT942, OFX, Chinese bank exports").
///
/// An OFX statement gives the closing (ledger) balance only: the opening balance is
/// left unknown. A credit card statement (`CREDITCARDMSGSRSV1`) is not a bank account:
/// a file holding only that is refused, one holding bank statements too has it skipped.
public struct OFXParser: BankStatementParser {
    public let name = "ofx"

    public init() {}

    public func detects(head: String) -> Bool {
        head.contains("OFXHEADER") || head.contains("<OFX>")
    }

    public func parse(_ data: Data, file: String) throws -> BankStatementFile {
        let text = try Self.text(data, file: file)
        let version2 = text.contains("<?OFX") || text.hasPrefix("<?xml")
        let root = try OFXTree.parse(text, file: file)
        return try OFXStatements(file: file, format: version2 ? "OFX 2" : "OFX 1").read(root)
    }

    /// OFX 1 files name their character set in the header (`CHARSET:1252`); text that
    /// is not UTF-8 is read in that set, else by the project's rule (GB18030).
    static func text(_ data: Data, file: String) throws -> String {
        if let utf8 = String(data: data, encoding: .utf8) {
            return utf8.hasPrefix("\u{FEFF}") ? String(utf8.dropFirst()) : utf8
        }
        let head = String(decoding: data.prefix(512), as: UTF8.self)
        if head.contains("CHARSET:1252") || head.contains("CHARSET:ISO-8859-1") || head.contains("CHARSET:8859-1"),
           let s = String(data: data, encoding: .windowsCP1252) {
            return s
        }
        return try BankText.decode(data, file: file)
    }
}

/// An element of the OFX document: a leaf with a value, or an aggregate with children.
final class OFXNode {
    let name: String
    let line: Int
    var value: String?
    var children: [OFXNode] = []
    var closed = false

    init(name: String, line: Int) { self.name = name; self.line = line }

    func child(_ n: String) -> OFXNode? { children.first { $0.name == n } }
    func all(_ n: String) -> [OFXNode] { children.filter { $0.name == n } }
    func text(_ n: String) -> String? { child(n)?.value.flatMap { BankText.nonEmpty($0) } }
}

/// Reads OFX 1 SGML and OFX 2 XML into one tree: an element followed by text is a leaf
/// (its closing tag optional), any other element must be closed.
enum OFXTree {
    static func parse(_ text: String, file: String) throws -> OFXNode {
        let root = OFXNode(name: "#document", line: 0)
        var stack: [OFXNode] = [root]
        let chars = Array(text.unicodeScalars)
        var i = 0
        var line = 1
        func fail(_ l: Int, _ why: String) -> ImportError { ImportError(file: file, line: l, reason: why) }

        while i < chars.count {
            let c = chars[i]
            if c == "<" {
                let tagLine = line
                var j = i + 1
                while j < chars.count, chars[j] != ">" {
                    if chars[j] == "\n" { line += 1 }
                    j += 1
                }
                guard j < chars.count else { throw fail(tagLine, "the file ends inside a tag (truncated?)") }
                let inner = String(String.UnicodeScalarView(chars[(i + 1)..<j]))
                i = j + 1
                if inner.hasPrefix("?") || inner.hasPrefix("!") { continue }
                if inner.hasPrefix("/") {
                    let name = String(inner.dropFirst()).trimmingCharacters(in: .whitespaces).uppercased()
                    guard let k = stack.lastIndex(where: { $0.name == name }), k > 0 else {
                        throw fail(tagLine, "closing tag </\(name)> has no opening tag")
                    }
                    // Elements opened after it and never closed must be leaves (OFX 1).
                    for open in stack[(k + 1)...] where open.value == nil && !open.closed {
                        throw fail(open.line, "<\(open.name)> is not closed before </\(name)>")
                    }
                    stack[k].closed = true
                    stack.removeSubrange(k...)
                    continue
                }
                var name = inner.trimmingCharacters(in: .whitespaces)
                let selfClosing = name.hasSuffix("/")
                if selfClosing { name = String(name.dropLast()).trimmingCharacters(in: .whitespaces) }
                name = String(name.prefix { !$0.isWhitespace }).uppercased()
                guard !name.isEmpty else { throw fail(tagLine, "an empty tag <>") }
                // A leaf of OFX 1 ends where the next tag starts.
                if let top = stack.last, top.value != nil, !top.closed { stack.removeLast() }
                let node = OFXNode(name: name, line: tagLine)
                stack.last!.children.append(node)
                if selfClosing { node.closed = true; node.value = "" } else { stack.append(node) }
            } else {
                var j = i
                while j < chars.count, chars[j] != "<" {
                    if chars[j] == "\n" { line += 1 }
                    j += 1
                }
                let raw = String(String.UnicodeScalarView(chars[i..<j]))
                let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty {
                    guard let top = stack.last, top !== root, top.children.isEmpty else {
                        // Text outside elements: the OFX 1 header lines.
                        if stack.count == 1 { i = j; continue }
                        throw fail(line, "text \(ImportLimits.quote(value)) inside <\(stack.last!.name)> where elements were expected")
                    }
                    top.value = entities(value)
                }
                i = j
            }
        }
        // At the end only unclosed leaves may remain open; name the innermost element that is not.
        for open in stack.dropFirst().reversed() where open.value == nil {
            throw ImportError(file: file, line: open.line, reason: "the file ends before <\(open.name)> is closed (truncated?)")
        }
        guard root.child("OFX") != nil else { throw ImportError(file: file, line: 0, reason: "no <OFX> element in the file") }
        return root
    }

    static func entities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: " ")
        while let r = out.range(of: "&#"), let end = out[r.upperBound...].firstIndex(of: ";") {
            let code = out[r.upperBound..<end]
            let scalar = code.hasPrefix("x") ? UInt32(code.dropFirst(), radix: 16) : UInt32(code)
            guard let v = scalar, let u = Unicode.Scalar(v) else { break }
            out.replaceSubrange(r.lowerBound...end, with: String(Character(u)))
        }
        return out.replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// Turns the OFX tree into statements.
struct OFXStatements {
    let file: String
    let format: String

    func fail(_ line: Int, _ column: String?, _ why: String) -> ImportError {
        ImportError(file: file, line: line, column: column, reason: why)
    }

    func read(_ root: OFXNode) throws -> BankStatementFile {
        let ofx = root.child("OFX")!
        var skipped: [(line: Int, reason: String)] = []
        let bankSets = ofx.all("BANKMSGSRSV1")
        for other in ["CREDITCARDMSGSRSV1", "INVSTMTMSGSRSV1"] {
            for node in ofx.all(other) {
                let what = other == "CREDITCARDMSGSRSV1" ? "a credit card statement" : "an investment statement"
                if bankSets.isEmpty {
                    throw fail(node.line, nil, "\(what) (<\(other)>), not a bank account statement: payoutmon reads the bank account the payouts are credited to")
                }
                skipped.append((node.line, "\(what) (<\(other)>) is not a bank account statement"))
            }
        }
        guard !bankSets.isEmpty else { throw fail(ofx.line, nil, "no bank statement (<BANKMSGSRSV1>) in the file") }
        let createdAt = ofx.child("SIGNONMSGSRSV1")?.child("SONRS")?.text("DTSERVER").flatMap { Self.dateTime($0)?.instant }
        let org = ofx.child("SIGNONMSGSRSV1")?.child("SONRS")?.child("FI")?.text("ORG")
        var statements: [BankStatement] = []
        for set in bankSets {
            for trnrs in set.all("STMTTRNRS") {
                guard let rs = trnrs.child("STMTRS") else {
                    let status = trnrs.child("STATUS")
                    throw fail(trnrs.line, nil, "a statement response without <STMTRS>"
                               + (status?.text("MESSAGE").map { " (the bank says: \($0))" } ?? ""))
                }
                statements.append(try statement(rs, createdAt: createdAt, org: org))
            }
        }
        guard !statements.isEmpty else { throw fail(ofx.line, nil, "no statement (<STMTRS>) in the file") }
        return BankStatementFile(statements: statements, skipped: skipped)
    }

    func statement(_ rs: OFXNode, createdAt: Instant?, org: String?) throws -> BankStatement {
        guard let code = rs.text("CURDEF") else { throw fail(rs.line, "CURDEF", "the statement names no currency") }
        guard let currency = Currency(code: code) else {
            throw fail(rs.child("CURDEF")!.line, "CURDEF", "currency \"\(code)\" is not one payoutmon knows")
        }
        guard let from = rs.child("BANKACCTFROM"), let acct = from.text("ACCTID") else {
            throw fail(rs.line, "ACCTID", "the statement names no account (<BANKACCTFROM><ACCTID>)")
        }
        let (masked, tail) = BankAccount.mask(acct)
        let list = rs.child("BANKTRANLIST")
        var entries: [BankEntry] = []
        for t in list?.all("STMTTRN") ?? [] {
            entries.append(try entry(t, currency: currency))
        }
        var start = try list?.text("DTSTART").map { try date($0, list!.child("DTSTART")!.line, "DTSTART") }
        var end = try list?.text("DTEND").map { try date($0, list!.child("DTEND")!.line, "DTEND") }
        var closing: Money?
        var closingDay: LocalDate?
        if let bal = rs.child("LEDGERBAL") {
            guard let amt = bal.text("BALAMT") else { throw fail(bal.line, "BALAMT", "the ledger balance has no amount") }
            closing = try money(amt, currency, bal.child("BALAMT")!.line, "BALAMT")
            closingDay = try bal.text("DTASOF").map { try date($0, bal.child("DTASOF")!.line, "DTASOF") }
        }
        let days = entries.map(\.bookingDate) + (closingDay.map { [$0] } ?? [])
        start = start ?? days.min()
        end = end ?? days.max()
        guard let periodStart = start, let periodEnd = end else {
            throw fail(rs.line, "DTSTART", "the statement has no period, no entries and no balance date")
        }
        let id = "\(masked) \(periodStart.iso)..\(periodEnd.iso)"
        return BankStatement(format: format, statementId: id, accountMasked: masked, accountTail: tail,
                             bank: org ?? from.text("BANKID"), currency: currency, kind: .final,
                             periodStart: periodStart, periodEnd: periodEnd, openingBalance: nil, closingBalance: closing,
                             createdAt: createdAt, line: rs.line, entries: entries)
    }

    func entry(_ t: OFXNode, currency: Currency) throws -> BankEntry {
        guard let posted = t.text("DTPOSTED") else { throw fail(t.line, "DTPOSTED", "the transaction has no posting date") }
        guard let amt = t.text("TRNAMT") else { throw fail(t.line, "TRNAMT", "the transaction has no amount") }
        let postedLine = t.child("DTPOSTED")!.line
        guard let when = Self.dateTime(posted) else {
            throw fail(postedLine, "DTPOSTED", "\(ImportLimits.quote(posted)) is not an OFX date (YYYYMMDD[HHMMSS[.XXX]][[offset:TZ]])")
        }
        let amount = try money(amt, currency, t.child("TRNAMT")!.line, "TRNAMT")
        let name = t.child("PAYEE")?.text("NAME") ?? t.text("NAME")
        let memo = t.text("MEMO")
        let remittance = [t.text("NAME"), memo].compactMap { $0 }.joined(separator: "; ")
        let valueDate = try t.text("DTAVAIL").map { try date($0, t.child("DTAVAIL")!.line, "DTAVAIL") }
        let other = (t.child("BANKACCTTO") ?? t.child("CCACCTTO"))?.text("ACCTID").map { BankAccount.mask($0).masked }
        return BankEntry(
            amount: amount, bookingDate: when.date, bookedAt: when.hasTime ? when.instant : nil, valueDate: valueDate,
            bankRef: try BankText.bounded(t.text("FITID"), "FITID", ImportLimits.reference, file: file, line: t.line),
            transactionCode: try BankText.bounded(t.text("TRNTYPE"), "TRNTYPE", ImportLimits.reference, file: file, line: t.line),
            remittance: try BankText.bounded(BankText.nonEmpty(remittance), "MEMO", ImportLimits.text, file: file, line: t.line),
            counterpartyName: try BankText.bounded(name, "NAME", ImportLimits.name, file: file, line: t.line),
            counterpartyAccount: try BankText.bounded(other, "BANKACCTTO", ImportLimits.reference, file: file, line: t.line),
            line: t.line)
    }

    /// "-316.67", "+10.00", "1234,56" (a decimal comma some banks write).
    func money(_ raw: String, _ currency: Currency, _ line: Int, _ column: String) throws -> Money {
        var s = Substring(raw)
        var negative = false
        if s.first == "-" || s.first == "+" { negative = s.first == "-"; s = s.dropFirst() }
        guard let minor = BankAmount.minor(s, currency: currency) else {
            throw fail(line, column, "\(ImportLimits.quote(raw)) is not an amount in \(currency.code)")
        }
        return Money(minor: negative ? -minor : minor, currency: currency)
    }

    func date(_ raw: String, _ line: Int, _ column: String) throws -> LocalDate {
        guard let d = Self.dateTime(raw) else {
            throw fail(line, column, "\(ImportLimits.quote(raw)) is not an OFX date (YYYYMMDD[HHMMSS[.XXX]][[offset:TZ]])")
        }
        return d.date
    }

    /// "20090401122017.000[-5:EST]": the day as written and the instant (the offset in
    /// brackets, else GMT as the OFX specification says).
    static func dateTime(_ raw: String) -> (date: LocalDate, instant: Instant, hasTime: Bool)? {
        var s = Substring(raw.trimmingCharacters(in: .whitespaces))
        var offsetMinutes = 0
        if let open = s.firstIndex(of: "[") {
            guard let close = s.firstIndex(of: "]"), close > open else { return nil }
            let tz = s[s.index(after: open)..<close]
            let hours = tz.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            guard let h = Double(hours), abs(h) <= 14 else { return nil }
            offsetMinutes = Int((h * 60).rounded())
            s = s[s.startIndex..<open]
        }
        if let dot = s.firstIndex(of: ".") { s = s[s.startIndex..<dot] }
        guard s.count == 8 || s.count == 12 || s.count == 14, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let d = Array(s)
        func n(_ a: Int, _ b: Int) -> Int { Int(String(d[a..<b]))! }
        guard let day = LocalDate(year: n(0, 4), month: n(4, 6), day: n(6, 8)) else { return nil }
        var secs = 0
        if d.count >= 12 {
            let hh = n(8, 10), mi = n(10, 12), ss = d.count == 14 ? n(12, 14) : 0
            guard hh < 24, mi < 60, ss < 60 else { return nil }
            secs = hh * 3600 + mi * 60 + ss
        }
        let local = Int64(day.dayNumber) * 86_400 + Int64(secs)
        return (day, Instant(epochMillis: (local - Int64(offsetMinutes) * 60) * 1000), d.count > 8)
    }
}
