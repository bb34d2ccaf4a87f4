/// Display width of characters and strings in terminal columns.
///
/// Pure Swift, no locale needed: East Asian Wide (W) and Fullwidth (F) code points
/// take two columns, combining marks, format controls and zero-width characters take
/// none, control characters take none, everything else takes one. East Asian
/// Ambiguous characters (box drawing, "…", "·", Greek, Cyrillic) take one column, as
/// glibc `wcwidth` does in a UTF-8 locale, so the grid agrees with ncurses about where
/// the cursor goes.
///
/// A `Character` (grapheme cluster) takes the width of its widest scalar; a variation
/// selector does not change that (VS16 on a text-default emoji such as "⚠️" stays one
/// column, matching `wcwidth`; emoji with default emoji presentation such as "✅" or
/// "😀" are Wide in EastAsianWidth.txt and take two).
public enum DisplayWidth {
    /// How a padded string sits inside its width.
    public enum Alignment: Sendable, Hashable {
        case left, right, center
    }

    /// Display width of one Unicode scalar: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        // Fast path for printable ASCII.
        if v >= 0x20 && v < 0x7F { return 1 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        // Fast paths for what a payout screen is made of (no Unicode property lookup):
        // Latin-1 and Latin Extended letters (before the combining marks at U+0300),
        // dashes, quotes and the ellipsis, box drawing, CJK ideographs, ideographic
        // punctuation before its combining marks at U+302A, fullwidth forms.
        if v < 0x300 { return 1 }
        if v >= 0x2010 && v <= 0x2027 { return 1 }
        if v >= 0x2500 && v <= 0x257F { return 1 }
        if (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3000 && v <= 0x3029) || (v >= 0xFF01 && v <= 0xFF60) { return 2 }
        if isZeroWidth(scalar) { return 0 }
        return isWide(v) ? 2 : 1
    }

