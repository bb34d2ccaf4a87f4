import PayoutCore
import PayoutModel

/// The cash-flow calendar (`c`): a month of days, Monday first, each marked as a working
/// day, weekend, holiday or make-up working day (调休) and showing the money of the
/// payouts due that day: expected, arrived, and late, held or short in the problem
/// colour. The selected day's figures are written out in full in the status line.
/// (A day's bank figure, once bank statements are read, belongs under "arrived".)
enum CalendarView {
    static func draw(_ state: MonitorState, day: LocalDate, into grid: inout Grid) {
        let s = state.strings
        let rect = Rect(x: 0, y: 2, width: grid.width, height: max(0, grid.height - 4))
        let first = CalendarMonth.firstDay(of: day)
        grid.box(rect, style: .accent, title: s.calendar + " · " + s.month(first.year, first.month), titleStyle: .accent.bold)
        guard rect.width > 9, rect.height > 4 else { return }
        let innerX = rect.x + 1
        let innerWidth = rect.width - 2
        let cellWidth = innerWidth / 7
        // Weekday titles.
        for i in 0..<7 {
            let isoWeekday = i + 1
            grid.put(" " + s.weekday(isoWeekday), x: innerX + i * cellWidth, y: rect.y + 1,
                     style: isoWeekday >= 6 ? .muted : .header, maxWidth: cellWidth)
        }
        guard let month = state.currentCalendar else {
            grid.put(" " + s.calLoading, x: innerX, y: rect.y + 2, style: .muted, maxWidth: innerWidth)
            return
        }
        let lead = first.isoWeekday - 1
        let weeks = (lead + month.days.count + 6) / 7
        // Rows: weekday titles, the weeks, and a legend line when there is room for it.
        let available = rect.height - 3
        let legend = (available - 1) / weeks >= 3
        let cellHeight = max(1, (available - (legend ? 1 : 0)) / weeks)
        let today = LocalDateTime(state.now, in: state.timeZone).date
        for (i, d) in month.days.enumerated() {
            let slot = lead + i
            let x = innerX + (slot % 7) * cellWidth
            let y = rect.y + 2 + (slot / 7) * cellHeight
            let lines = cellLines(d, state: state, today: today, height: cellHeight, width: cellWidth - 1)
            let selected = d.date == day
            if selected {
                grid.fill(Rect(x: x, y: y, width: cellWidth, height: cellHeight), with: " ", style: .selection)
            }
            for (j, line) in lines.prefix(cellHeight).enumerated() {
                let shown = selected ? StyledLine(line.spans.map { Span($0.text, $0.style.onSelection) }) : line
                grid.put(shown, x: x + 1, y: y + j, maxWidth: cellWidth - 1)
            }
        }
        if legend {
            grid.put(" " + s.calLegend, x: innerX, y: rect.maxY - 2, style: .muted, maxWidth: innerWidth)
        }
    }

    /// A day's cell: its number, weekday and mark, then its figures, problems first when
    /// the cell is short of room.
    static func cellLines(_ d: CalendarDay, state: MonitorState, today: LocalDate, height: Int, width: Int) -> [StyledLine] {
        let s = state.strings
        var head = StyledLine()
        let off = !d.status.isWorking
        head.append(Format.two(d.date.day), (off ? Style.muted : Style.plain).bold)
        if let mark = s.dayMark(d.status) {
            let style: Style
            switch d.status {
            case .makeUpWorkday: style = .warn.bold
            case .holiday: style = .accent
            default: style = .muted
            }
            head.append(" " + mark, style)
        }
        if d.date == today { head.append(" •", .accent.bold) }
        // The holiday's name only where it fits whole.
        if case .holiday(let label) = d.status, head.width + 1 + DisplayWidth.of(label(state.language)) <= width {
            head.append(" " + label(state.language), .muted)
        }
        func figure(_ glyph: String, _ byCurrency: [String: Int64], _ style: Style) -> StyledLine {
            StyledLine(fitted(glyph, byCurrency, width: width), style)
        }
        var figures: [StyledLine] = []
        var problems: [StyledLine] = []
        if !d.expected.isEmpty { figures.append(figure("→", d.expected, .plain)) }
        if !d.arrived.isEmpty { figures.append(figure("✓", d.arrived, .ok)) }
        if !d.late.isEmpty { problems.append(figure("!", d.late, .bad.bold)) }
        if !d.held.isEmpty { problems.append(figure("■", d.held, .bad.bold)) }
        if !d.short.isEmpty { problems.append(figure("▼", d.short, .bad.bold)) }
        var lines = [head]
        let room = height - 1
        if figures.count + problems.count <= room {
            lines += figures + problems
        } else {
            // Problems stay; the expected amount before what arrived.
            let keep = max(0, room - problems.count)
            lines += Array(figures.prefix(keep)) + problems
        }
        return lines
    }

