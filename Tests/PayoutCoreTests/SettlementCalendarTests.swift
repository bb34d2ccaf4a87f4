import Foundation
import Testing
@testable import PayoutCore

/// The expected schedule, written out here from the State Council notices
/// independently of config/calendars/cn.txt.
enum OfficialSchedule {
    static func days(_ from: String, _ to: String) -> [String] {
        guard let a = LocalDate(iso: from), let b = LocalDate(iso: to) else { return ["bad range \(from)"] }
        return (a.dayNumber...b.dayNumber).map { LocalDate(dayNumber: $0).iso }
    }

    /// 国办发明电〔2023〕7号.
    static let holidays2024 = ["2024-01-01"] + days("2024-02-10", "2024-02-17") + days("2024-04-04", "2024-04-06")
        + days("2024-05-01", "2024-05-05") + ["2024-06-10"] + days("2024-09-15", "2024-09-17")
        + days("2024-10-01", "2024-10-07")
    static let workdays2024 = ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
                               "2024-09-29", "2024-10-12"]
    /// 国办发明电〔2024〕12号.
    static let holidays2025 = ["2025-01-01"] + days("2025-01-28", "2025-02-04") + days("2025-04-04", "2025-04-06")
        + days("2025-05-01", "2025-05-05") + days("2025-05-31", "2025-06-02") + days("2025-10-01", "2025-10-08")
    static let workdays2025 = ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]
    /// 国办发明电〔2025〕7号.
    static let holidays2026 = days("2026-01-01", "2026-01-03") + days("2026-02-15", "2026-02-23")
        + days("2026-04-04", "2026-04-06") + days("2026-05-01", "2026-05-05") + days("2026-06-19", "2026-06-21")
        + days("2026-09-25", "2026-09-27") + days("2026-10-01", "2026-10-07")
    static let workdays2026 = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]

    static let holidays = holidays2024 + holidays2025 + holidays2026
    static let workdays = workdays2024 + workdays2025 + workdays2026
}

extension SettlementTests {
    @Suite("Calendar cn") struct CalendarCNTests {
        typealias F = SettlementFixtures

        @Test func declaresItsYears() throws {
            let cn = try F.cn()
            #expect(cn.kind == .cn)
            #expect(cn.years == [2024, 2025, 2026])
            #expect([2024, 2025, 2026].allSatisfy { cn.hasData(for: $0) })
            #expect(!cn.hasData(for: 2023))
            #expect(!cn.hasData(for: 2027))
        }

        @Test func listsExactlyTheOfficialDays() throws {
            let cn = try F.cn()
            #expect(cn.holidayDates.map(\.iso) == OfficialSchedule.holidays)
            #expect(cn.makeUpWorkdayDates.map(\.iso) == OfficialSchedule.workdays)
            #expect(OfficialSchedule.holidays2024.count == 28)
            #expect(OfficialSchedule.holidays2025.count == 28)
            #expect(OfficialSchedule.holidays2026.count == 33)
        }

        @Test(arguments: OfficialSchedule.holidays)
        func holidayIsNotAWorkingDay(_ iso: String) throws {
            let cn = try F.cn()
            let d = try F.d(iso)
            #expect(!cn.isWorkingDay(d))
            #expect(cn.holidayLabel(d) != nil)
        }

        @Test(arguments: OfficialSchedule.workdays)
        func makeUpDayIsAWorkingWeekend(_ iso: String) throws {
            let cn = try F.cn()
            let d = try F.d(iso)
            #expect(d.isWeekend)
            #expect(cn.isWorkingDay(d))
            #expect(cn.holidayLabel(d) == nil)
            guard case .makeUpWorkday = cn.status(of: d) else {
                Issue.record("\(iso) is not a make-up workday")
                return
            }
        }

        /// Every day of 2024-2026 agrees with the schedule written out above.
        @Test func everyDayOfTheCoveredYears() throws {
            let cn = try F.cn()
            let off = Set(OfficialSchedule.holidays)
            let on = Set(OfficialSchedule.workdays)
            var d = try F.d("2024-01-01")
            let end = try F.d("2026-12-31")
            var wrong: [String] = []
            while d <= end {
                let expected = off.contains(d.iso) ? false : on.contains(d.iso) ? true : !d.isWeekend
                if cn.isWorkingDay(d) != expected { wrong.append(d.iso) }
                d = d.adding(days: 1)
            }
            #expect(wrong.isEmpty)
        }

        /// Working days per year, counted by hand from the notices: 2024 has 262
        /// weekdays - 19 holiday weekdays + 8 make-up days; 2025 261 - 18 + 5; 2026 261 - 19 + 6.
        @Test(arguments: [(2024, 251), (2025, 248), (2026, 248)])
        func workingDaysPerYear(_ year: Int, _ count: Int) throws {
            let cn = try F.cn()
            var d = try F.d("\(year)-01-01")
            var n = 0
            while d.year == year {
                if cn.isWorkingDay(d) { n += 1 }
                d = d.adding(days: 1)
            }
            #expect(n == count)
        }

