import Foundation

/// RECEIVING_LIMIT: the settlement account's daily inflow limit (a Class II account)
/// carried money over to later days.
enum ReceivingLimitCause {
    static let descriptor = CauseDescriptor(
        code: .receivingLimit,
        title: BilingualText(en: "Settlement account inflow limit", zh: "结算卡入金限额"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "RECEIVING_LIMIT", zh: "入金限额"),
        isExplained: false,
        ranks: CauseRanks(problem: 40, explained: 160),
        find: { d, c, _ in try d.receivingLimit(c).map { CauseHit($0) } },
        ruledOut: RuledOutCheck(order: 20) { d, c in d.receivingLimitRuledOut(c) },
        request: { w, x in w.receivingLimitRequest(x) },
        noDisputeClause: { w, x in w.receivingLimitNoDisputeClause(x) }
    )
}

extension Diagnoser {
    func receivingLimit(_ c: Context) throws -> Finding? {
        let limitHolds = c.holds.filter { $0.kind == .receivingLimit }
        let carry = relevantLines(c, [.carryOver])
        guard !limitHolds.isEmpty || !carry.isEmpty else { return nil }
        // A carry-over on an account with no inflow limit (a corporate account) and no
        // limit hold is the acquirer's split, not this cause.
        guard !limitHolds.isEmpty || dailyLimit != nil else { return nil }
        var lines: [BilingualText] = []
        let first = carry.first?.0 ?? c.facts.first { p in p.items.contains { $0.kind == .transaction } } ?? c.facts.first
        let account = accountMasked ?? "—"
        var classEN = "", classZH = ""
        if let limit = dailyLimit {
            classEN = "account \(account) is \(accountClass.titleEN): \(f.m(limit)) a day"
            classZH = "结算账户 \(account) 为\(accountClass.titleZH)，单日入金限额 \(f.m(limit))"
        } else {
            classEN = "account \(account) (\(accountClass.titleEN)) has no daily inflow limit in the merchant profile"
            classZH = "结算账户 \(account)（\(accountClass.titleZH)）在商户资料中无单日入金限额"
        }
        if let p = first {
            let cl = creditLine(p)
            lines.append(t(cl.en + "; " + classEN, cl.zh + "；" + classZH))
        } else {
            lines.append(t(classEN, classZH))
        }
        var carried = c.zero
        for (p, i) in carry {
            let amount = try i.amount.negated()
            carried = try carried.adding(amount)
            let (en, zh) = itemNote(i)
            let prefix = p.ref == first?.ref ? ("line", "第") : ("payout \(p.ref) line", "结算单 \(p.ref) 第")
            lines.append(t("\(prefix.0) \(i.lineNo) carried over \(f.m(amount)) to later days\(en)",
                           "\(prefix.1) \(i.lineNo) 行顺延 \(f.m(amount)) 至后续工作日\(zh)"))
        }
        // Release payouts: the carried money coming back.
        var scheduled = c.zero
        var releaseRefs: [String] = []
        for p in c.facts {
            let rel = p.lines([.release]).filter { i in c.txn.map { i.rrn == $0.rrn } ?? true }
            guard !rel.isEmpty else { continue }
            let amount = try Money.sum(rel.map(\.amount), currency: c.zero.currency)
            scheduled = try scheduled.adding(amount)
            if p.isCredited {
                let at = p.payout.creditedAt.map(f.dateTime) ?? p.payout.cycleDate.iso
                lines.append(t("payout \(p.ref) credited \(f.m(p.paid)) of the carried-over money on \(at)",
                               "结算单 \(p.ref) 于 \(at) 到账顺延款 \(f.m(p.paid))"))
            } else {
                let day = p.payout.expectedArrival.map(f.date) ?? p.payout.cycleDate.iso
                lines.append(t("payout \(p.ref) releases \(f.m(amount)): \(p.payout.status.wordEN) for \(day)",
                               "结算单 \(p.ref) 释放顺延款 \(f.m(amount))：\(p.payout.status.wordZH)，计划 \(day) 出款"))
                releaseRefs.append("\(p.ref) \(day)")
            }
        }
        for h in limitHolds { lines.append(holdLine(h)) }
        if carried.minor > scheduled.minor && c.txn != nil {
            let left = try carried.subtracting(scheduled)
            lines.append(t("\(f.m(left)) of the carried-over money is not yet in any payout", "顺延款中 \(f.m(left)) 尚未安排出款"))
        }
        if carried.isZero, let h = limitHolds.first { carried = h.amount }
        let limitText = dailyLimit.map { f.m($0) }
        let explained = c.settled
        let next: BilingualText
        if explained {
            next = t("None: all the carried-over money has arrived. To be paid in one day next time, ask the acquirer to change the settlement account to a Class I or corporate account.",
                     "无需申诉：顺延款已全部到账。如需一次性到账，可向收单机构申请将结算账户变更为一类户或对公账户。")
        } else {
            let enDays = releaseRefs.isEmpty ? "" : " (\(releaseRefs.joined(separator: ", ")))"
            let zhDays = releaseRefs.isEmpty ? "" : "（\(releaseRefs.joined(separator: "，"))）"
            let enLimit = limitText.map { ", \($0) a day" } ?? ""
            let zhLimit = limitText.map { "按每日 \($0) " } ?? ""
            next = t("Nothing is lost: the rest is credited on the next working days\(enLimit)\(enDays). Ask the acquirer to confirm those dates in writing; to be paid in one day, ask them to change the settlement account to a Class I or corporate account.",
                     "资金未丢失：余款将在后续工作日\(zhLimit)陆续入账\(zhDays)。请收单机构书面确认出款日期；如需一次性到账，请申请将结算账户变更为一类户或对公账户。")
        }
        return Finding(code: .receivingLimit, evidence: lines, nextStep: next, explained: explained,
                       amount: carried.isZero ? nil : carried)
    }

