import PayoutCore
import PayoutModel

/// Applies `event` to `state` and returns the work the run loop should do.
///
/// Pure: no clock, no I/O. Keys go through `KeyTable.standard` in the context the
/// state is in (too small, filter prompt, help, or the screen on top); the filter
/// prompt takes every other printable key as text.
public func reduce(_ state: inout MonitorState, _ event: MonitorEvent) -> [MonitorEffect] {
    reduce(&state, event, keys: .standard)
}

/// `reduce` with a given key table.
public func reduce(_ state: inout MonitorState, _ event: MonitorEvent, keys: KeyTable) -> [MonitorEffect] {
    switch event {
    case .key(let key):
        return handleKey(&state, key, keys: keys)
    case .resize(let size):
        state.size = size
        state.clampCursors()
        state.clampDetailScroll()
        return []
    case .snapshot(let snapshot):
        state.absorb(snapshot)
        return []
    case .sync(let status):
        state.sync = status
        return []
    case .tick(let now):
        state.now = now
        if let status = state.status, now.seconds(since: status.at) >= MonitorState.statusLifetimeSeconds {
            state.status = nil
        }
        return []
    case .noteWritten(let path):
        state.setStatus(state.strings.noteWritten(path))
        return []
    case .noteFailed(let message):
        state.setStatus(state.strings.noteFailed(message), isError: true)
        return []
    }
}

/// The context keys are read in.
public func keyContext(of state: MonitorState) -> KeyContext {
    if state.isTooSmall { return .tooSmall }
    if state.prompt != nil { return .filterPrompt }
    if state.showHelp { return .help }
    if state.shopPicker != nil { return .shopPicker }
    switch state.screen {
    case .overview: return .overview
    case .transaction: return .transactionDetail
    case .payout: return .payoutDetail
    case .calendar: return .calendar
    case .dayPayouts: return .dayList
    case .account: return .accountDetail
    }
}

private func handleKey(_ state: inout MonitorState, _ key: Key, keys: KeyTable) -> [MonitorEffect] {
    if key == .resize { return [] }
    if case .mouse(let event) = key {
        state.handleMouse(event)
        return []
    }
    let context = keyContext(of: state)
    guard let action = keys.action(for: key, in: context) else {
        if context == .filterPrompt, case .char(let c) = key {
            state.prompt?.text.append(c)
        } else if context != .tooSmall {
            // A key with no meaning here says where the keys are.
            state.setStatus(state.strings.unknownKey(key.displayName))
        }
        return []
    }
    return perform(action, key: key, on: &state)
}

