import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import Testing
@testable import PayoutDemo
@testable import PayoutStore

/// The stories as records: what each story wrote, and that the store holds exactly them.
@Suite struct DemoStoriesTests {
    static let now = at("2026-11-28 15:00")

    static func stories(ordinaryDays: Int = 30) throws -> DemoStories {
        try DemoStories.make(now: now, policy: .demoDefault, calendar: try SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn"),
                             ordinaryDays: ordinaryDays)
    }

    @Test func eachStoryWroteItsTableRow() throws {
        let stories = try Self.stories()
        #expect(stories.stories.count == DemoStories.table.count)
        for story in DemoStories.table {
            let r = stories.records(of: story.number)
            #expect(r.payouts.contains { $0.ref == story.payoutRef && $0.merchantId == story.merchantId }, "story \(story.number)")
            #expect(r.transactions.filter { $0.rrn == story.rrn && $0.merchantId == story.merchantId }.count == 1, "story \(story.number)")
            #expect(r.merchants.isEmpty)
        }
    }

    @Test func theShopsAndTerminalsAreTheTables() throws {
        let all = try Self.stories(ordinaryDays: 2).all
        #expect(all.merchants.map(\.merchantId) == DemoStories.shops.map(\.merchantId))
        #expect(Set(all.transactions.map(\.terminalId)) == Set(DemoStories.terminals.map(\.id)))
        for t in all.transactions {
            #expect(DemoStories.terminals.contains { $0.id == t.terminalId && $0.merchantId == t.merchantId && $0.name == t.terminalName })
        }
    }

    @Test func theStoreHoldsTheRecords() throws {
        let calendar = try SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
        let demo = try DemoData(now: Self.now, policy: .demoDefault, calendar: calendar, ordinaryDays: 2)
        let store = try WritableStore(DatabaseQueue())
        _ = try demo.write(to: store, rules: SettlementRules(policy: .demoDefault, calendar: calendar), now: Self.now)
        let all = demo.records.all
        let counts = try tableCounts(store)
        #expect(counts["txn"] == all.transactions.count)
        #expect(counts["payout"] == all.payouts.count)
        #expect(counts["payoutItem"] == all.payoutItems.count)
        #expect(counts["hold"] == all.holds.count)
        #expect(counts["accountEvent"] == all.accountEvents.count)
        let masked = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT bankAccountMasked FROM merchant ORDER BY merchantId") }
        #expect(masked == all.merchants.sorted { $0.merchantId < $1.merchantId }.map(\.bankAccountMasked))
    }
}
