import PayoutCore
import PayoutModel

/// A terminal that can suspend the process (Ctrl-Z in raw mode).
public protocol SuspendableTerminal: TerminalBackend {
    /// Stops the process until the shell resumes it, then repaints.
    func suspend()
}

/// A terminal that can draw everything again, whatever it thinks the screen holds (Ctrl-L).
public protocol RepaintingTerminal: TerminalBackend {
    /// Makes the next `draw` clear the screen and send every cell.
    func repaint()
}

/// The monitor's run loop: reads keys, ticks the clock, asks for polls, takes in their
/// answers, applies effects and draws, until the user quits.
///
/// Works over any `TerminalBackend` (ncurses for real, `RecordingTerminal` in tests)
/// and any `SnapshotSource`; time comes from `clock`, so a test with a fixed clock and
/// scripted keys is deterministic.
///
/// Threading: the loop runs on the thread that calls `run`, and only there are the
/// state, the terminal and the exporter used; the app is not for other threads. The
/// polls run wherever the source runs them. The program's source is a
/// `BackgroundPoller`, which polls the store on its own thread: the loop asks it for a
/// poll and never waits for one, and empties its mailbox on every turn (every key, or
/// every `tickMillis` without one), so a store another program holds locked (each
/// poll waiting up to the store's busy timeout, 5 s) does not stop keys from being
/// handled and frames drawn. When a key changes what is asked for (a scroll past the
/// window, a filter, a drill-in) or asks for a poll (`r`), the loop waits up to
/// `answerWaitMillis` (100 ms) for an answer, so a store that answers at once shows its
/// rows in the same frame; once such a wait has run out, the loop does not wait again
/// until the source answers. The first frame waits up to `tickMillis` for the first answer.
/// Tests use `ImmediateSnapshotSource`, which polls inside the request, so everything
/// happens on the loop's thread in a fixed order. See docs/ARCHITECTURE.md, "The
/// monitor loop".
public final class MonitorApp {
    /// Writes a dispute note about a target in a language and returns the file's path.
    public typealias Exporter = (ExportTarget, Language) -> Result<String, any Error>

    /// The state after the last event.
    public private(set) var state: MonitorState
    /// Frames handed to the terminal (a frame identical to the last one is not sent again).
    public private(set) var framesDrawn = 0

    private let terminal: any TerminalBackend
    private let source: any SnapshotSource
    private let clock: () -> Instant
    private let exporter: Exporter
    private let tickMillis: Int
    private let pollIntervalMillis: Int64
    private let answerWaitMillis: Int
    private var lastGrid: Grid?
    private var lastPoll: Instant?
    private var lastRequested: ViewRequest?
    /// True when a wait for an answer ran out (the source is stuck on a slow poll):
    /// until an answer arrives, keys do not wait for one again.
    private var stalled = false

    /// - Parameters:
    ///   - terminal: where frames go and keys come from.
    ///   - source: where snapshots come from.
    ///   - state: the starting state (its time zone and language are used; size and
    ///     clock are read from `terminal` and `clock`).
    ///   - clock: the current instant.
    ///   - exporter: writes a dispute note (`e`) and returns its path, or an error for the status line.
    ///   - tickMillis: how long one wait for a key lasts; the clock and sync age advance at this step.
    ///   - pollIntervalMillis: how often a poll is asked for when nothing asks for it sooner.
    ///   - answerWaitMillis: how long a key that asks for a poll waits for its answer at most.
    public init(terminal: any TerminalBackend, source: any SnapshotSource, state: MonitorState,
                clock: @escaping () -> Instant, exporter: @escaping Exporter,
                tickMillis: Int = 250, pollIntervalMillis: Int = 1000, answerWaitMillis: Int = 100) {
        self.terminal = terminal
        self.source = source
        self.state = state
        self.clock = clock
        self.exporter = exporter
        self.tickMillis = max(1, tickMillis)
        self.pollIntervalMillis = Int64(max(0, pollIntervalMillis))
        self.answerWaitMillis = max(0, answerWaitMillis)
    }

