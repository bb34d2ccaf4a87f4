import Foundation
import GRDB
import PayoutCore

/// Remembers what one reconciliation pass has read, so transactions that share a
/// payout or a merchant do not read the same rows again. Valid for one pass only.
final class EvidenceCache {
    var merchants: [String: Merchant?] = [:]
    var events: [String: [AccountEvent]] = [:]
    var payouts: [PayoutKey: Evidence.PayoutEvidence?] = [:]
    var siblings: [PayoutKey: [Transaction]] = [:]
    var payoutHolds: [PayoutKey: [Hold]] = [:]
    var otherLate: [String: Int] = [:]
    var coverage: [String: ReportCoverage] = [:]
    /// What diagnosis computed about the payouts' lines, for the next sale of each.
    private(set) var memo = DiagnosisMemo()
    /// What `prefetch` read for one batch of transactions, in set queries: the
    /// transactions, the payouts whose lines name their RRNs, and the holds naming
    /// their RRNs. Reconciliation writes none of these tables, so a batch stays true
    /// while its transactions are reconciled.
    private(set) var batch = Batch()

    struct Batch {
        var txns: [Int64: Transaction] = [:]
        /// RRN and merchant -> refs of payouts with a line for the RRN, sorted.
        var itemRefs: [RRNKey: [String]] = [:]
        /// RRN and merchant -> holds naming the RRN, in index order (rrn, id).
        var rrnHolds: [RRNKey: [Hold]] = [:]
        /// The RRNs the batch answers for (an RRN absent here is read one at a time).
        var rrns: Set<RRNKey> = []
    }

    struct RRNKey: Hashable {
        let rrn: String
        let merchantId: String
    }

    /// Forgets everything read so far.
    func clear() {
        merchants = [:]; events = [:]; payouts = [:]; siblings = [:]; payoutHolds = [:]; otherLate = [:]; coverage = [:]
        memo = DiagnosisMemo()
    }

    /// Reads the transactions `ids` and what their RRNs name, one query per table
    /// (ids and RRNs bound as parameters, at most `EvidenceCache.batchSize` a query).
    func prefetch(_ db: Database, ids: [Int64]) throws {
        var b = Batch()
        for row in try Row.fetchAll(try Self.inList(db, "SELECT \(Decode.txnColumns) FROM \(Decode.txnJoin) WHERE t.id IN", ids),
                                    arguments: Self.padded(ids)) {
            b.txns[row[0]] = Decode.transaction(row)
        }
        let rrns = Array(Set(b.txns.values.map(\.rrn)))
        for t in b.txns.values { b.rrns.insert(RRNKey(rrn: t.rrn, merchantId: t.merchantId)) }
        if !rrns.isEmpty {
            for row in try Row.fetchAll(try Self.inList(db, "SELECT DISTINCT rrn, merchantId, payoutRef FROM payoutItem WHERE rrn IN", rrns,
                                                        then: "ORDER BY rrn, merchantId, payoutRef"),
                                        arguments: Self.padded(rrns)) {
                b.itemRefs[RRNKey(rrn: row[0], merchantId: row[1]), default: []].append(row[2])
            }
            for row in try Row.fetchAll(try Self.inList(db, "SELECT * FROM hold WHERE rrn IN", rrns, then: "ORDER BY rrn, id"),
                                        arguments: Self.padded(rrns)) {
                let h = Decode.hold(row)
                if let rrn = h.rrn { b.rrnHolds[RRNKey(rrn: rrn, merchantId: h.merchantId), default: []].append(h) }
            }
        }
        batch = b
    }

    /// The batch size of `prefetch`: well under SQLite's limit on bound parameters.
    static let batchSize = 500

    /// `head (?,?,…) tail` with `batchSize` marks when `values` fit in it (one statement,
    /// prepared once and taken from the connection's cache; `padded` fills the marks),
    /// else as many marks as values.
    static func inList<T>(_ db: Database, _ head: String, _ values: [T], then tail: String = "") throws -> Statement {
        let n = values.count <= batchSize ? batchSize : values.count
        let sql = head + " (" + Array(repeating: "?", count: n).joined(separator: ",") + ") " + tail
        return values.count <= batchSize ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
    }

    /// `values` repeated at their first up to `batchSize` (an IN list is a set: a value
    /// twice matches the same rows once).
    static func padded<T: DatabaseValueConvertible>(_ values: [T]) -> StatementArguments {
        guard let first = values.first, values.count < batchSize else { return StatementArguments(values) }
        return StatementArguments(values + Array(repeating: first, count: batchSize - values.count))
    }
}

