import PayoutCore
import PayoutModel

/// A payout's drill-down: what it is, its items, the arithmetic from items to what
/// was paid, and its diagnosis.
enum PayoutDetailView {
    static func lines(_ line: PayoutLine, detail: DetailSnapshot, state: MonitorState, width: Int) -> [StyledLine] {
        let p = line.payout
        let items = detail.evidence.payouts.first { $0.payout.ref == p.ref && $0.payout.merchantId == p.merchantId }?.items
            ?? detail.evidence.payouts.first?.items ?? []
        var out: [StyledLine] = []
        out += summaryLines(line, detail: detail, state: state, width: width)
        out.append(.empty)
        out += itemLines(p, items: items, state: state, width: width)
        let history = detail.evidence.payouts.first { $0.payout.ref == p.ref && $0.payout.merchantId == p.merchantId }?.history ?? []
        if !history.isEmpty {
            out.append(.empty)
            out += historyLines(history, currency: p.expectedAmount.currency, state: state, width: width)
        }
        out.append(.empty)
        out += DetailView.diagnosisLines(detail.diagnosis, state: state, width: width)
        out += DetailView.revisionLines(detail.revisions, state: state, width: width)
        out += DetailView.sourceLines(detail.sources, state: state)
        return out
    }

    static func summaryLines(_ line: PayoutLine, detail: DetailSnapshot, state: MonitorState, width: Int) -> [StyledLine] {
        let s = state.strings
        let p = line.payout
        let zone = state.timeZone
        func at(_ i: Instant?) -> String { i.map { Format.dayTime($0, in: zone, reference: state.now) } ?? "—" }
        let merchantName = detail.evidence.merchant?.name
            ?? state.snapshot?.accounts.first(where: { $0.merchant.merchantId == p.merchantId })?.merchant.name
        let lw = DetailView.labelWidth([s.merchant, s.mid, s.colRef, s.cycleDate, s.colState])
        var left: [StyledLine] = []
        if let merchantName { left.append(DetailView.field(s.merchant, merchantName, .plain.bold, labelWidth: lw)) }
        left.append(DetailView.field(s.mid, p.merchantId, labelWidth: lw))
        left.append(DetailView.field(s.colRef, p.ref, .accent.bold, labelWidth: lw))
        left.append(DetailView.field(s.cycleDate, p.cycleDate.iso, labelWidth: lw))
        let badge = PayoutsPane.stateBadge(line, state: state)
        left.append(DetailView.field(s.colState, [Span(badge.text, badge.style.bold), Span("  "), PayoutsPane.eta(line, state: state)],
                                     labelWidth: lw))

        let rw = DetailView.labelWidth([s.expectedArrival, s.creditedAt, s.bankRef, p.failureCode == nil ? "" : s.failureCode, s.late])
        var right: [StyledLine] = []
        right.append(DetailView.field(s.expectedArrival, at(p.expectedArrival), labelWidth: rw))
        if let lateAfter = line.lateAfter {
            right.append(DetailView.field("", s.lateAfter(at(lateAfter)), .muted, labelWidth: rw))
        }
        // What the late time rests on: the contract (the sales' trade dates), else the cycle date.
        let pe = detail.evidence.payouts.first { $0.payout.ref == p.ref && $0.payout.merchantId == p.merchantId }
        if let c = pe?.contract {
            right.append(DetailView.field("", s.t("contract: due by \(at(c.dueBy)) (\(c.sales) sales)", "合同约定：\(at(c.dueBy)) 前到账（\(c.sales) 笔交易）"),
                                          .muted, labelWidth: rw))
        } else if let pe, !pe.items.contains(where: { $0.kind == .transaction }), detail.evidence.payoutTransactions.isEmpty {
            right.append(DetailView.field("", s.t("no sale known: judged by its cycle date", "无所含交易：按结算日判断"), .muted, labelWidth: rw))
        }
        right.append(DetailView.field(s.creditedAt, at(p.creditedAt), p.creditedAt == nil ? .muted : .plain, labelWidth: rw))
        if let bank = pe?.bank {
            right.append(DetailView.field(s.colBankState, bankSpans(bank, payout: p, state: state), labelWidth: rw))
        }
        right.append(DetailView.field(s.bankRef, p.bankRef ?? "—", p.bankRef == nil ? .muted : .plain, labelWidth: rw))
        if let code = p.failureCode {
            right.append(DetailView.field(s.failureCode, code, .bad, labelWidth: rw))
        }
        if let by = detail.diagnosis.arrivedLateBy {
            let text = Format.duration(seconds: by, language: state.language)
            right.append(DetailView.field("", s.t("! arrived late by \(text)", "! 逾期到账 \(text)"), .bad, labelWidth: rw))
        }
        return DetailView.sideBySide(left, right, leftWidth: max(lw + 24, width / 2))
    }

