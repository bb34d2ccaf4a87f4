/// Alerts: which findings changed since the last alerts were sent. Pure: the caller reads
/// the findings (the same `txnState`/`payoutState` lines and account states `status`
/// reads, evaluated at one "now") and what was remembered, and gets back the alerts to
/// fire and what to remember. No I/O, no clock.
///
/// A subject (a payout, a transaction, a merchant's account) is alerting while its
/// state at "now" is a problem (`MoneyState.isProblem`: late, short, held, failed, paid
/// in another currency) or its account is not active (frozen, limited, under review,
/// closed). Its condition is the state and the cause code. An alert fires when a
/// subject's condition differs from the one remembered: it turned alerting, or its state
/// or cause changed (so a new problem state or a new cause code, such as one raised from
/// bank statements, alerts without a change here); and a recovery fires when a
/// remembered subject stops alerting. See "Alerts" in docs/ARCHITECTURE.md.
public enum AlertSubject: String, Sendable, Hashable, CaseIterable {
    case payout, transaction, account
}

/// One subject as read at "now": its identity, state and what an alert would say.
public struct AlertFinding: Sendable, Hashable {
    public var subject: AlertSubject
    /// Unique per subject and stable across runs: "payout MID REF", "transaction ID", "account MID".
    public var key: String
    /// The state at now: a `MoneyState` raw value, or an `AccountState` raw value for an account.
    public var state: String
    public var cause: String?
    /// Whether the subject needs attention at now (see the type's comment).
    public var alerting: Bool
    public var merchantId: String
    /// The merchant's name from its profile, when the store has one.
    public var shop: String?
    public var payoutRef: String?
    /// The transaction's RRN; nil for a payout or an account.
    public var rrn: String?
    /// The store's row id of a transaction (how it is looked up again).
    public var transactionId: Int64?
    /// What should arrive (a payout's expected amount, a transaction's expected net, or its amount).
    public var expected: Money?
    /// What arrived (a payout's paid amount, a transaction's received net).
    public var received: Money?
    /// When the money counts as late, or since when the account is in its state.
    public var lateAfter: Instant?
    public var since: Instant?
    /// The acquirer's reason for an account's state (report text).
    public var reason: String?

    public init(subject: AlertSubject, key: String, state: String, cause: String?, alerting: Bool, merchantId: String,
                shop: String? = nil, payoutRef: String? = nil, rrn: String? = nil, transactionId: Int64? = nil,
                expected: Money? = nil, received: Money? = nil, lateAfter: Instant? = nil, since: Instant? = nil) {
        self.subject = subject; self.key = key; self.state = state; self.cause = cause; self.alerting = alerting
        self.merchantId = merchantId; self.shop = shop; self.payoutRef = payoutRef; self.rrn = rrn
        self.transactionId = transactionId; self.expected = expected; self.received = received
        self.lateAfter = lateAfter; self.since = since
    }

    /// A payout's line at `now`.
    public init(payout l: PayoutLine, now: Instant, shop: String?) {
        let state = l.state(at: now)
        let p = l.payout
        self.init(subject: .payout, key: Self.payoutKey(merchantId: p.merchantId, ref: p.ref), state: state.rawValue,
                  cause: l.cause?.rawValue, alerting: state.isProblem, merchantId: p.merchantId, shop: shop,
                  payoutRef: p.ref, expected: p.expectedAmount, received: p.paidAmount, lateAfter: l.lateAfter)
    }

    /// A transaction's line at `now`.
    public init(transaction l: TxnLine, now: Instant, shop: String?) {
        let state = l.state(at: now)
        let t = l.transaction
        self.init(subject: .transaction, key: Self.transactionKey(id: l.id), state: state.rawValue, cause: l.cause?.rawValue,
                  alerting: state.isProblem, merchantId: t.merchantId, shop: shop, payoutRef: l.payoutRef, rrn: t.rrn,
                  transactionId: l.id, expected: l.expectedNet ?? t.amount, received: l.received, lateAfter: l.lateAfter)
    }

    /// A merchant's account standing.
    public init(account a: AccountLine) {
        self.init(subject: .account, key: Self.accountKey(merchantId: a.merchant.merchantId), state: a.state.rawValue,
                  cause: nil, alerting: a.state != .active, merchantId: a.merchant.merchantId, shop: a.merchant.name,
                  since: a.since)
        reason = a.reason
    }

    public static func payoutKey(merchantId: String, ref: String) -> String { "payout \(merchantId) \(ref)" }
    public static func transactionKey(id: Int64) -> String { "transaction \(id)" }
    public static func accountKey(merchantId: String) -> String { "account \(merchantId)" }
}

/// What the store remembers of the last alert sent for a subject still alerting.
public struct AlertMemory: Sendable, Hashable {
    public var key: String
    public var subject: AlertSubject
    public var state: String
    public var cause: String?
    public var merchantId: String
    public var payoutRef: String?
    public var rrn: String?
    public var transactionId: Int64?
    /// When the alert was fired.
    public var firedAt: Instant

