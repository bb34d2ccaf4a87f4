import PayoutCore
import PayoutModel

/// The three panes: Transactions, Pending payouts, Account status.
enum OverviewView {
    static func draw(_ state: MonitorState, layout: OverviewLayout, into grid: inout Grid) {
        // Frames first, the focused one last so the borders it shares take its colour;
        // then titles and rows, which no neighbouring frame may cut.
        let order = Pane.allCases.filter { $0 != state.focus } + [state.focus]
        for pane in order {
            ListBox.drawFrame(layout.box(pane), focused: pane == state.focus, into: &grid)
        }
        TransactionsPane.draw(state, rect: layout.transactions, into: &grid)
        PayoutsPane.draw(state, rect: layout.payouts, into: &grid)
        AccountsPane.draw(state, rect: layout.accounts, into: &grid)
    }

    /// The shops' names by MID, from the account pane's lines.
    struct ShopNames {
        var names: [String: String]
        /// The full name, or the MID when the store has no name for it.
        func full(_ mid: String) -> String { names[mid] ?? mid }
        /// The list's short form (the branch of a chain's name).
        func short(_ mid: String) -> String { PayoutsPane.shortShopName(full(mid)) }
    }

    static func shopNames(_ state: MonitorState) -> ShopNames {
        ShopNames(names: Dictionary(state.snapshot?.accounts.map { ($0.merchant.merchantId, $0.merchant.name) } ?? [],
                                    uniquingKeysWith: { first, _ in first }))
    }

    /// What an empty list says: still loading, nothing matches, no problems, or no rows.
    static func emptyText(_ state: MonitorState) -> String {
        let s = state.strings
        if state.snapshot == nil { return s.loading }
        if state.filter != nil || state.acquirer != nil { return s.noRowsFiltered }
        if state.problemsOnly { return s.noProblems }
        return s.noRows
    }
}

/// The Transactions pane: newest first.
enum TransactionsPane {
    static func columns(_ s: Strings) -> [Column] {
        [
            Column(s.colTime, width: 11),
            Column(s.colShop, width: 8, maxWidth: 16, drop: 7, fit: true),
            Column(s.colTerminal, width: 11, maxWidth: 20, drop: 3, greedy: true),
            Column(s.colRRN, width: 12, fit: true),
            Column(s.colCard, width: 5, maxWidth: 6, drop: 5),
            Column(s.colKind, width: 8, maxWidth: 10, drop: 6),
            Column(s.colAmount, width: 13, alignment: .right, fit: true),
            Column(s.colState, width: 11, maxWidth: 13),
            Column(s.colDue, width: 11, drop: 4),
            Column(s.colCause, width: 11, maxWidth: 16, drop: 2, fit: true),
        ]
    }

    static func draw(_ state: MonitorState, rect: Rect, into grid: inout Grid) {
        let s = state.strings
        let box = ListBox(rect: rect, title: "1 " + s.transactions + s.sortSuffix(state.transactionSort), focused: state.focus == .transactions,
                          columns: columns(s), total: state.count(.transactions), cursor: state.transactionCursor,
                          emptyText: OverviewView.emptyText(state))
        let snapshot = state.snapshot
        let names = OverviewView.shopNames(state)
        box.drawContent(into: &grid) { index in
            guard let snapshot else { return nil }
            let i = index - snapshot.request.transactionOffset
            guard i >= 0, i < snapshot.transactions.count else { return nil }
            return cells(snapshot.transactions[i], shop: names.short(snapshot.transactions[i].transaction.merchantId), state: state)
        }
    }

