import Foundation
import PayoutCore
import PayoutModel

/// A transaction's drill-down: identifiers and amounts, the timeline of expected
/// against actual steps, how the date was computed, the diagnosis, and the payouts
/// that carry it.
enum TransactionDetailView {
    static func lines(_ line: TxnLine, detail: DetailSnapshot, state: MonitorState, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        out += summaryLines(line, detail: detail, state: state, width: width)
        out.append(.empty)
        out += timelineLines(line, detail: detail, state: state, width: width)
        if let expectation = detail.evidence.expectation, !expectation.steps.isEmpty {
            out.append(.empty)
            out.append(DetailView.section(state.strings.howComputed))
            let zh = state.language == .zhHans
            for step in expectation.steps {
                out += Wrap.styled(zh ? step.zh : step.en, width: width, prefix: Span("  · ", .muted), style: .plain)
            }
        }
        out.append(.empty)
        out += DetailView.diagnosisLines(detail.diagnosis, state: state, width: width)
        out.append(.empty)
        out += payoutLines(line, detail: detail, state: state, width: width)
        for pe in detail.evidence.payouts where pe.history.count > 1 {
            out.append(.empty)
            out += PayoutDetailView.historyLines(pe.history, currency: pe.payout.expectedAmount.currency, state: state, width: width)
                .enumerated().map { i, l in i == 0 ? StyledLine(l.spans + [Span("  " + pe.payout.ref, .accent)]) : l }
        }
        out += DetailView.revisionLines(detail.revisions, state: state, width: width)
        out += DetailView.sourceLines(detail.sources, state: state)
        return out
    }

    // MARK: - Identifiers and amounts

    static func summaryLines(_ line: TxnLine, detail: DetailSnapshot, state: MonitorState, width: Int) -> [StyledLine] {
        let s = state.strings
        let lang = state.language
        let txn = line.transaction
        let merchantName = detail.evidence.merchant?.name
            ?? state.snapshot?.accounts.first(where: { $0.merchant.merchantId == txn.merchantId })?.merchant.name
        let leftLabels = [s.merchant, s.mid, s.tid, s.batchTrace, s.rrn, s.authCode, s.card, s.kind]
        let lw = DetailView.labelWidth(leftLabels)
        var left: [StyledLine] = [DetailView.section(s.identifiers)]
        if let merchantName { left.append(DetailView.field(s.merchant, merchantName, .plain.bold, labelWidth: lw)) }
        left.append(DetailView.field(s.mid, txn.merchantId, labelWidth: lw))
        var terminal: [Span] = [Span(txn.terminalId)]
        if let name = txn.terminalName { terminal.append(Span(" " + name, .muted)) }
        left.append(DetailView.field(s.tid, terminal, labelWidth: lw))
        left.append(DetailView.field(s.batchTrace, "\(txn.batchNo) / \(txn.traceNo)", labelWidth: lw))
        left.append(DetailView.field(s.rrn, txn.rrn, .accent.bold, labelWidth: lw))
        left.append(DetailView.field(s.authCode, txn.authCode.isEmpty ? "—" : txn.authCode, labelWidth: lw))
        let card = txn.cardMasked.isEmpty ? txn.cardKind.name(lang) : txn.cardMasked + " · " + txn.cardKind.name(lang)
        left.append(DetailView.field(s.card, card, labelWidth: lw))
        left.append(DetailView.field(s.kind, txn.kind.name(lang), labelWidth: lw))

        let d = detail.diagnosis
        let exp = detail.evidence.expectation
        let gap = DetailView.gapLabel(d, state: state)
        let negative = txn.amount.isNegative
        let receivedLabel = negative ? s.netted : s.received
        let rightLabels = [s.gross, s.fee, s.expectedNet, receivedLabel, gap.label, s.colState]
        let rw = DetailView.labelWidth(rightLabels)
        let amountWidth = 13
        func amount(_ label: String, _ m: Money?, _ style: Style = .plain, note: Span? = nil) -> StyledLine {
            var spans = [Span(DisplayWidth.fit(Format.money(m), toWidth: amountWidth, alignment: .right), style)]
            if let note { spans += [Span(" "), note] }
            return DetailView.field(label, spans, labelWidth: rw)
        }
        var right: [StyledLine] = [DetailView.section(s.amounts)]
        right.append(amount(s.gross, txn.amount, .plain.bold))
        if let fee = txn.fee {
            right.append(amount(s.fee, fee))
        } else {
            right.append(amount(s.fee, exp?.fee.total, note: exp == nil ? nil : Span(s.feeComputed, .muted)))
        }
        let expectedNet = line.expectedNet ?? exp?.net ?? d.expectedNet
        right.append(amount(s.expectedNet, expectedNet))
        let received = line.received ?? d.received
        right.append(amount(receivedLabel, received, received.isZero ? .warn : .ok,
                            note: received.isZero && !negative ? Span(s.notReceived, .warn) : nil))
        right.append(amount(gap.label, d.shortBy, d.shortBy.isZero ? .muted : gap.style.bold))
        let badge = line.state(at: state.now).badge(lang)
        var stateSpans = [Span(badge.text, badge.style.bold)]
        // A date computed through a year the calendar has no holiday data for.
        if !line.noHolidayDataYears.isEmpty { stateSpans.append(Span("  ! " + s.noHolidayData(line.noHolidayDataYears), .warn)) }
        right.append(DetailView.field(s.colState, stateSpans, labelWidth: rw))
        return DetailView.sideBySide(left, right, leftWidth: max(lw + 28, width / 2))
    }

