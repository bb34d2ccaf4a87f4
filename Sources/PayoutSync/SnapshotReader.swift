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
                                      offset: request.transactionOffset, limit: request.transactionLimit, shop: request.shop,
                                      byAmount: request.transactionSort == .amount, merchantIds: mids)
        // A search lists payouts of every state (settled ones too); otherwise the open ones.
        let payouts = try request.filter.map {
            try r.searchPayouts($0, shop: request.shop, offset: request.payoutOffset, limit: request.payoutLimit,
                                byAmount: request.payoutSort == .amount, merchantIds: mids)
        } ?? r.payouts(problemsOnly: request.problemsOnly, now: now, offset: request.payoutOffset,
                       limit: request.payoutLimit, shop: request.shop, byAmount: request.payoutSort == .amount,
                       merchantIds: mids)
        var shown = request.filter == nil && request.shop == nil ? accounts
            : try r.accounts(accounts, search: request.filter, shop: request.shop)
        if request.accountSort == .state {
            // Worst first; the store's MID order among equals.
            shown = shown.enumerated().sorted { a, b in
                let (x, y) = (Self.severity(a.element.state), Self.severity(b.element.state))
                return x != y ? x > y : a.offset < b.offset
            }.map(\.element)
        }
        let cycle = rules.policy(for: merchant, currency: merchant?.currency ?? rules.policy.currency).cycle.description
        var snapshot = Snapshot(now: now, request: request, merchant: merchant, otherMerchants: max(0, merchants.count - 1),
                        accountState: worst, cycle: cycle, transactions: txns.lines, transactionTotal: txns.total,
                        payouts: payouts.lines, payoutTotal: payouts.total, accounts: shown,
                        summary: try r.summary(now: now), detail: try detail(r, request.detail, now: now),
                        dataAsOf: try r.newestDataTime(), account: try account(r, request.detail, now: now))
        snapshot.shops = merchants
        snapshot.bankNotCredited = try r.notCreditedOpenPayouts()
        snapshot.transactionIds = try linkedTransactionIds(r, snapshot)
        if let day = request.calendar {
            let read = try r.calendarMonth(containing: day, now: now)
            snapshot.calendar = read.month
            snapshot.calendarPayouts = read.payouts
        }
        return snapshot
    }

    /// The ids of the transactions a detail screen links to by RRN.
    func linkedTransactionIds(_ r: LedgerReader, _ snapshot: Snapshot) throws -> [String: Int64] {
        if let detail = snapshot.detail, case .payout(let line) = detail.subject {
            let rrns = detail.evidence.payoutTransactions.map(\.rrn)
                + detail.evidence.payouts.flatMap { $0.items.compactMap(\.rrn) }
            return try r.transactionIds(merchantId: line.payout.merchantId, rrns: rrns)
        }
        if let account = snapshot.account {
            return try r.transactionIds(merchantId: account.merchant.merchantId, rrns: account.holds.compactMap(\.rrn))
        }
        return [:]
    }

    func account(_ r: LedgerReader, _ d: ViewRequest.Detail?, now: Instant) throws -> AccountCaseFile? {
        guard case .account(let mid) = d else { return nil }
        return try r.caseFile(forAccount: mid, now: now)
    }

    func detail(_ r: LedgerReader, _ d: ViewRequest.Detail?, now: Instant) throws -> DetailSnapshot? {
        switch d {
        case nil, .account:
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
