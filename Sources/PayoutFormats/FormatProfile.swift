import Foundation
import PayoutCore

/// A mapping profile for `cn-settlement` files: which header means which field, how
/// amounts are written, what the type and card-kind words mean, where the header and
/// trailer lines are. A new acquirer's export is a new profile (a TOML file under
/// `config/formats/`), not new code. docs/report-formats.md documents every key;
/// FormatProfileParsing.swift reads them.
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
