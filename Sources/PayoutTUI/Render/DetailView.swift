import PayoutCore
import PayoutModel

/// The frame of a drill-down: a box over the whole body with the subject in its
/// title, and content lines that scroll.
enum DetailView {
    /// Content rows shown at `size` (inside the box).
    static func viewportHeight(size: Size) -> Int {
        max(1, OverviewLayout(size: size).body.height - 2)
    }

    /// Columns available to content at `size` (inside the box, one column of padding each side).
    static func contentWidth(size: Size) -> Int {
        max(1, size.width - 4)
    }

    /// The furthest the content can scroll at the state's size.
    static func maxScroll(_ state: MonitorState) -> Int {
        let size = state.effectiveSize
        return max(0, lines(state, width: contentWidth(size: size)).count - viewportHeight(size: size))
    }

    /// The content of the screen on top, or a one-line placeholder while it loads.
    static func lines(_ state: MonitorState, width: Int) -> [StyledLine] {
        if case .account = state.screen {
            guard let account = state.currentAccount else { return [StyledLine(placeholder(state), .muted)] }
            return AccountDetailView.lines(account, state: state, width: width)
        }
        guard let detail = state.currentDetail else {
            return [StyledLine(placeholder(state), .muted)]
        }
        switch detail.subject {
        case .transaction(let line):
            return TransactionDetailView.lines(line, detail: detail, state: state, width: width)
        case .payout(let line):
            return PayoutDetailView.lines(line, detail: detail, state: state, width: width)
        }
    }

    /// "loading…", or "not found" when the store answered without the subject.
    static func placeholder(_ state: MonitorState) -> String {
        let s = state.strings
        if let snapshot = state.snapshot, snapshot.request.detail == state.screen.detailRequest, snapshot.detail == nil,
           snapshot.account == nil {
            return s.t("not found in the store (it may have been removed)", "数据库中未找到（可能已被删除）")
        }
        return s.loading
    }

    static func draw(_ state: MonitorState, layout: OverviewLayout, into grid: inout Grid) {
        let rect = layout.body
        let s = state.strings
        let width = contentWidth(size: state.size)
        let content = lines(state, width: width)
        let viewport = viewportHeight(size: state.size)
        let maxScroll = max(0, content.count - viewport)
        let scroll = min(max(0, state.screens.last?.scroll ?? 0), maxScroll)

        var title: String
        var badge: StateBadge?
        switch state.screen {
        case .transaction:
            title = s.transactionDetail
            if let detail = state.currentDetail, case .transaction(let line) = detail.subject {
                title += " · " + s.rrn + " " + line.transaction.rrn
                badge = line.state(at: state.now).badge(state.language)
            }
        case .payout(_, let ref):
            title = s.payoutDetail + " · " + ref
            if let detail = state.currentDetail, case .payout(let line) = detail.subject {
                badge = PayoutsPane.stateBadge(line, state: state)
            }
        case .account(let mid):
            title = s.t("Account", "账户") + " · " + (state.currentAccount?.merchant.name ?? mid)
            if let account = state.currentAccount { badge = account.state.badge(state.language) }
        case .overview, .calendar, .dayPayouts:
            title = ""
        }
        title = breadcrumb(state, last: title, width: rect.width - 20)
        grid.box(rect, style: .accent, title: title, titleStyle: .accent.bold)
        if let badge {
            let text = " " + badge.text + " "
            let x = rect.maxX - 2 - DisplayWidth.of(text)
            if x > rect.x + DisplayWidth.of(title) + 4 {
                grid.put(text, x: x, y: rect.y, style: badge.style.bold)
            }
        }
        // The selected link (Tab moves it, Enter follows it) is marked and highlighted.
        let linkRows = content.indices.filter { content[$0].link != nil }
        let selectedRow = linkRows.isEmpty ? nil : linkRows[min(max(0, state.screens.last?.link ?? 0), linkRows.count - 1)]
        for i in 0..<viewport {
            let index = scroll + i
            guard index < content.count else { break }
            if index == selectedRow {
                var line = content[index]
                line.spans = line.spans.map { Span($0.text, $0.style.onSelection) }
                grid.put(line, x: rect.x + 2, y: rect.y + 1 + i, maxWidth: width)
                grid.put("›", x: rect.x + 1, y: rect.y + 1 + i, style: .accent.bold)
            } else {
                grid.put(content[index], x: rect.x + 2, y: rect.y + 1 + i, maxWidth: width)
            }
        }
        // Scroll position on the bottom border: "12-31/64 ▼".
        if content.count > viewport {
            let last = min(content.count, scroll + viewport)
            let more = scroll + viewport < content.count ? " ▼" : ""
            let up = scroll > 0 ? "▲ " : ""
            let text = " \(up)\(scroll + 1)-\(last)/\(content.count)\(more) "
            grid.put(text, x: rect.maxX - 2 - DisplayWidth.of(text), y: rect.maxY - 1, style: .accent)
        }
    }

