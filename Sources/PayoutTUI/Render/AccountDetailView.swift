import PayoutCore
import PayoutModel

/// A merchant account's drill-down: who and in what state, the history of states,
/// its holds (each opens what it holds back) and its payouts (each opens the payout),
/// from the account's case file: the same one its note (`e`) is written from.
enum AccountDetailView {
    static func lines(_ c: AccountCaseFile, state: MonitorState, width: Int) -> [StyledLine] {
        let s = state.strings
        let lang = state.language
        let zone = state.timeZone
        let now = state.now
        func at(_ i: Instant) -> String { Format.dayTime(i, in: zone, reference: now) }
        let m = c.merchant
        var out: [StyledLine] = []

        let lw = DetailView.labelWidth([s.merchant, s.mid, s.t("Acquirer", "收单机构"), s.t("Account", "结算账户"), s.colState])
        out.append(DetailView.field(s.merchant, m.name, .plain.bold, labelWidth: lw))
        out.append(DetailView.field(s.mid, m.merchantId, labelWidth: lw))
        out.append(DetailView.field(s.t("Acquirer", "收单机构"), m.acquirer + (m.cycle.map { "  " + $0 } ?? "") + "  " + m.currency.code,
                                    labelWidth: lw))
        out.append(DetailView.field(s.t("Account", "结算账户"), m.bankAccountMasked.isEmpty ? "—" : m.bankAccountMasked, labelWidth: lw))
        let badge = c.state.badge(lang)
        var stateSpans = [Span(badge.text, badge.style.bold)]
        if let since = c.since { stateSpans.append(Span("  " + s.t("since ", "自 ") + at(since), .muted)) }
        out.append(DetailView.field(s.colState, stateSpans, labelWidth: lw))
        if let reason = c.reason, !reason.isEmpty {
            out += Wrap.styled(reason, width: width, prefix: Span(String(repeating: " ", count: lw + 1)), style: .plain)
        }

        out.append(.empty)
        out.append(DetailView.section(s.t("State history", "账户状态记录"), [Span("  \(c.events.count)", .muted)]))
        if c.events.isEmpty {
            out.append(StyledLine("  " + s.t("no change of state in the reports", "对账文件未记录状态变化"), .muted))
        }
        let whenWidth = c.events.map { DisplayWidth.of(at($0.at)) }.max() ?? 0
        for e in c.events {
            let b = e.state.badge(lang)
            out.append(StyledLine([Span("  "), Span(DisplayWidth.fit(at(e.at), toWidth: whenWidth)), Span("  "),
                                   Span(DisplayWidth.fit(b.text, toWidth: 12), b.style), Span(" " + e.reason)]))
        }

        out.append(.empty)
        let open = c.openHolds(at: now).filter { !$0.amount.isZero }
        out.append(DetailView.section(s.t("Holds", "暂扣"), [Span("  \(open.count)/\(c.holds.count)", .muted)]))
        if c.holds.isEmpty {
            out.append(StyledLine("  " + s.t("no hold in the reports", "对账文件未记录暂扣"), .muted))
        } else {
            let columns = [
                Column(s.colRef, width: 10, maxWidth: 22),
                Column(s.colKind, width: 10, maxWidth: 14),
                Column(s.colAmount, width: 13, alignment: .right),
                Column(s.t("Holds back", "暂扣对象"), width: 14, maxWidth: 24, greedy: true),
                Column(s.t("Opened", "开始"), width: 11),
                Column(s.t("Released", "释放"), width: 11, drop: 1),
            ]
            let rows: [[Span]] = c.holds.map { h in
                let isOpen = h.releasedAt.map { $0 > now } ?? true
                let target = h.payoutRef ?? h.rrn.map { s.rrn + " " + $0 } ?? "—"
                return [Span(h.ref), Span(h.kind.name(lang), .muted), Span(Format.money(h.amount), isOpen ? .bad : .muted),
                        Span(target, .accent), Span(at(h.openedAt), .muted),
                        Span(h.releasedAt.map(at) ?? s.t("still held", "未释放"), isOpen ? .warn : .ok)]
            }
            var table = tableLines(columns, rows: rows, width: width)
            let ids = state.snapshot?.transactionIds ?? [:]
            for (i, h) in c.holds.enumerated() where i + 1 < table.count {
                if let ref = h.payoutRef {
                    table[i + 1].link = DetailLink(screen: .payout(merchantId: h.merchantId, ref: ref), label: ref)
                } else if let rrn = h.rrn, let id = ids[rrn] {
                    table[i + 1].link = DetailLink(screen: .transaction(id: id), label: s.rrn + " " + rrn)
                }
            }
            out += table
        }

        out.append(.empty)
        let affected = Set(c.affected(at: now).map(\.id))
        out.append(DetailView.section(s.t("Payouts", "结算单"),
                                      [Span("  \(c.payouts.count)", .muted), Span("  " + s.t("! affected \(affected.count)", "! 受影响 \(affected.count)"),
                                                                                  affected.isEmpty ? .muted : .bad)]))
        if c.payouts.isEmpty {
            out.append(StyledLine("  " + s.t("no payout in the reports", "对账文件未记录结算单"), .muted))
        } else {
            let columns = [
                Column("", width: 1),
                Column(s.cycleDate, width: 10),
                Column(s.colRef, width: 12, maxWidth: 28, greedy: true),
                Column(s.colExpected, width: 13, alignment: .right),
                Column(s.colPaid, width: 13, alignment: .right),
                Column(s.colState, width: 11, maxWidth: 13),
                Column(s.colCause, width: 10, maxWidth: 18, drop: 1),
            ]
            let rows: [[Span]] = c.payouts.map { line in
                let p = line.payout
                let badge = PayoutsPane.stateBadge(line, state: state)
                return [Span(affected.contains(line.id) ? "!" : " ", .bad), Span(p.cycleDate.iso, .muted),
                        Span(p.ref, .accent), Span(Format.money(p.expectedAmount)),
                        Span(Format.money(p.paidAmount), p.paidAmount == nil ? .muted : .plain), Span(badge.text, badge.style),
                        Span(line.cause?.rawValue ?? "", .muted)]
            }
            var table = tableLines(columns, rows: rows, width: width)
            for (i, line) in c.payouts.enumerated() where i + 1 < table.count {
                table[i + 1].link = DetailLink(screen: .payout(merchantId: line.payout.merchantId, ref: line.payout.ref), label: line.payout.ref)
            }
            out += table
        }
        out += DetailView.sourceLines(c.sources, state: state)
        return out
    }
}
