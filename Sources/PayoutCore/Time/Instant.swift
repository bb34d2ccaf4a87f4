import Foundation

/// A point in time as UTC epoch milliseconds, the way the store keeps it.
public struct Instant: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let epochMillis: Int64

    public init(epochMillis: Int64) { self.epochMillis = epochMillis }
    public init(_ date: Date) { self.epochMillis = Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    public var date: Date { Date(timeIntervalSince1970: Double(epochMillis) / 1000) }

    public static func < (a: Instant, b: Instant) -> Bool { a.epochMillis < b.epochMillis }

    public func adding(seconds: Int64) -> Instant { Instant(epochMillis: epochMillis + seconds * 1000) }
    public func adding(minutes: Int64) -> Instant { adding(seconds: minutes * 60) }
    public func adding(hours: Int64) -> Instant { adding(seconds: hours * 3600) }
    public func adding(days: Int64) -> Instant { adding(seconds: days * 86_400) }

    /// Seconds from `other` to this instant (negative when this is earlier).
    public func seconds(since other: Instant) -> Int64 { (epochMillis - other.epochMillis) / 1000 }

    public var description: String { ISO8601DateFormatter().string(from: date) }
}

/// A calendar date with no time and no zone: a trade date, a settlement day.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A date, or nil when the day does not exist (2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year; self.month = month; self.day = day
    }

    /// Parses "YYYY-MM-DD" exactly.
    public init?(iso text: String) {
        switch ASCIIDateTime.parse(text) {
        case .date(let d): self = d; return
        case .invalid, .dateTime: return nil
        case .otherShape: break
        }
        guard let d = Self.isoGeneral(text) else { return nil }
        self = d
    }

    /// "YYYY-MM-DD" character by character (the reference for the byte-level path).
    static func isoGeneral(_ text: String) -> LocalDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(unchecked: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var isoWeekday: Int {
        let w = (dayNumber + 3) % 7   // 1970-01-01 was a Thursday (index 3 from Monday)
        return (w < 0 ? w + 7 : w) + 1
    }

    public var isWeekend: Bool { isoWeekday >= 6 }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }

    public var iso: String {
        func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// "10-08": the short form used inside explanations.
    public var monthDay: String { String(iso.dropFirst(5)) }

    public var description: String { iso }
}

/// A wall-clock time of day, minute precision ("23:00").
public struct LocalTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let minuteOfDay: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        minuteOfDay = hour * 60 + minute
    }

    /// Parses "HH:MM" (24-hour). "24:00" and "25:00" are rejected.
    public init?(parsing text: String) {
        let p = text.split(separator: ":", omittingEmptySubsequences: false)
        guard p.count == 2, p[0].count == 2, p[1].count == 2,
              let h = Int(p[0]), let m = Int(p[1]) else { return nil }
        self.init(hour: h, minute: m)
    }

    public var hour: Int { minuteOfDay / 60 }
    public var minute: Int { minuteOfDay % 60 }
    public static func < (a: LocalTime, b: LocalTime) -> Bool { a.minuteOfDay < b.minuteOfDay }
    public var description: String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }
}

/// A local date and time in the merchant's zone, and conversions to and from instants.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let date: LocalDate
    public let secondOfDay: Int

    public init(date: LocalDate, secondOfDay: Int) {
        self.date = date
        self.secondOfDay = secondOfDay
    }

    public init(date: LocalDate, time: LocalTime) {
        self.init(date: date, secondOfDay: time.minuteOfDay * 60)
    }

    public var time: LocalTime { LocalTime(hour: secondOfDay / 3600, minute: (secondOfDay / 60) % 60)! }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool {
        (a.date, a.secondOfDay) < (b.date, b.secondOfDay)
    }

    /// "2026-09-30 22:30".
    public var description: String { "\(date.iso) \(time)" }

    /// Parses "YYYY-MM-DD HH:MM[:SS]" or "YYYY-MM-DDTHH:MM[:SS]".
    public init?(parsing text: String) {
        switch ASCIIDateTime.parse(text) {
        case .dateTime(let t): self = t; return
        case .invalid: return nil
        case .date, .otherShape: break
        }
        guard let t = Self.parseGeneral(text) else { return nil }
        self = t
    }

    /// Every accepted shape, character by character (the reference for the byte-level path).
    static func parseGeneral(_ text: String) -> LocalDateTime? {
        let t = text.trimmingSpaces()
        guard t.count >= 16 else { return nil }
        let sepIndex = t.index(t.startIndex, offsetBy: 10)
        guard t[sepIndex] == " " || t[sepIndex] == "T",
              let d = LocalDate.isoGeneral(String(t[..<sepIndex])) else { return nil }
        let rest = t[t.index(after: sepIndex)...]
        let p = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard p.count == 2 || p.count == 3, p.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let h = Int(p[0]), let m = Int(p[1]), h < 24, m < 60 else { return nil }
        let s = p.count == 3 ? Int(p[2])! : 0
        guard s < 60 else { return nil }
        return LocalDateTime(date: d, secondOfDay: h * 3600 + m * 60 + s)
    }

    /// The instant this wall-clock time names in `zone`.
    public func instant(in zone: TimeZone) -> Instant {
        let naive = Int64(date.dayNumber) * 86_400 + Int64(secondOfDay)
        // Two passes settle the offset around DST changes; fixed zones need one.
        var offset = ZoneOffsets.seconds(zone, at: naive)
        offset = ZoneOffsets.seconds(zone, at: naive - offset)
        return Instant(epochMillis: (naive - offset) * 1000)
    }

    /// The wall-clock time of `instant` in `zone`.
    public init(_ instant: Instant, in zone: TimeZone) {
        let secs = Int64((Double(instant.epochMillis) / 1000).rounded(.down))
        let offset = ZoneOffsets.seconds(zone, at: secs)
        let local = secs + offset
        let day = Int((Double(local) / 86_400).rounded(.down))
        self.init(date: LocalDate(dayNumber: day), secondOfDay: Int(local - Int64(day) * 86_400))
    }
}
