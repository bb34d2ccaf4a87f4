import Foundation
import Testing

/// Golden files: Tests/PayoutTUITests/Golden/NAME.txt, found from this source file's path.
///
/// `expectGolden` compares text with the file; with `PAYOUTMON_UPDATE_GOLDEN=1` in the
/// environment it writes the file instead (review the diff before committing).
enum Golden {
    static let directory: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static var updating: Bool { ProcessInfo.processInfo.environment["PAYOUTMON_UPDATE_GOLDEN"] == "1" }

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name + ".txt") }
}

/// Expects `actual` to equal the golden file `name` (a trailing newline is added on disk).
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = Golden.url(name)
    if Golden.updating {
        do {
            try FileManager.default.createDirectory(at: Golden.directory, withIntermediateDirectories: true)
            try Data((actual + "\n").utf8).write(to: url, options: .atomic)
        } catch {
            Issue.record("cannot write golden \(url.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else {
        Issue.record("missing golden \(url.path): run with PAYOUTMON_UPDATE_GOLDEN=1 to create it", sourceLocation: sourceLocation)
        return
    }
    let expected = text.hasSuffix("\n") ? String(text.dropLast()) : text
    expectText(actual, expected, sourceLocation: sourceLocation)
}