    static func cells(_ line: TxnLine, shop: String, state: MonitorState) -> [Span] {
        let txn = line.transaction
        let zone = state.timeZone
        let lang = state.language
        let money = line.state(at: state.now)
        return [
            Span(Format.dayTime(txn.occurredAt, in: zone, reference: state.now), .muted),
            Span(shop),
            Span(txn.terminalName ?? txn.terminalId),
            Span(txn.rrn),
            Span(Format.cardTail(txn, language: lang), .muted),
            Span(txn.kind.name(lang), txn.kind == .sale ? .plain : .warn),
            Span(Format.money(txn.amount), txn.amount.isNegative ? .warn : .plain),
            stateSpan(line, state: money, now: state.now, language: lang),
            Span(line.expectedCredit.map { Format.dayTime($0, in: zone, reference: state.now) } ?? "—", .muted),
            Span(line.cause?.label(lang) ?? "", line.cause.map { $0.isExplained ? Style.muted : Style.bad } ?? .plain),
        ]
    }

    /// "✓ settled", "! late 2h" (late by the time since it turned late).
    static func stateSpan(_ line: TxnLine, state money: MoneyState, now: Instant, language: Language) -> Span {
        let badge = money.badge(language)
        if money == .late, let lateAfter = line.lateAfter {
            let by = Format.coarseDuration(seconds: max(0, now.seconds(since: lateAfter)), language: language)
            return Span(badge.glyph + " " + badge.word + (language == .en ? " " : "") + by, badge.style)
        }
        // The list's state column is narrow: the short words ("○ awaiting", "¤ currency").
        if money == .awaitingReport || money == .otherCurrency {
            return Span(badge.glyph + " " + Strings(language).stateShort(money), badge.style)
        }
        return Span(badge.text, badge.style)
    }
}

/// The Pending payouts pane: by expected arrival.
enum PayoutsPane {
    /// `bank`: a Bank column at the end, shown once a bank statement was read.
    static func columns(_ s: Strings, bank: Bool = false) -> [Column] {
        [
            Column(s.colArrival, width: 11),
            Column(s.colShop, width: 8, maxWidth: 16, drop: 4, fit: true),
            Column(s.colRef, width: 12, maxWidth: 22, greedy: true, fit: true),
            Column(s.colExpected, width: 13, alignment: .right, fit: true),
            Column(s.colPaid, width: 13, alignment: .right, drop: 2),
            Column(s.colState, width: 10, maxWidth: 12, greedy: true),
            Column(s.colETA, width: 12, maxWidth: 16, drop: 1, fit: true),
            Column(s.colCause, width: 11, maxWidth: 16, drop: 3, fit: true),
        ] + (bank ? [Column(s.colBankState, width: 4, drop: 1)] : [])
    }

    static func draw(_ state: MonitorState, rect: Rect, into grid: inout Grid) {
        let s = state.strings
        let bank = state.snapshot?.payouts.contains { $0.bank != nil } ?? false
        let box = ListBox(rect: rect, title: "2 " + s.payouts + s.sortSuffix(state.payoutSort), focused: state.focus == .payouts,
                          columns: columns(s, bank: bank), total: state.count(.payouts), cursor: state.payoutCursor,
                          emptyText: OverviewView.emptyText(state))
        let snapshot = state.snapshot
        let names = OverviewView.shopNames(state)
        box.drawContent(into: &grid) { index in
            guard let snapshot else { return nil }
            let i = index - snapshot.request.payoutOffset
            guard i >= 0, i < snapshot.payouts.count else { return nil }
            let line = snapshot.payouts[i]
            return cells(line, shop: names.short(line.payout.merchantId), state: state)
                + (bank ? [bankCell(line.bank, reportedPaid: line.payout.isReportedPaid)] : [])
        }
    }

    /// The branch of a chain's shop name, which tells the shops apart: "味道小馆(南山店)" -> "南山店".
    static func shortShopName(_ name: String) -> String {
        guard let open = name.lastIndex(where: { $0 == "(" || $0 == "（" }),
              let close = name.lastIndex(where: { $0 == ")" || $0 == "）" }), open < close else { return name }
        let inner = name[name.index(after: open)..<close]
        return inner.isEmpty ? name : String(inner)
    }

