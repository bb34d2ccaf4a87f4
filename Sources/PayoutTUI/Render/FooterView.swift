import PayoutCore

/// The bottom two rows: the status line (messages, active filter, problems-only)
/// and the footer (key hints from the key table, or the filter prompt).
enum FooterView {
    /// Draws the status line: the message on the left, the filter and problems-only flags on the right.
    static func drawStatusLine(_ state: MonitorState, row: Int, into grid: inout Grid) {
        let s = state.strings
        var flags: [(line: StyledLine, drop: Int)] = []
        if let filter = state.filter {
            // The search's matches in every pane, once the store has answered it.
            let text: String
            if let snapshot = state.snapshot, state.snapshotMatchesQuery {
                text = s.searchCounts(filter, transactions: snapshot.transactionTotal, payouts: snapshot.payoutTotal,
                                      shops: snapshot.accounts.count, capped: true)
            } else {
                text = s.filterActive(filter)
            }
            flags.append((StyledLine([Span("/ ", .accent.bold), Span(text, .accent)]), 0))
        }
        if let shop = state.shop {
            let name = state.snapshot?.shops.first { $0.merchantId == shop }?.name ?? shop
            flags.append((StyledLine("◆ " + s.shopFilter(name), .accent), 0))
        }
        if state.problemsOnly {
            flags.append((StyledLine("▲ " + s.problemsOnly, .warn), 0))
        }
        if let acquirer = state.acquirer {
            flags.append((StyledLine(s.acquirerActive(acquirer), .accent), 0))
        }
        let right = fitSegments(flags, width: grid.width * 2 / 3, separator: Span("  "))
        grid.put(right, x: grid.width - right.width, y: row, maxWidth: right.width)
        let room = max(0, grid.width - right.width - 2)
        if let status = state.status {
            let line = StyledLine(status.isError ? "✗ " + status.text : status.text, status.isError ? .bad : .accent)
            grid.put(line, x: 0, y: row, maxWidth: room)
        } else if let line = selectionLine(state) {
            grid.put(line, x: 0, y: row, maxWidth: room)
        }
    }

    /// The selected row of the focused pane in full, every value uncut (the shop's whole
    /// name): the same cells the pane draws, so the two cannot disagree.
    static func selectionLine(_ state: MonitorState) -> StyledLine? {
        guard state.prompt == nil else { return nil }
        let names = OverviewView.shopNames(state)
        switch state.screen {
        case .calendar(let day):
            return CalendarView.dayLine(state, day: day)
        case .dayPayouts(let day):
            let lines = state.payoutsDue(on: day)
            let i = state.screens.last?.scroll ?? 0
            guard i >= 0, i < lines.count else { return nil }
            return fullRow(PayoutsPane.cells(lines[i], shop: names.full(lines[i].payout.merchantId), state: state))
        case .overview:
            break
        default:
            return nil
        }
        let cells: [Span]
        switch state.focus {
        case .transactions:
            guard let line = state.selectedTransaction else { return nil }
            cells = TransactionsPane.cells(line, shop: names.full(line.transaction.merchantId), state: state)
        case .payouts:
            guard let line = state.selectedPayout else { return nil }
            cells = PayoutsPane.cells(line, shop: names.full(line.payout.merchantId), state: state)
        case .accounts:
            guard let line = state.selectedAccount else { return nil }
            cells = AccountsPane.cells(line, state: state)
        }
        return fullRow(cells)
    }

    /// A row's cells on one line, the empty ones left out.
    static func fullRow(_ cells: [Span]) -> StyledLine {
        var out = StyledLine([Span("› ", .accent.bold)])
        for cell in cells where !cell.text.isEmpty && cell.text != "—" {
            if out.spans.count > 1 { out.append("  ") }
            out.spans.append(Span(cell.text, cell.style))
        }
        return out
    }

    /// Draws the footer: the filter prompt while it is open, otherwise the key hints.
    static func drawFooter(_ state: MonitorState, row: Int, into grid: inout Grid, keys: KeyTable = .standard) {
        let context = keyContext(of: state)
        let hints = hintLine(context: context, language: state.language, width: grid.width, keys: keys)
        guard let prompt = state.prompt else {
            grid.put(hints, x: 0, y: row, maxWidth: grid.width)
            return
        }
        let s = state.strings
        let promptHints = hintLine(context: .filterPrompt, language: state.language, width: grid.width / 3, keys: keys)
        let room = max(0, grid.width - promptHints.width - 2)
        var line = StyledLine([Span("/", .accent.bold), Span(" " + s.filterPrompt + ": ", .accent)])
        // Show the end of a long text: what is being typed matters most.
        let textRoom = max(1, room - line.width - 1)
        var shown = prompt.text
        while DisplayWidth.of(shown) > textRoom, !shown.isEmpty { shown.removeFirst() }
        line.append(shown, .plain.bold)
        let cursorX = line.width
        grid.put(line, x: 0, y: row, maxWidth: room)
        grid.put(" ", x: cursorX, y: row, style: .plain.reverse)
        if prompt.text.isEmpty {
            grid.put(s.filterHelp, x: cursorX + 2, y: row, style: .muted, maxWidth: max(0, room - cursorX - 2))
        }
        grid.put(promptHints, x: grid.width - promptHints.width, y: row, maxWidth: promptHints.width)
    }

    /// "↑↓ move  Enter open  / filter  ...  ? help  q quit" for `context`, dropping the
    /// least important hints until the rest fit in `width`. Hints of priority 0 (help,
    /// quit, back) always show, at the right end.
    static func hintLine(context: KeyContext, language: Language, width: Int, keys: KeyTable) -> StyledLine {
        let all = keys.footerBindings(in: context)
        let bindings = all.filter { $0.footerPriority > 0 } + all.filter { $0.footerPriority == 0 }.reversed()
        var segments: [(line: StyledLine, drop: Int)] = []
        for binding in bindings {
            guard let hint = binding.hint else { continue }
            let line = StyledLine([Span(binding.footerKeys, .accent.bold), Span(" " + hint(language), .muted)])
            segments.append((line, binding.footerPriority))
        }
        return fitSegments(segments, width: width, separator: Span("  "))
    }
}
