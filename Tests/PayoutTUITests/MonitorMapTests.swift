import PayoutTestSupport
import PayoutCore
import PayoutDemo
import PayoutModel
import Testing
@testable import PayoutTUI

/// Issue 18, the map half: columns that never cut an identifier, a header that tells the
/// truth, several acquirers in one view, and the cash-flow calendar.
@Suite struct MonitorMapTests {
    /// The fixture with every payout ref made long and alike but for its end, as some
    /// acquirers write them (a date, then a running number).
    static func longRefState(size: Size, language: Language = .en) -> MonitorState {
        var state = Fixture.state(size: size, language: language)
        guard var snapshot = state.snapshot else { return state }
        snapshot.payouts = snapshot.payouts.map { line in
            var l = line
            l.payout.ref = "LKLP-20261013-SETTLE-000" + String(line.id)
            return l
        }
        state.snapshot = snapshot
        return state
    }

    /// The payout refs of the snapshot's window, as the pane should show them.
    static func refs(_ state: MonitorState) -> [String] {
        state.snapshot?.payouts.map(\.payout.ref) ?? []
    }

    /// The grid's rows that hold a payout ref of `refs`, by ref.
    static func rows(showing refs: [String], in text: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for line in text.split(separator: "\n").map(String.init) {
            for ref in refs where line.contains(ref) { out[ref, default: []].append(line) }
        }
        return out
    }

    // MARK: - Columns

    @Test func noTwoPayoutRefsRenderTheSameAt80Columns() {
        for state in [Fixture.state(size: Size(width: 80, height: 24)), Self.longRefState(size: Size(width: 80, height: 24))] {
            var s = state
            _ = reduce(&s, .key(.char("2")))
            let text = render(s).text
            let refs = Self.refs(s)
            let shown = min(refs.count, s.visibleRows(.payouts))
            #expect(shown >= 3)
            // Every ref of the rows the pane shows is there in full, so no two read the same.
            let found = Self.rows(showing: Array(refs.prefix(shown)), in: text)
            for ref in refs.prefix(shown) {
                #expect(found[ref] != nil, "payout ref \(ref) is cut at 80 columns:\n\(text)")
            }
            #expect(!text.contains("LKLP-DEMO-0…"))
        }
    }

    @Test func overviewWithLongRefsAt200x60() {
        expectGolden(render(Self.longRefState(size: Size(width: 200, height: 60))).text, "map-long-refs-200x60")
    }

    @Test func overviewWithLongRefsAt80x24() {
        var state = Self.longRefState(size: Size(width: 80, height: 24))
        _ = reduce(&state, .key(.char("2")))
        expectGolden(render(state).text, "map-long-refs-80x24")
    }

    @Test func causeCodesAreNotCutAndShowInChineseInTheChineseUI() {
        let en = render(Fixture.state(size: Size(width: 200, height: 60))).text
        for code in ["ACCOUNT_STATUS", "RECEIVING_LIMIT", "ACQUIRER_BACKLOG", "BANK_PROCESSING"] {
            #expect(en.contains(code), "\(code) cut at 200 columns")
        }
        let zh = render(Fixture.state(size: Size(width: 200, height: 60), language: .zhHans)).text
        #expect(!zh.contains("ACCOUNT_STATUS"))
        #expect(zh.contains(CauseCode.accountStatus.label(.zhHans)))
    }

    @Test func theStatusLineHoldsTheSelectedRowInFull() {
        var state = Self.longRefState(size: Size(width: 80, height: 24))
        _ = reduce(&state, .key(.char("2")))
        let selected = try! #require(state.selectedPayout)
        let statusRow = render(state).text.split(separator: "\n", omittingEmptySubsequences: false)[22]
        #expect(statusRow.contains(selected.payout.ref))
        // The shop's whole name, not the pane's short form.
        let name = try! #require(Fixture.merchant(selected.payout.merchantId)?.name)
        #expect(statusRow.contains(name))
    }

    @Test func transactionsHaveAShopColumnDroppedFirstWhenNarrow() {
        let wide = render(Fixture.state(size: Size(width: 200, height: 60))).text
        let narrow = render(Fixture.state(size: Size(width: 80, height: 24))).text
        let titles = { (text: String) in text.split(separator: "\n").first { $0.contains("RRN") }.map(String.init) ?? "" }
        #expect(titles(wide).contains("Shop"))
        #expect(!titles(narrow).contains("Shop"))
        #expect(titles(narrow).contains("RRN"))
    }

    // MARK: - Header

    /// The fixture with an Adyen account only its report names (no merchants file row).
    static func twoAcquirerState(size: Size, language: Language = .en) -> MonitorState {
        var state = Fixture.state(size: size, language: language)
        let adyen = Merchant(merchantId: "WikimediaDonations", name: "WikimediaDonations", acquirer: "Adyen",
                             bankAccountMasked: "", accountClass: .corporate, dailyInflowLimit: nil, currency: .USD)
        state.snapshot?.accounts.append(AccountLine(merchant: adyen, state: .active, since: nil, reason: nil, openHolds: [],
                                                    recentEvents: [], cycle: nil, fromReportsOnly: true))
        return state
    }

