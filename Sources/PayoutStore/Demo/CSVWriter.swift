/// Builds canonical CSV text, quoting fields that need it.
struct CSVWriter {
    private(set) var text: String

    init(header: [String]) {
        text = ""
        append(header)
    }

    mutating func append(_ fields: [String?]) {
        var first = true
        for f in fields {
            if !first { text.append(",") }
            first = false
            let v = f ?? ""
            if v.contains(",") || v.contains("\"") || v.contains("\n") {
                text.append("\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
            } else {
                text.append(v)
            }
        }
        text.append("\n")
    }
}
