/// A note as blocks, rendered to Markdown or plain text.
struct NoteDocument {
    enum Block {
        case title(String)
        case heading(String)
        case paragraph(String)
        case fields([(String, String)])
        case bullets([String])
        case numbered([String])
        /// A finding: its title, evidence lines and next step.
        case finding(title: String, lines: [String], next: (String, String))
        case table(headers: [String], rows: [[String]])
        case sources([(String, String)], none: String)
    }

    var blocks: [Block] = []
    let chinese: Bool

    mutating func add(_ b: Block) { blocks.append(b) }

    func markdown() -> String {
        var parts: [String] = []
        for b in blocks {
            switch b {
            case .title(let s): parts.append("# " + s)
            case .heading(let s): parts.append("## " + s)
            case .paragraph(let s): parts.append(s)
            case .fields(let kv):
                parts.append(kv.map { "- **\($0.0)\(chinese ? "：" : ":")** \($0.1)" }.joined(separator: "\n"))
            case .bullets(let xs): parts.append(xs.map { "- " + $0 }.joined(separator: "\n"))
            case .numbered(let xs): parts.append(xs.enumerated().map { "\($0.offset + 1). " + $0.element }.joined(separator: "\n"))
            case .finding(let title, let lines, let next):
                var s = "**\(title)**\n\n" + lines.map { "- " + $0 }.joined(separator: "\n")
                s += "\n\n" + "*\(next.0)\(chinese ? "：" : ":")* " + next.1
                parts.append(s)
            case .table(let headers, let rows):
                func row(_ cells: [String]) -> String {
                    "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
                }
                var lines = [row(headers), "|" + headers.map { _ in " --- |" }.joined()]
                lines += rows.map(row)
                parts.append(lines.joined(separator: "\n"))
            case .sources(let files, let none):
                if files.isEmpty { parts.append(none) } else {
                    parts.append(files.map { "- `\($0.0)` sha256 `\($0.1)`" }.joined(separator: "\n"))
                }
            }
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    func plain() -> String {
        var parts: [String] = []
        for b in blocks {
            switch b {
            case .title(let s): parts.append(s)
            case .heading(let s): parts.append(chinese ? "【\(s)】" : "== \(s) ==")
            case .paragraph(let s): parts.append(s)
            case .fields(let kv): parts.append(kv.map { "\($0.0)\(chinese ? "：" : ": ")\($0.1)" }.joined(separator: "\n"))
            case .bullets(let xs): parts.append(xs.map { "- " + $0 }.joined(separator: "\n"))
            case .numbered(let xs): parts.append(xs.enumerated().map { "\($0.offset + 1). " + $0.element }.joined(separator: "\n"))
            case .finding(let title, let lines, let next):
                parts.append(([title] + lines.map { "  - " + $0 } + ["  \(next.0)\(chinese ? "：" : ": ")\(next.1)"]).joined(separator: "\n"))
            case .table(let headers, let rows):
                var out: [String] = []
                for (n, r) in rows.enumerated() {
                    let cells = zip(headers, r).map { "\($0.0)\(chinese ? "：" : ": ")\($0.1)" }
                    out.append("\(n + 1). " + cells.joined(separator: chinese ? "；" : "; "))
                }
                parts.append(out.joined(separator: "\n"))
            case .sources(let files, let none):
                if files.isEmpty { parts.append(none) } else {
                    parts.append(files.map { "- \($0.0)  sha256 \($0.1)" }.joined(separator: "\n"))
                }
            }
        }
        return parts.joined(separator: "\n\n") + "\n"
    }
}
