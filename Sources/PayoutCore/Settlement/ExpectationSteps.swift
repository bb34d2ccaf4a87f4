/// The explanation steps of an expectation, in English and Chinese: the trade date
/// and cutoff, the D+0 routing, the cycle with the days off it skipped and the make-up
/// working days it met, missing holiday data, the credit window, and the fee, reserve
/// and net. The builder (ExpectationBuilder.swift) decides; these only say why.
extension ExpectationBuilder {
    /// A date as "10-08" when in the trade's year, else "2027-01-04".
    func short(_ d: LocalDate) -> String { d.year == local.date.year ? d.monthDay : d.iso }

    /// A local time of an instant as "10-08 20:00" (or with the year when it differs).
    func shortTime(_ i: Instant) -> String {
        let l = LocalDateTime(i, in: policy.timeZone)
        return "\(short(l.date)) \(l.time)"
    }

    // MARK: Trade date

    /// The trade time against the cutoff, and the trade date it gives.
    mutating func addTradeDateStep() {
        guard words else { return }
        let at = local.description
        let cut = policy.cutoff
        if rolledOver {
            steps.append(ExplanationStep(.tradeDate,
                en: "traded \(at), after the \(cut) cutoff: trade date \(short(tradeDate))",
                zh: "交易时间 \(at)，已过日切时间 \(cut)：交易日顺延为 \(short(tradeDate))"))
        } else if cut.minuteOfDay == 0 {
            steps.append(ExplanationStep(.tradeDate,
                en: "traded \(at): trade date \(short(tradeDate)) (no cutoff)",
                zh: "交易时间 \(at)：交易日为 \(short(tradeDate))（无日切）"))
        } else {
            steps.append(ExplanationStep(.tradeDate,
                en: "traded \(at), before the \(cut) cutoff: trade date \(short(tradeDate))",
                zh: "交易时间 \(at)，早于日切时间 \(cut)：交易日为 \(short(tradeDate))"))
        }
    }

    // MARK: D+0 routing

    /// A refund or reversal under a D+0 policy: it nets into T+1.
    mutating func addD0SalesOnlyStep() {
        guard words else { return }
        steps.append(ExplanationStep(.d0,
            en: "D+0 pays out sales only: \(gross.formatted()) nets into T+1",
            zh: "秒到仅适用于消费：\(gross.formatted()) 计入 T+1"))
    }

    /// A sale outside the D+0 window: all of it falls back to T+1.
    mutating func addD0OutsideWindowStep() {
        guard words else { return }
        let t = local.time
        let window = policy.d0Window
        steps.append(ExplanationStep(.d0,
            en: "D+0: traded \(t), outside the \(window) window: all \(gross.formatted()) falls back to T+1",
            zh: "秒到：\(t) 不在 \(window) 秒到时段内：\(gross.formatted()) 全部转 T+1"))
    }

    /// A sale inside the D+0 window: `d0` settles the same day, and `rest` (when the
    /// quota ran out) falls back to T+1.
    mutating func addD0QuotaStep(usedToday d0UsedToday: Money, d0: Money, rest: Money) {
        guard words else { return }
        let t = local.time
        let window = policy.d0Window
        let quota = policy.d0DailyQuota
        let day = short(local.date)
        if rest.isZero {
            steps.append(ExplanationStep(.d0,
                en: "D+0: traded \(t) inside the \(window) window, quota \(quota.formatted()) with \(d0UsedToday.formatted()) used today: \(d0.formatted()) settles the same day \(day)",
                zh: "秒到：\(t) 在 \(window) 秒到时段内，当日额度 \(quota.formatted())、已用 \(d0UsedToday.formatted())：\(d0.formatted()) 当日 \(day) 到账"))
        } else {
            steps.append(ExplanationStep(.d0,
                en: "D+0 quota \(quota.formatted()) with \(d0UsedToday.formatted()) used today: \(d0.formatted()) settles D+0 on \(day), \(rest.formatted()) falls back to T+1",
                zh: "秒到额度 \(quota.formatted())，当日已用 \(d0UsedToday.formatted())：\(d0.formatted()) 当日 \(day) 到账，超出的 \(rest.formatted()) 转 T+1"))
        }
    }

