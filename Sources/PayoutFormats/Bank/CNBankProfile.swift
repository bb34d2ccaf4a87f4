import Foundation
import PayoutCore
import TOMLKit

/// A mapping profile for one Chinese bank's online-banking export (交易明细): which
/// header means which field, which title rows above the header must be there, how the
/// debit/credit flag is worded. Built-in profiles are the TOML files of `config/banks/`
/// (embedded by scripts/embed-banks.sh); docs/report-formats.md documents every key.
public struct CNBankProfile: Sendable {
    public enum Field: String, CaseIterable, Sendable {
        case date, time, credit, debit, amount, direction, balance
        case counterpartyName = "counterparty_name"
        case counterpartyAccount = "counterparty_account"
        case remittance, serial, currency
    }

    public enum Title: String, CaseIterable, Sendable {
        case account, name, period
        case periodStart = "period_start"
        case periodEnd = "period_end"
    }

    public let name: String
    public let title: String
    public let currency: Currency
    public let zone: TimeZone
    /// Field -> header names; for `remittance` every listed column present is read.
    public let columns: [Field: [String]]
    public let required: [Field]
    public let titles: [Title: [String]]
    public let titleRequired: [Title]
    public let totalsMarkers: [String]
    public let creditWords: [String]
    public let debitWords: [String]

    static let topKeys: Set<String> = ["name", "title", "currency", "timezone", "required", "title_required", "totals_markers",
                                       "columns", "titles", "directions"]

    /// Parses a profile; strict, so a typo in a key never silently drops a column.
    public static func parse(_ text: String, source: String) throws -> CNBankProfile {
        struct Bad: Error, CustomStringConvertible { let description: String }
        func fail(_ why: String) -> Bad { Bad(description: "\(source): \(why)") }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch { throw fail("not valid TOML (\(error))") }
        for key in table.keys where !topKeys.contains(key) { throw fail("unknown key \"\(key)\"") }
        func string(_ t: TOMLTable, _ key: String) throws -> String? {
            guard let v = t[key] else { return nil }
            guard let s = v.string else { throw fail("\(key) must be a string") }
            return s
        }
        func strings(_ t: TOMLTable, _ key: String) throws -> [String]? {
            guard let v = t[key] else { return nil }
            guard let a = v.array else { throw fail("\(key) must be a list of strings") }
            return try a.map { e in
                guard let s = e.string else { throw fail("\(key) must be a list of strings") }
                return s
            }
        }
        guard let name = try string(table, "name") else { throw fail("no name") }
        let code = try string(table, "currency") ?? "CNY"
        guard let currency = Currency(code: code) else { throw fail("currency \"\(code)\" is not one payoutmon knows") }
        let zoneName = try string(table, "timezone") ?? "Asia/Shanghai"
        guard let zone = TimeZone(identifier: zoneName) else { throw fail("timezone \"\(zoneName)\" is not a time zone") }
        guard let columnTable = table["columns"]?.table else { throw fail("no [columns] table") }
        var columns: [Field: [String]] = [:]
        for key in columnTable.keys {
            guard let f = Field(rawValue: key) else { throw fail("[columns] has an unknown field \"\(key)\"") }
            columns[f] = try strings(columnTable, key)
        }
        let required = try (strings(table, "required") ?? []).map { r in
            guard let f = Field(rawValue: r), columns[f] != nil else { throw fail("required field \"\(r)\" has no [columns] entry") }
            return f
        }
        guard columns[.date] != nil, columns[.balance] != nil else { throw fail("[columns] must name date and balance") }
        let signed = columns[.amount] != nil
        let split = columns[.credit] != nil && columns[.debit] != nil
        guard signed != split else { throw fail("[columns] must name either amount, or credit and debit") }
        var titles: [Title: [String]] = [:]
        if let t = table["titles"]?.table {
            for key in t.keys {
                guard let title = Title(rawValue: key) else { throw fail("[titles] has an unknown key \"\(key)\"") }
                titles[title] = try strings(t, key)
            }
        }
        let titleRequired = try (strings(table, "title_required") ?? []).map { r in
            guard let t = Title(rawValue: r), titles[t] != nil else { throw fail("title_required \"\(r)\" has no [titles] entry") }
            return t
        }
        var credit: [String] = [], debit: [String] = []
        if let d = table["directions"]?.table {
            for key in d.keys where key != "credit" && key != "debit" { throw fail("[directions] has an unknown key \"\(key)\"") }
            credit = try strings(d, "credit") ?? []
            debit = try strings(d, "debit") ?? []
        }
        if columns[.direction] != nil && (credit.isEmpty || debit.isEmpty) {
            throw fail("a direction column needs [directions] credit and debit words")
        }
        return CNBankProfile(name: name, title: try string(table, "title") ?? name, currency: currency, zone: zone,
                             columns: columns, required: required, titles: titles, titleRequired: titleRequired,
                             totalsMarkers: try strings(table, "totals_markers") ?? ["合计", "总计"],
                             creditWords: credit, debitWords: debit)
    }

    /// The built-in profiles (config/banks/), parsed once.
    public static let builtin: [CNBankProfile] = BuiltinBanks.files.map { file in
        // A built-in profile that does not parse is a build mistake a test catches.
        try! CNBankProfile.parse(file.text, source: "config/banks/\(file.name).toml")
    }
}
