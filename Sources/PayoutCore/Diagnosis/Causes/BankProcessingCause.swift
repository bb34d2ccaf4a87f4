import Foundation

/// BANK_PROCESSING: a payout failed at the bank or was returned, or sits in transit
/// past its credit window.
enum BankProcessingCause {
    static let descriptor = CauseDescriptor(
        code: .bankProcessing,
        title: BilingualText(en: "Bank processing delay or return", zh: "银行处理延迟/出款失败（退汇）"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "BANK_PROCESSING", zh: "银行处理"),
        isExplained: false,
        ranks: CauseRanks(problem: 20),
        find: { d, c, _ in d.bankProcessing(c).map { CauseHit($0) } },
        ruledOut: RuledOutCheck(order: 80) { d, c in d.bankProcessingRuledOut(c) },
        request: { w, x in w.bankProcessingRequest(x) },
        noDisputeClause: nil
    )
}

extension Diagnoser {
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
            let (enWhat, zhWhat) = p.payout.status == .returned ? ("returned by the bank", "被银行退汇") : ("failed at the bank", "银行出款失败")
            let reasonZH = p.payout.status == .returned ? "退汇原因" : "失败原因"
            let code = p.payout.failureCode.map { f.safe($0) }
            if let code { codes.append(code) }
            var en = "payout \(p.ref) \(amount) (cycle date \(day)) \(enWhat): " + (code.map { "failure code \($0)" } ?? "no failure code given")
            var zh = "结算单 \(p.ref) \(amount)（结算日 \(day)）\(zhWhat)：" + (code.map { "\(reasonZH) \($0)" } ?? "未提供\(reasonZH)")
            if let b = p.payout.bankRef { en += "; bank reference \(b)"; zh += "；银行流水号 \(b)" }
            lines.append(t(en, zh))
            if let contradiction = contradictionLine(p.payout) { lines.append(contradiction) }
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
            let codeZH = codes.isEmpty ? "" : "（\(p.payout.status == .returned ? "退汇原因" : "失败原因") \(codes.joined(separator: "；"))）"
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

    /// "no payout was returned or rejected by the bank".
    func bankProcessingRuledOut(_ c: Context) -> [RuledOut] {
        guard !c.facts.isEmpty,
              !c.facts.contains(where: { $0.isFailed || ($0.payout.status == .inTransit && now > $0.lateAfter) }) else { return [] }
        return [ruledOut(.bankReturn, "no payout was returned or rejected by the bank", "无出款失败或退汇记录")]
    }
}

extension NoteWriter {
    /// The note's request when the finding is not explained.
    func bankProcessingRequest(_ x: Finding) -> String? {
        let failed = d.shares.first { $0.status == .returned || $0.status == .failed }
        if let p = failed {
            let code = p.failureCode.map { f.safe($0) }
            let question = contradictionRequest().map { $0 + " " } ?? ""
            return question + L("Confirm the bank's reason for the return\(code.map { " (failure code \($0))" } ?? ""), re-send payout \(p.ref) (\(p.expectedAmount.formatted())) once the settlement account is confirmed or changed, and confirm the re-send date in writing.",
                     "请确认\(p.status == .returned ? "银行退汇原因" : "出款失败原因")\(code.map { "（\($0)）" } ?? "")，待结算账户核实或变更后重新出款结算单 \(p.ref)（\(p.expectedAmount.formatted())），并书面确认重新出款日期。")
        } else if let p = d.shares.first(where: { $0.status == .inTransit }) {
            return L("Send us the remittance proof of payout \(p.ref)\(p.bankRef.map { " (bank reference \($0))" } ?? "") so our bank can trace the credit.",
                     "请提供结算单 \(p.ref) 的出款凭证\(p.bankRef.map { "（银行流水号 \($0)）" } ?? "")，以便我店向开户行查询入账。")
        }
        return nil
    }
}
