import Foundation
import PayoutCore
import PayoutModel

/// One of the overview's three lists.
public enum Pane: Int, Sendable, Hashable, CaseIterable {
    case transactions = 0
    case payouts = 1
    case accounts = 2

    /// The pane after this one (Tab), wrapping around.
    public var next: Pane { Pane(rawValue: (rawValue + 1) % 3) ?? .transactions }
    /// The pane before this one (Shift-Tab), wrapping around.
    public var previous: Pane { Pane(rawValue: (rawValue + 2) % 3) ?? .transactions }
    /// The pane's number key ("1", "2", "3").
    public var number: Int { rawValue + 1 }
}

/// A screen of the monitor's stack.
public enum Screen: Sendable, Hashable {
    /// The three panes.
    case overview
    /// One transaction, by its store id.
    case transaction(id: Int64)
    /// One payout, by merchant and acquirer ref.
    case payout(merchantId: String, ref: String)
    /// `c`: the cash-flow calendar with this day selected.
    case calendar(day: LocalDate)
    /// The payouts due on a day (Enter on the calendar); the entry's `scroll` is the selected row.
    case dayPayouts(day: LocalDate)
    /// One merchant account: its state history, holds and payouts.
    case account(merchantId: String)

    /// The detail the store is asked for while this screen shows.
    var detailRequest: ViewRequest.Detail? {
        switch self {
        case .overview, .calendar, .dayPayouts: return nil
        case .transaction(let id): return .transaction(id: id)
        case .payout(let merchantId, let ref): return .payout(merchantId: merchantId, ref: ref)
        case .account(let merchantId): return .account(merchantId: merchantId)
        }
    }
}

/// A screen on the stack with its own scroll position (detail screens scroll by line).
public struct ScreenEntry: Sendable, Hashable {
    public var screen: Screen
    /// First content line shown (detail screens).
    public var scroll: Int
    /// The selected link of a detail screen (0: its first linked row; Enter follows it).
    public var link: Int
    /// The breadcrumb's name for the screen ("RRN 880000000201", "LKLP-DEMO-04"); nil: the screen's kind.
    public var label: String?

    public init(_ screen: Screen, scroll: Int = 0, link: Int = 0, label: String? = nil) {
        self.screen = screen
        self.scroll = scroll
        self.link = link
        self.label = label
    }
}

/// A list's selected row and the first row shown, both absolute (0 = first row of the whole list).
public struct ListCursor: Sendable, Hashable {
    public var selection: Int
    public var offset: Int

    public init(selection: Int = 0, offset: Int = 0) {
        self.selection = selection
        self.offset = offset
    }

    /// Moves the selection by `delta` within `0..<count` and scrolls so it stays in
    /// view of `visible` rows.
    mutating func move(by delta: Int, count: Int, visible: Int) {
        select(selection + delta, count: count, visible: visible)
    }

    /// Selects `index` (clamped to the list) and scrolls it into view.
    mutating func select(_ index: Int, count: Int, visible: Int) {
        selection = count > 0 ? min(max(0, index), count - 1) : 0
        clamp(count: count, visible: visible)
    }

    /// Keeps the selection inside the list and the offset such that the selection is
    /// visible and no space is wasted below the last row.
    mutating func clamp(count: Int, visible: Int) {
        let rows = max(1, visible)
        selection = count > 0 ? min(max(0, selection), count - 1) : 0
        if selection < offset { offset = selection }
        if selection >= offset + rows { offset = selection - rows + 1 }
        offset = min(offset, max(0, count - rows))
        offset = max(0, offset)
    }
}

/// The filter prompt being edited in the footer.
public struct FilterPrompt: Sendable, Hashable {
    /// The text typed so far (may hold Chinese characters).
    public var text: String

    public init(text: String = "") {
        self.text = text
    }
}

/// A message in the status line: a note's path, an error, a hint.
public struct StatusMessage: Sendable, Hashable {
    public var text: String
    public var isError: Bool
    /// When it was set; it fades after `MonitorState.statusLifetimeSeconds`.
    public var at: Instant

    public init(text: String, isError: Bool, at: Instant) {
        self.text = text
        self.isError = isError
        self.at = at
    }
}

/// Everything the monitor's screen is a function of.
///
/// A value: `reduce` changes it in answer to events, `render` draws it. It holds the
/// latest snapshot and sync status, which pane has the focus, a cursor per list, the
/// screen stack, the help overlay, the filter prompt, the language and the status
/// line. The list windows the store is asked for (`request`) follow from the cursors
/// and the pane heights at the last known `size`.
public struct MonitorState: Sendable, Hashable {
    /// The smallest terminal the monitor draws in.
    public static let minimumSize = Size(width: 80, height: 24)
    /// How long a status message stays, in seconds.
    public static let statusLifetimeSeconds: Int64 = 15

