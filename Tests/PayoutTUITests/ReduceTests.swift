import PayoutTestSupport
import PayoutCore
import PayoutModel
import Testing
@testable import PayoutTUI

/// `reduce` on keys and events: navigation, drill-down, quitting, the filter prompt,
/// problems-only, language, export, help.
@Suite struct ReduceTests {
    let size = Size(width: 100, height: 30)

    func state() -> MonitorState { Fixture.state(size: size) }

    // MARK: - Start and navigation

    @Test func startsOnTheTransactionsPaneWithItsFirstRowSelected() {
        let s = state()
        #expect(s.screen == .overview)
        #expect(s.focus == .transactions)
        #expect(s.transactionCursor == ListCursor(selection: 0, offset: 0))
        #expect(s.selectedTransaction?.id == Fixture.transactions.first?.id)
        #expect(!s.quit && !s.showHelp && s.prompt == nil && s.filter == nil && !s.problemsOnly)
    }

    @Test func movingStopsAtBothEndsOfTheList() {
        var s = state()
        _ = Fixture.press([.up, .char("k")], on: &s)
        #expect(s.transactionCursor.selection == 0)
        _ = Fixture.press(Array(repeating: .char("j"), count: 30), on: &s)
        #expect(s.transactionCursor.selection == Fixture.transactions.count - 1)
        #expect(s.selectedTransaction?.id == Fixture.transactions.last?.id)
        _ = Fixture.press([.char("g")], on: &s)
        #expect(s.transactionCursor == ListCursor(selection: 0, offset: 0))
        _ = Fixture.press([.char("G")], on: &s)
        #expect(s.transactionCursor.selection == Fixture.transactions.count - 1)
        _ = Fixture.press([.home], on: &s)
        #expect(s.transactionCursor.selection == 0)
        _ = Fixture.press([.end], on: &s)
        #expect(s.transactionCursor.selection == Fixture.transactions.count - 1)
    }

    @Test func theWindowAskedForFollowsTheSelection() {
        var s = Fixture.state(size: Size(width: 80, height: 24))
        let visible = OverviewLayout(size: s.size).visibleRows(.transactions)
        #expect(s.request.transactionOffset == 0)
        #expect(s.request.transactionLimit == visible)
        _ = Fixture.press(Array(repeating: .down, count: visible), on: &s)
        #expect(s.transactionCursor.selection == visible)
        #expect(s.request.transactionOffset == 1)
        #expect(s.selectedTransaction?.id == Fixture.transactions[visible].id)
        _ = Fixture.press([.pageDown], on: &s)
        #expect(s.transactionCursor.selection == Fixture.transactions.count - 1)
        #expect(s.request.transactionOffset == Fixture.transactions.count - visible)
        _ = Fixture.press([.pageUp], on: &s)
        #expect(s.transactionCursor.selection == Fixture.transactions.count - 1 - (visible - 1))
        #expect(s.request.transactionOffset == s.transactionCursor.selection)
    }

    @Test func aResizeKeepsTheSelectionInViewAndResizesTheWindow() {
        var s = Fixture.state(size: Size(width: 120, height: 40))
        _ = Fixture.press([.char("G")], on: &s)
        _ = reduce(&s, .resize(Size(width: 80, height: 24)))
        let visible = OverviewLayout(size: s.size).visibleRows(.transactions)
        #expect(s.request.transactionLimit == visible)
        #expect(s.transactionCursor.selection >= s.transactionCursor.offset)
        #expect(s.transactionCursor.selection < s.transactionCursor.offset + visible)
    }

    @Test func tabShiftTabAndNumbersSwitchPanes() {
        var s = state()
        _ = Fixture.press([.tab], on: &s)
        #expect(s.focus == .payouts)
        _ = Fixture.press([.tab], on: &s)
        #expect(s.focus == .accounts)
        _ = Fixture.press([.tab], on: &s)
        #expect(s.focus == .transactions)
        _ = Fixture.press([.backTab], on: &s)
        #expect(s.focus == .accounts)
        _ = Fixture.press([.char("2")], on: &s)
        #expect(s.focus == .payouts)
        _ = Fixture.press([.char("1")], on: &s)
        #expect(s.focus == .transactions)
        _ = Fixture.press([.char("3"), .down, .down], on: &s)
        #expect(s.focus == .accounts)
        #expect(s.accountCursor.selection == 2)
        #expect(s.transactionCursor.selection == 0)
    }