private func perform(_ action: MonitorAction, key: Key, on state: inout MonitorState) -> [MonitorEffect] {
    switch action {
    case .quit:
        state.quit = true
        return [.quit]
    case .suspend:
        return [.suspend]
    case .back:
        if state.screens.count > 1 { state.screens.removeLast() }
        state.clampDetailScroll()
    case .toggleHelp:
        state.showHelp.toggle()
        state.helpScroll = 0
    case .closeHelp:
        state.showHelp = false
    case .nextPane:
        state.focus = state.focus.next
    case .previousPane:
        state.focus = state.focus.previous
    case .focusPaneByNumber:
        if case .char(let c) = key, let n = c.wholeNumberValue, let pane = Pane(rawValue: n - 1) {
            state.focus = pane
        }
    case .moveUp where state.showHelp:
        state.scrollHelp(by: -1)
    case .moveDown where state.showHelp:
        state.scrollHelp(by: 1)
    case .pageUp where state.showHelp:
        state.scrollHelp(by: -HelpView.pageSize(state))
    case .pageDown where state.showHelp:
        state.scrollHelp(by: HelpView.pageSize(state))
    case .moveUp:
        if state.shopPicker != nil { state.moveShopPicker(by: -1) } else { state.scroll(by: -1) }
    case .moveDown:
        if state.shopPicker != nil { state.moveShopPicker(by: 1) } else { state.scroll(by: 1) }
    case .pageUp:
        if case .calendar = state.screen { state.moveCalendar(months: -1) } else { state.scroll(by: -state.pageSize) }
    case .pageDown:
        if case .calendar = state.screen { state.moveCalendar(months: 1) } else { state.scroll(by: state.pageSize) }
    case .top:
        state.scroll(to: 0)
    case .bottom:
        state.scroll(to: Int.max / 2)
    case .open:
        state.openSelection()
    case .openFilter:
        // A new search starts empty: what is typed is never appended to the last one.
        state.prompt = FilterPrompt()
    case .applyFilter:
        let text = trimmedFilter(state.prompt?.text ?? "")
        state.prompt = nil
        let newFilter: String? = text.isEmpty ? nil : text
        if newFilter != state.filter {
            state.filter = newFilter
            state.focusFirstMatch = newFilter != nil
            state.resetListCursors()
        }
    case .clearSearch:
        if state.filter != nil {
            state.filter = nil
            state.focusFirstMatch = false
            state.resetListCursors()
        } else if state.shop != nil {
            state.shop = nil
            state.resetListCursors()
        }
    case .nextMatch:
        state.stepMatch(by: 1)
    case .previousMatch:
        state.stepMatch(by: -1)
    case .nextLink:
        state.moveLink(by: 1)
    case .previousLink:
        state.moveLink(by: -1)
    case .repaint:
        return [.repaint]
    case .cycleSort:
        state.cycleSort()
    case .toggleFollow:
        state.follow.toggle()
        if state.follow { state.transactionCursor = ListCursor() }
        state.setStatus(state.follow ? state.strings.followOn : state.strings.followOff)
    case .openShopPicker:
        let count = state.snapshot?.accounts.count ?? 0
        if count == 0 && state.shop == nil {
            state.setStatus(state.strings.noShops)
        } else {
            state.shopPicker = ListCursor()
        }
    case .closeShopPicker:
        state.shopPicker = nil
    case .pickShop:
        state.pickShop()
    case .cancelFilter:
        state.prompt = nil
    case .deleteBackward:
        if state.prompt?.text.isEmpty == false { state.prompt?.text.removeLast() }
    case .clearFilterText:
        state.prompt?.text = ""
    case .toggleProblems:
        state.problemsOnly.toggle()
        state.resetListCursors()
    case .exportNote:
        if let target = state.exportTarget() {
            return [.exportNote(target)]
        }
    case .pollNow:
        return [.pollNow]
    case .toggleLanguage:
        state.language = state.language.toggled
    case .cycleAcquirer:
        state.cycleAcquirer()
    case .openCalendar:
        state.screens.append(ScreenEntry(.calendar(day: LocalDateTime(state.now, in: state.timeZone).date)))
    case .previousDay:
        state.moveCalendar(days: -1)
    case .nextDay:
        state.moveCalendar(days: 1)
    }
    return []
}

/// `text` without leading and trailing spaces, tabs and ideographic spaces.
private func trimmedFilter(_ text: String) -> String {
    func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\u{3000}" }
    var s = Substring(text)
    while let f = s.first, isSpace(f) { s = s.dropFirst() }
    while let l = s.last, isSpace(l) { s = s.dropLast() }
    return String(s)
}

extension MonitorState {
    /// Lines a page key moves: the focused list's visible rows, or the detail view's height.
    var pageSize: Int {
        switch screen {
        case .overview:
            return max(1, OverviewLayout(size: effectiveSize).visibleRows(focus) - 1)
        case .transaction, .payout, .account:
            return max(1, DetailView.viewportHeight(size: effectiveSize) - 1)
        case .calendar, .dayPayouts:
            return max(1, effectiveSize.height - 4 - OverviewLayout.boxChrome - 1)
        }
    }

    /// Moves the focused list's selection, or scrolls the detail screen, by `delta`.
    mutating func scroll(by delta: Int) {
        switch screen {
        case .overview:
            var cursor = cursor(focus)
            cursor.move(by: delta, count: count(focus), visible: OverviewLayout(size: effectiveSize).visibleRows(focus))
            setCursor(cursor, for: focus)
        case .transaction, .payout, .account:
            guard var top = screens.last else { return }
            top.scroll = max(0, min(top.scroll + delta, DetailView.maxScroll(self)))
            screens[screens.count - 1] = top
        case .calendar:
            // Up and down move by a week.
            moveCalendar(days: delta * 7)
        case .dayPayouts(let day):
            selectDayPayout(screens[screens.count - 1].scroll + delta, day: day)
        }
    }