    /// The payout's bank state as the statements show it (its `BankEvidence`): the
    /// Bank column's mark and a few words. The payout and transaction drill-downs both
    /// show it.
    static func bankSpans(_ bank: BankEvidence, payout p: Payout, state: MonitorState) -> [Span] {
        let s = state.strings
        func at(_ i: Instant) -> String { Format.dayTime(i, in: state.timeZone, reference: state.now) }
        let cell = PayoutsPane.bankCell(bank.state, reportedPaid: p.isReportedPaid)
        let text: String
        switch bank.state {
        case .matched: text = s.t("credited \(bank.bookedAt.map { at($0) } ?? bank.credits.first?.bookingDate.iso ?? "")", "已入账 \(bank.bookedAt.map { at($0) } ?? bank.credits.first?.bookingDate.iso ?? "")")
        case .creditedDifferent: text = s.t("credited another amount", "入账金额不符")
        case .ambiguous: text = s.t("several credits could be it", "多笔入账可能对应")
        case .notCredited: text = s.t("not in the statement \(bank.window.lowerBound.monthDay)–\(bank.window.upperBound.monthDay)", "对账单 \(bank.window.lowerBound.monthDay)–\(bank.window.upperBound.monthDay) 无入账")
        case .noStatement: text = s.t("no bank statement for these days", "无这几天的银行对账单")
        }
        return [cell, Span(" " + text, cell.style)]
    }

