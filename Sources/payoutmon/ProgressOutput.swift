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

/// An import's progress: the file's rows as they are read ("importing FILE: …"), then
/// the transactions it touched as they are reconciled ("reconciling FILE: N of M
/// transactions …"), then its payouts ("… N of M payouts …"), each its own line with
/// its own rate and time left; each line is finished (cleared on a terminal) when the
/// next phase begins.
final class ImportProgressOutput: @unchecked Sendable {
    private let lock = NSLock()
    private let file: String
    private let quiet: Bool
    private let reading: ProgressOutput
    private var reconciling: ProgressOutput?
    private var payouts: ProgressOutput?

    init(file: String, quiet: Bool) {
        self.file = file
        self.quiet = quiet
        reading = ProgressOutput(label: "importing " + file, unit: "rows", quiet: quiet)
    }

    func update(_ p: ImportProgress) {
        lock.lock(); defer { lock.unlock() }
        if let r = p.reconcilingPayouts {
            if payouts == nil {
                reading.finish()
                reconciling?.finish()
                payouts = ProgressOutput(label: "reconciling " + file, unit: "payouts", quiet: quiet)
            }
            payouts?.update(ProgressMeter.Point(done: r.done, total: r.total))
            return
        }
        guard let r = p.reconciling else {
            reading.update(ProgressMeter.Point(done: p.rows, bytes: p.bytes, totalBytes: p.totalBytes))
            return
        }
        if reconciling == nil {
            reading.finish()
            reconciling = ProgressOutput(label: "reconciling " + file, unit: "transactions", quiet: quiet)
        }
        reconciling?.update(ProgressMeter.Point(done: r.done, total: r.total))
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        reading.finish()
        reconciling?.finish()
        payouts?.finish()
    }
}