    /// The path from the overview to the screen on top, "Overview › LKLP-DEMO-04 ›
    /// RRN 880000000201 › Transaction · RRN 880000000201", its start cut ("… › ") when
    /// longer than `width`.
    static func breadcrumb(_ state: MonitorState, last: String, width: Int) -> String {
        let s = state.strings
        var crumbs = [s.t("Overview", "总览")]
        for entry in state.screens.dropFirst().dropLast() {
            crumbs.append(entry.label ?? crumbName(entry.screen, state: state))
        }
        var text = (crumbs + [last]).joined(separator: " › ")
        while DisplayWidth.of(text) > max(10, width), crumbs.count > 1 {
            crumbs.removeFirst()
            text = (["…"] + crumbs + [last]).joined(separator: " › ")
        }
        return text
    }

    /// A screen's name in the breadcrumb when it was pushed without one.
    static func crumbName(_ screen: Screen, state: MonitorState) -> String {
        let s = state.strings
        switch screen {
        case .overview: return s.t("Overview", "总览")
        case .transaction: return s.transactionDetail
        case .payout(_, let ref): return ref
        case .account(let mid): return s.mid + " " + mid
        case .calendar(let day), .dayPayouts(let day): return s.t("Calendar", "日历") + " " + day.iso
        }
    }

    // MARK: - Building blocks

    /// A section title line.
    static func section(_ title: String, _ extra: [Span] = []) -> StyledLine {
        StyledLine([Span(title, .header)] + extra)
    }

    /// "Label      value" with the label padded to `labelWidth`.
    static func field(_ label: String, _ value: [Span], labelWidth: Int) -> StyledLine {
        StyledLine([Span(DisplayWidth.fit(label, toWidth: labelWidth), .muted), Span(" ")] + value)
    }

    /// "Label      value" with one plain value.
    static func field(_ label: String, _ value: String, _ style: Style = .plain, labelWidth: Int) -> StyledLine {
        field(label, [Span(value, style)], labelWidth: labelWidth)
    }

    /// Two columns side by side: `left` padded to `leftWidth`, then `right`.
    static func sideBySide(_ left: [StyledLine], _ right: [StyledLine], leftWidth: Int) -> [StyledLine] {
        (0..<max(left.count, right.count)).map { i in
            var line = i < left.count ? left[i].truncated(to: leftWidth - 1) : StyledLine()
            if i < right.count {
                line.append(String(repeating: " ", count: max(1, leftWidth - line.width)))
                line.spans += right[i].spans
            }
            return line
        }
    }

    /// The label width that fits every label in `labels` (at most `cap`).
    static func labelWidth(_ labels: [String], cap: Int = 18) -> Int {
        min(cap, labels.map { DisplayWidth.of($0) }.max() ?? 0)
    }

