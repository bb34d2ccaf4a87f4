/// Payouts that carry on another payout's money: a continuation releasing what a
/// carry-over line withheld (a Class II account's inflow limit, an acquirer's split), or
/// a re-send of a payout the bank returned or rejected. The payout they carry on is
/// owed that much less; the transaction, payout, hold and summary views all count it
/// the same way (through `Diagnosis.diagnose` and `Hold.openAmount`).
struct FollowUp {
    let facts: PayoutFacts
    /// The part of the follow-up's money that belongs to the payout it carries on.
    let part: Money
    /// What of `part` was credited (zero until the follow-up is credited).
    let credited: Money
    let isResend: Bool
}

extension Hold {
    /// What is still withheld at `now`: nothing once released; otherwise the amount less
    /// the release lines naming its RRN in credited payouts other than the one it holds
    /// (a continuation paying out carried-over money).
    public func openAmount(now: Instant, payouts: [Evidence.PayoutEvidence]) -> Money {
        guard openedAt <= now, releasedAt.map({ $0 > now }) ?? true else { return .zero(amount.currency) }
        guard let rrn else { return amount }
        var released: Int64 = 0
        for pe in payouts where pe.payout.ref != payoutRef && pe.payout.merchantId == merchantId {
            let p = pe.payout
            guard p.isReportedPaid else { continue }
            for i in pe.items where i.kind == .release && i.rrn == rrn && i.amount.currency == amount.currency {
                released = released &+ i.amount.minor
            }
        }
        return Money(minor: max(0, amount.minor &- max(0, released)), currency: amount.currency)
    }
}

extension Diagnoser {
    /// The payouts among `others` that carry on `p`'s money, with their part of it.
    func followUps(of p: PayoutFacts, among others: [PayoutFacts]) throws -> [FollowUp] {
        let sales = Set(p.lines([.transaction]).compactMap(\.rrn))
            .union(e.payoutTransactions.filter { $0.payoutRef == p.ref && $0.amount.minor > 0 }.map(\.rrn))
        var carried = Set(p.lines([.carryOver]).compactMap(\.rrn))
        if p.lines([.carryOver]).contains(where: { $0.rrn == nil }) { carried.formUnion(sales) }
        var out: [FollowUp] = []
        for q in others where q.ref != p.ref && q.payout.merchantId == p.payout.merchantId && q.zero.currency == p.zero.currency {
            let releases = q.lines([.release]).filter { $0.rrn.map(carried.contains) ?? false }
            if !releases.isEmpty {
                let part = try Money.sum(releases.map(\.amount), currency: q.zero.currency)
                let credited = q.isCredited ? (q.paid.minor < part.minor ? q.paid : part) : q.zero
                out.append(FollowUp(facts: q, part: part, credited: credited, isResend: false))
                continue
            }
            guard p.isFailed, !q.isFailed, !(q.payout.cycleDate < p.payout.cycleDate) else { continue }
            let named = q.items.filter { $0.rrn != nil }
            let mine = named.filter { sales.contains($0.rrn!) && [.transaction, .release, .adjustment].contains($0.kind) }
            guard !mine.isEmpty else { continue }
            // A re-send of this payout alone: all of it; else the lines naming its sales.
            let sole = named.allSatisfy { sales.contains($0.rrn!) }
            let part = sole ? q.payout.expectedAmount : try Money.sum(mine.map(\.amount), currency: q.zero.currency)
            let credited = q.isCredited ? (q.paid.minor < part.minor ? q.paid : part) : q.zero
            out.append(FollowUp(facts: q, part: part, credited: credited, isResend: true))
        }
        return out
    }
}
