import Foundation

/// The evidence rules of DESIGN §5: each raises its cause from the evidence, with
/// concrete lines (amounts, dates, references, quoted reasons) and a next step.
extension Diagnoser {
    /// Ranks: problems first (the root cause before its consequences), then what is
    /// explained. A holiday shift outranks the fee; a weekend-only shift does not.
    enum Rank {
        static let accountStatus = 10, bankProcessing = 20, riskReview = 30, receivingLimit = 40, reserve = 50
        static let backlog = 60, d0Late = 65, feeMismatch = 70, unexplained = 80, calendarLate = 85, cutoffLate = 86
        static let d0 = 100, holidayShift = 110, cutoff = 120, refund = 130, reserveContract = 135, fee = 140
        static let weekendShift = 150, limitDone = 160
    }

    func collectFindings(_ out: inout [(Int, Finding)], _ c: Context) throws {
        if let x = accountStatus(c) { out.append((Rank.accountStatus, x)) }
        if let x = bankProcessing(c) { out.append((Rank.bankProcessing, x)) }
        if let x = try riskReview(c) { out.append((Rank.riskReview, x)) }
        if let x = try receivingLimit(c) { out.append((x.explained ? Rank.limitDone : Rank.receivingLimit, x)) }
        if let x = try reserveHold(c) { out.append((x.explained ? Rank.reserveContract : Rank.reserve, x)) }
        if let x = acquirerBacklog(c) { out.append((Rank.backlog, x)) }
        if let x = d0Quota(c) { out.append((x.explained ? Rank.d0 : Rank.d0Late, x)) }
        if let x = try feeDeduction(c) { out.append((x.explained ? Rank.fee : Rank.feeMismatch, x)) }
        if let x = try refundOffset(c) { out.append((Rank.refund, x)) }
        if let (x, holiday) = calendarShift(c) {
            out.append((x.explained ? (holiday ? Rank.holidayShift : Rank.weekendShift) : Rank.calendarLate, x))
        }
        if let x = cutoffRollover(c) { out.append((x.explained ? Rank.cutoff : Rank.cutoffLate, x)) }
        let otherProblem = out.contains { !$0.1.explained }
        if let x = try unexplained(c, otherProblem: otherProblem) { out.append((Rank.unexplained, x)) }
    }

    // MARK: Shared phrases

    /// "payout LKLP-DEMO-02 credited 10,000.00 of 29,820.00 on 2026-11-27".
    func creditLine(_ p: PayoutFacts) -> BilingualText {
        let ref = p.ref, exp = f.m(p.payout.expectedAmount)
        if p.isCredited {
            let day = p.payout.creditedAt.map(f.date) ?? p.payout.cycleDate.iso
            let paid = f.m(p.paid)
            if p.paid == p.payout.expectedAmount {
                return t("payout \(ref) credited \(paid) on \(day)", "结算单 \(ref) 于 \(day) 到账 \(paid)")
            }
            return t("payout \(ref) credited \(paid) of \(exp) on \(day)", "结算单 \(ref) 于 \(day) 到账 \(paid)（应结 \(exp)）")
        }
        return t("payout \(ref) \(exp) (cycle date \(p.payout.cycleDate.iso)): \(p.payout.status.wordEN), not credited",
                 "结算单 \(ref) \(exp)（清算日 \(p.payout.cycleDate.iso)）：\(p.payout.status.wordZH)，未到账")
    }

    /// "hold HOLD-DEMO-03 riskReview 20,000.00 opened 2026-11-26 08:30, not released: reason".
    func holdLine(_ h: Hold) -> BilingualText {
        let opened = f.dateTime(h.openedAt)
        let reason = f.safe(h.reason)
        let enState: String, zhState: String
        if let r = h.releasedAt, r <= now {
            enState = "released \(f.dateTime(r))"
            zhState = "已于 \(f.dateTime(r)) 解冻"
        } else {
            enState = "not released"
            zhState = "尚未解冻"
        }
        let enReason = reason.isEmpty ? "" : ": \(reason)"
        let zhReason = reason.isEmpty ? "" : "：\(reason)"
        return t("hold \(h.ref) \(h.kind.rawValue) \(f.m(h.amount)) opened \(opened), \(enState)\(enReason)",
                 "冻结单 \(h.ref)（\(h.kind.wordZH)）\(f.m(h.amount))，\(opened) 冻结，\(zhState)\(zhReason)")
    }

    /// "line 3 withheld 20,000.00 (风控调单 risk review)".
    func itemNote(_ i: PayoutItem) -> (String, String) {
        guard let n = i.note, !n.isEmpty else { return ("", "") }
        let s = f.safe(n)
        return (" (\(s))", "（\(s)）")
    }

