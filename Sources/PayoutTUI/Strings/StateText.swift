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
        }
    }
}

extension PayoutStatus {
    /// Glyph, word and style of a payout's status as the acquirer reported it.
    public func badge(_ language: Language) -> StateBadge {
        let s = Strings(language)
        switch self {
        case .scheduled: return StateBadge(glyph: "…", word: s.t("scheduled", "待出款"), style: .warn)
        case .processing: return StateBadge(glyph: "…", word: s.t("processing", "处理中"), style: .warn)
        case .inTransit: return StateBadge(glyph: "→", word: s.t("in transit", "在途"), style: .warn)
        case .paid: return StateBadge(glyph: "✓", word: s.t("paid", "已到账"), style: .ok)
        case .partial: return StateBadge(glyph: "▼", word: s.t("partial", "部分到账"), style: .bad)
        case .failed: return StateBadge(glyph: "✗", word: s.t("failed", "失败"), style: .bad)
        case .returned: return StateBadge(glyph: "↩", word: s.t("returned", "退票"), style: .bad)
        case .held: return StateBadge(glyph: "■", word: s.t("held", "暂扣"), style: .bad)
        }
    }

    /// True while the money may still arrive on its own.
    var isOpen: Bool { self == .scheduled || self == .processing || self == .inTransit }
}

extension AccountState {
    /// Glyph, word and style of a merchant account's standing; the word is upper case
    /// in English for the header badge ("● FROZEN").
    public func badge(_ language: Language) -> StateBadge {
        let s = Strings(language)
        switch self {
        case .active: return StateBadge(glyph: "●", word: s.t("active", "正常"), style: .ok)
        case .limited: return StateBadge(glyph: "●", word: s.t("limited", "受限"), style: .warn)
        case .frozen: return StateBadge(glyph: "●", word: s.t("frozen", "冻结"), style: .bad)
        case .underReview: return StateBadge(glyph: "●", word: s.t("under review", "审核中"), style: .warn)
        case .closed: return StateBadge(glyph: "●", word: s.t("closed", "已关闭"), style: .bad)
        }
    }
}

extension TxnKind {
    /// The kind's short name.
    public func name(_ language: Language) -> String {
        let s = Strings(language)
        switch self {
        case .sale: return s.t("sale", "消费")
        case .refund: return s.t("refund", "退货")
        case .void: return s.t("void", "撤销")
        case .reversal: return s.t("reversal", "冲正")
        case .preauthCompletion: return s.t("preauth", "预授权完成")
        }
    }
}

extension CardKind {
    /// The card kind's name.
    public func name(_ language: Language) -> String {
        let s = Strings(language)
        switch self {
        case .debit: return s.t("debit", "借记卡")
        case .credit: return s.t("credit", "贷记卡")
        case .qr: return s.t("QR", "扫码")
        case .other: return s.t("other", "其他")
        }
    }
}

extension HoldKind {
    /// The hold kind's name.
    public func name(_ language: Language) -> String {
        let s = Strings(language)
        switch self {
        case .riskReview: return s.t("risk review", "风控调单")
        case .reserve: return s.t("reserve", "保证金")
        case .retrievalRequest: return s.t("retrieval request", "调单")
        case .receivingLimit: return s.t("inflow limit", "入金限额")
        case .d0Quota: return s.t("D+0 quota", "秒到额度")
        }
    }
}

extension PayoutItemKind {
    /// The item kind's name.
    public func name(_ language: Language) -> String {
        let s = Strings(language)
        switch self {
        case .transaction: return s.t("transaction", "交易")
        case .fee: return s.t("fee", "手续费")
        case .reserve: return s.t("reserve", "保证金")
        case .hold: return s.t("hold", "暂扣")
        case .release: return s.t("release", "释放")
        case .refund: return s.t("refund", "退款")
        case .chargeback: return s.t("chargeback", "拒付")
        case .carryOver: return s.t("carry-over", "限额顺延")
        case .adjustment: return s.t("adjustment", "调整")
        }
    }
}

extension AccountClass {
    /// The account class's name.
    public func name(_ language: Language) -> String {
        let s = Strings(language)
        switch self {
        case .classI: return s.t("Class I", "一类户")
        case .classII: return s.t("Class II", "二类户")
        case .classIII: return s.t("Class III", "三类户")
        case .corporate: return s.t("corporate", "对公账户")
        }
    }
}

extension CauseCode {
    /// The cause's title in `language`.
    public func title(_ language: Language) -> String {
        language == .en ? titleEN : titleZH
    }
}
