import Foundation

/// REFUND_OFFSET: refunds or chargebacks were netted in the payout.
enum RefundOffsetCause {
    static let descriptor = CauseDescriptor(
        code: .refundOffset,
        title: BilingualText(en: "Refunds or chargebacks netted", zh: "退款/退单抵扣"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "REFUND_OFFSET", zh: "退款抵扣"),
        isExplained: true,
        ranks: CauseRanks(explained: 130),
        find: { d, c, _ in try d.refundOffset(c).map { CauseHit($0) } },
        ruledOut: RuledOutCheck(order: 10) { d, c in d.refundOffsetRuledOut(c) },
        request: { w, x in w.creditDateRequest(w.requestAmount(x)) },
        noDisputeClause: { w, x in w.refundOffsetNoDisputeClause(x) }
    )
}

extension Diagnoser {
    func refundOffset(_ c: Context) throws -> Finding? {
        var lines: [BilingualText] = []
        var total = c.zero
        var chargeback = false
        if let txn = c.txn, txn.kind == .refund {
            for p in c.facts {
                let mine = p.digest.lines(naming: txn.rrn)
                guard !mine.isEmpty || txn.payoutRef == p.ref else { continue }
                let line = mine.first.map(lineRef) ?? ("", "")
                let when = p.isCredited ? (p.payout.creditedAt.map { (", credited \(f.dateTime($0))", "，该单于 \(f.dateTime($0)) 到账") } ?? ("", "")) : ("", "")
                lines.append(t("refund \(txn.rrn) \(f.signed(txn.amount)) netted in payout \(p.ref)\(line.0)\(when.0)",
                               "退货 \(txn.rrn) \(f.signed(txn.amount)) 已在结算单 \(p.ref) 中抵扣\(line.1)\(when.1)"))
                total = try total.adding(txn.amount)
            }
        } else {
            for p in c.facts {
                let offsets = p.lines([.refund, .chargeback]).filter { $0.rrn != c.txn?.rrn || $0.rrn == nil }
                var refs = offsets
                for rt in e.payoutTransactions where rt.payoutRef == p.ref && rt.kind == .refund && rt.rrn != c.txn?.rrn
                    && !offsets.contains(where: { $0.rrn == rt.rrn }) {
                    refs.append(PayoutItem(merchantId: rt.merchantId, payoutRef: p.ref, lineNo: 0, kind: .refund, amount: rt.amount, rrn: rt.rrn))
                }
                guard !refs.isEmpty else { continue }
                for i in refs {
                    if i.kind == .chargeback { chargeback = true }
                    let rrn = i.rrn.map { " \($0)" } ?? ""
                    let (lineEN, lineZH) = i.lineNo > 0 ? lineRef(i) : ("", "")
                    lines.append(t("payout \(p.ref) nets \(i.kind.wordEN)\(rrn) \(f.signed(i.amount))\(lineEN)" + (c.txn == nil ? "" : " against this sale"),
                                   "结算单 \(p.ref) 抵扣\(i.kind.wordZH)\(rrn) \(f.signed(i.amount))\(lineZH)"))
                    total = try total.adding(i.amount)
                }
                let comp = try composition(p)
                if p.isCredited {
                    lines.append(t("payout \(p.ref) credited \(f.m(p.paid)): \(comp.en)", "结算单 \(p.ref) 到账 \(f.m(p.paid))：\(comp.zh)"))
                } else {
                    lines.append(t("payout \(p.ref) lines: \(comp.en)", "结算单 \(p.ref) 明细：\(comp.zh)"))
                }
            }
        }
        guard !lines.isEmpty else { return nil }
        var nextEN = "None: the refund was netted as issued; check that it is one you made."
        var nextZH = "无需申诉：退款已按发生额抵扣，请核对该笔退款确为本店发起。"
        if chargeback {
            nextEN += " To contest a chargeback, answer the acquirer's chargeback notice with the signed sales slip before its deadline."
            nextZH += "如对退单有异议，请在收单机构规定期限内提交签购单等凭证申辩。"
        }
        return Finding(code: .refundOffset, evidence: lines, nextStep: t(nextEN, nextZH), explained: true,
                       amount: total.isZero ? nil : try total.negated())
    }

    /// "no refund is netted in payout ...", "no chargeback in payout ...".
    func refundOffsetRuledOut(_ c: Context) -> [RuledOut] {
        let lined = c.linedPayouts
        guard !lined.facts.isEmpty, c.txn?.kind != .refund else { return [] }
        var out: [RuledOut] = []
        let refundTxns = e.payoutTransactions.contains { t in t.kind == .refund && c.facts.contains { $0.ref == t.payoutRef } }
        if !lined.facts.contains(where: { !$0.lines([.refund]).isEmpty }) && !refundTxns {
            out.append(ruledOut(.refunds, "no refund is netted in \(lined.word) \(lined.refs)", "结算单 \(lined.refsZH) 中无退款抵扣"))
        }
        if !lined.facts.contains(where: { !$0.lines([.chargeback]).isEmpty }) {
            out.append(ruledOut(.chargebacks, "no chargeback in \(lined.word) \(lined.refs)", "结算单 \(lined.refsZH) 中无退单（拒付）"))
        }
        return out
    }
}

extension NoteWriter {
    /// The note's clause when the finding is explained.
    func refundOffsetNoDisputeClause(_ x: Finding) -> String {
        return L("the refund was netted in the same payout, as issued", "退款已在同一结算单中按发生额抵扣")
    }
}