    /// Selects row `index` of the focused list, or scrolls the detail screen to line `index`.
    mutating func scroll(to index: Int) {
        switch screen {
        case .overview:
            var cursor = cursor(focus)
            cursor.select(index, count: count(focus), visible: OverviewLayout(size: effectiveSize).visibleRows(focus))
            setCursor(cursor, for: focus)
        case .transaction, .payout, .account:
            guard var top = screens.last else { return }
            top.scroll = max(0, min(index, DetailView.maxScroll(self)))
            screens[screens.count - 1] = top
        case .calendar(let day):
            // The month's first or last day.
            let first = CalendarMonth.firstDay(of: day)
            let last = LocalDate.daysIn(month: first.month, year: first.year) - 1
            screens[screens.count - 1] = ScreenEntry(.calendar(day: first.adding(days: index <= 0 ? 0 : last)))
        case .dayPayouts(let day):
            selectDayPayout(index, day: day)
        }
    }

    /// Moves the calendar's selected day by `days`.
    mutating func moveCalendar(days: Int) {
        guard case .calendar(let day) = screen else { return }
        screens[screens.count - 1] = ScreenEntry(.calendar(day: day.adding(days: days)))
    }

    /// Moves the calendar by whole months, keeping the day of the month where the month has it.
    mutating func moveCalendar(months: Int) {
        guard case .calendar(let day) = screen else { return }
        let index = day.year * 12 + (day.month - 1) + months
        let year = index / 12
        let month = index % 12 + 1
        let d = min(day.day, LocalDate.daysIn(month: month, year: year))
        guard let moved = LocalDate(year: year, month: month, day: d) else { return }
        screens[screens.count - 1] = ScreenEntry(.calendar(day: moved))
    }

    /// Selects row `index` of the day list on top (clamped to its payouts).
    mutating func selectDayPayout(_ index: Int, day: LocalDate) {
        let count = payoutsDue(on: day).count
        screens[screens.count - 1].scroll = max(0, min(index, count - 1))
    }

    /// Enter: on the overview, pushes the selected transaction's, payout's or account's
    /// screen; on the calendar, the day's payouts; on a day list, the payout; on a detail
    /// screen, follows the selected link.
    mutating func openSelection() {
        switch screen {
        case .calendar(let day):
            screens.append(ScreenEntry(.dayPayouts(day: day)))
            return
        case .dayPayouts(let day):
            let lines = payoutsDue(on: day)
            let i = screens[screens.count - 1].scroll
            if i >= 0, i < lines.count {
                screens.append(ScreenEntry(.payout(merchantId: lines[i].payout.merchantId, ref: lines[i].payout.ref)))
            } else {
                setStatus(strings.nothingSelected)
            }
            return
        default:
            break
        }
        guard screen == .overview else {
            followLink()
            return
        }
        switch focus {
        case .transactions:
            if let line = selectedTransaction {
                screens.append(ScreenEntry(.transaction(id: line.id), label: strings.rrn + " " + line.transaction.rrn))
            } else {
                setStatus(strings.nothingSelected)
            }
        case .payouts:
            if let line = selectedPayout {
                screens.append(ScreenEntry(.payout(merchantId: line.payout.merchantId, ref: line.payout.ref), label: line.payout.ref))
            } else {
                setStatus(strings.nothingSelected)
            }
        case .accounts:
            if let line = selectedAccount {
                screens.append(ScreenEntry(.account(merchantId: line.merchant.merchantId), label: line.merchant.name))
            } else {
                setStatus(strings.nothingSelected)
            }
        }
    }

    /// The linked rows of the screen on top, in order (none on the overview or while it loads).
    var links: [DetailLink] {
        DetailView.lines(self, width: DetailView.contentWidth(size: effectiveSize)).compactMap(\.link)
    }

    /// Pushes the screen of the selected link of the detail screen on top.
    mutating func followLink() {
        let all = links
        guard let top = screens.last, !all.isEmpty else {
            setStatus(strings.noLinks)
            return
        }
        let link = all[min(max(0, top.link), all.count - 1)]
        screens.append(ScreenEntry(link.screen, label: link.label))
    }

    /// Moves the selected link of the detail screen by `delta` (wrapping) and scrolls it into view.
    mutating func moveLink(by delta: Int) {
        let width = DetailView.contentWidth(size: effectiveSize)
        let lines = DetailView.lines(self, width: width)
        let rows = lines.indices.filter { lines[$0].link != nil }
        guard var top = screens.last, !rows.isEmpty else {
            setStatus(strings.noLinks)
            return
        }
        top.link = ((top.link + delta) % rows.count + rows.count) % rows.count
        let row = rows[top.link]
        let viewport = DetailView.viewportHeight(size: effectiveSize)
        if row < top.scroll { top.scroll = row }
        if row >= top.scroll + viewport { top.scroll = row - viewport + 1 }
        top.scroll = max(0, min(top.scroll, max(0, lines.count - viewport)))
        screens[screens.count - 1] = top
    }

