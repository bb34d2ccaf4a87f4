/// How long something took or is overdue, in its two largest units: "45s", "3m",
/// "2h 5m", "3d 4h" / "45秒", "3分", "2小时5分", "3天4小时". The one duration wording of
/// the screens, the diagnosis and `status`. Negative durations are shown as their
/// magnitude.
public enum DurationText {
    /// `wholeMinutes`: under a minute reads "1m" (a delay is never "0s" or "30s").
    public static func text(seconds raw: Int64, language: Language, wholeMinutes: Bool = false) -> String {
        let s = raw.magnitude
        let en = language == .en
        let (d, h, m) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60)
        func unit(_ n: UInt64, _ e: String, _ z: String) -> String { en ? "\(n)\(e)" : "\(n)\(z)" }
        let gap = en ? " " : ""
        if d > 0 { return h > 0 ? unit(d, "d", "天") + gap + unit(h, "h", "小时") : unit(d, "d", "天") }
        if h > 0 { return m > 0 ? unit(h, "h", "小时") + gap + unit(m, "m", "分") : unit(h, "h", "小时") }
        if wholeMinutes { return unit(max(m, 1), "m", "分") }
        if m > 0 { return unit(m, "m", "分") }
        return unit(s, "s", "秒")
    }
}