/// Reads the evidence diagnosis needs for one transaction or payout.
///
/// Each query goes through an index (txn_rrn, txn_payout, payoutItem_rrn, hold_rrn,
/// hold_payout, accountEvent_at, payout UNIQUE), so the cost does not grow with the store.
enum EvidenceQueries {
    static func transaction(_ db: Database, id: Int64) throws -> Transaction? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT \(Decode.txnColumns) FROM \(Decode.txnJoin) WHERE t.id = ?"), arguments: [id])
            .map(Decode.transaction)
    }

    static func merchant(_ db: Database, _ merchantId: String) throws -> Merchant? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM merchant WHERE merchantId = ?"), arguments: [merchantId]).map(Decode.merchant)
    }

    static func payout(_ db: Database, merchantId: String, ref: String) throws -> Payout? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM payout WHERE merchantId = ? AND ref = ?"), arguments: [merchantId, ref])
            .map(Decode.payout)
    }

    static func items(_ db: Database, merchantId: String, ref: String) throws -> [PayoutItem] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM payoutItem WHERE merchantId = ? AND payoutRef = ? ORDER BY lineNo"),
                         arguments: [merchantId, ref]).map(Decode.item)
    }

    /// Refs of payouts that carry a transaction: the one it names, then any with an item for its RRN.
    /// (`+merchantId` keeps SQLite on payoutItem_rrn: without statistics it otherwise
    /// walks the merchant's every item through the UNIQUE index, once per transaction.)
    static func payoutRefs(_ db: Database, for t: Transaction, cache: EvidenceCache? = nil) throws -> [String] {
        var refs: [String] = []
        if let r = t.payoutRef { refs.append(r) }
        let key = EvidenceCache.RRNKey(rrn: t.rrn, merchantId: t.merchantId)
        if let cache, cache.batch.rrns.contains(key) {
            for r in cache.batch.itemRefs[key] ?? [] where !refs.contains(r) { refs.append(r) }
            return refs
        }
        let more = try String.fetchAll(try db.cachedStatement(sql: """
            SELECT DISTINCT payoutRef FROM payoutItem WHERE rrn = ? AND +merchantId = ? ORDER BY payoutRef
            """), arguments: [t.rrn, t.merchantId])
        for r in more where !refs.contains(r) { refs.append(r) }
        return refs
    }

    static func payoutTransactions(_ db: Database, merchantId: String, ref: String, limit: Int = 500) throws -> [Transaction] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT \(Decode.txnColumns) FROM \(Decode.txnJoin) WHERE t.merchantId = ? AND t.payoutRef = ?
            ORDER BY t.occurredAt LIMIT ?
            """), arguments: [merchantId, ref, limit]).map(Decode.transaction)
    }

    static func holds(_ db: Database, merchantId: String, rrn: String?, payoutRefs: [String]) throws -> [Hold] {
        var out: [Hold] = []
        var seen = Set<String>()
        if let rrn {
            for h in try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM hold WHERE rrn = ? AND merchantId = ?"), arguments: [rrn, merchantId]).map(Decode.hold)
            where seen.insert(h.ref).inserted { out.append(h) }
        }
        for ref in payoutRefs {
            for h in try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM hold WHERE merchantId = ? AND payoutRef = ?"), arguments: [merchantId, ref]).map(Decode.hold)
            where seen.insert(h.ref).inserted { out.append(h) }
        }
        return out.sorted { $0.openedAt < $1.openedAt }
    }

    static func events(_ db: Database, merchantId: String, limit: Int = 50) throws -> [AccountEvent] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM accountEvent WHERE merchantId = ? ORDER BY at DESC LIMIT ?"),
                         arguments: [merchantId, limit]).map(Decode.event).reversed()
    }

    /// Payouts of the same day, other than `excluding`, not paid and past their late time.
    static func otherLatePayouts(_ db: Database, cycleDate: LocalDate, excluding ref: String, now: Instant) throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: """
            SELECT COUNT(*) FROM payout p JOIN payoutState s ON s.payoutId = p.id
            WHERE p.cycleDate = ? AND p.ref != ? AND s.state = 'pending' AND s.lateAfter < ?
            """), arguments: [cycleDate.iso, ref, now.epochMillis]) ?? 0
    }

    /// The evidence about one transaction.
    /// `words: false` leaves the expectation's explanation steps out (a stored state needs none).
    static func forTransaction(_ db: Database, _ t: Transaction, rules: SettlementRules, now: Instant,
                               cache: EvidenceCache = EvidenceCache(), words: Bool = true) throws -> Evidence {
        let mid = t.merchantId
        let merchant: Merchant?
        if let m = cache.merchants[mid] { merchant = m } else {
            merchant = try self.merchant(db, mid)
            cache.merchants[mid] = merchant
        }
        let policy = rules.policy(for: merchant, currency: t.amount.currency)
        let expectation = try expect(db, t, policy: policy, calendar: rules.calendar, words: words)
        let refs = try payoutRefs(db, for: t, cache: cache)
        var payouts: [Evidence.PayoutEvidence] = []
        var others = 0
        for ref in refs {
            let key = PayoutKey(merchantId: mid, ref: ref)
            let evidence: Evidence.PayoutEvidence?
            if let cached = cache.payouts[key] { evidence = cached } else {
                evidence = try payoutEvidence(db, merchantId: mid, ref: ref).map { try BankEvidenceQueries.adding(to: $0, db, rules: rules) }
                cache.payouts[key] = evidence
            }
            guard var evidence else { continue }
            evidence.contract = contract(evidence.contract, including: expectation, carries: evidence, t)
            payouts.append(evidence)
            let day = evidence.payout.cycleDate.iso + "|" + ref
            if let n = cache.otherLate[day] { others = max(others, n) } else {
                let n = try otherLatePayouts(db, cycleDate: evidence.payout.cycleDate, excluding: ref, now: now)
                cache.otherLate[day] = n
                others = max(others, n)
            }
        }
        var siblings: [Transaction] = []
        // The payout's other sales are read against a payout the store holds; with no
        // payout stored they only serve the words (a note's list), not a state.
        if let first = refs.first, words || !payouts.isEmpty {
            let key = PayoutKey(merchantId: mid, ref: first)
            if let s = cache.siblings[key] { siblings = s } else {
                siblings = try payoutTransactions(db, merchantId: mid, ref: first)
                cache.siblings[key] = siblings
            }
        }
        let rrnKey = EvidenceCache.RRNKey(rrn: t.rrn, merchantId: mid)
        var holdList = cache.batch.rrns.contains(rrnKey) ? cache.batch.rrnHolds[rrnKey] ?? []
            : try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM hold WHERE rrn = ? AND merchantId = ?"), arguments: [t.rrn, mid])
                .map(Decode.hold)
        for ref in refs {
            let key = PayoutKey(merchantId: mid, ref: ref)
            let byPayout: [Hold]
            if let h = cache.payoutHolds[key] { byPayout = h } else {
                byPayout = try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM hold WHERE merchantId = ? AND payoutRef = ?"),
                                            arguments: [mid, ref]).map(Decode.hold)
                cache.payoutHolds[key] = byPayout
            }
            for h in byPayout where !holdList.contains(where: { $0.ref == h.ref }) { holdList.append(h) }
        }
        let accountEvents: [AccountEvent]
        if let e = cache.events[mid] { accountEvents = e } else {
            accountEvents = try events(db, merchantId: mid)
            cache.events[mid] = accountEvents
        }
        var evidence = Evidence(transaction: t, expectation: expectation, payouts: payouts, payoutTransactions: siblings,
                                holds: holdList.sorted { $0.openedAt < $1.openedAt }, accountEvents: accountEvents,
                                merchant: merchant, policy: policy, otherLatePayoutsSameDay: others)
        if let c = cache.coverage[mid] { evidence.coverage = c } else {
            let c = try ReportCoverageStore.coverage(db, merchantId: mid)
            cache.coverage[mid] = c
            evidence.coverage = c
        }
        evidence.neighbourCredits = try neighbourCredits(db, payouts.map(\.payout))
        return evidence
    }

    /// For each payout the bank failed or returned, the merchant's credited payouts
    /// nearest before and after it by cycle date (payout_cycle index); none otherwise.
    static func neighbourCredits(_ db: Database, _ payouts: [Payout]) throws -> [Payout] {
        var out: [Payout] = []
        for p in payouts where p.status == .returned || p.status == .failed {
            for (op, order) in [("<", "DESC"), (">", "ASC")] {
                let row = try Row.fetchOne(try db.cachedStatement(sql: """
                    SELECT * FROM payout WHERE merchantId = ? AND cycleDate \(op) ? AND status IN ('paid', 'partial')
                    AND paidMinor IS NOT NULL ORDER BY cycleDate \(order), id \(order) LIMIT 1
                    """), arguments: [p.merchantId, p.cycleDate.iso])
                if let q = row.map(Decode.payout), !out.contains(where: { $0.merchantId == q.merchantId && $0.ref == q.ref }) { out.append(q) }
            }
        }
        return out
    }

    /// The evidence about one payout on its own. With `cache` (one payout pass of
    /// reconciliation, which writes no table these read), a payout's lines, history,
    /// contract and bank evidence, and the payouts related to it, are read once however
    /// many payouts name it.
    static func forPayout(_ db: Database, _ p: Payout, rules: SettlementRules, now: Instant,
                          cache: PayoutPassCache? = nil) throws -> Evidence {
        let merchant = try cache?.merchant(db, p.merchantId) ?? merchant(db, p.merchantId)
        let policy = rules.policy(for: merchant, currency: p.expectedAmount.currency)
        let key = PayoutKey(merchantId: p.merchantId, ref: p.ref)
        let pe: Evidence.PayoutEvidence
        if let hit = cache?.evidence[key], let hit { pe = hit } else {
            let its = try cache?.items(db, merchantId: p.merchantId, ref: p.ref) ?? items(db, merchantId: p.merchantId, ref: p.ref)
            pe = try BankEvidenceQueries.adding(to: Evidence.PayoutEvidence(payout: p, items: its, history: try history(db, merchantId: p.merchantId, ref: p.ref),
                                                contract: try storedContract(db, merchantId: p.merchantId, ref: p.ref)), db, rules: rules)
            cache?.remember(key, pe)
        }
        let relatedRefs = try cache?.related(db, p, items: pe.items) ?? relatedPayouts(db, p, items: pe.items)
        let related = try relatedRefs.compactMap { ref -> Evidence.PayoutEvidence? in
            let k = PayoutKey(merchantId: p.merchantId, ref: ref)
            if let hit = cache?.evidence[k] { return hit }
            let e = try payoutEvidence(db, merchantId: p.merchantId, ref: ref).map { try BankEvidenceQueries.adding(to: $0, db, rules: rules) }
            cache?.remember(k, e)
            return e
        }
        let accountEvents = try cache?.events(db, merchantId: p.merchantId) ?? events(db, merchantId: p.merchantId)
        var evidence = Evidence(transaction: nil, expectation: nil, payouts: [pe] + related,
                                payoutTransactions: try payoutTransactions(db, merchantId: p.merchantId, ref: p.ref),
                                holds: try holds(db, merchantId: p.merchantId, rrn: nil, payoutRefs: [p.ref]),
                                accountEvents: accountEvents, merchant: merchant, policy: policy,
                                otherLatePayoutsSameDay: try otherLatePayouts(db, cycleDate: p.cycleDate, excluding: p.ref, now: now))
        evidence.coverage = try cache?.coverage(db, merchantId: p.merchantId) ?? ReportCoverageStore.coverage(db, merchantId: p.merchantId)
        evidence.neighbourCredits = try neighbourCredits(db, [p])
        return evidence
    }

    /// The expectation of a transaction; under D+0 it counts the quota the merchant
    /// already used on the same trade date.
    static func expect(_ db: Database, _ t: Transaction, policy: SettlementPolicy,
                       calendar: SettlementCalendar, words: Bool = true) throws -> SettlementExpectation? {
        guard let first = try? SettlementExpectation.compute(for: t, policy: policy, calendar: calendar, words: words) else { return nil }
        guard case .d0 = policy.cycle else { return first }
        let used = try d0Used(db, before: t, tradeDate: first.tradeDate)
        return try? SettlementExpectation.compute(for: t, policy: policy, calendar: calendar, d0UsedToday: used, words: words)
    }

    /// D+0 quota already used by the merchant on `tradeDate`, by transactions before `t`.
    static func d0Used(_ db: Database, before t: Transaction, tradeDate day: LocalDate) throws -> Money {
        let used = try Int64.fetchOne(try db.cachedStatement(sql: """
            SELECT COALESCE(SUM(s.d0Minor), 0) FROM txnState s JOIN txn t ON t.id = s.txnId
            WHERE s.merchantId = ? AND s.tradeDate = ? AND s.d0Minor != 0 AND t.occurredAt < ?
            """), arguments: [t.merchantId, day.iso, t.occurredAt.epochMillis]) ?? 0
        return Money(minor: used, currency: t.amount.currency)
    }
}

extension EvidenceQueries {
    /// A payout with its lines, its history and its contract due time.
    static func payoutEvidence(_ db: Database, merchantId: String, ref: String) throws -> Evidence.PayoutEvidence? {
        guard let p = try payout(db, merchantId: merchantId, ref: ref) else { return nil }
        return Evidence.PayoutEvidence(payout: p, items: try items(db, merchantId: merchantId, ref: ref),
                                       history: try history(db, merchantId: merchantId, ref: ref),
                                       contract: try storedContract(db, merchantId: merchantId, ref: ref))
    }

    /// Every state the reports gave a payout, oldest first, with the file and line.
    static func history(_ db: Database, merchantId: String, ref: String) throws -> [PayoutHistoryEntry] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT e.status, e.paidMinor, e.currency, e.creditedAt, e.failureCode, e.line, f.path, f.importedAt
            FROM payoutEvent e JOIN reportFile f ON f.id = e.fileId
            WHERE e.merchantId = ? AND e.payoutRef = ? ORDER BY e.id
            """), arguments: [merchantId, ref]).map { row in
                let c = Decode.currency(row)
                return PayoutHistoryEntry(status: PayoutStatus(rawValue: row["status"]) ?? .scheduled,
                                          paidAmount: Decode.optionalMoney(row, "paidMinor", c),
                                          creditedAt: Decode.instant(row, "creditedAt"), failureCode: row["failureCode"],
                                          seenAt: Instant(epochMillis: row["importedAt"]), sourcePath: row["path"], line: row["line"])
            }
    }

    /// The contract's due and late times of the sales a payout carries (transactions that
    /// name it, and sale lines with an RRN), from their stored expectations; nil when
    /// no sale of it is known. Carry-over releases are not sales: a payout of releases
    /// only is judged by its cycle date.
    static func storedContract(_ db: Database, merchantId: String, ref: String) throws -> PayoutContract? {
        let row = try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT MAX(s.dueBy) AS dueBy, MAX(s.lateAfter) AS lateAfter, COUNT(*) AS n FROM txnState s
            WHERE s.txnId IN (SELECT t.id FROM txn t WHERE t.merchantId = :mid AND t.payoutRef = :ref AND t.amountMinor > 0
                              UNION
                              SELECT t.id FROM payoutItem i JOIN txn t ON t.rrn = i.rrn AND +t.merchantId = i.merchantId
                              WHERE i.merchantId = :mid AND i.payoutRef = :ref AND i.kind = 'transaction' AND t.amountMinor > 0)
            """), arguments: ["mid": merchantId, "ref": ref])
        guard let row, let due = row["dueBy"] as Int64?, let late = row["lateAfter"] as Int64?, (row["n"] as Int) > 0 else { return nil }
        return PayoutContract(dueBy: Instant(epochMillis: due), lateAfter: Instant(epochMillis: late), sales: row["n"])
    }

    /// A payout's contract with the transaction examined in it, when it is one of its sales
    /// (its stored expectation may not be written yet).
    static func contract(_ stored: PayoutContract?, including exp: SettlementExpectation?, carries pe: Evidence.PayoutEvidence,
                         _ t: Transaction) -> PayoutContract? {
        guard let exp, t.amount.minor > 0,
              t.payoutRef == pe.payout.ref || pe.items.contains(where: { $0.kind == .transaction && $0.rrn == t.rrn }) else { return stored }
        guard let stored else { return PayoutContract(dueBy: exp.dueBy, lateAfter: exp.lateAfter, sales: 1) }
        return PayoutContract(dueBy: max(stored.dueBy, exp.dueBy), lateAfter: max(stored.lateAfter, exp.lateAfter), sales: stored.sales)
    }
}

extension EvidenceQueries {
    /// Other payouts whose lines name an RRN of this payout (its lines' or its
    /// transactions'): the candidates diagnosis checks for continuations and re-sends.
    static func relatedPayouts(_ db: Database, _ p: Payout, items: [PayoutItem], limit: Int = 20) throws -> [String] {
        var rrns = Set(items.compactMap(\.rrn))
        rrns.formUnion(try String.fetchAll(try db.cachedStatement(sql: "SELECT rrn FROM txn WHERE merchantId = ? AND payoutRef = ? LIMIT 500"),
                                           arguments: [p.merchantId, p.ref]))
        // One query per 500 RRNs (in RRN order, each RRN's payouts in ref order), not one per RRN.
        var refs: [String] = []
        let sorted = rrns.sorted()
        let size = EvidenceCache.batchSize
        for start in stride(from: 0, to: sorted.count, by: size) {
            let chunk = Array(sorted[start..<min(start + size, sorted.count)])
            let statement = try EvidenceCache.inList(db, "SELECT payoutRef FROM payoutItem WHERE rrn IN", chunk,
                                                     then: "AND +merchantId = ? AND payoutRef != ? GROUP BY rrn, payoutRef ORDER BY rrn, payoutRef")
            for ref in try String.fetchAll(statement, arguments: EvidenceCache.padded(chunk) + [p.merchantId, p.ref]) where !refs.contains(ref) {
                refs.append(ref)
                if refs.count >= limit { return refs }
            }
        }
        return refs
    }
}

/// What one payout pass of reconciliation has read (`EvidenceQueries.forPayout`): each
/// payout's evidence and the payouts related to it. The pass writes only `payoutState`,
/// which none of these read, so they stay true for the pass. Bounded: it starts over
/// after `limit` payouts (payouts go in id order, so related ones come close together).
final class PayoutPassCache {
    private(set) var evidence: [PayoutKey: Evidence.PayoutEvidence?] = [:]
    /// What diagnosis computed about the payouts' lines, for the next payout naming them.
    let memo = DiagnosisMemo()
    private var relatedRefs: [PayoutKey: [String]] = [:]
    private var lines: [PayoutKey: [PayoutItem]] = [:]
    /// The transaction pass just before, whose payouts' lines this pass takes instead of
    /// reading them again (reconciliation writes no payout line).
    private let earlier: EvidenceCache?
    let limit: Int

    init(limit: Int = 2_000, after earlier: EvidenceCache? = nil) {
        self.limit = limit
        self.earlier = earlier
    }

    func remember(_ key: PayoutKey, _ e: Evidence.PayoutEvidence?) {
        if evidence.count >= limit { evidence.removeAll(keepingCapacity: true) }
        evidence[key] = .some(e)
    }

    /// A payout's lines (`EvidenceQueries.items`), read once per pass.
    func items(_ db: Database, merchantId: String, ref: String) throws -> [PayoutItem] {
        let key = PayoutKey(merchantId: merchantId, ref: ref)
        if let hit = lines[key] { return hit }
        let its: [PayoutItem]
        if let seen = earlier?.payouts[key], let seen { its = seen.items } else {
            its = try EvidenceQueries.items(db, merchantId: merchantId, ref: ref)
        }
        if lines.count >= limit { lines.removeAll(keepingCapacity: true) }
        lines[key] = its
        return its
    }

    private var merchants: [String: Merchant?] = [:]
    private var accountEvents: [String: [AccountEvent]] = [:]
    private var coverages: [String: ReportCoverage] = [:]

    /// A merchant's profile, account events and report coverage, read once per pass
    /// (a pass writes none of them; the coverage of the file is recorded before it).
    func merchant(_ db: Database, _ merchantId: String) throws -> Merchant? {
        if let hit = merchants[merchantId] { return hit }
        let m = try EvidenceQueries.merchant(db, merchantId)
        merchants[merchantId] = .some(m)
        return m
    }

    func events(_ db: Database, merchantId: String) throws -> [AccountEvent] {
        if let hit = accountEvents[merchantId] { return hit }
        let e = try EvidenceQueries.events(db, merchantId: merchantId)
        accountEvents[merchantId] = e
        return e
    }

    func coverage(_ db: Database, merchantId: String) throws -> ReportCoverage {
        if let hit = coverages[merchantId] { return hit }
        let c = try ReportCoverageStore.coverage(db, merchantId: merchantId)
        coverages[merchantId] = c
        return c
    }

    func related(_ db: Database, _ p: Payout, items: [PayoutItem]) throws -> [String] {
        let key = PayoutKey(merchantId: p.merchantId, ref: p.ref)
        if let hit = relatedRefs[key] { return hit }
        let refs = try EvidenceQueries.relatedPayouts(db, p, items: items)
        if relatedRefs.count >= limit { relatedRefs.removeAll(keepingCapacity: true) }
        relatedRefs[key] = refs
        return refs
    }
}
