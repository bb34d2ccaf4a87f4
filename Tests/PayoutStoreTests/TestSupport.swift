import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import PayoutDemo
import PayoutFormats
@testable import PayoutStore

let importOptions = ImportOptions(timeZone: shanghai)

/// The demo data set in a store, in memory or at `dir/demo.sqlite`: the store's tests
/// read and reconcile it (PayoutDemoTests checks the data set itself).
enum DemoStore {
    /// A fixed "now": 2026-11-28 15:00 in Shanghai.
    static let now = LocalDateTime(parsing: "2026-11-28 15:00")!.instant(in: shanghai)

    static func make(_ dir: TempDir? = nil, now: Instant = now) throws -> WritableStore {
        let store = try dir.map { try PayoutStore.openForWriting(path: $0.path + "/demo.sqlite") } ?? memoryStore()
        let calendar = try SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
        let demo = try DemoData(now: now, policy: .demoDefault, calendar: calendar)
        _ = try demo.write(to: store, rules: SettlementRules(policy: .demoDefault, calendar: calendar), now: now)
        return store
    }
}
