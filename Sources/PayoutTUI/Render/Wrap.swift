/// Word wrap by display width.
enum Wrap {
    /// Breaks `text` into lines of at most `width` columns. English breaks at the last
    /// space that fits; text without spaces (Chinese) breaks between any two
    /// characters. A wide character is never split. Always returns at least one line.
    static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [text] }
        var out: [String] = []
        var line: [Character] = []
        var used = 0
        for character in text {
            if character == "\n" {
                out.append(String(line))
                line = []
                used = 0
                continue
            }
            let w = DisplayWidth.of(character)
            if used + w > width, !line.isEmpty {
                if character == " " {
                    out.append(String(line))
                    line = []
                    used = 0
                    continue
                }
                if let space = line.lastIndex(of: " "), space > 0, w == 1 || line.last?.isASCII == true {
                    out.append(String(line[..<space]))
                    line = Array(line[(space + 1)...])
                } else {
                    out.append(String(line))
                    line = []
                }
                used = DisplayWidth.of(String(line))
            }
            if line.isEmpty && character == " " && !out.isEmpty { continue }
            line.append(character)
            used += w
        }
        out.append(String(line))
        return out
    }

    /// Wraps `text` after a first-line `prefix`, indenting the following lines by the prefix's width.
    static func styled(_ text: String, width: Int, prefix: Span, style: Style) -> [StyledLine] {
        let indent = prefix.width
        let parts = lines(text, width: max(1, width - indent))
        return parts.enumerated().map { i, part in
            StyledLine([i == 0 ? prefix : Span(String(repeating: " ", count: indent)), Span(part, style)])
        }
    }
}
