import Foundation
import GRDB
import PayoutCore
import PayoutFormats

/// Runs the simulated acquirer feed against a store: each step makes a batch with
/// `FeedGenerator` and imports its files through the same path as real reports
/// (`importData`, canonical format, one database transaction per file).
///
/// Owns its writable store connection; use it from one thread at a time.
public final class FeedSimulator {
    public let store: PayoutStore
    public let rules: SettlementRules
    public private(set) var generator: FeedGenerator
    /// Files made but not yet imported (an import failed): imported first at the next step.
    private var pending: [FeedFile] = []
    private var fileNumber = 0

    /// Prepares a feed for `store`: it trades for the store's merchants (the first 20),
    /// on their terminals, continuing their batch and trace numbers and the payouts an
    /// earlier run left open; a store without merchants gets two invented shops.
    public init(store: PayoutStore, rules: SettlementRules, options: FeedOptions, now: Instant) throws {
        precondition(!store.isReadOnly, "the feed needs a writable store")
        self.store = store
        self.rules = rules
        self.generator = try FeedSimulator.resume(store: store, rules: rules, options: options, now: now)
    }

    /// Makes the batch for `now` and imports it. Returns the batch (its files are in the store).
    ///
    /// - Parameter limit: at most this many new transactions.
    /// - Throws: the first import error; the files not imported stay queued for the next step.
    @discardableResult
    public func step(now: Instant, limit: Int? = nil) throws -> FeedBatch {
        try flush(now: now)
        let batch = generator.tick(now: now, limit: limit)
        pending = batch.files
        try flush(now: now)
        return batch
    }

    private func flush(now: Instant) throws {
        while let file = pending.first {
            fileNumber += 1
            let l = LocalDateTime(now, in: rules.policy.timeZone)
            let name = "feed/" + FeedGenerator.compact(l.date) + "-" + FeedGenerator.digits(l.secondOfDay, 5) + "-"
                + FeedGenerator.digits(fileNumber, 6) + "-" + file.kind + ".csv"
            _ = try store.importData(Data(file.text.utf8), name: name,
                                     options: ImportOptions(format: .canonical, timeZone: rules.policy.timeZone, rules: rules, now: now))
            pending.removeFirst()
        }
    }

    // MARK: - Picking up what the store holds

    static let maxShops = 20

    static func resume(store: PayoutStore, rules: SettlementRules, options: FeedOptions, now: Instant) throws -> FeedGenerator {
        let zone = rules.policy.timeZone
        let today = LocalDateTime(now, in: zone).date
        var shops: [FeedShop] = []
        var resume = FeedResume()
        var writeMerchants = false
        try store.writer.read { db in
            let merchants = try Row.fetchAll(db, sql: "SELECT * FROM merchant ORDER BY merchantId LIMIT ?", arguments: [maxShops])
                .map(Decode.merchant)
            for m in merchants {
                let state = try String.fetchOne(db, sql: """
                    SELECT state FROM accountEvent WHERE merchantId = ? AND at <= ? ORDER BY at DESC LIMIT 1
                    """, arguments: [m.merchantId, now.epochMillis]).flatMap(AccountState.init(rawValue:)) ?? .active
                var terminals = try Row.fetchAll(db, sql: """
                    SELECT terminalId, name FROM terminal WHERE merchantId = ? ORDER BY terminalId LIMIT 8
                    """, arguments: [m.merchantId]).map { FeedTerminal(id: $0["terminalId"], name: $0["name"]) }
                if terminals.isEmpty {
                    terminals = [FeedTerminal(id: "T" + String(m.merchantId.suffix(7)), name: "收银台")]
                }
                let policy = rules.policy(for: m, currency: m.currency)
                for i in terminals.indices {
                    try continueTerminal(&terminals[i], merchantId: m.merchantId, db: db, policy: policy, now: now)
                }
                // Busy shops with several terminals take more of the traffic.
                shops.append(FeedShop(merchant: m, terminals: terminals, accountState: state, weight: terminals.count))
            }
            if shops.isEmpty {
                shops = FeedShop.defaults(currency: rules.policy.currency)
                writeMerchants = true
            }
            resume.rrnSequence = try lastRRNSequence(db, today: today)
        }
        var generator = FeedGenerator(shops: shops, rules: rules, options: options, start: now,
                                      writeMerchants: writeMerchants, resume: resume)
        if !writeMerchants {
            try store.writer.read { db in try openWork(db, generator: &generator, now: now) }
        }
        return generator
    }

