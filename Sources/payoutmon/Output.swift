import Foundation
import PayoutCore
import PayoutStore

/// An error a command reports as is: the message already says what to do next.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Printing helpers shared by the commands.
enum Output {
    static func out(_ s: String) {
        FileHandle.standardOutput.write(Data((s + "\n").utf8))
    }

    static func err(_ s: String, newline: Bool = true) {
        FileHandle.standardError.write(Data((s + (newline ? "\n" : "")).utf8))
    }

    /// Encoded JSON as text with every character `SafeText.isUnsafe` names written as a
    /// `\uXXXX` escape: JSONEncoder escapes C0 controls but leaves DEL, C1 controls and
    /// bidi overrides raw. Raw line feeds in encoded JSON are only its layout (inside a
    /// string JSON writes `\n`), so they stay.
    static func json(_ data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self)
        guard text.unicodeScalars.contains(where: { SafeText.isUnsafe($0) && $0 != "\n" }) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if SafeText.isUnsafe(u) && u != "\n" {
                let hex = String(u.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// One JSON document (sorted keys, no escaped slashes; one line unless `pretty`), with
    /// the characters `SafeText` names escaped as `json(_:)` does.
    static func encodeJSON<T: Encodable>(_ value: T, pretty: Bool = false) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return json((try? enc.encode(value)) ?? Data("{}".utf8))
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

    /// Where every row of a file went, then what each table got, then the skipped rows
    /// by reason:
    /// "transactions.csv: 12 transactions rows (canonical): 11 stored, 1 duplicate, 0 rejected, 0 skipped"
    /// "  records: transactions 11 new, 0 updated, 0 revised, 1 duplicate".
    static func describe(_ s: ImportSummary) -> String {
        if s.alreadyImported {
            return "\(s.path): already imported (same sha256 \(s.sha256.prefix(12))…); nothing changed"
        }
        let a = s.account
        var out = "\(s.path): \(grouped(s.rows)) \(s.kind) rows (\(s.format.rawValue)): \(grouped(a.stored)) stored, "
            + "\(grouped(a.duplicates)) duplicate, \(grouped(a.rejected)) rejected, \(grouped(a.skippedTotal)) skipped"
        var parts: [String] = []
        for (table, c) in s.counts.sorted(by: { $0.key < $1.key }) {
            parts.append("\(table) \(grouped(c.inserted)) new, \(grouped(c.updated)) updated, \(grouped(c.revised)) revised, \(grouped(c.duplicates)) duplicate")
        }
        if !parts.isEmpty { out += "\n  records: " + parts.joined(separator: "; ") }
        if let b = s.bank {
            out += "\n  bank statements: \(grouped(b.statements)) stored (\(b.formats.joined(separator: ", "))), \(grouped(b.duplicateStatements)) duplicate, "
                + "\(grouped(b.unassigned)) unassigned, \(grouped(b.incomplete)) incomplete, \(grouped(b.gaps)) gap(s) in the chain"
        }
        for (reason, n) in a.skipped.sorted(by: { $0.key < $1.key }) {
            out += "\n  skipped \(grouped(n)): " + SafeText.visible(reason)
        }
        return out
    }
}
