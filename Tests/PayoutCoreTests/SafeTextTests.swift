import Testing
@testable import PayoutCore

/// The rule for report text on its way to a terminal or a file (see `SafeText`).
@Suite struct SafeTextTests {
    /// The address of a string's UTF-8 storage, to tell a copy from the same buffer.
    func storage(_ s: String) -> UnsafeRawPointer? {
        s.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    @Test func escapeSequencesBellAndC1AreShownVisibly() {
        #expect(SafeText.visible("a\u{1b}]0;pwned\u{07}b") == #"a\x1b]0;pwned\x07b"#)
        #expect(SafeText.visible("\u{1b}[2J") == #"\x1b[2J"#)
        #expect(SafeText.visible("x\u{9b}31mred") == #"x\u{9b}31mred"#)
        #expect(SafeText.visible("\u{00}\u{7f}\u{80}\u{9f}") == #"\x00\x7f\u{80}\u{9f}"#)
        #expect(SafeText.visible("\u{a0}") == "\u{a0}")  // no-break space: printable
    }

    @Test func lineBreaksAndTabsAreEscapedInAValueAndKeptInADocument() {
        #expect(SafeText.visible("a\nb\tc\rd") == #"a\nb\tc\rd"#)
        #expect(SafeText.visible("a\nb\tc\rd", keepingLineBreaks: true) == "a\nb\tc" + #"\r"# + "d")
        #expect(SafeText.visible("line 1\nline 2\n", keepingLineBreaks: true) == "line 1\nline 2\n")
        #expect(SafeText.visible("x\r\ny") == #"x\r\ny"#)
        #expect(SafeText.visible("a\u{1b}[2J\nb", keepingLineBreaks: true) == #"a\x1b[2J"# + "\nb")
    }

    @Test func bidiOverridesAndIsolatesAreShownVisibly() {
        for v: UInt32 in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] {
            let s = "1\(Character(Unicode.Scalar(v)!))2"
            #expect(SafeText.visible(s) == "1\\u{\(String(v, radix: 16))}2")
        }
        #expect(SafeText.visible("商户\u{202e}0001") == #"商户\u{202e}0001"#)
        // The neighbours of the two ranges stay.
        #expect(SafeText.visible("\u{2029}\u{202f}\u{2065}\u{206a}") == "\u{2029}\u{202f}\u{2065}\u{206a}")
    }

    @Test func chineseTextAndEmojiComeBackUnchanged() {
        let texts = ["上海浦东便利店 第1234号", "👨‍👩‍👧 ok ✅", "café", #"C:\reports\x1b is text"#, ""]
        for t in texts { #expect(SafeText.visible(t) == t) }
        let long = "深圳南山区科技园分店，结算账户尾号6789，周末顺延至下一工作日"
        #expect(storage(SafeText.visible(long)) == storage(long))
    }

    @Test func printableASCIIComesBackWithoutACopy() {
        let ascii = "payout PO-20261128-0001 mid 898440358120013 tid 88000001 ~!@#$%^&*()"
        let out = SafeText.visible(ascii)
        #expect(out == ascii)
        #expect(storage(ascii) != nil)
        #expect(storage(out) == storage(ascii))
        let lines = "line one, long enough to live on the heap\nline two\tcolumn"
        #expect(storage(SafeText.visible(lines, keepingLineBreaks: true)) == storage(lines))
        // The same text as one value is escaped, so a new string.
        #expect(SafeText.visible(lines) != lines)
    }

    @Test func applyingTwiceGivesWhatOnceGave() {
        let hostile = "\u{1b}]0;pwned\u{07}\u{1b}[2J\u{9b}\u{202e}\n\t收款\u{2066}"
        let once = SafeText.visible(hostile)
        #expect(SafeText.visible(once) == once)
        #expect(!once.unicodeScalars.contains(where: SafeText.isUnsafe))
    }
}