    /// Display width of one grapheme cluster: the width of its widest scalar, or 0
    /// when it holds a control character (such as "\r\n").
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        var iterator = scalars.makeIterator()
        guard let first = iterator.next() else { return 0 }
        guard iterator.next() != nil else { return of(first) }
        var widest = 0
        for scalar in scalars {
            let v = scalar.value
            if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
            widest = max(widest, of(scalar))
        }
        return widest
    }

    /// Display width of a string: the sum of its characters' widths.
    public static func of<S: StringProtocol>(_ string: S) -> Int {
        var total = 0
        for character in string { total += of(character) }
        return total
    }

    /// Shortens `string` to at most `width` columns, ending in `ellipsis` when cut.
    ///
    /// A wide character is never split: when it would straddle the limit it is left
    /// out, so the result may be one column narrower than `width`. If even the
    /// ellipsis does not fit, the string is cut without it. A string that already
    /// fits is returned unchanged.
    public static func truncate(_ string: String, toWidth width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(string) <= width { return string }
        let ellipsisWidth = of(ellipsis)
        let useEllipsis = ellipsisWidth <= width
        let budget = useEllipsis ? width - ellipsisWidth : width
        var result = ""
        var used = 0
        for character in string {
            let w = of(character)
            if used + w > budget { break }
            result.append(character)
            used += w
        }
        if useEllipsis { result += ellipsis }
        return result
    }

    /// Pads `string` with spaces to exactly `width` columns.
    ///
    /// A longer string is clipped (without an ellipsis); where a wide character would
    /// straddle the edge a space takes its place, so the result is always exactly
    /// `width` columns wide.
    public static func pad(_ string: String, toWidth width: Int, alignment: Alignment = .left) -> String {
        guard width > 0 else { return "" }
        var body = string
        var bodyWidth = of(string)
        if bodyWidth > width {
            body = clip(string, toWidth: width)
            bodyWidth = of(body)
        }
        let gap = width - bodyWidth
        switch alignment {
        case .left:
            return body + String(repeating: " ", count: gap)
        case .right:
            return String(repeating: " ", count: gap) + body
        case .center:
            let left = gap / 2
            return String(repeating: " ", count: left) + body + String(repeating: " ", count: gap - left)
        }
    }

    /// Truncates with an ellipsis, then pads: exactly `width` columns.
    public static func fit(_ string: String, toWidth width: Int, alignment: Alignment = .left, ellipsis: String = "…") -> String {
        pad(truncate(string, toWidth: width, ellipsis: ellipsis), toWidth: width, alignment: alignment)
    }

    /// Cuts `string` at `width` columns; a straddling wide character becomes a space.
    private static func clip(_ string: String, toWidth width: Int) -> String {
        var result = ""
        var used = 0
        for character in string {
            let w = of(character)
            if used + w > width {
                if used < width { result += String(repeating: " ", count: width - used) }
                break
            }
            result.append(character)
            used += w
        }
        return result
    }

    /// True for scalars that take no column: nonspacing and enclosing marks, format
    /// controls (ZWJ, ZWSP, variation selectors, bidi marks), line/paragraph
    /// separators, and Hangul medial vowels and final consonants.
    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v == 0x00AD { return false }  // soft hyphen: glibc gives it one column
        // Prepended concatenation marks (format characters that are drawn): one column.
        if (0x0600...0x0605).contains(v) || v == 0x06DD || v == 0x070F || v == 0x0890 || v == 0x0891
            || v == 0x08E2 || v == 0x110BD || v == 0x110CD
        {
            return false
        }
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return true }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .lineSeparator, .paragraphSeparator:
            return true
        default:
            return false
        }
    }

    /// True for East Asian Wide and Fullwidth code points.
    private static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        // Binary search over [start, end] pairs.
        var low = 0
        var high = wideRanges.count / 2 - 1
        while low <= high {
            let mid = (low + high) / 2
            let start = wideRanges[mid * 2]
            let end = wideRanges[mid * 2 + 1]
            if v < start {
                high = mid - 1
            } else if v > end {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }

    /// Inclusive [start, end] pairs of East Asian Wide (W) and Fullwidth (F) code points,
    /// from EastAsianWidth.txt (Unicode 14, assigned code points), plus: whole CJK
    /// ideograph blocks, planes 2 and 3 and the emoji block U+1FA70–U+1FAFF (so
    /// newer ideographs and emoji are wide too), the later additions U+2FFC–U+2FFF,
    /// U+31EF and U+1F6DC, and U+3248–U+324F and U+4DC0–U+4DFF, which glibc's
    /// `wcwidth` counts as wide. Checked against glibc 2.36 `wcwidth` in C.UTF-8: the
    /// only differences left are code points glibc does not know (it returns -1).
    private static let wideRanges: [UInt32] = [
        0x1100, 0x115F, 0x231A, 0x231B, 0x2329, 0x232A, 0x23E9, 0x23EC,
        0x23F0, 0x23F0, 0x23F3, 0x23F3, 0x25FD, 0x25FE, 0x2614, 0x2615,
        0x2648, 0x2653, 0x267F, 0x267F, 0x2693, 0x2693, 0x26A1, 0x26A1,
        0x26AA, 0x26AB, 0x26BD, 0x26BE, 0x26C4, 0x26C5, 0x26CE, 0x26CE,
        0x26D4, 0x26D4, 0x26EA, 0x26EA, 0x26F2, 0x26F3, 0x26F5, 0x26F5,
        0x26FA, 0x26FA, 0x26FD, 0x26FD, 0x2705, 0x2705, 0x270A, 0x270B,
        0x2728, 0x2728, 0x274C, 0x274C, 0x274E, 0x274E, 0x2753, 0x2755,
        0x2757, 0x2757, 0x2795, 0x2797, 0x27B0, 0x27B0, 0x27BF, 0x27BF,
        0x2B1B, 0x2B1C, 0x2B50, 0x2B50, 0x2B55, 0x2B55, 0x2E80, 0x2E99,
        0x2E9B, 0x2EF3, 0x2F00, 0x2FD5, 0x2FF0, 0x303E, 0x3041, 0x3096,
        0x3099, 0x30FF, 0x3105, 0x312F, 0x3131, 0x318E, 0x3190, 0x31E3,
        0x31EF, 0x321E, 0x3220, 0xA48C, 0xA490, 0xA4C6, 0xA960, 0xA97C,
        0xAC00, 0xD7A3, 0xF900, 0xFAFF, 0xFE10, 0xFE19, 0xFE30, 0xFE52,
        0xFE54, 0xFE66, 0xFE68, 0xFE6B, 0xFF01, 0xFF60, 0xFFE0, 0xFFE6,
        0x16FE0, 0x16FE4, 0x16FF0, 0x16FF1, 0x17000, 0x187F7, 0x18800, 0x18CD5,
        0x18D00, 0x18D08, 0x1AFF0, 0x1AFF3, 0x1AFF5, 0x1AFFB, 0x1AFFD, 0x1AFFE,
        0x1B000, 0x1B122, 0x1B150, 0x1B152, 0x1B164, 0x1B167, 0x1B170, 0x1B2FB,
        0x1F004, 0x1F004, 0x1F0CF, 0x1F0CF, 0x1F18E, 0x1F18E, 0x1F191, 0x1F19A,
        0x1F200, 0x1F202, 0x1F210, 0x1F23B, 0x1F240, 0x1F248, 0x1F250, 0x1F251,
        0x1F260, 0x1F265, 0x1F300, 0x1F320, 0x1F32D, 0x1F335, 0x1F337, 0x1F37C,
        0x1F37E, 0x1F393, 0x1F3A0, 0x1F3CA, 0x1F3CF, 0x1F3D3, 0x1F3E0, 0x1F3F0,
        0x1F3F4, 0x1F3F4, 0x1F3F8, 0x1F43E, 0x1F440, 0x1F440, 0x1F442, 0x1F4FC,
        0x1F4FF, 0x1F53D, 0x1F54B, 0x1F54E, 0x1F550, 0x1F567, 0x1F57A, 0x1F57A,
        0x1F595, 0x1F596, 0x1F5A4, 0x1F5A4, 0x1F5FB, 0x1F64F, 0x1F680, 0x1F6C5,
        0x1F6CC, 0x1F6CC, 0x1F6D0, 0x1F6D2, 0x1F6D5, 0x1F6D7, 0x1F6DC, 0x1F6DF,
        0x1F6EB, 0x1F6EC, 0x1F6F4, 0x1F6FC, 0x1F7E0, 0x1F7EB, 0x1F7F0, 0x1F7F0,
        0x1F90C, 0x1F93A, 0x1F93C, 0x1F945, 0x1F947, 0x1F9FF, 0x1FA70, 0x1FAFF,
        0x20000, 0x2FFFD, 0x30000, 0x3FFFD
    ]
}

extension StringProtocol {
    /// Display width in terminal columns (see `DisplayWidth`).
    public var displayWidth: Int { DisplayWidth.of(self) }
}

extension Character {
    /// Display width in terminal columns: 0, 1 or 2 (see `DisplayWidth`).
    public var displayWidth: Int { DisplayWidth.of(self) }
}
