import Foundation
import PayoutCore
import TOMLKit

/// A mapping profile for `cn-settlement` files: which header means which field, how
/// amounts are written, what the type and card-kind words mean, where the header and
/// trailer lines are. A new acquirer's export is a new profile (a TOML file under
/// `config/formats/`), not new code. docs/report-formats.md documents every key.
public struct FormatProfile: Sendable {
    /// The fields a profile can map.
    public enum Field: String, CaseIterable, Sendable {
        case merchantId = "merchant_id"
        case merchantName = "merchant_name"
        case terminalId = "terminal_id"
        case terminalName = "terminal_name"
        /// Date and time in one column.
        case occurredAt = "occurred_at"
        /// Date and time in two columns.
        case tradeDate = "trade_date"
        case tradeTime = "trade_time"
        /// 交易类型.
        case type
        case batchNo = "batch_no"
        case traceNo = "trace_no"
        case rrn
        case authCode = "auth_code"
        case cardNumber = "card_number"
        case cardKind = "card_kind"
        case amount
        case fee
        /// 结算金额: amount less fee, checked when given.
        case settleAmount = "settle_amount"
        case currency
        /// 资金流向: 进账/出账/冻结/解冻/退款.
        case fundFlow = "fund_flow"
        /// The acquirer's settlement reference, when the file names the payout.
        case payoutRef = "payout_ref"
        /// 备注/摘要: the reason given for a freeze.
        case note
    }

    /// How amounts are written: 元 with decimals, or whole 分.
    public enum AmountUnit: String, Sendable { case yuan, fen }

    /// What a row does, from its 交易类型 (or 资金流向).
    public enum Action: String, CaseIterable, Sendable {
        case sale, void, reversal, refund, preauthCompletion, freeze, release, ignore
    }

    /// The direction words of a fund-flow column.
    public enum Flow: String, CaseIterable, Sendable {
        case `in`, out, refund, freeze, release
    }

    public let name: String
    public let title: String
    /// Where it came from: "built-in" or a file path.
    public let source: String
    /// The TOML text, as read.
    public let text: String
    public let amountUnit: AmountUnit
    public let currency: Currency
    public let valuePrefixes: [String]
    public let headerSearchLines: Int
    public let autoDetect: Bool
    public let trailerMarkers: [String]
    public let trailerRequired: Bool
    public let trailerCountLabels: [String]
    /// Field -> header synonyms as written in the profile.
    public let columns: [Field: [String]]
    public let required: [Field]
    public let preamble: [Field: [String]]
    let synonymIndex: [String: Field]
    let preambleIndex: [String: Field]
    let actions: [String: Action]
    let cardKinds: [String: CardKind]
    let flows: [String: Flow]
    /// Keyword found in a freeze row's note -> hold kind, tried in order.
    let holdKinds: [(String, HoldKind)]
    /// Currency words ("人民币", "156") -> currency.
    let currencyNames: [String: Currency]

    /// The type words, by action, for error messages.
    public let typeWords: [Action: [String]]
}

/// A profile file problem, printed as `profile FILE: KEY: reason`.
public struct ProfileError: Error, Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let key: String?
    public let reason: String

    public var description: String { "profile \(file): " + (key.map { "\($0): " } ?? "") + reason }
}

extension FormatProfile {
    static let topKeys: Set<String> = [
        "name", "title", "format", "amount_unit", "currency", "value_prefixes", "header_search_lines", "auto_detect",
        "trailer_markers", "trailer_required", "trailer_count_labels", "required",
        "columns", "preamble", "types", "card_kinds", "fund_flow", "hold_kinds", "currencies",
    ]

    /// Parses a profile. Strict: an unknown key, a wrong type or an inconsistent mapping
    /// is an error naming the key, so a typo never silently drops a column.
    public static func parse(_ text: String, source: String) throws(ProfileError) -> FormatProfile {
        func fail(_ key: String?, _ reason: String) -> ProfileError { ProfileError(file: source, key: key, reason: reason) }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw fail(nil, "line \(e.source.begin.line): \(e.description)")
        } catch { throw fail(nil, "\(error)") }

