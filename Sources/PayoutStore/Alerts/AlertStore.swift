import Foundation
import GRDB
import PayoutCore

/// The store as `payoutmon alerts` uses it: it reads the ledger like `status` and writes
/// only its own table, `alertSent` (v9-alerts), the alerts already sent. It has no method
/// that writes a ledger table.
public final class AlertStore: @unchecked Sendable {
    private let store: WritableStore

    /// Alerts over a store a writer already holds (`watch` evaluates alerts on its own store).
    public init(_ store: WritableStore) { self.store = store }

    public var path: String { store.path }

    /// Opens an existing store (it is never created here) and brings its schema up to date.
    public static func open(path: String, busyTimeout: TimeInterval = PayoutStore.busyTimeout) throws -> AlertStore {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError(.missingStore, "no store at \(path)") }
        return AlertStore(try PayoutStore.openForWriting(path: path, busyTimeout: busyTimeout))
    }

    /// Reads the ledger in one read transaction, as `PayoutStore.read(rules:_:)`.
    public func read<T>(rules: SettlementRules, _ body: (LedgerReader) throws -> T) throws -> T {
        try store.read(rules: rules, body)
    }

    /// The alerts remembered as sent, by subject key.
    public func remembered() throws -> [AlertMemory] {
        do {
            return try store.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM alertSent ORDER BY subjectKey").compactMap(Self.memory)
            }
        } catch let e as DatabaseError {
            throw PayoutStore.translate(e, path: path)
        }
    }

    /// Remembers the alerts sent (replacing what was remembered of their subjects) and
    /// forgets the subjects whose recovery was sent, in one transaction.
    public func record(remember: [AlertMemory], forget: [String]) throws {
        guard !remember.isEmpty || !forget.isEmpty else { return }
        do {
            try store.writer.write { db in
                for key in forget {
                    try db.execute(sql: "DELETE FROM alertSent WHERE subjectKey = ?", arguments: [key])
                }
                for m in remember {
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO alertSent (subjectKey, subject, state, cause, merchantId, payoutRef, rrn, txnId, firedAt)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [m.key, m.subject.rawValue, m.state, m.cause, m.merchantId, m.payoutRef, m.rrn,
                                         m.transactionId, m.firedAt.epochMillis])
                }
            }
        } catch let e as DatabaseError {
            throw PayoutStore.translate(e, path: path)
        }
    }

    static func memory(_ row: Row) -> AlertMemory? {
        guard let subject = AlertSubject(rawValue: row["subject"]) else { return nil }
        return AlertMemory(key: row["subjectKey"], subject: subject, state: row["state"], cause: row["cause"],
                           merchantId: row["merchantId"], payoutRef: row["payoutRef"], rrn: row["rrn"],
                           transactionId: row["txnId"], firedAt: Instant(epochMillis: row["firedAt"]))
    }
}

extension LedgerReader {
    /// The store was upgraded and its states wait for their one recompute (v8-recompute):
    /// lateness may be stale, as `status` warns.
    public func statesNeedRecompute() throws -> Bool { try PayoutStore.needsRecompute(db) }

    /// What alerts are judged on at `now`: every payout and transaction `status` lists as
    /// needing attention (the same queries, `attentionPayouts` and `attentionTransactions`,
    /// the latter's pending lines with a moved date left out: they are not problems),
    /// every account not active, and the current line of each remembered subject (so a
    /// recovery is seen, and a subject beyond `limit` is still judged). `truncated` is
    /// true when a list reached `limit`.
    public func alertFindings(now: Instant, remembered: [AlertMemory], limit: Int) throws -> (findings: [AlertFinding], truncated: Bool) {
        let shops = Dictionary(try merchants().map { ($0.merchantId, $0.name) }, uniquingKeysWith: { a, _ in a })
        var out: [AlertFinding] = []
        let payouts = try attentionPayouts(now: now, limit: limit)
        out += payouts.map { AlertFinding(payout: $0, now: now, shop: shops[$0.payout.merchantId]) }
        let txns = try attentionTransactions(now: now, limit: limit)
        out += txns.map { AlertFinding(transaction: $0, now: now, shop: shops[$0.transaction.merchantId]) }.filter(\.alerting)
        out += try accounts(now: now).map(AlertFinding.init(account:))
        var seen = Set(out.map(\.key))
        for m in remembered where !seen.contains(m.key) {
            seen.insert(m.key)
            switch m.subject {
            case .payout:
                if let ref = m.payoutRef, let l = try payoutLine(merchantId: m.merchantId, ref: ref) {
                    out.append(AlertFinding(payout: l, now: now, shop: shops[m.merchantId]))
                }
            case .transaction:
                if let id = m.transactionId, let l = try transactionLine(id: id) {
                    out.append(AlertFinding(transaction: l, now: now, shop: shops[m.merchantId]))
                }
            case .account:
                break  // every merchant's account is read above
            }
        }
        return (out, payouts.count >= limit || txns.count >= limit)
    }
}