    @Test func theHeaderNamesTheFrozenShopAndSaysWhatItCounts() {
        let state = Fixture.state(size: Size(width: 120, height: 36))
        let lines = render(state).text.split(separator: "\n").map(String.init)
        // The frozen shop is 宝安店, not the first shop the header names.
        #expect(lines[0].contains("FROZEN 宝安店"))
        #expect(lines[0].contains("味道小馆(南山店)"))
        #expect(lines[1].hasPrefix("Transactions:"))
        #expect(lines[1].contains("Payouts open \(state.snapshot?.payoutTotal ?? -1)"))
        #expect(lines[1].contains("data as of 15:12 (18m ago)"))
        expectGolden(lines.prefix(2).joined(separator: "\n"), "map-header-120")
    }

    @Test func theHeaderCountsAcquirersAndShops() {
        let text = render(Self.twoAcquirerState(size: Size(width: 200, height: 60))).text
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].contains("2 acquirers · 5 shops"))
        #expect(lines[0].contains("T+1 / D+0 / own dates"))
        expectGolden(text, "map-two-acquirers-200x60")
        let zh = render(Self.twoAcquirerState(size: Size(width: 200, height: 60), language: .zhHans)).text
        #expect(zh.contains("2家收单机构 · 5家门店"))
    }

    @Test func anAccountOnlyTheReportsNameShowsItsAcquirerCycleAndCurrency() {
        var state = Self.twoAcquirerState(size: Size(width: 200, height: 60))
        _ = reduce(&state, .key(.char("3")))
        let text = render(state).text
        let row = text.split(separator: "\n").first { $0.contains("WikimediaDonations") }.map(String.init) ?? ""
        #expect(row.contains("Adyen · own dates · USD"))
        let lakala = text.split(separator: "\n").first { $0.contains("味道小馆(宝安店)") && $0.contains("frozen") }.map(String.init) ?? ""
        #expect(lakala.contains(Fixture.merchants[0].acquirer + " · T+1 · CNY"))
    }

    @Test func theAcquirerKeyNarrowsEveryPaneAndCyclesBackToAll() {
        var state = Self.twoAcquirerState(size: Size(width: 200, height: 60))
        #expect(state.acquirers == ["Adyen", Fixture.merchants[0].acquirer].sorted())
        _ = reduce(&state, .key(.char("a")))
        #expect(state.acquirer == state.acquirers[0])
        // The header's counts are still the whole store's, and say so.
        #expect(render(state).text.split(separator: "\n")[1].hasPrefix("All acquirers' transactions:"))
        #expect(state.request.acquirer == state.acquirer)
        #expect(state.visibleAccounts.allSatisfy { $0.merchant.acquirer == state.acquirer })
        // Until the snapshot answers the new acquirer, no row can be opened.
        #expect(state.selectedTransaction == nil)
        _ = reduce(&state, .key(.char("a")))
        #expect(state.acquirer == state.acquirers[1])
        _ = reduce(&state, .key(.char("a")))
        #expect(state.acquirer == nil)
        #expect(state.visibleAccounts.count == 5)
        // One acquirer: nothing to cycle, and the status line says so.
        var one = Fixture.state()
        _ = reduce(&one, .key(.char("a")))
        #expect(one.acquirer == nil)
        #expect(one.status?.text == one.strings.oneAcquirer)
    }

    // MARK: - Calendar

    static let story4 = Fixture.calendarPayouts.first { $0.payout.ref == DemoStories.payoutRef(4) }

    /// The calendar opened at the fixture's now (10-14), moved to 10-08.
    static func calendarState(size: Size, language: Language = .en) -> MonitorState {
        var state = Fixture.state(size: size, language: language)
        _ = Fixture.press([.char("c")] + Array(repeating: Key.left, count: 6), on: &state)
        return state
    }

    @Test func theCalendarOpensOnTodayAndMovesByDayWeekAndMonth() {
        var state = Fixture.state()
        _ = Fixture.press([.char("c")], on: &state)
        #expect(state.screen == .calendar(day: Fixture.day("2026-10-14")))
        _ = Fixture.press([.right, .char("l"), .char("]")], on: &state)
        #expect(state.screen == .calendar(day: Fixture.day("2026-10-17")))
        _ = Fixture.press([.left, .char("h"), .char("[")], on: &state)
        #expect(state.screen == .calendar(day: Fixture.day("2026-10-14")))
        _ = Fixture.press([.down], on: &state)
        #expect(state.screen == .calendar(day: Fixture.day("2026-10-21")))
        _ = Fixture.press([.pageDown], on: &state)
        #expect(state.screen == .calendar(day: Fixture.day("2026-11-21")))
        #expect(state.request.calendar == Fixture.day("2026-11-01"))
        _ = Fixture.press([.pageUp, .pageUp], on: &state)
        #expect(state.screen == .calendar(day: Fixture.day("2026-09-21")))
        _ = Fixture.press([.escape], on: &state)
        #expect(state.screen == .overview)
        #expect(state.request.calendar == nil)
    }

    @Test func theCalendarMarksNationalDayTheMakeUpDayAndStory4() throws {
        let story4 = try #require(Self.story4)
        let state = Self.calendarState(size: Size(width: 200, height: 60))
        let month = try #require(state.currentCalendar)
        let days = Dictionary(uniqueKeysWithValues: month.days.map { ($0.date.iso, $0) })
        for d in 1...7 {
            let status = try #require(days["2026-10-0\(d)"]?.status)
            guard case .holiday = status else { Issue.record("10-0\(d) is not a holiday: \(status)"); continue }
        }
        guard case .makeUpWorkday = try #require(days["2026-10-10"]?.status) else {
            Issue.record("10-10 is not a make-up working day"); return
        }
        #expect(days["2026-10-08"]?.expected == ["CNY": story4.payout.expectedAmount.minor])
        let text = render(state).text
        #expect(text.contains("Cash-flow calendar · October 2026"))
        #expect(text.contains("10 work"))
        #expect(text.contains(Format.money(story4.payout.expectedAmount)))
        // The selected day in full in the status line.
        let status = text.split(separator: "\n", omittingEmptySubsequences: false)[58]
        #expect(status.contains("2026-10-08 Thu"))
        #expect(status.contains("1 payout"))
        expectGolden(text, "calendar-2026-10-200x60")
    }

    @Test func theCalendarAt80x24AndInChinese() {
        expectGolden(render(Self.calendarState(size: Size(width: 80, height: 24))).text, "calendar-2026-10-80x24")
        let zh = render(Self.calendarState(size: Size(width: 120, height: 36), language: .zhHans)).text
        #expect(zh.contains("到账日历 · 2026年10月"))
        #expect(zh.contains("10 班"))
        #expect(zh.contains("休"))
        expectGolden(zh, "calendar-2026-10-zh-120x36")
    }

    @Test func enterOnADayListsItsPayoutsAndEnterOnOneOpensIt() throws {
        let story4 = try #require(Self.story4)
        var state = Self.calendarState(size: Size(width: 120, height: 36))
        _ = Fixture.press([.enter], on: &state)
        #expect(state.screen == .dayPayouts(day: Fixture.day("2026-10-08")))
        let text = render(state).text
        #expect(text.contains("Payouts due 10-08 Thu"))
        #expect(text.contains(story4.payout.ref))
        _ = Fixture.press([.enter], on: &state)
        #expect(state.screen == .payout(merchantId: story4.payout.merchantId, ref: story4.payout.ref))
        _ = Fixture.press([.escape, .escape], on: &state)
        #expect(state.screen == .calendar(day: Fixture.day("2026-10-08")))
        // A day with no payouts lists none, and Enter there opens nothing.
        _ = Fixture.press([.right, .right, .enter], on: &state)
        #expect(state.screen == .dayPayouts(day: Fixture.day("2026-10-10")))
        _ = Fixture.press([.enter], on: &state)
        #expect(state.screen == .dayPayouts(day: Fixture.day("2026-10-10")))
    }

    @Test func aDaysFiguresAreSummedPerCurrencyFromThePayoutsStates() throws {
        let zone = Fixture.zone
        let usd = PayoutLine(id: 900, payout: Payout(merchantId: "WikimediaDonations", ref: "1129", cycleDate: Fixture.day("2026-10-13"),
                                                     expectedAmount: Money(minor: 12_345, currency: .USD), status: .scheduled,
                                                     expectedArrival: Fixture.at("2026-10-13 12:00")),
                             lateAfter: Fixture.at("2026-10-13 20:00"), storedState: .pending, cause: nil)
        let month = CalendarMonth.build(containing: Fixture.day("2026-10-13"), payouts: Fixture.payouts + [usd],
                                        calendar: Fixture.calendar, zone: zone, now: Fixture.now)
        let day = try #require(month.days.first { $0.date == Fixture.day("2026-10-13") })
        #expect(day.payouts == 6)
        #expect(day.expected["USD"] == 12_345)
        #expect(day.late["USD"] == 12_345)
        let cny = Fixture.payouts.filter { CalendarMonth.day(of: $0.payout, in: zone) == Fixture.day("2026-10-13") }
        #expect(day.expected["CNY"] == cny.reduce(0) { $0 + $1.payout.expectedAmount.minor })
        #expect(day.arrived["CNY"] == cny.reduce(0) { $0 + ($1.payout.paidAmount?.minor ?? 0) })
        // LKLP-DEMO-05 is held whole; LKLP-DEMO-03 holds back what it did not pay.
        let held: Int64 = 453_264 + 2_000_000
        #expect(day.held["CNY"] == held)
    }
}