        for key in table.keys where !topKeys.contains(key) {
            throw fail(key, "unknown key (known: \(topKeys.sorted().joined(separator: ", ")))")
        }
        func string(_ key: String, in t: TOMLTable, path: String) throws(ProfileError) -> String? {
            guard let v = t[key] else { return nil }
            guard let s = v.string else { throw fail(path, "must be a string") }
            return s
        }
        func strings(_ key: String, in t: TOMLTable, path: String) throws(ProfileError) -> [String]? {
            guard let v = t[key] else { return nil }
            if let s = v.string { return [s] }
            guard let a = v.array else { throw fail(path, "must be a list of strings") }
            var out: [String] = []
            for e in a {
                guard let s = e.string else { throw fail(path, "must be a list of strings") }
                out.append(s)
            }
            return out
        }
        func subtable(_ key: String) throws(ProfileError) -> TOMLTable? {
            guard let v = table[key] else { return nil }
            guard let t = v.table else { throw fail(key, "must be a table ([\(key)])") }
            return t
        }

        guard let name = try string("name", in: table, path: "name"), !name.isEmpty else { throw fail("name", "is missing") }
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw fail("name", "\"\(name)\" must be ASCII letters, digits, - and _ (it is typed after --profile)")
        }
        if let f = try string("format", in: table, path: "format"), f != "cn-settlement" {
            throw fail("format", "\"\(f)\": profiles describe cn-settlement files only")
        }
        let unitText = try string("amount_unit", in: table, path: "amount_unit") ?? "yuan"
        guard let unit = AmountUnit(rawValue: unitText) else { throw fail("amount_unit", "\"\(unitText)\" must be yuan (元) or fen (分)") }
        let currencyText = try string("currency", in: table, path: "currency") ?? "CNY"
        guard let currency = Currency(code: currencyText) else { throw fail("currency", "unknown currency \"\(currencyText)\"") }
        var search = 20
        if let v = table["header_search_lines"] {
            guard let i = v.int, (1...200).contains(i) else { throw fail("header_search_lines", "must be a whole number from 1 to 200") }
            search = i
        }
        func bool(_ key: String, default d: Bool) throws(ProfileError) -> Bool {
            guard let v = table[key] else { return d }
            guard let b = v.bool else { throw fail(key, "must be true or false") }
            return b
        }

        // [columns]
        guard let columnsTable = try subtable("columns") else { throw fail("columns", "is missing: map each field to its header names") }
        var columns: [Field: [String]] = [:]
        var synonymIndex: [String: Field] = [:]
        for key in columnsTable.keys {
            guard let field = Field(rawValue: key) else {
                throw fail("columns.\(key)", "unknown field (known: \(Field.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let names = try strings(key, in: columnsTable, path: "columns.\(key)"), !names.isEmpty else {
                throw fail("columns.\(key)", "needs at least one header name")
            }
            columns[field] = names
            for n in names {
                let norm = normalizeHeader(n).name
                if norm.isEmpty { throw fail("columns.\(key)", "a header name is empty") }
                if let other = synonymIndex[norm], other != field {
                    throw fail("columns.\(key)", "header \"\(n)\" is also listed for \(other.rawValue)")
                }
                synonymIndex[norm] = field
            }
        }
        let requiredNames = try strings("required", in: table, path: "required")
            ?? [Field.merchantId, .terminalId, .occurredAt, .type, .amount].filter { columns[$0] != nil }.map(\.rawValue)
        var required: [Field] = []
        for r in requiredNames {
            guard let f = Field(rawValue: r) else { throw fail("required", "unknown field \"\(r)\"") }
            guard columns[f] != nil else { throw fail("required", "\(r) is required but has no header names in [columns]") }
            required.append(f)
        }
        if columns[.amount] == nil { throw fail("columns", "amount has no header names") }
        if columns[.occurredAt] == nil && columns[.tradeDate] == nil {
            throw fail("columns", "needs occurred_at, or trade_date (with trade_time)")
        }
        if columns[.type] == nil && columns[.fundFlow] == nil { throw fail("columns", "needs type or fund_flow to tell sales from refunds") }
        if columns[.rrn] == nil && columns[.traceNo] == nil { throw fail("columns", "needs rrn or trace_no to identify a transaction") }

        // [preamble]
        var preamble: [Field: [String]] = [:]
        var preambleIndex: [String: Field] = [:]
        if let t = try subtable("preamble") {
            for key in t.keys {
                guard let field = Field(rawValue: key), [.merchantId, .merchantName, .terminalId, .currency].contains(field) else {
                    throw fail("preamble.\(key)", "only merchant_id, merchant_name, terminal_id and currency can come from the lines above the header")
                }
                guard let names = try strings(key, in: t, path: "preamble.\(key)"), !names.isEmpty else {
                    throw fail("preamble.\(key)", "needs at least one label")
                }
                preamble[field] = names
                for n in names { preambleIndex[normalizeHeader(n).name] = field }
            }
        }

        // [types]
        var actions: [String: Action] = [:]
        var typeWords: [Action: [String]] = [:]
        let defaultTypes: [Action: [String]] = [
            .sale: ["消费", "POS消费", "刷卡消费", "消费(成功)", "扫码消费", "银联二维码消费", "微信消费", "支付宝消费"],
            .void: ["消费撤销", "撤销"],
            .reversal: ["消费冲正", "冲正", "撤销冲正"],
            .refund: ["退货", "退款", "联机退货", "脱机退货"],
            .preauthCompletion: ["预授权完成", "预授权完成(请求)", "预授权完成(通知)"],
            .freeze: ["冻结", "资金冻结", "风险冻结"],
            .release: ["解冻", "资金解冻"],
            .ignore: ["预授权", "预授权撤销", "预授权冲正", "余额查询", "查询"],
        ]
        let typesTable = try subtable("types")
        if let typesTable {
            for key in typesTable.keys where Action(rawValue: key) == nil {
                throw fail("types.\(key)", "unknown action (known: \(Action.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        // Words a profile lists for an action replace that action's defaults; the
        // defaults of other actions fill in words the profile does not mention.
        var explicit: [Action: [String]] = [:]
        if let typesTable {
            for action in Action.allCases {
                if let words = try strings(action.rawValue, in: typesTable, path: "types.\(action.rawValue)") { explicit[action] = words }
            }
        }
        for (action, words) in explicit.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for w in words {
                let k = normalizeValue(w)
                if let other = actions[k], other != action { throw fail("types.\(action.rawValue)", "\"\(w)\" is also listed for \(other.rawValue)") }
                actions[k] = action
            }
        }
        for action in Action.allCases {
            let words = explicit[action] ?? defaultTypes[action] ?? []
            typeWords[action] = words
            if explicit[action] != nil { continue }
            for w in words where actions[normalizeValue(w)] == nil { actions[normalizeValue(w)] = action }
        }

        // [card_kinds]
        var cardKinds: [String: CardKind] = [:]
        let defaultKinds: [CardKind: [String]] = [
            .debit: ["借记卡", "借记", "借记卡(D)", "D"],
            .credit: ["贷记卡", "准贷记卡", "贷记", "信用卡", "C"],
            .qr: ["二维码", "扫码", "微信", "支付宝", "云闪付", "银联二维码"],
            .other: ["预付卡", "外卡", "其他", "未知"],
        ]
        let kindsTable = try subtable("card_kinds")
        if let kindsTable {
            for key in kindsTable.keys where CardKind(rawValue: key) == nil {
                throw fail("card_kinds.\(key)", "unknown card kind (known: debit, credit, qr, other)")
            }
        }
        for (kind, words) in defaultKinds { for w in words { cardKinds[normalizeValue(w)] = kind } }
        if let t = kindsTable {
            for kind in CardKind.allCases {
                for w in try strings(kind.rawValue, in: t, path: "card_kinds.\(kind.rawValue)") ?? [] { cardKinds[normalizeValue(w)] = kind }
            }
        }

        // [fund_flow]
        var flows: [String: Flow] = [:]
        let defaultFlows: [Flow: [String]] = [
            .in: ["进账", "收入", "入账", "收"], .out: ["出账", "支出", "出", "付"], .refund: ["退款", "退货"],
            .freeze: ["冻结"], .release: ["解冻"],
        ]
        let flowTable = try subtable("fund_flow")
        if let flowTable {
            for key in flowTable.keys where Flow(rawValue: key) == nil {
                throw fail("fund_flow.\(key)", "unknown direction (known: in, out, refund, freeze, release)")
            }
        }
        for (flow, words) in defaultFlows { for w in words { flows[normalizeValue(w)] = flow } }
        if let t = flowTable {
            for flow in Flow.allCases {
                for w in try strings(flow.rawValue, in: t, path: "fund_flow.\(flow.rawValue)") ?? [] { flows[normalizeValue(w)] = flow }
            }
        }

        // [hold_kinds]
        var holdKinds: [(String, HoldKind)] = []
        let defaultHolds: [(HoldKind, [String])] = [
            (.retrievalRequest, ["调单", "调阅"]), (.reserve, ["保证金", "风险准备金"]),
            (.receivingLimit, ["限额"]), (.riskReview, ["风控", "延迟结算", "风险", "可疑"]),
        ]
        if let t = try subtable("hold_kinds") {
            for key in t.keys {
                guard let kind = HoldKind(rawValue: key) else {
                    throw fail("hold_kinds.\(key)", "unknown hold kind (known: \(HoldKind.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                for w in try strings(key, in: t, path: "hold_kinds.\(key)") ?? [] { holdKinds.append((w, kind)) }
            }
        } else {
            for (kind, words) in defaultHolds { for w in words { holdKinds.append((w, kind)) } }
        }

        // [currencies]
        var currencyNames: [String: Currency] = ["人民币": .CNY, "RMB": .CNY, "156": .CNY, "CNY": .CNY, "人民币元": .CNY,
                                                 "港币": Currency(code: "HKD")!, "美元": .USD, "欧元": .EUR]
        if let t = try subtable("currencies") {
            for key in t.keys {
                guard let code = try string(key, in: t, path: "currencies.\(key)"), let c = Currency(code: code) else {
                    throw fail("currencies.\(key)", "must name a known currency code")
                }
                currencyNames[normalizeValue(key)] = c
            }
        }

        return FormatProfile(
            name: name,
            title: try string("title", in: table, path: "title") ?? name,
            source: source,
            text: text,
            amountUnit: unit,
            currency: currency,
            valuePrefixes: try strings("value_prefixes", in: table, path: "value_prefixes") ?? ["`", "'", "\t"],
            headerSearchLines: search,
            autoDetect: try bool("auto_detect", default: true),
            trailerMarkers: try strings("trailer_markers", in: table, path: "trailer_markers") ?? ["合计", "总计", "汇总"],
            trailerRequired: try bool("trailer_required", default: false),
            trailerCountLabels: try strings("trailer_count_labels", in: table, path: "trailer_count_labels") ?? ["总笔数", "交易笔数", "笔数"],
            columns: columns,
            required: required,
            preamble: preamble,
            synonymIndex: synonymIndex,
            preambleIndex: preambleIndex,
            actions: actions,
            cardKinds: cardKinds,
            flows: flows,
            holdKinds: holdKinds,
            currencyNames: currencyNames,
            typeWords: typeWords
        )
    }

    /// A header cell as compared with the profile's names: trimmed, no spaces, full-width
    /// brackets made ASCII, ASCII lower-cased, and a trailing unit in brackets ("(元)",
    /// "（分）") taken off and returned.
    static func normalizeHeader(_ raw: String) -> (name: String, unit: AmountUnit?) {
        var out = ""
        for ch in raw {
            switch ch {
            case " ", "\t", "\u{3000}", "\u{00A0}", "\u{FEFF}", "`", "\r", "\n": continue
            case "（", "[", "【": out.append("(")
            case "）", "]", "】": out.append(")")
            default:
                if ch.isASCII { out.append(contentsOf: ch.lowercased()) } else { out.append(ch) }
            }
        }
        if out.hasSuffix(")"), let open = out.lastIndex(of: "(") {
            let inner = out[out.index(after: open)..<out.index(before: out.endIndex)]
            let unitish = inner.replacingOccurrences(of: "单位", with: "").replacingOccurrences(of: ":", with: "")
                .replacingOccurrences(of: "：", with: "")
            var unit: AmountUnit?
            switch unitish {
            case "元", "人民币元", "rmb元", "cny元": unit = .yuan
            case "分", "人民币分": unit = .fen
            case "人民币", "rmb", "cny": unit = nil
            default: return (out, nil)
            }
            return (String(out[..<open]), unit)
        }
        return (out, nil)
    }

    /// A cell value as compared with the profile's words: trimmed, no spaces, full-width
    /// brackets made ASCII, ASCII upper-cased.
    static func normalizeValue(_ raw: String) -> String {
        var plain = true
        for u in raw.utf8 {
            if u == 32 || u == 9 || u == 39 || u == 96 || (u >= 97 && u <= 122) || u == 0xEF || u == 0xE3 || u == 0xC2 {
                plain = false
                break
            }
        }
        if plain { return raw }
        var out = ""
        for ch in raw {
            switch ch {
            case " ", "\t", "\u{3000}", "\u{00A0}", "`", "'": continue
            case "（": out.append("(")
            case "）": out.append(")")
            default: if ch.isASCII { out.append(contentsOf: ch.uppercased()) } else { out.append(ch) }
            }
        }
        return out
    }

    func action(for value: String) -> Action? { actions[Self.normalizeValue(value)] }
    func cardKind(for value: String) -> CardKind? { cardKinds[Self.normalizeValue(value)] }
    func flow(for value: String) -> Flow? { flows[Self.normalizeValue(value)] }
    func currency(for value: String) -> Currency? {
        if let c = currencyNames[Self.normalizeValue(value)] { return c }
        return Currency(code: value)
    }
    func holdKind(for note: String) -> HoldKind {
        for (word, kind) in holdKinds where note.contains(word) { return kind }
        return .riskReview
    }
}

/// Where the profiles come from: the built-in copy of config/formats/, then profile
/// files in folders (the repo's config/formats, the user's config folder), which add
/// profiles or replace a built-in one of the same name.
public enum FormatProfiles {
    /// The profiles built into the program (config/formats/*.toml at build time).
    public static let builtin: [FormatProfile] = {
        BuiltinFormats.files.map { file in
            do { return try FormatProfile.parse(file.text, source: "built-in \(file.name).toml") } catch {
                fatalError("built-in format profile \(file.name) does not parse: \(error)")
            }
        }
    }()

    /// Built-in profiles, then every `*.toml` in `directories` (those that exist), in
    /// order; a later profile replaces an earlier one of the same name.
    public static func load(directories: [String], base: [FormatProfile] = builtin) throws(ProfileError) -> [FormatProfile] {
        var out = base
        for dir in directories {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else { continue }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".toml") }.sorted()
            for n in names {
                let p = (dir as NSString).appendingPathComponent(n)
                let profile = try loadFile(p)
                if let i = out.firstIndex(where: { $0.name == profile.name }) { out[i] = profile } else { out.append(profile) }
            }
        }
        return out
    }

    /// One profile file.
    public static func loadFile(_ path: String) throws(ProfileError) -> FormatProfile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProfileError(file: path, key: nil, reason: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ProfileError(file: path, key: nil, reason: "is not UTF-8 text")
        }
        return try FormatProfile.parse(text, source: path)
    }
}
