import Foundation
import GRDB
import PayoutCore
@testable import PayoutStore

/// A temporary folder removed when the value is released.
final class TempDir {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "payoutmon-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String, _ text: String) -> String {
        let p = path + "/" + name
        FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }
}

let shanghai = TimeZone(identifier: "Asia/Shanghai")!
let importOptions = ImportOptions(timeZone: shanghai)

/// The repository's root, found from this file's path.
let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// Row counts of every table: equal before and after means the store did not change.
func tableCounts(_ store: PayoutStore) throws -> [String: Int] {
    try store.writer.read { db in
        var out: [String: Int] = [:]
        for t in ["reportFile", "merchant", "terminal", "txn", "payout", "payoutItem", "accountEvent", "hold", "txnState"] {
            out[t] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(t)")
        }
        return out
    }
}
