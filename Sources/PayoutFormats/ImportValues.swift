import Foundation
import PayoutCore

/// Small, allocation-light helpers the report importers share: trimming, exact amount
/// parsing, dates and times in the many shapes acquirers write them.
enum Values {
    /// The space around a value (see `Trim`, the one rule).
    @inline(__always)
    static func trim(_ s: String) -> String { Trim.spaces(s) }

    /// True when `s` is a plain identifier (printable ASCII, no space, comma or quote,
    /// at most `max` bytes): the common case, checked without `IdentifierKind`'s
    /// per-character work. False means "ask `IdentifierKind.problem` for the reason".
    @inline(__always)
    static func plainIdentifier(_ s: String, max: Int) -> Bool {
        var n = 0
        for u in s.utf8 {
            if u <= 32 || u >= 127 || u == 44 || u == 34 { return false }
            n += 1
        }
        return n > 0 && n <= max
    }

    /// `IdentifierKind.problem`, with the common case answered quickly.
    @inline(__always)
    static func identifierProblem(_ s: String, _ kind: IdentifierKind) -> String? {
        plainIdentifier(s, max: kind.maxLength) ? nil : kind.problem(with: s)
    }

    /// `CardNumber.mask`, with the two common shapes answered quickly: a full number of
    /// ASCII digits, and a value already masked with `*` (six digits, stars, four digits
    /// at most). Anything else goes to `CardNumber.mask` for its rules and messages.
    static func maskCard(_ s: String) throws(CardNumber.Invalid) -> String {
        var digits = 0, stars = 0, lead = 0, trail = 0, plain = true
        for u in s.utf8 {
            if u >= 48 && u <= 57 {
                digits += 1
                if stars == 0 { lead += 1 } else { trail += 1 }
            } else if u == 42 {
                if trail > 0 { plain = false; break }
                stars += 1
            } else { plain = false; break }
        }
        if plain {
            if stars == 0 && digits >= 12 && digits <= 19 {
                let u = Array(s.utf8)
                var out = [UInt8](u[0..<6])
                out.append(contentsOf: repeatElement(42, count: digits - 10))
                out.append(contentsOf: u[(digits - 4)...])
                return String(decoding: out, as: UTF8.self)
            }
            if stars > 0 && lead <= 6 && trail <= 4 { return s }
        }
        return try CardNumber.mask(s)
    }

    /// Trims, unwraps Excel's `="..."` guard and drops one leading guard character (a
    /// backtick, an apostrophe or a tab) that exports put before long numbers so
    /// spreadsheets keep them as text.
    static func clean(_ s: String, prefixes: [String]) -> String {
        var t = trim(s)
        guard let f = t.utf8.first else { return t }
        if f == UInt8(ascii: "=") && t.utf8.count >= 3 && t.hasPrefix("=\"") && t.hasSuffix("\"") {
            t = trim(String(t.dropFirst(2).dropLast()))
        }
        let first = t.utf8.first ?? f
        if first >= 0x30 && first <= 0x39 { return t }   // a digit: the common case, nothing to strip
        for p in prefixes {
            guard let p0 = p.utf8.first, p0 == first, t.utf8.starts(with: p.utf8) else { continue }
            return trim(String(decoding: t.utf8.dropFirst(p.utf8.count), as: UTF8.self))
        }
        return t
    }

    /// Parses a plain decimal ("-1288.5", "0.38") exactly without allocating; nil for
    /// anything else (grouping, too many decimals, junk), which the caller hands to
    /// `Money.parse` for its full rules and error text.
    @inline(__always)
    static func fastMinor(_ s: String, minorDigits: Int) -> Int64? {
        var value: Int64 = 0
        var negative = false
        var digits = 0
        var frac = -1
        var first = true
        for u in s.utf8 {
            if first {
                first = false
                if u == UInt8(ascii: "-") { negative = true; continue }
                if u == UInt8(ascii: "+") { continue }
            }
            if u >= 48 && u <= 57 {
                if frac >= 0 { frac += 1; if frac > minorDigits { return nil } }
                digits += 1
                if digits > 15 { return nil }
                value = value * 10 + Int64(u - 48)
            } else if u == UInt8(ascii: ".") && frac < 0 {
                frac = 0
            } else {
                return nil
            }
        }
        if digits == 0 || frac == 0 { return nil }
        var f = max(frac, 0)
        while f < minorDigits { value *= 10; f += 1 }
        return negative ? -value : value
    }