    /// `n` / `N`: the next (previous) row of the focused pane; past its end, the first
    /// (last) row of the next (previous) pane that has rows.
    mutating func stepMatch(by delta: Int) {
        guard filter != nil else {
            setStatus(strings.noSearch)
            return
        }
        let current = cursor(focus)
        let target = current.selection + delta
        if target >= 0 && target < count(focus) {
            scroll(by: delta)
            return
        }
        var pane = focus
        for _ in 0..<Pane.allCases.count {
            pane = delta > 0 ? pane.next : pane.previous
            let n = count(pane)
            guard n > 0 else { continue }
            focus = pane
            scroll(to: delta > 0 ? 0 : n - 1)
            return
        }
    }

    /// A click selects the row under it (on the overview, in its pane, focusing the
    /// pane; on a detail screen, the linked row); the wheel scrolls what is under it.
    mutating func handleMouse(_ event: MouseEvent) {
        guard !isTooSmall, prompt == nil, shopPicker == nil else { return }
        let step = event.kind == .wheelUp ? -3 : 3
        if showHelp {
            if event.kind != .click { scrollHelp(by: step) }
            return
        }
        let layout = OverviewLayout(size: effectiveSize)
        switch screen {
        case .overview:
            guard let pane = Pane.allCases.first(where: { layout.box($0).contains(x: event.x, y: event.y) }) else { return }
            focus = pane
            if event.kind != .click {
                scroll(by: step)
                return
            }
            // Rows start under the top border and the column titles.
            let row = event.y - layout.box(pane).y - 2
            guard row >= 0, row < layout.visibleRows(pane) else { return }
            let index = cursor(pane).offset + row
            if index < count(pane) { scroll(to: index) }
        case .transaction, .payout, .account:
            guard var top = screens.last else { return }
            if event.kind != .click {
                scroll(by: step)
                return
            }
            let lines = DetailView.lines(self, width: DetailView.contentWidth(size: effectiveSize))
            let index = top.scroll + event.y - layout.body.y - 1
            guard index >= 0, index < lines.count, lines[index].link != nil else { return }
            top.link = lines[..<index].filter { $0.link != nil }.count
            screens[screens.count - 1] = top
        case .calendar:
            // The wheel moves a week; a click does nothing (the keys pick a day).
            if event.kind != .click { moveCalendar(days: step > 0 ? 7 : -7) }
        case .dayPayouts(let day):
            if event.kind != .click { selectDayPayout(screens[screens.count - 1].scroll + (step > 0 ? 1 : -1), day: day) }
        }
    }

    /// `o`: the focused pane's next order; its cursor goes back to the first row.
    mutating func cycleSort() {
        let choices = PaneSort.choices(pane: focus.rawValue)
        let next = choices[((choices.firstIndex(of: sort(focus)) ?? 0) + 1) % choices.count]
        switch focus {
        case .transactions: transactionSort = next
        case .payouts: payoutSort = next
        case .accounts: accountSort = next
        }
        setCursor(ListCursor(), for: focus)
    }

    /// Scrolls the help overlay by `delta` lines, within its content.
    mutating func scrollHelp(by delta: Int) {
        helpScroll = max(0, min(helpScroll + delta, HelpView.maxScroll(self)))
    }

    /// The shop picker's rows: every shop, after "all shops".
    var shopChoices: [Merchant] { snapshot?.shops ?? [] }

    mutating func moveShopPicker(by delta: Int) {
        guard var picker = shopPicker else { return }
        picker.move(by: delta, count: shopChoices.count + 1, visible: ShopPickerView.visibleRows(size: effectiveSize))
        shopPicker = picker
    }

    /// Enter in the shop picker: narrows every pane to the shop under the cursor (the
    /// first row, "all shops", clears it).
    mutating func pickShop() {
        guard let picker = shopPicker else { return }
        shopPicker = nil
        let choices = shopChoices
        let picked: String? = picker.selection > 0 && picker.selection <= choices.count ? choices[picker.selection - 1].merchantId : nil
        if picked != shop {
            shop = picked
            resetListCursors()
            accountCursor = ListCursor()
        }
    }

