import Foundation

/// RESERVE_HOLD: payout lines or holds withhold a reserve (保证金).
enum ReserveHoldCause {
    static let descriptor = CauseDescriptor(
        code: .reserveHold,
        title: BilingualText(en: "Reserve withheld", zh: "保证金留存"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "RESERVE_HOLD", zh: "保证金"),
        isExplained: false,
        ranks: CauseRanks(problem: 50, explained: 135),
        find: { d, c, _ in try d.reserveHold(c).map { CauseHit($0) } },
        ruledOut: RuledOutCheck(order: 60) { d, c in d.reserveHoldRuledOut(c) },
        request: { w, x in w.reserveHoldRequest(x) },
        noDisputeClause: { w, x in w.reserveHoldNoDisputeClause(x) }
    )
}

extension Diagnoser {
    func reserveHold(_ c: Context) throws -> Finding? {
        let resLines = relevantLines(c, [.reserve])
        let resHolds = c.holds.filter { $0.kind == .reserve }
        guard !resLines.isEmpty || !resHolds.isEmpty else { return nil }
        var lines: [BilingualText] = []
        let withheld = try Money.sum(resLines.map(\.1.amount), currency: c.zero.currency).negated()
        for (p, i) in resLines {
            let (en, zh) = itemNote(i)
            let withheld = try i.amount.negated()
            lines.append(t("payout \(p.ref) line \(i.lineNo) withheld reserve \(f.m(withheld))\(en)",
                           "结算单 \(p.ref) 第 \(i.lineNo) 行留存保证金 \(f.m(withheld))\(zh)"))
        }
        for h in resHolds { lines.append(holdLine(h)) }
        var contracted = false
        if policy.reservePPM > 0 {
            let rate = SettlementPolicy.percentText(ppm: policy.reservePPM)
            if let exp = c.exp, !exp.reserve.isZero {
                contracted = exp.reserve == withheld && resHolds.allSatisfy { !isOpen($0) }
                lines.append(t("the contract holds back \(rate) as reserve: \(f.m(exp.reserve))", "合同约定留存保证金 \(rate)：\(f.m(exp.reserve))"))
            } else if c.txn == nil {
                contracted = resHolds.allSatisfy { !isOpen($0) }
                lines.append(t("the contract holds back \(rate) as reserve", "合同约定留存保证金 \(rate)"))
            }
        }
        let next = contracted
            ? t("None: the reserve is held back as contracted. Ask the acquirer for the date it is returned if you need it.",
                "无需申诉：保证金按合同约定留存。如需了解退还时间，可向收单机构查询。")
            : t("Ask the acquirer for the reserve terms, the amount held in all, and the date the reserve is released.",
                "请向收单机构确认保证金留存规则、累计留存金额及退还日期。")
        let openHolds = try Money.sum(resHolds.filter(isOpen).map(\.amount), currency: c.zero.currency)
        let amount = withheld.isZero ? openHolds : withheld
        return Finding(code: .reserveHold, evidence: lines, nextStep: next, explained: contracted, amount: amount.isZero ? nil : amount)
    }

    /// "no reserve withheld in payout ...".
    func reserveHoldRuledOut(_ c: Context) -> [RuledOut] {
        let lined = c.linedPayouts
        guard !lined.facts.isEmpty, lined.facts.allSatisfy({ $0.lines([.reserve]).isEmpty }),
              !c.holds.contains(where: { $0.kind == .reserve }) else { return [] }
        return [ruledOut(.reserve, "no reserve withheld in \(lined.word) \(lined.refs)", "结算单 \(lined.refsZH) 中未留存保证金")]
    }
}

extension NoteWriter {
    /// The note's request when the finding is not explained.
    func reserveHoldRequest(_ x: Finding) -> String {
        let amount = requestAmount(x)
        return L("Tell us the reserve terms, the total held, and the date the \(amount) reserve will be returned.",
                 "请告知保证金留存依据、累计留存金额及 \(amount)的退还日期。")
    }

    /// The note's clause when the finding is explained.
    func reserveHoldNoDisputeClause(_ x: Finding) -> String {
        return L("the reserve is held back as contracted", "保证金按合同约定留存")
    }
}
