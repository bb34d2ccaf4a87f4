import Foundation
import PayoutCore
import PayoutFormats
import PayoutStore

/// How the simulated acquirer feed behaves.
public struct FeedOptions: Sendable, Hashable {
    /// Transactions per second, on average (0.01 ... 10,000).
    public var rate: Double
    /// Adds the stories: payouts that arrive partial, held, returned or stuck in
    /// processing, risk holds and their releases, and account reviews.
    public var stories: Bool
    /// The seed of the pseudo-random numbers: the same seed, start and clock give the same feed.
    public var seed: UInt64
    /// Minutes between two payouts of a D+0 merchant (its "秒到" batches).
    public var d0BatchMinutes: Int
    /// Percent of payouts that get a story when `stories` is on.
    public var storyPercent: Int
    /// Minutes between account reviews, on average, when `stories` is on.
    public var reviewMinutes: Int

    public init(rate: Double = 2, stories: Bool = false, seed: UInt64 = 1, d0BatchMinutes: Int = 2, storyPercent: Int = 20,
                reviewMinutes: Int = 45) {
        self.rate = rate
        self.stories = stories
        self.seed = seed
        self.d0BatchMinutes = max(1, d0BatchMinutes)
        self.storyPercent = min(100, max(0, storyPercent))
        self.reviewMinutes = max(1, reviewMinutes)
    }
}

/// A terminal the feed trades on: its open batch (批次号) and last trace number (凭证号).
public struct FeedTerminal: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The open batch and the trade date it belongs to; a new trade date opens the next batch.
    public var batchNo: Int
    public var batchDate: LocalDate?
    public var trace: Int

    public init(id: String, name: String, batchNo: Int = 1, batchDate: LocalDate? = nil, trace: Int = 0) {
        self.id = id; self.name = name; self.batchNo = batchNo; self.batchDate = batchDate; self.trace = trace
    }
}

/// A merchant the feed trades for, with its terminals and current account state.
public struct FeedShop: Sendable, Hashable {
    public var merchant: Merchant
    public var terminals: [FeedTerminal]
    /// Only active shops and shops under review take new transactions.
    public var accountState: AccountState
    /// Relative share of the transactions.
    public var weight: Int

    public init(merchant: Merchant, terminals: [FeedTerminal], accountState: AccountState = .active, weight: Int = 1) {
        self.merchant = merchant; self.terminals = terminals; self.accountState = accountState; self.weight = max(0, weight)
    }

    /// Shops for a store that has no merchants yet: a T+1 noodle house and a D+0 tea house in Shenzhen.
    public static func defaults(currency: Currency) -> [FeedShop] {
        [
            FeedShop(merchant: Merchant(merchantId: "898440358120052", name: "湘味小厨(科技园店)", acquirer: "拉卡拉 Lakala",
                                        bankAccountMasked: "622202******6688", accountClass: .corporate, dailyInflowLimit: nil,
                                        currency: currency),
                     terminals: [FeedTerminal(id: "LKL50001", name: "前台收银1号"), FeedTerminal(id: "LKL50002", name: "前台收银2号")],
                     weight: 3),
            FeedShop(merchant: Merchant(merchantId: "898440358120066", name: "茶语轩(海岸城店)", acquirer: "拉卡拉 Lakala",
                                        bankAccountMasked: "621700******2390", accountClass: .corporate, dailyInflowLimit: nil,
                                        cycle: "D+0", currency: currency),
                     terminals: [FeedTerminal(id: "LKL60001", name: "吧台收银")], weight: 2),
        ]
    }
}

/// One report file of a feed batch: canonical CSV text and its kind.
public struct FeedFile: Sendable, Hashable {
    /// The canonical kind ("transactions", "payouts" ...).
    public let kind: String
    public let text: String
    /// Data rows (the header excluded).
    public let rows: Int
}

/// What one tick of the feed produced, in import order.
public struct FeedBatch: Sendable, Hashable {
    /// The files to import, in order: merchants, transactions, payout items, holds, payouts, account events.
    public var files: [FeedFile] = []
    /// Merchant profiles written (the first batch for a store without merchants).
    public var merchants = 0
    public var transactions = 0
    public var refunds = 0
    /// Gross of the new transactions, in minor units, by currency code.
    public var gross: [String: Int64] = [:]
    /// Payout rows written, by the status they now have.
    public var payouts: [PayoutStatus: Int] = [:]
    /// Holds opened and released.
    public var holdsOpened = 0
    public var holdsReleased = 0
    public var accountEvents = 0
    /// What the store took of the batch, per table, from the import summaries
    /// (`ImportSummary.counts`); empty until a `FeedSimulator` imports the batch.
    public var landed: [String: ImportCounts] = [:]

    public var isEmpty: Bool { files.isEmpty }

    /// Transactions the store added (not already there under the same key).
    public var transactionsAdded: Int { landed["transactions"]?.inserted ?? 0 }
    /// Transactions the store already held under the same key, so not added again.
    public var transactionsDuplicate: Int { landed["transactions"]?.duplicates ?? 0 }

