import Foundation

/// ARRIVED_LATE: money that reached the account after its late time. The money is in
/// (the state may be settled), but the delay stays a finding for good: a payout paid two
/// days late is not "on time" once it arrives. The late time is the contract's (the
/// config's cycle, credit window and grace applied to the trade dates of the sales the
/// payout carries) unless the acquirer's own date is earlier; with no sale known, the
/// acquirer's cycle date is the only evidence and is used.
enum ArrivedLateCause {
    static let descriptor = CauseDescriptor(
        code: .arrivedLate,
        title: BilingualText(en: "Paid after its due time", zh: "逾期到账"),
        label: BilingualText(en: "ARRIVED_LATE", zh: "逾期到账"),
        isExplained: false,
        ranks: CauseRanks(problem: 87),
        find: { d, c, found in d.arrivedLate(c, found: found).map { CauseHit($0) } },
        ruledOut: nil,
        request: { w, x in w.arrivedLateRequest(x) },
        noDisputeClause: nil
    )
}

extension Diagnoser {
    /// How a payout's due time was judged: the contract's and the acquirer's, and which counts.
    func dueBasisLines(_ p: PayoutFacts) -> [BilingualText] {
        let grace = policy.graceMinutes
        guard let c = p.contract else {
            return [t("no sale of payout \(p.ref) is in the reports: its cycle date \(p.payout.cycleDate.iso) is the only evidence of when it was due (due by \(f.dateTime(p.dueBy)), late after \(f.dateTime(p.lateAfter)), grace \(grace) min)",
                      "对账文件中无结算单 \(p.ref) 所含交易：只能以其结算日 \(p.payout.cycleDate.iso) 判断应到账时间（应于 \(f.dateTime(p.dueBy)) 前到账，\(f.dateTime(p.lateAfter)) 后算逾期，宽限 \(grace) 分钟）")]
        }
        var lines = [t("under the contract (\(policy.cycle.description), credit window \(policy.creditWindow), grace \(grace) min) the \(c.sales) sale(s) it carries were due by \(f.dateTime(c.dueBy)), late after \(f.dateTime(c.lateAfter))",
                       "按合同约定（\(policy.cycle.description)，入账时段 \(policy.creditWindow)，宽限 \(grace) 分钟），其所含 \(c.sales) 笔交易应于 \(f.dateTime(c.dueBy)) 前到账，\(f.dateTime(c.lateAfter)) 后算逾期")]
        if p.acquirerLateAfter != c.lateAfter {
            let later = p.acquirerLateAfter > c.lateAfter
            let days = abs(LocalDateTime(p.acquirerDueBy, in: policy.timeZone).date.dayNumber - LocalDateTime(c.dueBy, in: policy.timeZone).date.dayNumber)
            let en = later ? "\(days) day(s) after the contract's: the contract's date is used" : "earlier than the contract's: the acquirer's own date is used"
            let zh = later ? "比合同约定晚 \(days) 天：按合同约定判断" : "早于合同约定：按收单机构自己的日期判断"
            lines.append(t("the acquirer's own cycle date is \(p.payout.cycleDate.iso) (due by \(f.dateTime(p.acquirerDueBy))), \(en)",
                           "收单机构自己的结算日为 \(p.payout.cycleDate.iso)（应于 \(f.dateTime(p.acquirerDueBy)) 前到账），\(zh)"))
        }
        return lines
    }

    func arrivedLate(_ c: Context, found: [RankedFinding]) -> Finding? {
        let late = c.facts.filter { $0.arrivedLateBy != nil }
        guard let worst = late.max(by: { ($0.arrivedLateBy ?? 0) < ($1.arrivedLateBy ?? 0) }), let by = worst.arrivedLateBy else { return nil }
        var lines: [BilingualText] = []
        for p in late {
            guard let at = p.creditedAt, let s = p.arrivedLateBy else { continue }
            lines.append(t("payout \(p.ref) credited \(f.m(p.paid)) on \(f.dateTime(at)): arrived late by \(delayText(seconds: s, chinese: false)) (late after \(f.dateTime(p.lateAfter)))",
                           "结算单 \(p.ref) 于 \(f.dateTime(at)) 到账 \(f.m(p.paid))：逾期 \(delayText(seconds: s, chinese: true))（逾期时点 \(f.dateTime(p.lateAfter))）"))
            lines += dueBasisLines(p)
            let returns = p.history.filter { $0.status == .returned || $0.status == .failed }
            for r in returns {
                lines.append(t("the reports first gave it \(r.status.wordEN)\(r.failureCode.map { " (\(SafeText.visible(f.safe($0))))" } ?? "") (\(SafeText.visible(f.safe(r.sourcePath))):\(r.line), read \(f.dateTime(r.seenAt)))",
                               "对账文件曾记为\(r.status.wordZH)\(r.failureCode.map { "（\(SafeText.visible(f.safe($0)))）" } ?? "")（\(SafeText.visible(f.safe(r.sourcePath))):\(r.line)，读入于 \(f.dateTime(r.seenAt))）"))
            }
        }
        // A payout the bank returned whose money came later in another payout: say so.
        if c.settled {
            for p in c.facts where p.isFailed {
                let by = late.map(\.ref).joined(separator: ", ")
                lines.append(t("payout \(p.ref) was \(p.payout.status.wordEN)\(p.payout.failureCode.map { " (\(SafeText.visible(f.safe($0))))" } ?? ""); its money came in payout \(by)",
                               "结算单 \(p.ref) 曾\(p.payout.status.wordZH)\(p.payout.failureCode.map { "（\(SafeText.visible(f.safe($0)))）" } ?? "")；款项已由结算单 \(by) 到账"))
            }
        }
        let d = delayText(seconds: by, chinese: false), dz = delayText(seconds: by, chinese: true)
        let next = t("The money is in, \(d) late. Ask the acquirer why payout \(worst.ref) was late and whether the contract provides compensation; keep this record.",
                     "款项已到账，但逾期 \(dz)。请向收单机构询问结算单 \(worst.ref) 逾期的原因及合同是否约定赔付，并留存本记录。")
        return Finding(code: .arrivedLate, evidence: lines, nextStep: next, explained: false)
    }
}

extension NoteWriter {
    /// The note's request for a late arrival.
    func arrivedLateRequest(_ x: Finding) -> String {
        let late = d.shares.filter { s in s.isCredited && (s.creditedAt.map { at in at > s.lateAfter } ?? false) }
        let refs = late.map { s -> String in
            let by = s.creditedAt.map { delayText(seconds: $0.seconds(since: s.lateAfter), chinese: zh) } ?? "—"
            return L("\(s.ref) (late by \(by))", "\(s.ref)（逾期 \(by)）")
        }
        let list = refs.isEmpty ? (firstRef ?? "—") : refs.joined(separator: L(", ", "，"))
        return L("Explain why payout \(list) reached our account after its due time, and tell us what the contract provides for late settlement.",
                 "请说明结算单 \(list) 逾期到账的原因，并告知合同对延迟结算的约定。")
    }
}
