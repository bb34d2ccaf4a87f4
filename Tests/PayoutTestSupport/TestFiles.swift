import Foundation
import PayoutCore

/// A temporary folder, removed when the value is released.
public final class TempDir: @unchecked Sendable {
    public let path: String

    public init(prefix: String = "payoutmon-test-") {
        path = NSTemporaryDirectory() + prefix + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` inside the folder and returns the file's path.
    @discardableResult
    public func file(_ name: String, _ text: String) -> String {
        let p = path + "/" + name
        FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }
}

/// The repository's root, found from this file's path (Tests/PayoutTestSupport/TestFiles.swift).
public let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The demo's and most tests' zone.
public let shanghai = TimeZone(identifier: "Asia/Shanghai")!

/// Wall-clock time ("2026-11-23 10:00" or with seconds) in `zone` as an instant.
public func at(_ text: String, in zone: TimeZone = shanghai) -> Instant {
    guard let local = LocalDateTime(parsing: text) else { preconditionFailure("not a local date and time: \(text)") }
    return local.instant(in: zone)
}
