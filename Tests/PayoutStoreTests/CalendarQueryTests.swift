import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutDemo
import Testing
@testable import PayoutStore

/// The cash-flow calendar's query on the demo store: a month's payouts by expected
/// arrival, summed per day and currency, each day marked from the settlement calendar.
@Suite struct CalendarQueryTests {
    static let rules = SettlementRules(policy: .demoDefault, calendar: try! SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn"))

    @Test func october2026HoldsNationalDayTheMakeUpDayAndStory4() throws {
        let store = try DemoStore.make()
        let day = try #require(LocalDate(iso: "2026-10-08"))
        let read = try store.read(rules: Self.rules) { try $0.calendarMonth(containing: day, now: DemoStore.now) }
        #expect(read.month.days.count == 31)
        let days = Dictionary(uniqueKeysWithValues: read.month.days.map { ($0.date.iso, $0) })
        guard case .holiday = try #require(days["2026-10-01"]).status else { Issue.record("10-01 is not a holiday"); return }
        guard case .makeUpWorkday = try #require(days["2026-10-10"]).status else { Issue.record("10-10 is not a working day"); return }
        // Story 4: paid on 10-08, after the holiday; the day's figures are its payout's.
        let story4 = try #require(read.payouts.first { $0.payout.ref == DemoStories.payoutRef(4) })
        let d8 = try #require(days["2026-10-08"])
        let onThe8th = read.payouts.filter { CalendarMonth.day(of: $0.payout, in: Self.rules.policy.timeZone) == day }
        #expect(onThe8th.contains { $0.id == story4.id })
        #expect(d8.payouts == onThe8th.count)
        #expect(d8.expected["CNY"] == onThe8th.reduce(0) { $0 + $1.payout.expectedAmount.minor })
        #expect(d8.late.isEmpty && d8.held.isEmpty && d8.short.isEmpty)
        // Every payout read is in the month.
        #expect(read.payouts.allSatisfy {
            let d = CalendarMonth.day(of: $0.payout, in: Self.rules.policy.timeZone)
            return d.year == 2026 && d.month == 10
        })
    }

    @Test func accountsOnlyTheReportsNameAreListedWithTheirAcquirer() throws {
        let store = try memoryStore()
        _ = try store.importFile(atPath: fixture("public/wikimedia-settlement_detail_report_batch_1129.csv"), options: importOptions)
        let accounts = try store.read(rules: Self.rules) { try $0.accounts(now: DemoStore.now) }
        #expect(accounts.map(\.merchant.merchantId) == ["WikimediaDonations"])
        #expect(accounts.first?.merchant.acquirer == "Adyen")
        #expect(accounts.first?.merchant.currency == .USD)
        #expect(accounts.first?.otherCurrencies == ["EUR"])
        #expect(accounts.first?.cycle == nil)
        #expect(accounts.first?.fromReportsOnly == true)
    }
}