    /// " (line 2: 退货 refund)" / "（第 2 行：退货 refund）".
    func lineRef(_ i: PayoutItem) -> (String, String) {
        guard let n = i.note, !n.isEmpty else { return (" (line \(i.lineNo))", "（第 \(i.lineNo) 行）") }
        let s = f.safe(n)
        return (" (line \(i.lineNo): \(s))", "（第 \(i.lineNo) 行：\(s)）")
    }

    /// The lines of a payout by kind: "sales 4,500.00, refunds −1,200.00, fees −27.00".
    func composition(_ p: PayoutFacts) throws -> BilingualText {
        var en: [String] = [], zh: [String] = []
        let order: [PayoutItemKind] = [.transaction, .release, .refund, .chargeback, .fee, .reserve, .hold, .carryOver, .adjustment]
        // English totals are plural ("refunds −1,200.00"); Chinese uses the note words.
        let enName: [PayoutItemKind: String] = [.transaction: "sales", .release: "releases", .refund: "refunds", .chargeback: "chargebacks",
                                                .fee: "fees", .reserve: "reserve", .hold: "holds", .carryOver: "carried over",
                                                .adjustment: "adjustments"]
        for k in order {
            let ls = p.lines([k])
            guard !ls.isEmpty else { continue }
            let s = try Money.sum(ls.map(\.amount), currency: p.zero.currency)
            en.append("\(enName[k]!) \(f.signed(s))")
            zh.append("\(k.wordZH) \(f.signed(s))")
        }
        return t(en.joined(separator: ", "), zh.joined(separator: "，"))
    }

    /// Lines relevant to the subject: those naming its RRN, or naming none (a line of
    /// the whole payout, which a transaction bears alone or shares); all lines for a
    /// payout examined on its own.
    func relevantLines(_ c: Context, _ kinds: [PayoutItemKind]) -> [(PayoutFacts, PayoutItem)] {
        c.facts.flatMap { p in
            p.lines(kinds).filter { i in
                guard let txn = c.txn else { return true }
                return i.rrn == txn.rrn || i.rrn == nil
            }.map { (p, $0) }
        }
    }

    var refsText: (Context) -> String { { c in c.facts.map(\.ref).joined(separator: ", ") } }

    // MARK: ACCOUNT_STATUS

    func accountStatus(_ c: Context) -> Finding? {
        guard !c.settled, c.state != .reversed else { return nil }
        let events = e.accountEvents.sorted { $0.at < $1.at }
        let atStart = events.last { $0.at <= c.periodStart }
        let during = events.filter { $0.at > c.periodStart && $0.at <= now }
        let adverse = ([atStart].compactMap { $0 } + during).filter { $0.state != .active }
        guard !adverse.isEmpty else { return nil }
        var lines: [BilingualText] = []
        for ev in ([atStart].compactMap { $0 } + during) where ev.state != .active || lines.count > 0 {
            let reason = f.safe(ev.reason)
            if ev.state == .active {
                lines.append(t("account active again since \(f.dateTime(ev.at)): \(reason)",
                               "商户账户自 \(f.dateTime(ev.at)) 起恢复正常，收单机构说明：\(reason)"))
            } else {
                lines.append(t("account \(ev.state.wordEN) since \(f.dateTime(ev.at)): \(reason)",
                               "商户账户自 \(f.dateTime(ev.at)) 起\(ev.state.wordZH)，收单机构说明：\(reason)"))
            }
        }
        for p in c.facts where p.payout.status == .held {
            let code = p.payout.failureCode.map { f.safe($0) }
            lines.append(t("payout \(p.ref) \(f.m(p.payout.expectedAmount)) held" + (code.map { " (failure code \($0))" } ?? ""),
                           "结算单 \(p.ref) \(f.m(p.payout.expectedAmount)) 暂停出款" + (code.map { "（失败码 \($0)）" } ?? "")))
        }
        let current = events.last { $0.at <= now }?.state ?? .active
        let refs = c.facts.filter { !$0.isCredited }.map(\.ref).joined(separator: ", ")
        let held = refs.isEmpty ? "" : " \(refs)"
        let next: BilingualText
        switch current {
        case .active:
            next = t("The account is active again: ask the acquirer to pay out the settlement held during the \(adverse[0].state.wordEN) period\(held.isEmpty ? "" : " (payout\(held))") and to confirm the date in writing.",
                     "账户已恢复正常：请收单机构尽快支付\(adverse[0].state.wordZH)期间暂停的结算款\(held.isEmpty ? "" : "（结算单\(held)）")，并书面确认出款日期。")
        case .closed:
            next = t("Ask the acquirer why the merchant account was closed and how and when the held settlement\(held.isEmpty ? "" : " (payout\(held))") will be paid out.",
                     "请询问收单机构商户号注销的原因，以及被暂停结算款\(held.isEmpty ? "" : "（结算单\(held)）")的支付方式和时间。")
        default:
            next = t("Provide the documents the acquirer asks for, and ask for the date the account is released, the date the held settlement\(held.isEmpty ? "" : " (payout\(held))") will be paid, and the case number.",
                     "请按收单机构要求补充资料，并询问账户解除\(current.wordZH)的日期、暂停结算款\(held.isEmpty ? "" : "（结算单\(held)）")的出款日期及工单号。")
        }
        return Finding(code: .accountStatus, evidence: lines, nextStep: next, explained: false, amount: c.shortBy.isZero ? nil : c.shortBy)
    }

