import Foundation
import PayoutCore

/// Chinese online-banking exports (交易明细) as CSV (UTF-8 or GB18030) or XLSX, read
/// through the profiles of `config/banks/` (docs/report-formats.md, "Bank statements:
/// MT940/MT942, OFX, Chinese bank exports").
///
/// The header row is found among the first rows; the profile is the one whose required
/// columns it holds (the most columns matched wins). Rows above the header are title
/// rows (账号, 户名, 起止日期); a profile's required title missing, or a header no profile
/// fits, refuses the file naming the line, never a guess. 合计/总计 rows are skipped
/// with their reason. The balances: opening = the earliest row's 余额 minus its amount,
/// closing = the latest row's 余额, whichever order the rows come in.
public struct CNBankParser: BankStatementParser {
    public let name = "cn-bank"
    public let profiles: [CNBankProfile]
    /// How many rows from the top the header is looked for in.
    static let headerSearchRows = 30

    public init(profiles: [CNBankProfile] = CNBankProfile.builtin) { self.profiles = profiles }

    public func detects(head: String) -> Bool {
        if head.hasPrefix("PK\u{3}\u{4}") { return true }
        let dateWords = profiles.flatMap { $0.columns[.date] ?? [] }
        let balanceWords = profiles.flatMap { $0.columns[.balance] ?? [] }
        return BankText.lines(head).contains { line in
            let cells = line.split(separator: ",").map { Self.clean(String($0)) }
            return cells.contains { dateWords.contains($0) } && cells.contains { balanceWords.contains($0) }
        }
    }

    public func parse(_ data: Data, file: String) throws -> BankStatementFile {
        let rows: [(line: Int, cells: [String])]
        let isZip = XLSXReader.looksLikeZip(data)
        if isZip || file.lowercased().hasSuffix(".xlsx") {
            rows = try XLSXReader.rows(data, file: file)
        } else {
            rows = try Self.csvRows(BankText.decode(data, file: file), file: file)
        }
        return try CNBankRead(file: file, profiles: profiles, rows: rows).read()
    }

    /// A cell as compared with header names: trimmed, without the quote marks and tabs
    /// exports put before numbers, with full-width brackets made ASCII.
    static func clean(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        while let f = t.first, f == "`" || f == "'" || f == "\t" || f == "=" { t.removeFirst() }
        if t.hasPrefix("\"") && t.hasSuffix("\"") && t.count >= 2 { t = String(t.dropFirst().dropLast()) }
        return t.replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func csvRows(_ text: String, file: String) throws -> [(line: Int, cells: [String])] {
        var rows: [(line: Int, cells: [String])] = []
        let bytes = Array(text.utf8)
        do {
            _ = try bytes.withUnsafeBytes { raw in
                try CSVParser.parse(raw) { record in
                    if record.fields.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                        rows.append((record.line, record.fields))
                    }
                }
            }
        } catch let f as CSVParser.Failure {
            switch f {
            case .tooLong(let line, _, let record):
                throw ImportError(file: file, line: line, reason: record ? "the record is longer than \(ImportLimits.recordBytes) bytes" : "a field is longer than \(ImportLimits.fieldBytes) bytes")
            case .binary(let line): throw ImportError(file: file, line: line, reason: "a NUL byte: a binary file, not CSV")
            case .badUTF8(let line, _): throw ImportError(file: file, line: line, reason: "bytes that are not UTF-8 text")
            case .unterminatedQuote(let line): throw ImportError(file: file, line: line, reason: "a quoted field is not closed (truncated file?)")
            case .strayQuote(let line): throw ImportError(file: file, line: line, reason: "a quote inside an unquoted field")
            }
        }
        return rows
    }
}

/// One file read with the profiles.
private struct CNBankRead {
    let file: String
    let profiles: [CNBankProfile]
    let rows: [(line: Int, cells: [String])]

    func fail(_ line: Int, _ column: String?, _ why: String) -> ImportError {
        ImportError(file: file, line: line, column: column, reason: why)
    }

