/// The words for a record's kind or state, in English and Chinese: one table per
/// kind, used by diagnosis, dispute notes and the monitor's screen alike.
///
/// Each entry has two readings:
/// - `note`: the wording of diagnosis lines and dispute notes. A note goes to the
///   acquirer, so it uses the words of the acquirer's own statements, in full
///   (退单, 银行在途, 暂停出款, 已注销, 调单（单据调阅）, "partly paid").
/// - `label`: what the monitor shows in a column or a state badge: short enough to fit
///   and in the words a cashier reads on screen (拒付, 在途, 暂扣, 已关闭, 调单,
///   "partial").
///
/// Where the two agree an entry gives one pair. Where they differ it gives both, and
/// both stay as they are: changing either changes what a merchant sees or sends.
public struct RecordWords: Hashable, Sendable {
    /// In diagnosis lines and dispute notes.
    public let note: BilingualText
    /// On the monitor's screen.
    public let label: BilingualText

    /// The same words in notes and on screen.
    init(_ en: String, _ zh: String) {
        note = BilingualText(en: en, zh: zh)
        label = note
    }

    /// Note and screen words that differ (see the type's comment for why).
    init(note en: String, _ zh: String, label labelEN: String, _ labelZH: String) {
        note = BilingualText(en: en, zh: zh)
        label = BilingualText(en: labelEN, zh: labelZH)
    }
}

/// A record kind or state with its words.
public protocol Worded {
    var words: RecordWords { get }
}

extension Worded {
    /// The note's English word: "in transit".
    public var wordEN: String { words.note.en }
    /// The note's Chinese word: "银行在途".
    public var wordZH: String { words.note.zh }
}

extension PayoutStatus: Worded {
    public var words: RecordWords {
        switch self {
        case .scheduled: return RecordWords("scheduled", "待出款")
        case .processing: return RecordWords("processing", "处理中")
        case .inTransit: return RecordWords(note: "in transit", "银行在途", label: "in transit", "在途")
        case .paid: return RecordWords("paid", "已到账")
        case .partial: return RecordWords(note: "partly paid", "部分到账", label: "partial", "部分到账")
        case .failed: return RecordWords(note: "failed", "出款失败", label: "failed", "失败")
        case .returned: return RecordWords(note: "returned", "已退汇", label: "returned", "退汇")
        case .held: return RecordWords(note: "held", "暂停出款", label: "held", "暂扣")
        }
    }
}

extension HoldKind: Worded {
    public var words: RecordWords {
        switch self {
        case .riskReview: return RecordWords("risk review", "风控调单")
        case .reserve: return RecordWords("reserve", "保证金")
        case .retrievalRequest: return RecordWords(note: "retrieval request", "调单（单据调阅）", label: "retrieval request", "调单")
        case .receivingLimit: return RecordWords(note: "receiving limit", "入金限额", label: "inflow limit", "入金限额")
        case .d0Quota: return RecordWords("D+0 quota", "秒到额度")
        }
    }
}

extension PayoutItemKind: Worded {
    public var words: RecordWords {
        switch self {
        case .transaction: return RecordWords(note: "sale", "交易", label: "transaction", "交易")
        case .fee: return RecordWords("fee", "手续费")
        case .reserve: return RecordWords("reserve", "保证金")
        case .hold: return RecordWords("hold", "暂扣")
        case .release: return RecordWords("release", "释放")
        case .refund: return RecordWords("refund", "退款")
        case .chargeback: return RecordWords(note: "chargeback", "退单", label: "chargeback", "拒付")
        case .carryOver: return RecordWords(note: "carry-over", "顺延", label: "carry-over", "限额顺延")
        case .adjustment: return RecordWords(note: "adjustment", "调账", label: "adjustment", "调整")
        }
    }
}

extension AccountState: Worded {
    public var words: RecordWords {
        switch self {
        case .active: return RecordWords("active", "正常")
        case .limited: return RecordWords("limited", "受限")
        case .frozen: return RecordWords("frozen", "冻结")
        case .underReview: return RecordWords("under review", "审核中")
        case .closed: return RecordWords(note: "closed", "已注销", label: "closed", "已关闭")
        }
    }
}

extension TxnKind: Worded {
    public var words: RecordWords {
        switch self {
        case .sale: return RecordWords("sale", "消费")
        case .refund: return RecordWords("refund", "退货")
        case .void: return RecordWords("void", "撤销")
        case .reversal: return RecordWords("reversal", "冲正")
        case .preauthCompletion: return RecordWords(note: "pre-auth completion", "预授权完成", label: "preauth", "预授权完成")
        case .adjustment: return RecordWords(note: "balance adjustment", "余额调整", label: "adjust", "调整")
        }
    }
}

extension CardKind {
    /// "debit" / "借记卡" ("QR" for a wallet payment): the English word; the Chinese is
    /// `zhName`, next to the fee explanations that use it. Notes and screen agree.
    public var wordEN: String {
        switch self {
        case .debit: return "debit"
        case .credit: return "credit"
        case .qr: return "QR"
        case .other: return "other"
        }
    }
}
