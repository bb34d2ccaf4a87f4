import Foundation
import PayoutCore

/// The `[alerts]` settings of the config (config/payoutmon.toml).
struct AlertSettings: Equatable {
    /// Shell commands (run with /bin/sh -c), each given every alert as JSON on stdin.
    var commands: [String] = []
    /// A file each alert is appended to as one JSON line.
    var log: String?
    /// Seconds between evaluations of `payoutmon alerts` without --once (and `watch --alerts`).
    var intervalSeconds: Int = 300
    /// Seconds one run of a command may take before it is killed.
    var timeoutSeconds: Int = 30
    /// Attempts after the first for a command that fails or times out.
    var retries: Int = 3
    /// Seconds before the first retry; doubled before each next one.
    var retryDelaySeconds: Int = 5

    static func build(own: [AppConfig.Key: String], commands: [String]?, file: String) throws -> AlertSettings {
        var a = AlertSettings()
        a.commands = commands ?? []
        if let i = a.commands.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ConfigError(file: file, key: AppConfig.Key.alertsCommands.rawValue, reason: "command \(i + 1) is empty")
        }
        if let log = own[.alertsLog] {
            guard !log.isEmpty else { throw ConfigError(file: file, key: AppConfig.Key.alertsLog.rawValue, reason: "must be a file path") }
            a.log = log
        }
        func int(_ key: AppConfig.Key, _ range: ClosedRange<Int>, unit: String) throws -> Int? {
            guard let raw = own[key] else { return nil }
            guard let v = Int(raw), range.contains(v) else {
                throw ConfigError(file: file, key: key.rawValue, reason: "\"\(raw)\" must be whole \(unit) from \(range.lowerBound) to \(range.upperBound)")
            }
            return v
        }
        if let v = try int(.alertsInterval, 1...86_400, unit: "seconds") { a.intervalSeconds = v }
        if let v = try int(.alertsTimeout, 1...3_600, unit: "seconds") { a.timeoutSeconds = v }
        if let v = try int(.alertsRetries, 0...20, unit: "attempts") { a.retries = v }
        if let v = try int(.alertsRetryDelay, 0...3_600, unit: "seconds") { a.retryDelaySeconds = v }
        return a
    }
}

/// The clock and the sleeper alerts use; tests give their own, so nothing really waits.
protocol AlertClock: Sendable {
    func now() -> Instant
    func sleep(seconds: Double)
    /// True once a stop was asked for (Ctrl-C): no more retries are waited for.
    var stopped: Bool { get }
}

/// The system clock; its sleeps end early when `stop` is requested (Ctrl-C).
struct SystemAlertClock: AlertClock {
    var stop: StopSignal?
    func now() -> Instant { Instant(Date()) }
    func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        if let stop { stop.wait(seconds: seconds) } else { Thread.sleep(forTimeInterval: seconds) }
    }
    var stopped: Bool { stop?.requested ?? false }
}

/// How one run of a command ended.
struct CommandResult: Equatable, Sendable {
    var succeeded: Bool
    /// "exit 3: curl: (7) Failed to connect", "timed out after 30 s (killed)".
    var detail: String
}

/// Runs one command with its input on stdin, within a timeout.
protocol AlertCommandRunner: Sendable {
    func run(_ command: String, input: Data, timeoutSeconds: Int) -> CommandResult
}

/// What happened to one alert at one destination (a command or the log).
struct DeliveryOutcome: Equatable, Sendable {
    var destination: String
    var alertIndex: Int
    var attempts: Int
    var delivered: Bool
    /// The last failure, when not delivered (or when delivered after failures).
    var lastError: String?
}

/// Sends alerts to the configured commands and log. Each command gets every alert in
/// order on its own thread, so a failing or hanging command never holds up the others;
/// a failure is retried `retries` times, waiting `retryDelaySeconds`, then twice that,
/// and so on, through the injected sleeper.
struct AlertDelivery {
    var settings: AlertSettings
    var runner: any AlertCommandRunner
    var clock: any AlertClock

    /// `payloads` are the alerts' JSON documents, one line each. Returns one outcome per
    /// alert and destination, commands first in their configured order, then the log.
    func deliver(_ payloads: [String]) -> [DeliveryOutcome] {
        guard !payloads.isEmpty else { return [] }
        let results = Results(count: settings.commands.count)
        let group = DispatchGroup()
        for (i, command) in settings.commands.enumerated() {
            DispatchQueue.global().async(group: group) {
                let outcomes = payloads.enumerated().map { index, payload in
                    send(payload, index: index, to: command, name: Self.commandName(i, command))
                }
                results.set(i, outcomes)
            }
        }
        var out: [DeliveryOutcome] = []
        if let log = settings.log {
            out += payloads.enumerated().map { index, payload in
                do {
                    try Self.append(payload, to: log)
                    return DeliveryOutcome(destination: "log \(log)", alertIndex: index, attempts: 1, delivered: true, lastError: nil)
                } catch {
                    return DeliveryOutcome(destination: "log \(log)", alertIndex: index, attempts: 1, delivered: false,
                                           lastError: "\(error)")
                }
            }
        }
        group.wait()
        return results.all() + out
    }

