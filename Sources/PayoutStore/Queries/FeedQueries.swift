import Foundation
import GRDB
import PayoutCore

extension PayoutStore {
    /// Runs `body` inside one read transaction with the queries a simulated feed reads to
    /// continue what the store holds, so everything it reads is one consistent view.
    public func readFeedHistory<T>(_ body: (FeedHistory) throws -> T) throws -> T {
        do {
            return try reader.read { db in try body(FeedHistory(db: db)) }
        } catch let e as DatabaseError {
            throw PayoutStore.translate(e, path: path)
        }
    }
}

/// What a restarted feed picks up from the store: its merchants and terminals, where
/// each terminal's numbering stopped, the payouts on their way and the transactions
/// still waiting for one. Each query returns plain values.
public struct FeedHistory {
    let db: Database

    /// A terminal of a merchant, as the reports named it.
    public struct Terminal: Sendable, Hashable {
        public let id: String
        public let name: String
    }

    /// A terminal's newest transaction: its batch and trace numbers, as written.
    public struct LastTransaction: Sendable, Hashable {
        public let batchNo: String
        public let traceNo: String
        public let occurredAt: Instant
    }

    /// A payout scheduled or processing, with the number of its item lines.
    public struct MovingPayout: Sendable, Hashable {
        public let ref: String
        public let status: PayoutStatus
        public let expectedMinor: Int64
        /// Nil when the stored date does not parse.
        public let cycleDate: LocalDate?
        public let expectedArrival: Instant?
        public let itemLines: Int
    }

    /// A transaction still waiting for its payout (pending, or awaiting a report covering
    /// its day) that names no payout, with the refs of the payouts whose
    /// lines carry its RRN (empty when none does yet).
    public struct WaitingTransaction: Sendable, Hashable {
        public let terminalId: String
        public let rrn: String
        public let kind: TxnKind
        public let cardKind: CardKind
        public let amountMinor: Int64
        public let occurredAt: Instant
        public let d0Minor: Int64
        public let payoutRefs: [String]
    }

    /// The first `limit` merchants, by MID.
    public func merchants(limit: Int) throws -> [Merchant] {
        try Row.fetchAll(db, sql: "SELECT * FROM merchant ORDER BY merchantId LIMIT ?", arguments: [limit]).map(Decode.merchant)
    }

    /// The merchant's account state at `now`, by its latest event then: active when no event says otherwise.
    public func accountState(merchantId: String, at now: Instant) throws -> AccountState {
        try String.fetchOne(db, sql: """
            SELECT state FROM accountEvent WHERE merchantId = ? AND at <= ? ORDER BY at DESC LIMIT 1
            """, arguments: [merchantId, now.epochMillis]).flatMap(AccountState.init(rawValue:)) ?? .active
    }

    /// The merchant's first `limit` terminals, by id.
    public func terminals(merchantId: String, limit: Int) throws -> [Terminal] {
        try Row.fetchAll(db, sql: """
            SELECT terminalId, name FROM terminal WHERE merchantId = ? ORDER BY terminalId LIMIT ?
            """, arguments: [merchantId, limit]).map { Terminal(id: $0["terminalId"], name: $0["name"]) }
    }

    /// The terminal's newest transaction at or before `now`.
    public func lastTransaction(terminalId: String, merchantId: String, notAfter now: Instant) throws -> LastTransaction? {
        try Row.fetchOne(db, sql: """
            SELECT batchNo, traceNo, occurredAt FROM txn WHERE terminalId = ? AND merchantId = ? AND occurredAt <= ?
            ORDER BY occurredAt DESC LIMIT 1
            """, arguments: [terminalId, merchantId, now.epochMillis]).map {
            LastTransaction(batchNo: $0["batchNo"], traceNo: $0["traceNo"], occurredAt: Instant(epochMillis: $0["occurredAt"]))
        }
    }