        @Test(arguments: [
            // Ordinary working days, including days right next to holidays.
            ("2024-02-09", true),   // 除夕 2024, only "encouraged" as a rest day
            ("2024-02-19", true), ("2024-04-03", true), ("2024-04-08", true), ("2024-06-07", true),
            ("2024-06-11", true), ("2024-09-18", true), ("2024-10-08", true), ("2024-12-31", true),
            ("2025-01-02", true), ("2025-01-27", true), ("2025-02-05", true), ("2025-04-03", true),
            ("2025-04-30", true), ("2025-05-06", true), ("2025-06-03", true), ("2025-09-30", true),
            ("2025-10-09", true), ("2026-01-05", true), ("2026-02-13", true), ("2026-02-24", true),
            ("2026-04-07", true), ("2026-05-06", true), ("2026-06-18", true), ("2026-06-22", true),
            ("2026-09-24", true), ("2026-09-28", true), ("2026-09-30", true), ("2026-10-08", true),
            ("2026-12-31", true),
            // Ordinary weekends, including those next to holidays.
            ("2023-12-30", false), ("2024-06-08", false), ("2024-06-09", false), ("2024-10-13", false),
            ("2025-01-25", false), ("2025-02-09", false), ("2025-04-26", false), ("2025-10-12", false),
            ("2026-01-10", false), ("2026-03-01", false), ("2026-05-10", false), ("2026-09-19", false),
            ("2026-10-11", false),
        ])
        func ordinaryDays(_ iso: String, _ working: Bool) throws {
            let cn = try F.cn()
            let d = try F.d(iso)
            #expect(cn.isWorkingDay(d) == working)
            #expect(cn.holidayLabel(d) == nil)
        }

        @Test func namesAndStatus() throws {
            let cn = try F.cn()
            #expect(cn.holidayName(try F.d("2026-10-01")) == "国庆节 National Day")
            #expect(cn.holidayLabel(try F.d("2025-10-08")) == HolidayLabel(zh: "国庆节、中秋节", en: "National Day and Mid-Autumn Festival"))
            #expect(cn.holidayLabel(try F.d("2026-02-15"))?.en == "Spring Festival")
            #expect(cn.holidayName(try F.d("2026-10-08")) == nil)
            #expect(cn.status(of: try F.d("2026-09-20")) == .makeUpWorkday(HolidayLabel(zh: "国庆节", en: "National Day")))
            #expect(cn.status(of: try F.d("2026-09-19")) == .weekend)
            #expect(cn.status(of: try F.d("2026-09-21")) == .working)
        }

        @Test func stepping() throws {
            let cn = try F.cn()
            #expect(cn.nextWorkingDay(after: try F.d("2026-09-30")) == (try F.d("2026-10-08")))
            #expect(cn.nextWorkingDay(after: try F.d("2026-09-18")) == (try F.d("2026-09-20")))
            #expect(cn.nextWorkingDay(after: try F.d("2025-01-27")) == (try F.d("2025-02-05")))
            #expect(cn.addingWorkingDays(2, to: try F.d("2026-09-30")) == (try F.d("2026-10-09")))
            #expect(cn.addingWorkingDays(3, to: try F.d("2026-09-30")) == (try F.d("2026-10-10")))
            #expect(cn.addingWorkingDays(-1, to: try F.d("2026-10-08")) == (try F.d("2026-09-30")))
            #expect(cn.addingWorkingDays(0, to: try F.d("2026-10-03")) == (try F.d("2026-10-03")))
            #expect(cn.previousWorkingDay(before: try F.d("2026-02-24")) == (try F.d("2026-02-14")))
        }

        @Test func yearWithoutDataFallsBackToWeekendsAndFixedDateHolidays() throws {
            let cn = try F.cn()
            // 2027-01-01 is a Friday: with no 2027 data it is still New Year's Day, a
            // fixed-date holiday every year; the next working day is Monday 01-04.
            #expect(!cn.isWorkingDay(try F.d("2027-01-01")))
            #expect(cn.holidayLabel(try F.d("2027-01-01")) == HolidayLabel(zh: "元旦", en: "New Year's Day"))
            #expect(!cn.isWorkingDay(try F.d("2027-01-02")))
            #expect(cn.nextWorkingDay(after: try F.d("2026-12-31")) == (try F.d("2027-01-04")))
            // Labour Day and the first three days of National Day, whatever the weekday.
            #expect(!cn.isWorkingDay(try F.d("2027-05-01")))
            for d in ["2028-10-02", "2028-10-03"] { #expect(!cn.isWorkingDay(try F.d(d)), "\(d)") }
            // Movable festivals and bridging days need the year's schedule: a plain
            // weekday in a year without data stays a working day.
            #expect(cn.isWorkingDay(try F.d("2027-10-04")))
            #expect(cn.isWorkingDay(try F.d("2027-05-03")))
            // Within the data the schedule decides: 2026-10-08 is a working day.
            #expect(cn.fixedHoliday(try F.d("2026-10-08")) == nil)
            #expect(cn.yearsWithoutData(from: try F.d("2026-12-31"), through: try F.d("2028-01-03")) == [2027, 2028])
            #expect(cn.yearsWithoutData(from: try F.d("2024-01-01"), through: try F.d("2026-12-31")).isEmpty)
        }

        @Test func weekendsCalendar() throws {
            let w = SettlementCalendar.weekends
            #expect(w.kind == .weekends)
            #expect(w.hasData(for: 2027))
            #expect(w.isWorkingDay(try F.d("2026-10-01")))
            #expect(!w.isWorkingDay(try F.d("2026-09-20")))
            #expect(w.nextWorkingDay(after: try F.d("2026-09-18")) == (try F.d("2026-09-21")))
            #expect(w.addingWorkingDays(5, to: try F.d("2026-09-18")) == (try F.d("2026-09-25")))
        }
    }

