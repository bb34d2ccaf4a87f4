import Foundation
import Testing
@testable import PayoutCore

@Suite struct TimeTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    @Test func dayNumbersRoundTrip() throws {
        for n in stride(from: -800_000, through: 800_000, by: 997) {
            let d = LocalDate(dayNumber: n)
            #expect(d.dayNumber == n)
            #expect(LocalDate(iso: d.iso) == d || d.year < 0 || d.year > 9999)
        }
        #expect(LocalDate(iso: "1970-01-01")?.dayNumber == 0)
        #expect(LocalDate(iso: "2026-10-01")?.isoWeekday == 4)   // a Thursday
        #expect(LocalDate(iso: "2026-02-29") == nil)
        #expect(LocalDate(iso: "2024-02-29") != nil)
    }

    @Test func parsesInstants() throws {
        let local = try #require(InstantParser.parse("2026-09-30 22:30:00", zone: shanghai))
        let utc = try #require(InstantParser.parse("2026-09-30T14:30:00Z", zone: shanghai))
        let offset = try #require(InstantParser.parse("2026-09-30T22:30:00+08:00", zone: shanghai))
        #expect(local == utc)
        #expect(local == offset)
        #expect(InstantParser.parse("2026-09-30 22:30", zone: shanghai) == local)
        #expect(InstantParser.parse("2026-09-30T14:30:00.250Z", zone: shanghai)?.epochMillis == utc.epochMillis + 250)
        for bad in ["2026-13-01 00:00", "2026-09-31 10:00", "2026-09-30 24:00", "30/09/2026 10:00", "", "2026-09-30"] {
            #expect(InstantParser.parse(bad, zone: shanghai) == nil, "\(bad)")
        }
    }

    @Test func localTimes() {
        #expect(LocalTime(parsing: "23:00")?.minuteOfDay == 1380)
        #expect(LocalTime(parsing: "25:00") == nil)
        #expect(LocalTime(parsing: "9:00") == nil)
        let i = LocalDateTime(parsing: "2026-09-30 23:10")!.instant(in: shanghai)
        #expect(LocalDateTime(i, in: shanghai).description == "2026-09-30 23:10")
    }
}
