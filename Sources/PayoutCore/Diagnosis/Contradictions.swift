import Foundation

/// Reasons the reports themselves contradict. A bank return "account closed" on an
/// account the same merchant's later payouts were credited to cannot both be true;
/// the diagnosis says so, naming the payouts, instead of repeating the reason.
extension Evidence {
    /// Whether a failure code or reason says the receiving account is closed
    /// ("R03 收款账户已销户 account closed", "ACCOUNT_CLOSED").
    public static func saysAccountClosed(_ reason: String?) -> Bool {
        guard let r = reason?.lowercased() else { return false }
        return r.contains("account closed") || r.contains("account_closed") || r.contains("closed account")
            || r.contains("销户") || r.contains("已注销")
    }

    /// For a payout returned or failed as "account closed": the merchant's payouts
    /// credited before it and after it (nearest by cycle date), when a later one was
    /// credited: the return contradicts that credit. Nil when nothing contradicts it.
    public func closedAccountContradiction(_ p: Payout) -> (before: Payout?, after: Payout)? {
        guard p.status == .returned || p.status == .failed, Self.saysAccountClosed(p.failureCode) else { return nil }
        let credited = neighbourCredits.filter {
            $0.merchantId == p.merchantId && $0.ref != p.ref && $0.isReportedPaid
        }
        guard let after = credited.filter({ $0.cycleDate > p.cycleDate }).min(by: { $0.cycleDate < $1.cycleDate }) else { return nil }
        let before = credited.filter { $0.cycleDate < p.cycleDate }.max { $0.cycleDate < $1.cycleDate }
        return (before, after)
    }
}

extension Diagnoser {
    /// The evidence line saying the return contradicts later credits, if it does.
    func contradictionLine(_ p: Payout) -> BilingualText? {
        guard let (before, after) = e.closedAccountContradiction(p) else { return nil }
        func credit(_ q: Payout) -> (String, String) {
            let day = q.creditedAt.map(f.date) ?? q.cycleDate.iso
            let amount = q.paidAmount.map(f.m) ?? f.m(q.expectedAmount)
            return ("payout \(q.ref) (\(amount)) was credited on \(day)", "结算单 \(q.ref)（\(amount)）已于 \(day) 入账")
        }
        let a = credit(after)
        var en = "inconsistent: the bank returned payout \(p.ref) as account closed, yet \(a.0) to the same settlement account, after it"
        var zh = "证据矛盾：银行以账户已销户为由将结算单 \(p.ref) 退汇，但此后\(a.1)至同一结算账户"
        if let before {
            let b = credit(before)
            en += "; before it, \(b.0)"
            zh += "；此前\(b.1)"
        }
        return t(en, zh)
    }
}

extension NoteWriter {
    /// The note's question when a return contradicts later credits.
    func contradictionRequest() -> String? {
        for pe in e.payouts {
            guard let (_, after) = e.closedAccountContradiction(pe.payout) else { continue }
            let day = after.creditedAt.map { LocalDateTime($0, in: e.policy.timeZone).date.iso } ?? after.cycleDate.iso
            return L("Payout \(pe.payout.ref) was returned as \"account closed\", but payout \(after.ref) was credited to the same account on \(day): tell us the bank's actual reason for the return.",
                     "结算单 \(pe.payout.ref) 以“账户已销户”被退汇，但结算单 \(after.ref) 已于 \(day) 入账至同一账户：请说明银行退汇的真实原因。")
        }
        return nil
    }
}
