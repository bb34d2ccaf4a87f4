import Foundation
import GRDB
import PayoutCore
import PayoutFormats

/// Keeps `txnState` and `payoutState` up to date as reports arrive.
///
/// Incremental: after an import it revisits only the new transactions, the transactions
/// of payouts the import touched (by the payout they name or an item with their RRN)
/// and those named by touched holds. The work is proportional to those rows, not to
/// the store. `recomputeAll` rebuilds every state from scratch; tests check both agree.
struct Reconciler {
    let db: Database
    let rules: SettlementRules
    let now: Instant
    let cache = EvidenceCache()
    /// Transactions reconciled between cache flushes: bounds a big pass's memory (the
    /// cache holds payouts, their lines and their transactions) without losing its use
    /// (transactions go in time order, so a payout's transactions come together).
    var cacheSpan = 20_000
    /// Transactions read per batch (`EvidenceCache.prefetch`); 0 reads one at a time.
    var batchSize = EvidenceCache.batchSize
    /// Called after each batch of `reconcileTransactions` with the transactions it has
    /// done and the number it was given.
    var progress: ((_ done: Int, _ of: Int) -> Void)?
    /// Called now and then during `apply`'s payout pass with the payouts done and their number.
    var payoutProgress: ((_ done: Int, _ of: Int) -> Void)?
    /// Whether many states are written with `txnState`'s indexes and total triggers set
    /// aside (`SetAside`): the indexes are built once and the totals added up once.
    var bulk: BulkMode = .auto
    /// The one `txnState` index reconciliation reads while it writes states (the D+0
    /// quota already used); it stays through a bulk pass.
    static let indexReadWhileReconciling = "txnState_d0"