    @Test func eachPaneKeepsItsOwnSelection() {
        var s = state()
        _ = Fixture.press([.down, .char("2"), .down, .down, .down, .char("1")], on: &s)
        #expect(s.transactionCursor.selection == 1)
        #expect(s.payoutCursor.selection == 3)
        #expect(s.selectedPayout?.payout.ref == Fixture.payouts[3].payout.ref)
    }

    // MARK: - Drill-down and back

    @Test func enterDrillsIntoTheSelectedTransactionAndEscGoesBack() {
        var s = state()
        _ = Fixture.press([.down, .enter], on: &s)
        let id = Fixture.transactions[1].id
        #expect(s.screen == .transaction(id: id))
        #expect(s.request.detail == .transaction(id: id))
        #expect(s.currentDetail != nil)
        _ = Fixture.press([.escape], on: &s)
        #expect(s.screen == .overview)
        #expect(s.request.detail == nil)
        #expect(s.transactionCursor.selection == 1)
    }

    @Test func qGoesBackFromADetailAndQuitsFromTheTop() {
        var s = state()
        _ = Fixture.press([.enter], on: &s)
        var effects = Fixture.press([.char("q")], on: &s)
        #expect(s.screen == .overview)
        #expect(effects.isEmpty && !s.quit)
        effects = Fixture.press([.char("q")], on: &s)
        #expect(effects == [.quit])
        #expect(s.quit)
    }

    @Test func escOnTheTopScreenDoesNotQuit() {
        var s = state()
        let effects = Fixture.press([.escape], on: &s)
        #expect(effects.isEmpty && !s.quit)
        #expect(s.screen == .overview)
    }

    @Test func enterDrillsIntoTheSelectedPayout() {
        var s = state()
        _ = Fixture.press([.char("2"), .down, .down, .enter], on: &s)
        let p = Fixture.payouts[2].payout
        #expect(s.screen == .payout(merchantId: p.merchantId, ref: p.ref))
        #expect(s.request.detail == .payout(merchantId: p.merchantId, ref: p.ref))
        _ = Fixture.press([.char("q")], on: &s)
        #expect(s.screen == .overview && s.focus == .payouts)
    }

    @Test func enterOnTheAccountsPaneOpensTheAccount() {
        var s = state()
        _ = Fixture.press([.char("3"), .down, .down, .enter], on: &s)
        #expect(s.screen == .account(merchantId: Fixture.frozenMID))
        #expect(s.request.detail == .account(merchantId: Fixture.frozenMID))
        #expect(s.currentAccount?.state == .frozen)
    }

    @Test func enterOnAnEmptyListSaysNothingIsSelected() {
        var s = state()
        _ = Fixture.press([.char("/"), .char("x"), .char("y"), .enter], on: &s)
        #expect(s.count(.transactions) == 0)
        _ = Fixture.press([.enter], on: &s)
        #expect(s.screen == .overview)
        #expect(s.status?.text == Strings(.en).nothingSelected)
    }

    @Test func detailScrollingStopsAtBothEnds() {
        var s = Fixture.state(size: Size(width: 80, height: 24))
        _ = Fixture.press([.down, .down, .down, .down, .down, .enter], on: &s)
        #expect(s.screen == .transaction(id: Fixture.storyTxnId))
        let maxScroll = DetailView.maxScroll(s)
        #expect(maxScroll > 0)
        _ = Fixture.press([.up], on: &s)
        #expect(s.screens.last?.scroll == 0)
        _ = Fixture.press([.down, .char("j")], on: &s)
        #expect(s.screens.last?.scroll == 2)
        _ = Fixture.press([.char("G")], on: &s)
        #expect(s.screens.last?.scroll == maxScroll)
        _ = Fixture.press([.pageDown], on: &s)
        #expect(s.screens.last?.scroll == maxScroll)
        _ = Fixture.press([.char("g")], on: &s)
        #expect(s.screens.last?.scroll == 0)
        // Going back and in again starts at the top.
        _ = Fixture.press([.pageDown, .escape, .enter], on: &s)
        #expect(s.screens.last?.scroll == 0)
    }

    // MARK: - Quitting

    @Test func ctrlCQuitsFromEveryContext() {
        var contexts: [MonitorState] = []
        contexts.append(state())
        var detail = state()
        _ = Fixture.press([.enter], on: &detail)
        contexts.append(detail)
        var help = state()
        _ = Fixture.press([.char("?")], on: &help)
        contexts.append(help)
        var prompt = state()
        _ = Fixture.press([.char("/"), .char("8")], on: &prompt)
        contexts.append(prompt)
        var small = state()
        _ = reduce(&small, .resize(Size(width: 60, height: 15)))
        contexts.append(small)
        #expect(contexts.map(keyContext(of:)) == [.overview, .transactionDetail, .help, .filterPrompt, .tooSmall])
        for var s in contexts {
            let effects = reduce(&s, .key(.ctrlC))
            #expect(effects == [.quit])
            #expect(s.quit)
        }
    }

