import PayoutCore
import TOMLKit

extension FormatProfile {
    static let topKeys: Set<String> = [
        "name", "title", "format", "amount_unit", "currency", "value_prefixes", "header_search_lines", "auto_detect",
        "trailer_markers", "trailer_required", "trailer_count_labels", "required",
        "columns", "preamble", "types", "card_kinds", "fund_flow", "hold_kinds", "currencies",
    ]

    /// Parses a profile. Strict: an unknown key, a wrong type or an inconsistent mapping
    /// is an error naming the key, so a typo never silently drops a column.
    ///
    /// The keys are read, and so checked, in a fixed order (the first error is the one
    /// reported): the name and format, amounts and currency, the header search, the
    /// columns and required fields, the preamble, the type, card-kind, fund-flow and
    /// hold-kind words, the currency words, then the title, value prefixes, detection
    /// and trailer keys.
    public static func parse(_ text: String, source: String) throws(ProfileError) -> FormatProfile {
        let toml = try ProfileTOML(text: text, source: source)
        let name = try toml.name()
        try toml.checkFormat()
        let unit = try toml.amountUnit()
        let currency = try toml.currency()
        let search = try toml.headerSearchLines()
        let columns = try toml.columns()
        let required = try toml.requiredFields(columns.fields)
        try toml.checkColumnsIdentifyRows(columns.fields)
        let preamble = try toml.preamble()
        let types = try toml.typeWords()
        let cardKinds = try toml.cardKindWords()
        let flows = try toml.fundFlowWords()
        let holdKinds = try toml.holdKindWords()
        let currencyNames = try toml.currencyNames()

        return FormatProfile(
            name: name,
            title: try toml.string("title") ?? name,
            source: source,
            text: text,
            amountUnit: unit,
            currency: currency,
            valuePrefixes: try toml.strings("value_prefixes") ?? ["`", "'", "\t"],
            headerSearchLines: search,
            autoDetect: try toml.bool("auto_detect", default: true),
            trailerMarkers: try toml.strings("trailer_markers") ?? ["合计", "总计", "汇总"],
            trailerRequired: try toml.bool("trailer_required", default: false),
            trailerCountLabels: try toml.strings("trailer_count_labels") ?? ["总笔数", "交易笔数", "笔数"],
            columns: columns.fields,
            required: required,
            preamble: preamble.fields,
            synonymIndex: columns.index,
            preambleIndex: preamble.index,
            actions: types.actions,
            cardKinds: cardKinds,
            flows: flows,
            holdKinds: holdKinds,
            currencyNames: currencyNames,
            typeWords: types.words
        )
    }
}

/// The words a profile understands when it does not list its own.
private enum ProfileDefaults {
    static let typeWords: [FormatProfile.Action: [String]] = [
        .sale: ["消费", "POS消费", "刷卡消费", "消费(成功)", "扫码消费", "银联二维码消费", "微信消费", "支付宝消费"],
        .void: ["消费撤销", "撤销"],
        .reversal: ["消费冲正", "冲正", "撤销冲正"],
        .refund: ["退货", "退款", "联机退货", "脱机退货"],
        .preauthCompletion: ["预授权完成", "预授权完成(请求)", "预授权完成(通知)"],
        .freeze: ["冻结", "资金冻结", "风险冻结"],
        .release: ["解冻", "资金解冻"],
        .ignore: ["预授权", "预授权撤销", "预授权冲正", "余额查询", "查询"],
    ]

    static let cardKindWords: [CardKind: [String]] = [
        .debit: ["借记卡", "借记", "借记卡(D)", "D"],
        .credit: ["贷记卡", "准贷记卡", "贷记", "信用卡", "C"],
        .qr: ["二维码", "扫码", "微信", "支付宝", "云闪付", "银联二维码"],
        .other: ["预付卡", "外卡", "其他", "未知"],
    ]

    static let fundFlowWords: [FormatProfile.Flow: [String]] = [
        .in: ["进账", "收入", "入账", "收"], .out: ["出账", "支出", "出", "付"], .refund: ["退款", "退货"],
        .freeze: ["冻结"], .release: ["解冻"],
    ]

    /// Tried in this order against a freeze row's note.
    static let holdKindWords: [(HoldKind, [String])] = [
        (.retrievalRequest, ["调单", "调阅"]), (.reserve, ["保证金", "风险准备金"]),
        (.receivingLimit, ["限额"]), (.riskReview, ["风控", "延迟结算", "风险", "可疑"]),
    ]

    static let currencyNames: [String: Currency] = [
        "人民币": .CNY, "RMB": .CNY, "156": .CNY, "CNY": .CNY, "人民币元": .CNY,
        "港币": Currency(code: "HKD")!, "美元": .USD, "欧元": .EUR,
    ]
}

/// A profile's TOML, read key by key: each reader checks one part of the file and
/// throws a `ProfileError` naming the key it read.
private struct ProfileTOML {
    typealias Field = FormatProfile.Field
    typealias Action = FormatProfile.Action
    typealias Flow = FormatProfile.Flow