    /// "payout ... is within the ... daily limit of the ... account ...", or "no daily inflow limit".
    func receivingLimitRuledOut(_ c: Context) -> [RuledOut] {
        guard !c.facts.isEmpty else { return [] }
        let account = accountMasked ?? "—"
        if let limit = dailyLimit {
            let over = c.facts.filter { $0.payout.expectedAmount.minor > limit.minor }
            let carry = c.facts.contains { !$0.lines([.carryOver]).isEmpty }
            let limitHolds = e.holds.contains { $0.kind == .receivingLimit && c.holds.contains($0) }
            guard over.isEmpty && !carry && !limitHolds else { return [] }
            let amounts = c.facts.map { "\($0.ref) \(f.m($0.payout.expectedAmount))" }.joined(separator: ", ")
            return [ruledOut(.receivingLimit,
                             "payout \(amounts) is within the \(f.m(limit)) daily limit of the \(accountClass.titleEN) account \(account), and no carry-over is reported",
                             "结算单 \(amounts) 未超过\(accountClass.titleZH) \(account) 的单日入金限额 \(f.m(limit))，且无顺延记录")]
        } else if e.merchant != nil {
            return [ruledOut(.receivingLimit, "the settlement account \(account) is \(accountClass.titleEN): no daily inflow limit",
                             "结算账户 \(account) 为\(accountClass.titleZH)，无单日入金限额")]
        }
        return []
    }
}

extension NoteWriter {
    /// The note's request when the finding is not explained.
    func receivingLimitRequest(_ x: Finding) -> String {
        let amount = requestAmount(x)
        let rel = d.shares.filter { !$0.isCredited }.map { "\($0.ref) \(($0.expectedArrival.map(f.date)) ?? $0.cycleDate.iso)" }
        let enRel = rel.isEmpty ? "" : " (\(rel.joined(separator: ", ")))"
        let zhRel = rel.isEmpty ? "" : "（\(rel.joined(separator: "，"))）"
        return L("Confirm in writing the dates the carried-over \(amount) will be credited\(enRel), and tell us how to change the settlement account to a Class I or corporate account.",
                 "请书面确认顺延的 \(amount)的出款日期\(zhRel)，并告知将结算账户变更为一类户或对公账户的办理方式。")
    }

    /// The note's clause when the finding is explained.
    func receivingLimitNoDisputeClause(_ x: Finding) -> String {
        return L("all the money carried over by the account's inflow limit has arrived", "因结算账户入金限额顺延的款项已全部到账")
    }
}
