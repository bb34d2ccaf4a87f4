import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import Testing
@testable import PayoutDemo
@testable import PayoutStore

/// The simulated acquirer feed: its reports look real, and what it pays is what
/// reconciliation expects, so without stories every sale ends up settled on time.
@Suite struct FeedTests {
    /// Monday 2026-11-23 09:30 in Shanghai (no holiday that week).
    static let start = LocalDateTime(parsing: "2026-11-23 09:30")!.instant(in: shanghai)
    static let calendar = try! SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
    static let rules = SettlementRules(policy: .demoDefault, calendar: calendar)

    /// Steps `sim` from `from` to `to` every `minutes`, returning every batch.
    /// `limit: 0` lets time pass without trading, so payouts catch up.
    @discardableResult
    static func run(_ sim: FeedSimulator, from: Instant, to: Instant, minutes: Int64, limit: Int? = nil) throws -> [FeedBatch] {
        var out: [FeedBatch] = []
        var now = from
        while now <= to {
            out.append(try sim.step(now: now, limit: limit))
            now = now.adding(minutes: minutes)
        }
        return out
    }

    /// Wednesday 09:30: two days of trading.
    static let tradingEnds = start.adding(days: 2)
    /// Friday 20:00: everything traded by Wednesday 09:30 is paid out (T+1 by Thursday).
    static let settled = LocalDateTime(parsing: "2026-11-27 20:00")!.instant(in: shanghai)

    /// Two days of trading, then time passing without trades until every payout is paid.
    @discardableResult
    static func tradeAndSettle(_ sim: FeedSimulator, from: Instant = start) throws -> [FeedBatch] {
        try run(sim, from: from, to: tradingEnds, minutes: 20)
            + run(sim, from: tradingEnds.adding(minutes: 20), to: settled, minutes: 60, limit: 0)
    }

