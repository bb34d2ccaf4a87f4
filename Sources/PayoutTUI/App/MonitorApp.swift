import PayoutCore
import PayoutModel

/// A terminal that can suspend the process (Ctrl-Z in raw mode).
public protocol SuspendableTerminal: TerminalBackend {
    /// Stops the process until the shell resumes it, then repaints.
    func suspend()
}

/// The monitor's run loop: reads keys, ticks the clock, polls the provider, applies
/// effects and draws, until the user quits.
///
/// Works over any `TerminalBackend` (ncurses for real, `RecordingTerminal` in tests)
/// and any `SnapshotProvider`; time comes from `clock`, so a test with a fixed clock
/// and scripted keys is deterministic. Single-threaded: use it from one thread.
public final class MonitorApp {
    /// Writes a dispute note about a target in a language and returns the file's path.
    public typealias Exporter = (ExportTarget, Language) -> Result<String, any Error>

    /// The state after the last event.
    public private(set) var state: MonitorState
    /// Frames handed to the terminal (a frame identical to the last one is not sent again).
    public private(set) var framesDrawn = 0

    private let terminal: any TerminalBackend
    private let provider: any SnapshotProvider
    private let clock: () -> Instant
    private let exporter: Exporter
    private let tickMillis: Int
    private let pollIntervalMillis: Int64
    private var lastGrid: Grid?
    private var lastPoll: Instant?
    private var lastPolledRequest: ViewRequest?

    /// - Parameters:
    ///   - terminal: where frames go and keys come from.
    ///   - provider: where snapshots come from.
    ///   - state: the starting state (its time zone and language are used; size and
    ///     clock are read from `terminal` and `clock`).
    ///   - clock: the current instant.
    ///   - exporter: writes a dispute note (`e`) and returns its path, or an error for the status line.
    ///   - tickMillis: how long one wait for a key lasts; the clock and sync age advance at this step.
    ///   - pollIntervalMillis: how often the provider is polled when nothing asks for it sooner.
    public init(terminal: any TerminalBackend, provider: any SnapshotProvider, state: MonitorState,
                clock: @escaping () -> Instant, exporter: @escaping Exporter,
                tickMillis: Int = 250, pollIntervalMillis: Int = 1000) {
        self.terminal = terminal
        self.provider = provider
        self.state = state
        self.clock = clock
        self.exporter = exporter
        self.tickMillis = max(1, tickMillis)
        self.pollIntervalMillis = Int64(max(0, pollIntervalMillis))
    }

    /// Runs until the user quits (or `maxSteps` key waits have passed, for tests).
    public func run(maxSteps: Int? = nil) {
        _ = apply(.resize(terminal.size))
        _ = apply(.tick(clock()))
        poll(force: true)
        drawIfChanged()
        var steps = 0
        while !state.quit {
            if let maxSteps, steps >= maxSteps { break }
            steps += 1
            step(key: terminal.readKey(timeoutMillis: tickMillis))
        }
    }

    /// One turn of the loop: the key (or timeout), the clock, effects, polling, drawing.
    func step(key: Key?) {
        _ = apply(.tick(clock()))
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
                case .quit:
                    break
                }
            }
        }
        if state.quit { return }
        let requestChanged = state.request != lastPolledRequest
        let due = lastPoll.map { state.now.epochMillis - $0.epochMillis >= pollIntervalMillis } ?? true
        if force || requestChanged || due {
            poll(force: force || requestChanged)
        }
        drawIfChanged()
    }

    /// Asks the provider for a snapshot; repeats (at most twice more) when the new
    /// snapshot moves the cursors so the windows asked for change.
    private func poll(force: Bool) {
        var force = force
        for _ in 0..<3 {
            let request = state.request
            if let snapshot = provider.poll(request: request, now: state.now, force: force) {
                _ = apply(.snapshot(snapshot))
            }
            lastPolledRequest = request
            lastPoll = state.now
            if state.request == request { break }
            force = true
        }
        let status = provider.status
        if status != state.sync { _ = apply(.sync(status)) }
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
