/// The one rule for text from a report (or a file name from an inbox) on its way to a
/// terminal or a file (docs/ARCHITECTURE.md, "Text from reports"): nothing in it may
/// drive the terminal of whoever reads it. Escape sequences that set a window title or
/// clear the screen, BEL, and right-to-left overrides that make "1000" read "0001" are
/// shown as visible escapes instead:
///
/// - C0 controls U+0000–U+001F and DEL U+007F: `\n`, `\r`, `\t` by name, the others as
///   `\x1b`, `\x07`, `\x7f` (two lowercase hex digits);
/// - C1 controls U+0080–U+009F: `\u{9b}`;
/// - bidi embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069:
///   `\u{202e}`.
///
/// Everything else (Chinese text, emoji, combining marks, a backslash) stays as it is, so
/// a value with none of these comes back unchanged, and applying the rule twice gives
/// what applying it once gave. A value is one line: its line breaks and tabs are shown
/// as `\n` and `\t` too. A document the program lays out itself (a dispute note) passes
/// `keepingLineBreaks: true`, which leaves line feeds and tabs as they are.
///
/// The monitor's grid applies the same classes its own way: `DisplayWidth` gives these
/// characters no column and `Grid.put` skips them (Sources/PayoutTUI/Grid/).
///
/// The escapes are for reading; nothing decodes them back. A rejects file
/// (`RejectsFile`) re-imported holds the visible form as literal text.
public enum SafeText {
    /// True for a character a terminal could act on: a C0 control, DEL, a C1 control, or
    /// a bidi embedding, override or isolate.
    @inline(__always)
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 { return true }
        if v < 0x7F { return false }
        if v < 0xA0 { return true }
        return (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// `text` with every unsafe character shown as a visible escape (see `SafeText`).
    /// Text with nothing to escape (printable ASCII, Chinese, emoji) comes back as it is,
    /// without a copy; printable ASCII after one pass over its bytes.
    public static func visible(_ text: String, keepingLineBreaks: Bool = false) -> String {
        if isPlain(text, keepingLineBreaks: keepingLineBreaks) { return text }
        guard text.unicodeScalars.contains(where: { isUnsafe($0) && !(keepingLineBreaks && ($0 == "\n" || $0 == "\t")) })
        else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isUnsafe(scalar) else { out.append(scalar); continue }
            let v = scalar.value
            switch v {
            case 0x0A where keepingLineBreaks, 0x09 where keepingLineBreaks: out.append(scalar)
            case 0x0A: out.append(contentsOf: #"\n"#.unicodeScalars)
            case 0x0D: out.append(contentsOf: #"\r"#.unicodeScalars)
            case 0x09: out.append(contentsOf: #"\t"#.unicodeScalars)
            case 0..<0x20, 0x7F: out.append(contentsOf: (#"\x"# + hex(v, digits: 2)).unicodeScalars)
            default: out.append(contentsOf: (#"\u{"# + hex(v, digits: 0) + "}").unicodeScalars)
            }
        }
        return String(out)
    }

    /// True when `text` is printable ASCII (with line feeds and tabs when they are kept);
    /// a pass over the UTF-8 bytes.
    private static func isPlain(_ text: String, keepingLineBreaks: Bool) -> Bool {
        for b in text.utf8 {
            if b >= 0x20 && b < 0x7F { continue }
            if keepingLineBreaks && (b == 0x0A || b == 0x09) { continue }
            return false
        }
        return true
    }

    private static func hex(_ v: UInt32, digits: Int) -> String {
        let s = String(v, radix: 16)
        return s.count < digits ? String(repeating: "0", count: digits - s.count) + s : s
    }
}