    let table: TOMLTable
    let source: String

    /// Parses the text and checks that every top-level key is a known one.
    init(text: String, source: String) throws(ProfileError) {
        self.source = source
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw ProfileError(file: source, key: nil, reason: "line \(e.source.begin.line): \(e.description)")
        } catch { throw ProfileError(file: source, key: nil, reason: "\(error)") }

        for key in table.keys where !FormatProfile.topKeys.contains(key) {
            throw fail(key, "unknown key (known: \(FormatProfile.topKeys.sorted().joined(separator: ", ")))")
        }
    }

    func fail(_ key: String?, _ reason: String) -> ProfileError { ProfileError(file: source, key: key, reason: reason) }

    // MARK: Typed values

    func string(_ key: String, in t: TOMLTable, path: String) throws(ProfileError) -> String? {
        guard let v = t[key] else { return nil }
        guard let s = v.string else { throw fail(path, "must be a string") }
        return s
    }

    /// A top-level string.
    func string(_ key: String) throws(ProfileError) -> String? { try string(key, in: table, path: key) }

    /// A list of strings; one string is a list of one.
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

    /// A top-level list of strings.
    func strings(_ key: String) throws(ProfileError) -> [String]? { try strings(key, in: table, path: key) }

    func bool(_ key: String, default d: Bool) throws(ProfileError) -> Bool {
        guard let v = table[key] else { return d }
        guard let b = v.bool else { throw fail(key, "must be true or false") }
        return b
    }

    func subtable(_ key: String) throws(ProfileError) -> TOMLTable? {
        guard let v = table[key] else { return nil }
        guard let t = v.table else { throw fail(key, "must be a table ([\(key)])") }
        return t
    }

    // MARK: Name and format

    func name() throws(ProfileError) -> String {
        guard let name = try string("name"), !name.isEmpty else { throw fail("name", "is missing") }
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw fail("name", "\"\(name)\" must be ASCII letters, digits, - and _ (it is typed after --profile)")
        }
        return name
    }

    func checkFormat() throws(ProfileError) {
        if let f = try string("format"), f != "cn-settlement" {
            throw fail("format", "\"\(f)\": profiles describe cn-settlement files only")
        }
    }

    // MARK: Amounts and currency

    func amountUnit() throws(ProfileError) -> FormatProfile.AmountUnit {
        let unitText = try string("amount_unit") ?? "yuan"
        guard let unit = FormatProfile.AmountUnit(rawValue: unitText) else {
            throw fail("amount_unit", "\"\(unitText)\" must be yuan (元) or fen (分)")
        }
        return unit
    }

    func currency() throws(ProfileError) -> Currency {
        let currencyText = try string("currency") ?? "CNY"
        guard let currency = Currency(code: currencyText) else { throw fail("currency", "unknown currency \"\(currencyText)\"") }
        return currency
    }

    /// [currencies]: currency words ("人民币", "156") on top of the defaults.
    func currencyNames() throws(ProfileError) -> [String: Currency] {
        var names = ProfileDefaults.currencyNames
        if let t = try subtable("currencies") {
            for key in t.keys {
                guard let code = try string(key, in: t, path: "currencies.\(key)"), let c = Currency(code: code) else {
                    throw fail("currencies.\(key)", "must name a known currency code")
                }
                names[FormatProfile.normalizeValue(key)] = c
            }
        }
        return names
    }

    // MARK: Header and columns

    func headerSearchLines() throws(ProfileError) -> Int {
        guard let v = table["header_search_lines"] else { return 20 }
        guard let i = v.int, (1...200).contains(i) else { throw fail("header_search_lines", "must be a whole number from 1 to 200") }
        return i
    }

    /// [columns]: each field's header names, and the index from a normalized header
    /// name to its field (a name may stand for one field only).
    func columns() throws(ProfileError) -> (fields: [Field: [String]], index: [String: Field]) {
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
                let norm = FormatProfile.normalizeHeader(n).name
                if norm.isEmpty { throw fail("columns.\(key)", "a header name is empty") }
                if let other = synonymIndex[norm], other != field {
                    throw fail("columns.\(key)", "header \"\(n)\" is also listed for \(other.rawValue)")
                }
                synonymIndex[norm] = field
            }
        }
        return (columns, synonymIndex)
    }

    /// `required`: the fields a file must have; by default those of merchant id,
    /// terminal id, occurred-at, type and amount that the profile maps.
    func requiredFields(_ columns: [Field: [String]]) throws(ProfileError) -> [Field] {
        let requiredNames = try strings("required")
            ?? [Field.merchantId, .terminalId, .occurredAt, .type, .amount].filter { columns[$0] != nil }.map(\.rawValue)
        var required: [Field] = []
        for r in requiredNames {
            guard let f = Field(rawValue: r) else { throw fail("required", "unknown field \"\(r)\"") }
            guard columns[f] != nil else { throw fail("required", "\(r) is required but has no header names in [columns]") }
            required.append(f)
        }
        return required
    }

    /// The columns must give an amount, a time, what the row does and which
    /// transaction it is.
    func checkColumnsIdentifyRows(_ columns: [Field: [String]]) throws(ProfileError) {
        if columns[.amount] == nil { throw fail("columns", "amount has no header names") }
        if columns[.occurredAt] == nil && columns[.tradeDate] == nil {
            throw fail("columns", "needs occurred_at, or trade_date (with trade_time)")
        }
        if columns[.type] == nil && columns[.fundFlow] == nil { throw fail("columns", "needs type or fund_flow to tell sales from refunds") }
        if columns[.rrn] == nil && columns[.traceNo] == nil { throw fail("columns", "needs rrn or trace_no to identify a transaction") }
    }

    /// [preamble]: labels of the lines above the header that give a merchant,
    /// terminal or currency, and the index from a normalized label to its field.
    func preamble() throws(ProfileError) -> (fields: [Field: [String]], index: [String: Field]) {
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
                for n in names { preambleIndex[FormatProfile.normalizeHeader(n).name] = field }
            }
        }
        return (preamble, preambleIndex)
    }

    // MARK: Types, kinds and directions

    /// [types]: the 交易类型 words of each action. Words a profile lists for an action
    /// replace that action's defaults; the defaults of other actions fill in words the
    /// profile does not mention.
    func typeWords() throws(ProfileError) -> (actions: [String: Action], words: [Action: [String]]) {
        let typesTable = try subtable("types")
        if let typesTable {
            for key in typesTable.keys where Action(rawValue: key) == nil {
                throw fail("types.\(key)", "unknown action (known: \(Action.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        var explicit: [Action: [String]] = [:]
        if let typesTable {
            for action in Action.allCases {
                if let words = try strings(action.rawValue, in: typesTable, path: "types.\(action.rawValue)") { explicit[action] = words }
            }
        }
        var actions: [String: Action] = [:]
        for (action, words) in explicit.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for w in words {
                let k = FormatProfile.normalizeValue(w)
                if let other = actions[k], other != action { throw fail("types.\(action.rawValue)", "\"\(w)\" is also listed for \(other.rawValue)") }
                actions[k] = action
            }
        }
        var typeWords: [Action: [String]] = [:]
        for action in Action.allCases {
            let words = explicit[action] ?? ProfileDefaults.typeWords[action] ?? []
            typeWords[action] = words
            if explicit[action] != nil { continue }
            for w in words where actions[FormatProfile.normalizeValue(w)] == nil { actions[FormatProfile.normalizeValue(w)] = action }
        }
        return (actions, typeWords)
    }

    /// [card_kinds]: card-kind words, added to the defaults.
    func cardKindWords() throws(ProfileError) -> [String: CardKind] {
        try words("card_kinds", defaults: ProfileDefaults.cardKindWords,
                  unknown: "unknown card kind (known: debit, credit, qr, other)")
    }

    /// [fund_flow]: 资金流向 words, added to the defaults.
    func fundFlowWords() throws(ProfileError) -> [String: Flow] {
        try words("fund_flow", defaults: ProfileDefaults.fundFlowWords,
                  unknown: "unknown direction (known: in, out, refund, freeze, release)")
    }

    /// A table of words by kind: the words of table `key` added to the defaults, each
    /// normalized as cell values are. A key in the table that names no kind is the
    /// error `unknown`.
    func words<Kind: RawRepresentable & CaseIterable & Hashable>(
        _ key: String, defaults: [Kind: [String]], unknown: String
    ) throws(ProfileError) -> [String: Kind] where Kind.RawValue == String {
        let table = try subtable(key)
        if let table {
            for k in table.keys where Kind(rawValue: k) == nil { throw fail("\(key).\(k)", unknown) }
        }
        var out: [String: Kind] = [:]
        for (kind, words) in defaults { for w in words { out[FormatProfile.normalizeValue(w)] = kind } }
        if let table {
            for kind in Kind.allCases {
                for w in try strings(kind.rawValue, in: table, path: "\(key).\(kind.rawValue)") ?? [] {
                    out[FormatProfile.normalizeValue(w)] = kind
                }
            }
        }
        return out
    }

    /// [hold_kinds]: note keywords and the hold kind each means, in order; a profile
    /// that lists any replaces the defaults.
    func holdKindWords() throws(ProfileError) -> [(String, HoldKind)] {
        var holdKinds: [(String, HoldKind)] = []
        if let t = try subtable("hold_kinds") {
            for key in t.keys {
                guard let kind = HoldKind(rawValue: key) else {
                    throw fail("hold_kinds.\(key)", "unknown hold kind (known: \(HoldKind.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                for w in try strings(key, in: t, path: "hold_kinds.\(key)") ?? [] { holdKinds.append((w, kind)) }
            }
        } else {
            for (kind, words) in ProfileDefaults.holdKindWords { for w in words { holdKinds.append((w, kind)) } }
        }
        return holdKinds
    }
}
