import PayoutCore
import PayoutModel

/// The two header rows: who and where (merchant, MID, other shops, acquirer, cycle),
/// the account badge and clock; then the problem counts and how fresh the data is.
enum HeaderView {
    static func draw(_ state: MonitorState, into grid: inout Grid) {
        let width = grid.width
        let s = state.strings
        let sep = Span("  ")

        // Row 0, right: account badge and clock.
        var right = StyledLine()
        if let snapshot = state.snapshot {
            let badge = snapshot.accountState.badge(state.language)
            let word = state.language == .en ? badge.word.uppercased() : badge.word
            right.append(badge.glyph + " " + word, badge.style.bold)
            // The shop in that state (not the header's merchant, which may be fine).
            let worst = snapshot.accounts.filter { $0.state == snapshot.accountState }
            if snapshot.accountState != .active, let first = worst.first {
                right.append(" " + PayoutsPane.shortShopName(first.merchant.name) + (worst.count > 1 ? " +\(worst.count - 1)" : ""),
                             badge.style)
            }
            right.append("  ")
        }
        right.append(Format.clock(state.now, in: state.timeZone), .plain.bold)

        var left: [(line: StyledLine, drop: Int)] = [(StyledLine(s.appName, .accent.bold), 5)]
        if let snapshot = state.snapshot, let merchant = snapshot.merchant {
            left.append((StyledLine(merchant.name, .plain.bold), 0))
            left.append((StyledLine([Span(s.mid + " ", .muted), Span(merchant.merchantId)]), 0))
            let acquirers = Set(snapshot.accounts.map(\.merchant.acquirer))
            if acquirers.count > 1 {
                // Several acquirers: how many, and every cycle in force (an account outside the contract keeps its acquirer's dates).
                left.append((StyledLine(s.acquirersAndShops(acquirers: acquirers.count, shops: snapshot.accounts.count)), 2))
                var cycles: [String] = []
                for line in snapshot.accounts where !cycles.contains(line.cycle ?? s.acquirerDates) {
                    cycles.append(line.cycle ?? s.acquirerDates)
                }
                left.append((StyledLine(cycles.joined(separator: " / "), .accent), 1))
            } else {
                if snapshot.otherMerchants > 0 {
                    left.append((StyledLine(s.moreShops(snapshot.otherMerchants), .muted), 3))
                }
                left.append((StyledLine(merchant.acquirer), 2))
                if !snapshot.cycle.isEmpty {
                    left.append((StyledLine(snapshot.cycle, .accent), 1))
                }
            }
        } else if state.snapshot == nil {
            left.append((StyledLine(s.loading, .muted), 0))
        }
        let leftRoom = max(0, width - right.width - 2)
        // The bank figure's long form may take the room of the program's name and the other shops' count.
        if let bank = bankSegment(state, room: leftRoom - left.filter { $0.drop < 3 }.reduce(0) { $0 + $1.line.width + sep.width }) {
            left.append(bank)
        }
        grid.put(fitSegments(left, width: leftRoom, separator: sep), x: 0, y: 0, maxWidth: leftRoom)
        grid.put(right, x: max(0, width - right.width), y: 0, maxWidth: right.width)

        // Row 1: counts on the left, sync status on the right.
        let sync = syncLine(state, width: width / 2, short: width < 100)
        let syncWidth = min(sync.width, width / 2)
        let countsRoom = max(0, width - syncWidth - 2)
        grid.put(labelledCounts(state, width: countsRoom), x: 0, y: 1, maxWidth: countsRoom)
        grid.put(sync, x: width - syncWidth, y: 1, maxWidth: syncWidth)
    }

    /// The bank's side once a statement was read: "bank ✗ 2 not credited" (open payouts
    /// the acquirer reports paid that a complete statement does not hold, the Pending
    /// payouts pane's ✗), shortened to "bank ✗ 2" when `room` is too small, and never
    /// dropped: it comes after the identifiers, so it is what gets cut, not them. With
    /// none missing, a quiet "bank ✓" that goes first when room is short.
    static func bankSegment(_ state: MonitorState, room: Int) -> (line: StyledLine, drop: Int)? {
        guard let n = state.snapshot?.bankNotCredited else { return nil }
        let s = state.strings
        guard n > 0 else { return (StyledLine([Span(s.t("bank", "银行") + " ", .muted), Span("✓", .ok)]), 6) }
        let short = StyledLine([Span(s.t("bank", "银行") + " ✗ ", .bad), Span(grouped(n), .bad.bold)])
        let long = StyledLine(short.spans + [Span(s.t(" not credited", " 笔未入账"), .bad)])
        return (long.width <= room ? long : short, 0)
    }