    static func cells(_ line: PayoutLine, shop: String, state: MonitorState) -> [Span] {
        let p = line.payout
        let zone = state.timeZone
        let arrival = p.expectedArrival.map { Format.dayTime($0, in: zone, reference: state.now) } ?? "—"
        let badge = stateBadge(line, state: state)
        return [
            Span(arrival, .muted),
            Span(shop),
            Span(p.ref),
            Span(Format.money(p.expectedAmount)),
            Span(Format.money(p.paidAmount), p.paidAmount == nil ? .muted : .plain),
            Span(badge.text, badge.style),
            eta(line, state: state),
            Span(line.cause?.label(state.language) ?? "", line.cause.map { $0.isExplained ? Style.muted : Style.bad } ?? .plain),
        ]
    }

    /// ✓ matched, ✗ not credited though the acquirer reports it paid, ≠ another amount,
    /// ? ambiguous, · no statement; – no credit while the acquirer does not report it paid
    /// (returned, held, scheduled): nothing the bank should have shown.
    static func bankCell(_ state: BankEvidence.State?, reportedPaid: Bool = true) -> Span {
        switch state {
        case .matched: return Span("✓", .ok)
        case .notCredited: return reportedPaid ? Span("✗", .bad) : Span("–", .muted)
        case .creditedDifferent: return Span("≠", .bad)
        case .ambiguous: return Span("?", .muted)
        case .noStatement, nil: return Span("·", .muted)
        }
    }

    /// The payout's status, or "! late" when an open payout is past its late time.
    static func stateBadge(_ line: PayoutLine, state: MonitorState) -> StateBadge {
        let money = line.state(at: state.now)
        if line.payout.status.isOpen, money == .late {
            return MoneyState.late.badge(state.language)
        }
        // The acquirer's word, unless the one computation says otherwise: a "paid" payout
        // short of its lines is short, a returned payout that was re-sent is settled.
        switch line.payout.status {
        case .paid where money != .settled && money != .pending:
            return money.badge(state.language)
        case .failed where money == .settled, .returned where money == .settled:
            return money.badge(state.language)
        default:
            return line.payout.status.badge(state.language)
        }
    }

    /// "in 5h 10m", "due now", "late 3h 20m", the credit time, or the failure code.
    static func eta(_ line: PayoutLine, state: MonitorState) -> Span {
        let p = line.payout
        let lang = state.language
        let en = lang == .en
        if p.status.isOpen {
            if let lateAfter = line.lateAfter, state.now > lateAfter {
                let by = Format.duration(seconds: state.now.seconds(since: lateAfter), language: lang)
                return Span(en ? "late \(by)" : "逾期\(by)", .bad)
            }
            if let arrival = p.expectedArrival, state.now < arrival {
                let wait = Format.duration(seconds: arrival.seconds(since: state.now), language: lang)
                return Span(en ? "in \(wait)" : "\(wait)后", .warn)
            }
            return Span(en ? "due now" : "到账中", .warn)
        }
        switch p.status {
        case .paid, .partial:
            return Span(p.creditedAt.map { Format.dayTime($0, in: state.timeZone, reference: state.now) } ?? "—", .muted)
        case .failed, .returned:
            return Span(p.failureCode ?? "—", .bad)
        default:
            return Span("—", .muted)
        }
    }
}

/// The Account status pane: each merchant's standing, holds, reserve and bank
/// account, then the most recent account events.
enum AccountsPane {
    static func columns(_ s: Strings) -> [Column] {
        [
            Column(s.colShop, width: 16, maxWidth: 20, fit: true),
            Column(s.colState, width: 10, maxWidth: 14),
            Column(s.colHolds, width: 14, maxWidth: 16, alignment: .right, fit: true),
            Column(s.colAcquirer, width: 12, maxWidth: 26, drop: 1, fit: true),
            Column(s.colReserve, width: 12, alignment: .right, drop: 4),
            Column(s.colBank, width: 12, drop: 2),
            Column(s.colLimit, width: 12, maxWidth: 20, drop: 3, fit: true),
            Column(s.colReason, width: 12, maxWidth: 200, drop: 5, fill: true),
        ]
    }

