import PayoutCore

/// The help overlay: every key of the key table with what it does, the filter
/// prompt's keys, and the state glyphs. Generated from `KeyTable`, so it lists
/// exactly what dispatches.
enum HelpView {
    /// The overlay's content at the state's size (compact when the full one does not fit).
    static func content(_ state: MonitorState, keys: KeyTable = .standard) -> [StyledLine] {
        // On a short screen the blank line above the states goes, so both legend lines fit.
        let content = lines(state, keys: keys)
        if content.count + 2 > state.size.height - 2 { return lines(state, keys: keys, compact: true) }
        return content
    }

    /// Content lines the overlay shows at the state's size.
    static func innerHeight(_ state: MonitorState, keys: KeyTable = .standard) -> Int {
        max(0, min(state.size.height - 2, content(state, keys: keys).count + 2) - 2)
    }

    /// The furthest the overlay scrolls, and a page of it.
    static func maxScroll(_ state: MonitorState) -> Int { max(0, content(state).count - innerHeight(state)) }
    static func pageSize(_ state: MonitorState) -> Int { max(1, innerHeight(state) - 1) }

    static func draw(_ state: MonitorState, into grid: inout Grid, keys: KeyTable = .standard) {
        let content = content(state, keys: keys)
        let width = min(grid.width - 4, max(60, (content.map(\.width).max() ?? 0) + 4))
        let height = min(grid.height - 2, content.count + 2)
        guard width > 10, height > 2 else { return }
        let rect = Rect(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        grid.fill(rect, with: " ", style: .plain)
        grid.box(rect, style: .accent, title: state.strings.help + " · payoutmon", titleStyle: .accent.bold)
        let inner = height - 2
        let scroll = max(0, min(state.helpScroll, content.count - inner))
        for i in 0..<min(inner, content.count) {
            grid.put(content[scroll + i], x: rect.x + 2, y: rect.y + 1 + i, maxWidth: width - 4)
        }
        // More above or below: "▲ ↑↓ 5-24/30 ▼" on the top border, so the close hint keeps the bottom.
        if content.count > inner {
            let up = scroll > 0 ? "▲ " : ""
            let down = scroll + inner < content.count ? " ▼" : ""
            let text = " \(up)↑↓ \(scroll + 1)-\(scroll + inner)/\(content.count)\(down) "
            grid.put(text, x: rect.maxX - 2 - DisplayWidth.of(text), y: rect.y, style: .accent)
        }
        let close = " " + state.strings.helpClose + " "
        let x = rect.maxX - 2 - DisplayWidth.of(close)
        if x > rect.x + 1 { grid.put(close, x: x, y: rect.maxY - 1, style: .muted) }
    }

    /// The overlay's lines; `compact` leaves out the blank line above the states.
    static func lines(_ state: MonitorState, keys: KeyTable, compact: Bool = false) -> [StyledLine] {
        let lang = state.language
        let s = state.strings
        let listed = keys.helpEntries(in: KeyTable.helpContexts)
        let keyWidth = min(16, (listed.map { DisplayWidth.of($0.keys) }.max() ?? 0) + 2)
        var out: [StyledLine] = []
        for entry in listed {
            out.append(StyledLine([Span(DisplayWidth.fit(entry.keys, toWidth: keyWidth), .accent.bold),
                                   Span(entry.help(lang))]))
        }
        // The prompt's keys on one line, from its footer hints and help texts.
        var prompt = StyledLine([Span(DisplayWidth.fit(s.helpFilterSection, toWidth: keyWidth), .accent.bold)])
        for (i, binding) in keys.bindings.filter({ $0.contexts == [.filterPrompt] }).enumerated() {
            if i > 0 { prompt.append(" · ", .muted) }
            prompt.append(binding.footerKeys, .accent)
            prompt.append(" " + (binding.hint?(lang) ?? binding.help(lang)))
        }
        out.append(.empty)
        out.append(prompt)
        // The state glyphs: never colour alone. Two lines, so an 80-column help holds them.
        if !compact { out.append(.empty) }
        for row in [[MoneyState.settled, .pending, .late, .short, .held, .failed, .reversed], [.awaitingReport, .otherCurrency]] {
            var legend = StyledLine()
            for (i, state) in row.enumerated() {
                let badge = state.badge(lang)
                if i > 0 { legend.append("  ") }
                legend.append(badge.text, badge.style)
            }
            out.append(legend)
        }
        return out
    }
}