    // MARK: BANK_PROCESSING

    func bankProcessing(_ c: Context) -> Finding? {
        guard !c.settled else { return nil }
        let failed = c.facts.filter(\.isFailed)
        let transit = c.facts.filter { $0.payout.status == .inTransit && now > $0.lateAfter }
        guard !failed.isEmpty || !transit.isEmpty else { return nil }
        var lines: [BilingualText] = []
        var codes: [String] = []
        for p in failed {
            let amount = f.m(p.payout.expectedAmount)
            let day = p.payout.cycleDate.iso
            let (enWhat, zhWhat) = p.payout.status == .returned ? ("returned by the bank", "被银行退票") : ("failed at the bank", "银行出款失败")
            let code = p.payout.failureCode.map { f.safe($0) }
            if let code { codes.append(code) }
            var en = "payout \(p.ref) \(amount) (cycle date \(day)) \(enWhat): " + (code.map { "failure code \($0)" } ?? "no failure code given")
            var zh = "结算单 \(p.ref) \(amount)（清算日 \(day)）\(zhWhat)：" + (code.map { "失败码 \($0)" } ?? "未提供失败码")
            if let b = p.payout.bankRef { en += "; bank reference \(b)"; zh += "；银行流水号 \(b)" }
            lines.append(t(en, zh))
        }
        for p in transit {
            var en = "payout \(p.ref) \(f.m(p.payout.expectedAmount)) sent to the bank (in transit) and not credited by \(f.dateTime(p.lateAfter))"
            var zh = "结算单 \(p.ref) \(f.m(p.payout.expectedAmount)) 已提交银行（在途），截至 \(f.dateTime(p.lateAfter)) 仍未入账"
            if let b = p.payout.bankRef { en += "; bank reference \(b)"; zh += "；银行流水号 \(b)" }
            lines.append(t(en, zh))
        }
        let account = accountMasked.map { " \($0)" } ?? ""
        let next: BilingualText
        if let p = failed.first {
            let codeEN = codes.isEmpty ? "" : " (failure code \(codes.joined(separator: "; ")))"
            let codeZH = codes.isEmpty ? "" : "（失败码 \(codes.joined(separator: "；"))）"
            next = t("Check the settlement account\(account) with your bank\(codeEN). Once it is fixed, or a new account is bound, ask the acquirer to re-send payout \(p.ref) and to confirm the date in writing.",
                     "请向开户行核实结算账户\(account) 的状态\(codeZH)。账户恢复或变更结算账户后，请收单机构重新出款结算单 \(p.ref)，并书面确认出款日期。")
        } else {
            let p = transit[0]
            let b = p.payout.bankRef ?? p.ref
            next = t("Ask your bank to trace the credit with bank reference \(b), and ask the acquirer for the remittance proof of payout \(p.ref).",
                     "请持银行流水号 \(b) 向开户行查询入账情况，并向收单机构索取结算单 \(p.ref) 的出款凭证。")
        }
        return Finding(code: .bankProcessing, evidence: lines, nextStep: next, explained: false, amount: c.shortBy.isZero ? nil : c.shortBy)
    }

