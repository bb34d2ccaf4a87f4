import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutModel
import PayoutSync
import PayoutTUI
import Testing

/// A scripted terminal that runs a hook before handing out each key, and notes for
/// each frame something the test wants to know at the time it was drawn.
final class HookedTerminal: TerminalBackend {
    let inner: RecordingTerminal
    /// Called with the number of keys read so far, before the next is read.
    var beforeRead: (Int) -> Void = { _ in }
    /// Called at each frame; its answers are kept in `notes`.
    var noteAtDraw: () -> Int = { 0 }
    private(set) var notes: [Int] = []
    private var reads = 0

    init(_ inner: RecordingTerminal) { self.inner = inner }
    var size: Size { inner.size }

    func draw(_ grid: Grid) {
        inner.draw(grid)
        notes.append(noteAtDraw())
    }

    func readKey(timeoutMillis: Int) -> Key? {
        beforeRead(reads)
        reads += 1
        return inner.readKey(timeoutMillis: timeoutMillis)
    }
}

/// The monitor's loop over the program's source, a `BackgroundPoller`, when the poll
/// does not come back (a store held locked): keys are still handled and drawn at once,
/// and the answers, the newest request's included, show when the poll is let go.
@Suite struct MonitorOverPollerTests {
    /// Were a poll run on the loop's thread, this would hang at the first frame: the time
    /// limit makes that a failure.
    @Test(.timeLimit(.minutes(1)))
    func keysAreHandledAndDrawnWhileAPollIsStuckAndItsAnswerShowsWhenItEnds() throws {
        let provider = GatedProvider(Fixture.provider())
        let poller = BackgroundPoller(provider: provider)
        let terminal = HookedTerminal(RecordingTerminal(size: Size(width: 100, height: 30), script: [
            .key(.char("/")), .key(.char("8")), .key(.char("8")), .key(.char("0")), .key(.enter), .key(.char("r")),
            .timeout, .key(.char("q")),
        ]))
        terminal.noteAtDraw = { provider.finished }
        var framesWhileStuck = 0
        terminal.beforeRead = { reads in
            guard reads == 6 else { return }
            // Every key so far was handled and drawn with the first poll still stuck.
            framesWhileStuck = terminal.inner.frames.count
            #expect(provider.started.count == 1)
            // Let the stuck poll go, and the one the filter and `r` asked for after it.
            provider.gate.signal()
            provider.gate.signal()
            #expect(poller.waitUntilIdle(timeout: 10))
        }
        let app = MonitorApp(terminal: terminal, source: poller,
                             state: MonitorState(now: Fixture.now, timeZone: Fixture.zone),
                             clock: { Fixture.now }, exporter: { _, _ in .success("") }, tickMillis: 10)
        app.run()
        #expect(app.state.quit)

        let texts = terminal.inner.frames.map(\.text)
        // The first frame (after its wait ran out) and one for each of / 8 8 0 Enter.
        #expect(framesWhileStuck >= 6)
        #expect(terminal.notes.prefix(framesWhileStuck).allSatisfy { $0 == 0 }, "drawn before any poll ended")
        #expect(texts[0].contains("loading…"))
        #expect(texts.prefix(framesWhileStuck).contains { $0.contains("/ filter: 880") })
        // Let go: the stuck poll, then the newest request (filter, forced by Enter and r).
        #expect(provider.started.count == 2)
        let firstRequest = MonitorState(now: Fixture.now, timeZone: Fixture.zone, size: Size(width: 100, height: 30)).request
        #expect(provider.started.first == BlockingProvider.Poll(request: firstRequest, force: true))
        #expect(provider.started.last?.request.filter == "880")
        #expect(provider.started.last?.force == true)
        #expect(app.state.snapshot?.request.filter == "880")
        #expect(app.state.sync == Fixture.sync)
        let last = try #require(texts.last)
        #expect(last.contains(Fixture.storyRRN))
        #expect(!last.contains("626000000112"), "only the filtered rows")
        #expect(poller.shutdown(timeout: 5))
    }

    /// A source that answers at once: the first frame and the frame of a key that asks
    /// for new rows show the answer (the waits are long here so a busy machine cannot
    /// make them run out; each ends as soon as the answer is in).
    @Test(.timeLimit(.minutes(1)))
    func rowsAKeyAsksForComeInTheSameFrame() throws {
        let poller = BackgroundPoller(provider: Fixture.provider())
        let terminal = RecordingTerminal(size: Size(width: 100, height: 30),
                                         keys: [.char("/"), .char("8"), .char("8"), .char("0"), .enter, .char("q")])
        let app = MonitorApp(terminal: terminal, source: poller, state: MonitorState(now: Fixture.now, timeZone: Fixture.zone),
                             clock: { Fixture.now }, exporter: { _, _ in .success("") },
                             tickMillis: 30_000, answerWaitMillis: 30_000)
        app.run()
        let texts = terminal.frames.map(\.text)
        #expect(texts.count == 6)
        #expect(!texts[0].contains("loading…"))
        #expect(texts[0].contains("626000000112"))
        #expect(texts[5].contains(Fixture.storyRRN) && !texts[5].contains("626000000112"))
        #expect(poller.shutdown(timeout: 5))
    }
}