    /// One line for the terminal: "+12 txns 3,104.50 CNY (1 refund); payouts 2 paid, 1 scheduled; 1 hold".
    /// Once imported, the transactions are those the store added, and any it already
    /// held are named: "+11 txns ... (1 already in the store)".
    public var summary: String {
        var parts: [String] = []
        if merchants > 0 { parts.append("\(merchants) merchant profile" + (merchants == 1 ? "" : "s")) }
        if transactions > 0 {
            let added = landed.isEmpty ? transactions : transactionsAdded
            var s = "+\(added) txn" + (added == 1 ? "" : "s")
            let amounts = gross.sorted { $0.key < $1.key }.map { code, minor -> String in
                let c = Currency(code: code) ?? .CNY
                return Money(minor: minor, currency: c).formatted() + " " + code
            }
            if !amounts.isEmpty { s += " " + amounts.joined(separator: ", ") }
            if refunds > 0 { s += " (\(refunds) refund" + (refunds == 1 ? ")" : "s)") }
            if transactionsDuplicate > 0 { s += " (\(transactionsDuplicate) already in the store)" }
            parts.append(s)
        }
        if !payouts.isEmpty {
            let order: [PayoutStatus] = [.scheduled, .processing, .inTransit, .paid, .partial, .held, .returned, .failed]
            parts.append("payouts " + order.compactMap { s in payouts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: ", "))
        }
        if holdsOpened > 0 { parts.append("\(holdsOpened) hold" + (holdsOpened == 1 ? "" : "s") + " opened") }
        if holdsReleased > 0 { parts.append("\(holdsReleased) hold" + (holdsReleased == 1 ? "" : "s") + " released") }
        if accountEvents > 0 { parts.append("\(accountEvents) account event" + (accountEvents == 1 ? "" : "s")) }
        return parts.isEmpty ? "nothing new" : parts.joined(separator: "; ")
    }
}

/// Where a restarted feed picks up its numbering: the next RRN sequence number.
struct FeedResume: Sendable {
    /// The last RRN sequence number used (the 8 digits after the date prefix).
    var rrnSequence: Int64?
}

/// A payout the feed is building or moving along.
struct FeedPayout: Sendable, Hashable {
    enum Route: Sendable, Hashable { case cycle, d0 }
    enum Phase: Int, Sendable, Hashable, Comparable {
        /// Collecting transactions; no payout row yet.
        case open
        /// A payout row exists and the money is on its way.
        case moving
        static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }
    /// What goes wrong with it, when the feed tells a story.
    enum Story: Sendable, Hashable {
        /// Paid short: part of one transaction held for risk review (调单), released later.
        case riskHold(rrn: String, amount: Int64)
        /// The whole payout held (延迟结算), then paid when the hold is released.
        case held
        /// Returned by the bank.
        case returned
        /// Stuck in processing past its window (acquirer backlog), paid hours late.
        case stuck
    }
    struct Line: Sendable, Hashable {
        var kind: PayoutItemKind
        var amount: Int64
        var rrn: String?
        var note: String?
    }

    let merchantId: String
    let terminalId: String
    let ref: String
    let currency: Currency
    let route: Route
    let cycleDate: LocalDate
    /// The expected arrival written on the payout (the start of its credit window; a D+0 batch's close).
    let arrival: Instant
    /// When the payout row first appears: the trade date's cutoff, or the D+0 batch's end.
    let closesAt: Instant
    var lines: [Line] = []
    /// Batch fee and reserve, positive minor units (written as negative lines).
    var fee: Int64 = 0
    var reserve: Int64 = 0
    /// Gross of the sales (for capping refunds).
    var salesGross: Int64 = 0
    var phase: Phase = .open
    var processingAt: Instant?
    var paidAt: Instant?
    var story: Story?
    var storyDecided = false
    /// When a story's hold is released.
    var releaseAt: Instant?
    /// The story's hold has been written.
    var holdWritten = false
    /// The last status written, so a row is written only when the status changes.
    var written: PayoutStatus?
    /// Item lines already in the store (0 until the payout row is first written).
    var writtenLines = 0
    /// The expected amount of a payout resumed from the store, whose lines the feed no longer holds.
    var resumedExpected: Int64?

    /// What the payout is expected to bring: its lines less the batch fee and reserve.
    var expected: Int64 { resumedExpected ?? (lines.reduce(0) { $0 + $1.amount } - fee - reserve) }

    /// The item lines as written: the transactions and refunds, then the batch fee and reserve.
    var itemLines: [Line] {
        var out = lines
        if fee != 0 { out.append(Line(kind: .fee, amount: -fee, rrn: nil, note: "手续费 fees")) }
        if reserve != 0 { out.append(Line(kind: .reserve, amount: -reserve, rrn: nil, note: "保证金留存 reserve")) }
        return out
    }
}
