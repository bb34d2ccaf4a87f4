import PayoutCore

/// The order of a list pane (`o` cycles it); the first case is the pane's usual order.
public enum PaneSort: String, Sendable, Hashable, CaseIterable {
    /// Transactions: newest first. Payouts: oldest expected arrival first (newest cycle
    /// date first in a search). Accounts: by MID.
    case usual
    /// Largest amount first (transactions, payouts).
    case amount
    /// Worst state first (accounts): closed, frozen, limited, under review, active.
    case state

    /// The orders `pane` offers (0 = transactions, 1 = payouts, 2 = accounts), in `o` order.
    public static func choices(pane: Int) -> [PaneSort] { pane == 2 ? [.usual, .state] : [.usual, .amount] }
}

/// What the monitor asks the store for: which window of each list, and any detail.
public struct ViewRequest: Sendable, Hashable {
    /// A detail screen's subject.
    public enum Detail: Sendable, Hashable {
        case transaction(id: Int64)
        case payout(merchantId: String, ref: String)
        /// A merchant account: its case file (`Snapshot.account`).
        case account(merchantId: String)
    }

    /// First transaction row wanted (0 = newest) and how many.
    public var transactionOffset: Int
    public var transactionLimit: Int
    public var payoutOffset: Int
    public var payoutLimit: Int
    /// `/` search text (`SearchTerms`): every pane shows its rows matching it; the
    /// payouts pane then lists payouts of any state, settled ones too.
    public var filter: String?
    /// `p`: only late, short, held or failed rows.
    public var problemsOnly: Bool
    public var detail: Detail?
    /// `a`: only the accounts of this acquirer (as the account pane names it) and their rows; nil: all.
    public var acquirer: String?
    /// `c`: the cash-flow calendar's month containing this day (and its payouts); nil: not shown.
    public var calendar: LocalDate?
    /// `s`: one shop's rows only (its MID); nil: every shop.
    public var shop: String?
    /// `o`: each pane's order.
    public var transactionSort: PaneSort = .usual
    public var payoutSort: PaneSort = .usual
    public var accountSort: PaneSort = .usual

    public init(transactionOffset: Int = 0, transactionLimit: Int = 50, payoutOffset: Int = 0, payoutLimit: Int = 50,
                filter: String? = nil, problemsOnly: Bool = false, detail: Detail? = nil, shop: String? = nil,
                acquirer: String? = nil, calendar: LocalDate? = nil) {
        self.acquirer = acquirer
        self.calendar = calendar
        self.transactionOffset = transactionOffset; self.transactionLimit = transactionLimit
        self.payoutOffset = payoutOffset; self.payoutLimit = payoutLimit
        self.filter = filter; self.problemsOnly = problemsOnly; self.detail = detail
        self.shop = shop
    }
}

/// A detail screen's content: the subject, everything the reports say about it, and the diagnosis.
public struct DetailSnapshot: Sendable, Hashable {
    public enum Subject: Sendable, Hashable {
        case transaction(TxnLine)
        case payout(PayoutLine)
    }

    public var subject: Subject
    public var evidence: Evidence
    public var diagnosis: Diagnosis
    /// The report files the rows came from: (path, sha256).
    public var sources: [ReportSource]
    /// Values a later report changed (accepted revisions), oldest first.
    public var revisions: [Revision]

    public init(subject: Subject, evidence: Evidence, diagnosis: Diagnosis, sources: [ReportSource], revisions: [Revision] = []) {
        self.subject = subject; self.evidence = evidence; self.diagnosis = diagnosis; self.sources = sources
        self.revisions = revisions
    }

    /// The detail of `subject` showing its case file.
    public init(subject: Subject, caseFile: CaseFile) {
        self.init(subject: subject, evidence: caseFile.evidence, diagnosis: caseFile.diagnosis, sources: caseFile.sources,
                  revisions: caseFile.revisions)
    }
}


/// One consistent view of the store: everything the screens show, read in a single
/// read transaction so the panes never disagree.
public struct Snapshot: Sendable, Hashable {
    /// The instant states were evaluated at ("now" of this snapshot).
    public var now: Instant
    /// The request this snapshot answers.
    public var request: ViewRequest
    /// The merchant the header names (config's `merchant.id`, else the first), and how many others the store has.
    public var merchant: Merchant?
    public var otherMerchants: Int
    /// The header's account badge: the worst state among the store's merchants.
    public var accountState: AccountState
    /// The settlement cycle in force for the header ("T+1").
    public var cycle: String
    /// Newest first; `transactionTotal` counts every row matching the filter.
    public var transactions: [TxnLine]
    public var transactionTotal: Int
    /// Open and recent payouts by expected arrival.
    public var payouts: [PayoutLine]
    public var payoutTotal: Int
    public var accounts: [AccountLine]
    public var summary: LedgerSummary
    public var detail: DetailSnapshot?
    /// When the newest data came in (the newest report file's import or feed row), nil for an empty store.
    public var dataAsOf: Instant?
    /// The calendar month the request asks for, and its payouts in order of arrival (the day lists).
    public var calendar: CalendarMonth?
    public var calendarPayouts: [PayoutLine] = []
    /// Every shop (the shop picker's list), whatever the search or shop filter.
    public var shops: [Merchant] = []
    /// Store ids of the transactions the detail links to (a payout's sales, a hold's
    /// sale), by RRN: Enter on such a row opens the transaction.
    public var transactionIds: [String: Int64] = [:]
    /// The account the request's `.account` detail asks for (nil otherwise, or when the store has no such merchant).
    public var account: AccountCaseFile?
    /// Open payouts of the whole store that are `NOT_CREDITED` (reported paid, missing
    /// from a complete bank statement); nil when no bank statement was read.
    public var bankNotCredited: Int? = nil

    public init(now: Instant, request: ViewRequest, merchant: Merchant?, otherMerchants: Int, accountState: AccountState,
                cycle: String, transactions: [TxnLine], transactionTotal: Int, payouts: [PayoutLine], payoutTotal: Int,
                accounts: [AccountLine], summary: LedgerSummary, detail: DetailSnapshot?, dataAsOf: Instant? = nil,
                account: AccountCaseFile? = nil) {
        self.dataAsOf = dataAsOf
        self.account = account
        self.now = now; self.request = request; self.merchant = merchant; self.otherMerchants = otherMerchants
        self.accountState = accountState; self.cycle = cycle; self.transactions = transactions
        self.transactionTotal = transactionTotal; self.payouts = payouts; self.payoutTotal = payoutTotal
        self.accounts = accounts; self.summary = summary; self.detail = detail
    }
}

/// How fresh the monitor's data is, for the header.
public enum SyncStatus: Sendable, Hashable {
    /// Not read yet.
    case starting
    /// Last successful read and last change seen.
    case synced(at: Instant, changedAt: Instant)
    /// Reads fail since `since`; the last good snapshot is still shown.
    case stale(since: Instant, reason: String)
}
