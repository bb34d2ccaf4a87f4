import PayoutTestSupport
import PayoutCore
import PayoutModel
import Testing
@testable import PayoutTUI

/// A provider that serves the fixture and records every poll.
final class SpyProvider: SnapshotProvider {
    struct Poll: Equatable {
        var request: ViewRequest
        var now: Instant
        var force: Bool
    }

    private(set) var polls: [Poll] = []
    var status: SyncStatus = Fixture.sync

    func poll(request: ViewRequest, now: Instant, force: Bool) -> Snapshot? {
        let changed = force || polls.last.map { $0.request != request || $0.now != now } ?? true
        polls.append(Poll(request: request, now: now, force: force))
        return changed ? Fixture.snapshot(request, now: now) : nil
    }
}

/// A clock for tests: each reading moves on by `step` milliseconds.
final class StepClock {
    private(set) var now: Instant
    let step: Int64

    init(start: Instant, stepMillis: Int64 = 0) {
        now = start
        step = stepMillis
    }

    func read() -> Instant {
        defer { now = Instant(epochMillis: now.epochMillis + step) }
        return now
    }
}

/// A terminal that records suspends.
final class SuspendingTerminal: SuspendableTerminal {
    let inner: RecordingTerminal
    private(set) var suspends = 0

    init(_ inner: RecordingTerminal) { self.inner = inner }
    var size: Size { inner.size }
    func draw(_ grid: Grid) { inner.draw(grid) }
    func readKey(timeoutMillis: Int) -> Key? { inner.readKey(timeoutMillis: timeoutMillis) }
    func suspend() { suspends += 1 }
}

/// The run loop driven by scripted keys, a fixed clock and a fixture provider.
@Suite struct MonitorAppTests {
    func app(_ terminal: any TerminalBackend, provider: any SnapshotProvider = Fixture.provider(), clock: StepClock = StepClock(start: Fixture.now),
             language: Language = .en, exported: ExportLog = ExportLog()) -> MonitorApp {
        MonitorApp(terminal: terminal, provider: provider,
                   state: MonitorState(now: Fixture.now, timeZone: Fixture.zone, language: language),
                   clock: clock.read, exporter: exported.exporter)
    }

    final class ExportLog {
        var targets: [(ExportTarget, Language)] = []
        var result: Result<String, any Error> = .success("/tmp/notes/note.md")
        var exporter: MonitorApp.Exporter {
            { target, language in
                self.targets.append((target, language))
                return self.result
            }
        }
    }

    struct NoteExists: Error, CustomStringConvertible {
        var description: String { "a note for this RRN already exists" }
    }

    @Test func drawsTheOverviewAndQuitsOnQ() {
        let terminal = RecordingTerminal(size: Size(width: 100, height: 30), keys: [.char("q")])
        let app = app(terminal)
        app.run()
        #expect(app.state.quit)
        #expect(terminal.frames.count == 1)
        #expect(terminal.screenText == render(Fixture.state(size: Size(width: 100, height: 30))).text)
        #expect(terminal.readTimeouts == [250])
    }

    @Test func drillsInAndOutAndExportsANote() {
        let terminal = RecordingTerminal(size: Size(width: 100, height: 30), script: [
            .key(.down), .key(.down), .key(.down), .key(.down), .key(.down), .key(.enter), .timeout,
            .key(.char("e")), .key(.escape), .key(.char("q")),
        ])
        let log = ExportLog()
        let app = app(terminal, exported: log)
        app.run()
        #expect(app.state.quit)
        #expect(log.targets.count == 1)
        #expect(log.targets.first?.0 == .transaction(id: Fixture.storyTxnId))
        #expect(log.targets.first?.1 == .en)
        let texts = terminal.frames.map(\.text)
        #expect(texts.contains { $0.contains("Transaction · RRN \(Fixture.storyRRN)") && $0.contains("Timeline") })
        #expect(texts.contains { $0.contains("note written: /tmp/notes/note.md") })
        // Back on the overview with the story still selected.
        #expect(texts.last?.contains("1 Transactions") == true)
        #expect(app.state.selectedTransaction?.id == Fixture.storyTxnId)
        // A timeout with nothing new draws nothing.
        #expect(terminal.frames.count == 9)
    }

    @Test func exportFailuresShowInTheStatusLine() {
        let terminal = RecordingTerminal(size: Size(width: 100, height: 30), keys: [.char("e"), .char("q")])
        let log = ExportLog()
        log.result = .failure(NoteExists())
        let app = app(terminal, language: .zhHans, exported: log)
        app.run()
        #expect(log.targets.first?.1 == .zhHans)
        #expect(terminal.frames.last?.row(28).hasPrefix("✗ 申诉说明生成失败：a note for this RRN already exists") == true)
    }

