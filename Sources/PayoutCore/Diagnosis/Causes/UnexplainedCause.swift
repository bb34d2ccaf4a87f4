import Foundation

/// UNEXPLAINED: money is missing, late or held and nothing in the reports explains
/// it, or a payout's lines do not add up: a dispute is recommended. Its rule runs last,
/// as it asks whether another cause found a problem.
enum UnexplainedCause {
    static let descriptor = CauseDescriptor(
        code: .unexplained,
        title: BilingualText(en: "Unexplained: dispute recommended", zh: "原因不明，建议申诉"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "UNEXPLAINED", zh: "原因不明"),
        isExplained: false,
        ranks: CauseRanks(problem: 80),
        find: { d, c, found in
            try d.unexplained(c, otherProblem: found.contains { !$0.finding.explained }).map { CauseHit($0) }
        },
        ruledOut: nil,
        request: { w, x in w.unexplainedRequest(x) },
        noDisputeClause: nil
    )
}

extension Diagnoser {
    func unexplained(_ c: Context, otherProblem: Bool) throws -> Finding? {
        var lines: [BilingualText] = []
        var amount = c.zero
        var gapRef: String?
        for p in c.facts where p.check.unexplainedGap.minor > 0 {
            let comp = try composition(p)
            let day = p.payout.creditedAt.map(f.date) ?? p.payout.cycleDate.iso
            let gap = f.m(p.check.unexplainedGap)
            let total = p.items.isEmpty ? f.m(p.payout.expectedAmount) : f.m(p.linesTotal)
            let (sumEN, sumZH) = p.items.isEmpty ? ("it was due \(total)", "应结 \(total)") : ("its lines sum to \(total) (\(comp.en))", "明细合计 \(total)（\(comp.zh)）")
            lines.append(t("payout \(p.ref) credited \(f.m(p.paid)) on \(day); \(sumEN): \(gap) is missing with no hold, fee, refund or reserve line to account for it",
                           "结算单 \(p.ref) 于 \(day) 到账 \(f.m(p.paid))，\(sumZH)：差额 \(gap) 无任何暂扣、手续费、退款或保证金明细可解释"))
            if let s = c.shareOfGap[p.ref], c.txn != nil {
                let mine = try s.negated()
                if !mine.isZero {
                    lines.append(t("this transaction's share of it, by gross: \(f.m(mine))", "按交易金额分摊，本笔承担 \(f.m(mine))"))
                }
                amount = try amount.adding(mine)
            } else {
                amount = try amount.adding(p.check.unexplainedGap)
            }
            gapRef = gapRef ?? p.ref
        }
        for p in c.facts where p.check.balances == false {
            let diff = try p.check.settlementTotal.subtracting(p.payout.expectedAmount)
            lines.append(t("payout \(p.ref): its lines other than holds and carry-overs sum to \(f.m(p.check.settlementTotal)), not its expected amount \(f.m(p.payout.expectedAmount)) (a difference of \(f.signed(diff)))",
                           "结算单 \(p.ref)：除暂扣及顺延外的明细合计 \(f.m(p.check.settlementTotal))，与应结金额 \(f.m(p.payout.expectedAmount)) 不符（相差 \(f.signed(diff))）"))
            gapRef = gapRef ?? p.ref
        }
        if let covered = coveredButNotCarried(c) {
            lines.append(covered)
            amount = c.expected
        }
        if lines.isEmpty && !otherProblem && [.short, .late, .held, .failed].contains(c.state) {
            switch c.state {
            case .late where c.facts.isEmpty:
                let rrn = c.txn?.rrn ?? c.subjectRef
                if let exp = c.exp {
                    lines.append(t("no payout in the reports carries RRN \(rrn); it was due by \(f.dateTime(exp.dueBy)) and is late since \(f.dateTime(exp.lateAfter))",
                                   "对账文件中没有包含参考号 \(rrn) 的结算单；应于 \(f.dateTime(exp.dueBy)) 前到账，自 \(f.dateTime(exp.lateAfter)) 起已逾期"))
                } else {
                    lines.append(t("no payout in the reports carries RRN \(rrn)", "对账文件中没有包含参考号 \(rrn) 的结算单"))
                }
            case .late:
                let due = c.exp?.dueBy ?? c.facts[0].dueBy
                lines.append(t("due by \(f.dateTime(due)); not credited by \(f.dateTime(now))", "应于 \(f.dateTime(due)) 前到账；截至 \(f.dateTime(now)) 仍未到账"))
                for p in c.facts where !p.isCredited { lines.append(creditLine(p)) }
            case .held:
                for p in c.facts where p.payout.status == .held {
                    lines.append(t("payout \(p.ref) is held with no hold, account notice or reason in the reports",
                                   "结算单 \(p.ref) 暂停出款，对账文件中无暂扣记录、账户通知或原因说明"))
                }
                if lines.isEmpty {
                    lines.append(t("money is withheld with no reason in the reports", "款项被暂扣，对账文件中无原因说明"))
                }
            default:
                lines.append(t("received \(f.m(c.received)) of \(f.m(c.expected)): the reports show no reason for the \(f.m(c.shortBy)) difference",
                               "实收 \(f.m(c.received))，应收 \(f.m(c.expected))：对账文件中无法解释差额 \(f.m(c.shortBy))"))
            }
            amount = c.shortBy
            gapRef = c.facts.first?.ref
        }
        guard !lines.isEmpty else { return nil }
        let next: BilingualText
        if let ref = gapRef {
            let amt = amount.isZero ? "" : " \(f.m(amount))"
            let account = accountMasked.map { "结算账户 \($0)" } ?? "我店结算账户"
            next = t("Dispute: ask the acquirer for an itemised statement of payout \(ref) that accounts for the\(amt.isEmpty ? " difference" : amt), its reason code, the date it will be paid, and a ticket number.",
                     "申诉：请收单机构按差错处理核查结算单 \(ref)，提供逐笔明细并说明差额\(amt)的原因代码；如属差错，请将\(amt.isEmpty ? "差额" : "差额\(amt) ")补付至\(account)（调账补付），并告知补付日期及工单号。")
        } else {
            let rrn = c.txn?.rrn ?? c.subjectRef
            next = t("Ask the acquirer which payout carries RRN \(rrn) and when it will be credited, and for a ticket number.",
                     "请询问收单机构参考号 \(rrn) 所在的结算单及到账时间，并索取工单号。")
        }
        return Finding(code: .unexplained, evidence: lines, nextStep: next, explained: false, amount: amount.isZero ? nil : amount)
    }
}

extension NoteWriter {
    /// The note's request when the finding is not explained.
    func unexplainedRequest(_ x: Finding) -> String {
        let amount = requestAmount(x)
        if let ref = d.checks.first(where: { $0.unexplainedGap.minor > 0 || $0.balances == false })?.ref ?? firstRef {
            let account = e.merchant.map { "结算账户 \($0.bankAccountMasked)" } ?? "我店结算账户"
            return L("Send us an itemised statement of payout \(ref) that accounts for the \(amount), with its reason code and the date it will be paid, and a ticket number for this enquiry.",
                     "请按差错处理流程核查结算单 \(ref)：提供逐笔明细，说明差额 \(amount)的原因代码；如属差错，请将差额 \(amount)补付至\(account)（调账补付），告知补付日期，并提供本次查询的工单号。")
        } else {
            return L("Tell us which payout carries \(subjectText), when it will be credited, and a ticket number for this enquiry.",
                     "请告知\(subjectText)所在的结算单及到账时间，并提供本次查询的工单号。")
        }
    }
}
