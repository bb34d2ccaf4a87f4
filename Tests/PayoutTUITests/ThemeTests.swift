import PayoutTUI
import Testing

@Suite struct ThemeTests {
    @Test func monochromeHasNoColourAndShowsSelectionReversed() {
        let theme = Theme.monochrome
        #expect(!theme.usesColor)
        for role in ColorRole.allCases {
            let resolved = theme.resolve(Style(foreground: role, background: role))
            #expect(resolved.foreground == Theme.defaultColor)
            #expect(resolved.background == Theme.defaultColor)
        }
        #expect(theme.resolve(.selection).attributes.contains(.reverse))
        #expect(theme.resolve(Style.bad.selected).attributes.contains(.reverse))
        #expect(!theme.resolve(.plain).attributes.contains(.reverse))
        #expect(theme.resolve(.ok).attributes == [])
    }

    @Test func standardThemeColoursStates() {
        let theme = Theme.standard
        #expect(theme.usesColor)
        #expect(theme.resolve(.plain) == ResolvedStyle(foreground: -1, background: -1, attributes: []))
        #expect(theme.resolve(.ok).foreground == 2)
        #expect(theme.resolve(.warn).foreground == 3)
        #expect(theme.resolve(.bad).foreground == 1)
        #expect(theme.resolve(.selection).background == 4)
        #expect(theme.resolve(Style.ok.selected) == ResolvedStyle(foreground: 2, background: 4, attributes: []))
        #expect(!theme.resolve(.selection).attributes.contains(.reverse))
    }

    @Test func explicitAttributesSurvive() {
        for theme in [Theme.standard, .monochrome] {
            let resolved = theme.resolve(Style.plain.bold.underline)
            #expect(resolved.attributes.contains([.bold, .underline]))
        }
        #expect(Style.plain.reverse.isReverse)
        #expect(Style.muted.dim.isDim)
    }

    @Test func noColorFromEnvironment() {
        #expect(Theme.noColorRequested(in: ["NO_COLOR": "1"]))
        #expect(!Theme.noColorRequested(in: ["NO_COLOR": ""]))
        #expect(!Theme.noColorRequested(in: [:]))
        #expect(Theme.forEnvironment(["NO_COLOR": "yes"]) == .monochrome)
        #expect(Theme.forEnvironment(["NO_COLOR": ""]) == .standard)
        #expect(Theme.forEnvironment(["TERM": "xterm"]) == .standard)
    }
}
