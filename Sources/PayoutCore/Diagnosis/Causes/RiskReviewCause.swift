import Foundation

/// RISK_REVIEW: the acquirer holds money for a risk review or a retrieval request
/// (调单), or a payout line withholds it.
enum RiskReviewCause {
    static let descriptor = CauseDescriptor(
        code: .riskReview,
        title: BilingualText(en: "Risk review / delayed settlement", zh: "风控调单/延迟结算"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "RISK_REVIEW", zh: "风控调单"),
        isExplained: false,
        ranks: CauseRanks(problem: 30),
        find: { d, c, _ in try d.riskReview(c).map { CauseHit($0) } },
        ruledOut: RuledOutCheck(order: 50) { d, c in d.riskReviewRuledOut(c) },
        request: { w, x in w.riskReviewRequest(x) },
        noDisputeClause: nil
    )
}

extension Diagnoser {
    func riskReview(_ c: Context) throws -> Finding? {
        guard !c.settled else { return nil }
        let riskHolds = c.holds.filter { $0.kind == .riskReview || $0.kind == .retrievalRequest }
        let otherKinds = c.holds.contains { $0.kind == .receivingLimit || $0.kind == .d0Quota || $0.kind == .reserve }
        let holdLines = riskHolds.isEmpty && otherKinds ? [] : relevantLines(c, [.hold])
        guard !riskHolds.isEmpty || !holdLines.isEmpty else { return nil }
        var lines: [BilingualText] = []
        var seen = Set<String>()
        for (p, i) in holdLines {
            let amount = f.m(try i.amount.negated())
            let (en, zh) = itemNote(i)
            if !seen.contains(p.ref) {
                let cl = creditLine(p)
                lines.append(t(cl.en + "; line \(i.lineNo) withheld \(amount)\(en)", cl.zh + "；第 \(i.lineNo) 行暂扣 \(amount)\(zh)"))
                seen.insert(p.ref)
            } else {
                lines.append(t("line \(i.lineNo) of payout \(p.ref) withheld \(amount)\(en)", "结算单 \(p.ref) 第 \(i.lineNo) 行暂扣 \(amount)\(zh)"))
            }
        }
        for h in riskHolds { lines.append(holdLine(h)) }
        let open = riskHolds.filter(isOpen)
        let amount = try !open.isEmpty ? Money.sum(open.map(\.amount), currency: c.zero.currency)
            : Money.sum(holdLines.map(\.1.amount), currency: c.zero.currency).negated()
        let ticket = riskHolds.first?.ref
        let next: BilingualText
        if riskHolds.contains(where: { $0.kind == .retrievalRequest }) && !riskHolds.contains(where: { $0.kind == .riskReview }) {
            next = t("Answer the retrieval request with the signed sales slip (签购单) before its deadline, and ask the acquirer to confirm receipt and the date the \(f.m(amount)) will be released.",
                     "请在规定期限内按调单要求提交签购单，并请收单机构确认收到材料及 \(f.m(amount)) 的释放出款日期。")
        } else {
            next = t("Send the acquirer what the review asks for (the signed sales slip 签购单, proof of goods or service), and ask for the review ticket number\(ticket.map { " (hold \($0))" } ?? "") and the date the \(f.m(amount)) will be released.",
                     "请按风控要求提交签购单及购货/服务凭证，并向收单机构索取调单工单号\(ticket.map { "（暂扣单 \($0)）" } ?? "")及 \(f.m(amount)) 的释放出款日期。")
        }
        return Finding(code: .riskReview, evidence: lines, nextStep: next, explained: false, amount: amount)
    }

    /// "no risk review or retrieval request on RRN ... or payout ...".
    func riskReviewRuledOut(_ c: Context) -> [RuledOut] {
        let anyHold = !c.holds.filter { $0.kind == .riskReview || $0.kind == .retrievalRequest }.isEmpty
            || !relevantLines(c, [.hold]).isEmpty
        guard !anyHold else { return [] }
        let lined = c.linedPayouts
        let what = c.txn.map { "RRN \($0.rrn)" + (lined.refs.isEmpty ? "" : " or \(lined.word) \(lined.refs)") } ?? "payout \(c.subjectRef)"
        let whatZH = c.txn.map { "参考号 \($0.rrn)" + (lined.refsZH.isEmpty ? "" : " 及结算单 \(lined.refsZH)") } ?? "结算单 \(c.subjectRef)"
        return [ruledOut(.holds, "no risk review or retrieval request on \(what)", "\(whatZH) 无风控调单或单据调阅记录")]
    }
}

extension NoteWriter {
    /// The note's request when the finding is not explained.
    func riskReviewRequest(_ x: Finding) -> String {
        let amount = requestAmount(x)
        return L("Tell us the reason code and ticket number of the risk review, and the date the \(amount) held will be released. We will send the documents you need (signed sales slip, proof of goods or service).",
                 "请告知本次风控调单的原因代码及工单号，以及暂扣的 \(amount)的释放出款日期；我店将按要求提供签购单及购货/服务凭证。")
    }
}
