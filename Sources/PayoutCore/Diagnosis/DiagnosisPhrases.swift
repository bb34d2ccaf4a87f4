import Foundation

/// Phrases the evidence rules share: a payout's credit, a hold, a line's note and
/// reference, a payout's composition, and the timing of a settlement day. Each cause's
/// own rule is in its file under Causes/ (docs/ARCHITECTURE.md, "Adding a cause").
extension Diagnoser {
    /// "payout LKLP-DEMO-02 credited 10,000.00 of 29,820.00 on 2026-11-27".
    func creditLine(_ p: PayoutFacts) -> BilingualText {
        let ref = p.ref, exp = f.m(p.payout.expectedAmount)
        if p.isCredited {
            let day = p.payout.creditedAt.map(f.date) ?? p.payout.cycleDate.iso
            let paid = f.m(p.paid)
            if p.paid == p.payout.expectedAmount {
                return t("payout \(ref) credited \(paid) on \(day)", "结算单 \(ref) 于 \(day) 到账 \(paid)")
            }
            return t("payout \(ref) credited \(paid) of \(exp) on \(day)", "结算单 \(ref) 于 \(day) 到账 \(paid)（应结 \(exp)）")
        }
        return t("payout \(ref) \(exp) (cycle date \(p.payout.cycleDate.iso)): \(p.payout.status.wordEN), not credited",
                 "结算单 \(ref) \(exp)（结算日 \(p.payout.cycleDate.iso)）：\(p.payout.status.wordZH)，未到账")
    }

    /// "hold HOLD-DEMO-03 riskReview 20,000.00 opened 2026-11-26 08:30, not released: reason".
    func holdLine(_ h: Hold) -> BilingualText {
        let opened = f.dateTime(h.openedAt)
        // Money an inflow limit or a D+0 quota moves to later days is carried over (顺延), not held for review.
        let withheldZH = h.kind == .receivingLimit || h.kind == .d0Quota ? "起顺延" : "暂扣"
        let reason = f.safe(h.reason)
        let enState: String, zhState: String
        if let r = h.releasedAt, r <= now {
            enState = "released \(f.dateTime(r))"
            zhState = "已于 \(f.dateTime(r)) 释放"
        } else {
            enState = "not released"
            zhState = "尚未释放"
        }
        // Continuation payouts that paid part of it out leave less withheld (`Hold.openAmount`).
        let open = h.openAmount(now: now, payouts: e.payouts)
        if open.minor < h.amount.minor, open.minor > 0 || h.releasedAt == nil {
            let paidOut = Money(minor: h.amount.minor - open.minor, currency: h.amount.currency)
            return t("hold \(h.ref) \(h.kind.rawValue) \(f.m(h.amount)) opened \(opened), \(f.m(paidOut)) paid out by later payouts, \(f.m(open)) still withheld" + (reason.isEmpty ? "" : ": \(reason)"),
                     "暂扣单 \(h.ref)（\(h.kind.wordZH)）\(f.m(h.amount))，\(opened) \(withheldZH)，其中 \(f.m(paidOut)) 已由后续结算单付出，尚有 \(f.m(open)) 未释放" + (reason.isEmpty ? "" : "：\(reason)"))
        }
        let enReason = reason.isEmpty ? "" : ": \(reason)"
        let zhReason = reason.isEmpty ? "" : "：\(reason)"
        return t("hold \(h.ref) \(h.kind.rawValue) \(f.m(h.amount)) opened \(opened), \(enState)\(enReason)",
                 "暂扣单 \(h.ref)（\(h.kind.wordZH)）\(f.m(h.amount))，\(opened) \(withheldZH)，\(zhState)\(zhReason)")
    }

    /// "line 3 withheld 20,000.00 (风控调单 risk review)".
    func itemNote(_ i: PayoutItem) -> (String, String) {
        guard let n = i.note, !n.isEmpty else { return ("", "") }
        let s = f.safe(n)
        return (" (\(s))", "（\(s)）")
    }

    /// " (line 2: 退货 refund)" / "（第 2 行：退货 refund）".
    func lineRef(_ i: PayoutItem) -> (String, String) {
        guard let n = i.note, !n.isEmpty else { return (" (line \(i.lineNo))", "（第 \(i.lineNo) 行）") }
        let s = f.safe(n)
        return (" (line \(i.lineNo): \(s))", "（第 \(i.lineNo) 行：\(s)）")
    }

