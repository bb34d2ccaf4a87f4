import Foundation

/// D0_QUOTA: a D+0 (秒到) sale went over the day's quota: the part over it settles T+1.
enum D0QuotaCause {
    static let descriptor = CauseDescriptor(
        code: .d0Quota,
        title: BilingualText(en: "D+0 quota exceeded, moved to T+1", zh: "秒到额度超限，转T+1"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "D0_QUOTA", zh: "秒到超限"),
        isExplained: true,
        ranks: CauseRanks(problem: 65, explained: 100),
        find: { d, c, _ in d.d0Quota(c).map { CauseHit($0) } },
        ruledOut: RuledOutCheck(order: 30) { d, c in d.d0QuotaRuledOut(c) },
        request: { w, x in w.creditDateRequest(w.requestAmount(x)) },
        noDisputeClause: { w, x in w.d0QuotaNoDisputeClause(x) }
    )
}

extension Diagnoser {
    func d0Quota(_ c: Context) -> Finding? {
        let flagged = c.exp.map { $0.has(.d0Quota) || $0.has(.d0OutsideWindow) } ?? false
        let quotaHolds = c.holds.filter { $0.kind == .d0Quota }
        guard flagged || !quotaHolds.isEmpty else { return nil }
        var lines: [BilingualText] = []
        if let exp = c.exp {
            for s in exp.steps where s.kind == .d0 { lines.append(t(s.en, s.zh)) }
        }
        for h in quotaHolds { lines.append(holdLine(h)) }
        if c.txn != nil {
            for p in c.facts where p.isCredited || p.isPending {
                let cl = creditLine(p)
                lines.append(t("the T+1 part: " + cl.en, "转 T+1 部分：" + cl.zh))
            }
        }
        let explained = !c.isLate && c.state != .failed
        let fallback = c.exp?.portions.last { $0.route == .t1Fallback }?.gross
        let amount = fallback ?? quotaHolds.first?.amount
        let next = explained
            ? t("None: the amount over the D+0 quota settles T+1. If same-day money matters, ask the acquirer to raise the D+0 quota.",
                "无需申诉：超出秒到额度的部分按 T+1 结算。如需当日到账，可向收单机构申请提高秒到额度。")
            : t("The T+1 part is late: ask the acquirer for its credit date and a ticket number.",
                "转 T+1 的部分已逾期：请向收单机构询问到账日期并索取工单号。")
        return Finding(code: .d0Quota, evidence: lines, nextStep: next, explained: explained, amount: amount)
    }

    /// "the cycle is T+1: no D+0 quota applies", or "D+0 quota not exceeded".
    func d0QuotaRuledOut(_ c: Context) -> [RuledOut] {
        let cycle = c.exp?.cycle ?? e.merchant?.cycle.flatMap(SettlementPolicy.Cycle.parse) ?? policy.cycle
        if cycle != .d0 {
            return [ruledOut(.d0Quota, "the cycle is \(cycle): no D+0 quota applies", "结算周期为 \(cycle)，不涉及秒到额度")]
        } else if c.exp != nil || !c.facts.isEmpty {
            return [ruledOut(.d0Quota, "D+0 quota not exceeded: no fallback to T+1 and no quota hold", "未超出秒到额度：无转 T+1 记录，亦无额度暂扣")]
        }
        return []
    }
}

extension NoteWriter {
    /// The note's clause when the finding is explained.
    func d0QuotaNoDisputeClause(_ x: Finding) -> String {
        return L("the amount over the D+0 quota settled T+1, as the contract says", "超出秒到额度的部分按合同约定转 T+1 结算")
    }
}
