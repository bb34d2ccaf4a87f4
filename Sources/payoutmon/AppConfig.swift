import Foundation
import PayoutCore
import TOMLKit

/// The program's settings: settlement rules, the merchant shown by default, the
/// monitor's behaviour. Read from TOML; see config/payoutmon.toml for every key.
struct AppConfig {
    var policy: SettlementPolicy
    var calendar: SettlementCalendar
    /// "cn", "weekends", or the path of a calendar file.
    var calendarName: String
    var merchantId: String?
    var merchantName: String?
    var acquirer: String?
    var storePath: String?
    var pollIntervalMillis: Int
    var language: String?
    /// `monitor.mouse`: clicks select rows and the wheel scrolls (true unless set to false).
    var mouse = true
    /// `watch`: how long a file must stay unchanged before it is taken, how long an
    /// unchanged but incomplete file waits before it fails, and whether `NAME.done` is required.
    var inboxQuietMillis: Int64 = 5_000
    var inboxIncompleteTimeoutMillis: Int64 = 600_000
    var inboxRequireDoneMarker = false
    /// `alerts` (and `watch --alerts`): see `AlertSettings`.
    var alerts = AlertSettings()
    /// `bank.payers`: payer names (or parts of them) of the acquirer's credits on a bank
    /// statement, besides the built-in ones (`SettlementRules.defaultBankPayers`).
    var bankPayers: [String] = []
    /// The file read, or nil when the built-in defaults are in use.
    var source: String?

    var timeZone: TimeZone { policy.timeZone }

    /// The policy and calendar together, as the store's reconciliation wants them.
    var rules: SettlementRules {
        var r = SettlementRules(policy: policy, calendar: calendar)
        r.bankPayers += bankPayers
        return r
    }

    /// Keys that are the program's own rather than settlement rules.
    enum Key: String, CaseIterable {
        case merchantId = "merchant.id"
        case merchantName = "merchant.name"
        case acquirer = "merchant.acquirer"
        case calendar = "settlement.calendar"
        case storePath = "store.path"
        case pollInterval = "monitor.poll_interval_ms"
        case language = "monitor.language"
        case mouse = "monitor.mouse"
        case inboxQuiet = "inbox.quiet_period_ms"
        case inboxIncompleteTimeout = "inbox.incomplete_timeout_ms"
        case inboxRequireDoneMarker = "inbox.require_done_marker"
        case alertsCommands = "alerts.commands"
        case alertsLog = "alerts.log"
        case alertsInterval = "alerts.interval"
        case alertsTimeout = "alerts.timeout_seconds"
        case alertsRetries = "alerts.retries"
        case alertsRetryDelay = "alerts.retry_delay_seconds"
        case bankPayers = "bank.payers"
    }