    /// Amounts a report may hold: under 10^17 minor units either way, so sums and
    /// differences of a few of them cannot overflow.
    @inline(__always)
    static func inRange(_ minor: Int64) -> Bool { minor > -100_000_000_000_000_000 && minor < 100_000_000_000_000_000 }

    /// An amount in major units (元, dollars), exactly.
    static func money(_ s: String, _ currency: Currency) throws(MoneyError) -> Money {
        if let m = fastMinor(s, minorDigits: currency.minorDigits) { return Money(minor: m, currency: currency) }
        return try Money.parse(s, currency: currency)
    }

    /// A whole number of minor units (分, cents).
    static func minorUnits(_ s: String, _ currency: Currency) -> Money? {
        if let m = fastMinor(s, minorDigits: 0) { return Money(minor: m, currency: currency) }
        return try? Money.parseMinorUnits(s, currency: currency)
    }

    /// Reads digit groups out of a string: "2026-11-20 12:18:05" gives 2026, 11, 20, 12, 18, 5.
    struct DigitGroups {
        private let bytes: String.UTF8View
        private var index: String.UTF8View.Index
        /// The separator just before the last group returned ("." marks fractional seconds).
        private(set) var separator: UInt8 = 0

        init(_ s: String) { bytes = s.utf8; index = bytes.startIndex }

        mutating func next() -> (value: Int, length: Int)? {
            separator = 0
            while index < bytes.endIndex {
                let u = bytes[index]
                if u >= 48 && u <= 57 { break }
                separator = u
                index = bytes.index(after: index)
            }
            guard index < bytes.endIndex else { return nil }
            var v = 0
            var len = 0
            while index < bytes.endIndex {
                let u = bytes[index]
                guard u >= 48 && u <= 57 else { break }
                if len < 18 { v = v * 10 + Int(u - 48) }
                len += 1
                index = bytes.index(after: index)
            }
            return (v, len)
        }
    }

    /// A local date and time from the shapes Chinese exports use: "2026-11-20 12:18:05",
    /// "2026/11/20 9:05", "20261120121805", "2026年11月20日 12时18分05秒", or a date and a
    /// separate time ("20261120" + "121805", "2026-11-20" + "12:18:05"). Returns nil for
    /// anything else, and `hasTime` false when only a date was given.
    static func localDateTime(date: String, time: String?) -> (LocalDateTime, hasTime: Bool)? {
        var g = DigitGroups(date)
        guard let g1 = g.next() else { return nil }
        var y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0
        var hasTime = false
        switch g1.length {
        case 14:
            y = g1.value / 10_000_000_000; mo = g1.value / 100_000_000 % 100; d = g1.value / 1_000_000 % 100
            h = g1.value / 10_000 % 100; mi = g1.value / 100 % 100; se = g1.value % 100; hasTime = true
        case 12:
            y = g1.value / 100_000_000; mo = g1.value / 1_000_000 % 100; d = g1.value / 10_000 % 100
            h = g1.value / 100 % 100; mi = g1.value % 100; hasTime = true
        case 8:
            y = g1.value / 10_000; mo = g1.value / 100 % 100; d = g1.value % 100
        case 4:
            guard let g2 = g.next(), g2.length <= 2, let g3 = g.next(), g3.length <= 2 else { return nil }
            y = g1.value; mo = g2.value; d = g3.value
        default:
            return nil
        }
        if !hasTime {
            if let t = readTime(&g) {
                (h, mi, se) = t; hasTime = true
            } else if let time {
                var tg = DigitGroups(time)
                guard let t = readTime(&tg), tg.next() == nil || tg.separator == UInt8(ascii: ".") else { return nil }
                (h, mi, se) = t; hasTime = true
            }
        } else if time != nil {
            return nil   // a full timestamp and a separate time: ambiguous
        }
        // Anything after the time other than fractional seconds is not understood (offsets included).
        if let extra = g.next(), g.separator != UInt8(ascii: ".") || extra.length > 9 || g.next() != nil { return nil }
        guard let day = LocalDate(year: y, month: mo, day: d), (1900...2200).contains(y), h < 24, mi < 60, se < 60 else { return nil }
        return (LocalDateTime(date: day, secondOfDay: h * 3600 + mi * 60 + se), hasTime)
    }

