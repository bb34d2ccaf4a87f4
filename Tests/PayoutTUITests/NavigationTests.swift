import PayoutTestSupport
import PayoutCore
import PayoutModel
import Testing
@testable import PayoutTUI

/// The monitor as a map: links between transactions, payouts and accounts, the
/// breadcrumb, the one search, the shop filter and the navigation keys, through `reduce`.
@Suite struct NavigationTests {
    func state(_ size: Size = Size(width: 120, height: 40)) -> MonitorState { Fixture.state(size: size) }

    func select(txn id: Int64, in s: inout MonitorState) {
        let index = Fixture.transactions.firstIndex { $0.id == id } ?? 0
        _ = Fixture.press([.char("1")] + Array(repeating: Key.down, count: index), on: &s)
    }

    // MARK: - Links

    @Test func aTransactionLeadsToItsPayoutsAndBackspaceAndEscGoBack() {
        var s = state()
        select(txn: Fixture.storyTxnId, in: &s)
        _ = Fixture.press([.enter], on: &s)
        #expect(s.screen == .transaction(id: Fixture.storyTxnId))
        // The story's payouts: its own (first), then the two that pay the carried-over money.
        let labels = s.links.map(\.label)
        #expect(labels.first == Fixture.storyPayoutRef)
        #expect(Set(labels) == [Fixture.storyPayoutRef, Fixture.storyPayoutRef + "B", Fixture.storyPayoutRef + "C"])
        _ = Fixture.press([.tab, .enter], on: &s)
        let second = labels[1]
        #expect(s.screen == .payout(merchantId: Fixture.classIIMID, ref: second))
        #expect(s.screens.count == 3)
        _ = Fixture.press([.backspace], on: &s)
        #expect(s.screen == .transaction(id: Fixture.storyTxnId))
        // The link selected before is still selected on the way back.
        #expect(s.screens.last?.link == 1)
        _ = Fixture.press([.escape], on: &s)
        #expect(s.screen == .overview)
    }

