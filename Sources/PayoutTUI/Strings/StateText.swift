import PayoutCore

/// A state as the screen shows it: a glyph, a word and a style, so colour is never
/// the only signal.
public struct StateBadge: Sendable, Hashable {
    /// One column: "✓", "…", "!", "▼", "■", "✗", "↺", "●".
    public var glyph: String
    /// The word in the language asked for.
    public var word: String
    /// The colour role that goes with it.
    public var style: Style

    /// "✓ settled".
    public var text: String { glyph + " " + word }
}

extension MoneyState {
    /// Glyph, word and style of a transaction's money state.
    public func badge(_ language: Language) -> StateBadge {
        let s = Strings(language)
        switch self {
        case .pending: return StateBadge(glyph: "…", word: s.t("pending", "待结算"), style: .warn)
        case .settled: return StateBadge(glyph: "✓", word: s.t("settled", "已结算"), style: .ok)
        case .short: return StateBadge(glyph: "▼", word: s.t("short", "短款"), style: .bad)
        case .late: return StateBadge(glyph: "!", word: s.t("late", "延迟"), style: .bad)
        case .held: return StateBadge(glyph: "■", word: s.t("held", "暂扣"), style: .bad)
        case .reversed: return StateBadge(glyph: "↺", word: s.t("reversed", "已冲正"), style: .muted)
        case .failed: return StateBadge(glyph: "✗", word: s.t("failed", "失败"), style: .bad)
        case .awaitingReport: return StateBadge(glyph: "○", word: s.t("awaiting report", "待对账单"), style: .muted)
        case .otherCurrency: return StateBadge(glyph: "¤", word: s.t("other currency", "币种不符"), style: .bad)
        }
    }
}

extension PayoutStatus {
    /// Glyph, word and style of a payout's status as the acquirer reported it.
    public func badge(_ language: Language) -> StateBadge {
        let mark: (glyph: String, style: Style)
        switch self {
        case .scheduled, .processing: mark = ("…", .warn)
        case .inTransit: mark = ("→", .warn)
        case .paid: mark = ("✓", .ok)
        case .partial: mark = ("▼", .bad)
        case .failed: mark = ("✗", .bad)
        case .returned: mark = ("↩", .bad)
        case .held: mark = ("■", .bad)
        }
        return StateBadge(glyph: mark.glyph, word: words.label(language), style: mark.style)
    }

    /// True while the money may still arrive on its own.
    var isOpen: Bool { self == .scheduled || self == .processing || self == .inTransit }
}

extension AccountState {
    /// Glyph, word and style of a merchant account's standing; the word is upper case
    /// in English for the header badge ("● FROZEN").
    public func badge(_ language: Language) -> StateBadge {
        let style: Style
        switch self {
        case .active: style = .ok
        case .limited, .underReview: style = .warn
        case .frozen, .closed: style = .bad
        }
        return StateBadge(glyph: "●", word: words.label(language), style: style)
    }
}

/// The names of record kinds on screen: the `label` of PayoutCore's word tables
/// (`RecordWords`, which says where screen and note words differ and why).
extension Worded {
    /// The kind's short name.
    public func name(_ language: Language) -> String { words.label(language) }
}

extension CardKind {
    /// The card kind's name: the words notes use too.
    public func name(_ language: Language) -> String { language == .en ? wordEN : zhName }
}

extension AccountClass {
    /// The account class's name: its titles, as notes write them.
    public func name(_ language: Language) -> String { language == .en ? titleEN : titleZH }
}
