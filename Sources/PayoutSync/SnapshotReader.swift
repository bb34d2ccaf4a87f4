import Foundation
import PayoutCore
import PayoutModel
import PayoutStore

/// Reads one `Snapshot` from the store inside a single read transaction.
public struct SnapshotReader: Sendable {
    public let rules: SettlementRules
    /// The MID the header names; nil shows the first merchant.
    public let merchantId: String?

    public init(rules: SettlementRules, merchantId: String?) {
        self.rules = rules
        self.merchantId = merchantId
    }

    public func read(_ store: PayoutStore, request: ViewRequest, now: Instant) throws -> Snapshot {
        try store.read(rules: rules) { r in try read(r, request: request, now: now) }
    }

    public func read(_ r: LedgerReader, request: ViewRequest, now: Instant) throws -> Snapshot {
        let accounts = try r.accounts(now: now)
        let merchants = accounts.map(\.merchant)
        let merchant = merchants.first { $0.merchantId == merchantId } ?? merchants.first
        let worst = accounts.map(\.state).max { Self.severity($0) < Self.severity($1) } ?? .active
        // The acquirer filter narrows the lists to its accounts (the account list stays whole: the screen narrows it).
        let mids = request.acquirer.map { a in accounts.filter { $0.merchant.acquirer == a }.map(\.merchant.merchantId) }
        let txns = try r.transactions(filter: request.filter, problemsOnly: request.problemsOnly, now: now,
                                      offset: request.transactionOffset, limit: request.transactionLimit, merchantIds: mids)
        let payouts = try r.payouts(problemsOnly: request.problemsOnly, now: now, offset: request.payoutOffset,
                                    limit: request.payoutLimit, merchantIds: mids)
        let cycle = rules.policy(for: merchant, currency: merchant?.currency ?? rules.policy.currency).cycle.description
        var snapshot = Snapshot(now: now, request: request, merchant: merchant, otherMerchants: max(0, merchants.count - 1),
                        accountState: worst, cycle: cycle, transactions: txns.lines, transactionTotal: txns.total,
                        payouts: payouts.lines, payoutTotal: payouts.total, accounts: accounts,
                        summary: try r.summary(now: now), detail: try detail(r, request.detail, now: now),
                        dataAsOf: try r.newestDataTime())
        if let day = request.calendar {
            let read = try r.calendarMonth(containing: day, now: now)
            snapshot.calendar = read.month
            snapshot.calendarPayouts = read.payouts
        }
        return snapshot
    }

    func detail(_ r: LedgerReader, _ d: ViewRequest.Detail?, now: Instant) throws -> DetailSnapshot? {
        switch d {
        case nil:
            return nil
        case .transaction(let id):
            guard let line = try r.transactionLine(id: id) else { return nil }
            return DetailSnapshot(subject: .transaction(line), caseFile: try r.caseFile(forTransaction: line, now: now))
        case .payout(let mid, let ref):
            guard let line = try r.payoutLine(merchantId: mid, ref: ref) else { return nil }
            return DetailSnapshot(subject: .payout(line), caseFile: try r.caseFile(forPayout: line, now: now))
        }
    }

    static func severity(_ s: AccountState) -> Int {
        switch s {
        case .active: return 0
        case .underReview: return 1
        case .limited: return 2
        case .frozen: return 3
        case .closed: return 4
        }
    }
}