    // MARK: The cycle

    /// D+N: calendar days, weekends and holidays included.
    mutating func addCalendarDayStep(_ n: Int, _ day: LocalDate) {
        guard words else { return }
        steps.append(ExplanationStep(.cycle,
            en: "D+\(n) -> calendar day \(short(day)) (weekends and holidays count)",
            zh: "D+\(n) -> 自然日 \(short(day))（周末、节假日照常计算）"))
    }

    /// T+N: the working day reached, with the days off skipped on the way.
    mutating func addWorkingDayStep(_ n: Int, _ day: LocalDate) {
        guard words else { return }
        let runs = nonWorkingRuns(from: tradeDate, before: day)
        let enRuns = runs.isEmpty ? "" : " (" + runs.map { "\($0.en) \(range($0.from, $0.to))" }.joined(separator: ", ") + ")"
        let zhRuns = runs.isEmpty ? "" : "（" + runs.map { "\($0.zh) \(range($0.from, $0.to))" }.joined(separator: "、") + "）"
        let en: String
        let zh: String
        switch n {
        case 0:
            en = day == tradeDate ? "T+0 -> the trade date \(short(day)), a working day" : "T+0 -> first working day \(short(day))"
            zh = day == tradeDate ? "T+0 -> 交易日当天 \(short(day))（工作日）" : "T+0 -> 首个工作日 \(short(day))"
        case 1:
            en = "T+1 -> next working day \(short(day))"
            zh = "T+1 -> 下一个工作日 \(short(day))"
        default:
            en = "T+\(n) -> working day \(n) after the trade date: \(short(day))"
            zh = "T+\(n) -> 交易日后第 \(n) 个工作日 \(short(day))"
        }
        steps.append(ExplanationStep(.cycle, en: en + enRuns, zh: zh + zhRuns))
    }

    /// A day, or a span of days, as short dates: "10-01" or "10-01..10-07".
    func range(_ a: LocalDate, _ b: LocalDate) -> String { a == b ? short(a) : "\(short(a))..\(short(b))" }

    /// A run of consecutive days off with one reason.
    struct Run { var en: String; var zh: String; var from: LocalDate; var to: LocalDate }

    /// The days off in [from, before), grouped into runs of one reason each.
    func nonWorkingRuns(from: LocalDate, before: LocalDate) -> [Run] {
        var runs: [Run] = []
        var d = from
        while d < before {
            let status = calendar.status(of: d)
            let names: (String, String)?
            switch status {
            case .holiday(let label): names = (label.en, label.zh)
            case .weekend: names = ("weekend", "周末")
            case .working, .makeUpWorkday: names = nil
            }
            if let (en, zh) = names {
                if let last = runs.last, last.en == en, last.to.adding(days: 1) == d {
                    runs[runs.count - 1].to = d
                } else {
                    runs.append(Run(en: en, zh: zh, from: d, to: d))
                }
            }
            d = d.adding(days: 1)
        }
        return runs
    }

    /// One step per make-up working day in (trade date, day].
    mutating func addMakeUpSteps(through day: LocalDate) {
        guard words else { return }
        var d = tradeDate.adding(days: 1)
        while d <= day {
            if case .makeUpWorkday(let label) = calendar.status(of: d) {
                steps.append(ExplanationStep(.makeUpDay,
                    en: "\(short(d)) is a make-up working day (\(label.en))",
                    zh: "\(short(d)) 为调休工作日（\(label.zh)）"))
            }
            d = d.adding(days: 1)
        }
    }

    /// One step per year the calculation touched that the calendar has no holiday data for.
    mutating func addNoDataSteps() {
        guard words else { return }
        for y in missingYears.sorted() {
            steps.append(ExplanationStep(.noHolidayData,
                en: "no holiday data for \(y): assuming weekends and the fixed-date holidays (1 Jan, 1 May, 1-3 Oct) only",
                zh: "无 \(y) 年节假日数据：仅按周末及固定日期节日（1月1日、5月1日、10月1日至3日）推算"))
        }
    }

    // MARK: Credit window

