/// The screen shown below the minimum size: what size is needed, the current size,
/// and how to leave. It recovers by itself when the terminal grows.
enum TooSmallView {
    static func draw(_ state: MonitorState, into grid: inout Grid) {
        let s = state.strings
        let lines: [StyledLine] = [
            StyledLine("! " + s.tooSmall, .bad.bold),
            StyledLine(s.sizeNeeded(MonitorState.minimumSize, now: state.size)),
            StyledLine(s.resizeOrQuit, .muted),
        ]
        let top = max(0, (grid.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let shown = line.truncated(to: grid.width)
            let x = max(0, (grid.width - shown.width) / 2)
            grid.put(shown, x: x, y: top + i, maxWidth: grid.width)
        }
    }
}
