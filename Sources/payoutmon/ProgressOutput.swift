import Foundation
import PayoutCore
import PayoutFormats

/// A `ProgressMeter` on standard error with the real clock: a line redrawn in place on
/// a terminal, a plain line every five seconds otherwise, nothing under `--quiet`.
/// Called from the import's and the recompute's progress callbacks, hence the lock.
///
/// The hidden `PAYOUTMON_PROGRESS_MS=N` (for the CLI tests) shows progress after N ms
/// instead of a second, and, off a terminal, a line every N ms instead of five seconds.
final class ProgressOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var meter: ProgressMeter

    static let testMillis = ProcessInfo.processInfo.environment["PAYOUTMON_PROGRESS_MS"].flatMap { Int64($0) }.map { max(0, $0) }

    static func mode(quiet: Bool) -> ProgressMeter.Mode {
        if quiet { return .quiet }
        return isatty(STDERR_FILENO) == 1 ? .terminal : .lines(everyMillis: testMillis ?? 5_000)
    }

    init(label: String, unit: String, quiet: Bool) {
        meter = ProgressMeter(label: label, unit: unit, mode: Self.mode(quiet: quiet), start: Instant(Date()),
                              thresholdMillis: Self.testMillis ?? ProgressMeter.defaultThresholdMillis)
    }

    func update(_ point: ProgressMeter.Point) {
        lock.lock(); defer { lock.unlock() }
        if let text = meter.update(point, at: Instant(Date())) { Output.err(text, newline: false) }
    }

    /// Clears the terminal line, before the summary prints.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        if let text = meter.finish() { Output.err(text, newline: false) }
    }
}

/// Progress in steps, a meter per step, each finished (cleared on a terminal) before the
/// next starts, so each step's rate and time left count from its own start: the demo's
/// steps, and an import's (its rows read, then its transactions and its payouts
/// reconciled, `ImportProgress.phase`).
final class StepProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let quiet: Bool
    private var current: (step: String, unit: String, meter: ProgressOutput)?

    init(quiet: Bool) { self.quiet = quiet }

    /// A step is its label and unit: a new one of either starts a new meter.
    func update(_ step: String, unit: String, _ point: ProgressMeter.Point) {
        lock.lock(); defer { lock.unlock() }
        if current?.step != step || current?.unit != unit {
            current?.meter.finish()
            current = (step, unit, ProgressOutput(label: step, unit: unit, quiet: quiet))
        }
        current?.meter.update(point)
    }

    /// An import of `file`: "importing FILE: … rows", then "reconciling FILE: N of M
    /// transactions", then "… payouts".
    func update(importing file: String, _ p: ImportProgress) {
        switch p.phase {
        case .reading:
            update("importing " + file, unit: "rows", ProgressMeter.Point(done: p.rows, bytes: p.bytes, totalBytes: p.totalBytes))
        case .transactions(let done, let total):
            update("reconciling " + file, unit: "transactions", ProgressMeter.Point(done: done, total: total))
        case .payouts(let done, let total):
            update("reconciling " + file, unit: "payouts", ProgressMeter.Point(done: done, total: total))
        }
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        current?.meter.finish()
        current = nil
    }
}