    static func rows(_ text: String) -> [[String: String]] {
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    static func states(_ store: PayoutStore) throws -> [String: Int] {
        try store.reader.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM txnState GROUP BY state") {
                out[row["state"]] = row["n"]
            }
            return out
        }
    }

    @Test func theSameSeedMakesTheSameFeed() {
        func feed(seed: UInt64) -> [String] {
            var g = FeedGenerator(shops: FeedShop.defaults(currency: .CNY), rules: Self.rules,
                                  options: FeedOptions(rate: 0.5, stories: true, seed: seed), start: Self.start, writeMerchants: true)
            var texts: [String] = []
            var now = Self.start
            for _ in 0..<40 {
                now = now.adding(minutes: 7)
                texts += g.tick(now: now).files.map(\.text)
            }
            return texts
        }
        #expect(feed(seed: 7) == feed(seed: 7))
        #expect(feed(seed: 7) != feed(seed: 8))
    }

    @Test func identifiersLookLikeAnAcquirersReport() {
        var g = FeedGenerator(shops: FeedShop.defaults(currency: .CNY), rules: Self.rules,
                              options: FeedOptions(rate: 2, seed: 3), start: Self.start, writeMerchants: true)
        let batch = g.tick(now: Self.start.adding(minutes: 10))
        #expect(batch.files.first?.kind == "merchants")
        let txns = batch.files.first { $0.kind == "transactions" }!
        #expect(batch.transactions == 1200 && txns.rows == 1200)
        #expect(!CardNumber.containsFullPAN(txns.text))
        var rrns = Set<String>()
        for r in Self.rows(txns.text) {
            let digits = { (s: String?) in s.map { !$0.isEmpty && $0.allSatisfy(\.isNumber) } ?? false }
            #expect(r["merchant_id"]!.count == 15 && digits(r["merchant_id"]))
            #expect(r["terminal_id"]!.count == 8)
            #expect(r["batch_no"]!.count == 6 && digits(r["batch_no"]))
            #expect(r["trace_no"]!.count == 6 && digits(r["trace_no"]))
            #expect(r["rrn"]!.count == 12 && digits(r["rrn"]))
            rrns.insert(r["rrn"]!)
            if r["card_kind"] == "qr" {
                #expect(r["card_number"] == "" && r["auth_code"] == "")
            } else {
                let card = r["card_number"]!
                #expect(card.count == 16 || card.count == 19)
                #expect(card.prefix(6).allSatisfy(\.isNumber) && card.suffix(4).allSatisfy(\.isNumber))
                #expect(card.dropFirst(6).dropLast(4).allSatisfy { $0 == "*" })
                #expect(r["auth_code"]!.count == 6)
            }
            let amount = try! Money.parse(r["amount"]!, currency: .CNY)
            #expect(r["kind"] == "refund" ? amount.isNegative : amount.minor >= 1200)
        }
        #expect(rrns.count == 1200)
    }

    @Test func aLimitCapsTheTransactionsOfAStep() throws {
        let store = try memoryStore()
        let sim = try FeedSimulator(store: store, rules: Self.rules, options: FeedOptions(rate: 100, seed: 1), now: Self.start)
        let batch = try sim.step(now: Self.start.adding(seconds: 10), limit: 3)
        #expect(batch.transactions == 3)
        #expect(try tableCounts(store)["txn"] == 3)
        #expect(try tableCounts(store)["merchant"] == 2)
    }

    /// Two days of trading on the two invented shops (T+1 and D+0), then the days their
    /// payouts come: every payout paid, every sale settled by the reconciler.
    @Test func withoutStoriesEverySaleSettles() throws {
        let store = try memoryStore()
        let sim = try FeedSimulator(store: store, rules: Self.rules, options: FeedOptions(rate: 0.002, seed: 11), now: Self.start)
        let batches = try Self.tradeAndSettle(sim)
        #expect(batches.reduce(0) { $0 + $1.transactions } > 250)
        let states = try Self.states(store)
        #expect(Set(states.keys) == ["settled"], "\(states)")
        try store.writer.read { db in
            let statuses = try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM payout GROUP BY status")
                .reduce(into: [String: Int]()) { $0[$1["status"]] = $1["n"] }
            #expect(Set(statuses.keys) == ["paid"], "\(statuses)")
            // D+0 batches were paid the same day, and refunds netted out.
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payout WHERE ref LIKE 'SD%'")! > 5)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payoutItem WHERE kind = 'refund'")! > 0)
            // Each payout's lines sum to its expected amount, and it paid that.
            let unbalanced = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM payout p WHERE p.paidMinor != p.expectedMinor OR p.expectedMinor !=
                  (SELECT SUM(amountMinor) FROM payoutItem i WHERE i.merchantId = p.merchantId AND i.payoutRef = p.ref)
                """)
            #expect(unbalanced == 0)
            let states = try String.fetchAll(db, sql: "SELECT DISTINCT state FROM payoutState")
            #expect(states == ["settled"])
        }
    }

    /// A D+0 quota small enough to be used up every day: the transaction at the
    /// boundary is split over the D+0 and the T+1 payout, and still settles exactly.
    @Test func aD0TransactionSplitAtTheQuotaSettlesExactly() throws {
        var policy = SettlementPolicy.demoDefault
        policy.d0DailyQuota = Money(minor: 100_000, currency: .CNY)
        let rules = SettlementRules(policy: policy, calendar: Self.calendar)
        let store = try memoryStore()
        let sim = try FeedSimulator(store: store, rules: rules, options: FeedOptions(rate: 0.002, seed: 5), now: Self.start)
        try Self.tradeAndSettle(sim)
        #expect(Set(try Self.states(store).keys) == ["settled"])
        try store.writer.read { db in
            let split = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payoutItem WHERE kind = 'fee' AND rrn IS NOT NULL")!
            #expect(split >= 4, "a split transaction names its fee on both payouts")
            let fallback = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM txnState s JOIN txn t ON t.id = s.txnId
                WHERE t.merchantId = '898440358120066' AND s.d0Minor = 0 AND t.amountMinor > 0
                """)!
            #expect(fallback > 0, "sales over the quota fall back to T+1")
        }
    }

    /// With stories, payouts arrive partial, held, returned and late; holds open and are
    /// released; accounts go under review and back; and the states show it.
    @Test func storiesShowEveryKindOfTrouble() throws {
        let store = try memoryStore()
        let sim = try FeedSimulator(store: store, rules: Self.rules,
                                    options: FeedOptions(rate: 0.002, stories: true, seed: 21, storyPercent: 60,
                                                         reviewMinutes: 600), now: Self.start)
        let batches = try Self.tradeAndSettle(sim)
        #expect(batches.reduce(0) { $0 + $1.holdsOpened } >= 2)
        #expect(batches.reduce(0) { $0 + $1.holdsReleased } == batches.reduce(0) { $0 + $1.holdsOpened })
        #expect(batches.reduce(0) { $0 + $1.accountEvents } >= 2)
        #expect(batches.contains { $0.payouts[.held] != nil }, "a held payout was written held before it was paid")
        try store.writer.read { db in
            let statuses = Set(try String.fetchAll(db, sql: "SELECT DISTINCT status FROM payout"))
            #expect(statuses == ["paid", "partial", "returned"], "\(statuses)")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM hold WHERE releasedAt IS NULL") == 0)
            // A partial payout's release paid the rest.
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payout WHERE ref LIKE '%-R' AND status = 'paid'")! > 0)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accountEvent WHERE state = 'underReview'")! > 0)
            // A stuck payout was paid after its late time.
            #expect(try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM payout p JOIN payoutState s ON s.payoutId = p.id WHERE p.creditedAt > s.lateAfter
                """)! > 0)
        }
        let states = try Self.states(store)
        #expect(Set(states.keys) == ["settled", "failed"], "only returned payouts leave money missing: \(states)")
    }

    /// A second run on the same store picks up the payouts the first left open or on
    /// their way, pays them, and never reuses an RRN or a trace number.
    @Test func aRestartedFeedFinishesWhatTheLastOneStarted() throws {
        let dir = TempDir()
        let path = dir.path + "/feed.sqlite"
        let middle = LocalDateTime(parsing: "2026-11-24 08:00")!.instant(in: shanghai)
        do {
            let store = try PayoutStore.openForWriting(path: path)
            let first = try FeedSimulator(store: store, rules: Self.rules, options: FeedOptions(rate: 0.002, seed: 1), now: Self.start)
            try Self.run(first, from: Self.start, to: middle, minutes: 20)
        }
        let store = try PayoutStore.openForWriting(path: path)
        let moving = try store.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payout WHERE status IN ('scheduled', 'processing')")!
        }
        #expect(moving > 0, "Tuesday's payouts are on their way when the first run stops")
        let second = try FeedSimulator(store: store, rules: Self.rules, options: FeedOptions(rate: 0.002, seed: 1), now: middle)
        #expect(second.generator.payouts.values.filter { $0.written != nil }.count == moving)
        #expect(second.generator.payouts.values.contains { $0.written == nil && !$0.lines.isEmpty },
                "Tuesday's transactions wait for their payout")
        try Self.tradeAndSettle(second, from: middle.adding(minutes: 20))
        #expect(Set(try Self.states(store).keys) == ["settled"])
        try store.writer.read { db in
            let dupes = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT rrn FROM txn GROUP BY rrn HAVING COUNT(*) > 1)")
            #expect(dupes == 0)
            let traces = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (SELECT terminalId, batchNo, traceNo FROM txn GROUP BY 1, 2, 3 HAVING COUNT(*) > 1)
                """)
            #expect(traces == 0)
        }
    }

    @Test func aBackgroundFeedImportsUntilStopped() throws {
        let dir = TempDir()
        let path = dir.path + "/feed.sqlite"
        _ = try PayoutStore.openForWriting(path: path)
        let clock = FakeClock(Self.start)
        let feed = try FeedSimulator.startBackground(storePath: path, rules: Self.rules, rate: 50, stories: true, tickMillis: 10,
                                                     seed: 4, clock: { clock.advance(seconds: 1) })
        let deadline = Date().addingTimeInterval(20)
        while feed.transactions < 200 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        feed.stop()
        let made = feed.transactions
        #expect(made >= 200)
        #expect(feed.lastError == nil)
        let store = try PayoutStore.openReadOnly(path: path)
        #expect(try store.read(rules: Self.rules) { try $0.transactionCount() } == made)
        Thread.sleep(forTimeInterval: 0.05)
        #expect(feed.transactions == made, "nothing runs after stop()")
        feed.stop()
    }
}

