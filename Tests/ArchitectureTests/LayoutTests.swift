import Foundation
import PayoutTestSupport
import Testing

/// The layout of docs/ARCHITECTURE.md, checked on the source files themselves:
/// `Package.swift` already stops an import of a target that is not a dependency, and
/// these tests stop the dependencies from drifting (a screen that links SQLite, a
/// reader of report files that reaches for GRDB, a test double in the program).
@Suite struct LayoutTests {
    /// What each production target's files may import, besides the system's own
    /// modules (Foundation, Dispatch, Glibc, Darwin, and the standard library's Synchronization).
    static let allowed: [String: Set<String>] = [
        "PayoutCore": [],
        "PayoutModel": ["PayoutCore"],
        "PayoutFormats": ["PayoutCore", "Crypto", "TOMLKit", "ZIPFoundation", "SWXMLHash", "FoundationXML"],
        "PayoutStore": ["PayoutCore", "PayoutFormats", "GRDB", "GRDBSQLite"],
        "PayoutDemo": ["PayoutCore", "PayoutFormats", "PayoutStore"],
        "PayoutSync": ["PayoutCore", "PayoutModel", "PayoutStore"],
        "PayoutTUI": ["PayoutCore", "PayoutModel"],
        "NcursesTerminal": ["CNcursesw", "PayoutTUI", "PayoutCore"],
        "payoutmon": ["PayoutCore", "PayoutModel", "PayoutFormats", "PayoutStore", "PayoutDemo", "PayoutSync", "PayoutTUI",
                      "NcursesTerminal", "ArgumentParser", "TOMLKit"],
    ]
    static let system: Set<String> = ["Foundation", "Dispatch", "Glibc", "Darwin", "Synchronization"]

    /// Every Swift file under `folder`, with its text.
    static func swiftFiles(_ folder: String) -> [(path: String, text: String)] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [(String, String)] = []
        for case let rel as String in walker where rel.hasSuffix(".swift") {
            let path = folder + "/" + rel
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { out.append((path, text)) }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// The modules a file imports (`import X`, `@testable import X`, `@_exported import X`, `import struct X.Y`),
    /// from lines that start at the left margin (an indented "import" is inside a string or a block).
    static func imports(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { raw in
            guard let first = raw.first, first == "i" || first == "@" else { return nil }
            var words = raw.split(separator: " ").map(String.init)
            while let first = words.first, first.hasPrefix("@") { words.removeFirst() }
            guard words.first == "import", words.count >= 2 else { return nil }
            let name = words.count >= 3 && ["struct", "class", "enum", "protocol", "func", "typealias", "let", "var"].contains(words[1])
                ? words[2] : words[1]
            return String(name.split(separator: ".").first ?? "")
        }
    }

    @Test func everyTargetImportsOnlyWhatItMay() {
        let sources = repoRoot + "/Sources"
        let targets = (try? FileManager.default.contentsOfDirectory(atPath: sources)) ?? []
        #expect(targets.contains("PayoutTUI") && targets.contains("PayoutFormats") && targets.contains("PayoutModel"))
        var breaks: [String] = []
        for target in targets.sorted() where target != "CNcursesw" {
            guard let allowed = Self.allowed[target] else {
                breaks.append("\(target): a target docs/ARCHITECTURE.md and this test do not know")
                continue
            }
            for file in Self.swiftFiles(sources + "/" + target) {
                for module in Self.imports(file.text) where !Self.system.contains(module) && !allowed.contains(module) {
                    breaks.append("\(file.path): imports \(module)")
                }
            }
        }
        #expect(breaks.isEmpty, "\(breaks.joined(separator: "\n"))")
    }

    @Test func theImportReaderSeesEveryForm() {
        let text = "import Foundation\n@testable import PayoutStore\n@_exported import GRDB\nimport struct TOMLKit.TOMLTable\n// import Nope\nlet importer = 1\n    import your reports\n"
        #expect(Self.imports(text) == ["Foundation", "PayoutStore", "GRDB", "TOMLKit"])
    }

    @Test func testDoublesStayOutOfTheProgram() {
        var found: [String] = []
        for file in Self.swiftFiles(repoRoot + "/Sources") {
            if file.text.contains("class RecordingTerminal") || file.text.contains("import PayoutTestSupport") {
                found.append(file.path)
            }
        }
        #expect(found.isEmpty, "\(found)")
    }

    /// Comments cite documents inside the repository only.
    @Test func commentsCiteTheRepositorysOwnDocuments() {
        var found: [String] = []
        for folder in ["/Sources", "/Tests", "/Benchmarks"] {
            for file in Self.swiftFiles(repoRoot + folder) where !file.path.hasSuffix("LayoutTests.swift") {
                for (n, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where line.contains("DESIGN §") || line.contains("DESIGN.md") {
                    found.append("\(file.path):\(n + 1)")
                }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }
}