    /// The columns of a header row: clean name -> index (the first of equal names).
    func index(_ cells: [String]) -> [String: Int] {
        var out: [String: Int] = [:]
        for (i, c) in cells.enumerated() {
            let k = CNBankParser.clean(c)
            if !k.isEmpty && out[k] == nil { out[k] = i }
        }
        return out
    }

    func column(_ profile: CNBankProfile, _ f: CNBankProfile.Field, _ header: [String: Int]) -> Int? {
        (profile.columns[f] ?? []).lazy.compactMap { header[$0] }.first
    }

    func read() throws -> BankStatementFile {
        guard !rows.isEmpty else { throw fail(0, nil, "the file has no rows") }
        // The header: the first row holding a date column name and a balance column name.
        let dateWords = Set(profiles.flatMap { $0.columns[.date] ?? [] })
        let balanceWords = Set(profiles.flatMap { $0.columns[.balance] ?? [] })
        guard let h = rows.prefix(CNBankParser.headerSearchRows).firstIndex(where: { r in
            let cells = r.cells.map(CNBankParser.clean)
            return cells.contains { dateWords.contains($0) } && cells.contains { balanceWords.contains($0) }
        }) else {
            throw fail(rows[0].line, nil, "no header row (a date column such as 交易日期 and a balance column such as 余额) in the first \(CNBankParser.headerSearchRows) rows")
        }
        let headerLine = rows[h].line
        let header = index(rows[h].cells)
        // The profile: all its required columns present; the most columns matched wins.
        var best: (CNBankProfile, Int)?
        var nearest: (CNBankProfile, [String])?
        for p in profiles {
            let missing = p.required.filter { column(p, $0, header) == nil }
            let matched = CNBankProfile.Field.allCases.filter { column(p, $0, header) != nil }.count
            if missing.isEmpty {
                if best == nil || matched > best!.1 { best = (p, matched) }
            } else if nearest == nil || missing.count < nearest!.1.count {
                nearest = (p, missing.map { ($0.rawValue) + " (" + (p.columns[$0]!.joined(separator: "/")) + ")" })
            }
        }
        guard let profile = best?.0 else {
            let hint = nearest.map { "; nearest is \($0.0.name) (config/banks/\($0.0.name).toml), which needs \($0.1.joined(separator: ", "))" } ?? ""
            throw fail(headerLine, nil, "the header matches no Chinese bank layout: a column renamed or missing?\(hint)")
        }
        let titles = try readTitles(profile, rows[..<h], headerLine: headerLine)
        return try readRows(profile, header: header, headerLine: headerLine, after: h, titles: titles)
    }

    struct Titles {
        var account: String?
        var name: String?
        var start: LocalDate?
        var end: LocalDate?
    }

    /// Title rows: "账号:622...", "账号：622...", or "账号" then the value in the next cell.
    func readTitles(_ p: CNBankProfile, _ above: ArraySlice<(line: Int, cells: [String])>, headerLine: Int) throws -> Titles {
        var found: [CNBankProfile.Title: (String, Int)] = [:]
        for row in above {
            let cells = row.cells.map(CNBankParser.clean)
            var i = 0
            while i < cells.count {
                let cell = cells[i]
                for (title, labels) in p.titles where found[title] == nil {
                    for label in labels where cell.hasPrefix(label) {
                        var rest = String(cell.dropFirst(label.count)).trimmingCharacters(in: .whitespaces)
                        if rest.hasPrefix(":") || rest.hasPrefix("：") { rest = String(rest.dropFirst()).trimmingCharacters(in: .whitespaces) }
                        else if !rest.isEmpty { continue }
                        if rest.isEmpty, i + 1 < cells.count { rest = cells[i + 1] }
                        if !rest.isEmpty { found[title] = (rest, row.line) }
                        break
                    }
                }
                i += 1
            }
        }
        for t in p.titleRequired where found[t] == nil {
            let labels = p.titles[t]!.joined(separator: "/")
            throw fail(headerLine, nil, "the title row \(labels) expected above the header (profile \(p.name)) is missing: the export's layout changed?")
        }
        var out = Titles()
        out.account = found[.account]?.0
        out.name = found[.name]?.0
        if let (v, line) = found[.period] {
            let days = Self.datesIn(v)
            guard days.count == 2 else { throw fail(line, nil, "\(ImportLimits.quote(v)) is not a period of two dates") }
            out.start = days[0]; out.end = days[1]
        }
        if let (v, line) = found[.periodStart] {
            guard let d = Self.datesIn(v).first else { throw fail(line, nil, "\(ImportLimits.quote(v)) is not a date") }
            out.start = d
        }
        if let (v, line) = found[.periodEnd] {
            guard let d = Self.datesIn(v).first else { throw fail(line, nil, "\(ImportLimits.quote(v)) is not a date") }
            out.end = d
        }
        return out
    }

