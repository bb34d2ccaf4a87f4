import Foundation

/// NOT_CREDITED: the acquirer reports a payout paid, and the merchant's bank statements
/// (final ones that add up) cover every day of its credit window and hold no credit for
/// it. A dispute: the acquirer is asked for the bank trace. Without such statements
/// nothing is claimed (the bank evidence says "no statement").
enum NotCreditedCause {
    static let descriptor = CauseDescriptor(
        code: .notCredited,
        title: BilingualText(en: "Reported paid, not in the bank statement", zh: "收单称已出款，银行流水无入账"),
        label: BilingualText(en: "NOT_CREDITED", zh: "银行未入账"),
        isExplained: false,
        ranks: CauseRanks(problem: 5),
        find: { d, c, _ in d.notCredited(c).map { CauseHit($0) } },
        ruledOut: nil,
        request: { w, x in w.notCreditedRequest(x) },
        noDisputeClause: nil
    )
}

extension Diagnoser {
    /// The bank statement lines of evidence: each statement's file, period and sha256.
    func statementLines(_ statements: [BankEvidence.Statement]) -> [BilingualText] {
        statements.map { s in
            let file = SafeText.visible(f.safe(s.file))
            return t("bank statement \(SafeText.visible(f.safe(s.statementRef))) (\(s.format)) of account \(s.accountMasked), \(s.periodStart.iso) to \(s.periodEnd.iso): \(file):\(s.line), sha256 \(s.sha256)",
                     "银行对账单 \(SafeText.visible(f.safe(s.statementRef)))（\(s.format)），账户 \(s.accountMasked)，期间 \(s.periodStart.iso) 至 \(s.periodEnd.iso)：\(file):\(s.line)，sha256 \(s.sha256)")
        }
    }

    /// The acquirer's own line for a payout: the last report that gave its state.
    func acquirerLine(_ p: PayoutFacts) -> BilingualText {
        let amount = f.m(p.payout.paidAmount ?? p.payout.expectedAmount)
        let when = p.payout.creditedAt.map { " \(f.dateTime($0))" } ?? ""
        let source = p.history.last.map { " (\(SafeText.visible(f.safe($0.sourcePath))):\($0.line))" } ?? ""
        return t("the acquirer reports payout \(p.ref) \(amount) paid\(when)\(p.payout.bankRef.map { ", bank reference \($0)" } ?? "")\(source)",
                 "收单机构称结算单 \(p.ref) \(amount) 已出款\(when)\(p.payout.bankRef.map { "，银行流水号 \($0)" } ?? "")\(source)")
    }

    func notCredited(_ c: Context) -> Finding? {
        let missing = c.facts.filter { p in
            p.payout.isReportedPaid && p.bank?.state == .notCredited
        }
        guard let first = missing.first else { return nil }
        var lines: [BilingualText] = []
        var amount = Money.zero(first.zero.currency)
        for p in missing {
            guard let bank = p.bank else { continue }
            let paid = p.payout.paidAmount ?? p.payout.expectedAmount
            if paid.currency == amount.currency { amount = (try? amount.adding(paid)) ?? amount }
            lines.append(acquirerLine(p))
            lines.append(t("no credit of \(f.m(paid)) from \(bank.window.lowerBound.iso) to \(bank.window.upperBound.iso) in the bank statements that cover those days:",
                           "覆盖 \(bank.window.lowerBound.iso) 至 \(bank.window.upperBound.iso) 的银行对账单中没有 \(f.m(paid)) 的入账："))
            lines += statementLines(bank.covering)
        }
        let next = t("Dispute it: ask the acquirer for the bank trace number (出款流水号) and the bank receipt (银行回单) of payout \(first.ref); give your bank the statement above and ask it to confirm nothing was received.",
                     "请提出争议：向收单机构索取结算单 \(first.ref) 的出款流水号和银行回单；并持上述对账单请开户行确认未收到该笔款项。")
        return Finding(code: .notCredited, evidence: lines, nextStep: next, explained: false, amount: amount.isZero ? nil : amount)
    }
}

extension NoteWriter {
    /// The note's request: the bank trace of the payout the bank never credited.
    func notCreditedRequest(_ x: Finding) -> String? {
        let p = d.shares.first { $0.status == .paid || $0.status == .partial }
        let ref = p?.ref ?? firstRef ?? "—"
        let amount = (p?.paidAmount ?? p?.expectedAmount)?.formatted() ?? ""
        return L("Your report says payout \(ref) (\(amount)) was paid, but our bank statement for those days holds no such credit. Send us the bank trace number (出款流水号) and the bank receipt (银行回单) of the transfer, and the account it was sent to.",
                 "贵司报表显示结算单 \(ref)（\(amount)）已出款，但我店该期间的银行对账单中无此笔入账。请提供该笔出款的出款流水号、银行回单及收款账户。")
    }
}