    /// The lines of a payout by kind: "sales 4,500.00, refunds −1,200.00, fees −27.00".
    func composition(_ p: PayoutFacts) throws -> BilingualText {
        var en: [String] = [], zh: [String] = []
        let order: [PayoutItemKind] = [.transaction, .release, .refund, .chargeback, .fee, .reserve, .hold, .carryOver, .adjustment]
        // English totals are plural ("refunds −1,200.00"); Chinese uses the note words.
        let enName: [PayoutItemKind: String] = [.transaction: "sales", .release: "releases", .refund: "refunds", .chargeback: "chargebacks",
                                                .fee: "fees", .reserve: "reserve", .hold: "holds", .carryOver: "carried over",
                                                .adjustment: "adjustments"]
        for k in order {
            let ls = p.lines([k])
            guard !ls.isEmpty else { continue }
            let s = try Money.sum(ls.map(\.amount), currency: p.zero.currency)
            en.append("\(enName[k]!) \(f.signed(s))")
            zh.append("\(k.wordZH) \(f.signed(s))")
        }
        return t(en.joined(separator: ", "), zh.joined(separator: "，"))
    }

    /// Lines relevant to the subject: those naming its RRN, or naming none (a line of
    /// the whole payout, which a transaction bears alone or shares); all lines for a
    /// payout examined on its own.
    func relevantLines(_ c: Context, _ kinds: [PayoutItemKind]) -> [(PayoutFacts, PayoutItem)] {
        c.facts.flatMap { p in
            (c.txn.map { p.digest.lines(kinds, namingOrNone: $0.rrn) } ?? p.lines(kinds)).map { (p, $0) }
        }
    }

    /// "credited 2026-10-08 10:08, on the computed day: not late".
    func timingLine(_ c: Context, _ portion: SettlementPortion) -> BilingualText {
        let credited = c.facts.filter(\.isCredited).compactMap(\.payout.creditedAt).max()
        if c.settled, let at = credited {
            let late = at > portion.lateAfter
            return late
                ? t("credited \(f.dateTime(at)), after \(f.dateTime(portion.lateAfter)): late", "\(f.dateTime(at)) 到账，晚于 \(f.dateTime(portion.lateAfter))：已逾期")
                : t("credited \(f.dateTime(at)), on the computed day: not late", "\(f.dateTime(at)) 到账，与推算日期一致：未逾期")
        }
        if c.isLate {
            return t("due by \(f.dateTime(portion.dueBy)) and not received: late", "应于 \(f.dateTime(portion.dueBy)) 前到账，至今未到：已逾期")
        }
        return t("expected \(portion.settlementDay.iso) \(policy.creditWindow): not late", "预计 \(portion.settlementDay.iso) \(policy.creditWindow) 到账：未逾期")
    }
}

/// Fee arithmetic in words, shared by diagnosis and dispute notes.
enum FeeText {
    /// "0.60%, capped 35.00" / "费率 0.60%，封顶 35.00".
    static func rule(_ fee: FeeBreakdown) -> BilingualText {
        var en = SettlementPolicy.percentText(ppm: fee.ratePPM)
        var zh = "费率 " + en
        if let cap = fee.appliedCap { en += ", capped \(cap.formatted())"; zh += "，封顶 \(cap.formatted())" }
        if !fee.fixed.isZero { en += ", plus \(fee.fixed.formatted()) fixed"; zh += "，另加固定 \(fee.fixed.formatted())" }
        if !fee.d0Surcharge.isZero {
            let p = SettlementPolicy.percentText(ppm: fee.d0SurchargePPM)
            en += ", plus D+0 \(p) = \(fee.d0Surcharge.formatted())"
            zh += "，另加秒到 \(p) = \(fee.d0Surcharge.formatted())"
        }
        return BilingualText(en: en, zh: zh)
    }

    /// "30,000.00 − 35.00 fee (0.60%, capped 35.00) = 29,965.00".
    static func arithmetic(_ exp: SettlementExpectation) -> BilingualText {
        let g = exp.gross.formatted(), fee = exp.fee.total.formatted(), net = exp.net.formatted()
        if exp.gross.minor <= 0 {
            return BilingualText(en: "refund \(g): no fee, nets \(net)", zh: "退货 \(g)：不收手续费，抵扣 \(net)")
        }
        let r = rule(exp.fee)
        var en = "\(g) − \(fee) fee (\(r.en))"
        var zh = "\(g) − 手续费 \(fee)（\(r.zh)）"
        if !exp.reserve.isZero {
            en += " − \(exp.reserve.formatted()) reserve"
            zh += " − 保证金 \(exp.reserve.formatted())"
        }
        return BilingualText(en: en + " = \(net)", zh: zh + " = \(net)")
    }
}
