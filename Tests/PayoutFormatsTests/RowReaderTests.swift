import Foundation
import Testing
@testable import PayoutFormats

@Suite struct RowReaderTests {
    /// The importer's own trimming removes exactly what Foundation's `.whitespaces`
    /// removes: tab and the Unicode space separators, not line breaks.
    @Test func trimmingMatchesFoundationWhitespace() {
        let edges = ["", " ", "\t", "\u{3000}", "\u{00A0}", "\u{2009}", "\u{202F}", "\r", "\n", "\u{200B}", "\u{FEFF}", " \t\u{3000}"]
        let cores = ["", "南山店", "A", "a b", "深圳 南山", "\u{3000}x\u{3000}", "1,000.00", "é", "👍🏽"]
        var checked = 0
        for lead in edges {
            for core in cores {
                for trail in edges {
                    let s = lead + core + trail
                    #expect(RowReader.trimmingWhitespace(s) == s.trimmingCharacters(in: .whitespaces), "\(s.unicodeScalars.map { $0.value })")
                    checked += 1
                }
            }
        }
        #expect(checked == edges.count * cores.count * edges.count)
    }
}
