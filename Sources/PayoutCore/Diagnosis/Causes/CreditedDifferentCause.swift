import Foundation

/// CREDITED_DIFFERENT: the bank statement holds the payout's credit (matched by its
/// reference) for another amount than the acquirer reports paid. The difference is
/// the finding's amount; what reached the account is the bank's figure.
enum CreditedDifferentCause {
    static let descriptor = CauseDescriptor(
        code: .creditedDifferent,
        title: BilingualText(en: "Bank credit differs from the reported payout", zh: "银行入账金额与结算单不符"),
        label: BilingualText(en: "CREDITED_DIFFERENT", zh: "入账不符"),
        isExplained: false,
        ranks: CauseRanks(problem: 6),
        find: { d, c, _ in d.creditedDifferent(c).map { CauseHit($0) } },
        ruledOut: nil,
        request: { w, x in w.creditedDifferentRequest(x) },
        noDisputeClause: nil
    )
}

extension Diagnoser {
    func creditedDifferent(_ c: Context) -> Finding? {
        let differing = c.facts.filter { $0.bank?.state == .creditedDifferent }
        guard let first = differing.first else { return nil }
        var lines: [BilingualText] = []
        var total: Int64 = 0
        for p in differing {
            guard let bank = p.bank else { continue }
            lines.append(acquirerLine(p))
            for credit in bank.credits where !credit.ambiguous {
                let file = SafeText.visible(f.safe(credit.file))
                let diff = credit.difference
                total += diff.minor
                let sign = diff.minor < 0 ? "less" : "more"
                lines.append(t("the bank credited \(f.m(credit.amount)) on \(credit.bookedAt.map { f.dateTime($0) } ?? credit.bookingDate.iso)\(credit.bankRef.map { ", bank reference \(SafeText.visible(f.safe($0)))" } ?? "") (\(file):\(credit.line)), matched by \(credit.rule): \(f.m(Money(minor: abs(diff.minor), currency: diff.currency))) \(sign) than reported",
                               "银行于 \(credit.bookedAt.map { f.dateTime($0) } ?? credit.bookingDate.iso) 入账 \(f.m(credit.amount))\(credit.bankRef.map { "，银行流水号 \(SafeText.visible(f.safe($0)))" } ?? "")（\(file):\(credit.line)），按\(credit.rule)匹配：比报表\(diff.minor < 0 ? "少" : "多") \(f.m(Money(minor: abs(diff.minor), currency: diff.currency)))"))
            }
        }
        let next = t("Ask the acquirer why payout \(first.ref) reached the account as a different amount than its report says, and for the bank receipt (银行回单) of the transfer.",
                     "请向收单机构询问结算单 \(first.ref) 的到账金额为何与报表不符，并索取该笔出款的银行回单。")
        let amount = Money(minor: abs(total), currency: first.zero.currency)
        return Finding(code: .creditedDifferent, evidence: lines, nextStep: next, explained: false, amount: amount.isZero ? nil : amount)
    }
}

extension NoteWriter {
    func creditedDifferentRequest(_ x: Finding) -> String? {
        let ref = firstRef ?? "—"
        let diff = x.amount?.formatted() ?? ""
        return L("Payout \(ref) reached our account differing from your report by \(diff). Explain the difference and send the bank receipt (银行回单) of the transfer.",
                 "结算单 \(ref) 的到账金额与贵司报表相差 \(diff)。请说明差额原因并提供该笔出款的银行回单。")
    }
}
