import Foundation

/// CUTOFF_ROLLOVER: the sale was made after the daily cutoff, so it belongs to the
/// next day's batch.
enum CutoffRolloverCause {
    static let descriptor = CauseDescriptor(
        code: .cutoffRollover,
        title: BilingualText(en: "Traded after the daily cutoff", zh: "超过日切时间"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "CUTOFF_ROLLOVER", zh: "过日切"),
        isExplained: true,
        ranks: CauseRanks(problem: 86, explained: 120),
        find: { d, c, _ in d.cutoffRollover(c).map { CauseHit($0) } },
        ruledOut: nil,
        request: { w, x in w.creditDateRequest(w.requestAmount(x)) },
        noDisputeClause: { w, x in w.cutoffRolloverNoDisputeClause(x) }
    )
}

extension Diagnoser {
    func cutoffRollover(_ c: Context) -> Finding? {
        guard let exp = c.exp, exp.has(.cutoffRollover) else { return nil }
        var lines: [BilingualText] = exp.steps.filter { $0.kind == .tradeDate }.map { t($0.en, $0.zh) }
        if !exp.has(.calendarShift), let portion = exp.portions.last { lines.append(timingLine(c, portion)) }
        let explained = !c.isLate
        let cut = policy.cutoff
        let next = explained
            ? t("None: sales at or after the \(cut) cutoff belong to the next day's batch.", "无需申诉：日切时间 \(cut) 之后的交易计入次日批次结算。")
            : t("Late even counting the cutoff: ask the acquirer for the credit date.", "已计入日切顺延仍逾期：请向收单机构询问到账日期。")
        return Finding(code: .cutoffRollover, evidence: lines, nextStep: next, explained: explained)
    }
}

extension NoteWriter {
    /// The note's clause when the finding is explained.
    func cutoffRolloverNoDisputeClause(_ x: Finding) -> String {
        return L("the sale was made after the \(e.policy.cutoff) cutoff and settled with the next day's batch",
                 "交易发生在日切时间 \(e.policy.cutoff) 之后，按次日批次结算")
    }
}