    @Test func theTooSmallScreenTakesQAndRecoversOnResize() {
        var s = state()
        _ = reduce(&s, .resize(Size(width: 79, height: 30)))
        #expect(s.isTooSmall)
        #expect(render(s).text.contains("Terminal too small"))
        // Navigation keys do nothing there.
        _ = Fixture.press([.down, .enter, .char("/"), .char("?")], on: &s)
        #expect(s.transactionCursor.selection == 0 && s.screen == .overview && s.prompt == nil && !s.showHelp)
        _ = reduce(&s, .resize(Size(width: 80, height: 24)))
        #expect(!s.isTooSmall)
        #expect(render(s).text.contains("Transactions"))
        _ = reduce(&s, .resize(Size(width: 100, height: 23)))
        #expect(s.isTooSmall)
        let effects = reduce(&s, .key(.char("q")))
        #expect(effects == [.quit] && s.quit)
    }

    @Test func ctrlZSuspends() {
        var s = state()
        #expect(reduce(&s, .key(.ctrl("z"))) == [.suspend])
        #expect(!s.quit)
    }

    // MARK: - Filter prompt

    @Test func slashOpensThePromptAndTypedKeysAreText() {
        var s = state()
        _ = Fixture.press([.char("/")], on: &s)
        #expect(s.prompt == FilterPrompt(text: ""))
        // q, j, p, ? and digits are text here, not commands.
        _ = Fixture.press([.char("q"), .char("j"), .char("p"), .char("?"), .char("1")], on: &s)
        #expect(s.prompt?.text == "qjp?1")
        #expect(!s.quit && !s.problemsOnly && !s.showHelp && s.focus == .transactions)
        _ = Fixture.press([.backspace, .delete], on: &s)
        #expect(s.prompt?.text == "qjp")
        _ = Fixture.press([.ctrl("u")], on: &s)
        #expect(s.prompt?.text == "")
        _ = Fixture.press([.backspace], on: &s)
        #expect(s.prompt?.text == "")
    }

    @Test func enterAppliesTheFilterAndResetsTheLists() {
        var s = state()
        _ = Fixture.press([.down, .down, .char("2"), .down, .char("/"), .char("福"), .char("田"), .enter], on: &s)
        #expect(s.prompt == nil)
        #expect(s.filter == "福田")
        #expect(s.request.filter == "福田")
        #expect(s.transactionCursor == ListCursor() && s.payoutCursor == ListCursor())
        #expect(s.count(.transactions) == 2)
        #expect(s.snapshot?.transactions.allSatisfy { $0.transaction.terminalName == "福田收银台" } == true)
    }

    @Test func escCancelsAndKeepsThePreviousFilter() {
        var s = state()
        _ = Fixture.press([.char("/"), .char("8"), .char("8"), .enter], on: &s)
        #expect(s.filter == "88")
        _ = Fixture.press([.char("/")], on: &s)
        // A new search starts empty, so a new RRN is never appended to the last one.
        #expect(s.prompt?.text == "")
        _ = Fixture.press([.char("0"), .escape], on: &s)
        #expect(s.prompt == nil)
        #expect(s.filter == "88")
        #expect(s.screen == .overview && !s.quit)
    }

    @Test func anEmptyFilterClearsItAndSpacesAreTrimmed() {
        var s = state()
        _ = Fixture.press([.char("/"), .char(" "), .char("7"), .char("7"), .char("\u{3000}"), .enter], on: &s)
        #expect(s.filter == "77")
        _ = Fixture.press([.char("/"), .ctrl("u"), .enter], on: &s)
        #expect(s.filter == nil)
        #expect(s.request.filter == nil)
    }

    /// The rows of a new filter are read off the loop, so they may come a little after
    /// the key: until they do, Enter and `e` act on nothing rather than on a row of the
    /// list shown before.
    @Test func untilTheFilteredRowsArriveNothingIsSelected() {
        var s = state()
        for key in [Key.char("/"), .char("8"), .char("8"), .char("0"), .enter] { _ = reduce(&s, .key(key)) }
        #expect(s.filter == "880" && s.snapshot?.request.filter == nil)
        #expect(!s.snapshotMatchesQuery && s.selectedTransaction == nil)
        #expect(reduce(&s, .key(.enter)).isEmpty)
        #expect(s.screen == .overview)
        #expect(s.status?.text == s.strings.nothingSelected)
        #expect(reduce(&s, .key(.char("e"))).isEmpty)
        Fixture.refresh(&s)
        let selected = s.selectedTransaction
        #expect(selected.map { Fixture.matches($0, filter: "880") } == true)
        _ = reduce(&s, .key(.enter))
        #expect(selected.map { s.screen == .transaction(id: $0.id) } == true)

        var p = state()
        for key in [Key.char("2"), .char("p")] { _ = reduce(&p, .key(key)) }
        #expect(p.selectedPayout == nil)
        #expect(reduce(&p, .key(.char("e"))).isEmpty)
        Fixture.refresh(&p)
        #expect(p.selectedPayout != nil)
    }

