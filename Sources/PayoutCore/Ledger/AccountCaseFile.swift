/// Everything known about one merchant account at one instant: its state and the
/// history of states, its holds (open and released), the payouts it affects and the
/// report files all of it came from. The account drill-down and the account note both
/// show one, built once by the store's `caseFile(forAccount:)` query, so they agree.
public struct AccountCaseFile: Hashable, Sendable {
    public var merchant: Merchant
    /// The state in force at `now`, since when, and the acquirer's reason.
    public var state: AccountState
    public var since: Instant?
    public var reason: String?
    /// Every state the reports gave the account, oldest first.
    public var events: [AccountEvent]
    /// Holds of the account, open and released, oldest first; an open hold's amount is
    /// what it still withholds (`Hold.openAmount`).
    public var holds: [Hold]
    /// The account's payouts, newest cycle date first (at most the query's limit), each
    /// with its state; the ones the account state or a hold affects are `affected`.
    public var payouts: [PayoutLine]
    public var sources: [ReportSource]

    public init(merchant: Merchant, state: AccountState, since: Instant?, reason: String?, events: [AccountEvent],
                holds: [Hold], payouts: [PayoutLine], sources: [ReportSource]) {
        self.merchant = merchant; self.state = state; self.since = since; self.reason = reason
        self.events = events; self.holds = holds; self.payouts = payouts; self.sources = sources
    }

    /// Holds not released at `now`.
    public func openHolds(at now: Instant) -> [Hold] {
        holds.filter { $0.releasedAt.map { $0 > now } ?? true }
    }

    /// The payouts the account's standing bears on at `now`: held, short, failed or late,
    /// withheld for the account's state (`ACCOUNT_STATUS`), or named by a hold.
    public func affected(at now: Instant) -> [PayoutLine] {
        let held = Set(holds.compactMap(\.payoutRef))
        return payouts.filter { line in
            switch line.state(at: now) {
            case .held, .short, .failed, .late: return true
            default: return line.cause == .accountStatus || held.contains(line.payout.ref)
            }
        }
    }
}
