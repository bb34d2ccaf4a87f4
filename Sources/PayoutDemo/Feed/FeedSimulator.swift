import Foundation
import PayoutCore
import PayoutFormats
import PayoutStore

/// Runs the simulated acquirer feed against a store: each step makes a batch with
/// `FeedGenerator` and imports its files through the same path as real reports
/// (canonical format), the whole batch in one write transaction (`writeBatch`).
///
/// Owns its writable store connection; use it from one thread at a time.
public final class FeedSimulator {
    public let store: WritableStore
    public let rules: SettlementRules
    public private(set) var generator: FeedGenerator
    private var fileNumber = 0

    /// Prepares a feed for `store`: it trades for the store's merchants (the first 20),
    /// on their terminals, continuing their batch and trace numbers and the payouts an
    /// earlier run left open; a store without merchants gets two invented shops.
    public init(store: WritableStore, rules: SettlementRules, options: FeedOptions, now: Instant) throws {
        self.store = store
        self.rules = rules
        self.generator = try FeedSimulator.resume(store: store, rules: rules, options: options, now: now)
    }

    /// Makes the batch for `now` and imports it, all in one write transaction. Returns
    /// the batch with what landed (`FeedBatch.landed`, from the import summaries).
    ///
    /// Inside the transaction the RRN sequence first catches up with the largest RRN
    /// the store holds for the days the batch covers, so feeds writing to one store
    /// (another `payoutmon simulate`, the demo's background feed) never give two sales
    /// the same RRN: whichever writes second reads the first one's numbers.
    ///
    /// - Parameter limit: at most this many new transactions.
    /// - Throws: the first error (a locked store, say). Then nothing of the batch landed
    ///   and the feed is as before the step: the next step makes the batch again, with
    ///   the time that has passed since, so nothing is lost and nothing is counted twice.
    @discardableResult
    public func step(now: Instant, limit: Int? = nil) throws -> FeedBatch {
        let before = (generator, fileNumber)
        do {
            return try store.writeBatch { write in
                try catchUpRRN(write.history, now: now)
                var batch = generator.tick(now: now, limit: limit)
                for file in batch.files {
                    fileNumber += 1
                    let l = LocalDateTime(now, in: rules.policy.timeZone)
                    let name = Self.fileNamePrefix + FeedGenerator.compact(l.date) + "-" + FeedGenerator.digits(l.secondOfDay, 5) + "-"
                        + FeedGenerator.digits(fileNumber, 6) + "-" + file.kind + ".csv"
                    let summary = try write.importData(Data(file.text.utf8), name: name,
                                                       options: ImportOptions(format: .canonical, timeZone: rules.policy.timeZone,
                                                                              rules: rules, now: now))
                    for (table, c) in summary.counts { batch.landed[table, default: ImportCounts()].add(c) }
                }
                return batch
            }
        } catch {
            (generator, fileNumber) = before
            throw error
        }
    }

