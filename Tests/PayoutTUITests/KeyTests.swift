import PayoutTUI
import Testing

@Suite struct KeyTests {
    @Test func controlCodes() {
        #expect(Key.fromCharacterCode(3) == .ctrlC)
        #expect(Key.fromCharacterCode(9) == .tab)
        #expect(Key.fromCharacterCode(10) == .enter)
        #expect(Key.fromCharacterCode(13) == .enter)
        #expect(Key.fromCharacterCode(27) == .escape)
        #expect(Key.fromCharacterCode(127) == .backspace)
        #expect(Key.fromCharacterCode(8) == .backspace)
        #expect(Key.fromCharacterCode(12) == .ctrl("l"))
        #expect(Key.fromCharacterCode(26) == .ctrl("z"))
        #expect(Key.fromCharacterCode(0) == nil)
        #expect(Key.fromCharacterCode(0x1C) == nil)
        #expect(Key.fromCharacterCode(0x85) == nil)
        #expect(Key.fromCharacterCode(0xD800) == nil)  // surrogate: not a scalar
    }

    @Test func printableCharacters() {
        #expect(Key.fromCharacterCode(0x71) == .char("q"))
        #expect(Key.fromCharacterCode(0x20) == .char(" "))
        #expect(Key.fromCharacterCode(0x5546) == .char("商"))
        #expect(Key.fromCharacterCode(0xFF0C) == .char("，"))
    }

    @Test func displayNames() {
        let keys: [Key] = [.char("q"), .char(" "), .up, .pageDown, .backTab, .ctrl("l"), .ctrlC, .function(1), .escape]
        #expect(keys.map(\.displayName) == ["q", "Space", "↑", "PgDn", "S-Tab", "^L", "^C", "F1", "Esc"])
    }
}
