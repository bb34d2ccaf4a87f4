import ArgumentParser
import Dispatch
import Foundation
import PayoutCore
import PayoutDemo
import PayoutStore

/// `payoutmon simulate`: a live acquirer feed into the store.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Append a simulated acquirer feed to the store: transactions, payouts, holds, account events.",
        discussion: """
            Trades for the store's merchants (or two invented shops in an empty store), with \
            their MIDs and terminals: masked cards, RRN, trace, batch and auth codes. Payouts \
            follow as their settlement days come: scheduled, processing, paid; a D+0 merchant \
            is paid every few minutes. --stories adds partial, held, returned and stuck payouts, \
            risk holds and account reviews. Everything goes through the same import path as \
            real reports, one batch per tick. Ctrl-C (or SIGTERM) stops after the batch being imported.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var configOptions: ConfigOptions

    @Option(help: ArgumentHelp("Transactions per second, on average (\"2\", \"0.5\" or \"5/s\").", valueName: "N/s"))
    var rate: FeedRate = FeedRate(perSecond: 2)

    @Flag(help: "Add stories: partial, held, returned and stuck payouts, holds, account reviews.")
    var stories = false

    @Option(help: "Seed of the random numbers (the same seed gives the same feed for the same clock).")
    var seed: UInt64?

    @Option(help: ArgumentHelp("Stop after this many seconds.", valueName: "S"))
    var duration: Double?

    @Option(help: ArgumentHelp("Stop after this many transactions.", valueName: "N"))
    var count: Int?

    @Option(help: ArgumentHelp("Milliseconds between batches.", valueName: "MS"))
    var tick: Int = 1000

    @Flag(help: "Print one JSON object per batch, one per line (schema payoutmon.simulate/1, see docs/cli.md).")
    var json = false

    func validate() throws {
        if duration != nil && count != nil { throw ValidationError("give --duration or --count, not both") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be more than 0 seconds") }
        if let count, count <= 0 { throw ValidationError("--count must be at least 1") }
        if !(10...3_600_000).contains(tick) { throw ValidationError("--tick must be 10 to 3600000 milliseconds") }
    }

    func run() throws {
        let config = try configOptions.load()
        let db = try store.openForWriting(config: config)
        let stop = StopSignal()
        let start = Date()
        let simulator = try FeedSimulator(store: db, rules: config.rules,
                                          options: FeedOptions(rate: rate.perSecond, stories: stories,
                                                               seed: seed ?? UInt64.random(in: 1...UInt64.max)),
                                          now: Instant(start))
        let shops = simulator.generator.shops.map { "\($0.merchant.name) \($0.merchant.merchantId)" }
        Output.err("simulating \(rate.perSecond)/s into \(db.path) for \(shops.joined(separator: ", ")); Ctrl-C stops")
        var added = 0
        var duplicates = 0
        var batches = 0
        let interval = Double(tick) / 1000
        // Transactions made in batches that landed: a batch that failed is made again by
        // the next step (FeedSimulator.step), so it counts once, when it lands.
        var made: Int { simulator.generator.transactionsMade }
        while !stop.requested {
            let now = Date()
            if let duration, now.timeIntervalSince(start) >= duration { break }
            do {
                let batch = try simulator.step(now: Instant(now), limit: count.map { $0 - made })
                added += batch.transactionsAdded
                duplicates += batch.transactionsDuplicate
                if !batch.isEmpty {
                    batches += 1
                    if json {
                        Output.out(Output.encodeJSON(SimulateBatchJSON(batch, at: Instant(now))))
                    } else {
                        Output.out(Self.clock(now, config.timeZone) + "  " + batch.summary)
                    }
                }
            } catch let e as StoreError where e.code == .locked || e.code == .database {
                Output.err("\(Self.clock(now, config.timeZone))  \(e); nothing of this batch was written, trying again")
            }
            if let count, made >= count { break }
            stop.wait(seconds: interval)
        }
        Output.err("simulated \(Output.grouped(added)) transactions in \(Output.grouped(batches)) batches"
                   + (duplicates > 0 ? "; \(Output.grouped(duplicates)) more were already in the store and not added" : ""))
    }

    /// "10:31:05" in the merchant's zone.
    static func clock(_ date: Date, _ zone: TimeZone) -> String {
        let l = LocalDateTime(Instant(date), in: zone)
        let s = l.secondOfDay % 60
        return "\(l.time):\(s < 10 ? "0" : "")\(s)"
    }
}

/// `simulate --json`: one object per batch the store took (docs/cli.md).
struct SimulateBatchJSON: Encodable {
    struct Records: Encodable { let new: Int, updated: Int, duplicate: Int }
    var schema = "payoutmon.simulate/1"
    let at: String
    let merchants: Int
    let transactions: Int
    let transactionsAdded: Int
    let transactionsDuplicate: Int
    let refunds: Int
    /// Gross of the new transactions by currency, as decimal strings.
    let gross: [String: String]
    /// Payout rows written, by the status they now have.
    let payouts: [String: Int]
    let holdsOpened: Int
    let holdsReleased: Int
    let accountEvents: Int
    /// What the store took, per table.
    let records: [String: Records]
    /// The same line the text output prints.
    let summary: String

    init(_ b: FeedBatch, at: Instant) {
        self.at = at.description
        merchants = b.merchants; transactions = b.transactions
        transactionsAdded = b.transactionsAdded; transactionsDuplicate = b.transactionsDuplicate; refunds = b.refunds
        gross = b.gross.reduce(into: [:]) { $0[$1.key] = Money(minor: $1.value, currency: Currency(code: $1.key) ?? .CNY).decimalString }
        payouts = b.payouts.reduce(into: [:]) { $0[$1.key.rawValue] = $1.value }
        holdsOpened = b.holdsOpened; holdsReleased = b.holdsReleased; accountEvents = b.accountEvents
        records = b.landed.mapValues { Records(new: $0.inserted, updated: $0.updated, duplicate: $0.duplicates) }
        summary = b.summary
    }
}

/// A rate written "2", "0.5" or "5/s".
struct FeedRate: ExpressibleByArgument {
    let perSecond: Double

    init(perSecond: Double) { self.perSecond = perSecond }

    init?(argument: String) {
        var text = argument.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("/s") { text.removeLast(2) }
        guard let v = Double(text), v.isFinite, v > 0, v <= 10_000 else { return nil }
        perSecond = v
    }

    var defaultValueDescription: String { "\(perSecond)" }
}

/// SIGINT and SIGTERM as a flag a loop checks between steps, and a sleep they cut short.
///
/// The signals are caught (not left to kill the process), so the step under way (an
/// import, one database transaction) finishes before the loop ends.
final class StopSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private var sources: [DispatchSourceSignal] = []

    init(signals: [Int32] = [SIGINT, SIGTERM]) {
        for sig in signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.request() }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for s in sources { s.cancel() }
    }

    var requested: Bool { condition.withLock { stopped } }

    func request() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    /// Sleeps up to `seconds`, less when a stop is requested.
    func wait(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        while !stopped && condition.wait(until: deadline) {}
        condition.unlock()
    }
}
