import Foundation

/// The words diagnosis and dispute notes use for records, in English and Chinese.
extension PayoutStatus {
    /// "processing" / "处理中".
    public var wordEN: String {
        switch self {
        case .scheduled: return "scheduled"
        case .processing: return "processing"
        case .inTransit: return "in transit"
        case .paid: return "paid"
        case .partial: return "partly paid"
        case .failed: return "failed"
        case .returned: return "returned"
        case .held: return "held"
        }
    }

    public var wordZH: String {
        switch self {
        case .scheduled: return "待出款"
        case .processing: return "处理中"
        case .inTransit: return "银行在途"
        case .paid: return "已到账"
        case .partial: return "部分到账"
        case .failed: return "出款失败"
        case .returned: return "已退票"
        case .held: return "暂停出款"
        }
    }
}

extension HoldKind {
    /// "risk review" / "风控调单".
    public var wordEN: String {
        switch self {
        case .riskReview: return "risk review"
        case .reserve: return "reserve"
        case .retrievalRequest: return "retrieval request"
        case .receivingLimit: return "receiving limit"
        case .d0Quota: return "D+0 quota"
        }
    }

    public var wordZH: String {
        switch self {
        case .riskReview: return "风控调单"
        case .reserve: return "保证金"
        case .retrievalRequest: return "调单（单据调阅）"
        case .receivingLimit: return "入金限额"
        case .d0Quota: return "秒到额度"
        }
    }
}

extension PayoutItemKind {
    /// "fee" / "手续费".
    public var wordEN: String {
        switch self {
        case .transaction: return "sale"
        case .fee: return "fee"
        case .reserve: return "reserve"
        case .hold: return "hold"
        case .release: return "release"
        case .refund: return "refund"
        case .chargeback: return "chargeback"
        case .carryOver: return "carry-over"
        case .adjustment: return "adjustment"
        }
    }

    public var wordZH: String {
        switch self {
        case .transaction: return "交易"
        case .fee: return "手续费"
        case .reserve: return "保证金"
        case .hold: return "暂扣"
        case .release: return "释放"
        case .refund: return "退款"
        case .chargeback: return "退单"
        case .carryOver: return "顺延"
        case .adjustment: return "调账"
        }
    }
}

extension AccountState {
    /// "frozen" / "冻结".
    public var wordEN: String {
        switch self {
        case .active: return "active"
        case .limited: return "limited"
        case .frozen: return "frozen"
        case .underReview: return "under review"
        case .closed: return "closed"
        }
    }

    public var wordZH: String {
        switch self {
        case .active: return "正常"
        case .limited: return "受限"
        case .frozen: return "冻结"
        case .underReview: return "审核中"
        case .closed: return "已注销"
        }
    }
}

extension TxnKind {
    /// "sale" / "消费".
    public var wordEN: String {
        switch self {
        case .sale: return "sale"
        case .refund: return "refund"
        case .void: return "void"
        case .reversal: return "reversal"
        case .preauthCompletion: return "pre-auth completion"
        }
    }

    public var wordZH: String {
        switch self {
        case .sale: return "消费"
        case .refund: return "退货"
        case .void: return "撤销"
        case .reversal: return "冲正"
        case .preauthCompletion: return "预授权完成"
        }
    }
}

extension CardKind {
    /// "debit" / "借记卡" ("QR" for a wallet payment).
    public var wordEN: String {
        switch self {
        case .debit: return "debit"
        case .credit: return "credit"
        case .qr: return "QR"
        case .other: return "other"
        }
    }
}

/// Formatting shared by diagnosis and dispute notes: local times, amounts, and text
/// from reports made safe to print.
struct DiagnosisFormat: Sendable {
    let zone: TimeZone
    /// Identifiers that may look like card numbers but are not (MIDs): left alone by `safe`.
    let knownIdentifiers: Set<String>

    /// "2026-11-27 10:05".
    func dateTime(_ i: Instant) -> String { LocalDateTime(i, in: zone).description }

    /// "2026-11-27".
    func date(_ i: Instant) -> String { LocalDateTime(i, in: zone).date.iso }

    /// "10:05" when `i` falls on `day`, else "2026-11-27 10:05".
    func time(_ i: Instant, sameDayAs day: Instant) -> String {
        let a = LocalDateTime(i, in: zone), b = LocalDateTime(day, in: zone)
        return a.date == b.date ? a.time.description : a.description
    }

    /// "29,820.00".
    func m(_ x: Money) -> String { x.formatted() }

    /// "−16.08" for a negative line, "2,680.00" otherwise (the minus sign, not a hyphen).
    func signed(_ x: Money) -> String { x.isNegative ? "−" + String(x.formatted().dropFirst()) : x.formatted() }

    /// Free text from a report (a hold reason, a line note), with any run of digits
    /// that looks like a full card number masked to first 6 and last 4.
    func safe(_ text: String) -> String { PANRedaction.redact(text, keeping: knownIdentifiers) }
}

/// Masks card-number-like digit runs in free text.
enum PANRedaction {
    /// Replaces each run of 13-19 digits passing the Luhn check (and not in `keeping`)
    /// with its first 6 and last 4 digits around `*`.
    static func redact(_ text: String, keeping: Set<String>) -> String {
        guard CardNumber.containsFullPAN(text) else { return text }
        var out = ""
        var run = ""
        func flush() {
            if run.count >= 13 && run.count <= 19 && !keeping.contains(run)
                && CardNumber.luhn(run.utf8.map { Int($0) - 48 }) {
                let c = Array(run)
                out += String(c.prefix(6)) + String(repeating: "*", count: c.count - 10) + String(c.suffix(4))
            } else {
                out += run
            }
            run = ""
        }
        for ch in text {
            if ch.isASCII && ch.isNumber { run.append(ch) } else { flush(); out.append(ch) }
        }
        flush()
        return out
    }
}
