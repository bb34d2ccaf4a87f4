import Foundation

/// ACQUIRER_BACKLOG: a payout is still scheduled or processing past its window, or
/// many payouts of the day are late at once: the acquirer's side is behind.
enum AcquirerBacklogCause {
    static let descriptor = CauseDescriptor(
        code: .acquirerBacklog,
        title: BilingualText(en: "Acquirer processing delay", zh: "收单系统处理延迟/维护"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "ACQUIRER_BACKLOG", zh: "收单延迟"),
        isExplained: false,
        ranks: CauseRanks(problem: 60),
        find: { d, c, _ in d.acquirerBacklog(c).map { CauseHit($0) } },
        ruledOut: nil,
        request: { w, x in w.acquirerBacklogRequest(x) },
        noDisputeClause: nil
    )
}

extension Diagnoser {
    func acquirerBacklog(_ c: Context) -> Finding? {
        guard !c.settled else { return nil }
        let stuck = c.facts.filter { ($0.payout.status == .scheduled || $0.payout.status == .processing) && now > $0.lateAfter }
        let many = e.otherLatePayoutsSameDay >= 2 && c.isLate
        guard !stuck.isEmpty || many else { return nil }
        var lines: [BilingualText] = []
        let grace = policy.graceMinutes
        for p in stuck {
            lines.append(t("payout \(p.ref) \(f.m(p.payout.expectedAmount)) still \(p.payout.status.wordEN) at \(f.dateTime(now)): due by \(f.dateTime(p.dueBy)), late since \(f.dateTime(p.lateAfter)) (grace \(grace) min)",
                           "结算单 \(p.ref) \(f.m(p.payout.expectedAmount)) 截至 \(f.dateTime(now)) 仍为\(p.payout.status.wordZH)：应于 \(f.dateTime(p.dueBy)) 前到账，自 \(f.dateTime(p.lateAfter)) 起逾期（宽限 \(grace) 分钟）"))
            // Late by the contract while the acquirer's own date is later: name the difference.
            if p.acquirerLateAfter > p.lateAfter { lines += dueBasisLines(p) }
        }
        if e.otherLatePayoutsSameDay >= 2 {
            lines.append(t("\(e.otherLatePayoutsSameDay) other payouts due the same day are also unpaid past their window",
                           "同日另有 \(e.otherLatePayoutsSameDay) 笔结算单同样逾期未到账"))
        }
        let ref = stuck.first?.ref ?? c.facts.first?.ref
        let status = stuck.first?.payout.status
        let next = t("Ask the acquirer why \(ref.map { "payout \($0)" } ?? "the payout") is still \(status?.wordEN ?? "unpaid"), whether a system delay or maintenance is under way, and for a firm credit date and a ticket number.",
                     "请询问收单机构\(ref.map { "结算单 \($0) " } ?? "结算款")仍\(status?.wordZH ?? "未出款")的原因、是否存在系统延迟或维护，并要求给出明确的到账日期及工单号。")
        return Finding(code: .acquirerBacklog, evidence: lines, nextStep: next, explained: false, amount: c.shortBy.isZero ? nil : c.shortBy)
    }
}

extension NoteWriter {
    /// The note's request when the finding is not explained.
    func acquirerBacklogRequest(_ x: Finding) -> String {
        let p = d.shares.first { $0.status == .processing || $0.status == .scheduled }
        return L("Tell us why payout \(p?.ref ?? firstRef ?? "—") is still \(p?.status.wordEN ?? "unpaid"), give a firm credit date, and a ticket number for this enquiry.",
                 "请说明结算单 \(p?.ref ?? firstRef ?? "—") 仍处于\(p?.status.wordZH ?? "未出款")状态的原因，给出明确的到账日期，并提供本次查询的工单号。")
    }
}
