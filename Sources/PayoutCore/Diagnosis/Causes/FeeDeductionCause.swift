import Foundation

/// FEE_DEDUCTION: the acquirer's fee accounts for the difference from the amount
/// swiped, as contracted or not.
enum FeeDeductionCause {
    static let descriptor = CauseDescriptor(
        code: .feeDeduction,
        title: BilingualText(en: "Fees deducted", zh: "手续费扣除"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "FEE_DEDUCTION", zh: "手续费"),
        isExplained: true,
        ranks: CauseRanks(problem: 70, explained: 140),
        find: { d, c, _ in try d.feeDeduction(c).map { CauseHit($0) } },
        ruledOut: RuledOutCheck(order: 70) { d, c in try d.feeDeductionRuledOut(c) },
        request: { w, x in w.feeDeductionRequest(x) },
        noDisputeClause: { w, x in w.feeDeductionNoDisputeClause(x) }
    )
}

extension Diagnoser {
    func feeDeduction(_ c: Context) throws -> Finding? {
        if let txn = c.txn { return try feeDeduction(c, txn) }
        if let p = c.facts.first, let over = try payoutFeeOverContract(p) { return over }
        guard c.settled, let p = c.facts.first else { return nil }
        let fees = try Money.sum(p.lines([.fee]).map(\.amount), currency: p.zero.currency).negated()
        guard fees.minor > 0 else { return nil }
        let sales = try Money.sum(p.lines([.transaction]).map(\.amount), currency: p.zero.currency)
        var lines: [BilingualText] = []
        let comp = try composition(p)
        // A returned payout settled by its re-send: what the re-send credited for it.
        let paid = p.isCredited ? p.paid : c.received
        lines.append(t("payout \(p.ref) credited \(f.m(paid)) = \(comp.en)", "结算单 \(p.ref) 到账 \(f.m(paid)) = \(comp.zh)"))
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
        if let over = try shareOfPayoutFeeOverContract(c, txn) { return over }
        let contract = policy.contractApplies ? c.exp?.fee.total : nil
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

    /// A payout's fee lines against the contract for the sales it carries: a finding
    /// when they charge more. Checked only when every sale line is matched to a
    /// transaction of the store (its card kind decides the rule) and the cycle is not
    /// D+0 (the surcharge depends on a split the payout does not show).
    func payoutFeeOverContract(_ p: PayoutFacts) throws -> Finding? {
        guard let (charged, sales) = try contractedSales(p) else { return nil }
        let cur = p.zero.currency
        let feeLines = p.lines([.fee])
        var contracted = Money.zero(cur)
        for t in sales { contracted = try contracted.adding(try contractFee(t)) }
        let diff = try charged.subtracting(contracted)
        guard diff.minor > 0 else { return nil }
        var lines: [BilingualText] = []
        for i in feeLines {
            let (en, zh) = itemNote(i)
            lines.append(t("payout \(p.ref) line \(i.lineNo) fee \(f.signed(i.amount))\(en)", "结算单 \(p.ref) 第 \(i.lineNo) 行手续费 \(f.signed(i.amount))\(zh)"))
        }
        for t in sales.prefix(10) {
            let r = ruleText(policy.fees[t.cardKind])
            let fee = try contractFee(t)
            lines.append(self.t("sale RRN \(t.rrn) \(f.m(t.amount)) \(t.cardKind.wordEN): contracted fee \(f.m(fee)) (\(r.en))",
                                "交易参考号 \(t.rrn) \(f.m(t.amount))（\(t.cardKind.zhName)）：合同手续费 \(f.m(fee))（\(r.zh)）"))
        }
        if sales.count > 10 {
            lines.append(t("and \(sales.count - 10) more sales", "另有 \(sales.count - 10) 笔交易"))
        }
        lines.append(t("charged \(f.m(charged)); the contract gives \(f.m(contracted)) for its \(sales.count) sale(s): \(f.m(diff)) over",
                       "实收手续费 \(f.m(charged))；按合同其 \(sales.count) 笔交易应收 \(f.m(contracted))：多收 \(f.m(diff))"))
        return Finding(code: .feeDeduction, evidence: lines,
                       nextStep: t("Ask the acquirer to refund the \(f.m(diff)) charged over the contracted fee on payout \(p.ref), or to explain the rate applied.",
                                   "请收单机构退还结算单 \(p.ref) 多收的手续费 \(f.m(diff))，或说明所适用的费率。"),
                       explained: false, amount: diff)
    }

    /// What a payout's fee lines charge in all and the sales they are checked against
    /// (see `payoutFeeOverContract`); nil when the check does not apply.
    func contractedSales(_ p: PayoutFacts) throws -> (charged: Money, sales: [Transaction])? {
        guard policy.contractApplies else { return nil }
        // The same for every sale of the payout: once per payout and transactions.
        return try p.digest.contractedSales(among: e.payoutTransactions) { try contractedSalesOnce(p) }
    }

    private func contractedSalesOnce(_ p: PayoutFacts) throws -> (charged: Money, sales: [Transaction])? {
        if case .d0 = policy.cycle { return nil }
        let cur = p.zero.currency
        let feeLines = p.lines([.fee])
        guard !feeLines.isEmpty else { return nil }
        let charged = try Money.sum(feeLines.map(\.amount), currency: cur).negated()
        guard charged.minor > 0 else { return nil }
        let named = e.payoutTransactions.filter { $0.payoutRef == p.ref }
        guard named.count < 500 else { return nil }
        var sales: [Transaction] = []
        let saleLines = p.lines([.transaction]).filter { $0.amount.minor > 0 }
        if saleLines.isEmpty {
            sales = named.filter { $0.amount.minor > 0 && $0.kind != .void && $0.kind != .reversal }
        } else {
            for line in saleLines {
                guard let rrn = line.rrn, let t = named.first(where: { $0.rrn == rrn }) ?? e.payoutTransactions.first(where: { $0.rrn == rrn }),
                      t.amount == line.amount else { return nil }
                sales.append(t)
            }
        }
        guard !sales.isEmpty, sales.allSatisfy({ $0.amount.currency == cur }) else { return nil }
        return (charged, sales)
    }

    /// `rrn`'s share, by gross, of `total` spread over the sales of payout `p` (its
    /// sale lines, else the transactions that name it), rounded as `allocate` does.
    func shareByGross(_ total: Money, of p: PayoutFacts, rrn: String) -> Money {
        if !p.digest.saleWeights.isEmpty { return Money(minor: p.digest.share(of: total.minor, rrn: rrn), currency: total.currency) }
        let weights = e.payoutTransactions.filter { $0.payoutRef == p.ref && $0.amount.minor > 0 }.map { (rrn: $0.rrn, gross: $0.amount.minor) }
        return Money(minor: allocated(total.minor, over: weights, to: rrn), currency: total.currency)
    }

    /// For a sale in a payout it shares with others: its share of the payout's fee
    /// charged over the contract that its claim (`sharedClaim`: its lines less its own
    /// fee) does not already take off. A claim deducts the fee line naming the sale,
    /// else the fee its report states, else the contracted fee; a batch fee line above
    /// what the claims deduct is money the merchant is owed and did not get. Zero where
    /// the contract does not apply or the fees are not over it.
    func feeOverContractNotInClaim(_ p: PayoutFacts, rrn: String) throws -> Money {
        // Fee lines naming a sale are its claim's already: only batch fee lines can add.
        guard p.digest.hasBatchFee else { return p.zero }
        // The amount is the payout's (once per payout and transactions); the share is the sale's.
        let over = try p.digest.overContractNotInClaim(among: e.payoutTransactions) { try feeOverContractNotInClaimOnce(p) }
        return over.isZero ? p.zero : shareByGross(over, of: p, rrn: rrn)
    }

    /// `feeOverContractNotInClaim` for the whole payout: zero, or the amount split by gross.
    private func feeOverContractNotInClaimOnce(_ p: PayoutFacts) throws -> Money {
        guard let (charged, sales) = try contractedSales(p) else { return p.zero }
        var contracted = p.zero
        var deducted = p.zero
        for t in sales {
            let fee = try contractFee(t)
            contracted = try contracted.adding(fee)
            let own = p.digest.lines(naming: t.rrn).filter { $0.kind == .fee }
            deducted = try deducted.adding(own.isEmpty ? (t.fee ?? fee)
                                                       : try Money.sum(own.map(\.amount), currency: p.zero.currency).negated())
        }
        // The same excess `payoutFeeOverContract` finds, less what the claims took off.
        let diff = try charged.subtracting(contracted)
        guard diff.minor > 0 else { return p.zero }
        let excess = try charged.subtracting(deducted)
        guard excess.minor > 0 else { return p.zero }
        return excess.minor > diff.minor ? diff : excess
    }

    /// "0.60%, cap 35.00" / "费率 0.60%，封顶 35.00".
    func ruleText(_ rule: FeeRule) -> BilingualText {
        var en = SettlementPolicy.percentText(ppm: rule.ratePPM)
        var zh = "费率 " + en
        if let cap = rule.cap { en += ", cap \(cap.formatted())"; zh += "，封顶 \(cap.formatted())" }
        if let fixed = rule.fixed, !fixed.isZero { en += ", plus \(fixed.formatted()) fixed"; zh += "，另加固定 \(fixed.formatted())" }
        return t(en, zh)
    }

    /// For a sale in a payout whose fee lines charge more than the contract for its
    /// sales: the payout's finding, with this sale's share of the excess by gross.
    func shareOfPayoutFeeOverContract(_ c: Context, _ txn: Transaction) throws -> Finding? {
        for p in c.facts where p.isCredited {
            guard let over = try payoutFeeOverContract(p), let diff = over.amount else { continue }
            let share = shareByGross(diff, of: p, rrn: txn.rrn)
            guard share.minor > 0 else { continue }
            var lines = over.evidence
            lines.append(t("this sale's share of the \(f.m(diff)) over, by gross: \(f.m(share))", "按交易金额分摊，本笔多收 \(f.m(share))"))
            return Finding(code: .feeDeduction, evidence: lines, nextStep: over.nextStep, explained: false, amount: share)
        }
        return nil
    }

    /// The contracted fee of one sale: rate part, capped, plus the fixed part.
    func contractFee(_ t: Transaction) throws -> Money {
        let rule = policy.fees[t.cardKind]
        var fee = try t.amount.applying(ratePPM: rule.ratePPM)
        if let cap = rule.cap, cap.currency == fee.currency, cap < fee { fee = cap }
        if let fixed = rule.fixed, fixed.currency == fee.currency { fee = try fee.adding(fixed) }
        return fee
    }

    /// "30,000.00 − 35.00 fee (0.60%, capped 35.00) = 29,965.00".
    func feeArithmetic(_ exp: SettlementExpectation) -> BilingualText {
        FeeText.arithmetic(exp)
    }

    /// "fee 180.00 as contracted (...)", or "fee lines ... equal the fees of its N transactions".
    func feeDeductionRuledOut(_ c: Context) throws -> [RuledOut] {
        if let txn = c.txn, let exp = c.exp, txn.amount.minor > 0 {
            let reportedOK = txn.fee.map { $0 == exp.fee.total } ?? true
            let soleFeeLines = c.facts.filter { isSole($0, txn) }.flatMap { $0.lines([.fee]) }
            let linesOK = try soleFeeLines.isEmpty
                || Money.sum(soleFeeLines.map(\.amount), currency: c.zero.currency).negated() == exp.fee.total
            if reportedOK && linesOK && (txn.fee != nil || !soleFeeLines.isEmpty) {
                let r = FeeText.rule(exp.fee)
                return [ruledOut(.fees, "fee \(f.m(exp.fee.total)) as contracted (\(txn.cardKind.wordEN) \(r.en))",
                                 "手续费 \(f.m(exp.fee.total)) 符合合同费率（\(txn.cardKind.zhName)，\(r.zh)）")]
            }
        } else if c.txn == nil, let p = c.facts.first {
            let txns = e.payoutTransactions.filter { $0.payoutRef == p.ref }
            let feeLines = try Money.sum(p.lines([.fee]).map(\.amount), currency: p.zero.currency).negated()
            if !txns.isEmpty, txns.allSatisfy({ $0.fee != nil }),
               try Money.sum(txns.compactMap(\.fee), currency: p.zero.currency) == feeLines {
                return [ruledOut(.fees, "fee lines \(f.m(feeLines)) equal the fees of its \(txns.count) transactions",
                                 "手续费明细 \(f.m(feeLines)) 与其 \(txns.count) 笔交易的手续费合计一致")]
            }
        }
        return []
    }
}

extension NoteWriter {
    /// The note's request when the finding is not explained.
    func feeDeductionRequest(_ x: Finding) -> String {
        let amount = requestAmount(x)
        return L("Refund the \(amount) charged over the contracted fee, or tell us the rate applied.",
                 "请退还多收的手续费 \(amount)，或说明所适用的费率。")
    }

    /// The note's clause when the finding is explained.
    func feeDeductionNoDisputeClause(_ x: Finding) -> String? {
        if let t = e.transaction, let fee = x.amount {
            let rule = e.expectation.map { FeeText.rule($0.fee) }
            return L("the \(money(fee)) less than the \(money(t.amount)) swiped is the fee" + (rule.map { " at the contracted rate (\($0.en))" } ?? ""),
                     "与交易金额 \(money(t.amount))相差的 \(money(fee))为手续费" + (rule.map { "，符合合同费率（\($0.zh)）" } ?? ""))
        } else if let fee = x.amount {
            return L("the \(money(fee)) less than the sales is the fees", "与交易金额相差的 \(money(fee))为手续费")
        }
        return nil
    }
}
