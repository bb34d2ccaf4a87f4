import PayoutCore

/// The cash-flow calendar's words, in English and Simplified Chinese.
extension Strings {
    public var calendar: String { t("Cash-flow calendar", "到账日历") }

    /// "October 2026" / "2026年10月".
    public func month(_ year: Int, _ month: Int) -> String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December"]
        return t("\(names[max(0, min(11, month - 1))]) \(year)", "\(year)年\(month)月")
    }

    /// Monday first: "Mon" / "周一".
    public func weekday(_ isoWeekday: Int) -> String {
        let en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let zh = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        let i = max(0, min(6, isoWeekday - 1))
        return t(en[i], zh[i])
    }

    /// The day's mark: a holiday ("休"), a make-up working day ("班"), a weekend; nil for a working day.
    public func dayMark(_ status: DayStatus) -> String? {
        switch status {
        case .working: return nil
        case .weekend: return t("wknd", "周末")
        case .holiday: return t("hol", "休")
        case .makeUpWorkday: return t("work", "班")
        }
    }

    /// The day's kind in full, for the status line.
    public func dayKind(_ status: DayStatus) -> String {
        switch status {
        case .working: return t("working day", "工作日")
        case .weekend: return t("weekend", "周末")
        case .holiday(let label): return t("holiday: ", "节假日：") + label(language)
        case .makeUpWorkday(let label): return t("make-up working day (", "调休上班（") + label(language) + t(")", "）")
        }
    }

    public var calExpected: String { t("expected", "应到") }
    public var calArrived: String { t("arrived", "已到") }
    public var calLate: String { t("late", "延迟") }
    public var calHeld: String { t("held", "暂扣") }
    public var calShort: String { t("short/failed", "短款/失败") }
    public func calPayouts(_ n: Int) -> String { t(n == 1 ? "1 payout" : "\(n) payouts", "\(n)笔结算") }
    public var calNoPayouts: String { t("no payouts due", "无到账结算") }
    public var calLoading: String { t("reading the month…", "正在读取本月…") }

    /// The calendar's legend line.
    public var calLegend: String {
        t("→ expected ✓ arrived ! late ■ held ▼ short/failed  hol holiday  work make-up day",
          "→ 应到  ✓ 已到  ! 延迟  ■ 暂扣  ▼ 短款/失败  休 节假日  班 调休上班")
    }

    /// The day list's title: "Payouts due 10-08 Thu".
    public func dayPayoutsTitle(_ day: String) -> String { t("Payouts due \(day)", "\(day) 到账结算") }
}
