import Foundation
import Testing
@testable import PayoutCore

/// The byte-level date and time path gives exactly what the general parsers give, on
/// valid values and on every near miss of them.
@Suite struct TimeFastPathTests {
    static let zones = ["Asia/Shanghai", "UTC", "America/New_York"].map { TimeZone(identifier: $0)! }

    /// Valid values, then each with one byte replaced, one byte dropped, one byte
    /// added, and wrapped in spaces.
    static var cases: [String] {
        let seeds = ["2026-09-30 22:30:00", "2026-09-30T22:30:00", "2026-09-30 22:30", "2024-02-29 00:00:59",
                     "2026-02-28", "2000-12-31 23:59:59", "0000-01-01 00:00", "2026-03-08 02:30:00"]
        let swaps = ["0", "1", "2", "3", "4", "6", "9", "-", ":", " ", "T", "Z", "+", ".", "a", "\u{FF12}", "\u{3000}"]
        var out = Set(seeds)
        for seed in seeds {
            let chars = Array(seed)
            for i in chars.indices {
                for c in swaps {
                    var changed = chars
                    changed[i] = Character(c)
                    out.insert(String(changed))
                    var added = chars
                    added.insert(Character(c), at: i)
                    out.insert(String(added))
                }
                var dropped = chars
                dropped.remove(at: i)
                out.insert(String(dropped))
            }
            out.insert(" " + seed)
            out.insert(seed + " ")
            out.insert(seed + "Z")
            out.insert(seed + "+08:00")
            out.insert(seed + ".250")
        }
        return out.sorted()
    }

    @Test func datesMatchTheGeneralParser() {
        var mismatches: [String] = []
        for s in Self.cases + Self.cases.map({ String($0.prefix(10)) }) where LocalDate(iso: s) != LocalDate.isoGeneral(s) {
            mismatches.append(s)
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func dateTimesMatchTheGeneralParser() {
        let cases = Self.cases
        #expect(cases.count > 1_000)
        var parsed = 0
        var mismatches: [String] = []
        for s in cases {
            let general = LocalDateTime.parseGeneral(s)
            if general != nil { parsed += 1 }
            if LocalDateTime(parsing: s) != general { mismatches.append(s) }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(parsed > 50, "the cases include many valid values")
    }

    @Test func instantsMatchTheGeneralParser() {
        var mismatches: [String] = []
        for zone in Self.zones {
            for s in Self.cases where InstantParser.parse(s, zone: zone) != InstantParser.parseGeneral(s, zone: zone) {
                mismatches.append("\(zone.identifier) \(s)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    /// The shapes the fast path answers itself, and the ones it leaves alone.
    @Test func fastPathShapes() {
        func kind(_ s: String) -> String {
            switch ASCIIDateTime.parse(s) {
            case .otherShape: return "other"
            case .invalid: return "invalid"
            case .date: return "date"
            case .dateTime: return "dateTime"
            }
        }
        #expect(kind("2026-09-30") == "date")
        #expect(kind("2026-09-30 22:30") == "dateTime")
        #expect(kind("2026-09-30T22:30:05") == "dateTime")
        #expect(kind("2026-02-30 10:00") == "invalid")
        #expect(kind("2026-09-30 24:00:00") == "invalid")
        #expect(kind(" 2026-09-30") == "other")
        #expect(kind("2026-09-30T22:30:05Z") == "other")
        #expect(kind("2026/09/30 22:30") == "other")
    }
}