    @Test func tooSmallAndBackAndCtrlCThere() {
        let terminal = RecordingTerminal(size: Size(width: 100, height: 30), script: [
            .resize(Size(width: 60, height: 15)), .key(.down), .resize(Size(width: 100, height: 30)),
            .resize(Size(width: 70, height: 20)), .key(.ctrlC),
        ])
        let app = app(terminal)
        app.run()
        #expect(app.state.quit)
        let texts = terminal.frames.map(\.text)
        #expect(terminal.frames.map(\.size) == [Size(width: 100, height: 30), Size(width: 60, height: 15),
                                              Size(width: 100, height: 30), Size(width: 70, height: 20)])
        #expect(texts[1].contains("need 80x24, now 60x15"))
        #expect(texts[2] == texts[0])
        #expect(texts[3].contains("need 80x24, now 70x20"))
        // The down key on the small screen moved nothing.
        #expect(app.state.transactionCursor.selection == 0)
    }

    @Test func pollsAskForTheRowsThePanesShow() {
        let terminal = RecordingTerminal(size: Size(width: 80, height: 24), script: [
            .resize(Size(width: 120, height: 40)), .key(.char("r")), .key(.char("q")),
        ])
        let provider = SpyProvider()
        let app = app(terminal, provider: provider)
        app.run()
        let first = provider.polls.first
        #expect(first?.force == true)
        #expect(first?.request.transactionLimit == OverviewLayout(size: Size(width: 80, height: 24)).visibleRows(.transactions))
        #expect(first?.request.payoutLimit == OverviewLayout(size: Size(width: 80, height: 24)).visibleRows(.payouts))
        let afterResize = provider.polls[1]
        #expect(afterResize.force)
        #expect(afterResize.request.transactionLimit == OverviewLayout(size: Size(width: 120, height: 40)).visibleRows(.transactions))
        // r forces a poll with an unchanged request.
        #expect(provider.polls.count == 3)
        #expect(provider.polls[2].force && provider.polls[2].request == afterResize.request)
    }

    @Test func theClockTicksAndTheProviderIsPolledOnItsInterval() {
        // Each clock reading is 250 ms later: one second every four waits.
        let terminal = RecordingTerminal(size: Size(width: 100, height: 30),
                                         script: Array(repeating: .timeout, count: 8) + [.key(.char("q"))])
        let provider = SpyProvider()
        let clock = StepClock(start: Fixture.now, stepMillis: 250)
        let app = app(terminal, provider: provider, clock: clock)
        app.run()
        let clocks = terminal.frames.map { String($0.row(0).suffix(8)) }
        #expect(clocks == ["15:30:05", "15:30:06", "15:30:07"])
        // Polled at start, then once a second.
        #expect(provider.polls.count == 3)
        #expect(provider.polls.dropFirst().allSatisfy { !$0.force })
    }

    @Test func filteringThroughTheAppAsksTheStore() {
        let terminal = RecordingTerminal(size: Size(width: 100, height: 30),
                                         keys: [.char("/"), .char("8"), .char("8"), .char("0"), .enter, .char("p"), .char("q")])
        let provider = SpyProvider()
        let app = app(terminal, provider: provider)
        app.run()
        #expect(provider.polls.map(\.request.filter).contains("880"))
        #expect(provider.polls.last?.request.filter == "880")
        #expect(provider.polls.last?.request.problemsOnly == true)
        #expect(terminal.screenText.contains("/ 880: "))
        #expect(terminal.screenText.contains("▲ problems only"))
    }

    @Test func ctrlZSuspendsASuspendableTerminalAndRedraws() {
        let recording = RecordingTerminal(size: Size(width: 100, height: 30), keys: [.ctrl("z"), .char("q")])
        let terminal = SuspendingTerminal(recording)
        let app = app(terminal)
        app.run()
        #expect(terminal.suspends == 1)
        #expect(recording.frames.count == 2)
        #expect(recording.frames[0] == recording.frames[1])
    }

    @Test func maxStepsEndsALoopThatNeverQuits() {
        let terminal = RecordingTerminal(size: Size(width: 100, height: 30))
        let app = app(terminal)
        app.run(maxSteps: 5)
        #expect(!app.state.quit)
        #expect(terminal.readTimeouts.count == 5)
    }

}