    func readRows(_ p: CNBankProfile, header: [String: Int], headerLine: Int, after h: Int, titles: Titles) throws -> BankStatementFile {
        let col: [CNBankProfile.Field: Int] = Dictionary(uniqueKeysWithValues: CNBankProfile.Field.allCases.compactMap { f in
            column(p, f, header).map { (f, $0) }
        })
        let remittanceColumns = (p.columns[.remittance] ?? []).compactMap { header[$0] }
        let headerName: [Int: String] = Dictionary(header.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        var entries: [BankEntry] = []
        var skipped: [(line: Int, reason: String)] = []
        var times: [Int: Int] = [:]   // entry index -> second of day, when given
        for row in rows[(h + 1)...] {
            let cells = row.cells.map(CNBankParser.clean)
            func cell(_ f: CNBankProfile.Field) -> String {
                guard let i = col[f], i < cells.count else { return "" }
                return cells[i]
            }
            let nonEmpty = cells.filter { !$0.isEmpty }
            if let marker = p.totalsMarkers.first(where: { m in nonEmpty.prefix(2).contains { $0.hasPrefix(m) } }) {
                skipped.append((row.line, "totals row (\(marker))"))
                continue
            }
            if cell(.date).isEmpty && nonEmpty.count <= 1 {
                skipped.append((row.line, "a note below the rows, not a transaction"))
                continue
            }
            let line = row.line
            func name(_ f: CNBankProfile.Field) -> String { col[f].flatMap { headerName[$0] } ?? f.rawValue }
            guard let (day, timeFromDate) = Self.dateCell(cell(.date)) else {
                throw fail(line, name(.date), "\(ImportLimits.quote(cell(.date))) is not a date")
            }
            var seconds = timeFromDate
            if col[.time] != nil, !cell(.time).isEmpty {
                guard let s = Self.timeCell(cell(.time)) else {
                    throw fail(line, name(.time), "\(ImportLimits.quote(cell(.time))) is not a time")
                }
                seconds = s
            }
            if col[.currency] != nil, !cell(.currency).isEmpty {
                let c = cell(.currency)
                let known = ["人民币", "CNY", "RMB", "156"].contains(c.uppercased()) ? Currency.CNY : Currency(code: c)
                guard known == p.currency else {
                    throw fail(line, name(.currency), "currency \(ImportLimits.quote(c)) is not the export's \(p.currency.code)")
                }
            }
            let amount = try amountOf(p, line: line, cell: cell, name: name)
            var balance: Money?
            if !cell(.balance).isEmpty {
                guard let b = Self.money(cell(.balance), p.currency) else {
                    throw fail(line, name(.balance), "\(ImportLimits.quote(cell(.balance))) is not an amount")
                }
                balance = b
            }
            let remittance = remittanceColumns.compactMap { i in i < cells.count ? BankText.nonEmpty(cells[i]) : nil }
                .joined(separator: "; ")
            let counterparty = BankText.nonEmpty(cell(.counterpartyName)).flatMap { $0 == "--" || $0 == "-" ? nil : $0 }
            let otherAccount = BankText.nonEmpty(cell(.counterpartyAccount)).flatMap { $0 == "--" || $0 == "-" ? nil : BankAccount.mask($0).masked }
            let bookedAt = seconds.map { LocalDateTime(date: day, secondOfDay: $0).instant(in: p.zone) }
            if let s = seconds { times[entries.count] = s }
            entries.append(BankEntry(
                amount: amount, bookingDate: day, bookedAt: bookedAt,
                bankRef: try BankText.bounded(BankText.nonEmpty(cell(.serial)), name(.serial), ImportLimits.reference, file: file, line: line),
                remittance: try BankText.bounded(BankText.nonEmpty(remittance), name(.remittance), ImportLimits.text, file: file, line: line),
                counterpartyName: try BankText.bounded(counterparty, name(.counterpartyName), ImportLimits.name, file: file, line: line),
                counterpartyAccount: try BankText.bounded(otherAccount, name(.counterpartyAccount), ImportLimits.reference, file: file, line: line),
                balanceAfter: balance, line: line))
        }
        guard !entries.isEmpty else { throw fail(headerLine, nil, "the file has a header but no transaction rows") }

        // Balances in date order: a file newest-first is turned round, then sorted
        // stably by day and time (rows of one day keep their order).
        var order = Array(entries.indices)
        if entries.first!.bookingDate > entries.last!.bookingDate { order.reverse() }
        order = order.enumerated().sorted { a, b in
            let ka = (entries[a.element].bookingDate, times[a.element] ?? -1), kb = (entries[b.element].bookingDate, times[b.element] ?? -1)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
        let first = entries[order.first!], last = entries[order.last!]
        var opening: Money?
        if let b = first.balanceAfter { opening = Money(minor: b.minor - first.amount.minor, currency: p.currency) }
        let closing = last.balanceAfter

        let (masked, tail) = titles.account.map { BankAccount.mask($0) } ?? ("", "")
        let start = titles.start ?? entries.map(\.bookingDate).min()!
        let end = titles.end ?? entries.map(\.bookingDate).max()!
        let statement = BankStatement(
            format: "cn-bank:\(p.name)", statementId: "\(masked.isEmpty ? p.name : masked) \(start.iso)..\(end.iso)",
            accountMasked: masked, accountTail: tail,
            accountName: try BankText.bounded(titles.name, "户名", ImportLimits.name, file: file, line: headerLine),
            currency: p.currency, kind: .final, periodStart: start, periodEnd: end,
            openingBalance: opening, closingBalance: closing, line: headerLine, entries: entries)
        return BankStatementFile(statements: [statement], skipped: skipped)
    }

    func amountOf(_ p: CNBankProfile, line: Int, cell: (CNBankProfile.Field) -> String,
                  name: (CNBankProfile.Field) -> String) throws -> Money {
        func parse(_ f: CNBankProfile.Field) throws -> Money? {
            let v = cell(f)
            if v.isEmpty || v == "-" || v == "--" { return nil }
            guard let m = Self.money(v, p.currency) else { throw fail(line, name(f), "\(ImportLimits.quote(v)) is not an amount") }
            return m
        }
        if p.columns[.amount] != nil {
            guard let m = try parse(.amount) else { throw fail(line, name(.amount), "no amount") }
            guard p.columns[.direction] != nil else { return m }
            let word = cell(.direction)
            let magnitude = abs(m.minor)
            if p.creditWords.contains(word) { return Money(minor: magnitude, currency: p.currency) }
            if p.debitWords.contains(word) { return Money(minor: -magnitude, currency: p.currency) }
            throw fail(line, name(.direction), "\(ImportLimits.quote(word)) is neither a credit word (\(p.creditWords.joined(separator: "/"))) nor a debit word (\(p.debitWords.joined(separator: "/")))")
        }
        let credit = try parse(.credit), debit = try parse(.debit)
        switch (credit.map { $0.minor != 0 } ?? false, debit.map { $0.minor != 0 } ?? false) {
        case (true, true): throw fail(line, nil, "both \(name(.credit)) and \(name(.debit)) hold an amount")
        case (true, false): return Money(minor: abs(credit!.minor), currency: p.currency)
        case (false, true): return Money(minor: -abs(debit!.minor), currency: p.currency)
        case (false, false):
            guard credit != nil || debit != nil else { throw fail(line, nil, "neither \(name(.credit)) nor \(name(.debit)) holds an amount") }
            return Money.zero(p.currency)
        }
    }

    /// "1,234.00", "+10000.00", "-3.00", "¥12.50".
    static func money(_ raw: String, _ currency: Currency) -> Money? {
        var s = raw.replacingOccurrences(of: "¥", with: "").replacingOccurrences(of: "￥", with: "")
            .replacingOccurrences(of: "元", with: "").trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("+") { s.removeFirst() }
        return try? Money.parse(s, currency: currency)
    }

    /// "2024-01-01", "2024/1/1", "20240101", "2024年01月01日", an Excel serial day
    /// ("45292", "45292.5"), each optionally followed by a time.
    static func dateCell(_ raw: String) -> (LocalDate, Int?)? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        if let serial = Double(s), s.first != "-", !s.contains("e"), !s.contains("E"), s.prefix(while: { $0 != "." }).count == 5 {
            // Excel's day 1 is 1900-01-01 and counts a 29 February 1900 that never was:
            // serial 25569 is 1970-01-01.
            let whole = Int(serial.rounded(.down))
            let day = LocalDate(dayNumber: LocalDate(year: 1970, month: 1, day: 1)!.dayNumber + whole - 25569)
            let frac = serial - Double(whole)
            let secs = Int((frac * 86_400).rounded())
            return (day, frac > 0 ? min(secs, 86_399) : nil)
        }
        let parts = s.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard let first = parts.first, let day = datesIn(String(first)).first else { return nil }
        var secs: Int?
        if parts.count > 1 {
            guard let t = timeCell(String(parts[1])) else { return nil }
            secs = t
        }
        return (day, secs)
    }

    /// "12:34", "12:34:56", "123456".
    static func timeCell(_ raw: String) -> Int? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        var nums: [Int]
        if s.count == 6, s.allSatisfy({ $0.isASCII && $0.isNumber }) {
            let c = Array(s)
            nums = [Int(String(c[0..<2]))!, Int(String(c[2..<4]))!, Int(String(c[4..<6]))!]
        } else {
            let p = s.split(separator: ":", omittingEmptySubsequences: false)
            guard p.count == 2 || p.count == 3, p.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
            nums = p.map { Int($0)! }
            if nums.count == 2 { nums.append(0) }
        }
        guard nums[0] < 24, nums[1] < 60, nums[2] < 60 else { return nil }
        return nums[0] * 3600 + nums[1] * 60 + nums[2]
    }