    @Suite("Calendar parse errors") struct CalendarParseTests {
        func parseError(_ text: String) -> CalendarError? {
            do throws(CalendarError) {
                _ = try SettlementCalendar.parse(text, name: "test")
                return nil
            } catch {
                return error
            }
        }

        @Test func malformedDateNamesItsLine() throws {
            let e = try #require(parseError("# header\nyears 2026\n\n2026-13-01 holiday 元旦 New Year"))
            #expect(e.line == 4)
            #expect(e.reason.contains("malformed date \"2026-13-01\""))
            #expect(e.description.hasPrefix("calendar test, line 4: malformed date"))
            let feb30 = try #require(parseError("years 2026\n2026-02-30 holiday 春节 Spring Festival"))
            #expect(feb30.line == 2)
            #expect(feb30.reason.contains("malformed date"))
            let short = try #require(parseError("years 2026\n2026-1-01 holiday 元旦 New Year"))
            #expect(short.line == 2)
        }

        @Test func holidayAndWorkdayBoth() throws {
            let e = try #require(parseError("years 2026\n2026-09-20 workday 国庆节 National Day\n2026-09-20 holiday 国庆节 National Day"))
            #expect(e.line == 3)
            #expect(e.reason == "2026-09-20 is listed both as workday (line 2) and as holiday")
        }

        @Test func listedTwice() throws {
            let e = try #require(parseError("years 2026\n2026-10-01 holiday 国庆节 National Day\n\n2026-10-01 holiday 国庆节 National Day"))
            #expect(e.line == 4)
            #expect(e.reason.contains("listed twice (first on line 2)"))
        }

        @Test func unknownWords() throws {
            let kind = try #require(parseError("years 2026\n2026-10-01 vacation 国庆节 National Day"))
            #expect(kind.line == 2)
            #expect(kind.reason.contains("unknown word \"vacation\""))
            let head = try #require(parseError("years 2026\nholidays 2026-10-01"))
            #expect(head.line == 2)
            #expect(head.reason.contains("unknown word \"holidays\""))
        }

        @Test func outsideDeclaredYears() throws {
            let e = try #require(parseError("years 2026\n2027-01-01 holiday 元旦 New Year's Day"))
            #expect(e.line == 2)
            #expect(e.reason.contains("outside the declared years 2026"))
        }

        @Test func workdayOnAWeekday() throws {
            let e = try #require(parseError("years 2026\n2026-09-21 workday 国庆节 National Day"))
            #expect(e.line == 2)
            #expect(e.reason.contains("Monday-to-Friday"))
        }

        @Test func yearsLineProblems() throws {
            let missing = try #require(parseError("# nothing\n"))
            #expect(missing.line == nil)
            #expect(missing.reason.contains("no \"years\" line"))
            let late = try #require(parseError("2026-10-01 holiday 国庆节 National Day\nyears 2026"))
            #expect(late.line == 1)
            let twice = try #require(parseError("years 2026\nyears 2027"))
            #expect(twice.line == 2)
            let bad = try #require(parseError("years 20x6"))
            #expect(bad.line == 1)
        }

        @Test func missingNamesAndKind() throws {
            let noKind = try #require(parseError("years 2026\n2026-10-01"))
            #expect(noKind.line == 2)
            let noEnglish = try #require(parseError("years 2026\n2026-10-01 holiday 国庆节"))
            #expect(noEnglish.line == 2)
            #expect(noEnglish.reason.contains("needs a Chinese and an English name"))
        }

        @Test func commentsAndBlankLinesAreIgnored() throws {
            let cal = try SettlementCalendar.parse("""
                # header
                years 2030   # trailing comment

                2030-10-01 holiday 国庆节 National Day  # a Tuesday
                """, name: "t")
            #expect(cal.years == [2030])
            #expect(cal.holidayDates.map(\.iso) == ["2030-10-01"])
            #expect(cal.holidayLabel(try SettlementFixtures.d("2030-10-01"))?.en == "National Day")
        }
    }
}
