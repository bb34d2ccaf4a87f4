import Foundation

/// What the merchant can rule out: each cause checked against the evidence and listed
/// only when the reports show it is not behind the problem. Absence of evidence is
/// not enough where the reports would not show it (no account events: account state
/// is not ruled out).
extension Diagnoser {
    func ruledOutChecks(_ c: Context, codes: Set<CauseCode>) throws -> [RuledOut] {
        var out: [RuledOut] = []
        func add(_ topic: RuledOut.Topic, _ en: String, _ zh: String) { out.append(RuledOut(topic: topic, text: t(en, zh))) }
        let withLines = c.facts.filter { !$0.items.isEmpty }
        let refs = withLines.map(\.ref).joined(separator: ", ")
        let payoutWord = withLines.count > 1 ? "payouts" : "payout"
        let refsZH = withLines.map(\.ref).joined(separator: "、")
        let isRefund = c.txn?.kind == .refund

        // Refunds and chargebacks netted in the payouts.
        if !codes.contains(.refundOffset), !withLines.isEmpty, !isRefund {
            let refundTxns = e.payoutTransactions.contains { t in t.kind == .refund && c.facts.contains { $0.ref == t.payoutRef } }
            if !withLines.contains(where: { !$0.lines([.refund]).isEmpty }) && !refundTxns {
                add(.refunds, "no refund is netted in \(payoutWord) \(refs)", "结算单 \(refsZH) 中无退款抵扣")
            }
            if !withLines.contains(where: { !$0.lines([.chargeback]).isEmpty }) {
                add(.chargebacks, "no chargeback in \(payoutWord) \(refs)", "结算单 \(refsZH) 中无退单（拒付）")
            }
        }

        // The settlement account's inflow limit.
        if !codes.contains(.receivingLimit), !c.facts.isEmpty {
            let account = accountMasked ?? "—"
            if let limit = dailyLimit {
                let over = c.facts.filter { $0.payout.expectedAmount.minor > limit.minor }
                let carry = c.facts.contains { !$0.lines([.carryOver]).isEmpty }
                let limitHolds = e.holds.contains { $0.kind == .receivingLimit && c.holds.contains($0) }
                if over.isEmpty && !carry && !limitHolds {
                    let amounts = c.facts.map { "\($0.ref) \(f.m($0.payout.expectedAmount))" }.joined(separator: ", ")
                    add(.receivingLimit,
                        "payout \(amounts) is within the \(f.m(limit)) daily limit of the \(accountClass.titleEN) account \(account), and no carry-over is reported",
                        "结算单 \(amounts) 未超过\(accountClass.titleZH) \(account) 的单日入金限额 \(f.m(limit))，且无顺延记录")
                }
            } else if e.merchant != nil {
                add(.receivingLimit, "the settlement account \(account) is \(accountClass.titleEN): no daily inflow limit",
                    "结算账户 \(account) 为\(accountClass.titleZH)，无单日入金限额")
            }
        }

        // The D+0 quota.
        if !codes.contains(.d0Quota) {
            let cycle = c.exp?.cycle ?? e.merchant?.cycle.flatMap(SettlementPolicy.Cycle.parse) ?? policy.cycle
            if cycle != .d0 {
                add(.d0Quota, "the cycle is \(cycle): no D+0 quota applies", "结算周期为 \(cycle)，不涉及秒到额度")
            } else if c.exp != nil || !c.facts.isEmpty {
                add(.d0Quota, "D+0 quota not exceeded: no fallback to T+1 and no quota hold", "未超出秒到额度：无转 T+1 记录，亦无额度冻结")
            }
        }

        // The merchant account's state over the period.
        if !codes.contains(.accountStatus) {
            let events = e.accountEvents.sorted { $0.at < $1.at }
            if let start = events.last(where: { $0.at <= c.periodStart }), start.state == .active,
               !events.contains(where: { $0.at > c.periodStart && $0.at <= now && $0.state != .active }) {
                add(.accountState,
                    "the merchant account has been active since \(f.dateTime(start.at)) (\(f.safe(start.reason))), with no freeze or limit since",
                    "商户账户自 \(f.dateTime(start.at)) 起状态正常（\(f.safe(start.reason))），此后无冻结或受限记录")
            }
        }

        // Risk review, retrieval requests and other holds.
        if !codes.contains(.riskReview) {
            let anyHold = !c.holds.filter { $0.kind == .riskReview || $0.kind == .retrievalRequest }.isEmpty
                || !relevantLines(c, [.hold]).isEmpty
            if !anyHold {
                let what = c.txn.map { "RRN \($0.rrn)" + (refs.isEmpty ? "" : " or \(payoutWord) \(refs)") } ?? "payout \(c.subjectRef)"
                let whatZH = c.txn.map { "参考号 \($0.rrn)" + (refsZH.isEmpty ? "" : " 及结算单 \(refsZH)") } ?? "结算单 \(c.subjectRef)"
                add(.holds, "no risk review or retrieval request on \(what)", "\(whatZH) 无风控调单或单据调阅记录")
            }
        }

        // Reserve.
        if !codes.contains(.reserveHold), !withLines.isEmpty,
           withLines.allSatisfy({ $0.lines([.reserve]).isEmpty }), !c.holds.contains(where: { $0.kind == .reserve }) {
            add(.reserve, "no reserve withheld in \(payoutWord) \(refs)", "结算单 \(refsZH) 中未留存保证金")
        }

        // Fees against the contract.
        if !codes.contains(.feeDeduction) {
            if let txn = c.txn, let exp = c.exp, txn.amount.minor > 0 {
                let reportedOK = txn.fee.map { $0 == exp.fee.total } ?? true
                let soleFeeLines = c.facts.filter { isSole($0, txn) }.flatMap { $0.lines([.fee]) }
                let linesOK = try soleFeeLines.isEmpty
                    || Money.sum(soleFeeLines.map(\.amount), currency: c.zero.currency).negated() == exp.fee.total
                if reportedOK && linesOK && (txn.fee != nil || !soleFeeLines.isEmpty) {
                    let r = FeeText.rule(exp.fee)
                    add(.fees, "fee \(f.m(exp.fee.total)) as contracted (\(txn.cardKind.wordEN) \(r.en))",
                        "手续费 \(f.m(exp.fee.total)) 符合合同费率（\(txn.cardKind.zhName)，\(r.zh)）")
                }
            } else if c.txn == nil, let p = c.facts.first {
                let txns = e.payoutTransactions.filter { $0.payoutRef == p.ref }
                let feeLines = try Money.sum(p.lines([.fee]).map(\.amount), currency: p.zero.currency).negated()
                if !txns.isEmpty, txns.allSatisfy({ $0.fee != nil }),
                   try Money.sum(txns.compactMap(\.fee), currency: p.zero.currency) == feeLines {
                    add(.fees, "fee lines \(f.m(feeLines)) equal the fees of its \(txns.count) transactions",
                        "手续费明细 \(f.m(feeLines)) 与其 \(txns.count) 笔交易的手续费合计一致")
                }
            }
        }

        // Bank returns.
        if !codes.contains(.bankProcessing), !c.facts.isEmpty,
           !c.facts.contains(where: { $0.isFailed || ($0.payout.status == .inTransit && now > $0.lateAfter) }) {
            add(.bankReturn, "no payout was returned or rejected by the bank", "无银行退票或出款失败记录")
        }
        return out
    }
}