    /// What `e` writes a note about here, or nil (with a status message saying why).
    mutating func exportTarget() -> ExportTarget? {
        switch screen {
        case .transaction(let id):
            return .transaction(id: id)
        case .payout(let merchantId, let ref):
            return .payout(merchantId: merchantId, ref: ref)
        case .dayPayouts(let day):
            let lines = payoutsDue(on: day)
            let i = screens[screens.count - 1].scroll
            if i >= 0, i < lines.count { return .payout(merchantId: lines[i].payout.merchantId, ref: lines[i].payout.ref) }
            setStatus(strings.nothingSelected)
            return nil
        case .calendar:
            setStatus(strings.nothingSelected)
            return nil
        case .account(let merchantId):
            return .account(merchantId: merchantId)
        case .overview:
            switch focus {
            case .transactions:
                if let line = selectedTransaction { return .transaction(id: line.id) }
            case .payouts:
                if let line = selectedPayout { return .payout(merchantId: line.payout.merchantId, ref: line.payout.ref) }
            case .accounts:
                if let line = selectedAccount { return .account(merchantId: line.merchant.merchantId) }
            }
            setStatus(strings.nothingSelected)
            return nil
        }
    }

    /// `a`: narrows every pane to the next acquirer, after the last back to all.
    mutating func cycleAcquirer() {
        let all = acquirers
        guard all.count > 1 else {
            acquirer = nil
            setStatus(strings.oneAcquirer)
            return
        }
        if let current = acquirer, let i = all.firstIndex(of: current) {
            acquirer = i + 1 < all.count ? all[i + 1] : nil
        } else {
            acquirer = all.first
        }
        resetListCursors()
        accountCursor = ListCursor()
    }

    /// Sets the status line.
    mutating func setStatus(_ text: String, isError: Bool = false) {
        status = StatusMessage(text: text, isError: isError, at: now)
    }

    /// Back to the first row of both store-windowed lists (after the filter or problems-only changes).
    mutating func resetListCursors() {
        transactionCursor = ListCursor()
        payoutCursor = ListCursor()
    }

    /// Keeps every cursor inside its list and its selection in view.
    mutating func clampCursors() {
        let layout = OverviewLayout(size: effectiveSize)
        for pane in Pane.allCases {
            var cursor = cursor(pane)
            cursor.clamp(count: count(pane), visible: layout.visibleRows(pane))
            setCursor(cursor, for: pane)
        }
    }

    /// Keeps the detail screen's scroll inside its content.
    mutating func clampDetailScroll() {
        guard screens.count > 1, var top = screens.last else { return }
        top.scroll = max(0, min(top.scroll, DetailView.maxScroll(self)))
        screens[screens.count - 1] = top
    }

    /// Takes a new snapshot in. A selection away from the top stays on the same
    /// transaction or payout when new rows arrive above it; a selection on the first
    /// row stays on the first row (following the newest).
    mutating func absorb(_ new: Snapshot) {
        let sameQuery = snapshot.map {
            $0.request.filter == new.request.filter && $0.request.problemsOnly == new.request.problemsOnly && $0.request.shop == new.request.shop
                && $0.request.acquirer == new.request.acquirer
                && $0.request.transactionSort == new.request.transactionSort && $0.request.payoutSort == new.request.payoutSort
        } ?? false
        if sameQuery {
            // Not following: the selection stays on its transaction, the first row too.
            if transactionCursor.selection > 0 || !follow, let old = selectedTransaction,
               let j = new.transactions.firstIndex(where: { $0.id == old.id }) {
                let index = new.request.transactionOffset + j
                transactionCursor.offset += index - transactionCursor.selection
                transactionCursor.selection = index
            }
            if payoutCursor.selection > 0, let old = selectedPayout,
               let j = new.payouts.firstIndex(where: { $0.id == old.id }) {
                let index = new.request.payoutOffset + j
                payoutCursor.offset += index - payoutCursor.selection
                payoutCursor.selection = index
            }
        }
        snapshot = new
        // The first answer to a new search: the focus goes to the first pane with matches.
        if focusFirstMatch, new.request.filter == filter, new.request.shop == shop, new.request.problemsOnly == problemsOnly {
            focusFirstMatch = false
            if count(focus) == 0, let pane = Pane.allCases.first(where: { count($0) > 0 }) { focus = pane }
        }
        clampCursors()
        clampDetailScroll()
    }
}