    @Test func wideCharactersInThePromptKeepTheFooterAligned() {
        var s = state()
        _ = Fixture.press([.char("/")] + "罗湖店一楼收银台".map { Key.char($0) }, on: &s)
        let footer = render(s).row(s.size.height - 1)
        #expect(footer.hasPrefix("/ filter: 罗湖店一楼收银台"))
        #expect(footer.hasSuffix("Esc cancel"))
        #expect(footer.displayWidth <= s.size.width)
    }

    // MARK: - Problems, language, help, poll

    @Test func pTogglesProblemsOnly() {
        var s = state()
        _ = Fixture.press([.down, .down, .char("p")], on: &s)
        #expect(s.problemsOnly && s.request.problemsOnly)
        #expect(s.transactionCursor == ListCursor())
        #expect(s.snapshot?.transactions.allSatisfy { $0.state(at: Fixture.now).isProblem } == true)
        _ = Fixture.press([.char("p")], on: &s)
        #expect(!s.problemsOnly)
        #expect(s.count(.transactions) == Fixture.transactions.count)
    }

    @Test func capitalLSwitchesLanguageBothWays() {
        var s = state()
        _ = Fixture.press([.char("L")], on: &s)
        #expect(s.language == .zhHans)
        #expect(render(s).text.contains("交易"))
        _ = Fixture.press([.char("L")], on: &s)
        #expect(s.language == .en)
        // Lower-case l is not bound.
        _ = Fixture.press([.char("l")], on: &s)
        #expect(s.language == .en)
    }

    @Test func questionMarkTogglesHelpAndHelpSwallowsOtherKeys() {
        var s = state()
        _ = Fixture.press([.char("?")], on: &s)
        #expect(s.showHelp)
        _ = Fixture.press([.down, .enter, .char("p")], on: &s)
        #expect(s.showHelp && s.transactionCursor.selection == 0 && s.screen == .overview && !s.problemsOnly)
        _ = Fixture.press([.char("?")], on: &s)
        #expect(!s.showHelp)
        _ = Fixture.press([.char("?"), .escape], on: &s)
        #expect(!s.showHelp)
        _ = Fixture.press([.char("?"), .char("q")], on: &s)
        #expect(!s.showHelp && !s.quit)
    }

    @Test func helpOpensOverADetailScreenToo() {
        var s = state()
        _ = Fixture.press([.enter, .char("?")], on: &s)
        #expect(s.showHelp && s.screen != .overview)
        _ = Fixture.press([.escape], on: &s)
        #expect(!s.showHelp && s.screen != .overview)
    }

    @Test func rAsksForAPoll() {
        var s = state()
        #expect(reduce(&s, .key(.char("r"))) == [.pollNow])
    }

    // MARK: - Export

    @Test func eExportsTheSelectedTransactionOrPayout() {
        var s = state()
        #expect(Fixture.press([.down, .char("e")], on: &s) == [.exportNote(.transaction(id: Fixture.transactions[1].id))])
        let p = Fixture.payouts[1].payout
        #expect(Fixture.press([.char("2"), .down, .char("e")], on: &s) == [.exportNote(.payout(merchantId: p.merchantId, ref: p.ref))])
    }

    @Test func eOnADetailExportsItsSubject() {
        var s = state()
        _ = Fixture.press([.char("2"), .down, .down, .enter], on: &s)
        let p = Fixture.payouts[2].payout
        #expect(Fixture.press([.char("e")], on: &s) == [.exportNote(.payout(merchantId: p.merchantId, ref: p.ref))])
        _ = Fixture.press([.escape, .char("1"), .enter], on: &s)
        #expect(Fixture.press([.char("e")], on: &s) == [.exportNote(.transaction(id: Fixture.transactions[0].id))])
    }

