import Foundation

/// CURRENCY_MISMATCH: the payout that carries a sale is in another currency than
/// the sale. payoutmon converts no currency, so whether the payout settled the sale
/// in full is not checked: a finding of its own, never "short" and never
/// "no payout carries it".
enum CurrencyMismatchCause {
    static let descriptor = CauseDescriptor(
        code: .currencyMismatch,
        title: BilingualText(en: "Paid in another currency", zh: "结算币种与交易不符"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "CURRENCY_MISMATCH", zh: "币种不符"),
        isExplained: false,
        ranks: CauseRanks(problem: 75),
        find: { d, c, _ in try d.currencyMismatch(c).map { CauseHit($0) } },
        ruledOut: nil,
        request: { w, x in w.currencyMismatchRequest(x) },
        noDisputeClause: nil
    )
}

extension Diagnoser {
    func currencyMismatch(_ c: Context) throws -> Finding? {
        var lines: [BilingualText] = []
        var firstRef: String?
        var saleCurrency: Currency?
        if let txn = c.txn {
            let foreign = try foreignPayouts(txn.amount.currency)
            guard !foreign.isEmpty else { return nil }
            saleCurrency = txn.amount.currency
            lines.append(t("sale RRN \(txn.rrn): \(txn.amount.currency.code) \(f.m(txn.amount)), expected net \(txn.amount.currency.code) \(f.m(c.expected))",
                           "交易参考号 \(txn.rrn)：\(txn.amount.currency.code) \(f.m(txn.amount))，应结净额 \(txn.amount.currency.code) \(f.m(c.expected))"))
            for p in foreign {
                lines.append(foreignLine(p))
                firstRef = firstRef ?? p.ref
            }
        } else if let p = c.facts.first {
            let cur = p.zero.currency
            let others = e.payoutTransactions.filter { $0.payoutRef == p.ref && $0.amount.currency != cur }
            guard !others.isEmpty else { return nil }
            saleCurrency = others[0].amount.currency
            lines.append(foreignLine(p))
            let byCurrency = Dictionary(grouping: others, by: \.amount.currency)
            for (currency, txns) in byCurrency.sorted(by: { $0.key.code < $1.key.code }) {
                let sum = try Money.sum(txns.map(\.amount), currency: currency)
                lines.append(t("it names \(txns.count) sale(s) in \(currency.code) totalling \(currency.code) \(f.m(sum))",
                               "其所含 \(txns.count) 笔交易为 \(currency.code)，合计 \(currency.code) \(f.m(sum))"))
            }
            firstRef = p.ref
        }
        guard let ref = firstRef, let sale = saleCurrency else { return nil }
        lines.append(t("payoutmon does not convert between currencies: whether the payout settles the sale in full is not checked here (a report may state the rate it applied)",
                       "payoutmon 不做币种换算：此处不核对该结算单是否足额结算（对账单可能列有所用汇率）"))
        let next = t("Ask the acquirer for the exchange rate applied to payout \(ref) and the \(sale.code) amount it settles, and for a ticket number.",
                     "请向收单机构索取结算单 \(ref) 所用汇率及其结算的 \(sale.code) 金额，并索取工单号。")
        return Finding(code: .currencyMismatch, evidence: lines, nextStep: next, explained: false)
    }

    /// "payout P: HKD 1,085.00 credited on 2026-11-27 (cycle date 2026-11-26)".
    private func foreignLine(_ p: PayoutFacts) -> BilingualText {
        let code = p.zero.currency.code
        if p.isCredited {
            let day = p.payout.creditedAt.map(f.date) ?? p.payout.cycleDate.iso
            return t("payout \(p.ref) is in \(code): credited \(code) \(f.m(p.paid)) on \(day) (expected \(code) \(f.m(p.payout.expectedAmount)))",
                     "结算单 \(p.ref) 币种为 \(code)：于 \(day) 到账 \(code) \(f.m(p.paid))（应结 \(code) \(f.m(p.payout.expectedAmount))）")
        }
        return t("payout \(p.ref) is in \(code): \(code) \(f.m(p.payout.expectedAmount)), \(p.payout.status.wordEN), not credited",
                 "结算单 \(p.ref) 币种为 \(code)：\(code) \(f.m(p.payout.expectedAmount))，\(p.payout.status.wordZH)，未到账")
    }
}

extension NoteWriter {
    /// The note's request.
    func currencyMismatchRequest(_ x: Finding) -> String {
        let ref = d.shares.first?.ref ?? firstRef ?? ""
        return L("Tell us the exchange rate applied to payout \(ref) and the amount in the sale's currency it settles for \(subjectText), with a ticket number for this enquiry.",
                 "请告知结算单 \(ref) 所用汇率及其为\(subjectText)结算的原币种金额，并提供本次查询的工单号。")
    }
}