    public init(key: String, subject: AlertSubject, state: String, cause: String?, merchantId: String,
                payoutRef: String?, rrn: String?, transactionId: Int64?, firedAt: Instant) {
        self.key = key; self.subject = subject; self.state = state; self.cause = cause; self.merchantId = merchantId
        self.payoutRef = payoutRef; self.rrn = rrn; self.transactionId = transactionId; self.firedAt = firedAt
    }

    /// What to remember of `finding` once its alert was sent at `at`.
    public init(_ finding: AlertFinding, firedAt at: Instant) {
        self.init(key: finding.key, subject: finding.subject, state: finding.state, cause: finding.cause,
                  merchantId: finding.merchantId, payoutRef: finding.payoutRef, rrn: finding.rrn,
                  transactionId: finding.transactionId, firedAt: at)
    }
}

/// One alert to fire.
public struct Alert: Sendable, Hashable {
    /// A problem state ("late", "short", "held", "failed", "other-currency"), an account
    /// state ("frozen", "limited", "underReview", "closed"), or "recovered".
    public var kind: String
    /// The subject as read now (for a recovery, its state now: "settled", "active", ...).
    public var finding: AlertFinding
    /// The condition alerted before, when there was one (always for a recovery).
    public var previous: AlertMemory?
    /// The RRNs of the transactions this alert covers: a payout's alert names the sales
    /// carried by it whose own state changed the same way in the same evaluation (they
    /// are not alerted one by one); a transaction's names itself.
    public var rrns: [String]
    /// The keys of the subjects this alert covers (its own, and its folded sales').
    public var covers: [String]

    public var isRecovery: Bool { kind == Alerts.recovered }
}

/// The result of one evaluation.
public struct AlertChanges: Sendable, Hashable {
    /// In order: payouts, then transactions, then accounts; raised before recovered.
    public var alerts: [Alert]
    /// Subjects whose new condition is to be remembered once their alert is sent.
    public var remember: [AlertMemory]
    /// Subjects recovered: to be forgotten once their recovery is sent.
    public var forget: [String]
}

public enum Alerts {
    /// The kind of a recovery alert.
    public static let recovered = "recovered"

    /// The alerts to fire given what was remembered and the subjects read at `now`.
    /// `current` holds every alerting subject and the current line of every remembered
    /// one (a remembered subject not in `current` is left as remembered: it was not read).
    public static func changes(remembered: [AlertMemory], current: [AlertFinding], now: Instant) -> AlertChanges {
        let memory = Dictionary(remembered.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        var raised: [Alert] = [], recovered: [Alert] = []
        for f in current where seen.insert(f.key).inserted {
            let before = memory[f.key]
            if f.alerting {
                if let before, before.state == f.state, before.cause == f.cause { continue }
                raised.append(Alert(kind: f.state, finding: f, previous: before, rrns: f.rrn.map { [$0] } ?? [], covers: [f.key]))
            } else if let before {
                recovered.append(Alert(kind: Self.recovered, finding: f, previous: before, rrns: f.rrn.map { [$0] } ?? [],
                                       covers: [f.key]))
            }
        }
        // A sale whose payout's alert of the same kind fires now is named in that alert.
        var fired: [Alert] = []
        let ordered = (raised + recovered).enumerated()
            .sorted { (order($0.element), $0.offset) < (order($1.element), $1.offset) }.map(\.element)
        var payoutIndex: [String: Int] = [:]
        for a in ordered {
            let f = a.finding
            if f.subject == .transaction, let ref = f.payoutRef,
               let i = payoutIndex[foldKey(kind: a.kind, merchantId: f.merchantId, ref: ref)] {
                fired[i].rrns.append(contentsOf: a.rrns)
                fired[i].covers.append(f.key)
                continue
            }
            if f.subject == .payout, let ref = f.payoutRef {
                payoutIndex[foldKey(kind: a.kind, merchantId: f.merchantId, ref: ref)] = fired.count
            }
            fired.append(a)
        }
        let remember = raised.map { AlertMemory($0.finding, firedAt: now) }
        return AlertChanges(alerts: fired, remember: remember, forget: recovered.map(\.finding.key))
    }

    static func foldKey(kind: String, merchantId: String, ref: String) -> String { kind + "\u{0}" + merchantId + "\u{0}" + ref }

    /// Payouts first (so their sales fold into them), then transactions, then accounts;
    /// a subject's raise before recoveries; stable otherwise.
    static func order(_ a: Alert) -> Int {
        let subject: Int
        switch a.finding.subject {
        case .payout: subject = 0
        case .transaction: subject = 1
        case .account: subject = 2
        }
        return subject * 2 + (a.isRecovery ? 1 : 0)
    }
}
