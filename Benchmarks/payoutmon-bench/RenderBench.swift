import PayoutTUI

/// A render loop for benchmarks (not a timed test): renders frames as the monitor
/// would while the selection moves, and diffs each against the one before.
enum RenderBenchmark {
    /// What a run did: frames rendered, runs a backend would have flushed, and a
    /// checksum of the frames' text so the work cannot be optimised away.
    struct Result: Sendable, Hashable {
        var frames: Int
        var changedRuns: Int
        var checksum: Int
    }

    /// Renders `frames` frames of `state` at `size` (default 200x60), moving the
    /// selection of the focused list down and back up inside its window.
    static func run(frames: Int, state: MonitorState, size: Size = Size(width: 200, height: 60)) -> Result {
        var s = state
        _ = reduce(&s, .resize(size))
        var previous: Grid?
        var runs = 0
        var checksum = 0
        var down = true
        for _ in 0..<max(0, frames) {
            let grid = render(s, size: size)
            if let previous { runs += grid.diff(from: previous).count }
            checksum &+= Int(grid[0, 0].character.unicodeScalars.first?.value ?? 0) &+ grid.height
            previous = grid
            let cursor = s.transactionCursor
            let visible = s.visibleRows(.transactions)
            if cursor.selection >= cursor.offset + visible - 1 { down = false }
            if cursor.selection <= cursor.offset { down = true }
            _ = reduce(&s, .key(down ? .down : .up))
        }
        return Result(frames: max(0, frames), changedRuns: runs, checksum: checksum)
    }
}
