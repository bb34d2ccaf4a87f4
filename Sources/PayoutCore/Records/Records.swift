/// The records payoutmon keeps, as plain values. The store maps them to tables.

/// What kind of card or wallet paid.
public enum CardKind: String, Sendable, Codable, CaseIterable {
    case debit, credit, qr, other
}

/// What a transaction did to the merchant's money.
public enum TxnKind: String, Sendable, Codable, CaseIterable {
    case sale, refund, void, reversal, preauthCompletion
    /// A change of the balance that is neither a sale nor a refund (a dispute, its
    /// reversal, a fee, a transfer ... in a Stripe report); either sign.
    case adjustment
}

/// One card or QR transaction as the acquirer reported it.
public struct Transaction: Hashable, Sendable {
    public var merchantId: String
    public var terminalId: String
    public var terminalName: String?
    public var batchNo: String
    public var traceNo: String
    public var rrn: String
    public var authCode: String
    /// Always masked (first 6 + last 4), or empty for QR.
    public var cardMasked: String
    public var cardKind: CardKind
    public var kind: TxnKind
    /// Signed: refunds, voids and reversals are negative.
    public var amount: Money
    /// The fee when the report states one.
    public var fee: Money?
    public var occurredAt: Instant
    /// Set when the acquirer has already said which payout carries it.
    public var payoutRef: String?

    public init(merchantId: String, terminalId: String, terminalName: String? = nil, batchNo: String,
                traceNo: String, rrn: String, authCode: String, cardMasked: String, cardKind: CardKind,
                kind: TxnKind, amount: Money, fee: Money? = nil, occurredAt: Instant, payoutRef: String? = nil) {
        self.merchantId = merchantId; self.terminalId = terminalId; self.terminalName = terminalName
        self.batchNo = batchNo; self.traceNo = traceNo; self.rrn = rrn; self.authCode = authCode
        self.cardMasked = cardMasked; self.cardKind = cardKind; self.kind = kind; self.amount = amount
        self.fee = fee; self.occurredAt = occurredAt; self.payoutRef = payoutRef
    }
}

/// Where a payout is in its life.
public enum PayoutStatus: String, Sendable, Codable, CaseIterable {
    case scheduled, processing, inTransit, paid, partial, failed, returned, held
}

/// One settlement: money the acquirer owes or sent to the merchant's bank account.
public struct Payout: Hashable, Sendable {
    public var merchantId: String
    /// The acquirer's reference (batch or payout id); unique per merchant.
    public var ref: String
    /// The business day the payout settles (the cycle date).
    public var cycleDate: LocalDate
    public var expectedAmount: Money
    /// What reached the bank account, when known.
    public var paidAmount: Money?
    public var status: PayoutStatus
    public var expectedArrival: Instant?
    public var creditedAt: Instant?
    public var bankRef: String?
    public var failureCode: String?

    public init(merchantId: String, ref: String, cycleDate: LocalDate, expectedAmount: Money, paidAmount: Money? = nil,
                status: PayoutStatus, expectedArrival: Instant? = nil, creditedAt: Instant? = nil,
                bankRef: String? = nil, failureCode: String? = nil) {
        self.merchantId = merchantId; self.ref = ref; self.cycleDate = cycleDate; self.expectedAmount = expectedAmount
        self.paidAmount = paidAmount; self.status = status; self.expectedArrival = expectedArrival
        self.creditedAt = creditedAt; self.bankRef = bankRef; self.failureCode = failureCode
    }

    /// The acquirer reports the money sent: status paid or partial, with an amount. Whether
    /// it reached the account is the diagnosis's to say (a bank statement can disprove it).
    public var isReportedPaid: Bool { (status == .paid || status == .partial) && paidAmount != nil }
}

/// What a line of a payout is.
public enum PayoutItemKind: String, Sendable, Codable, CaseIterable {
    case transaction, fee, reserve, hold, release, refund, chargeback, carryOver, adjustment
}