    /// A figure in `width` columns: "→ ¥4,910.36", else without the space, else in whole
    /// units marked "~" ("→~¥13,162"); the status line has it exact.
    static func fitted(_ glyph: String, _ byCurrency: [String: Int64], width: Int) -> String {
        let exact = amounts(byCurrency)
        if DisplayWidth.of(glyph + " " + exact) <= width { return glyph + " " + exact }
        if DisplayWidth.of(glyph + exact) <= width { return glyph + exact }
        let whole = byCurrency.sorted { $0.key < $1.key }.compactMap { code, minor in
            Currency(code: code).map { c -> String in
                let text = Format.money(Money(minor: minor, currency: c))
                return text.split(separator: ".").first.map(String.init) ?? text
            }
        }.joined(separator: " ")
        return glyph + "~" + whole
    }

    /// Amounts per currency, in currency order, never summed across currencies.
    static func amounts(_ byCurrency: [String: Int64]) -> String {
        byCurrency.sorted { $0.key < $1.key }.compactMap { code, minor in
            Currency(code: code).map { Format.money(Money(minor: minor, currency: $0)) }
        }.joined(separator: " ")
    }

    /// The selected day in full for the status line: date, weekday, kind, every figure.
    static func dayLine(_ state: MonitorState, day: LocalDate) -> StyledLine? {
        guard let month = state.currentCalendar, let d = month.days.first(where: { $0.date == day }) else { return nil }
        let s = state.strings
        var line = StyledLine([Span("› ", .accent.bold), Span(day.iso + " " + s.weekday(day.isoWeekday), .plain.bold),
                               Span("  " + s.dayKind(d.status), d.status.isWorking ? .muted : .accent)])
        guard d.payouts > 0 else {
            line.append("  " + s.calNoPayouts, .muted)
            return line
        }
        line.append("  " + s.calPayouts(d.payouts))
        line.append("  " + s.calExpected + " " + amounts(d.expected))
        if !d.arrived.isEmpty { line.append("  " + s.calArrived + " " + amounts(d.arrived), .ok) }
        if !d.late.isEmpty { line.append("  " + s.calLate + " " + amounts(d.late), .bad) }
        if !d.held.isEmpty { line.append("  " + s.calHeld + " " + amounts(d.held), .bad) }
        if !d.short.isEmpty { line.append("  " + s.calShort + " " + amounts(d.short), .bad) }
        return line
    }

    /// The payouts due on `day` (Enter on the calendar): the Pending payouts pane's columns.
    static func drawDayList(_ state: MonitorState, day: LocalDate, selection: Int, into grid: inout Grid) {
        let s = state.strings
        let rect = Rect(x: 0, y: 2, width: grid.width, height: max(0, grid.height - 4))
        let lines = state.payoutsDue(on: day)
        let rows = max(0, rect.height - OverviewLayout.boxChrome)
        var cursor = ListCursor(selection: selection)
        cursor.clamp(count: lines.count, visible: rows)
        let title = s.dayPayoutsTitle(day.monthDay + " " + s.weekday(day.isoWeekday))
        ListBox.drawFrame(rect, focused: true, into: &grid)
        let box = ListBox(rect: rect, title: title, focused: true, columns: PayoutsPane.columns(s), total: lines.count,
                          cursor: cursor, emptyText: state.currentCalendar == nil ? s.calLoading : s.calNoPayouts)
        let names = OverviewView.shopNames(state)
        box.drawContent(into: &grid) { index in
            index < lines.count ? PayoutsPane.cells(lines[index], shop: names.short(lines[index].payout.merchantId), state: state) : nil
        }
    }
}