    /// The last snapshot read (nil until the first read).
    public var snapshot: Snapshot?
    /// How fresh the data is.
    public var sync: SyncStatus
    /// The latest clock reading: the header clock, sync age and lateness use it.
    public var now: Instant
    /// The merchant's time zone: every time on screen is in it.
    public var timeZone: TimeZone
    /// The terminal size at the last resize.
    public var size: Size
    /// The pane with the focus on the overview.
    public var focus: Pane
    /// Transactions list cursor.
    public var transactionCursor: ListCursor
    /// Payouts list cursor.
    public var payoutCursor: ListCursor
    /// Accounts list cursor.
    public var accountCursor: ListCursor
    /// The screen stack; the first entry is always the overview.
    public var screens: [ScreenEntry]
    /// True while the help overlay shows.
    public var showHelp: Bool
    /// The first line of the help overlay shown (↑↓ PgUp PgDn scroll it when it is taller than the screen).
    public var helpScroll: Int
    /// The applied `/` search (nil: none): every pane shows its matching rows.
    public var filter: String?
    /// Set when a search is applied: the first snapshot answering it moves the focus to
    /// the first pane with matches.
    public var focusFirstMatch: Bool
    /// `s`: the shop (MID) every pane is narrowed to (nil: every shop).
    public var shop: String?
    /// The shop picker's cursor while it is open.
    public var shopPicker: ListCursor?
    /// `o`: each list pane's order.
    public var transactionSort: PaneSort
    public var payoutSort: PaneSort
    public var accountSort: PaneSort
    /// `f`: follow the newest transaction (the selection stays on the first row while
    /// rows arrive); off, the selection stays on its transaction.
    public var follow: Bool
    /// The filter prompt while it is open.
    public var prompt: FilterPrompt?
    /// `p`: only late, short, held or failed rows.
    public var problemsOnly: Bool
    /// The language of every string.
    public var language: Language
    /// The status line's message, if any.
    public var status: StatusMessage?
    /// Set when the monitor should stop.
    public var quit: Bool
    /// `a`: the acquirer every pane is narrowed to (nil: all).
    public var acquirer: String? = nil

    /// The state at start: overview, Transactions focused with its first row selected.
    public init(now: Instant, timeZone: TimeZone, language: Language = .en, size: Size = MonitorState.minimumSize,
                snapshot: Snapshot? = nil, sync: SyncStatus = .starting) {
        self.snapshot = snapshot
        self.sync = sync
        self.now = now
        self.timeZone = timeZone
        self.size = size
        self.focus = .transactions
        self.transactionCursor = ListCursor()
        self.payoutCursor = ListCursor()
        self.accountCursor = ListCursor()
        self.screens = [ScreenEntry(.overview)]
        self.showHelp = false
        self.helpScroll = 0
        self.filter = nil
        self.focusFirstMatch = false
        self.shop = nil
        self.shopPicker = nil
        self.follow = false
        self.transactionSort = .usual
        self.payoutSort = .usual
        self.accountSort = .usual
        self.prompt = nil
        self.problemsOnly = false
        self.language = language
        self.status = nil
        self.quit = false
    }

    // MARK: - Derived

    /// The screen on top of the stack.
    public var screen: Screen { screens.last?.screen ?? .overview }

    /// True when the terminal is below `minimumSize`.
    public var isTooSmall: Bool {
        size.width < Self.minimumSize.width || size.height < Self.minimumSize.height
    }

    /// The strings of the current language.
    public var strings: Strings { Strings(language) }

    /// What to ask the store for: the windows the list panes show at the current
    /// size, the filter, problems-only and the detail of the screen on top.
    public var request: ViewRequest {
        let layout = OverviewLayout(size: effectiveSize)
        var request = ViewRequest(
            transactionOffset: transactionCursor.offset,
            transactionLimit: layout.visibleRows(.transactions),
            payoutOffset: payoutCursor.offset,
            payoutLimit: layout.visibleRows(.payouts),
            filter: filter,
            problemsOnly: problemsOnly,
            detail: screen.detailRequest,
            shop: shop, acquirer: acquirer, calendar: calendarMonthShown)
        request.transactionSort = transactionSort
        request.payoutSort = payoutSort
        request.accountSort = accountSort
        return request
    }

    /// The size the overview is laid out for: the terminal's, or the minimum while it is smaller.
    var effectiveSize: Size {
        Size(width: max(size.width, Self.minimumSize.width), height: max(size.height, Self.minimumSize.height))
    }

    /// List rows a pane shows at the current size (the window the store is asked for).
    public func visibleRows(_ pane: Pane) -> Int {
        OverviewLayout(size: effectiveSize).visibleRows(pane)
    }