    /// Continues a terminal's batch and trace numbers from its last transaction.
    static func continueTerminal(_ t: inout FeedTerminal, merchantId: String, db: Database, policy: SettlementPolicy,
                                 now: Instant) throws {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT batchNo, traceNo, occurredAt FROM txn WHERE terminalId = ? AND merchantId = ? AND occurredAt <= ?
            ORDER BY occurredAt DESC LIMIT 1
            """, arguments: [t.id, merchantId, now.epochMillis]) else { return }
        t.batchNo = Int(row["batchNo"] as String) ?? 1
        t.trace = Int(row["traceNo"] as String) ?? 0
        let at = Instant(epochMillis: row["occurredAt"])
        t.batchDate = policy.tradeDate(of: at)
    }

    /// The sequence part of the largest RRN of today's prefix, so new RRNs follow it.
    static func lastRRNSequence(_ db: Database, today: LocalDate) throws -> Int64? {
        let dayOfYear = today.dayNumber - LocalDate(year: today.year, month: 1, day: 1)!.dayNumber + 1
        let prefix = String(today.year % 10) + FeedGenerator.digits(dayOfYear, 3)
        guard let rrn = try String.fetchOne(db, sql: "SELECT MAX(rrn) FROM txn WHERE rrn >= ? AND rrn < ? AND length(rrn) = 12",
                                            arguments: [prefix + "00000000", prefix + ":"]),
              let seq = Int64(rrn.suffix(8)) else { return nil }
        return seq
    }

    /// Payouts earlier runs left on their way, transactions they made that no payout
    /// carries yet, and today's D+0 quota and gross per shop.
    static func openWork(_ db: Database, generator: inout FeedGenerator, now: Instant) throws {
        let since = now.adding(days: -10).epochMillis
        for shop in generator.shops {
            let m = shop.merchant
            let policy = generator.rules.policy(for: m, currency: m.currency)
            let trade = generator.tradeDate(now, policy)
            if let used = try Int64.fetchOne(db, sql: """
                SELECT SUM(d0Minor) FROM txnState WHERE merchantId = ? AND tradeDate = ? AND d0Minor != 0
                """, arguments: [m.merchantId, trade.iso]) { generator.d0Used[m.merchantId] = [trade: used] }
            let dayStart = generator.tradeDateCloses(trade.adding(days: -1), policy).epochMillis
            let terminals = Set(shop.terminals.map(\.id))
            for t in shop.terminals where policy.dailyInflowLimit != nil {
                if let g = try Int64.fetchOne(db, sql: """
                    SELECT SUM(amountMinor) FROM txn WHERE terminalId = ? AND merchantId = ? AND occurredAt >= ? AND amountMinor > 0
                    """, arguments: [t.id, m.merchantId, dayStart]) {
                    generator.grossByDay[m.merchantId, default: [:]][trade, default: 0] += g
                }
            }
            // Payouts on their way: paid on time from now on.
            for row in try Row.fetchAll(db, sql: """
                SELECT p.ref, p.status, p.expectedMinor, p.cycleDate, p.expectedArrival,
                       (SELECT COUNT(*) FROM payoutItem i WHERE i.merchantId = p.merchantId AND i.payoutRef = p.ref) AS lines
                FROM payout p WHERE p.merchantId = ? AND p.status IN ('scheduled', 'processing')
                  AND (p.ref LIKE 'JS%' OR p.ref LIKE 'SD%')
                """, arguments: [m.merchantId]) {
                let ref: String = row["ref"]
                let parts = ref.split(separator: "-")
                guard parts.count >= 2, terminals.contains(String(parts[1])), let cycle = LocalDate(iso: row["cycleDate"]),
                      let arrival = row["expectedArrival"] as Int64? else { continue }
                let p = FeedGenerator.resumedMoving(
                    merchantId: m.merchantId, currency: m.currency, terminal: String(parts[1]), ref: ref, cycleDate: cycle,
                    arrival: Instant(epochMillis: arrival), expected: row["expectedMinor"],
                    status: PayoutStatus(rawValue: row["status"]) ?? .scheduled, itemLines: row["lines"])
                generator.payouts[FeedGenerator.key(m.merchantId, ref)] = p
            }
            // Transactions of the feed that no payout line names yet (or only their D+0 part).
            for row in try Row.fetchAll(db, sql: """
                SELECT t.terminalId, t.rrn, t.kind, t.cardKind, t.amountMinor, t.occurredAt, s.d0Minor,
                       (SELECT group_concat(i.payoutRef) FROM payoutItem i WHERE i.rrn = t.rrn AND i.merchantId = t.merchantId) AS refs
                FROM txnState s JOIN txn t ON t.id = s.txnId
                WHERE s.merchantId = ? AND s.state = 'pending' AND t.payoutRef IS NULL AND t.occurredAt >= ?
                  AND t.fileId IN (SELECT id FROM reportFile WHERE path LIKE 'feed/%')
                ORDER BY t.occurredAt, t.id
                """, arguments: [m.merchantId, since]) {
                let terminal: String = row["terminalId"]
                guard terminals.contains(terminal) else { continue }
                let refs = ((row["refs"] as String?) ?? "").split(separator: ",")
                let paidD0 = refs.contains { $0.hasPrefix("SD") }
                let paidCycle = refs.contains { $0.hasPrefix("JS") }
                if paidD0 && paidCycle { continue }
                let amount: Int64 = row["amountMinor"]
                let d0: Int64 = row["d0Minor"]
                let only: FeedPayout.Route? = paidD0 ? .cycle : paidCycle ? .d0 : nil
                if !refs.isEmpty && only == nil { continue }
                generator.rebook(merchant: m, terminal: terminal, rrn: row["rrn"],
                                 kind: TxnKind(rawValue: row["kind"]) ?? .sale,
                                 cardKind: CardKind(rawValue: row["cardKind"]) ?? .other, amount: amount,
                                 at: Instant(epochMillis: row["occurredAt"]), d0Minor: d0, only: only)
            }
        }
    }
}
