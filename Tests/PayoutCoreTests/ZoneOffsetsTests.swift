import Foundation
import PayoutCore
import Testing

/// The per-day cache of zone offsets answers what the zone itself answers, in zones
/// with daylight saving (whole and half hours) and without, on and around every change.
@Suite struct ZoneOffsetsTests {
    static let zones = ["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Sao_Paulo", "UTC"]
        .compactMap(TimeZone.init(identifier:)) + [TimeZone(secondsFromGMT: 8 * 3600)!, TimeZone(secondsFromGMT: -(3 * 3600 + 1800))!]

    @Test func everyQuarterHourOfTwoYearsAgreesWithTheZone() {
        let start: Int64 = 1_704_067_200 // 2024-01-01T00:00Z
        for zone in Self.zones {
            var mismatches = 0
            var at = start
            while at < start + 2 * 366 * 86_400 {
                // Twice: the first call fills the cache, the second reads it.
                for _ in 0..<2 where ZoneOffsets.seconds(zone, at: at) != Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(at)))) {
                    mismatches += 1
                }
                at += 900
            }
            #expect(mismatches == 0, "\(zone.identifier)")
        }
    }

    @Test func theSecondsAroundEachChangeAgreeWithTheZone() throws {
        for zone in Self.zones {
            var date = Date(timeIntervalSince1970: 1_704_067_200)
            var changes = 0
            while let next = zone.nextDaylightSavingTimeTransition(after: date), next.timeIntervalSince1970 < 1_767_225_600 {
                changes += 1
                let t = Int64(next.timeIntervalSince1970)
                for at in [t - 86_400, t - 3_601, t - 1, t, t + 1, t + 1_799, t + 3_600, t + 86_400] {
                    #expect(ZoneOffsets.seconds(zone, at: at) == Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(at)))),
                            "\(zone.identifier) at \(at)")
                }
                date = next.addingTimeInterval(1)
            }
            if ["America/New_York", "Europe/London", "Australia/Lord_Howe"].contains(zone.identifier) { #expect(changes >= 4, "\(zone.identifier)") }
        }
    }

    @Test func localTimesRoundTripAcrossDaylightSaving() throws {
        let ny = try #require(TimeZone(identifier: "America/New_York"))
        // 2025-03-09 01:59:59 EST is followed by 03:00:00 EDT; 2025-11-02 01:30 happens twice.
        let before = try #require(LocalDateTime(parsing: "2025-03-09 01:59:59")).instant(in: ny)
        let after = try #require(LocalDateTime(parsing: "2025-03-09 03:00:00")).instant(in: ny)
        #expect(after.seconds(since: before) == 1)
        #expect(LocalDateTime(before, in: ny) == LocalDateTime(parsing: "2025-03-09 01:59:59"))
        #expect(LocalDateTime(after, in: ny) == LocalDateTime(parsing: "2025-03-09 03:00:00"))
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let noon = try #require(LocalDateTime(parsing: "2026-11-28 12:00:00"))
        #expect(noon.instant(in: shanghai).epochMillis == 1_795_838_400_000) // 2026-11-28T04:00:00Z
    }
}
