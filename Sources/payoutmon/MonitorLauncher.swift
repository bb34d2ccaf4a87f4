import Foundation
import NcursesTerminal
import PayoutCore
import PayoutStore
import PayoutSync
import PayoutTUI

/// Opens the monitor on a store: the real terminal, the store's poller on a thread of
/// its own, and the note writer.
enum MonitorLauncher {
    /// How long quitting waits for a poll still running (one waiting out another
    /// program's lock can take up to `busyTimeout`). The connection only
    /// reads, so a poll still running after that ends with the process, losing nothing.
    static let shutdownWaitSeconds: TimeInterval = 1
    /// How long the monitor's reads wait for another program's lock before the screen
    /// says "locked": short, so a store locked at start shows the frame at once; the
    /// poller tries again (see StorePoller.lockedRetryMillis).
    static let busyTimeout: TimeInterval = 0.5

    /// Runs until the user quits. `language` is the --lang flag (else config, else $LANG).
    static func run(storePath: String, config: AppConfig, language: String?) throws {
        guard FileManager.default.fileExists(atPath: storePath) else {
            throw MonitorError(description: """
                no store at \(storePath)
                  import your acquirer's reports:  payoutmon import FILE...
                  or try the demo:                 payoutmon --demo
                """)
        }
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            throw MonitorError(description: """
                the monitor needs a terminal (standard input and output are not one).
                for a summary in scripts or cron use:  payoutmon status --db \(storePath)
                """)
        }
        // Refuse a store that is not one before touching the terminal; a store another
        // program holds locked is one: the monitor opens on it stale ("locked") and
        // reads it once the lock goes.
        do {
            _ = try PayoutStore.openReadOnly(path: storePath, busyTimeout: busyTimeout)
        } catch let e as StoreError where e.code == .locked {}
        let env = ProcessInfo.processInfo.environment
        let rules = config.rules
        // The store is polled off the key loop, so a locked store does not hold up keys (see MonitorApp).
        let poller = BackgroundPoller(provider: StorePoller(path: storePath, rules: rules, merchantId: config.merchantId,
                                                            busyTimeout: busyTimeout))
        // After the terminal is restored, so the shell gets it back at once.
        defer { poller.shutdown(timeout: shutdownWaitSeconds) }
        let state = MonitorState(now: Instant(Date()), timeZone: config.timeZone,
                                 language: Language.resolve(language ?? config.language, environment: env))
        // `e` runs on the key loop: it waits for a lock no longer than the poller does, and
        // a locked store is a message in the status line, not a frozen screen.
        let exporter: MonitorApp.Exporter = { target, lang in
            Result {
                let store = try PayoutStore.openReadOnly(path: storePath, busyTimeout: busyTimeout)
                let noteTarget: NoteTarget
                switch target {
                case .transaction(let id): noteTarget = .transaction(id: id)
                case .payout(let mid, let ref): noteTarget = .payout(ref: ref, merchantId: mid)
                case .account(let mid):
                    let note = try Notes.composeAccount(store: store, rules: rules, merchantId: mid, now: Instant(Date()),
                                                        language: lang, format: .markdown)
                    return try Notes.write(note.text, folder: Paths.notesFolder, name: note.suggestedFileName)
                }
                let note = try Notes.compose(store: store, rules: rules, target: noteTarget, now: Instant(Date()),
                                             language: lang, format: .markdown)
                return try Notes.write(note.text, folder: Paths.notesFolder, name: note.suggestedFileName)
            }
        }
        try withTerminal(environment: env, mouse: config.mouse) { terminal in
            let app = MonitorApp(terminal: BenchHooks.wrap(terminal), source: poller, state: state, clock: { Instant(Date()) },
                                 exporter: exporter, tickMillis: 250, pollIntervalMillis: config.pollIntervalMillis)
            app.run()
        }
    }
}

/// Why the monitor did not open.
struct MonitorError: Error, CustomStringConvertible {
    let description: String
}