    /// The loop over a provider polled on the loop's own thread (through an
    /// `ImmediateSnapshotSource`): for tests and providers that never block. A store's
    /// poller belongs behind a `BackgroundPoller`.
    public convenience init(terminal: any TerminalBackend, provider: any SnapshotProvider, state: MonitorState,
                            clock: @escaping () -> Instant, exporter: @escaping Exporter,
                            tickMillis: Int = 250, pollIntervalMillis: Int = 1000) {
        self.init(terminal: terminal, source: ImmediateSnapshotSource(provider), state: state, clock: clock,
                  exporter: exporter, tickMillis: tickMillis, pollIntervalMillis: pollIntervalMillis)
    }

    /// Runs until the user quits (or `maxSteps` key waits have passed, for tests).
    public func run(maxSteps: Int? = nil) {
        _ = apply(.resize(terminal.size))
        _ = apply(.tick(clock()))
        ask(force: true, waitMillis: tickMillis)
        drawIfChanged()
        var steps = 0
        while !state.quit {
            if let maxSteps, steps >= maxSteps { break }
            steps += 1
            step(key: terminal.readKey(timeoutMillis: tickMillis))
        }
    }

    /// One turn of the loop: the clock, the answers that have arrived (before the key,
    /// so it acts on the newest rows), the key (or timeout) and its effects, asking for
    /// a poll, drawing.
    func step(key: Key?) {
        _ = apply(.tick(clock()))
        take(source.takeEvents())
        var force = false
        if let key {
            let effects = key == .resize ? apply(.resize(terminal.size)) : apply(.key(key))
            for effect in effects {
                switch effect {
                case .pollNow:
                    force = true
                case .exportNote(let target):
                    export(target)
                case .suspend:
                    (terminal as? any SuspendableTerminal)?.suspend()
                    lastGrid = nil
                case .repaint:
                    (terminal as? any RepaintingTerminal)?.repaint()
                    lastGrid = nil
                case .quit:
                    break
                }
            }
        }
        if state.quit { return }
        let requestChanged = state.request != lastRequested
        let due = lastPoll.map { state.now.epochMillis - $0.epochMillis >= pollIntervalMillis } ?? true
        if force || requestChanged {
            ask(force: true, waitMillis: answerWaitMillis)
        } else if due {
            ask(force: false, waitMillis: 0)
        }
        drawIfChanged()
    }

    /// Asks the source for a poll of the current request and takes what has arrived,
    /// waiting up to `waitMillis` for an answer unless the source is stalled. Asks
    /// again (at most twice more, forced) when an answer moves the cursors so the
    /// windows asked for change.
    private func ask(force: Bool, waitMillis: Int) {
        var force = force
        for _ in 0..<3 {
            let request = state.request
            source.requestPoll(request: request, now: state.now, force: force)
            lastRequested = request
            lastPoll = state.now
            let wait = stalled ? 0 : waitMillis
            let events = source.takeEvents(waitingUpToMillis: wait)
            if events.isEmpty && wait > 0 { stalled = true }
            take(events)
            if state.request == request { break }
            force = true
        }
    }

    /// Applies the answers that have arrived: each snapshot, and the status when it changed.
    private func take(_ events: [PollEvent]) {
        guard !events.isEmpty else { return }
        stalled = false
        for event in events {
            let status: SyncStatus
            switch event {
            case .snapshot(let snapshot, let after):
                _ = apply(.snapshot(snapshot))
                status = after
            case .status(let after):
                status = after
            }
            if status != state.sync { _ = apply(.sync(status)) }
        }
    }

    private func export(_ target: ExportTarget) {
        switch exporter(target, state.language) {
        case .success(let path):
            _ = apply(.noteWritten(path: path))
        case .failure(let error):
            _ = apply(.noteFailed(message: String(describing: error)))
        }
    }

    private func apply(_ event: MonitorEvent) -> [MonitorEffect] {
        reduce(&state, event)
    }

    private func drawIfChanged() {
        let grid = render(state, size: state.size)
        guard grid != lastGrid else { return }
        terminal.draw(grid)
        lastGrid = grid
        framesDrawn += 1
    }
}
