import Foundation
import PayoutCore

/// Small, exact formatters for times, durations, amounts and identifiers on screen.
enum Format {
    /// "14:20:11" in `zone`.
    static func clock(_ instant: Instant, in zone: TimeZone) -> String {
        let local = LocalDateTime(instant, in: zone)
        return hms(local.secondOfDay)
    }

    /// "10-12 14:20" in `zone`; with the year ("2025-10-12 14:20") when it differs from `reference`'s.
    static func dayTime(_ instant: Instant, in zone: TimeZone, reference: Instant? = nil) -> String {
        let local = LocalDateTime(instant, in: zone)
        return "\(day(local.date, in: zone, reference: reference)) \(hm(local.secondOfDay))"
    }

    /// "10-12 14:20:11" in `zone` (year added as for `dayTime`).
    static func dayTimeSeconds(_ instant: Instant, in zone: TimeZone, reference: Instant? = nil) -> String {
        let local = LocalDateTime(instant, in: zone)
        return "\(day(local.date, in: zone, reference: reference)) \(hms(local.secondOfDay))"
    }

    /// "10-12", or "2025-10-12" when the year differs from `reference`'s.
    static func day(_ date: LocalDate, in zone: TimeZone, reference: Instant?) -> String {
        if let reference, LocalDateTime(reference, in: zone).date.year != date.year { return date.iso }
        return date.monthDay
    }

    /// "14:20".
    static func hm(_ secondOfDay: Int) -> String {
        two(secondOfDay / 3600) + ":" + two((secondOfDay / 60) % 60)
    }

    /// "14:20:11".
    static func hms(_ secondOfDay: Int) -> String {
        hm(secondOfDay) + ":" + two(secondOfDay % 60)
    }

    static func two(_ n: Int) -> String { n < 10 ? "0" + String(n) : String(n) }

    /// A duration in its two largest units ("2h 5m" / "2小时5分"): `DurationText`.
    static func duration(seconds raw: Int64, language: Language) -> String {
        DurationText.text(seconds: raw, language: language)
    }

    /// The largest unit only: "2h", "3d" / "2小时", "3天" (for narrow state columns).
    static func coarseDuration(seconds raw: Int64, language: Language) -> String {
        let s = raw.magnitude
        let en = language == .en
        if s >= 86_400 { return en ? "\(s / 86_400)d" : "\(s / 86_400)天" }
        if s >= 3600 { return en ? "\(s / 3600)h" : "\(s / 3600)小时" }
        if s >= 60 { return en ? "\(s / 60)m" : "\(s / 60)分" }
        return en ? "\(s)s" : "\(s)秒"
    }

    /// "¥30,000.00" (symbol and grouping), "-¥180.00".
    static func money(_ m: Money) -> String { m.formatted(symbol: true) }

    /// "¥30,000.00", or "—" for nil.
    static func money(_ m: Money?) -> String { m.map(money) ?? "—" }

    /// The last four digits of a masked card ("*1234"), or the card kind for QR and unknown cards.
    static func cardTail(_ txn: Transaction, language: Language) -> String {
        let digits = txn.cardMasked.filter { $0.isASCII && $0.isNumber }
        if digits.count >= 4, !txn.cardMasked.isEmpty {
            return "*" + String(digits.suffix(4))
        }
        return txn.cardKind.name(language)
    }

    /// A bank account as first four and last four characters ("6222****3456"), however
    /// it was stored (whole or masked); a short one shows only its last four.
    static func maskedAccount(_ raw: String) -> String {
        let chars = Array(raw)
        if chars.count > 8 { return String(chars.prefix(4)) + "****" + String(chars.suffix(4)) }
        if chars.count > 4 { return "****" + String(chars.suffix(4)) }
        return raw
    }

    /// Difference of two amounts in one currency, or nil when the currencies differ or it overflows.
    static func difference(_ a: Money, _ b: Money) -> Money? {
        try? a.subtracting(b)
    }

    /// Sum of amounts in one currency, or nil when they are mixed or overflow.
    static func sum(_ items: [Money], currency: Currency) -> Money? {
        try? Money.sum(items, currency: currency)
    }
}