    /// "Transactions: … pending 12 · ! late 2 …  Payouts open 11": the counts line with what
    /// each part counts, the transactions' as in the Transactions pane, the payouts' as in
    /// the Pending payouts pane.
    static func labelledCounts(_ state: MonitorState, width: Int) -> StyledLine {
        guard let snapshot = state.snapshot else { return StyledLine() }
        let s = state.strings
        var payouts = StyledLine([Span("  " + s.countsOfPayouts + " ", .muted), Span(grouped(snapshot.payoutTotal))])
        // Under the acquirer filter the panes narrow but these counts stay the store's: say so.
        let label = StyledLine((state.acquirer == nil ? s.countsOfSales : s.countsOfAllSales) + " ", .muted)
        // The payouts' count goes first when the line is narrow: the sales' counts carry the problems.
        if label.width + payouts.width + 45 > width { payouts = StyledLine() }
        var line = label
        for span in countsLine(state, width: max(0, width - label.width - payouts.width)).spans { line.spans.append(span) }
        for span in payouts.spans { line.spans.append(span) }
        return line
    }

    /// "… pending 12 · due today 3 · ! late 2 · ▼ short 1 ¥19,820.00 · ■ held 3 · to come ¥123,456.00".
    static func countsLine(_ state: MonitorState, width: Int) -> StyledLine {
        guard let summary = state.snapshot?.summary else { return StyledLine() }
        let s = state.strings
        let lang = state.language
        var parts: [(line: StyledLine, drop: Int)] = []
        func count(_ n: Int, _ badge: StateBadge, _ word: String, drop: Int, extra: String? = nil) {
            let style: Style = n > 0 ? badge.style : .muted
            var line = StyledLine([Span(badge.glyph + " " + word + " ", style), Span(grouped(n), n > 0 ? style.bold : .muted)])
            if let extra, n > 0 { line.append(" " + extra, style) }
            parts.append((line, drop))
        }
        count(summary.pending, MoneyState.pending.badge(lang), s.pending, drop: 3)
        if summary.dueToday > 0 {
            parts.append((StyledLine([Span(s.dueToday + " ", .muted), Span(grouped(summary.dueToday))]), 4))
        }
        count(summary.late, MoneyState.late.badge(lang), s.late, drop: 0)
        let shortTotal = summary.shortTotal.sorted { $0.key < $1.key }.compactMap { code, minor in
            Currency(code: code).map { Format.money(Money(minor: minor, currency: $0)) }
        }.joined(separator: " ")
        count(summary.short, MoneyState.short.badge(lang), s.short, drop: 0, extra: shortTotal.isEmpty ? nil : shortTotal)
        count(summary.held, MoneyState.held.badge(lang), s.held, drop: 0)
        count(summary.failed, MoneyState.failed.badge(lang), s.failed, drop: 1)
        if summary.otherCurrency > 0 {
            let b = MoneyState.otherCurrency.badge(lang)
            count(summary.otherCurrency, b, b.word, drop: 0)
        }
        if summary.awaitingReport > 0 {
            // Not late and not "to come": the reports cannot say yet.
            let b = MoneyState.awaitingReport.badge(lang)
            count(summary.awaitingReport, b, b.word, drop: 0, extra: s.reportsThrough(summary.reportsThrough))
        }
        if summary.noHolidayData > 0 {
            parts.append((StyledLine([Span("! " + s.noHolidayData(summary.noHolidayDataYears) + " ", .warn),
                                      Span(grouped(summary.noHolidayData), .warn.bold)]), 0))
        }
        let outstanding = summary.outstanding.sorted { $0.key < $1.key }.compactMap { code, minor in
            Currency(code: code).map { Format.money(Money(minor: minor, currency: $0)) }
        }.joined(separator: " ")
        if !outstanding.isEmpty {
            parts.append((StyledLine([Span(s.outstanding + " ", .muted), Span(outstanding)]), 2))
        }
        return fitSegments(parts, width: width, separator: Span(" · ", .muted))
    }

    /// "synced 3s ago", "! stale since 23:41:05: reason", or "reading store…".
    static func syncLine(_ state: MonitorState, width: Int, short: Bool = false) -> StyledLine {
        let s = state.strings
        switch state.sync {
        case .starting:
            return StyledLine(s.syncStarting, .muted)
        case .synced(let at, _):
            // How old the newest data is, then the poll's health (dropped first when narrow).
            var parts: [(line: StyledLine, drop: Int)] = []
            if let asOf = state.snapshot?.dataAsOf {
                let local = LocalDateTime(asOf, in: state.timeZone)
                let today = LocalDateTime(state.now, in: state.timeZone).date
                let time = local.date == today ? Format.hm(local.secondOfDay) : Format.dayTime(asOf, in: state.timeZone, reference: state.now)
                let ago = max(0, state.now.seconds(since: asOf))
                parts.append((StyledLine(short ? s.asOf(time, ago: ago) : s.dataAsOf(time, ago: ago), .muted), 0))
            }
            // On a narrow screen a healthy poll gives its room to the counts (a failing one shows as stale).
            if !short || parts.isEmpty {
                parts.append((StyledLine(s.synced(ago: max(0, state.now.seconds(since: at))), .muted), parts.isEmpty ? 0 : 1))
            }
            return fitSegments(parts, width: width, separator: Span(" · ", .muted))
        case .stale(let since, let reason):
            return StyledLine("! " + s.stale(since: Format.clock(since, in: state.timeZone), reason: reason), .bad)
        }
    }
}