    /// The items table and the arithmetic block under it, amounts aligned on the right.
    static func itemLines(_ p: Payout, items: [PayoutItem], state: MonitorState, width: Int) -> [StyledLine] {
        let s = state.strings
        let lang = state.language
        var out: [StyledLine] = [DetailView.section(s.items, [Span("  \(items.count)", .muted)])]
        let amountWidth = 14
        // Room on the right of the amounts for the arithmetic's notes ("✓ items match ...").
        let tableWidth = max(min(width, 44), min(width - 32, 90))
        let columns = [
            Column(s.colLine, width: 3, alignment: .right),
            Column(s.colKind, width: 11, maxWidth: 12),
            Column(s.colRRN, width: 12),
            Column(s.colNote, width: 10, maxWidth: 60, drop: 1),
            Column(s.colAmount, width: amountWidth, alignment: .right),
        ]
        if items.isEmpty {
            out.append(StyledLine("  " + s.noItems, .muted))
        } else {
            let rows: [[Span]] = items.sorted { $0.lineNo < $1.lineNo }.map { item in
                let style: Style
                switch item.kind {
                case .transaction, .release: style = .plain
                case .fee, .reserve, .refund, .adjustment: style = .muted
                case .hold, .carryOver, .chargeback: style = .bad
                }
                return [
                    Span(String(item.lineNo), .muted),
                    Span(item.kind.name(lang), style),
                    Span(item.rrn ?? "", .plain),
                    Span(item.note ?? "", .muted),
                    Span(Format.money(item.amount), item.amount.isNegative ? style : .plain),
                ]
            }
            var table = tableLines(columns, rows: rows, width: tableWidth)
            // A line naming a sale the store holds opens that transaction.
            let ids = state.snapshot?.transactionIds ?? [:]
            for (i, item) in items.sorted(by: { $0.lineNo < $1.lineNo }).enumerated() where i + 1 < table.count {
                if let rrn = item.rrn, let id = ids[rrn] {
                    table[i + 1].link = DetailLink(screen: .transaction(id: id), label: state.strings.rrn + " " + rrn)
                }
            }
            out += table
        }

        // The arithmetic, right-aligned under the amount column.
        let cur = p.expectedAmount.currency
        let amountRight = tableWidth  // amounts end at the table's right edge
        func sumLine(_ label: String, _ value: String, _ style: Style = .plain, note: Span? = nil) -> StyledLine {
            let labelRoom = max(1, amountRight - amountWidth - 1)
            var line = StyledLine([Span(DisplayWidth.fit("  " + label, toWidth: labelRoom, alignment: .left), .muted), Span(" "),
                                   Span(DisplayWidth.fit(value, toWidth: amountWidth, alignment: .right), style)])
            if let note { line.spans += [Span("  "), note] }
            return line
        }
        let same = items.filter { $0.amount.currency == cur }
        let withheldKinds: Set<PayoutItemKind> = [.hold, .carryOver]
        let settlementItems = same.filter { !withheldKinds.contains($0.kind) }
        let withheldItems = same.filter { withheldKinds.contains($0.kind) }
        guard !items.isEmpty else {
            out.append(sumLine(s.expectedAmount, Format.money(p.expectedAmount)))
            out.append(sumLine(s.paidAmount, Format.money(p.paidAmount), p.paidAmount == nil ? .muted : .plain.bold,
                               note: p.paidAmount == nil ? Span(s.notPaidYet, .warn) : nil))
            return out
        }
        out.append(StyledLine(String(repeating: " ", count: max(0, amountRight - amountWidth)) + String(repeating: "─", count: amountWidth), .muted))
        guard same.count == items.count, let itemsSum = Format.sum(same.map(\.amount), currency: cur),
              let settlement = Format.sum(settlementItems.map(\.amount), currency: cur),
              let withheld = Format.sum(withheldItems.map(\.amount), currency: cur) else {
            out.append(sumLine(s.itemsSum, "?", .bad, note: Span(s.mixedCurrencies, .bad)))
            return out
        }
        // The lines that make the settlement should come to the expected amount.
        let matchNote: Span? = items.isEmpty ? nil
            : (settlement == p.expectedAmount ? Span(s.t("✓ = expected", "✓ 与应结金额一致"), .ok)
                : Span(s.t("✗ ≠ expected", "✗ 与应结金额不符"), .bad))
        if withheldItems.isEmpty {
            out.append(sumLine(s.itemsSum, Format.money(itemsSum), .plain.bold, note: matchNote))
        } else {
            out.append(sumLine(s.t("Settlement lines", "结算明细"), Format.money(settlement), note: matchNote))
            out.append(sumLine(s.t("Withheld (hold, carry-over)", "暂扣/限额顺延"), Format.money(withheld), .bad))
            out.append(sumLine(s.itemsSum, Format.money(itemsSum), .plain.bold))
        }
        out.append(sumLine(s.expectedAmount, Format.money(p.expectedAmount)))
        guard let paid = p.paidAmount else {
            out.append(sumLine(s.paidAmount, "—", .muted, note: Span(s.notPaidYet, .warn)))
            return out
        }
        out.append(sumLine(s.paidAmount, Format.money(paid), .plain.bold))
        let itemsGap = Format.difference(itemsSum, paid)
        if let gap = itemsGap, !items.isEmpty {
            out.append(sumLine(s.itemsMinusPaid, Format.money(gap), gap.isZero ? .ok : .bad,
                               note: gap.isZero ? Span(s.itemsMatch, .ok) : Span(s.itemsMismatch, .bad)))
        }
        if let diff = Format.difference(paid, p.expectedAmount) {
            // Paid as the acquirer expected is not "in full" when its own lines say more.
            let inFull = itemsGap.map { $0.isZero || $0.isNegative } ?? true
            let note: Span = diff.isZero ? (inFull ? Span("✓ " + s.t("paid in full", "全额到账"), .ok)
                                                   : Span("= " + s.t("as the acquirer expected", "与收单机构应结金额一致"), .warn))
                : (diff.isNegative ? Span("▼ " + s.short, .bad) : Span("▲ " + s.t("more than expected", "多于应结"), .warn))
            out.append(sumLine(s.paidMinusExpected, Format.money(diff), diff.isZero ? .ok : .bad.bold, note: note))
        }
        return out
    }

    /// Every state the reports gave the payout, oldest first, with the file and line
    /// that said it: a return later overwritten by "paid" stays visible.
    static func historyLines(_ history: [PayoutHistoryEntry], currency: Currency, state: MonitorState, width: Int) -> [StyledLine] {
        let s = state.strings
        var out: [StyledLine] = [DetailView.section(s.t("History", "状态记录"), [Span("  \(history.count)", .muted)])]
        for h in history {
            let badge = h.status.badge(state.language)
            let when = Format.dayTime(h.at, in: state.timeZone, reference: state.now)
            var spans = [Span("  "), Span(DisplayWidth.fit(when, toWidth: 12)), Span(" "), Span(badge.text, badge.style)]
            if let paid = h.paidAmount { spans.append(Span(" " + Format.money(paid))) }
            if let code = h.failureCode { spans.append(Span(" " + code, .bad)) }
            spans.append(Span("  " + h.sourcePath + ":" + String(h.line), .muted))
            out.append(StyledLine(spans))
        }
        return out
    }
}