    @Test func eWithoutASelectionExplainsWhy() {
        var s = state()
        _ = Fixture.press([.char("1"), .char("/"), .char("z"), .enter], on: &s)
        #expect(Fixture.press([.char("e")], on: &s).isEmpty)
        #expect(s.status?.text == Strings(.en).nothingSelected)
        #expect(s.status?.isError == false)
    }

    @Test func noteResultsShowInTheStatusLineAndFade() {
        var s = state()
        _ = reduce(&s, .noteWritten(path: "/home/m/notes/\(Fixture.storyRRN).md"))
        #expect(s.status?.text == "note written: /home/m/notes/\(Fixture.storyRRN).md")
        #expect(render(s).row(s.size.height - 2).hasPrefix("note written: /home/m/notes/\(Fixture.storyRRN).md"))
        _ = reduce(&s, .tick(Fixture.now.adding(seconds: 14)))
        #expect(s.status != nil)
        _ = reduce(&s, .tick(Fixture.now.adding(seconds: 15)))
        #expect(s.status == nil)
        _ = reduce(&s, .noteFailed(message: "a note for this RRN already exists"))
        #expect(s.status?.isError == true)
        #expect(render(s).row(s.size.height - 2).hasPrefix("✗ note failed: a note for this RRN already exists"))
    }

    // MARK: - Snapshots and time

    @Test func aSelectionStaysOnItsTransactionWhenNewOnesArriveAbove() {
        var s = state()
        _ = Fixture.press([.down, .down], on: &s)
        let selected = s.selectedTransaction?.id
        // Two new transactions arrive at the top.
        guard let base = s.snapshot, let first = base.transactions.first else {
            Issue.record("no snapshot")
            return
        }
        var newer = [first, first]
        newer[0].id = 900
        newer[1].id = 901
        var grown = base
        grown.transactions = newer + base.transactions
        grown.transactionTotal += 2
        _ = reduce(&s, .snapshot(grown))
        #expect(s.transactionCursor.selection == 4)
        #expect(s.selectedTransaction?.id == selected)
    }

    @Test func aSelectionOnTheFirstRowFollowsTheNewestWhenFollowing() {
        var s = state()
        _ = reduce(&s, .key(.char("f")))
        #expect(s.follow)
        guard var grown = s.snapshot, let first = grown.transactions.first else {
            Issue.record("no snapshot")
            return
        }
        var newest = first
        newest.id = 900
        grown.transactions.insert(newest, at: 0)
        grown.transactionTotal += 1
        _ = reduce(&s, .snapshot(grown))
        #expect(s.transactionCursor.selection == 0)
        #expect(s.selectedTransaction?.id == 900)
    }

    @Test func notFollowingTheSelectionOnTheFirstRowStaysOnItsTransaction() {
        var s = state()
        #expect(!s.follow)
        guard var grown = s.snapshot, let first = grown.transactions.first else {
            Issue.record("no snapshot")
            return
        }
        var newest = first
        newest.id = 900
        grown.transactions.insert(newest, at: 0)
        grown.transactionTotal += 1
        _ = reduce(&s, .snapshot(grown))
        #expect(s.transactionCursor.selection == 1)
        #expect(s.selectedTransaction?.id == first.id)
    }

    @Test func aShrinkingListClampsTheSelection() {
        var s = state()
        _ = Fixture.press([.char("G")], on: &s)
        _ = reduce(&s, .snapshot(Fixture.snapshot(ViewRequest(filter: "福田"))))
        #expect(s.transactionCursor.selection == 1)
    }

    @Test func ticksMoveTheClockAndTheSyncAge() {
        var s = state()
        #expect(render(s).row(0).hasSuffix("15:30:05"))
        #expect(render(s).row(1).hasSuffix("synced 3s ago"))
        _ = reduce(&s, .tick(Fixture.now.adding(seconds: 62)))
        #expect(render(s).row(0).hasSuffix("15:31:07"))
        #expect(render(s).row(1).hasSuffix("synced 1m ago"))
    }

    @Test func lateIsEvaluatedAtTheStatesNow() {
        var s = state()
        // 20:00 on the 15th passes: the pending sale of the 14th turns late.
        _ = reduce(&s, .tick(Fixture.at("2026-10-15 21:00")))
        let text = render(s).text
        #expect(text.contains("626000000112"))
        guard let row = text.split(separator: "\n").first(where: { $0.contains("626000000112") }) else {
            Issue.record("row missing")
            return
        }
        #expect(row.contains("! late 1h"))
    }

    @Test func syncStatusEventsReachTheState() {
        var s = state()
        let stale = SyncStatus.stale(since: Fixture.now, reason: "disk I/O error")
        _ = reduce(&s, .sync(stale))
        #expect(s.sync == stale)
    }
}