    @Test func aPayoutLeadsToItsTransactions() {
        var s = state()
        let p = Fixture.payouts.first { $0.payout.ref == Fixture.riskPayoutRef }!.payout
        s.screens.append(ScreenEntry(.payout(merchantId: p.merchantId, ref: p.ref), label: p.ref))
        Fixture.refresh(&s)
        // Its sale's line and its hold's line both name the sale: each opens it.
        let sale = Screen.transaction(id: Fixture.transactionIds(p.merchantId)[Fixture.riskRRN]!)
        #expect(s.links.map(\.screen) == [sale, sale])
        _ = Fixture.press([.enter], on: &s)
        guard case .transaction(let id) = s.screen else {
            Issue.record("Enter did not open the transaction: \(s.screen)")
            return
        }
        #expect(s.currentDetail.map { detail -> String in
            if case .transaction(let line) = detail.subject { return line.transaction.rrn }
            return ""
        } == Fixture.riskRRN)
        #expect(Fixture.transactions.contains { $0.id == id })
    }

    @Test func tabWrapsAroundTheLinksAndShiftTabGoesBack() {
        var s = state()
        select(txn: Fixture.storyTxnId, in: &s)
        _ = Fixture.press([.enter], on: &s)
        let n = s.links.count
        #expect(n == 3)
        _ = Fixture.press(Array(repeating: Key.tab, count: n), on: &s)
        #expect(s.screens.last?.link == 0)
        _ = Fixture.press([.backTab], on: &s)
        #expect(s.screens.last?.link == n - 1)
    }

    @Test func theAccountScreenLeadsToWhatAHoldHoldsBackAndToPayouts() {
        var s = state()
        _ = Fixture.press([.char("3"), .enter], on: &s)
        #expect(s.screen == .account(merchantId: Fixture.mainMID))
        let links = s.links
        // The risk-review hold first (it holds back payout 3), then the shop's payouts, newest first.
        #expect(links.first?.screen == .payout(merchantId: Fixture.mainMID, ref: Fixture.riskPayoutRef))
        let payoutRefs = links.dropFirst().compactMap { link -> String? in
            if case .payout(_, let ref) = link.screen { return ref }
            return nil
        }
        #expect(payoutRefs.count == Fixture.payouts.filter { $0.payout.merchantId == Fixture.mainMID }.count)
        // Settled payouts are reachable from the account.
        #expect(payoutRefs.contains("LKLP20261013-10001"))
        _ = Fixture.press([.enter], on: &s)
        #expect(s.screen == .payout(merchantId: Fixture.mainMID, ref: Fixture.riskPayoutRef))
    }

    @Test func eOnAnAccountWritesItsNote() {
        var s = state()
        _ = Fixture.press([.char("3"), .down, .down], on: &s)
        #expect(Fixture.press([.char("e")], on: &s) == [.exportNote(.account(merchantId: Fixture.frozenMID))])
        _ = Fixture.press([.enter], on: &s)
        #expect(Fixture.press([.char("e")], on: &s) == [.exportNote(.account(merchantId: Fixture.frozenMID))])
    }

    @Test func enterOnADetailWithoutLinksSaysSo() {
        var s = state()
        let p = Fixture.payouts.first { $0.payout.ref == Fixture.failedPayoutRef }!.payout
        s.screens.append(ScreenEntry(.payout(merchantId: p.merchantId, ref: p.ref)))
        Fixture.refresh(&s)
        #expect(s.links.isEmpty)
        _ = Fixture.press([.enter], on: &s)
        #expect(s.screens.count == 2)
        #expect(s.status?.text == Strings(.en).noLinks)
    }

    // MARK: - Search

    @Test func aSearchMovesTheFocusToThePaneWithMatches() {
        var s = state()
        _ = Fixture.press([.char("/")] + "LKLP20261013".map { Key.char($0) } + [.enter], on: &s)
        #expect(s.filter == "LKLP20261013")
        #expect(s.count(.transactions) == 0)
        #expect(s.focus == .payouts)
        #expect(s.selectedPayout?.payout.ref == "LKLP20261013-10001")
        _ = Fixture.press([.enter], on: &s)
        #expect(s.screen == .payout(merchantId: Fixture.mainMID, ref: "LKLP20261013-10001"))
    }

    @Test func nAndShiftNStepThroughMatchesAcrossPanes() {
        var s = state()
        _ = Fixture.press([.char("/")] + "福田".map { Key.char($0) } + [.enter], on: &s)
        // Two transactions (terminal 福田收银台), the shop 味道小馆(福田店) and its payouts.
        #expect(s.count(.transactions) == 2)
        let payouts = Fixture.payouts.filter { $0.payout.merchantId == Fixture.classIIMID }.count
        #expect(s.count(.payouts) == payouts)
        #expect(s.count(.accounts) == 1)
        #expect(s.focus == .transactions)
        _ = Fixture.press([.char("n")], on: &s)
        #expect(s.focus == .transactions && s.transactionCursor.selection == 1)
        _ = Fixture.press([.char("n")], on: &s)
        #expect(s.focus == .payouts && s.payoutCursor.selection == 0)
        _ = Fixture.press(Array(repeating: Key.char("n"), count: payouts), on: &s)
        #expect(s.focus == .accounts && s.accountCursor.selection == 0)
        _ = Fixture.press([.char("N")], on: &s)
        #expect(s.focus == .payouts && s.payoutCursor.selection == payouts - 1)
    }

    @Test func nWithoutASearchSaysHowToSearch() {
        var s = state()
        _ = Fixture.press([.char("n")], on: &s)
        #expect(s.status?.text == Strings(.en).noSearch)
    }

    @Test func escOnTheOverviewClearsTheSearchThenTheShop() {
        var s = state()
        _ = Fixture.press([.char("s"), .down, .down, .enter], on: &s)
        #expect(s.shop == Fixture.classIIMID)
        _ = Fixture.press([.char("/"), .char("8"), .enter], on: &s)
        #expect(s.filter == "8")
        _ = Fixture.press([.escape], on: &s)
        #expect(s.filter == nil && s.shop == Fixture.classIIMID)
        _ = Fixture.press([.escape], on: &s)
        #expect(s.shop == nil && !s.quit)
    }

    // MARK: - Shop filter

    @Test func theShopPickerNarrowsEveryPane() {
        var s = state()
        _ = Fixture.press([.char("s")], on: &s)
        #expect(keyContext(of: s) == .shopPicker)
        _ = Fixture.press([.down, .down, .down], on: &s)
        _ = Fixture.press([.enter], on: &s)
        #expect(s.shopPicker == nil)
        #expect(s.shop == Fixture.frozenMID)
        #expect(s.request.shop == Fixture.frozenMID)
        let snapshot = try! #require(s.snapshot)
        #expect(snapshot.transactions.allSatisfy { $0.transaction.merchantId == Fixture.frozenMID })
        #expect(snapshot.payouts.allSatisfy { $0.payout.merchantId == Fixture.frozenMID })
        #expect(snapshot.accounts.map(\.merchant.merchantId) == [Fixture.frozenMID])
        // The first row, "All shops", clears it; Esc closes the picker without change.
        _ = Fixture.press([.char("s"), .escape], on: &s)
        #expect(s.shop == Fixture.frozenMID)
        _ = Fixture.press([.char("s"), .enter], on: &s)
        #expect(s.shop == nil)
    }

    // MARK: - Keys

    @Test func ctrlLAsksForARepaintEverywhere() {
        var s = state()
        #expect(Fixture.press([.ctrl("l")], on: &s) == [.repaint])
        _ = Fixture.press([.enter], on: &s)
        #expect(Fixture.press([.ctrl("l")], on: &s) == [.repaint])
        var small = Fixture.state(size: Size(width: 60, height: 15))
        #expect(Fixture.press([.ctrl("l")], on: &small) == [.repaint])
    }

    @Test func anUnknownKeyShowsAHint() {
        var s = state()
        _ = Fixture.press([.char("z")], on: &s)
        #expect(s.status?.text == Strings(.en).unknownKey("z"))
        #expect(s.status?.text.contains("? for help") == true)
        // In the prompt the same key is text.
        _ = Fixture.press([.char("/"), .char("z")], on: &s)
        #expect(s.prompt?.text == "z")
    }

    @Test func homeAndEndGoToTheFirstAndLastRow() {
        var s = state()
        _ = Fixture.press([.end], on: &s)
        #expect(s.transactionCursor.selection == Fixture.transactions.count - 1)
        _ = Fixture.press([.home], on: &s)
        #expect(s.transactionCursor.selection == 0)
    }

    @Test func followToggles() {
        var s = state()
        _ = Fixture.press([.down, .down, .char("f")], on: &s)
        #expect(s.follow)
        #expect(s.transactionCursor.selection == 0)
        #expect(s.status?.text == Strings(.en).followOn)
        _ = Fixture.press([.char("f")], on: &s)
        #expect(!s.follow)
    }
}