    /// Rows in each list (whole list, not only the window).
    func count(_ pane: Pane) -> Int {
        guard let snapshot else { return 0 }
        switch pane {
        case .transactions: return snapshot.transactionTotal
        case .payouts: return snapshot.payoutTotal
        case .accounts: return visibleAccounts.count
        }
    }

    /// The cursor of `pane`.
    func cursor(_ pane: Pane) -> ListCursor {
        switch pane {
        case .transactions: return transactionCursor
        case .payouts: return payoutCursor
        case .accounts: return accountCursor
        }
    }

    /// Replaces the cursor of `pane`.
    mutating func setCursor(_ cursor: ListCursor, for pane: Pane) {
        switch pane {
        case .transactions: transactionCursor = cursor
        case .payouts: payoutCursor = cursor
        case .accounts: accountCursor = cursor
        }
    }

    /// True when the snapshot answers the filter and problems-only now in force. Not so
    /// while the rows for a new filter are still being read: the rows shown are then
    /// another list's, and Enter or `e` must not act on them.
    public var snapshotMatchesQuery: Bool {
        guard let request = snapshot?.request else { return false }
        return request.filter == filter && request.problemsOnly == problemsOnly && request.shop == shop && request.acquirer == acquirer
            && request.transactionSort == transactionSort && request.payoutSort == payoutSort && request.accountSort == accountSort
    }

    /// The first day of the month the calendar on top shows (or the day list on top
    /// comes from): the calendar's request, the same for every day of a month.
    var calendarMonthShown: LocalDate? {
        switch screen {
        case .calendar(let day), .dayPayouts(let day): return CalendarMonth.firstDay(of: day)
        default: return nil
        }
    }

    /// The snapshot's calendar month when it is the one the top screen shows.
    public var currentCalendar: CalendarMonth? {
        guard let month = snapshot?.calendar, let first = calendarMonthShown,
              month.year == first.year, month.month == first.month else { return nil }
        return month
    }

    /// The payouts due on `day`, in order of arrival, from the snapshot's calendar month.
    public func payoutsDue(on day: LocalDate) -> [PayoutLine] {
        guard currentCalendar != nil else { return [] }
        return (snapshot?.calendarPayouts ?? []).filter { CalendarMonth.day(of: $0.payout, in: timeZone) == day }
    }

    /// The accounts the account pane lists: all, or the acquirer filter's.
    public var visibleAccounts: [AccountLine] {
        let all = snapshot?.accounts ?? []
        guard let acquirer else { return all }
        return all.filter { $0.merchant.acquirer == acquirer }
    }

    /// The store's acquirers, in the order `a` steps through them.
    public var acquirers: [String] {
        Array(Set((snapshot?.accounts ?? []).map(\.merchant.acquirer))).sorted()
    }

    /// The order of `pane`.
    public func sort(_ pane: Pane) -> PaneSort {
        switch pane {
        case .transactions: return transactionSort
        case .payouts: return payoutSort
        case .accounts: return accountSort
        }
    }

    /// The selected transaction, when its row is in the snapshot's window and the
    /// snapshot answers the current filter.
    public var selectedTransaction: TxnLine? {
        guard let snapshot, snapshotMatchesQuery else { return nil }
        let i = transactionCursor.selection - snapshot.request.transactionOffset
        guard i >= 0, i < snapshot.transactions.count else { return nil }
        return snapshot.transactions[i]
    }

    /// The selected payout, when its row is in the snapshot's window and the snapshot
    /// answers the current filter.
    public var selectedPayout: PayoutLine? {
        guard let snapshot, snapshotMatchesQuery else { return nil }
        let i = payoutCursor.selection - snapshot.request.payoutOffset
        guard i >= 0, i < snapshot.payouts.count else { return nil }
        return snapshot.payouts[i]
    }

    /// The selected account line.
    public var selectedAccount: AccountLine? {
        let accounts = visibleAccounts
        guard accountCursor.selection >= 0, accountCursor.selection < accounts.count else { return nil }
        return accounts[accountCursor.selection]
    }

    /// The snapshot's detail when it is the one the top screen asks for.
    public var currentDetail: DetailSnapshot? {
        guard let detail = snapshot?.detail else { return nil }
        switch (screen, detail.subject) {
        case (.transaction(let id), .transaction(let line)) where line.id == id:
            return detail
        case (.payout(let mid, let ref), .payout(let line)) where line.payout.merchantId == mid && line.payout.ref == ref:
            return detail
        default:
            return nil
        }
    }

    /// The snapshot's account case file when the top screen is that account's.
    public var currentAccount: AccountCaseFile? {
        guard case .account(let mid) = screen, let account = snapshot?.account, account.merchant.merchantId == mid else { return nil }
        return account
    }
}