    /// The largest RRN of `length` digits that starts with the digits `prefix`.
    public func largestRRN(prefix: String, length: Int) throws -> String? {
        let low = prefix + String(repeating: "0", count: max(0, length - prefix.count))
        return try String.fetchOne(db, sql: "SELECT MAX(rrn) FROM txn WHERE rrn >= ? AND rrn < ? AND length(rrn) = ?",
                                   arguments: [low, prefix + ":", length])   // ':' sorts right after '9'
    }

    /// The D+0 part of the merchant's transactions of `tradeDate`, in minor units; nil when there is none.
    public func d0Used(merchantId: String, tradeDate: LocalDate) throws -> Int64? {
        try Int64.fetchOne(db, sql: """
            SELECT SUM(d0Minor) FROM txnState WHERE merchantId = ? AND tradeDate = ? AND d0Minor != 0
            """, arguments: [merchantId, tradeDate.iso])
    }

    /// The gross of the terminal's sales (positive amounts) since `since`; nil when there is none.
    public func salesGross(terminalId: String, merchantId: String, since: Instant) throws -> Int64? {
        try Int64.fetchOne(db, sql: """
            SELECT SUM(amountMinor) FROM txn WHERE terminalId = ? AND merchantId = ? AND occurredAt >= ? AND amountMinor > 0
            """, arguments: [terminalId, merchantId, since.epochMillis])
    }

    /// The merchant's payouts scheduled or processing whose ref starts with one of `refPrefixes`.
    public func movingPayouts(merchantId: String, refPrefixes: [String]) throws -> [MovingPayout] {
        guard !refPrefixes.isEmpty else { return [] }
        let refs = refPrefixes.map { _ in "p.ref LIKE ?" }.joined(separator: " OR ")
        return try Row.fetchAll(db, sql: """
            SELECT p.ref, p.status, p.expectedMinor, p.cycleDate, p.expectedArrival,
                   (SELECT COUNT(*) FROM payoutItem i WHERE i.merchantId = p.merchantId AND i.payoutRef = p.ref) AS lines
            FROM payout p WHERE p.merchantId = ? AND p.status IN ('scheduled', 'processing')
              AND (\(refs))
            """, arguments: StatementArguments([merchantId] + refPrefixes.map { $0 + "%" })).map { row in
            MovingPayout(ref: row["ref"], status: PayoutStatus(rawValue: row["status"]) ?? .scheduled,
                         expectedMinor: row["expectedMinor"], cycleDate: LocalDate(iso: row["cycleDate"]),
                         expectedArrival: (row["expectedArrival"] as Int64?).map(Instant.init(epochMillis:)),
                         itemLines: row["lines"])
        }
    }

    /// The merchant's transactions still waiting for their payout (pending or awaiting
    /// report) since `since` that name no payout, from report
    /// files whose name starts with `filePrefix`, oldest first.
    public func waitingTransactions(merchantId: String, since: Instant, filePrefix: String) throws -> [WaitingTransaction] {
        try Row.fetchAll(db, sql: """
            SELECT t.terminalId, t.rrn, t.kind, t.cardKind, t.amountMinor, t.occurredAt, s.d0Minor,
                   (SELECT group_concat(i.payoutRef) FROM payoutItem i WHERE i.rrn = t.rrn AND i.merchantId = t.merchantId) AS refs
            FROM txnState s JOIN txn t ON t.id = s.txnId
            WHERE s.merchantId = ? AND s.state IN ('pending', 'awaiting') AND t.payoutRef IS NULL AND t.occurredAt >= ?
              AND t.fileId IN (SELECT id FROM reportFile WHERE path LIKE ?)
            ORDER BY t.occurredAt, t.id
            """, arguments: [merchantId, since.epochMillis, filePrefix + "%"]).map { row in
            WaitingTransaction(terminalId: row["terminalId"], rrn: row["rrn"],
                               kind: TxnKind(rawValue: row["kind"]) ?? .sale,
                               cardKind: CardKind(rawValue: row["cardKind"]) ?? .other, amountMinor: row["amountMinor"],
                               occurredAt: Instant(epochMillis: row["occurredAt"]), d0Minor: row["d0Minor"],
                               payoutRefs: ((row["refs"] as String?) ?? "").split(separator: ",").map(String.init))
        }
    }
}