/// `o`: each pane's order, asked of the store and named in the pane's title.
@Suite struct SortTests {
    @Test func oCyclesTheFocusedPanesOrder() {
        var s = Fixture.state(size: Size(width: 120, height: 36))
        _ = Fixture.press([.down, .char("o")], on: &s)
        #expect(s.transactionSort == .amount && s.request.transactionSort == .amount)
        #expect(s.transactionCursor.selection == 0)
        let amounts = s.snapshot?.transactions.map(\.transaction.amount.minor) ?? []
        #expect(amounts == amounts.sorted(by: >))
        #expect(render(s).text.contains("1 Transactions · by amount ▼"))
        _ = Fixture.press([.char("o")], on: &s)
        #expect(s.transactionSort == .usual)
        #expect(!render(s).text.contains("by amount"))
        _ = Fixture.press([.char("2"), .char("o")], on: &s)
        #expect(s.payoutSort == .amount && s.transactionSort == .usual)
        let expected = s.snapshot?.payouts.map(\.payout.expectedAmount.minor) ?? []
        #expect(expected == expected.sorted(by: >))
        _ = Fixture.press([.char("3"), .char("o")], on: &s)
        #expect(s.accountSort == .state)
        #expect(s.snapshot?.accounts.first?.merchant.merchantId == Fixture.frozenMID)
        #expect(render(s).text.contains("3 Account status · worst state first"))
    }
}

/// Mouse clicks select and the wheel scrolls (`Key.mouse`, from NcursesTerminal's mouse events).
@Suite struct MouseTests {
    @Test func aClickSelectsTheRowUnderItInItsPane() {
        var s = Fixture.state(size: Size(width: 120, height: 36))
        let layout = OverviewLayout(size: s.size)
        // The third row of Transactions: box top, column titles, then rows.
        _ = Fixture.press([.mouse(MouseEvent(.click, x: 10, y: layout.transactions.y + 2 + 2))], on: &s)
        #expect(s.focus == .transactions && s.transactionCursor.selection == 2)
        // The second row of Pending payouts: the pane takes the focus.
        _ = Fixture.press([.mouse(MouseEvent(.click, x: 10, y: layout.payouts.y + 2 + 1))], on: &s)
        #expect(s.focus == .payouts && s.payoutCursor.selection == 1)
        // A click below the last row selects nothing new.
        #expect(layout.visibleRows(.accounts) > 4)
        _ = Fixture.press([.mouse(MouseEvent(.click, x: 10, y: layout.accounts.y + 2 + 4))], on: &s)
        #expect(s.focus == .accounts && s.accountCursor.selection == 0)
    }

    @Test func theWheelScrollsThePaneUnderIt() {
        var s = Fixture.state(size: Size(width: 120, height: 36))
        let layout = OverviewLayout(size: s.size)
        _ = Fixture.press([.mouse(MouseEvent(.wheelDown, x: 5, y: layout.transactions.y + 3))], on: &s)
        #expect(s.transactionCursor.selection == 3)
        _ = Fixture.press([.mouse(MouseEvent(.wheelUp, x: 5, y: layout.transactions.y + 3))], on: &s)
        #expect(s.transactionCursor.selection == 0)
    }

    @Test func aClickOnALinkedRowOfADetailSelectsIt() {
        var s = Fixture.state(size: Size(width: 120, height: 60))
        let index = Fixture.transactions.firstIndex { $0.id == Fixture.storyTxnId } ?? 0
        _ = Fixture.press(Array(repeating: Key.down, count: index) + [.enter], on: &s)
        let lines = DetailView.lines(s, width: DetailView.contentWidth(size: s.size))
        let rows = lines.indices.filter { lines[$0].link != nil }
        #expect(rows.count == 3)
        let layout = OverviewLayout(size: s.size)
        _ = Fixture.press([.mouse(MouseEvent(.click, x: 8, y: layout.body.y + 1 + rows[2]))], on: &s)
        #expect(s.screens.last?.link == 2)
        // A click on a line that leads nowhere keeps the selection.
        _ = Fixture.press([.mouse(MouseEvent(.click, x: 8, y: layout.body.y + 1))], on: &s)
        #expect(s.screens.last?.link == 2)
    }
}
