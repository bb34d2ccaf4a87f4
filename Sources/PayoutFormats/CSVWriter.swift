/// Builds CSV text, quoting the fields that need it: a comma, a quote, a line break,
/// or a leading or trailing space (which a reader would otherwise trim).
public struct CSVWriter: Sendable {
    public private(set) var text: String

    /// Starts with a byte order mark when `bom` is set (for files a GB18030 or Excel user opens).
    public init(header: [String], bom: Bool = false) {
        text = bom ? "\u{FEFF}" : ""
        append(header)
    }

    public mutating func append(_ fields: [String?]) {
        var first = true
        for f in fields {
            if !first { text.append(",") }
            first = false
            text.append(Self.field(f ?? ""))
        }
        text.append("\n")
    }

    /// One field as written.
    public static func field(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.hasPrefix(" ") || s.hasSuffix(" ") {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