    /// When a portion's money is expected, due and late.
    mutating func addCreditStep(_ route: SettlementPortion.Route, _ t: Timing) {
        guard words else { return }
        let grace = policy.graceMinutes
        if route == .d0 {
            steps.append(ExplanationStep(.creditWindow,
                en: "D+0 credit expected right away, due by \(shortTime(t.due)); late after \(shortTime(t.late)) (grace \(grace) min)",
                zh: "秒到资金应即时到账，最晚 \(shortTime(t.due))；超过 \(shortTime(t.late)) 视为延迟（宽限 \(grace) 分钟）"))
        } else {
            let w = policy.creditWindow
            steps.append(ExplanationStep(.creditWindow,
                en: "credit window \(w) on \(short(t.day)); late after \(shortTime(t.late)) (grace \(grace) min)",
                zh: "入账时段 \(short(t.day)) \(w)；超过 \(shortTime(t.late)) 视为延迟（宽限 \(grace) 分钟）"))
        }
    }

    // MARK: Money

    /// The fee (rate, cap, fixed part, D+0 surcharge), the reserve and the net.
    mutating func addMoneySteps(fee: FeeBreakdown, reserve: Money, net: Money) {
        guard words else { return }
        let g = gross.formatted()
        if gross.minor <= 0 {
            steps.append(ExplanationStep(.fee,
                en: "no fee on a refund or reversal (\(g))",
                zh: "退款/冲正不计手续费（\(g)）"))
        } else {
            var en = "fee \(cardKind.rawValue) \(percent(fee.ratePPM)) of \(g) = \(fee.ratePart.formatted())"
            var zh = "手续费 \(cardKind.zhName) \(percent(fee.ratePPM)) × \(g) = \(fee.ratePart.formatted())"
            if let cap = fee.appliedCap {
                en += ", capped at \(cap.formatted())"
                zh += "，封顶 \(cap.formatted())"
            }
            if !fee.fixed.isZero {
                en += ", plus fixed \(fee.fixed.formatted())"
                zh += "，另加固定 \(fee.fixed.formatted())"
            }
            steps.append(ExplanationStep(.fee, en: en, zh: zh))
        }
        if !fee.d0Surcharge.isZero {
            let part = (fee.d0Surcharge, percent(fee.d0SurchargePPM))
            steps.append(ExplanationStep(.fee,
                en: "D+0 surcharge \(part.1) of the D+0 part = \(part.0.formatted())",
                zh: "秒到加收 \(part.1)（按秒到部分）= \(part.0.formatted())"))
        }
        if !reserve.isZero {
            steps.append(ExplanationStep(.reserve,
                en: "reserve \(percent(policy.reservePPM)) held back: \(reserve.formatted())",
                zh: "保证金留存 \(percent(policy.reservePPM))：\(reserve.formatted())"))
        }
        let r = reserve.isZero ? ("", "") : (" - reserve \(reserve.formatted())", " - 保证金 \(reserve.formatted())")
        steps.append(ExplanationStep(.net,
            en: "expected net \(g) - fee \(fee.total.formatted())\(r.0) = \(net.formatted())",
            zh: "预计净额 \(g) - 手续费 \(fee.total.formatted())\(r.1) = \(net.formatted())"))
    }
}

extension CardKind {
    /// The card kind's Chinese name in explanations.
    public var zhName: String {
        switch self {
        case .debit: return "借记卡"
        case .credit: return "贷记卡"
        case .qr: return "扫码"
        case .other: return "其他"
        }
    }
}

/// A rate in parts per million as a percent with 2 to 4 decimals: 6000 -> "0.60%".
func percent(_ ppm: Int64) -> String { SettlementPolicy.percentText(ppm: ppm) }

extension SettlementPolicy {
    /// A rate in parts per million as a percent with 2 to 4 decimals: 6000 -> "0.60%".
    public static func percentText(ppm: Int64) -> String {
        let sign = ppm < 0 ? "-" : ""
        let m = ppm.magnitude
        var frac = String(m % 10_000)
        frac = String(repeating: "0", count: 4 - frac.count) + frac
        while frac.count > 2 && frac.hasSuffix("0") { frac.removeLast() }
        return "\(sign)\(m / 10_000).\(frac)%"
    }
}
