/// A festival's name in Chinese and English ("国庆节" / "National Day"), as the
/// calendar file writes it: Chinese first.
public typealias HolidayLabel = BilingualText

extension BilingualText {
    /// A text given Chinese first, as calendar files write festival names.
    public init(zh: String, en: String) { self.init(en: en, zh: zh) }
}

/// What kind of day a date is in a settlement calendar.
public enum DayStatus: Hashable, Sendable {
    /// A Monday-to-Friday working day.
    case working
    /// An ordinary Saturday or Sunday.
    case weekend
    /// A day off announced for a festival (whatever weekday it falls on).
    case holiday(HolidayLabel)
    /// A Saturday or Sunday made a working day for a festival (调休上班).
    case makeUpWorkday(HolidayLabel)

    /// Whether payouts run on this day.
    public var isWorking: Bool {
        switch self {
        case .working, .makeUpWorkday: return true
        case .weekend, .holiday: return false
        }
    }
}

/// Why a calendar data file could not be read: the file, the line (when one is to
/// blame) and the reason.
public struct CalendarError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The calendar's name ("cn").
    public let name: String
    /// The 1-based line number, or nil when the whole file is at fault.
    public let line: Int?
    public let reason: String

    public init(name: String, line: Int?, reason: String) {
        self.name = name
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "calendar \(name), line \(line): \(reason)" }
        return "calendar \(name): \(reason)"
    }
}

/// The days on which settlements run: weekends only, or an official holiday schedule.
///
/// A `cn` calendar is read from the text of `config/calendars/cn.txt` (the format is
/// documented at the top of that file). It knows holidays and make-up working days
/// (调休) for its declared years only; any other year falls back to weekends and the
/// fixed-date statutory holidays, and `hasData(for:)` tells the caller so explanations
/// can say it.
public struct SettlementCalendar: Hashable, Sendable {
    /// Where the calendar's days come from.
    public enum Kind: String, Hashable, Sendable {
        /// Monday to Friday are working days; no holidays.
        case weekends
        /// The People's Republic of China State Council schedule, from a data file.
        case cn
    }

    public let kind: Kind
    /// The name used in messages ("weekends", "cn").
    public let name: String
    /// The years the holiday data covers completely (empty for `weekends`).
    public let years: Set<Int>
    private let holidays: [LocalDate: HolidayLabel]
    private let workdays: [LocalDate: HolidayLabel]

    /// Monday-to-Friday working days, no holidays, complete for every year.
    public static let weekends = SettlementCalendar(kind: .weekends, name: "weekends", years: [], holidays: [:], workdays: [:])

    init(kind: Kind, name: String, years: Set<Int>, holidays: [LocalDate: HolidayLabel], workdays: [LocalDate: HolidayLabel]) {
        self.kind = kind
        self.name = name
        self.years = years
        self.holidays = holidays
        self.workdays = workdays
    }

    /// Every listed holiday, in date order.
    public var holidayDates: [LocalDate] { holidays.keys.sorted() }
    /// Every listed make-up working day, in date order.
    public var makeUpWorkdayDates: [LocalDate] { workdays.keys.sorted() }
}

// MARK: - Queries

extension SettlementCalendar {
    /// Whether the calendar knows the holidays of `year`.
    ///
    /// Always true for `weekends` (it has no holidays to miss); for `cn`, true only for
    /// the years the data file declares.
    public func hasData(for year: Int) -> Bool {
        kind == .weekends || years.contains(year)
    }

    /// The kind of day `d` is; a year without data is treated as weekends and the
    /// fixed-date statutory holidays only (`fixedHoliday(_:)`).
    public func status(of d: LocalDate) -> DayStatus {
        if let label = holidays[d] { return .holiday(label) }
        if let label = workdays[d] { return .makeUpWorkday(label) }
        if !hasData(for: d.year), let label = fixedHoliday(d) { return .holiday(label) }
        return d.isWeekend ? .weekend : .working
    }

    /// A statutory holiday that falls on the same date every year, known without the
    /// year's schedule: for `cn`, New Year's Day (1 Jan), Labour Day (1 May) and
    /// National Day (1-3 Oct), the fixed dates of the national holiday rules
    /// (全国年节及纪念日放假办法). The festivals that follow the lunar calendar, the
    /// bridging days and the make-up working days need the year's schedule.
    public func fixedHoliday(_ d: LocalDate) -> HolidayLabel? {
        guard kind == .cn else { return nil }
        switch (d.month, d.day) {
        case (1, 1): return HolidayLabel(zh: "元旦", en: "New Year's Day")
        case (5, 1): return HolidayLabel(zh: "劳动节", en: "Labour Day")
        case (10, 1), (10, 2), (10, 3): return HolidayLabel(zh: "国庆节", en: "National Day")
        default: return nil
        }
    }

    /// Whether payouts run on `d`.
    public func isWorkingDay(_ d: LocalDate) -> Bool { status(of: d).isWorking }

    /// The festival `d` is a holiday for, in English and Chinese ("National Day 国庆节").
    public func holidayName(_ d: LocalDate) -> String? { holidayLabel(d).map { "\($0.zh) \($0.en)" } }

    /// The festival `d` is a holiday for, or nil when it is not a holiday (listed, or
    /// fixed-date in a year without data).
    public func holidayLabel(_ d: LocalDate) -> HolidayLabel? {
        if let label = holidays[d] { return label }
        return hasData(for: d.year) ? nil : fixedHoliday(d)
    }

