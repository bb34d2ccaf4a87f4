import Foundation
import PayoutCore
import PayoutFormats
import PayoutStore

/// A feed running on its own thread with its own writable store connection, as
/// `payoutmon --demo` runs it behind the monitor (whose connection stays read-only).
///
/// Errors do not stop it: the last one is kept (`lastError`) and the next tick tries
/// again. `stop()` lets the current batch finish and waits for the thread to end.
public final class FeedBackground: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopping = false
    private var finished = false
    private var _batches = 0
    private var _transactions = 0
    private var _lastError: String?

    /// Batches imported so far.
    public var batches: Int { condition.withLock { _batches } }
    /// Transactions the store added so far (from the import summaries).
    public var transactions: Int { condition.withLock { _transactions } }
    /// The last error, if the last step failed.
    public var lastError: String? { condition.withLock { _lastError } }

    init() {}

    /// Asks the feed to stop after the batch it is importing, and waits (at most
    /// `timeout` seconds) for its thread to end. Safe to call more than once.
    public func stop(timeout: TimeInterval = 10) {
        condition.lock()
        stopping = true
        condition.broadcast()
        let deadline = Date().addingTimeInterval(timeout)
        while !finished && condition.wait(until: deadline) {}
        condition.unlock()
    }

    /// Runs `step` every `interval` until stopped.
    fileprivate func run(interval: TimeInterval, step: () throws -> FeedBatch) {
        while true {
            condition.lock()
            let stop = stopping
            condition.unlock()
            if stop { break }
            do {
                let batch = try step()
                condition.withLock {
                    if !batch.isEmpty { _batches += 1 }
                    _transactions += batch.transactionsAdded
                    _lastError = nil
                }
            } catch {
                condition.withLock { _lastError = "\(error)" }
            }
            condition.lock()
            if !stopping { _ = condition.wait(until: Date().addingTimeInterval(interval)) }
            condition.unlock()
        }
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }
}

extension FeedSimulator {
    /// Starts a feed on its own thread with its own writable connection to `storePath`.
    ///
    /// - Parameters:
    ///   - rate: transactions per second, on average.
    ///   - stories: partial, held, returned and stuck payouts, holds and account reviews.
    ///   - tickMillis: time between batches.
    ///   - clock: "now" for each batch (the real time unless a test passes another).
    /// - Throws: when the store cannot be opened for writing or read; nothing runs then.
    public static func startBackground(storePath: String, rules: SettlementRules, rate: Double = 2, stories: Bool = true,
                                       tickMillis: Int = 1000, seed: UInt64 = UInt64.random(in: 1...UInt64.max),
                                       clock: @escaping @Sendable () -> Instant = { Instant(Date()) }) throws -> FeedBackground {
        let store = try PayoutStore.openForWriting(path: storePath)
        try store.recomputeIfUpgraded(rules: rules, now: clock())
        let simulator = try FeedSimulator(store: store, rules: rules,
                                          options: FeedOptions(rate: rate, stories: stories, seed: seed), now: clock())
        let handle = FeedBackground()
        let box = SimulatorBox(simulator)
        let interval = Double(max(10, tickMillis)) / 1000
        let thread = Thread {
            handle.run(interval: interval) { try box.simulator.step(now: clock()) }
        }
        thread.name = "payoutmon-feed"
        thread.start()
        return handle
    }
}

/// Hands a simulator to the thread that alone uses it from then on.
private final class SimulatorBox: @unchecked Sendable {
    let simulator: FeedSimulator
    init(_ s: FeedSimulator) { simulator = s }
}