    static func commandName(_ i: Int, _ command: String) -> String {
        let shown = command.count > 60 ? String(command.prefix(57)) + "..." : command
        return "command \(i + 1) (\(shown))"
    }

    func send(_ payload: String, index: Int, to command: String, name: String) -> DeliveryOutcome {
        var delay = Double(settings.retryDelaySeconds)
        var last: String?
        let input = Data((payload + "\n").utf8)
        for attempt in 1...(settings.retries + 1) {
            if attempt > 1 {
                if clock.stopped { return DeliveryOutcome(destination: name, alertIndex: index, attempts: attempt - 1, delivered: false, lastError: (last ?? "") + " (stopped before retrying)") }
                clock.sleep(seconds: delay)
                delay *= 2
            }
            let r = runner.run(command, input: input, timeoutSeconds: settings.timeoutSeconds)
            if r.succeeded {
                return DeliveryOutcome(destination: name, alertIndex: index, attempts: attempt, delivered: true, lastError: last)
            }
            last = r.detail
        }
        return DeliveryOutcome(destination: name, alertIndex: index, attempts: settings.retries + 1, delivered: false, lastError: last)
    }

    /// Appends one line to the log, creating it mode 0600.
    static func append(_ line: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { throw CLIError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let data = Array((line + "\n").utf8)
        let n = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n == data.count else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    /// Outcomes gathered from the commands' threads.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var byCommand: [[DeliveryOutcome]]
        init(count: Int) { byCommand = Array(repeating: [], count: count) }
        func set(_ i: Int, _ o: [DeliveryOutcome]) { lock.withLock { byCommand[i] = o } }
        func all() -> [DeliveryOutcome] { lock.withLock { byCommand.flatMap { $0 } } }
    }
}

/// Runs a command with /bin/sh -c in a process group of its own, its stdin a pipe that
/// holds the input, its stdout and stderr a temporary file (the last line is the
/// failure's detail). At the timeout the whole group is killed (SIGTERM, then SIGKILL a
/// second later), so a command that hangs, and whatever it started, ends.
struct ShellCommandRunner: AlertCommandRunner {
    func run(_ command: String, input: Data, timeoutSeconds: Int) -> CommandResult {
        signal(SIGPIPE, SIG_IGN)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return CommandResult(succeeded: false, detail: "cannot make a pipe") }
        let outPath = NSTemporaryDirectory() + "payoutmon-alert-\(getpid())-\(UUID().uuidString).out"
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addclose(&actions, fds[1])
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // Its own process group (so a timeout kills all it started, and Ctrl-C at the
        // terminal leaves it to finish), with the signals payoutmon ignores back to default.
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attr, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGINT, SIGTERM] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { for a in argv { free(a) } }
        let rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ)
        close(fds[0])
        guard rc == 0 else {
            close(fds[1])
            return CommandResult(succeeded: false, detail: "cannot start /bin/sh: \(String(cString: strerror(rc)))")
        }
        // The input is one alert (a few KiB), within a pipe's buffer: the write does not wait
        // on the command. A command that exits without reading it gets EPIPE, ignored.
        input.withUnsafeBytes { _ = write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])
        let deadline = Date().addingTimeInterval(Double(timeoutSeconds))
        var status: Int32 = 0
        var timedOut = false
        while true {
            let w = waitpid(pid, &status, WNOHANG)
            if w == pid { break }
            if w < 0 && errno != EINTR { return CommandResult(succeeded: false, detail: "lost the command: \(String(cString: strerror(errno)))") }
            if !timedOut && Date() >= deadline {
                timedOut = true
                kill(-pid, SIGTERM)
                let killAt = Date().addingTimeInterval(1)
                while waitpid(pid, &status, WNOHANG) == 0 && Date() < killAt { usleep(10_000) }
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(10_000)
        }
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let lastLine = output.split(whereSeparator: \.isNewline).last.map { String($0.prefix(300)) }
        if timedOut { return CommandResult(succeeded: false, detail: "timed out after \(timeoutSeconds) s (killed)") }
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        if exited && code == 0 { return CommandResult(succeeded: true, detail: "") }
        let how = exited ? "exit \(code)" : "killed by signal \(status & 0x7f)"
        return CommandResult(succeeded: false, detail: how + (lastLine.map { ": " + $0 } ?? ""))
    }
}
