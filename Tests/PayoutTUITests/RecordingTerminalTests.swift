import PayoutTestSupport
import PayoutTUI
import Testing

@Suite struct RecordingTerminalTests {
    @Test func scriptedInputComesOutInOrder() {
        let terminal = RecordingTerminal(
            size: Size(width: 20, height: 5),
            script: [.key(.char("j")), .timeout, .resize(Size(width: 30, height: 8)), .key(.ctrlC)]
        )
        #expect(terminal.readKey(timeoutMillis: 250) == .char("j"))
        #expect(terminal.readKey(timeoutMillis: 250) == nil)
        #expect(terminal.size == Size(width: 20, height: 5))
        #expect(terminal.readKey(timeoutMillis: 250) == .resize)
        #expect(terminal.size == Size(width: 30, height: 8))
        #expect(terminal.readKey(timeoutMillis: 100) == .ctrlC)
        #expect(terminal.isExhausted)
        #expect(terminal.readKey(timeoutMillis: 100) == nil)
        #expect(terminal.readTimeouts == [250, 250, 250, 100, 100])
        terminal.keyWhenExhausted = .char("q")
        #expect(terminal.readKey(timeoutMillis: 0) == .char("q"))
    }

    @Test func framesAndFlushesAreRecorded() {
        let terminal = RecordingTerminal(size: Size(width: 10, height: 2), keys: [])
        var grid = Grid(size: terminal.size)
        grid.put("商户 1", x: 0, y: 0)
        terminal.draw(grid)
        grid.put("2", x: 5, y: 0)
        terminal.draw(grid)
        terminal.draw(Grid(width: 12, height: 2))
        #expect(terminal.frames.count == 3)
        #expect(terminal.flushes[0].count == 2)  // first frame: every row
        #expect(terminal.flushes[1].map(\.description) == ["y=0 x=5 \"2\""])
        #expect(terminal.flushes[2].count == 2)  // size changed: every row
        expectText(terminal.screenText, "\n")
    }

    @Test func aTinyEventLoopRunsAgainstIt() {
        // The shape the monitor's loop will have: draw, read, reduce, until quit.
        let terminal = RecordingTerminal(size: Size(width: 12, height: 1), keys: [.down, .down, .up, .ctrlC])
        var selected = 0
        loop: while true {
            var grid = Grid(size: terminal.size)
            grid.put("row \(selected)", x: 0, y: 0)
            terminal.draw(grid)
            switch terminal.readKey(timeoutMillis: 1000) {
            case .down?: selected += 1
            case .up?: selected -= 1
            case .ctrlC?, nil: break loop
            default: continue
            }
        }
        #expect(terminal.frames.map(\.text) == ["row 0", "row 1", "row 2", "row 1"])
    }
}