    /// Moves the RRN sequence past the largest RRN the store holds for the dates the
    /// next tick can give its transactions (from the last tick to `now`).
    private func catchUpRRN(_ history: FeedHistory, now: Instant) throws {
        let zone = rules.policy.timeZone
        var days = [LocalDateTime(now, in: zone).date]
        if let last = generator.lastTick { days.append(LocalDateTime(last, in: zone).date) }
        for day in Set(days) {
            if let seq = try Self.lastRRNSequence(history, today: day), seq > generator.rrnSequence % 100_000_000 {
                generator.rrnSequence += seq - generator.rrnSequence % 100_000_000
            }
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
        try store.readFeedHistory { history in
            for m in try history.merchants(limit: maxShops) {
                let state = try history.accountState(merchantId: m.merchantId, at: now)
                var terminals = try history.terminals(merchantId: m.merchantId, limit: 8).map { FeedTerminal(id: $0.id, name: $0.name) }
                if terminals.isEmpty {
                    terminals = [FeedTerminal(id: "T" + String(m.merchantId.suffix(7)), name: "收银台")]
                }
                let policy = rules.policy(for: m, currency: m.currency)
                for i in terminals.indices {
                    try continueTerminal(&terminals[i], merchantId: m.merchantId, history: history, policy: policy, now: now)
                }
                // Busy shops with several terminals take more of the traffic.
                shops.append(FeedShop(merchant: m, terminals: terminals, accountState: state, weight: terminals.count))
            }
            if shops.isEmpty {
                shops = FeedShop.defaults(currency: rules.policy.currency)
                writeMerchants = true
            }
            resume.rrnSequence = try lastRRNSequence(history, today: today)
        }
        var generator = FeedGenerator(shops: shops, rules: rules, options: options, start: now,
                                      writeMerchants: writeMerchants, resume: resume)
        if !writeMerchants {
            try store.readFeedHistory { history in try openWork(history, generator: &generator, now: now) }
        }
        return generator
    }

    /// Continues a terminal's batch and trace numbers from its last transaction.
    static func continueTerminal(_ t: inout FeedTerminal, merchantId: String, history: FeedHistory, policy: SettlementPolicy,
                                 now: Instant) throws {
        guard let last = try history.lastTransaction(terminalId: t.id, merchantId: merchantId, notAfter: now) else { return }
        t.batchNo = Int(last.batchNo) ?? 1
        t.trace = Int(last.traceNo) ?? 0
        t.batchDate = policy.tradeDate(of: last.occurredAt)
    }

    /// The sequence part of the largest RRN of today's prefix, so new RRNs follow it.
    static func lastRRNSequence(_ history: FeedHistory, today: LocalDate) throws -> Int64? {
        let dayOfYear = today.dayNumber - LocalDate(year: today.year, month: 1, day: 1)!.dayNumber + 1
        let prefix = String(today.year % 10) + FeedGenerator.digits(dayOfYear, 3)
        guard let rrn = try history.largestRRN(prefix: prefix, length: 12), let seq = Int64(rrn.suffix(8)) else { return nil }
        return seq
    }

    /// The refs of the payouts the feed writes: a terminal's cycle payouts ("JS...") and D+0 batches ("SD...").
    static let payoutRefPrefixes = ["JS", "SD"]
    /// The names the feed's files are imported under (see `flush`).
    static let fileNamePrefix = "feed/"

    /// Payouts earlier runs left on their way, transactions they made that no payout
    /// carries yet, and today's D+0 quota and gross per shop.
    static func openWork(_ history: FeedHistory, generator: inout FeedGenerator, now: Instant) throws {
        let since = now.adding(days: -10)
        for shop in generator.shops {
            let m = shop.merchant
            let policy = generator.rules.policy(for: m, currency: m.currency)
            let trade = generator.tradeDate(now, policy)
            if let used = try history.d0Used(merchantId: m.merchantId, tradeDate: trade) {
                generator.d0Used[m.merchantId] = [trade: used]
            }
            let dayStart = generator.tradeDateCloses(trade.adding(days: -1), policy)
            let terminals = Set(shop.terminals.map(\.id))
            for t in shop.terminals where policy.dailyInflowLimit != nil {
                if let g = try history.salesGross(terminalId: t.id, merchantId: m.merchantId, since: dayStart) {
                    generator.grossByDay[m.merchantId, default: [:]][trade, default: 0] += g
                }
            }
            // Payouts on their way: paid on time from now on.
            for p in try history.movingPayouts(merchantId: m.merchantId, refPrefixes: payoutRefPrefixes) {
                let parts = p.ref.split(separator: "-")
                guard parts.count >= 2, terminals.contains(String(parts[1])), let cycle = p.cycleDate,
                      let arrival = p.expectedArrival else { continue }
                let moving = FeedGenerator.resumedMoving(
                    merchantId: m.merchantId, currency: m.currency, terminal: String(parts[1]), ref: p.ref, cycleDate: cycle,
                    arrival: arrival, expected: p.expectedMinor, status: p.status, itemLines: p.itemLines)
                generator.payouts[FeedGenerator.key(m.merchantId, p.ref)] = moving
            }
            // Transactions of the feed that no payout line names yet (or only their D+0 part).
            for t in try history.waitingTransactions(merchantId: m.merchantId, since: since, filePrefix: fileNamePrefix) {
                guard terminals.contains(t.terminalId) else { continue }
                let refs = t.payoutRefs
                let paidD0 = refs.contains { $0.hasPrefix("SD") }
                let paidCycle = refs.contains { $0.hasPrefix("JS") }
                if paidD0 && paidCycle { continue }
                let only: FeedPayout.Route? = paidD0 ? .cycle : paidCycle ? .d0 : nil
                if !refs.isEmpty && only == nil { continue }
                generator.rebook(merchant: m, terminal: t.terminalId, rrn: t.rrn, kind: t.kind, cardKind: t.cardKind,
                                 amount: t.amountMinor, at: t.occurredAt, d0Minor: t.d0Minor, only: only)
            }
        }
    }
}
