import ArgumentParser
import Foundation
import PayoutCore
import PayoutFormats
import PayoutStore

/// `payoutmon watch DIR`: imports report files dropped into an inbox folder.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Import report files as they arrive in an inbox folder.",
        discussion: """
            A file is taken once its size and modification time have stayed the same for \
            inbox.quiet_period_ms (default 5000), it ends with a line end and it passes its \
            format's completeness checks (trailer counts, batch sums); with \
            inbox.require_done_marker, also once NAME.done exists (removed with the file). An \
            unchanged but incomplete file goes to DIR/failed/ after inbox.incomplete_timeout_ms. \
            Dotfiles, .done markers and names ending .tmp, .part or .crdownload are left alone. Each file is \
            imported in one transaction (format auto) and moved to DIR/imported/, or to \
            DIR/failed/ with NAME.error.txt naming the line and reason. A file imported before \
            (same sha256) is not imported again, also after a restart. Ctrl-C stops between files.
            """
    )

    @Argument(help: "The inbox folder.", completion: .directory)
    var directory: String

    @OptionGroup var store: StoreOptions
    @OptionGroup var configOptions: ConfigOptions

    @Option(help: ArgumentHelp("Milliseconds between polls.", valueName: "MS"))
    var interval: Int = 1000

    @Flag(help: "Poll over one quiet period (at least twice, one interval apart), import what is complete, and exit (non-zero if a file failed).")
    var once = false

    func validate() throws {
        if !(50...3_600_000).contains(interval) { throw ValidationError("--interval must be 50 to 3600000 milliseconds") }
    }

    func run() throws {
        let config = try configOptions.load()
        let db = try store.openForWriting(config: config)
        let watcher = try InboxWatcher(directory: directory, store: db,
                                       options: ImportOptions(format: .auto, timeZone: config.timeZone, rules: config.rules))
        watcher.quietPeriodMillis = config.inboxQuietMillis
        watcher.incompleteTimeoutMillis = config.inboxIncompleteTimeoutMillis
        watcher.requireDoneMarker = config.inboxRequireDoneMarker
        let stop = StopSignal()
        if !once {
            Output.err("watching \(watcher.directory) every \(interval) ms into \(db.path); Ctrl-C stops")
        }
        var failed = 0
        var polls = 0
        let started = Date()
        while !stop.requested {
            let now = Date()
            for event in watcher.poll(now: Instant(now)) {
                let line = SimulateCommand.clock(now, config.timeZone) + "  " + Self.describe(event, inbox: watcher.directory)
                switch event.outcome {
                case .failed: failed += 1; Output.err(line)
                case .retrying: Output.err(line)
                case .imported, .alreadyImported: Output.out(line)
                }
            }
            polls += 1
            // A file seen at the first poll can be taken once a quiet period has passed.
            if once && polls >= 2 && now.timeIntervalSince(started) * 1000 >= Double(watcher.quietPeriodMillis) { break }
            stop.wait(seconds: Double(interval) / 1000)
        }
        if once && !watcher.waiting.isEmpty {
            Output.err("still being written, not taken: " + watcher.waiting.map { SafeText.visible($0) }.joined(separator: ", "))
        }
        if once && failed > 0 { throw ExitCode(1) }
    }

    /// One line per file: what happened and where it went; names and reasons come from
    /// the inbox and its reports, so the line is shown as `SafeText` shows a value.
    static func describe(_ e: InboxEvent, inbox: String) -> String {
        SafeText.visible(line(e, inbox: inbox))
    }

    private static func line(_ e: InboxEvent, inbox: String) -> String {
        let moved = e.movedTo.map { " -> " + ($0.hasPrefix(inbox + "/") ? String($0.dropFirst(inbox.count + 1)) : $0) } ?? ""
        switch e.outcome {
        case .imported(let rows, let kind):
            return "imported \(e.name) (\(kind), \(Output.grouped(rows)) row\(rows == 1 ? "" : "s"))\(moved)"
        case .alreadyImported:
            return "\(e.name): already imported (same sha256); nothing changed\(moved)"
        case .failed(let line, let reason, let errorFile):
            let at = line > 0 ? "line \(line): " : ""
            let file = errorFile.hasPrefix(inbox + "/") ? String(errorFile.dropFirst(inbox.count + 1)) : errorFile
            return "failed \(e.name): \(at)\(reason)\(moved) (see \(file))"
        case .retrying(let reason):
            return "\(e.name): not imported yet: \(reason); will try again"
        }
    }
}
