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
            (same sha256) is not imported again, also after a restart. Ctrl-C stops between files. \
            With --alerts, also fires alerts as `payoutmon alerts` does (the config's [alerts]): \
            after each file imported and every [alerts] interval seconds. Exit status with \
            --once: 0 when every file taken was imported (and, with --alerts, no alert fired and \
            nothing needs attention), 1 when one went to DIR/failed/ (or an alert fired or \
            something needs attention), 2 when the inbox or the store cannot be used.
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

    @Flag(help: "Print one JSON object per file event, one per line (schema payoutmon.watch/1, see docs/cli.md).")
    var json = false

    @Flag(help: "Also fire alerts ([alerts] in the config) after each import and every [alerts] interval, as `payoutmon alerts` does.")
    var alerts = false

    /// For tests: evaluate alerts at this local time instead of the clock's.
    @Option(name: .customLong("alerts-now"), help: .hidden)
    var alertsNow: String?

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
        var alertsAt: Instant?
        if let alertsNow {
            guard let t = InstantParser.parse(alertsNow, zone: config.timeZone) else {
                throw ValidationError("--alerts-now \"\(alertsNow)\" is not a time like \"2026-11-28 15:00\"")
            }
            alertsAt = t
        }
        let stop = StopSignal()
        let alertRunner = alerts ? AlertRunner(store: AlertStore(db), config: config, json: json, clock: SystemAlertClock(stop: stop),
                                               commandRunner: ShellCommandRunner()) : nil
        if !once {
            Output.err("watching \(watcher.directory) every \(interval) ms into \(db.path); Ctrl-C stops")
        }
        var failed = 0
        var polls = 0
        var alertsNeedAttention = false
        var lastAlerts: Date?
        let started = Date()
        /// One evaluation of alerts; a locked store waits for the next one.
        func evaluateAlerts(_ now: Date) throws {
            guard let alertRunner else { return }
            do {
                let r = try alertRunner.evaluate(now: alertsAt ?? Instant(now))
                alertsNeedAttention = r.fired > 0 || r.needsAttention
                lastAlerts = now
            } catch let e as StoreError where e.code == .locked {
                Output.err("warning: alerts: \(e.description); trying again at the next poll")
            }
        }
        while !stop.requested {
            let now = Date()
            var imported = false
            for event in watcher.poll(now: Instant(now)) {
                if case .failed = event.outcome { failed += 1 }
                if case .imported = event.outcome { imported = true }
                if json {
                    Output.out(Output.encodeJSON(WatchEventJSON(event, at: Instant(now), inbox: watcher.directory)))
                    continue
                }
                let line = SimulateCommand.clock(now, config.timeZone) + "  " + Self.describe(event, inbox: watcher.directory)
                switch event.outcome {
                case .failed, .retrying: Output.err(line)
                case .imported, .alreadyImported: Output.out(line)
                }
            }
            polls += 1
            if !once, imported || lastAlerts.map({ now.timeIntervalSince($0) >= Double(config.alerts.intervalSeconds) }) ?? true {
                try evaluateAlerts(now)
            }
            // A file seen at the first poll can be taken once a quiet period has passed.
            if once && polls >= 2 && now.timeIntervalSince(started) * 1000 >= Double(watcher.quietPeriodMillis) { break }
            stop.wait(seconds: Double(interval) / 1000)
        }
        if once && !watcher.waiting.isEmpty {
            Output.err("still being written, not taken: " + watcher.waiting.map { SafeText.visible($0) }.joined(separator: ", "))
        }
        if once { try evaluateAlerts(Date()) }
        // A file moved to failed/ was handled, and needs the user's attention.
        if once && (failed > 0 || alertsNeedAttention) { throw ExitCode.needsAttention }
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

/// `watch --json`: one object per file event (docs/cli.md).
struct WatchEventJSON: Encodable {
    var schema = "payoutmon.watch/1"
    let at: String
    let file: String
    /// "imported", "already-imported", "failed" or "retrying".
    let outcome: String
    let movedTo: String?
    let kind: String?
    let rows: Int?
    let line: Int?
    let reason: String?
    let errorFile: String?

    init(_ e: InboxEvent, at: Instant, inbox: String) {
        self.at = at.description
        file = e.name
        movedTo = e.movedTo
        var (kind, rows, line, reason, errorFile): (String?, Int?, Int?, String?, String?) = (nil, nil, nil, nil, nil)
        switch e.outcome {
        case .imported(let r, let k): outcome = "imported"; rows = r; kind = k
        case .alreadyImported: outcome = "already-imported"
        case .failed(let l, let why, let f): outcome = "failed"; line = l > 0 ? l : nil; reason = why; errorFile = f
        case .retrying(let why): outcome = "retrying"; reason = why
        }
        (self.kind, self.rows, self.line, self.reason, self.errorFile) = (kind, rows, line, reason, errorFile)
    }

    enum CodingKeys: String, CodingKey { case schema, at, file, outcome, movedTo, kind, rows, line, reason, errorFile }

    /// Every key is present (null when it does not apply).
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema); try c.encode(at, forKey: .at); try c.encode(file, forKey: .file)
        try c.encode(outcome, forKey: .outcome); try c.encode(movedTo, forKey: .movedTo); try c.encode(kind, forKey: .kind)
        try c.encode(rows, forKey: .rows); try c.encode(line, forKey: .line); try c.encode(reason, forKey: .reason)
        try c.encode(errorFile, forKey: .errorFile)
    }
}