    // MARK: - Timeline

    /// traded -> batch closed -> cleared -> payout instructed -> credited, each with what
    /// was expected and what the reports show ("—" where they do not say).
    static func timelineLines(_ line: TxnLine, detail: DetailSnapshot, state: MonitorState, width: Int) -> [StyledLine] {
        let s = state.strings
        let lang = state.language
        let zone = state.timeZone
        let now = state.now
        let txn = line.transaction
        let exp = detail.evidence.expectation
        let policy = detail.evidence.policy
        let d = detail.diagnosis
        let shares = d.shares
        func at(_ i: Instant) -> String { Format.dayTime(i, in: zone, reference: now) }

        /// The steps: mark, name, expected lines, actual lines; laid out once all are known.
        var steps: [(mark: Span, step: String, expected: [Span], actual: [Span])] = []
        func row(_ mark: Span, _ step: String, _ expected: Span, _ actual: Span) {
            steps.append((mark, step, [expected], [actual]))
        }
        let unknown = Span("·", .muted)
        let waiting = Span("…", .warn)
        let done = Span("✓", .ok)

        // Traded.
        row(done, s.stepTraded, Span("—", .muted), Span(Format.dayTimeSeconds(txn.occurredAt, in: zone, reference: now)))

        // Batch closed: the cutoff of the trade date (midnight when there is no cutoff).
        var closeText = Span("—", .muted)
        var closeMark = unknown
        if let exp {
            let close = policy.batchCloses(exp.tradeDate)
            closeText = Span(at(close))
            if now < close { closeMark = waiting }
        }
        row(closeMark, s.stepBatchClosed, closeText, Span(s.notInReports, .muted))

        // Cleared: the settlement day.
        var clearText = Span("—", .muted)
        var clearMark = unknown
        if let exp {
            clearText = Span(Format.day(exp.settlementDay, in: zone, reference: now) + " (" + exp.cycle.description + ")")
            if now < LocalDateTime(date: exp.settlementDay, secondOfDay: 0).instant(in: zone) { clearMark = waiting }
        }
        row(clearMark, s.stepCleared, clearText, Span(s.notInReports, .muted))

        // Payout instructed: the payout the acquirer named, or the first that carries it.
        let ownRef = line.payoutRef ?? txn.payoutRef
        let own = shares.first { $0.ref == ownRef } ?? shares.first
        let instructedExpected = own.map { Format.day($0.cycleDate, in: zone, reference: now) }
            ?? exp.map { Format.day($0.settlementDay, in: zone, reference: now) } ?? "—"
        if let own {
            let badge = own.status.badge(lang)
            let mark: Span = own.status == .scheduled ? waiting : (own.status == .failed || own.status == .returned ? Span("✗", .bad) : done)
            row(mark, s.stepInstructed, Span(instructedExpected), Span(own.ref + " · " + badge.word, badge.style))
        } else {
            row(waiting, s.stepInstructed, Span(instructedExpected), Span(s.noPayoutYet, .muted))
        }

        // Credited: the window, then every payout that carries the money.
        let money = line.state(at: now)
        let moneyBadge = money.badge(lang)
        let creditMark = Span(moneyBadge.glyph, moneyBadge.style.bold)
        var expectedLines: [Span] = []
        if let exp {
            let start = LocalDateTime(exp.expectedCredit, in: zone)
            let due = LocalDateTime(exp.dueBy, in: zone)
            let window = start.date == due.date
                ? at(exp.expectedCredit) + "–" + Format.hm(due.secondOfDay)
                : at(exp.expectedCredit) + "–" + at(exp.dueBy)
            expectedLines.append(Span(window))
        } else if let arrival = own?.expectedArrival {
            expectedLines.append(Span(at(arrival)))
        }
        if let lateAfter = line.lateAfter ?? exp?.lateAfter ?? d.lateAfter {
            expectedLines.append(Span(s.lateAfter(at(lateAfter)), .muted))
        }
        var actualLines: [Span] = []
        let ordered = shares.sorted { ($0.creditedAt ?? $0.expectedArrival ?? $0.lateAfter) < ($1.creditedAt ?? $1.expectedArrival ?? $1.lateAfter) }
        for share in ordered {
            let badge = share.status.badge(lang)
            if share.isCredited, share.received.isZero, let paid = share.paidAmount, !paid.isZero {
                // The acquirer reports it paid, and the diagnosis counts nothing received
                // (the bank statement holds no such credit): its claim, not a tick.
                let when = share.creditedAt.map(at) ?? "—"
                actualLines.append(Span(lang == .en ? "✗ reported paid \(when) \(Format.money(paid)) \(share.ref) · not received"
                                                     : "✗ 收单机构称已付 \(when) \(Format.money(paid)) \(share.ref) · 未到账", .bad))
            } else if share.isCredited {
                var text = "✓ " + (share.creditedAt.map(at) ?? "—") + " " + Format.money(share.received) + " " + share.ref
                if share.shared, let paid = share.paidAmount {
                    text += lang == .en ? " (of \(Format.money(paid)))" : "（共 \(Format.money(paid))）"
                }
                if let by = share.arrivedLateBy {
                    let late = Format.duration(seconds: by, language: lang)
                    text += lang == .en ? " ! arrived late by \(late)" : " ! 逾期到账 \(late)"
                }
                actualLines.append(Span(text, share.status == .paid ? .ok : .warn))
            } else if share.status.isOpen {
                let when = share.expectedArrival.map(at) ?? Format.day(share.cycleDate, in: zone, reference: now)
                let lateNote = now > share.lateAfter ? "  ! " + s.late : ""
                actualLines.append(Span("… " + when + " " + Format.money(share.expectedAmount) + " " + share.ref + " " + badge.word + lateNote,
                                        now > share.lateAfter ? .bad : .warn))
            } else {
                let code = share.failureCode.map { " " + $0 } ?? ""
                actualLines.append(Span(badge.glyph + " " + share.ref + " " + badge.word + code, badge.style))
            }
        }
        if actualLines.isEmpty {
            if money == .late, let lateAfter = line.lateAfter ?? exp?.lateAfter {
                let by = Format.duration(seconds: now.seconds(since: lateAfter), language: lang)
                actualLines.append(Span("! " + s.notReceived + " · " + (lang == .en ? "late by \(by)" : "逾期\(by)"), .bad))
            } else {
                actualLines.append(Span(money == .settled ? "—" : "… " + s.notReceived, .warn))
            }
        }
        if !d.shortBy.isZero, !txn.amount.isNegative, shares.contains(where: { $0.isCredited }) {
            actualLines.append(Span(s.stillToCome(Format.money(d.shortBy)), .bad))
        }
        steps.append((creditMark, s.stepCredited, expectedLines, actualLines))

        // Columns: step names, expected (as wide as its widest line, within limits), actual (the rest, wrapped).
        let stepWidth = DetailView.labelWidth(steps.map(\.step), cap: 20) + 2
        let widestExpected = steps.flatMap(\.expected).map(\.width).max() ?? 0
        let expectedWidth = min(max(widestExpected, DisplayWidth.of(s.expectedCol)) + 2, max(12, (width - stepWidth) / 2))
        let actualWidth = max(10, width - 2 - stepWidth - expectedWidth)
        var out: [StyledLine] = [DetailView.section(s.timeline)]
        out.append(StyledLine([Span(String(repeating: " ", count: 2 + stepWidth)),
                               Span(DisplayWidth.fit(s.expectedCol, toWidth: expectedWidth), .header), Span(s.actualCol, .header)]))
        for step in steps {
            // Wrapped actual lines hang two columns in, so each entry stays recognisable.
            let wrapped = step.actual.flatMap { span in
                Wrap.lines(span.text, width: actualWidth - 2).enumerated().map { j, part in Span(j == 0 ? part : "  " + part, span.style) }
            }
            for i in 0..<max(1, step.expected.count, wrapped.count) {
                let e = i < step.expected.count ? step.expected[i] : Span("")
                let a = i < wrapped.count ? wrapped[i] : Span("")
                out.append(StyledLine([i == 0 ? step.mark : Span(" "), Span(" "),
                                       Span(DisplayWidth.fit(i == 0 ? step.step : "", toWidth: stepWidth)),
                                       Span(DisplayWidth.fit(e.text, toWidth: expectedWidth), e.style), a]))
            }
        }
        return out
    }

