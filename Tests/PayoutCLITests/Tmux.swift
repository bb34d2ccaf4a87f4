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
            + "; echo \"[exit $?]\"; stty -a | tr '\\n' ' ' | sed 's/^/[stty] /'; sleep 30"
        // The server this starts must not inherit our pipes, or reading them never ends.
        try Self.tmux(["-S", socket, "new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), "sh", "-c", line],
                      capture: false)
    }

    deinit {
        _ = try? Self.tmux(["-S", socket, "kill-server"])
        try? FileManager.default.removeItem(atPath: socket)
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    @discardableResult
    static func tmux(_ args: [String], capture: Bool = true) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/tmux")
        p.arguments = args
        p.standardInput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard capture else {
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            return ""
        }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

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

    /// Waits until the screen contains `text` (or `timeout` passes); returns the last capture.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 20) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if screen.contains(text) { return screen }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw WaitTimeout(text: text, screen: screen)
    }

    struct WaitTimeout: Error, CustomStringConvertible {
        let text: String
        let screen: String
        var description: String { "timed out waiting for \"\(text)\"; the screen was:\n\(screen)" }
    }
}