    static func draw(_ state: MonitorState, rect: Rect, into grid: inout Grid) {
        let s = state.strings
        let accounts = state.visibleAccounts
        let box = ListBox(rect: rect, title: "3 " + s.accounts + s.sortSuffix(state.accountSort), focused: state.focus == .accounts,
                          columns: columns(s), total: accounts.count, cursor: state.accountCursor,
                          emptyText: OverviewView.emptyText(state))
        box.drawContent(into: &grid) { index in
            index < accounts.count ? cells(accounts[index], state: state) : nil
        }
        // Recent events in the rows the merchants leave free.
        let used = min(accounts.count, box.visibleRows)
        let free = box.visibleRows - used - 1
        guard free >= 2 else { return }
        let events = accounts.flatMap { line in line.recentEvents.map { (line.merchant.name, $0) } }
            .sorted { $0.1.at > $1.1.at }
        guard !events.isEmpty else { return }
        let top = box.firstRow + used + 1
        grid.put(s.recentEvents, x: box.tableX, y: top, style: .header, maxWidth: box.tableWidth)
        for (i, (name, event)) in events.prefix(free - 1).enumerated() {
            let badge = event.state.badge(state.language)
            let line = StyledLine([
                Span(Format.dayTime(event.at, in: state.timeZone, reference: state.now) + "  ", .muted),
                Span(name + "  "),
                Span(badge.text + "  ", badge.style),
                Span(event.reason, .muted),
            ])
            grid.put(line, x: box.tableX, y: top + 1 + i, maxWidth: box.tableWidth)
        }
    }

    static func cells(_ line: AccountLine, state: MonitorState) -> [Span] {
        let lang = state.language
        let m = line.merchant
        let badge = line.state.badge(lang)
        let open = line.openHolds.filter { $0.releasedAt == nil }
        let holds = open.filter { $0.kind != .reserve }
        let reserves = open.filter { $0.kind == .reserve }
        let holdText: String
        if holds.isEmpty {
            holdText = "—"
        } else {
            let total = Format.sum(holds.map(\.amount), currency: m.currency)
            holdText = "\(holds.count) · " + (total.map(Format.money) ?? Strings(lang).mixedCurrencies)
        }
        let reserveText = reserves.isEmpty ? "—" : (Format.sum(reserves.map(\.amount), currency: m.currency).map(Format.money) ?? "?")
        var limit = m.accountClass.name(lang)
        if let daily = m.dailyInflowLimit {
            limit += " " + Format.money(daily) + (lang == .en ? "/day" : "/日")
        }
        // Why the account is not active, else what the first open hold is for.
        var reason = ""
        if line.state != .active {
            let since = line.since.map { Format.dayTime($0, in: state.timeZone, reference: state.now) + " " } ?? ""
            reason = since + (line.reason ?? "")
        } else if let hold = holds.first ?? reserves.first {
            reason = hold.kind.name(lang) + (lang == .en ? ": " : "：") + hold.reason
        }
        // Acquirer, cycle and currency: several acquirers' accounts side by side.
        let currencies = ([m.currency.code] + line.otherCurrencies).joined(separator: " ")
        let acquirer = [m.acquirer, line.cycle ?? Strings(lang).acquirerDates, currencies].joined(separator: " · ")
        // An account only the reports name has no known bank account or class.
        let unknown = line.fromReportsOnly
        return [
            Span(m.name),
            Span(badge.text, badge.style),
            Span(holdText, holds.isEmpty ? .muted : .bad),
            Span(acquirer, .muted),
            Span(reserveText, reserves.isEmpty ? .muted : .warn),
            Span(unknown ? "—" : Format.maskedAccount(m.bankAccountMasked), .muted),
            Span(unknown ? "—" : limit, m.dailyInflowLimit == nil ? .muted : .warn),
            Span(reason, line.state == .active ? .muted : badge.style),
        ]
    }
}
