import PayoutTestSupport
import Foundation

/// Drives a program in a detached tmux session: send keys, read the screen.
final class TmuxSession {
    let name: String
    let socket: String

    /// Starts `command` in a new detached session of `width` x `height`.
    init(command: [String], width: Int = 100, height: Int = 30, env: [String: String]) throws {
        name = "pm" + UUID().uuidString.prefix(8).lowercased()
        socket = NSTemporaryDirectory() + "tmux-" + name
        let exports = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let line = "env -i \(exports) " + command.map(Self.quote).joined(separator: " ")
            + "; echo \"[exit $?]\"; echo \"[stty] $(stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' ')\"; sleep 30"
        // The server this starts must not inherit our pipes, or reading them never ends.
        try Self.tmux(["-S", socket, "new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), "sh", "-c", line],
                      capture: false)
    }

    deinit {
        _ = try? Self.tmux(["-S", socket, "kill-server"])
        try? FileManager.default.removeItem(atPath: socket)
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs tmux with `args` and returns what it printed. posix_spawn and waitpid
    /// rather than Process: the tmux server a first call starts must not inherit a pipe
    /// we read, and its client must be reaped reliably. Output goes through a file.
    @discardableResult
    static func tmux(_ args: [String], capture: Bool = true) throws -> String {
        let out = NSTemporaryDirectory() + "tmux-out-" + UUID().uuidString
        defer { unlink(out) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // -u: UTF-8 whatever the caller's locale, so Chinese text survives capture-pane.
        let argv = (["/usr/bin/tmux", "-u"] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/usr/bin/tmux", &actions, nil, argv, environ)
        guard rc == 0 else { throw SpawnError(code: rc) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard capture, let data = FileManager.default.contents(atPath: out) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    struct SpawnError: Error { let code: Int32 }

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// Sends tmux key names ("Enter", "Escape", "Down", "C-c") or literal text with `literal`.
    func send(_ keys: String..., literal: Bool = false) throws {
        try Self.tmux(["-S", socket, "send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    func capture() throws -> String {
        try Self.tmux(["-S", socket, "capture-pane", "-p", "-t", name])
    }

    func resize(width: Int, height: Int) throws {
        try Self.tmux(["-S", socket, "resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// Waits until the screen contains `text` and two captures 0.1 s apart are the same
    /// (or `timeout` passes); returns that capture. A capture can catch a frame half
    /// drawn: under the full suite's load one caught the overview with its first panes
    /// and not yet "Account status" or the footer, and the walk-through's checks failed
    /// on it (CI, 2026-12-03). The long default only matters on such a busy machine.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 45) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        var previous: String?
        while Date() < deadline {
            screen = try capture()
            if screen.contains(text) {
                if screen == previous { return screen }
                previous = screen
            } else {
                previous = nil
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        // Shown but never still (a clock ticking on screen): the last capture that shows it.
        if screen.contains(text) { return screen }
        throw WaitTimeout(text: text, screen: screen)
    }

    struct WaitTimeout: Error, CustomStringConvertible {
        let text: String
        let screen: String
        var description: String { "timed out waiting for \"\(text)\"; the screen was:\n\(screen)" }
    }
}
