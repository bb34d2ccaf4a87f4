import Foundation
import PayoutStore

/// Printing helpers shared by the commands.
enum Output {
    static func out(_ s: String) {
        FileHandle.standardOutput.write(Data((s + "\n").utf8))
    }

    static func err(_ s: String, newline: Bool = true) {
        FileHandle.standardError.write(Data((s + (newline ? "\n" : "")).utf8))
    }

    static func grouped(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// One line per file: "transactions.csv: 12 transactions rows: 12 new, 0 updated, 0 duplicates".
    static func describe(_ s: ImportSummary) -> String {
        if s.alreadyImported {
            return "\(s.path): already imported (same sha256 \(s.sha256.prefix(12))…); nothing changed"
        }
        var parts: [String] = []
        for (table, c) in s.counts.sorted(by: { $0.key < $1.key }) {
            parts.append("\(table) \(grouped(c.inserted)) new, \(grouped(c.updated)) updated, \(grouped(c.duplicates)) duplicate")
        }
        return "\(s.path): \(grouped(s.rows)) \(s.kind) rows (\(s.format.rawValue)): " + parts.joined(separator: "; ")
    }
}
