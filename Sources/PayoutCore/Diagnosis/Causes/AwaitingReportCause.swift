import Foundation

/// AWAITING_REPORT: no payout carries the sale and no imported settlement report
/// covers the day it settles on, so the reports cannot say yet whether it was paid.
/// Explained: nothing to dispute until a report covering the day is imported. The
/// transaction's state is `awaitingReport`, never late.
enum AwaitingReportCause {
    static let descriptor = CauseDescriptor(
        code: .awaitingReport,
        title: BilingualText(en: "Awaiting the settlement report", zh: "待导入结算对账单"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "AWAITING_REPORT", zh: "待对账单"),
        isExplained: true,
        ranks: CauseRanks(explained: 95),
        find: { d, c, _ in d.awaitingReport(c).map { CauseHit($0) } },
        ruledOut: nil,
        request: { w, x in w.creditDateRequest(w.requestAmount(x)) },
        noDisputeClause: { w, x in w.awaitingReportNoDisputeClause(x) }
    )
}

extension Diagnoser {
    func awaitingReport(_ c: Context) -> Finding? {
        guard c.state == .awaitingReport, let exp = c.exp else { return nil }
        let days = uncoveredDays(exp)
        let mid = c.txn?.merchantId ?? ""
        let rrn = c.txn?.rrn ?? c.subjectRef
        if !policy.contractApplies {
            let cur = c.expected.currency.code
            let lines = [
                t("the config's contract (cycle, fees) is for another currency, not \(cur): payouts of \(cur) money follow the acquirer's own schedule",
                  "配置中的结算合同（周期、费率）不适用于 \(cur) 款项：其结算按收单机构自己的安排进行"),
                t("no payout in the reports carries RRN \(rrn) yet (the report lists it as balance not yet paid out)",
                  "对账文件中暂无包含参考号 \(rrn) 的结算单（对账单列为尚未出款的余额）"),
            ]
            let next = t("None yet: import the acquirer's next payout report; it says which payout carries this.",
                         "暂无需申诉：请导入收单机构下一份结算对账单，其中会列明该笔款项所在的结算单。")
            return Finding(code: .awaitingReport, evidence: lines, nextStep: next, explained: true, amount: c.expected)
        }
        let dayList = days.map(\.iso).joined(separator: ", ")
        var lines: [BilingualText] = []
        lines.append(t("expected on \(dayList); no settlement report imported for MID \(mid) covers that day",
                       "预计 \(dayList) 结算；已导入的对账单均未覆盖商户号 \(mid) 的该日"))
        lines.append(reportsThroughLine(mid))
        lines.append(t("no payout in the reports carries RRN \(c.txn?.rrn ?? c.subjectRef) yet: the reports cannot say whether it was paid",
                       "对账文件中暂无包含参考号 \(c.txn?.rrn ?? c.subjectRef) 的结算单：尚无法判断是否已结算"))
        let next = t("None yet: import the acquirer's settlement report for \(dayList) when it is issued.",
                     "暂无需申诉：收单机构出具 \(dayList) 的结算对账单后请导入。")
        return Finding(code: .awaitingReport, evidence: lines, nextStep: next, explained: true, amount: c.expected)
    }

    /// "settlement reports for this shop run through 2026-11-30" (or none yet).
    func reportsThroughLine(_ mid: String) -> BilingualText {
        if let through = e.coverage?.through {
            return t("the settlement reports imported for MID \(mid) run through \(through.iso)",
                     "已导入的商户号 \(mid) 结算对账单截至 \(through.iso)")
        }
        return t("no settlement report has been imported for MID \(mid)", "尚未导入商户号 \(mid) 的任何结算对账单")
    }

    /// The settlement days of the expectation no imported report covers (none when the
    /// coverage is unknown).
    func uncoveredDays(_ exp: SettlementExpectation) -> [LocalDate] {
        guard let coverage = e.coverage else { return [] }
        var out: [LocalDate] = []
        for p in exp.portions where !coverage.covers(p.settlementDay) && !out.contains(p.settlementDay) { out.append(p.settlementDay) }
        return out
    }

    /// The state of a sale no payout in its currency carries: a payout in another
    /// currency decides it (`otherCurrency` once credited); else, when no imported
    /// report covers its settlement day, it awaits the report; else pending until its
    /// late time.
    func noPayoutState(_ exp: SettlementExpectation?, foreign: [PayoutFacts]) -> MoneyState {
        if !foreign.isEmpty {
            if foreign.contains(where: \.isCredited) { return .otherCurrency }
            if foreign.contains(where: \.isFailed) && !foreign.contains(where: \.isPending) { return .failed }
            if foreign.contains(where: { $0.payout.status == .held }) { return .held }
            return foreign.contains { $0.isPending && now > $0.lateAfter } ? .late : .pending
        }
        guard let exp else { return .pending }
        // No contract for this money: nothing says which day it is due, so it waits for
        // the report that puts it in a payout.
        if !policy.contractApplies { return .awaitingReport }
        if !uncoveredDays(exp).isEmpty { return .awaitingReport }
        return now > exp.lateAfter ? .late : .pending
    }

    /// The payouts of the evidence in another currency than `currency`.
    func foreignPayouts(_ currency: Currency) throws -> [PayoutFacts] {
        try e.payouts.filter { $0.payout.expectedAmount.currency != currency }
            .map { try PayoutFacts($0, policy: policy, holds: e.holds, now: now) }
    }

    /// For a late sale no payout carries whose settlement day the reports cover:
    /// "reports through DATE cover DAY; none carries this RRN". Not before it is late: an
    /// acquirer may still issue another payout for the day (a second batch, a file
    /// issued before the day's trading closed), so a sale not yet due has no cause.
    func coveredButNotCarried(_ c: Context) -> BilingualText? {
        guard let txn = c.txn, c.facts.isEmpty, let exp = c.exp, let coverage = e.coverage,
              c.state == .late, txn.amount.minor > 0,
              !e.payouts.contains(where: { $0.payout.expectedAmount.currency != txn.amount.currency }),
              uncoveredDays(exp).isEmpty else { return nil }
        let days = exp.portions.map(\.settlementDay.iso)
        let through = coverage.through?.iso ?? days.last ?? ""
        return t("settlement reports through \(through) cover \(days.joined(separator: ", ")); none carries RRN \(txn.rrn)",
                 "截至 \(through) 的结算对账单已覆盖 \(days.joined(separator: "、"))，其中没有包含参考号 \(txn.rrn) 的结算单")
    }
}

extension NoteWriter {
    /// The note's clause when the finding is explained.
    func awaitingReportNoDisputeClause(_ x: Finding) -> String? {
        L("no settlement report covering the day the money settles on has been imported yet, so there is nothing to dispute until it is",
          "尚未导入覆盖该结算日的对账单，导入之前无可申诉事项")
    }
}