    /// Reconciles what one import touched.
    func apply(newTxnIds: [Int64], touchedPayouts: Set<PayoutKey>, touchedRRNs: Set<String>,
               touchedMerchants: Set<String>) throws {
        var txnIds = Set(newTxnIds)
        var payoutKeys = touchedPayouts
        // An account event or hold can change the diagnosis of any unsettled money of its merchant.
        for mid in touchedMerchants {
            txnIds.formUnion(try Int64.fetchAll(try db.cachedStatement(sql: "SELECT txnId FROM txnState WHERE merchantId = ? AND state != 'settled'"),
                                                arguments: [mid]))
            for ref in try String.fetchAll(try db.cachedStatement(sql: """
                SELECT p.ref FROM payoutState s JOIN payout p ON p.id = s.payoutId
                WHERE p.merchantId = ? AND s.state != 'settled'
                """), arguments: [mid]) { payoutKeys.insert(PayoutKey(merchantId: mid, ref: ref)) }
        }
        for key in touchedPayouts {
            txnIds.formUnion(try Int64.fetchAll(try db.cachedStatement(sql: "SELECT id FROM txn WHERE merchantId = ? AND payoutRef = ?"),
                                                arguments: [key.merchantId, key.ref]))
            // `+t.merchantId`: look the RRN up in txn_rrn; without statistics SQLite would
            // walk every transaction of the merchant through the UNIQUE index, per item.
            txnIds.formUnion(try Int64.fetchAll(try db.cachedStatement(sql: """
                SELECT t.id FROM payoutItem i JOIN txn t ON t.rrn = i.rrn AND +t.merchantId = i.merchantId
                WHERE i.merchantId = ? AND i.payoutRef = ? AND i.rrn IS NOT NULL
                """), arguments: [key.merchantId, key.ref]))
        }
        // The transactions with a touched RRN, 500 RRNs a query.
        let rrns = Array(touchedRRNs)
        for start in stride(from: 0, to: rrns.count, by: EvidenceCache.batchSize) {
            let part = Array(rrns[start..<min(start + EvidenceCache.batchSize, rrns.count)])
            txnIds.formUnion(try Int64.fetchAll(try EvidenceCache.inList(db, "SELECT id FROM txn WHERE rrn IN", part),
                                                arguments: EvidenceCache.padded(part)))
        }
        // Oldest first, so D+0 quota use accumulates in trade order.
        try reconcileTransactions(try orderByTime(Array(txnIds)))
        // A payout carrying on another (a continuation, a re-send) changes what that one
        // is owed: reconcile the payouts whose sales a touched payout names too.
        let payoutPass = PayoutPassCache(after: cache)
        for key in touchedPayouts {
            guard let p = try EvidenceQueries.payout(db, merchantId: key.merchantId, ref: key.ref) else { continue }
            let items = try payoutPass.items(db, merchantId: key.merchantId, ref: key.ref)
            for ref in try payoutPass.related(db, p, items: items) {
                payoutKeys.insert(PayoutKey(merchantId: key.merchantId, ref: ref))
            }
        }
        var payoutIds = Set<Int64>()
        for key in payoutKeys {
            if let id = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT id FROM payout WHERE merchantId = ? AND ref = ?"),
                                           arguments: [key.merchantId, key.ref]) { payoutIds.insert(id) }
        }
        for (n, id) in payoutIds.sorted().enumerated() {
            try reconcilePayout(id: id, cache: payoutPass)
            if (n + 1) % 100 == 0 || n + 1 == payoutIds.count { payoutProgress?(n + 1, payoutIds.count) }
        }
    }

    /// Rebuilds every state.
    func recomputeAll() throws {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM txn ORDER BY occurredAt, id")
        // Every state is rewritten: set the indexes and triggers aside before the delete
        // too (else it runs the total triggers once per row).
        let aside = bulk.applies(rows: ids.count, stored: 0) ? try setAsideStateIndexes() : nil
        try db.execute(sql: "DELETE FROM txnState; DELETE FROM payoutState;")
        try reconcileTransactions(ids, mayBulk: aside == nil)
        try aside?.restore(db)
        try recomputePayouts()
    }

    private func setAsideStateIndexes() throws -> SetAside {
        try SetAside.drop(db, table: "txnState", keep: [Self.indexReadWhileReconciling], triggers: true)
    }

    /// Rebuilds every payout's state (after every transaction's).
    func recomputePayouts() throws {
        try db.execute(sql: "DELETE FROM payoutState")
        let pass = PayoutPassCache(after: cache)
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM payout ORDER BY id") { try reconcilePayout(id: id, cache: pass) }
    }

    /// Recomputes the states of up to `limit` transactions that come after `after` in the
    /// order `recomputeAll` takes (trade time, then id), and returns them. A transaction's
    /// state reads the states of transactions traded before it (the D+0 quota used),
    /// which earlier chunks wrote, and its payout's contract (the latest due time of its
    /// sales' stored states), which it reads as an incremental import does; the states
    /// of the transactions not reached yet stay as they were until their chunk.
    func recomputeTransactions(after: (occurredAt: Int64, id: Int64)?, limit: Int) throws -> [Int64] {
        let ids: [Int64]
        if let after {
            ids = try Int64.fetchAll(db, sql: """
                SELECT id FROM txn WHERE occurredAt > ? OR (occurredAt = ? AND id > ?) ORDER BY occurredAt, id LIMIT ?
                """, arguments: [after.occurredAt, after.occurredAt, after.id, limit])
        } else {
            ids = try Int64.fetchAll(db, sql: "SELECT id FROM txn ORDER BY occurredAt, id LIMIT ?", arguments: [limit])
        }
        try reconcileTransactions(ids)
        return ids
    }

    /// Reconciles transactions in the order given, reading them and what their RRNs
    /// name in batches (`EvidenceCache.prefetch`: one query per table per batch).
    /// A `batchSize` of 0 reads each transaction on its own (the tests compare the two).
    private func reconcileTransactions(_ ordered: [Int64], mayBulk: Bool = true) throws {
        var aside: SetAside?
        if mayBulk, !ordered.isEmpty,
           bulk.applies(rows: ordered.count, stored: try Int.fetchOne(db, sql: "SELECT MAX(txnId) FROM txnState") ?? 0) {
            aside = try setAsideStateIndexes()
        }
        let size = max(1, batchSize)
        for start in stride(from: 0, to: ordered.count, by: size) {
            let end = min(start + size, ordered.count)
            if batchSize > 0 { try cache.prefetch(db, ids: Array(ordered[start..<end])) }
            for n in start..<end {
                if n > 0 && n % cacheSpan == 0 { cache.clear() }
                try reconcileTransaction(id: ordered[n])
            }
            progress?(end, ordered.count)
        }
        try aside?.restore(db)
    }

    private func orderByTime(_ ids: [Int64]) throws -> [Int64] {
        guard ids.count > 1 else { return ids }
        var out: [(Int64, Int64)] = []
        out.reserveCapacity(ids.count)
        let size = EvidenceCache.batchSize
        for chunk in stride(from: 0, to: ids.count, by: size) {
            let part = Array(ids[chunk..<min(chunk + size, ids.count)])
            for row in try Row.fetchAll(try EvidenceCache.inList(db, "SELECT id, occurredAt FROM txn WHERE id IN", part),
                                        arguments: EvidenceCache.padded(part)) {
                out.append((row["occurredAt"], row["id"]))
            }
        }
        return out.sorted { $0 < $1 }.map(\.1)
    }

    /// The state upsert, not INSERT OR REPLACE: a replace deletes the old row without
    /// firing the delete triggers that keep the running totals right.
    static let upsertState = """
            INSERT INTO txnState (txnId, merchantId, tradeDate, expectedCreditAt, dueBy, lateAfter, expectedNetMinor,
                                  feeMinor, d0Minor, state, cause, payoutRef, receivedMinor, currency)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT (txnId) DO UPDATE SET
                merchantId = excluded.merchantId, tradeDate = excluded.tradeDate, expectedCreditAt = excluded.expectedCreditAt,
                dueBy = excluded.dueBy, lateAfter = excluded.lateAfter, expectedNetMinor = excluded.expectedNetMinor,
                feeMinor = excluded.feeMinor, d0Minor = excluded.d0Minor, state = excluded.state, cause = excluded.cause,
                payoutRef = excluded.payoutRef, receivedMinor = excluded.receivedMinor, currency = excluded.currency
            """

    /// Stored state: the diagnosis at import time, with `late` kept as `pending` (late is
    /// decided when read, from `lateAfter`).
    static func stored(_ s: MoneyState) -> MoneyState { s == .late ? .pending : s }

    /// Diagnoses one transaction and writes its state (`upsertState`).
    func reconcileTransaction(id: Int64) throws {
        guard let t = try cache.batch.txns[id] ?? EvidenceQueries.transaction(db, id: id) else { return }
        // Codes and figures only: the text is built when a screen or a note asks for it.
        let evidence = try EvidenceQueries.forTransaction(db, t, rules: rules, now: now, cache: cache, words: false)
        let diagnosis = Diagnosis.diagnose(evidence, now: now, includeRuledOut: false, words: false, memo: cache.memo)
        let e = evidence.expectation
        let fallback = t.occurredAt.epochMillis
        try RawStatement(db, cachedSQL: Self.upsertState).run { b in
            b.add(id); b.add(t.merchantId); b.add(e?.tradeDate.iso ?? LocalDateTime(t.occurredAt, in: rules.policy.timeZone).date.iso)
            b.add(e?.expectedCredit.epochMillis ?? fallback); b.add(e?.dueBy.epochMillis ?? fallback)
            b.add(e?.lateAfter.epochMillis ?? fallback); b.add(diagnosis.expected.minor); b.add(e?.fee.total.minor ?? 0)
            b.add(e?.d0Amount.minor ?? 0); b.add(Self.stored(diagnosis.state).rawValue); b.add(diagnosis.primary?.rawValue)
            b.add(evidence.payouts.first?.payout.ref ?? t.payoutRef); b.add(diagnosis.received.minor)
            b.add(t.amount.currency.code)
        }
    }

    func reconcilePayout(id: Int64, cache: PayoutPassCache? = nil) throws {
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM payout WHERE id = ?"), arguments: [id]) else { return }
        let p = Decode.payout(row)
        let evidence = try EvidenceQueries.forPayout(db, p, rules: rules, now: now, cache: cache)
        let diagnosis = Diagnosis.diagnosePayout(evidence, now: now, includeRuledOut: false, words: false, memo: cache?.memo)
        let items = evidence.payouts.first?.items ?? []
        let itemsMinor = items.filter { $0.kind != .carryOver && $0.kind != .hold }.reduce(Int64(0)) { $0 &+ $1.amount.minor }
        // The late time the diagnosis judged by: the contract's, unless the acquirer's is earlier.
        let late = diagnosis.lateAfter ?? evidence.policy.payoutLateAfter(cycleDate: p.cycleDate, expectedArrival: p.expectedArrival)
        let lateBy = diagnosis.arrivedLateBy
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO payoutState (payoutId, lateAfter, itemsMinor, state, cause, dueAt, arrivedLateAt, arrivedLateMinutes)
            VALUES (?,?,?,?,?,?,?,?)
            """).execute(arguments: [id, late.epochMillis, itemsMinor, Self.stored(diagnosis.state).rawValue, diagnosis.primary?.rawValue,
                                     (p.expectedArrival ?? late).epochMillis,
                                     lateBy == nil ? nil : diagnosis.shares.filter { $0.arrivedLateBy != nil }.compactMap(\.creditedAt).max()?.epochMillis,
                                     lateBy.map { $0 / 60 }])
    }
}

extension WritableStore {
    /// Recomputes every transaction's and payout's state from the stored reports, in one
    /// write transaction. `progress` is called now and then with the transactions done
    /// and their number.
    public func recomputeStates(rules: SettlementRules, now: Instant,
                                progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws {
        try recomputeStates(rules: rules, now: now, cacheSpan: 20_000, progress: progress)
    }

    func recomputeStates(rules: SettlementRules, now: Instant, cacheSpan: Int, batchSize: Int = EvidenceCache.batchSize,
                         bulk: BulkMode = .auto, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws {
        try writer.write { db in
            // Bank matches first: the states read them.
            let banked = try String.fetchAll(db, sql: "SELECT DISTINCT merchantId FROM bankStatement WHERE merchantId IS NOT NULL")
            if !banked.isEmpty { _ = try BankMatching(db: db, rules: rules).run(merchants: Set(banked)) }
            var r = Reconciler(db: db, rules: rules, now: now)
            r.cacheSpan = cacheSpan
            r.batchSize = batchSize
            r.bulk = bulk
            if let progress {
                let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM txn") ?? 0
                r.progress = { done, _ in progress(done, total) }
            }
            try r.recomputeAll()
            // The upgrade's mark goes with the recompute that honours it.
            try db.execute(sql: "DELETE FROM recomputeNeeded")
        }
    }

    /// Whether an upgrade left states to recompute (`recomputeNeeded`, v8-recompute).
    public var needsRecompute: Bool {
        get throws { try writer.read { db in try Self.needsRecompute(db) } }
    }

    /// Transactions per write transaction of the upgrade's recompute.
    public static let recomputeChunk = 20_000

    /// Recomputes every state once when the store was upgraded from a schema whose
    /// derived data (late arrivals, awaiting-report states) it did not yet have;
    /// commands that write and have the rules call it when they open the store.
    ///
    /// It commits `chunk` transactions at a time (trade order, as `recomputeStates`), and
    /// each chunk writes how far it got into the mark's reason ("…; done through txn id
    /// N"), so an interrupted recompute keeps its work and the next call goes on after
    /// transaction N. The chunk that does the last transactions recomputes the payouts'
    /// states and deletes the mark. `progress` gets the transactions done of their number.
    ///
    /// - Returns: true when it recomputed.
    @discardableResult
    public func recomputeIfUpgraded(rules: SettlementRules, now: Instant,
                                    progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> Bool {
        try recomputeUpgraded(rules: rules, now: now, chunk: Self.recomputeChunk, maxChunks: nil, progress: progress)
    }

    /// `maxChunks` stops after that many chunks (the tests' interruption).
    func recomputeUpgraded(rules: SettlementRules, now: Instant, chunk: Int, maxChunks: Int?,
                           progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?) throws -> Bool {
        guard try needsRecompute else { return false }
        var chunks = 0
        while maxChunks.map({ chunks < $0 }) ?? true {
            chunks += 1
            let finished = try writer.write { db -> Bool in
                // Read again inside the write: another writer may have gone on meanwhile.
                guard let reason = try String.fetchOne(db, sql: "SELECT reason FROM recomputeNeeded") else { return true }
                let mark = RecomputeMark(reason)
                var after: (occurredAt: Int64, id: Int64)?
                if let id = mark.doneThrough, let at = try Int64.fetchOne(db, sql: "SELECT occurredAt FROM txn WHERE id = ?", arguments: [id]) {
                    after = (at, id)
                } else {
                    // The first chunk: bank matches first, the states read them.
                    let banked = try String.fetchAll(db, sql: "SELECT DISTINCT merchantId FROM bankStatement WHERE merchantId IS NOT NULL")
                    if !banked.isEmpty { _ = try BankMatching(db: db, rules: rules).run(merchants: Set(banked)) }
                }
                var r = Reconciler(db: db, rules: rules, now: now)
                var before = 0
                if let progress {
                    let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM txn") ?? 0
                    if let after {
                        before = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM txn WHERE occurredAt < ? OR (occurredAt = ? AND id <= ?)",
                                                  arguments: [after.occurredAt, after.occurredAt, after.id]) ?? 0
                    }
                    let base = before
                    r.progress = { done, _ in progress(base + done, total) }
                }
                let done = try r.recomputeTransactions(after: after, limit: max(1, chunk))
                if let last = done.last, done.count == max(1, chunk) {
                    try db.execute(sql: "UPDATE recomputeNeeded SET reason = ?", arguments: [mark.reason(doneThrough: last)])
                    return false
                }
                try r.recomputePayouts()
                try db.execute(sql: "DELETE FROM recomputeNeeded")
                return true
            }
            if finished { return true }
        }
        return true
    }
}

/// The upgrade mark's reason, with how far its recompute got:
/// "upgraded to v8-recompute; done through txn id 40000".
struct RecomputeMark {
    static let marker = "; done through txn id "
    /// The reason the upgrade wrote, without the progress.
    let base: String
    let doneThrough: Int64?

    init(_ reason: String) {
        if let r = reason.range(of: Self.marker, options: .backwards), let id = Int64(reason[r.upperBound...]) {
            base = String(reason[..<r.lowerBound])
            doneThrough = id
        } else {
            base = reason
            doneThrough = nil
        }
    }

    func reason(doneThrough id: Int64) -> String { base + Self.marker + String(id) }
}

extension PayoutStore {
    static func needsRecompute(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM recomputeNeeded") ?? false
    }
}