    private static func readTime(_ g: inout DigitGroups) -> (Int, Int, Int)? {
        guard let t1 = g.next() else { return nil }
        switch t1.length {
        case 6: return (t1.value / 10_000, t1.value / 100 % 100, t1.value % 100)
        case 4: return (t1.value / 100, t1.value % 100, 0)
        case 1, 2:
            guard let t2 = g.next(), t2.length == 2 else { return (99, 0, 0) }
            var copy = g
            if let t3 = copy.next(), t3.length == 2, copy.separator != UInt8(ascii: ".") {
                g = copy
                return (t1.value, t2.value, t3.value)
            }
            return (t1.value, t2.value, 0)
        default: return (99, 0, 0)   // out of range: the caller rejects it
        }
    }
}

/// Converts local times in one zone to instants, caching each day's offset so a file of
/// a million rows does not ask the time zone database a million times.
struct ZoneClock {
    let zone: TimeZone
    private var day = Int.min
    private var dayStart: Int64 = 0
    private var uniform = false

    init(zone: TimeZone) { self.zone = zone }

    mutating func instant(_ t: LocalDateTime) -> Instant {
        let n = t.date.dayNumber
        if n != day {
            day = n
            let start = LocalDateTime(date: t.date, secondOfDay: 0).instant(in: zone).epochMillis
            let next = LocalDateTime(date: t.date.adding(days: 1), secondOfDay: 0).instant(in: zone).epochMillis
            dayStart = start
            uniform = next - start == 86_400_000
        }
        if uniform { return Instant(epochMillis: dayStart + Int64(t.secondOfDay) * 1000) }
        return t.instant(in: zone)
    }
}

/// Fixed UTC offsets for the zone abbreviations reports print (Adyen writes "CET" in
/// winter and "CEST" in summer). An IANA name or "+08:00" also works.
enum ZoneNames {
    static let abbreviations: [String: Int] = [
        "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 3600, "BST": 3600,
        "CET": 3600, "CEST": 7200, "MET": 3600, "MEST": 7200, "EET": 7200, "EEST": 10800, "MSK": 10800,
        "IST": 19800, "ICT": 25200, "WIB": 25200, "HKT": 28800, "SGT": 28800, "MYT": 28800, "PHT": 28800,
        "AWST": 28800, "KST": 32400, "JST": 32400, "AEST": 36000, "AEDT": 39600, "NZST": 43200, "NZDT": 46800,
        "EST": -18000, "EDT": -14400, "CDT": -18000, "MST": -25200, "MDT": -21600, "PST": -28800, "PDT": -25200,
        "AKST": -32400, "AKDT": -28800, "HST": -36000, "BRT": -10800, "ART": -10800,
    ]

    static func zone(_ raw: String) -> TimeZone? {
        let s = Values.trim(raw)
        if s.isEmpty { return nil }
        let upper = s.uppercased()
        if let off = abbreviations[upper] { return TimeZone(secondsFromGMT: off) }
        var body = Substring(upper)
        if body.hasPrefix("UTC") || body.hasPrefix("GMT") { body = body.dropFirst(3) }
        if let sign = body.first, sign == "+" || sign == "-" {
            let rest = body.dropFirst().split(separator: ":")
            var h = 0, m = 0
            if rest.count == 1, let v = Int(rest[0]) { if rest[0].count <= 2 { h = v } else { h = v / 100; m = v % 100 } }
            else if rest.count == 2, let a = Int(rest[0]), let b = Int(rest[1]) { h = a; m = b }
            else { return nil }
            guard h <= 14, m < 60 else { return nil }
            return TimeZone(secondsFromGMT: (h * 3600 + m * 60) * (sign == "-" ? -1 : 1))
        }
        if s.contains("/") { return TimeZone(identifier: s) }
        return nil
    }
}
