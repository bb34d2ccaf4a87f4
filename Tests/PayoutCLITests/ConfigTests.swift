import PayoutTestSupport
import Foundation
import PayoutCore
import Testing
@testable import payoutmon

@Suite struct ConfigTests {
    @Test func theDocumentedDefaultIsTheBuiltInDefault() throws {
        let text = try String(contentsOfFile: repoRoot + "/config/payoutmon.toml", encoding: .utf8)
        let file = try AppConfig.parse(text, source: "payoutmon.toml")
        let builtIn = try AppConfig.build(values: [:], source: nil)
        #expect(file.policy == builtIn.policy)
        #expect(file.calendar == builtIn.calendar)
        #expect(file.pollIntervalMillis == 1000)
        #expect(file.inboxQuietMillis == builtIn.inboxQuietMillis && builtIn.inboxQuietMillis == 5_000)
        #expect(file.inboxIncompleteTimeoutMillis == builtIn.inboxIncompleteTimeoutMillis)
        #expect(file.inboxRequireDoneMarker == builtIn.inboxRequireDoneMarker && !builtIn.inboxRequireDoneMarker)
    }

    @Test func theInboxKeysAreRead() throws {
        let c = try AppConfig.parse("[inbox]\nquiet_period_ms = 2500\nincomplete_timeout_ms = 90000\nrequire_done_marker = true\n",
                                    source: "c.toml")
        #expect(c.inboxQuietMillis == 2_500 && c.inboxIncompleteTimeoutMillis == 90_000 && c.inboxRequireDoneMarker)
    }

    @Test func bankPayersAddToTheBuiltInNames() throws {
        #expect(try AppConfig.build(values: [:], source: nil).rules.bankPayers == SettlementRules.defaultBankPayers)
        let c = try AppConfig.parse("[bank]\npayers = [\"汇聚通支付\", \" Fuiou \"]\n", source: "c.toml")
        #expect(c.rules.bankPayers == SettlementRules.defaultBankPayers + ["汇聚通支付", "Fuiou"])
    }

    @Test func theMouseIsOnUnlessTurnedOff() throws {
        #expect(try AppConfig.parse("[monitor]\npoll_interval_ms = 1000\n", source: "c.toml").mouse)
        #expect(try !AppConfig.parse("[monitor]\nmouse = false\n", source: "c.toml").mouse)
    }

    @Test(arguments: [
        ("[settlement]\ncycle = \"T+x\"\n", "settlement.cycle"),
        ("[settlement]\ncutoff = \"25:00\"\n", "settlement.cutoff"),
        ("[fees.debit]\nrate = \"-0.60\"\n", "fees.debit.rate"),
        ("[fees.debit]\nrate = 0.60\n", "fees.debit.rate"),
        ("[settlement]\ncolour = \"red\"\n", "settlement.colour"),
        ("[monitor]\npoll_interval_ms = 5\n", "monitor.poll_interval_ms"),
        ("[monitor]\nlanguage = \"fr\"\n", "monitor.language"),
        ("[inbox]\nquiet_period_ms = -1\n", "inbox.quiet_period_ms"),
        ("[inbox]\nincomplete_timeout_ms = \"soon\"\n", "inbox.incomplete_timeout_ms"),
        ("[inbox]\nrequire_done_marker = \"yes\"\n", "inbox.require_done_marker"),
        ("[monitor]\nmouse = \"off\"\n", "monitor.mouse"),
        ("[settlement]\ncalendar = \"mars\"\n", "settlement.calendar"),
        ("[bank]\npayers = \"LAKALA\"\n", "bank.payers"),
        ("[bank]\npayers = [\"X\"]\n", "bank.payers"),
        ("[bank]\npayers = [3]\n", "bank.payers"),
    ])
    func badValuesNameTheKey(text: String, key: String) {
        #expect(performing: { try AppConfig.parse(text, source: "c.toml") },
                throws: { ($0 as? ConfigError)?.key == key && "\($0)".hasPrefix("config c.toml: \(key): ") })
    }

    @Test func malformedTOMLNamesTheLine() {
        #expect(performing: { try AppConfig.parse("[settlement]\ncycle = \n", source: "c.toml") },
                throws: { "\($0)".hasPrefix("config c.toml: line 2") })
    }

    @Test func theBuiltInCalendarMatchesTheDataFile() throws {
        let file = try String(contentsOfFile: repoRoot + "/config/calendars/cn.txt", encoding: .utf8)
        #expect(file.trimmingCharacters(in: .newlines) == BuiltinCalendars.cn.trimmingCharacters(in: .newlines),
                "run scripts/embed-calendars.sh after editing config/calendars/cn.txt")
    }
}