    // MARK: - Payouts

    /// The payouts that carry the money: ref, cycle date, status, expected, paid, bank ref.
    static func payoutLines(_ line: TxnLine, detail: DetailSnapshot, state: MonitorState, width: Int) -> [StyledLine] {
        let s = state.strings
        let lang = state.language
        var out: [StyledLine] = [DetailView.section(s.payoutSection)]
        let payouts = detail.evidence.payouts.map(\.payout)
        guard !payouts.isEmpty else {
            out.append(StyledLine("  " + s.noPayout, .muted))
            return out
        }
        let columns = [
            Column(s.colRef, width: 12, maxWidth: 24, greedy: true),
            Column(s.cycleDate, width: 10),
            Column(s.colState, width: 10, maxWidth: 12),
            Column(s.colExpected, width: 13, alignment: .right),
            Column(s.colPaid, width: 13, alignment: .right),
            Column(s.bankRef, width: 10, maxWidth: 18, drop: 1),
        ]
        let rows: [[Span]] = payouts.map { p in
            let badge = p.status.badge(lang)
            return [
                Span(p.ref, p.ref == (line.payoutRef ?? line.transaction.payoutRef) ? .accent : .plain),
                Span(Format.day(p.cycleDate, in: state.timeZone, reference: state.now), .muted),
                Span(badge.text, badge.style),
                Span(Format.money(p.expectedAmount)),
                Span(Format.money(p.paidAmount), p.paidAmount == nil ? .muted : .plain),
                Span(p.bankRef ?? "—", .muted),
            ]
        }
        var table = tableLines(columns, rows: rows, width: width)
        // Each payout row opens the payout.
        for (i, p) in payouts.enumerated() where i + 1 < table.count {
            table[i + 1].link = DetailLink(screen: .payout(merchantId: p.merchantId, ref: p.ref), label: p.ref)
        }
        out += table
        // The bank's side of each payout, from its evidence (as in the payout drill-down);
        // nothing when the merchant has no statement.
        let banked = detail.evidence.payouts.filter { $0.bank != nil }
        if !banked.isEmpty {
            let label = "  " + s.colBankState
            let lw = DetailView.labelWidth([label])
            for pe in banked {
                guard let bank = pe.bank else { continue }
                var spans = PayoutDetailView.bankSpans(bank, payout: pe.payout, state: state)
                if payouts.count > 1 { spans = [Span(pe.payout.ref + " ", .accent)] + spans }
                out.append(DetailView.field(label, spans, labelWidth: lw))
            }
        }
        return out
    }
}