    /// The diagnosis section: state and amounts, each finding's code, title, evidence and
    /// next step, and what was ruled out.
    static func diagnosisLines(_ d: Diagnosis, state: MonitorState, width: Int) -> [StyledLine] {
        let s = state.strings
        let zh = state.language == .zhHans
        let badge = d.state.badge(state.language)
        var head: [Span] = [Span("  "), Span(badge.text, badge.style.bold)]
        if !d.shortBy.isZero {
            let gap = gapLabel(d, state: state)
            head.append(Span("  " + gap.label + " " + Format.money(d.shortBy), gap.style))
        }
        var out: [StyledLine] = [section(s.diagnosis, head)]
        if d.findings.isEmpty {
            out.append(StyledLine([Span("  ✓ ", .ok), Span(s.noFindings)]))
        }
        for (i, finding) in d.findings.enumerated() {
            let primary = i == 0
            let style: Style = finding.explained ? .ok : .bad
            let mark = finding.explained ? "✓ " : (primary ? "▶ " : "• ")
            var title: [Span] = [Span("  "), Span(mark, style.bold), Span(finding.code.rawValue, primary ? style.bold : style),
                                 Span("  "), Span(finding.code.title(state.language), primary ? .plain.bold : .plain)]
            if let amount = finding.amount { title.append(Span("  " + Format.money(amount), .muted)) }
            if i == 1 { out.append(StyledLine([Span("  " + s.alsoFound, .muted)])) }
            out.append(StyledLine(title))
            for line in finding.evidence {
                out += Wrap.styled(line(state.language), width: width, prefix: Span("      · ", .muted), style: .plain)
            }
            let nextLabel = s.nextStep + (zh ? "：" : ": ")
            out += Wrap.styled(finding.nextStep(state.language), width: width,
                               prefix: Span("      " + nextLabel, .accent), style: primary ? .plain.bold : .plain)
        }
        if !d.ruledOut.isEmpty {
            out.append(StyledLine([Span("  " + s.t("Ruled out", "已排除"), .muted)]))
            for r in d.ruledOut {
                out += Wrap.styled(r.text(state.language), width: width, prefix: Span("      ✓ ", .ok), style: .muted)
            }
        }
        return out
    }

    /// What the diagnosis's `shortBy` is called: "Short by" when money arrived short,
    /// "Not received" while it has not arrived (warning until it is late, held or
    /// failed), "Not yet netted" for a refund or reversal.
    static func gapLabel(_ d: Diagnosis, state: MonitorState) -> (label: String, style: Style) {
        let s = state.strings
        if d.expectedNet.isNegative { return (s.notYetNetted, .warn) }
        switch d.state {
        case .short: return (s.shortBy, .bad)
        case .pending, .settled, .reversed, .awaitingReport: return (s.outstandingAmount, .warn)
        case .late, .held, .failed, .otherCurrency: return (s.outstandingAmount, .bad)
        }
    }

    /// Values later reports changed (accepted revisions): "amount 1,288.00 CNY in a.csv
    /// (line 12), 1,208.00 CNY in b.csv (line 7)", one per changed value.
    static func revisionLines(_ revisions: [Revision], state: MonitorState, width: Int) -> [StyledLine] {
        guard !revisions.isEmpty else { return [] }
        let zh = state.language == .zhHans
        var out: [StyledLine] = [.empty, section(state.strings.t("Revised by later reports", "对账文件前后不一致"))]
        for r in revisions {
            let text = r.recordName(state.language) + (zh ? "，" : ", ") + r.sentence(in: state.timeZone, language: state.language)
            out += Wrap.styled(text, width: width, prefix: Span("  · ", .warn), style: .plain)
        }
        return out
    }

    /// The source reports: path and the start of the sha256.
    static func sourceLines(_ sources: [ReportSource], state: MonitorState) -> [StyledLine] {
        guard !sources.isEmpty else { return [] }
        var out: [StyledLine] = [.empty, section(state.strings.sources)]
        for source in sources {
            out.append(StyledLine([Span("  " + source.path), Span("  sha256 " + String(source.sha256.prefix(12)) + "…", .muted)]))
        }
        return out
    }
}
