/// The one rule for the space around a value read from a report, a config file or a
/// command line: what Foundation's `.whitespaces` holds — tab, every Unicode space
/// separator (the ASCII space, the no-break space U+00A0 and the ideographic space
/// U+3000 that Chinese exports pad with among them) and the zero-width space U+200B —
/// without Foundation. Nothing else: a line break, a byte order mark or a control
/// character at the edge of a value is the value's, and its checks see it.
public enum Trim {
    @inline(__always)
    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x20, 0x09: return true
        case 0..<0x80: return false
        case 0x200B: return true
        default: return u.properties.generalCategory == .spaceSeparator
        }
    }

    /// `text` without the space around it. A value with nothing to trim (the common
    /// case: it starts and ends with a visible ASCII character) comes back as it is,
    /// without a copy.
    public static func spaces(_ text: String) -> String {
        if let f = text.utf8.first, let l = text.utf8.last, f > 0x20, f < 0x7F, l > 0x20, l < 0x7F { return text }
        let scalars = text.unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        if start == scalars.startIndex && end == scalars.endIndex { return text }
        return String(scalars[start..<end])
    }
}

extension String {
    /// The string without the space around it (see `Trim`).
    public func trimmingSpaces() -> String { Trim.spaces(self) }
}
