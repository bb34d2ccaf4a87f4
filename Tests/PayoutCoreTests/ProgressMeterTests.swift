import PayoutCore
import Testing

/// The progress line, driven by a fake clock: instants given by the test, no sleeps.
@Suite struct ProgressMeterTests {
    let t0 = Instant(epochMillis: 1_000_000)
    func at(_ millis: Int64) -> Instant { Instant(epochMillis: t0.epochMillis + millis) }

    @Test func nothingShowsBeforeOneSecond() {
        for mode in [ProgressMeter.Mode.terminal, .lines(everyMillis: 5_000), .quiet] {
            var m = ProgressMeter(label: "importing a.csv", unit: "rows", mode: mode, start: t0)
            #expect(m.update(.init(done: 1_000), at: at(0)) == nil)
            #expect(m.update(.init(done: 50_000), at: at(999)) == nil)
            #expect(m.finish() == nil, "nothing shown, nothing to clear")
        }
    }

    @Test func aTerminalLineIsRedrawnInPlaceWithRateAndETA() {
        var m = ProgressMeter(label: "importing a.csv", unit: "rows", mode: .terminal, start: t0)
        // 2 s in: 40,000 rows, a quarter of 4 MB read: rate 20,000/s, 6 s left.
        let first = m.update(.init(done: 40_000, bytes: 1_000_000, totalBytes: 4_000_000), at: at(2_000))
        #expect(first == "\rimporting a.csv: 40,000 rows (25% of 4 MB), 20,000 rows/s, about 6s left")
        #expect(m.isShowing)
        // Redraws come at most every quarter second.
        #expect(m.update(.init(done: 41_000, bytes: 1_100_000, totalBytes: 4_000_000), at: at(2_100)) == nil)
        // A shorter line blanks what the longer one left.
        let second = m.update(.init(done: 80_000), at: at(4_000))
        let text = "importing a.csv: 80,000 rows, 20,000 rows/s"
        #expect(first!.count - 1 > text.count)
        #expect(second == "\r" + text + String(repeating: " ", count: max(0, first!.count - 1 - text.count)))
        #expect(second?.contains("\n") == false)
        // The whole file read: no time left is claimed for the storing that follows.
        let read = m.update(.init(done: 90_000, bytes: 4_000_000, totalBytes: 4_000_000), at: at(5_000))
        #expect(read == "\rimporting a.csv: 90,000 rows (100% of 4 MB), 18,000 rows/s, file read, finishing")
        // Finishing blanks the text on the line and returns to its start, once.
        #expect(m.finish() == "\r" + String(repeating: " ", count: read!.count - 1) + "\r")
        #expect(!m.isShowing)
        #expect(m.finish() == nil)
    }

    @Test func aKnownTotalGivesDoneOfTotalAndETA() {
        var m = ProgressMeter(label: "recomputing states", unit: "transactions", mode: .terminal, start: t0)
        let line = m.update(.init(done: 20_000, total: 80_000), at: at(4_000))
        #expect(line == "\rrecomputing states: 20,000 of 80,000 transactions, 5,000 transactions/s, about 12s left")
        // A long wait reads in minutes.
        var slow = ProgressMeter(label: "recomputing states", unit: "transactions", mode: .terminal, start: t0)
        #expect(slow.update(.init(done: 1_000, total: 121_000), at: at(1_000))?.hasSuffix("about 2m left") == true)
    }

    @Test func withoutATerminalAPlainLineEveryFiveSeconds() {
        var m = ProgressMeter(label: "importing a.csv", unit: "rows", mode: .lines(everyMillis: 5_000), start: t0)
        #expect(m.update(.init(done: 10_000), at: at(1_000)) == nil)
        #expect(m.update(.init(done: 40_000), at: at(4_999)) == nil)
        let first = m.update(.init(done: 50_000), at: at(5_000))
        #expect(first == "importing a.csv: 50,000 rows, 10,000 rows/s\n")
        #expect(m.update(.init(done: 60_000), at: at(9_000)) == nil)
        #expect(m.update(.init(done: 100_000), at: at(10_000)) == "importing a.csv: 100,000 rows, 10,000 rows/s\n")
        #expect(first?.contains("\r") == false)
        #expect(m.finish() == nil, "a plain line needs no clearing")
    }

    @Test func quietShowsNothing() {
        var m = ProgressMeter(label: "importing a.csv", unit: "rows", mode: .quiet, start: t0)
        for s in stride(from: Int64(0), through: 60_000, by: 500) {
            #expect(m.update(.init(done: Int(s) * 10, total: 1_000_000), at: at(s)) == nil)
        }
        #expect(m.finish() == nil)
    }

    @Test func aHostileFileNameIsShownSafely() {
        var m = ProgressMeter(label: "importing a\u{1B}[2Jb.csv", unit: "rows", mode: .lines(everyMillis: 1_000), start: t0)
        let line = m.update(.init(done: 5), at: at(1_000))
        #expect(line?.contains("\u{1B}") == false)
    }
}