    /// Every date in the text, in order: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD,
    /// YYYY年MM月DD日 ("2026-11-01 至 2026-11-30", "20261101-20261130").
    static func datesIn(_ text: String) -> [LocalDate] {
        var out: [LocalDate] = []
        let c = Array(text)
        var i = 0
        func number(_ from: Int, max: Int) -> (Int, Int)? {
            var j = from
            while j < c.count, j - from < max, c[j].isASCII, c[j].isNumber { j += 1 }
            return j > from ? (Int(String(c[from..<j]))!, j) : nil
        }
        while i < c.count {
            guard c[i].isASCII, c[i].isNumber, i == 0 || !(c[i - 1].isASCII && c[i - 1].isNumber) else { i += 1; continue }
            if i + 8 <= c.count, c[i..<(i + 8)].allSatisfy({ $0.isASCII && $0.isNumber }), i + 8 == c.count || !(c[i + 8].isASCII && c[i + 8].isNumber),
               let d = LocalDate(year: Int(String(c[i..<(i + 4)]))!, month: Int(String(c[(i + 4)..<(i + 6)]))!, day: Int(String(c[(i + 6)..<(i + 8)]))!) {
                out.append(d); i += 8; continue
            }
            if let (y, j) = number(i, max: 4), j - i == 4, j < c.count, "-/.年".contains(c[j]),
               let (m, k) = number(j + 1, max: 2), k < c.count, "-/.月".contains(c[k]),
               let (d, l) = number(k + 1, max: 2), let date = LocalDate(year: y, month: m, day: d) {
                out.append(date)
                i = l < c.count && c[l] == "日" ? l + 1 : l
                continue
            }
            i += 1
        }
        return out
    }
}