/// What `payoutmon simulate` counts is what landed, and feeds sharing a store never
/// number two sales alike.
@Suite struct FeedCountingTests {
    static let start = FeedTests.start

    static func rrnsUsedTwice(_ store: PayoutStore) throws -> Int {
        try store.reader.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT merchantId, rrn FROM txn GROUP BY 1, 2 HAVING COUNT(*) > 1)")!
        }
    }

    /// Two simulators on one file store (two connections, as two `payoutmon simulate`
    /// would have), taking turns: every sale gets its own RRN, and the counts they
    /// report add up to what the store holds.
    @Test func twoFeedsOnOneStoreNeverReuseAnRRN() throws {
        let dir = TempDir()
        let path = dir.path + "/feed.sqlite"
        let a = try FeedSimulator(store: try PayoutStore.openForWriting(path: path), rules: FeedTests.rules,
                                  options: FeedOptions(rate: 2, seed: 1), now: Self.start)
        let b = try FeedSimulator(store: try PayoutStore.openForWriting(path: path), rules: FeedTests.rules,
                                  options: FeedOptions(rate: 2, seed: 2), now: Self.start)
        var added = 0
        var duplicates = 0
        var now = Self.start
        for _ in 0..<6 {
            now = now.adding(seconds: 5)
            for sim in [a, b] {
                let batch = try sim.step(now: now)
                added += batch.transactionsAdded
                duplicates += batch.transactionsDuplicate
            }
        }
        let store = try PayoutStore.openReadOnly(path: path)
        let stored = try store.read(rules: FeedTests.rules) { try $0.transactionCount() }
        #expect(stored > 100)
        #expect(try Self.rrnsUsedTwice(store) == 0)
        #expect(duplicates == 0)
        #expect(added == stored)
        #expect(a.generator.transactionsMade + b.generator.transactionsMade == stored)
    }

    /// A step that meets a store locked by another program writes nothing; the next
    /// step writes that batch's transactions with its own, and counts them once.
    @Test func aBatchRetriedAfterALockIsCountedWhenItLands() throws {
        let dir = TempDir()
        let path = dir.path + "/feed.sqlite"
        let sim = try FeedSimulator(store: try PayoutStore.openForWriting(path: path, busyTimeout: 0.05), rules: FeedTests.rules,
                                    options: FeedOptions(rate: 2, seed: 3), now: Self.start)
        var added = try sim.step(now: Self.start.adding(seconds: 5)).transactionsAdded
        try whileLocked(path) {
            #expect(performing: { try sim.step(now: Self.start.adding(seconds: 10)) },
                    throws: { ($0 as? StoreError)?.code == .locked })
        }
        let store = try PayoutStore.openReadOnly(path: path)
        let before = try store.read(rules: FeedTests.rules) { try $0.transactionCount() }
        #expect(before == added, "the refused batch wrote nothing")
        let retried = try sim.step(now: Self.start.adding(seconds: 15))
        #expect(retried.transactionsAdded == 20, "ten seconds at 2/s, the refused five among them")
        added += retried.transactionsAdded
        let stored = try store.read(rules: FeedTests.rules) { try $0.transactionCount() }
        #expect(added == stored)
        #expect(sim.generator.transactionsMade == stored)
    }

    @Test func theSummaryCountsWhatLanded() {
        var batch = FeedBatch()
        batch.transactions = 3
        #expect(batch.summary.hasPrefix("+3 txns"))
        var counts = ImportCounts()
        counts.inserted = 2
        counts.duplicates = 1
        batch.landed = ["transactions": counts]
        #expect(batch.summary.hasPrefix("+2 txns"))
        #expect(batch.summary.contains("(1 already in the store)"))
    }
}

/// A clock a test moves by hand, safe to read from another thread.
final class FakeClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: Instant
    init(_ start: Instant) { now = start }
    func advance(seconds: Int64) -> Instant {
        lock.withLock {
            now = now.adding(seconds: seconds)
            return now
        }
    }
}
