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
    switch state.screen {
    case .overview: return .overview
    case .transaction: return .transactionDetail
    case .payout: return .payoutDetail
    case .calendar: return .calendar
    case .dayPayouts: return .dayList
    }
}

private func handleKey(_ state: inout MonitorState, _ key: Key, keys: KeyTable) -> [MonitorEffect] {
    if key == .resize { return [] }
    let context = keyContext(of: state)
    guard let action = keys.action(for: key, in: context) else {
        if context == .filterPrompt, case .char(let c) = key {
            state.prompt?.text.append(c)
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
    case .toggleHelp:
        state.showHelp.toggle()
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
    case .moveUp:
        state.scroll(by: -1)
    case .moveDown:
        state.scroll(by: 1)
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
        state.prompt = FilterPrompt(text: state.filter ?? "")
    case .applyFilter:
        let text = trimmedFilter(state.prompt?.text ?? "")
        state.prompt = nil
        let newFilter: String? = text.isEmpty ? nil : text
        if newFilter != state.filter {
            state.filter = newFilter
            state.resetListCursors()
        }
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
        case .transaction, .payout:
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
        case .transaction, .payout:
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
        case .transaction, .payout:
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

    /// Enter on the overview: pushes the selected transaction's or payout's screen.
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
        guard screen == .overview else { return }
        switch focus {
        case .transactions:
            if let line = selectedTransaction {
                screens.append(ScreenEntry(.transaction(id: line.id)))
            } else {
                setStatus(strings.nothingSelected)
            }
        case .payouts:
            if let line = selectedPayout {
                screens.append(ScreenEntry(.payout(merchantId: line.payout.merchantId, ref: line.payout.ref)))
            } else {
                setStatus(strings.nothingSelected)
            }
        case .accounts:
            setStatus(strings.accountHasNoDetail)
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
        case .overview:
            switch focus {
            case .transactions:
                if let line = selectedTransaction { return .transaction(id: line.id) }
            case .payouts:
                if let line = selectedPayout { return .payout(merchantId: line.payout.merchantId, ref: line.payout.ref) }
            case .accounts:
                setStatus(strings.accountHasNoNote)
                return nil
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
        let sameQuery = snapshot.map { $0.request.filter == new.request.filter && $0.request.problemsOnly == new.request.problemsOnly
            && $0.request.acquirer == new.request.acquirer } ?? false
        if sameQuery {
            if transactionCursor.selection > 0, let old = selectedTransaction,
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
        clampCursors()
        clampDetailScroll()
    }
}
