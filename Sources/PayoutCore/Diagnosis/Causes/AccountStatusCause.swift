import Foundation

/// ACCOUNT_STATUS: the merchant account was frozen, limited, under review or closed
/// during the period, so its settlement was held.
enum AccountStatusCause {
    static let descriptor = CauseDescriptor(
        code: .accountStatus,
        title: BilingualText(en: "Merchant account frozen, limited or under review", zh: "商户账户冻结/受限/审核中"),
        // The detail screen shows the title; the lists show the code in English and this short form in Chinese.
        label: BilingualText(en: "ACCOUNT_STATUS", zh: "账户异常"),
        isExplained: false,
        ranks: CauseRanks(problem: 10),
        find: { d, c, _ in d.accountStatus(c).map { CauseHit($0) } },
        ruledOut: RuledOutCheck(order: 40) { d, c in d.accountStatusRuledOut(c) },
        request: { w, x in w.accountStatusRequest(x) },
        noDisputeClause: nil
    )
}

extension Diagnoser {
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
                           "结算单 \(p.ref) \(f.m(p.payout.expectedAmount)) 暂停出款" + (code.map { "（原因 \($0)）" } ?? "")))
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

    /// "the merchant account has been active since ..., with no freeze or limit since".
    func accountStatusRuledOut(_ c: Context) -> [RuledOut] {
        let events = e.accountEvents.sorted { $0.at < $1.at }
        guard let start = events.last(where: { $0.at <= c.periodStart }), start.state == .active,
              !events.contains(where: { $0.at > c.periodStart && $0.at <= now && $0.state != .active }) else { return [] }
        return [ruledOut(.accountState,
                         "the merchant account has been active since \(f.dateTime(start.at)) (\(f.safe(start.reason))), with no freeze or limit since",
                         "商户账户自 \(f.dateTime(start.at)) 起状态正常（\(f.safe(start.reason))），此后无冻结或受限记录")]
    }
}

extension NoteWriter {
    /// The note's request when the finding is not explained.
    func accountStatusRequest(_ x: Finding) -> String {
        let amount = requestAmount(x)
        let state = e.accountEvents.sorted { $0.at < $1.at }.last { $0.at <= now && $0.state != .active }?.state ?? .frozen
        return L("Tell us why the account is \(state.wordEN), the case number, which documents you need, and the date the account and the \(amount) held will be released.",
                 "请告知账户\(state.wordZH)的原因及工单号、需补充的资料，以及账户解除\(state.wordZH)和暂停的 \(amount)的出款日期。")
    }
}