/// One line that makes up a payout; the lines sum to the payout's expected amount.
public struct PayoutItem: Hashable, Sendable {
    public var merchantId: String
    public var payoutRef: String
    /// The line's number within its payout (1, 2, ...): with the ref, its natural key.
    public var lineNo: Int
    public var kind: PayoutItemKind
    /// Signed: fees, reserves and refunds are negative.
    public var amount: Money
    public var rrn: String?
    public var note: String?

    public init(merchantId: String, payoutRef: String, lineNo: Int, kind: PayoutItemKind, amount: Money,
                rrn: String? = nil, note: String? = nil) {
        self.merchantId = merchantId; self.payoutRef = payoutRef; self.lineNo = lineNo; self.kind = kind
        self.amount = amount; self.rrn = rrn; self.note = note
    }
}

/// The merchant account's standing with the acquirer.
public enum AccountState: String, Sendable, Codable, CaseIterable {
    case active, limited, frozen, underReview, closed
}

/// A change of account state at an instant, with the acquirer's reason.
public struct AccountEvent: Hashable, Sendable {
    public var merchantId: String
    public var state: AccountState
    public var at: Instant
    public var reason: String

    public init(merchantId: String, state: AccountState, at: Instant, reason: String) {
        self.merchantId = merchantId; self.state = state; self.at = at; self.reason = reason
    }
}

/// Why money is withheld.
public enum HoldKind: String, Sendable, Codable, CaseIterable {
    /// 风控调单 / 延迟结算.
    case riskReview
    /// 保证金.
    case reserve
    /// A retrieval (document) request on a transaction.
    case retrievalRequest
    /// The settlement account's daily inflow limit.
    case receivingLimit
    /// The D+0 daily quota.
    case d0Quota
}

/// Money withheld from settlement, from when it was opened until released.
public struct Hold: Hashable, Sendable {
    public var merchantId: String
    /// The acquirer's (or the import's) reference for the hold; unique per merchant.
    public var ref: String
    public var kind: HoldKind
    public var amount: Money
    public var rrn: String?
    public var payoutRef: String?
    public var openedAt: Instant
    public var releasedAt: Instant?
    public var reason: String

    public init(merchantId: String, ref: String, kind: HoldKind, amount: Money, rrn: String? = nil, payoutRef: String? = nil,
                openedAt: Instant, releasedAt: Instant? = nil, reason: String) {
        self.merchantId = merchantId; self.ref = ref; self.kind = kind; self.amount = amount; self.rrn = rrn
        self.payoutRef = payoutRef; self.openedAt = openedAt; self.releasedAt = releasedAt; self.reason = reason
    }
}

/// The class of the bank account payouts go to. Class II personal accounts (二类户)
/// accept limited inflow from accounts not bound to them.
public enum AccountClass: String, Sendable, Codable, CaseIterable {
    case classI = "I"
    case classII = "II"
    case classIII = "III"
    case corporate
}

/// A merchant as the acquirer knows it: name, acquirer and settlement account.
public struct Merchant: Hashable, Sendable {
    public var merchantId: String
    public var name: String
    public var acquirer: String
    /// The settlement account, masked ("6222****1234").
    public var bankAccountMasked: String
    public var accountClass: AccountClass
    /// Inflow the settlement account accepts per calendar day, when limited.
    public var dailyInflowLimit: Money?
    /// The merchant's contracted cycle ("T+1", "D+0") when it differs from the config's.
    public var cycle: String?
    public var currency: Currency

    public init(merchantId: String, name: String, acquirer: String, bankAccountMasked: String,
                accountClass: AccountClass, dailyInflowLimit: Money?, cycle: String? = nil, currency: Currency) {
        self.cycle = cycle
        self.merchantId = merchantId; self.name = name; self.acquirer = acquirer
        self.bankAccountMasked = bankAccountMasked; self.accountClass = accountClass
        self.dailyInflowLimit = dailyInflowLimit; self.currency = currency
    }
}