    /// The first working day strictly after `d`.
    public func nextWorkingDay(after d: LocalDate) -> LocalDate {
        var day = d.adding(days: 1)
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The last working day strictly before `d`.
    public func previousWorkingDay(before d: LocalDate) -> LocalDate {
        var day = d.adding(days: -1)
        while !isWorkingDay(day) { day = day.adding(days: -1) }
        return day
    }

    /// The `n`-th working day after `d` (before it when `n` is negative); `d` itself
    /// when `n` is 0, whether or not `d` is a working day.
    public func addingWorkingDays(_ n: Int, to d: LocalDate) -> LocalDate {
        var day = d
        if n > 0 {
            for _ in 0..<n { day = nextWorkingDay(after: day) }
        } else if n < 0 {
            for _ in 0..<(-n) { day = previousWorkingDay(before: day) }
        }
        return day
    }

    /// The years from `from` through `through` (inclusive, either order) that this
    /// calendar has no holiday data for, ascending.
    public func yearsWithoutData(from: LocalDate, through: LocalDate) -> [Int] {
        let lo = min(from.year, through.year)
        let hi = max(from.year, through.year)
        return (lo...hi).filter { !hasData(for: $0) }
    }
}

// MARK: - Parsing

extension SettlementCalendar {
    /// Reads a holiday data file (the format of `config/calendars/cn.txt`).
    ///
    /// Errors name the line and the reason: a malformed date, an unknown word, a
    /// missing name, a day listed twice or both as holiday and workday, a workday on
    /// Monday-Friday, a date outside the declared years, a missing or repeated
    /// `years` line.
    public static func parse(_ text: String, name: String) throws(CalendarError) -> SettlementCalendar {
        var parser = CalendarFileParser(name: name)
        var lineNo = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            try parser.read(line: Substring(raw), number: lineNo)
        }
        return try parser.finish()
    }
}

/// The state of reading one calendar file, line by line.
private struct CalendarFileParser {
    let name: String
    var years: Set<Int>?
    var holidays: [LocalDate: HolidayLabel] = [:]
    var workdays: [LocalDate: HolidayLabel] = [:]
    var firstSeen: [LocalDate: (line: Int, word: String)] = [:]

    init(name: String) { self.name = name }

    func fail(_ line: Int?, _ reason: String) -> CalendarError {
        CalendarError(name: name, line: line, reason: reason)
    }

    mutating func read(line raw: Substring, number: Int) throws(CalendarError) {
        let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{3000}" })
        guard let head = words.first else { return }
        if head == "years" {
            try readYears(Array(words.dropFirst()), number: number)
        } else if head.first?.isNumber == true {
            try readDay(words, number: number)
        } else {
            throw fail(number, "unknown word \"\(head)\": expected \"years\" or a date YYYY-MM-DD")
        }
    }

    mutating func readYears(_ words: [Substring], number: Int) throws(CalendarError) {
        guard years == nil else { throw fail(number, "a second \"years\" line") }
        guard !words.isEmpty else { throw fail(number, "\"years\" lists no year") }
        var set: Set<Int> = []
        for w in words {
            guard w.count == 4, w.allSatisfy({ $0.isASCII && $0.isNumber }), let y = Int(w) else {
                throw fail(number, "\"\(w)\" is not a year")
            }
            set.insert(y)
        }
        years = set
    }

    mutating func readDay(_ words: [Substring], number: Int) throws(CalendarError) {
        let dateText = String(words[0])
        guard let date = LocalDate(iso: dateText) else {
            throw fail(number, "malformed date \"\(dateText)\": expected an existing day as YYYY-MM-DD")
        }
        guard let years else { throw fail(number, "date \(dateText) comes before the \"years\" line") }
        guard years.contains(date.year) else {
            throw fail(number, "date \(dateText) is outside the declared years \(years.sorted().map(String.init).joined(separator: " "))")
        }
        guard words.count >= 2 else { throw fail(number, "date \(dateText) has no kind: expected \"holiday\" or \"workday\"") }
        let word = String(words[1])
        guard word == "holiday" || word == "workday" else {
            throw fail(number, "unknown word \"\(word)\": expected \"holiday\" or \"workday\"")
        }
        guard words.count >= 4 else {
            throw fail(number, "date \(dateText) needs a Chinese and an English name")
        }
        let label = HolidayLabel(zh: String(words[2]), en: words[3...].joined(separator: " "))
        try checkFirstListing(date, word: word, number: number)
        if word == "holiday" {
            holidays[date] = label
        } else {
            guard date.isWeekend else {
                throw fail(number, "workday \(dateText) is a Monday-to-Friday day, a working day already; a make-up workday is a Saturday or Sunday")
            }
            workdays[date] = label
        }
    }

    mutating func checkFirstListing(_ date: LocalDate, word: String, number: Int) throws(CalendarError) {
        if let seen = firstSeen[date] {
            if seen.word == word {
                throw fail(number, "\(date.iso) is listed twice (first on line \(seen.line))")
            }
            throw fail(number, "\(date.iso) is listed both as \(seen.word) (line \(seen.line)) and as \(word)")
        }
        firstSeen[date] = (number, word)
    }

    func finish() throws(CalendarError) -> SettlementCalendar {
        guard let years else { throw fail(nil, "no \"years\" line: the file must say which years it covers") }
        return SettlementCalendar(kind: .cn, name: name, years: years, holidays: holidays, workdays: workdays)
    }
}