    /// Loads `path`. A missing file gives the defaults unless the path was asked for.
    static func load(path: String, mustExist: Bool) throws -> AppConfig {
        guard FileManager.default.fileExists(atPath: path) else {
            if mustExist { throw ConfigError(file: path, key: nil, reason: "no such file") }
            return try build(values: [:], source: nil)
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, key: nil, reason: "cannot be read as UTF-8 text")
        }
        return try parse(text, source: path)
    }

    /// Parses config text; every error names the file and the key.
    static func parse(_ text: String, source: String) throws -> AppConfig {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw ConfigError(file: source, key: nil, reason: "line \(e.source.begin.line): \(e.description)")
        }
        var values: [String: String] = [:]
        var lists: [String: [String]] = [:]
        try flatten(table, prefix: "", into: &values, lists: &lists, source: source)
        return try build(values: values, lists: lists, source: source)
    }

    /// Keys whose value is a list of strings.
    static let listKeys: Set<String> = [Key.alertsCommands.rawValue, Key.bankPayers.rawValue]

    private static func flatten(_ table: TOMLTable, prefix: String, into values: inout [String: String],
                                lists: inout [String: [String]], source: String) throws {
        for key in table.keys.sorted() {
            guard let v = table[key] else { continue }
            let full = prefix.isEmpty ? key : prefix + "." + key
            if let t = v.table {
                try flatten(t, prefix: full, into: &values, lists: &lists, source: source)
            } else if let a = v.array, listKeys.contains(full) {
                var items: [String] = []
                for item in a {
                    guard let s = item.string else { throw ConfigError(file: source, key: full, reason: "must be a list of strings") }
                    items.append(s)
                }
                lists[full] = items
            } else if let s = v.string {
                values[full] = s
            } else if let i = v.int {
                values[full] = String(i)
            } else if v.double != nil {
                throw ConfigError(file: source, key: full,
                                  reason: "write amounts and rates as quoted strings (\"0.60\") so they stay exact")
            } else if let b = v.bool {
                values[full] = b ? "true" : "false"
            } else {
                throw ConfigError(file: source, key: full, reason: "unsupported value type")
            }
        }
    }

    static func build(values: [String: String], lists: [String: [String]] = [:], source: String?) throws -> AppConfig {
        let file = source ?? "built-in defaults"
        var policyValues: [String: String] = [:]
        var own: [Key: String] = [:]
        for (k, v) in values {
            if listKeys.contains(k) { throw ConfigError(file: file, key: k, reason: "must be a list of strings ([\"...\"])") }
            if let key = Key(rawValue: k) { own[key] = v }
            else if SettlementPolicy.Key(rawValue: k) != nil { policyValues[k] = v }
            else { throw ConfigError(file: file, key: k, reason: "unknown key (see config/payoutmon.toml for the documented keys)") }
        }
        let policy: SettlementPolicy
        do { policy = try SettlementPolicy.parse(policyValues) } catch {
            throw ConfigError(file: file, key: error.key, reason: error.reason)
        }
        let calendarName = own[.calendar] ?? "cn"
        let calendar = try loadCalendar(calendarName, source: source)
        var poll = 1000
        if let p = own[.pollInterval] {
            guard let v = Int(p), (100...3_600_000).contains(v) else {
                throw ConfigError(file: file, key: Key.pollInterval.rawValue, reason: "\"\(p)\" must be whole milliseconds from 100 to 3600000")
            }
            poll = v
        }
        if let lang = own[.language], !["en", "zh-Hans", "zh", "auto"].contains(lang) {
            throw ConfigError(file: file, key: Key.language.rawValue, reason: "\"\(lang)\" must be en, zh-Hans or auto")
        }
        if let mid = own[.merchantId], let p = IdentifierKind.merchantId.problem(with: mid) {
            throw ConfigError(file: file, key: Key.merchantId.rawValue, reason: "\"\(mid)\" \(p)")
        }
        func millis(_ key: Key, _ range: ClosedRange<Int64>) throws -> Int64? {
            guard let p = own[key] else { return nil }
            guard let v = Int64(p), range.contains(v) else {
                throw ConfigError(file: file, key: key.rawValue, reason: "\"\(p)\" must be whole milliseconds from \(range.lowerBound) to \(range.upperBound)")
            }
            return v
        }
        var config = AppConfig(policy: policy, calendar: calendar, calendarName: calendarName, merchantId: own[.merchantId],
                               merchantName: own[.merchantName], acquirer: own[.acquirer], storePath: own[.storePath],
                               pollIntervalMillis: poll, language: own[.language], source: source)
        if let v = try millis(.inboxQuiet, 0...3_600_000) { config.inboxQuietMillis = v }
        if let v = try millis(.inboxIncompleteTimeout, 0...604_800_000) { config.inboxIncompleteTimeoutMillis = v }
        if let b = own[.inboxRequireDoneMarker] {
            guard b == "true" || b == "false" else {
                throw ConfigError(file: file, key: Key.inboxRequireDoneMarker.rawValue, reason: "\"\(b)\" must be true or false")
            }
            config.inboxRequireDoneMarker = b == "true"
        }
        config.alerts = try AlertSettings.build(own: own, commands: lists[Key.alertsCommands.rawValue], file: file)
        for name in lists[Key.bankPayers.rawValue] ?? [] {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            // A name is looked for inside the payer and remittance text: one character
            // would take nearly every credit for the acquirer's.
            guard trimmed.count >= 2 else {
                throw ConfigError(file: file, key: Key.bankPayers.rawValue, reason: "\"\(name)\" is too short: a payer name needs at least 2 characters")
            }
            config.bankPayers.append(trimmed)
        }
        if let b = own[.mouse] {
            guard b == "true" || b == "false" else {
                throw ConfigError(file: file, key: Key.mouse.rawValue, reason: "\"\(b)\" must be true or false")
            }
            config.mouse = b == "true"
        }
        return config
    }

    /// A calendar by name: "cn" (built in), "weekends", or a file (relative to the config file).
    static func loadCalendar(_ name: String, source: String?) throws -> SettlementCalendar {
        let file = source ?? "built-in defaults"
        switch name {
        case "weekends":
            return .weekends
        case "cn":
            return try SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
        default:
            let base = source.map { ($0 as NSString).deletingLastPathComponent } ?? "."
            let path = name.hasPrefix("/") ? name : base + "/" + name
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw ConfigError(file: file, key: Key.calendar.rawValue,
                                  reason: "\"\(name)\" is neither cn, weekends nor a readable calendar file")
            }
            do { return try SettlementCalendar.parse(text, name: path) } catch {
                throw ConfigError(file: file, key: Key.calendar.rawValue, reason: "\(error)")
            }
        }
    }

    /// The config with another calendar, as `eta --calendar` asks.
    static func withCalendar(_ name: String, base: AppConfig) throws -> AppConfig {
        var c = base
        c.calendar = try loadCalendar(name, source: base.source)
        c.calendarName = name
        return c
    }
}

/// A config file problem, printed as `FILE: KEY: reason`.
struct ConfigError: Error, CustomStringConvertible {
    let file: String
    let key: String?
    let reason: String

    var description: String {
        "config \(file): " + (key.map { "\($0): " } ?? "") + reason
    }
}
