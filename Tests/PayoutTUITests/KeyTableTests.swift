import PayoutTestSupport
import Foundation
import Testing
@testable import PayoutTUI

/// The one key table: dispatch, footer hints and help all come from it.
@Suite struct KeyTableTests {
    let table = KeyTable.standard

    @Test func designKeysDispatchOnTheOverview() {
        let expected: [(Key, MonitorAction)] = [
            (.tab, .nextPane), (.backTab, .previousPane), (.char("1"), .focusPaneByNumber), (.char("3"), .focusPaneByNumber),
            (.up, .moveUp), (.char("k"), .moveUp), (.down, .moveDown), (.char("j"), .moveDown),
            (.char("g"), .top), (.char("G"), .bottom), (.pageUp, .pageUp), (.pageDown, .pageDown),
            (.enter, .open), (.char("q"), .quit), (.ctrlC, .quit), (.char("/"), .openFilter), (.char("p"), .toggleProblems),
            (.char("e"), .exportNote), (.char("r"), .pollNow), (.char("?"), .toggleHelp), (.char("L"), .toggleLanguage),
            (.ctrl("z"), .suspend),
        ]
        for (key, action) in expected {
            #expect(table.action(for: key, in: .overview) == action, "key \(key.displayName)")
        }
        #expect(table.action(for: .escape, in: .overview) == .clearSearch)
    }

    @Test func qAndEscGoBackOnDetailScreens() {
        for context in [KeyContext.transactionDetail, .payoutDetail] {
            #expect(table.action(for: .char("q"), in: context) == .back)
            #expect(table.action(for: .escape, in: context) == .back)
            #expect(table.action(for: .char("e"), in: context) == .exportNote)
            #expect(table.action(for: .char("/"), in: context) == nil)
        }
    }

    @Test func thePromptBindsOnlyItsEditingKeysAndCtrlC() {
        #expect(table.action(for: .enter, in: .filterPrompt) == .applyFilter)
        #expect(table.action(for: .escape, in: .filterPrompt) == .cancelFilter)
        #expect(table.action(for: .backspace, in: .filterPrompt) == .deleteBackward)
        #expect(table.action(for: .ctrlC, in: .filterPrompt) == .quit)
        for c in "qjkgGpePrL?/123" {
            #expect(table.action(for: .char(c), in: .filterPrompt) == nil, "\(c) must be text in the prompt")
        }
    }

    @Test func theTooSmallScreenTakesOnlyQuitSuspendAndRepaint() {
        let bound = table.bindings.filter { $0.contexts.contains(.tooSmall) }.map(\.action)
        #expect(Set(bound) == [.quit, .suspend, .repaint])
    }

    @Test func theReadmesKeyTableIsTheKeyTables() throws {
        let readme = try String(contentsOfFile: repoRoot + "/README.md", encoding: .utf8)
        let expected = table.markdownTable()
        #expect(readme.contains(expected + "\n"), "README.md's key table is not the key table's; put this in it:\n\(expected)")
        // Every key of the overview and the detail screens is in it.
        for binding in table.bindings where !binding.contexts.isDisjoint(with: KeyTable.helpContexts) {
            #expect(expected.contains(binding.helpKeys), "\(binding.helpKeys)")
        }
    }

    @Test func noKeyIsBoundTwiceInOneContext() {
        for context in KeyContext.allCases {
            var seen: Set<Key> = []
            for binding in table.bindings where binding.contexts.contains(context) {
                for key in binding.keys {
                    #expect(!seen.contains(key), "\(key.displayName) bound twice in \(context)")
                    seen.insert(key)
                }
            }
        }
    }

    @Test func theFooterIsGeneratedFromTheTable() {
        let state = Fixture.state(size: Size(width: 200, height: 40))
        let footer = render(state).row(39)
        for binding in table.footerBindings(in: .overview) {
            guard let hint = binding.hint else { continue }
            #expect(footer.contains(binding.footerKeys + " " + hint.en), "footer lacks \(hint.en)")
        }
        #expect(footer.hasSuffix("? help  q quit"))
    }

    @Test func aNarrowFooterKeepsHelpAndQuit() {
        let line = FooterView.hintLine(context: .overview, language: .en, width: 30, keys: table)
        #expect(line.width <= 30)
        #expect(line.text.hasSuffix("? help  q quit"))
    }

    @Test func theHelpListsEveryKeyOfTheScreens() {
        let state = Fixture.state(size: Size(width: 100, height: 30))
        let text = HelpView.lines(state, keys: table).map(\.text).joined(separator: "\n")
        for binding in table.bindings where !binding.contexts.isDisjoint(with: [.overview, .transactionDetail, .payoutDetail]) {
            for key in binding.keys {
                #expect(text.contains(key.displayName), "help lacks \(key.displayName)")
            }
            if !binding.helpJoinsPrevious {
                #expect(text.contains(binding.help.en), "help lacks \(binding.help.en)")
            }
        }
        #expect(text.contains("Enter apply"))
        #expect(text.contains("✓ settled"))
    }

    @Test func everyHintAndHelpTextExistsInBothLanguages() {
        for binding in table.bindings {
            #expect(!binding.help.en.isEmpty && !binding.help.zh.isEmpty)
            if let hint = binding.hint { #expect(!hint.en.isEmpty && !hint.zh.isEmpty) }
        }
    }
}