    // MARK: RISK_REVIEW

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
                     "请在规定期限内按调单要求提交签购单，并请收单机构确认收到材料及 \(f.m(amount)) 的解冻出款日期。")
        } else {
            next = t("Send the acquirer what the review asks for (the signed sales slip 签购单, proof of goods or service), and ask for the review ticket number\(ticket.map { " (hold \($0))" } ?? "") and the date the \(f.m(amount)) will be released.",
                     "请按风控要求提交签购单及购货/服务凭证，并向收单机构索取调单工单号\(ticket.map { "（冻结单 \($0)）" } ?? "")及 \(f.m(amount)) 的解冻出款日期。")
        }
        return Finding(code: .riskReview, evidence: lines, nextStep: next, explained: false, amount: amount)
    }

    // MARK: RECEIVING_LIMIT

    func receivingLimit(_ c: Context) throws -> Finding? {
        let limitHolds = c.holds.filter { $0.kind == .receivingLimit }
        let carry = relevantLines(c, [.carryOver])
        guard !limitHolds.isEmpty || !carry.isEmpty else { return nil }
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

    // MARK: RESERVE_HOLD

    func reserveHold(_ c: Context) throws -> Finding? {
        let resLines = relevantLines(c, [.reserve])
        let resHolds = c.holds.filter { $0.kind == .reserve }
        guard !resLines.isEmpty || !resHolds.isEmpty else { return nil }
        var lines: [BilingualText] = []
        let withheld = try Money.sum(resLines.map(\.1.amount), currency: c.zero.currency).negated()
        for (p, i) in resLines {
            let (en, zh) = itemNote(i)
            lines.append(t("payout \(p.ref) line \(i.lineNo) withheld reserve \(f.m(try i.amount.negated()))\(en)",
                           "结算单 \(p.ref) 第 \(i.lineNo) 行留存保证金 \(f.m(try i.amount.negated()))\(zh)"))
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

    // MARK: ACQUIRER_BACKLOG

    func acquirerBacklog(_ c: Context) -> Finding? {
        guard !c.settled else { return nil }
        let stuck = c.facts.filter { ($0.payout.status == .scheduled || $0.payout.status == .processing) && now > $0.lateAfter }
        let many = e.otherLatePayoutsSameDay >= 2 && c.isLate
        guard !stuck.isEmpty || many else { return nil }
        var lines: [BilingualText] = []
        let grace = policy.graceMinutes
        for p in stuck {
            lines.append(t("payout \(p.ref) \(f.m(p.payout.expectedAmount)) still \(p.payout.status.wordEN) at \(f.dateTime(now)): due by \(f.dateTime(p.dueBy)), late since \(f.dateTime(p.lateAfter)) (grace \(grace) min)",
                           "结算单 \(p.ref) \(f.m(p.payout.expectedAmount)) 截至 \(f.dateTime(now)) 仍为\(p.payout.status.wordZH)：应于 \(f.dateTime(p.dueBy)) 前到账，自 \(f.dateTime(p.lateAfter)) 起逾期（宽限 \(grace) 分钟）"))
        }
        if e.otherLatePayoutsSameDay >= 2 {
            lines.append(t("\(e.otherLatePayoutsSameDay) other payouts due the same day are also unpaid past their window",
                           "同日另有 \(e.otherLatePayoutsSameDay) 笔结算单同样逾期未到账"))
        }
        let ref = stuck.first?.ref ?? c.facts.first?.ref
        let status = stuck.first?.payout.status
        let next = t("Ask the acquirer why \(ref.map { "payout \($0)" } ?? "the payout") is still \(status?.wordEN ?? "unpaid"), whether a system delay or maintenance is under way, and for a firm credit date and a ticket number.",
                     "请询问收单机构\(ref.map { "结算单 \($0) " } ?? "结算款")仍\(status?.wordZH ?? "未出款")的原因、是否存在系统延迟或维护，并要求给出明确的到账日期及工单号。")
        return Finding(code: .acquirerBacklog, evidence: lines, nextStep: next, explained: false, amount: c.shortBy.isZero ? nil : c.shortBy)
    }

    // MARK: D0_QUOTA

    func d0Quota(_ c: Context) -> Finding? {
        let flagged = c.exp.map { $0.has(.d0Quota) || $0.has(.d0OutsideWindow) } ?? false
        let quotaHolds = c.holds.filter { $0.kind == .d0Quota }
        guard flagged || !quotaHolds.isEmpty else { return nil }
        var lines: [BilingualText] = []
        if let exp = c.exp {
            for s in exp.steps where s.kind == .d0 { lines.append(t(s.en, s.zh)) }
        }
        for h in quotaHolds { lines.append(holdLine(h)) }
        if c.txn != nil {
            for p in c.facts where p.isCredited || p.isPending {
                let cl = creditLine(p)
                lines.append(t("the T+1 part: " + cl.en, "转 T+1 部分：" + cl.zh))
            }
        }
        let explained = !c.isLate && c.state != .failed
        let fallback = c.exp?.portions.last { $0.route == .t1Fallback }?.gross
        let amount = fallback ?? quotaHolds.first?.amount
        let next = explained
            ? t("None: the amount over the D+0 quota settles T+1. If same-day money matters, ask the acquirer to raise the D+0 quota.",
                "无需申诉：超出秒到额度的部分按 T+1 结算。如需当日到账，可向收单机构申请提高秒到额度。")
            : t("The T+1 part is late: ask the acquirer for its credit date and a ticket number.",
                "转 T+1 的部分已逾期：请向收单机构询问到账日期并索取工单号。")
        return Finding(code: .d0Quota, evidence: lines, nextStep: next, explained: explained, amount: amount)
    }

    // MARK: FEE_DEDUCTION

    func feeDeduction(_ c: Context) throws -> Finding? {
        if let txn = c.txn { return try feeDeduction(c, txn) }
        guard c.settled, let p = c.facts.first else { return nil }
        let fees = try Money.sum(p.lines([.fee]).map(\.amount), currency: p.zero.currency).negated()
        guard fees.minor > 0 else { return nil }
        let sales = try Money.sum(p.lines([.transaction]).map(\.amount), currency: p.zero.currency)
        var lines: [BilingualText] = []
        let comp = try composition(p)
        lines.append(t("payout \(p.ref) credited \(f.m(p.paid)) = \(comp.en)", "结算单 \(p.ref) 到账 \(f.m(p.paid)) = \(comp.zh)"))
        for i in p.lines([.fee]) {
            let (en, zh) = itemNote(i)
            lines.append(t("line \(i.lineNo) fee \(f.signed(i.amount))\(en)", "第 \(i.lineNo) 行手续费 \(f.signed(i.amount))\(zh)"))
        }
        let txns = e.payoutTransactions.filter { $0.payoutRef == p.ref }
        if !txns.isEmpty, txns.allSatisfy({ $0.fee != nil }) {
            let reported = try Money.sum(txns.compactMap(\.fee), currency: p.zero.currency)
            if reported == fees {
                lines.append(t("the fees of its \(txns.count) transactions add up to the same \(f.m(fees))",
                               "其 \(txns.count) 笔交易的手续费合计同为 \(f.m(fees))"))
            }
        }
        lines.append(t("the difference from the \(f.m(sales)) in sales is exactly the fees", "与交易金额 \(f.m(sales)) 的差额即为手续费"))
        return Finding(code: .feeDeduction, evidence: lines,
                       nextStep: t("None: the fees are deducted as reported.", "无需申诉：手续费已按对账单扣收。"),
                       explained: true, amount: fees)
    }

    private func feeDeduction(_ c: Context, _ txn: Transaction) throws -> Finding? {
        guard txn.amount.minor > 0, c.ownFee.minor > 0 else { return nil }
        let contract = c.exp?.fee.total
        let mismatch = contract.map { $0 != c.ownFee } ?? false
        let grossLessFee = try txn.amount.subtracting(c.ownFee)
        let receivedIsGrossLessFee = c.received == grossLessFee
        guard c.settled || (mismatch && receivedIsGrossLessFee) else { return nil }
        var lines: [BilingualText] = []
        if let exp = c.exp { lines.append(feeArithmetic(exp)) }
        let gross = f.m(txn.amount), fee = f.m(c.ownFee)
        if receivedIsGrossLessFee {
            lines.append(t("received \(f.m(c.received)): the \(fee) difference from the \(gross) swiped is exactly the fee",
                           "实收 \(f.m(c.received))，与交易金额 \(gross) 相差 \(fee)，即手续费"))
        }
        for (p, i) in relevantLines(c, [.fee]) where isSole(p, txn) || i.rrn == txn.rrn {
            let (en, zh) = itemNote(i)
            lines.append(t("payout \(p.ref) line \(i.lineNo) fee \(f.signed(i.amount))\(en)", "结算单 \(p.ref) 第 \(i.lineNo) 行手续费 \(f.signed(i.amount))\(zh)"))
        }
        if mismatch, let contract {
            let diff = try c.ownFee.subtracting(contract)
            lines.append(t("the acquirer charged \(fee); the contract gives \(f.m(contract))", "收单机构实收手续费 \(fee)，按合同费率应为 \(f.m(contract))"))
            let next = diff.minor > 0
                ? t("Ask the acquirer to refund the \(f.m(diff)) charged over the contracted fee, or to explain the rate applied.",
                    "请收单机构退还多收的手续费 \(f.m(diff))，或说明所适用的费率。")
                : t("The acquirer charged less than the contract gives: keep the statement; nothing to ask.",
                    "收单机构实收手续费低于合同费率：留存对账单即可，无需申诉。")
            return Finding(code: .feeDeduction, evidence: lines, nextStep: next, explained: diff.minor <= 0, amount: diff.minor > 0 ? diff : c.ownFee)
        }
        return Finding(code: .feeDeduction, evidence: lines,
                       nextStep: t("None: the fee is as contracted.", "无需申诉：手续费按合同费率扣收。"),
                       explained: true, amount: c.ownFee)
    }

    /// "30,000.00 − 35.00 fee (0.60%, capped 35.00) = 29,965.00".
    func feeArithmetic(_ exp: SettlementExpectation) -> BilingualText {
        FeeText.arithmetic(exp)
    }

    // MARK: REFUND_OFFSET

    func refundOffset(_ c: Context) throws -> Finding? {
        var lines: [BilingualText] = []
        var total = c.zero
        var chargeback = false
        if let txn = c.txn, txn.kind == .refund {
            for p in c.facts {
                let mine = p.items.filter { $0.rrn == txn.rrn }
                guard !mine.isEmpty || txn.payoutRef == p.ref else { continue }
                let line = mine.first.map(lineRef) ?? ("", "")
                let when = p.isCredited ? (p.payout.creditedAt.map { (", credited \(f.dateTime($0))", "，该单于 \(f.dateTime($0)) 到账") } ?? ("", "")) : ("", "")
                lines.append(t("refund \(txn.rrn) \(f.signed(txn.amount)) netted in payout \(p.ref)\(line.0)\(when.0)",
                               "退货 \(txn.rrn) \(f.signed(txn.amount)) 已在结算单 \(p.ref) 中抵扣\(line.1)\(when.1)"))
                total = try total.adding(txn.amount)
            }
        } else {
            for p in c.facts {
                let offsets = p.lines([.refund, .chargeback]).filter { $0.rrn != c.txn?.rrn || $0.rrn == nil }
                var refs = offsets
                for rt in e.payoutTransactions where rt.payoutRef == p.ref && rt.kind == .refund && rt.rrn != c.txn?.rrn
                    && !offsets.contains(where: { $0.rrn == rt.rrn }) {
                    refs.append(PayoutItem(merchantId: rt.merchantId, payoutRef: p.ref, lineNo: 0, kind: .refund, amount: rt.amount, rrn: rt.rrn))
                }
                guard !refs.isEmpty else { continue }
                for i in refs {
                    if i.kind == .chargeback { chargeback = true }
                    let rrn = i.rrn.map { " \($0)" } ?? ""
                    let (lineEN, lineZH) = i.lineNo > 0 ? lineRef(i) : ("", "")
                    lines.append(t("payout \(p.ref) nets \(i.kind.wordEN)\(rrn) \(f.signed(i.amount))\(lineEN)" + (c.txn == nil ? "" : " against this sale"),
                                   "结算单 \(p.ref) 抵扣\(i.kind.wordZH)\(rrn) \(f.signed(i.amount))\(lineZH)"))
                    total = try total.adding(i.amount)
                }
                let comp = try composition(p)
                if p.isCredited {
                    lines.append(t("payout \(p.ref) credited \(f.m(p.paid)): \(comp.en)", "结算单 \(p.ref) 到账 \(f.m(p.paid))：\(comp.zh)"))
                } else {
                    lines.append(t("payout \(p.ref) lines: \(comp.en)", "结算单 \(p.ref) 明细：\(comp.zh)"))
                }
            }
        }
        guard !lines.isEmpty else { return nil }
        var nextEN = "None: the refund was netted as issued; check that it is one you made."
        var nextZH = "无需申诉：退款已按发生额抵扣，请核对该笔退款确为本店发起。"
        if chargeback {
            nextEN += " To contest a chargeback, answer the acquirer's chargeback notice with the signed sales slip before its deadline."
            nextZH += "如对退单有异议，请在收单机构规定期限内提交签购单等凭证申辩。"
        }
        return Finding(code: .refundOffset, evidence: lines, nextStep: t(nextEN, nextZH), explained: true,
                       amount: total.isZero ? nil : try total.negated())
    }

    // MARK: CALENDAR_SHIFT and CUTOFF_ROLLOVER

    /// The finding, and whether a holiday (not only a weekend) moved the day.
    func calendarShift(_ c: Context) -> (Finding, Bool)? {
        guard let exp = c.exp, exp.has(.calendarShift),
              let portion = exp.portions.last(where: { $0.settlementDay > $0.naiveDay }) else { return nil }
        var lines: [BilingualText] = []
        for s in exp.steps where s.kind == .cycle || s.kind == .makeUpDay || s.kind == .noHolidayData { lines.append(t(s.en, s.zh)) }
        lines.append(t("without weekends and holidays it would have been \(portion.naiveDay.iso); the settlement day is \(portion.settlementDay.iso)",
                       "如不计周末和节假日应为 \(portion.naiveDay.iso)，实际结算日为 \(portion.settlementDay.iso)"))
        lines.append(timingLine(c, portion))
        let n: Int
        switch exp.cycle {
        case .t(let k): n = k
        case .d0: n = 1
        case .d: n = 0
        }
        let holiday = portion.settlementDay != Self.weekdaysOnly(n, after: exp.tradeDate)
        let explained = !c.isLate
        let next = explained
            ? (c.settled || !c.received.isZero
               ? t("None: the settlement day moved with the weekends and holidays; the money arrived on the computed day.",
                   "无需申诉：结算日因周末/节假日顺延，款项已按推算日期到账。")
               : t("None yet: wait for \(portion.settlementDay.iso) \(policy.creditWindow).",
                   "暂无需申诉：请等待 \(portion.settlementDay.iso) \(policy.creditWindow) 到账。"))
            : t("Late even counting the holidays: ask the acquirer for the credit date.", "已计入节假日仍逾期：请向收单机构询问到账日期。")
        return (Finding(code: .calendarShift, evidence: lines, nextStep: next, explained: explained), holiday)
    }

    /// "credited 2026-10-08 10:08, on the computed day: not late".
    func timingLine(_ c: Context, _ portion: SettlementPortion) -> BilingualText {
        let credited = c.facts.filter(\.isCredited).compactMap(\.payout.creditedAt).max()
        if c.settled, let at = credited {
            let late = at > portion.lateAfter
            return late
                ? t("credited \(f.dateTime(at)), after \(f.dateTime(portion.lateAfter)): late", "\(f.dateTime(at)) 到账，晚于 \(f.dateTime(portion.lateAfter))：已逾期")
                : t("credited \(f.dateTime(at)), on the computed day: not late", "\(f.dateTime(at)) 到账，与推算日期一致：未逾期")
        }
        if c.isLate {
            return t("due by \(f.dateTime(portion.dueBy)) and not received: late", "应于 \(f.dateTime(portion.dueBy)) 前到账，至今未到：已逾期")
        }
        return t("expected \(portion.settlementDay.iso) \(policy.creditWindow): not late", "预计 \(portion.settlementDay.iso) \(policy.creditWindow) 到账：未逾期")
    }

    /// The day N weekdays after `d` (T+0: `d` itself when a weekday, else the next Monday).
    static func weekdaysOnly(_ n: Int, after d: LocalDate) -> LocalDate {
        var day = d
        if n == 0 {
            while day.isWeekend { day = day.adding(days: 1) }
            return day
        }
        var left = n
        while left > 0 {
            day = day.adding(days: 1)
            if !day.isWeekend { left -= 1 }
        }
        return day
    }

    func cutoffRollover(_ c: Context) -> Finding? {
        guard let exp = c.exp, exp.has(.cutoffRollover) else { return nil }
        var lines: [BilingualText] = exp.steps.filter { $0.kind == .tradeDate }.map { t($0.en, $0.zh) }
        if !exp.has(.calendarShift), let portion = exp.portions.last { lines.append(timingLine(c, portion)) }
        let explained = !c.isLate
        let cut = policy.cutoff
        let next = explained
            ? t("None: sales at or after the \(cut) cutoff belong to the next day's batch.", "无需申诉：日切时间 \(cut) 之后的交易计入次日批次结算。")
            : t("Late even counting the cutoff: ask the acquirer for the credit date.", "已计入日切顺延仍逾期：请向收单机构询问到账日期。")
        return Finding(code: .cutoffRollover, evidence: lines, nextStep: next, explained: explained)
    }

    // MARK: UNEXPLAINED

    func unexplained(_ c: Context, otherProblem: Bool) throws -> Finding? {
        var lines: [BilingualText] = []
        var amount = c.zero
        var gapRef: String?
        for p in c.facts where p.check.unexplainedGap.minor > 0 {
            let comp = try composition(p)
            let day = p.payout.creditedAt.map(f.date) ?? p.payout.cycleDate.iso
            let gap = f.m(p.check.unexplainedGap)
            let total = p.items.isEmpty ? f.m(p.payout.expectedAmount) : f.m(p.linesTotal)
            let (sumEN, sumZH) = p.items.isEmpty ? ("it was due \(total)", "应结 \(total)") : ("its lines sum to \(total) (\(comp.en))", "明细合计 \(total)（\(comp.zh)）")
            lines.append(t("payout \(p.ref) credited \(f.m(p.paid)) on \(day); \(sumEN): \(gap) is missing with no hold, fee, refund or reserve line to account for it",
                           "结算单 \(p.ref) 于 \(day) 到账 \(f.m(p.paid))，\(sumZH)：差额 \(gap) 无任何冻结、手续费、退款或保证金明细可解释"))
            if let s = c.shareOfGap[p.ref], c.txn != nil {
                let mine = try s.negated()
                if !mine.isZero {
                    lines.append(t("this transaction's share of it, by gross: \(f.m(mine))", "按交易金额分摊，本笔承担 \(f.m(mine))"))
                }
                amount = try amount.adding(mine)
            } else {
                amount = try amount.adding(p.check.unexplainedGap)
            }
            gapRef = gapRef ?? p.ref
        }
        for p in c.facts where p.check.balances == false {
            let diff = try p.check.settlementTotal.subtracting(p.payout.expectedAmount)
            lines.append(t("payout \(p.ref): its lines other than holds and carry-overs sum to \(f.m(p.check.settlementTotal)), not its expected amount \(f.m(p.payout.expectedAmount)) (a difference of \(f.signed(diff)))",
                           "结算单 \(p.ref)：除暂扣及顺延外的明细合计 \(f.m(p.check.settlementTotal))，与应结金额 \(f.m(p.payout.expectedAmount)) 不符（相差 \(f.signed(diff))）"))
            gapRef = gapRef ?? p.ref
        }
        if lines.isEmpty && !otherProblem && [.short, .late, .held, .failed].contains(c.state) {
            switch c.state {
            case .late where c.facts.isEmpty:
                let rrn = c.txn?.rrn ?? c.subjectRef
                if let exp = c.exp {
                    lines.append(t("no payout in the reports carries RRN \(rrn); it was due by \(f.dateTime(exp.dueBy)) and is late since \(f.dateTime(exp.lateAfter))",
                                   "对账文件中没有包含参考号 \(rrn) 的结算单；应于 \(f.dateTime(exp.dueBy)) 前到账，自 \(f.dateTime(exp.lateAfter)) 起已逾期"))
                } else {
                    lines.append(t("no payout in the reports carries RRN \(rrn)", "对账文件中没有包含参考号 \(rrn) 的结算单"))
                }
            case .late:
                let due = c.exp?.dueBy ?? c.facts[0].dueBy
                lines.append(t("due by \(f.dateTime(due)); not credited by \(f.dateTime(now))", "应于 \(f.dateTime(due)) 前到账；截至 \(f.dateTime(now)) 仍未到账"))
                for p in c.facts where !p.isCredited { lines.append(creditLine(p)) }
            case .held:
                for p in c.facts where p.payout.status == .held {
                    lines.append(t("payout \(p.ref) is held with no hold, account notice or reason in the reports",
                                   "结算单 \(p.ref) 暂停出款，对账文件中无冻结记录、账户通知或原因说明"))
                }
                if lines.isEmpty {
                    lines.append(t("money is withheld with no reason in the reports", "款项被暂扣，对账文件中无原因说明"))
                }
            default:
                lines.append(t("received \(f.m(c.received)) of \(f.m(c.expected)): the reports show no reason for the \(f.m(c.shortBy)) difference",
                               "实收 \(f.m(c.received))，应收 \(f.m(c.expected))：对账文件中无法解释差额 \(f.m(c.shortBy))"))
            }
            amount = c.shortBy
            gapRef = c.facts.first?.ref
        }
        guard !lines.isEmpty else { return nil }
        let next: BilingualText
        if let ref = gapRef {
            let amt = amount.isZero ? "" : " \(f.m(amount))"
            next = t("Dispute: ask the acquirer for an itemised statement of payout \(ref) that accounts for the\(amt.isEmpty ? " difference" : amt), its reason code, the date it will be paid, and a ticket number.",
                     "申诉：请收单机构提供结算单 \(ref) 的逐笔明细，说明差额\(amt)的原因代码及补付日期，并提供工单号。")
        } else {
            let rrn = c.txn?.rrn ?? c.subjectRef
            next = t("Ask the acquirer which payout carries RRN \(rrn) and when it will be credited, and for a ticket number.",
                     "请询问收单机构参考号 \(rrn) 所在的结算单及到账时间，并索取工单号。")
        }
        return Finding(code: .unexplained, evidence: lines, nextStep: next, explained: false, amount: amount.isZero ? nil : amount)
    }
}

/// Fee arithmetic in words, shared by diagnosis and dispute notes.
enum FeeText {
    /// "0.60%, capped 35.00" / "费率 0.60%，封顶 35.00".
    static func rule(_ fee: FeeBreakdown) -> BilingualText {
        var en = SettlementPolicy.percentText(ppm: fee.ratePPM)
        var zh = "费率 " + en
        if let cap = fee.appliedCap { en += ", capped \(cap.formatted())"; zh += "，封顶 \(cap.formatted())" }
        if !fee.fixed.isZero { en += ", plus \(fee.fixed.formatted()) fixed"; zh += "，另加固定 \(fee.fixed.formatted())" }
        if !fee.d0Surcharge.isZero {
            let p = SettlementPolicy.percentText(ppm: fee.d0SurchargePPM)
            en += ", plus D+0 \(p) = \(fee.d0Surcharge.formatted())"
            zh += "，另加秒到 \(p) = \(fee.d0Surcharge.formatted())"
        }
        return BilingualText(en: en, zh: zh)
    }

    /// "30,000.00 − 35.00 fee (0.60%, capped 35.00) = 29,965.00".
    static func arithmetic(_ exp: SettlementExpectation) -> BilingualText {
        let g = exp.gross.formatted(), fee = exp.fee.total.formatted(), net = exp.net.formatted()
        if exp.gross.minor <= 0 {
            return BilingualText(en: "refund \(g): no fee, nets \(net)", zh: "退货 \(g)：不收手续费，抵扣 \(net)")
        }
        let r = rule(exp.fee)
        var en = "\(g) − \(fee) fee (\(r.en))"
        var zh = "\(g) − 手续费 \(fee)（\(r.zh)）"
        if !exp.reserve.isZero {
            en += " − \(exp.reserve.formatted()) reserve"
            zh += " − 保证金 \(exp.reserve.formatted())"
        }
        return BilingualText(en: en + " = \(net)", zh: zh + " = \(net)")
    }
}
