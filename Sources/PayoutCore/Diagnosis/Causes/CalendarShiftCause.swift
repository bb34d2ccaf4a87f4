import Foundation

/// CALENDAR_SHIFT: weekends and holidays moved the settlement day (the settlement
/// calendar).
enum CalendarShiftCause {
    static let descriptor = CauseDescriptor(
        code: .calendarShift,
        title: BilingualText(en: "Settlement cycle / holiday shift", zh: "清算周期/节假日顺延"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "CALENDAR_SHIFT", zh: "节假日顺延"),
        isExplained: true,
        // A holiday shift ranks before the fee; a shift for weekends only is routine and ranks after it.
        ranks: CauseRanks(problem: 85, explained: 110, routine: 150),
        find: { d, c, _ in d.calendarShift(c).map { CauseHit($0.0, routine: !$0.1) } },
        ruledOut: nil,
        request: { w, x in w.creditDateRequest(w.requestAmount(x)) },
        noDisputeClause: { w, x in w.calendarShiftNoDisputeClause(x) }
    )
}

extension Diagnoser {
    /// The finding, and whether a holiday (not only a weekend) moved the day.
    func calendarShift(_ c: Context) -> (Finding, Bool)? {
        guard let exp = c.exp, exp.has(.calendarShift),
              let portion = exp.portions.last(where: { $0.settlementDay > $0.naiveDay }) else { return nil }
        var lines: [BilingualText] = []
        for s in exp.steps where s.kind == .cycle || s.kind == .makeUpDay || s.kind == .noHolidayData { lines.append(t(s.en, s.zh)) }
        lines.append(t("without weekends and holidays it would have been \(portion.naiveDay.iso); the settlement day is \(portion.settlementDay.iso)",
                       "如不计周末和节假日应为 \(portion.naiveDay.iso)，实际结算日为 \(portion.settlementDay.iso)"))
        lines.append(timingLine(c, portion))
        let n: Int
        switch exp.cycle {
        case .t(let k): n = k
        case .d0: n = 1
        case .d: n = 0
        }
        let holiday = portion.settlementDay != Self.weekdaysOnly(n, after: exp.tradeDate)
        let explained = !c.isLate
        let next = explained
            ? (c.state == .awaitingReport
               ? t("None: the settlement day moved with the weekends and holidays to \(portion.settlementDay.iso).",
                   "无需申诉：结算日因周末/节假日顺延至 \(portion.settlementDay.iso)。")
               : c.settled || !c.received.isZero
               ? t("None: the settlement day moved with the weekends and holidays; the money arrived on the computed day.",
                   "无需申诉：结算日因周末/节假日顺延，款项已按推算日期到账。")
               : t("None yet: wait for \(portion.settlementDay.iso) \(policy.creditWindow).",
                   "暂无需申诉：请等待 \(portion.settlementDay.iso) \(policy.creditWindow) 到账。"))
            : t("Late even counting the holidays: ask the acquirer for the credit date.", "已计入节假日仍逾期：请向收单机构询问到账日期。")
        return (Finding(code: .calendarShift, evidence: lines, nextStep: next, explained: explained), holiday)
    }

    /// The day N weekdays after `d` (T+0: `d` itself when a weekday, else the next Monday).
    static func weekdaysOnly(_ n: Int, after d: LocalDate) -> LocalDate {
        var day = d
        if n == 0 {
            while day.isWeekend { day = day.adding(days: 1) }
            return day
        }
        var left = n
        while left > 0 {
            day = day.adding(days: 1)
            if !day.isWeekend { left -= 1 }
        }
        return day
    }
}

extension NoteWriter {
    /// The note's clause when the finding is explained.
    func calendarShiftNoDisputeClause(_ x: Finding) -> String? {
        if let p = e.expectation?.portions.last(where: { $0.settlementDay > $0.naiveDay }) {
            // Only money that arrived arrived "on that day": a sale still awaiting its
            // report, or not due yet, is only said to have moved.
            guard d.state == .settled else {
                return L("the settlement day moved from \(p.naiveDay.iso) to \(p.settlementDay.iso) with the weekends and holidays",
                         "结算日因周末/节假日由 \(p.naiveDay.iso) 顺延至 \(p.settlementDay.iso)")
            }
            return L("the settlement day moved from \(p.naiveDay.iso) to \(p.settlementDay.iso) with the weekends and holidays, and the money arrived on that day",
                     "结算日因周末/节假日由 \(p.naiveDay.iso) 顺延至 \(p.settlementDay.iso)，款项已于当日到账")
        }
        return nil
    }
}
