import PayoutTUI
import Testing

@Suite struct DisplayWidthTests {
    @Test func ascii() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("MID 898310058120001") == 19)
        #expect(DisplayWidth.of("") == 0)
        #expect("Merchant".displayWidth == 8)
    }

    @Test func cjk() {
        #expect(DisplayWidth.of("商户号") == 6)
        #expect(DisplayWidth.of("拉卡拉") == 6)
        #expect(DisplayWidth.of("商户号: 8983") == 12)
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("カタカナ") == 8)
        #expect(Character("账").displayWidth == 2)
    }

    @Test func fullwidthAndCJKPunctuation() {
        for c in ["，", "。", "（", "）", "：", "；", "！", "？", "、", "《", "》", "「", "」", "　", "￥", "Ａ", "１"] {
            #expect(DisplayWidth.of(c) == 2, "\(c) should be 2 columns")
        }
        #expect(DisplayWidth.of("到账（T+1）：") == 13)
    }

    @Test func halfwidthAndAmbiguousAreNarrow() {
        // Halfwidth katakana, box drawing, ellipsis, middle dot, yen sign, Greek: one column.
        for c in ["ｶ", "─", "│", "┼", "…", "·", "¥", "α", "é", "×", "°"] {
            #expect(DisplayWidth.of(c) == 1, "\(c) should be 1 column")
        }
    }

    @Test func combiningAndZeroWidth() {
        #expect(DisplayWidth.of("e\u{301}") == 1)  // e + combining acute
        #expect(DisplayWidth.of("cafe\u{301}") == 4)
        #expect(DisplayWidth.of("\u{301}") == 0)  // lone combining mark
        #expect(DisplayWidth.of("a\u{200B}b") == 2)  // zero-width space
        #expect(DisplayWidth.of("\u{200D}") == 0)  // zero-width joiner
        #expect(DisplayWidth.of("\u{FEFF}") == 0)  // BOM
        #expect(DisplayWidth.of("\u{1100}\u{1161}\u{11A8}") == 2)  // Hangul Jamo L V T
        #expect(DisplayWidth.of("か\u{3099}") == 2)  // kana + combining voiced mark
    }

    @Test func controls() {
        #expect(DisplayWidth.of("\t") == 0)
        #expect(DisplayWidth.of("\n") == 0)
        #expect(DisplayWidth.of("\r\n") == 0)
        #expect(DisplayWidth.of("\u{1B}") == 0)
        #expect(DisplayWidth.of("\u{7F}") == 0)
        #expect(DisplayWidth.of("\u{85}") == 0)
        #expect(DisplayWidth.of("a\tb") == 2)
    }

    @Test func emoji() {
        #expect(DisplayWidth.of("😀") == 2)
        #expect(DisplayWidth.of("✅") == 2)  // default emoji presentation
        #expect(DisplayWidth.of("❌") == 2)
        #expect(DisplayWidth.of("⏳") == 2)
        #expect(DisplayWidth.of("👍🏽") == 2)  // with skin tone modifier
        #expect(DisplayWidth.of("👨‍👩‍👧") == 2)  // ZWJ sequence is one cluster
        #expect(DisplayWidth.of("🇨🇳") == 1)  // regional indicators are Neutral, as in wcwidth
        #expect(DisplayWidth.of("✓") == 1)  // check mark: text presentation
        #expect(DisplayWidth.of("⚠") == 1)
        #expect(DisplayWidth.of("⚠️") == 1)  // VS16 does not widen (matches wcwidth)
    }

    @Test func truncateKeepsShortStrings() {
        #expect(DisplayWidth.truncate("商户", toWidth: 4) == "商户")
        #expect(DisplayWidth.truncate("abc", toWidth: 10) == "abc")
        #expect(DisplayWidth.truncate("abc", toWidth: 0) == "")
    }

    @Test func truncateAddsEllipsis() {
        #expect(DisplayWidth.truncate("abcdef", toWidth: 4) == "abc…")
        #expect(DisplayWidth.truncate("商户号码", toWidth: 5) == "商户…")
        #expect(DisplayWidth.truncate("abcdef", toWidth: 4, ellipsis: "...") == "a...")
        #expect(DisplayWidth.truncate("abcdef", toWidth: 4, ellipsis: "") == "abcd")
    }

    @Test func truncateNeverSplitsAWideCharacter() {
        // 4 columns, ellipsis 1: "商" (2) fits, "户" (2) would end at column 4 > 3.
        #expect(DisplayWidth.truncate("商户号码", toWidth: 4) == "商…")
        #expect(DisplayWidth.truncate("a商户", toWidth: 3, ellipsis: "") == "a商")
        #expect(DisplayWidth.truncate("商户", toWidth: 3, ellipsis: "") == "商")
        #expect(DisplayWidth.truncate("商户", toWidth: 1, ellipsis: "") == "")
        // Ellipsis wider than the room: cut without it.
        #expect(DisplayWidth.truncate("abcdef", toWidth: 2, ellipsis: "...") == "ab")
        for width in 0...12 {
            let cut = DisplayWidth.truncate("拉卡拉POS商户号，结算", toWidth: width)
            #expect(cut.displayWidth <= width, "width \(width): \(cut)")
        }
    }

    @Test func padAlignments() {
        #expect(DisplayWidth.pad("商户", toWidth: 6) == "商户  ")
        #expect(DisplayWidth.pad("商户", toWidth: 6, alignment: .right) == "  商户")
        #expect(DisplayWidth.pad("商户", toWidth: 7, alignment: .center) == " 商户  ")
        #expect(DisplayWidth.pad("", toWidth: 2) == "  ")
        #expect(DisplayWidth.pad("abc", toWidth: 0) == "")
    }

    @Test func padClipsAndFillsAStraddlingWideCharacter() {
        #expect(DisplayWidth.pad("商户号", toWidth: 5) == "商户 ")
        #expect(DisplayWidth.pad("a商户", toWidth: 4, alignment: .right) == "a商 ")
        for width in 0...10 {
            #expect(DisplayWidth.pad("ab商户号cd", toWidth: width).displayWidth == width)
        }
    }

    @Test func fitTruncatesThenPads() {
        #expect(DisplayWidth.fit("商户号码", toWidth: 4) == "商… ")
        #expect(DisplayWidth.fit("12.50", toWidth: 8, alignment: .right) == "   12.50")
    }
}
