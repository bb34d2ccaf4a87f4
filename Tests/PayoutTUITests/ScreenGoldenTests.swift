import PayoutTestSupport
import PayoutCore
import PayoutModel
import Testing
@testable import PayoutTUI

/// Every screen as grid text against a golden file, on the fixed fixture and "now".
/// Rewrite with PAYOUTMON_UPDATE_GOLDEN=1 and review the diff.
@Suite struct ScreenGoldenTests {
    @Test func overviewAt120x36() {
        let state = Fixture.state(size: Size(width: 120, height: 36))
        expectGolden(render(state).text, "overview-120x36")
    }

    @Test func overviewAtTheMinimumSize() {
        let state = Fixture.state(size: Size(width: 80, height: 24))
        expectGolden(render(state).text, "overview-80x24")
    }

    @Test func overviewWideAt200x60() {
        let state = Fixture.state(size: Size(width: 200, height: 60))
        expectGolden(render(state).text, "overview-200x60")
    }

    @Test func overviewInChinese() {
        let state = Fixture.state(size: Size(width: 120, height: 36), language: .zhHans)
        expectGolden(render(state).text, "overview-zh-120x36")
    }

    @Test func payoutsPaneFocusedWithASelection() {
        var state = Fixture.state(size: Size(width: 120, height: 36))
        _ = Fixture.press([.char("2"), .down, .down], on: &state)
        expectGolden(render(state).text, "overview-payouts-focused")
    }

    @Test func transactionDrillDownOfTheClassIIStory() {
        var state = Fixture.state(size: Size(width: 120, height: 60))
        selectTransaction(Fixture.storyTxnId, in: &state)
        _ = Fixture.press([.enter], on: &state)
        #expect(state.screen == .transaction(id: Fixture.storyTxnId))
        expectGolden(render(state).text, "transaction-detail-120x60")
    }

    @Test func transactionDrillDownInChinese() {
        var state = Fixture.state(size: Size(width: 120, height: 60), language: .zhHans)
        selectTransaction(Fixture.storyTxnId, in: &state)
        _ = Fixture.press([.enter], on: &state)
        expectGolden(render(state).text, "transaction-detail-zh-120x60")
    }

    @Test func transactionDrillDownScrolledAtTheMinimumSize() {
        var state = Fixture.state(size: Size(width: 80, height: 24))
        selectTransaction(Fixture.storyTxnId, in: &state)
        _ = Fixture.press([.enter], on: &state)
        expectGolden(render(state).text, "transaction-detail-80x24-top")
        _ = Fixture.press([.pageDown], on: &state)
        expectGolden(render(state).text, "transaction-detail-80x24-page2")
    }

    @Test func payoutDrillDownOfTheShortPayout() {
        var state = Fixture.state(size: Size(width: 120, height: 50))
        selectPayout(Fixture.storyPayoutRef, in: &state)
        _ = Fixture.press([.enter], on: &state)
        #expect(state.screen == .payout(merchantId: Fixture.classIIMID, ref: Fixture.storyPayoutRef))
        expectGolden(render(state).text, "payout-detail-120x50")
    }

    @Test func payoutDrillDownInChinese() {
        var state = Fixture.state(size: Size(width: 120, height: 50), language: .zhHans)
        selectPayout(Fixture.storyPayoutRef, in: &state)
        _ = Fixture.press([.enter], on: &state)
        expectGolden(render(state).text, "payout-detail-zh-120x50")
    }

    @Test func helpOverlay() {
        var state = Fixture.state(size: Size(width: 80, height: 24))
        _ = Fixture.press([.char("?")], on: &state)
        expectGolden(render(state).text, "help-80x24")
    }

    @Test func helpOverlayInChinese() {
        var state = Fixture.state(size: Size(width: 100, height: 30), language: .zhHans)
        _ = Fixture.press([.char("?")], on: &state)
        expectGolden(render(state).text, "help-zh-100x30")
    }

    @Test func filterPromptWhileTyping() {
        var state = Fixture.state(size: Size(width: 100, height: 30))
        _ = Fixture.press([.char("/"), .char("福"), .char("田")], on: &state)
        expectGolden(render(state).text, "filter-prompt")
    }

    @Test func filterApplied() {
        var state = Fixture.state(size: Size(width: 100, height: 30))
        _ = Fixture.press([.char("/"), .char("福"), .char("田"), .enter], on: &state)
        expectGolden(render(state).text, "filter-applied")
    }

    @Test func problemsOnly() {
        var state = Fixture.state(size: Size(width: 100, height: 30))
        _ = Fixture.press([.char("p")], on: &state)
        expectGolden(render(state).text, "problems-only")
    }

    @Test func tooSmallScreen() {
        let state = Fixture.state(size: Size(width: 60, height: 15))
        expectGolden(render(state).text, "too-small-60x15")
    }

    @Test func tooSmallScreenInChinese() {
        let state = Fixture.state(size: Size(width: 60, height: 15), language: .zhHans)
        expectGolden(render(state).text, "too-small-zh-60x15")
    }

    @Test func noColorStyleMapOfTheOverview() {
        // Under NO_COLOR the monochrome theme draws attributes only: the selection must
        // still show (reverse video) and states still read as words.
        let state = Fixture.state(size: Size(width: 100, height: 30))
        let grid = render(state)
        let theme = Theme.forEnvironment(["NO_COLOR": "1"])
        #expect(theme == .monochrome)
        let map = grid.styleMap { style in
            let resolved = theme.resolve(style)
            #expect(resolved.foreground == Theme.defaultColor && resolved.background == Theme.defaultColor)
            if resolved.attributes.contains(.reverse) { return "R" }
            if resolved.attributes.contains(.bold) { return "B" }
            if resolved.attributes.contains(.dim) { return "d" }
            return "."
        }
        expectGolden(map, "overview-nocolor-stylemap")
        expectGolden(grid.text, "overview-nocolor-text")
    }

    @Test func loadingBeforeTheFirstSnapshot() {
        let state = MonitorState(now: Fixture.now, timeZone: Fixture.zone, size: Size(width: 80, height: 24))
        expectGolden(render(state).text, "overview-loading")
    }

    @Test func staleSyncInTheHeader() {
        var state = Fixture.state(size: Size(width: 120, height: 36))
        _ = reduce(&state, .sync(.stale(since: Fixture.at("2026-10-14 15:21:05"), reason: "database is locked")))
        #expect(render(state).row(1).hasSuffix("! stale since 15:21:05: database is locked"))
    }

    // MARK: - Helpers

    func selectTransaction(_ id: Int64, in state: inout MonitorState) {
        guard let index = Fixture.transactions.firstIndex(where: { $0.id == id }) else {
            Issue.record("no transaction \(id)")
            return
        }
        _ = Fixture.press(Array(repeating: .down, count: index), on: &state)
        #expect(state.selectedTransaction?.id == id)
    }

    func selectPayout(_ ref: String, in state: inout MonitorState) {
        guard let index = Fixture.payouts.firstIndex(where: { $0.payout.ref == ref }) else {
            Issue.record("no payout \(ref)")
            return
        }
        _ = Fixture.press([.char("2")] + Array(repeating: .down, count: index), on: &state)
        #expect(state.selectedPayout?.payout.ref == ref)
    }
}
