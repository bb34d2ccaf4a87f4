import Foundation
import Synchronization

/// A zone's offset from UTC at an instant, looked up once per zone and UTC day.
///
/// Foundation asks the zone database on every call (about a microsecond each); an import
/// converts each row's time and each reconciled transaction's times, so the same few
/// days are asked again and again. A day is cached only when its first and last second
/// have the same offset: a day with a change of offset (daylight saving, a zone that
/// moved) is asked of the zone every time, so the answer is always the zone's own.
public enum ZoneOffsets {
    private struct Key: Hashable {
        let zone: String
        let day: Int64
    }

    /// Offsets by zone and UTC day; `nil` marks a day whose offset changes.
    private static let cache = Mutex<[Key: Int32?]>([:])
    /// Days kept before the cache starts over (a few zones over decades).
    static let capacity = 200_000

    /// The zone's offset from UTC, in seconds, at `epochSeconds`.
    public static func seconds(_ zone: TimeZone, at epochSeconds: Int64) -> Int64 {
        let day = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let key = Key(zone: zone.identifier, day: day)
        if let hit = cache.withLock({ $0[key] }) {
            if let offset = hit { return Int64(offset) }
            return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(epochSeconds))))
        }
        let first = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(day * 86_400)))
        let last = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(day * 86_400 + 86_399)))
        let steady: Int32? = first == last ? Int32(first) : nil
        cache.withLock { c in
            if c.count >= capacity { c.removeAll(keepingCapacity: true) }
            c[key] = .some(steady)
        }
        return steady.map(Int64.init) ?? Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(epochSeconds))))
    }
}
