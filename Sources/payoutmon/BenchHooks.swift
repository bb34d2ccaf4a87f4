import Foundation
import PayoutTUI

/// Hidden hooks for scripts/bench.sh, inert unless `PAYOUTMON_BENCH_FRAMES` is set.
///
/// - `PAYOUTMON_BENCH_FRAMES=N`: the monitor's terminal is wrapped so that after the
///   first complete frame it is sent N keys (↓ and ↑ in turn, so each one makes a new
///   frame) and then `q`. N = 0 quits right after the first frame.
/// - `PAYOUTMON_BENCH_REPORT=PATH`: written when the monitor quits, one figure a line:
///   `first_frame_ns T` (CLOCK_MONOTONIC when the first frame's flush returned, to
///   compare with the launcher's clock) and `frame_ns D` per scripted key (from the key
///   to the end of the flush of the frame it caused: reduce, asking for a poll (and, when
///   the key changed the rows asked for, waiting up to 100 ms for them), render, diff, ncurses).
///
/// The launcher wraps its terminal with `BenchHooks.wrap(terminal)` before handing it to
/// `MonitorApp`; without the variable the terminal is returned as it is.
enum BenchHooks {
    static func wrap(_ terminal: any TerminalBackend,
                     environment: [String: String] = ProcessInfo.processInfo.environment) -> any TerminalBackend {
        guard let text = environment["PAYOUTMON_BENCH_FRAMES"], let frames = Int(text), frames >= 0 else { return terminal }
        return BenchTerminal(inner: terminal, frames: frames, report: environment["PAYOUTMON_BENCH_REPORT"])
    }
}

/// A terminal that forwards frames to the real one, times them, and scripts the keys.
final class BenchTerminal: TerminalBackend {
    private let inner: any TerminalBackend
    private var keysLeft: Int
    private let report: String?
    private var drew = false
    private var keySentAt: UInt64?
    private var lines: [String] = []
    private var down = true

    init(inner: any TerminalBackend, frames: Int, report: String?) {
        self.inner = inner
        self.keysLeft = frames
        self.report = report
    }

    var size: Size { inner.size }

    func draw(_ grid: Grid) {
        inner.draw(grid)
        let t = Self.now()
        if !drew {
            drew = true
            lines.append("first_frame_ns \(t)")
        } else if let sent = keySentAt {
            lines.append("frame_ns \(t - sent)")
        }
        keySentAt = nil
    }

    func readKey(timeoutMillis: Int) -> Key? {
        guard drew else { return inner.readKey(timeoutMillis: timeoutMillis) }
        if keysLeft > 0 {
            keysLeft -= 1
            let key: Key = down ? .down : .up
            down.toggle()
            keySentAt = Self.now()
            return key
        }
        if let report {
            try? (lines.joined(separator: "\n") + "\n").write(toFile: report, atomically: true, encoding: .utf8)
        }
        return .char("q")
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
