import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutDemo
import PayoutModel
import PayoutStore
import PayoutSync
import Testing
@testable import PayoutTUI

/// Issue 18's map half on the real demo: the cash-flow calendar in tmux, and a public
/// Adyen report imported into the demo store showing in the account pane.
@Suite(.serialized) struct MonitorMapE2ETests {
    /// Batch 1129: merchant account WikimediaDonations, most of its rows paid out in USD, one payout in EUR.
    static let adyenFile = repoRoot + "/Tests/PayoutStoreTests/Fixtures/public/wikimedia-settlement_detail_report_batch_1129.csv"

    func environment(home: String) -> [String: String] {
        ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config", "LANG": "C.UTF-8",
         "TERM": "xterm-256color", "PATH": "/usr/bin:/bin"]
    }

    /// The demo store with the public Adyen report (merchant account WikimediaDonations, USD) imported.
    func demoWithAdyen(_ home: TempDir) throws -> String {
        let db = home.path + "/demo.sqlite"
        let demo = try run(["demo", "--db", db], home: home.path)
        #expect(demo.status == 0, "\(demo.stderr)")
        let imported = try run(["import", "--db", db, Self.adyenFile], home: home.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        return db
    }

    @Test func anAdyenReportInTheDemoStoreShowsInTheAccountPane() throws {
        let home = TempDir()
        let db = try demoWithAdyen(home)
        let calendar = try SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
        let rules = SettlementRules(policy: .demoDefault, calendar: calendar)
        let store = try PayoutStore.openReadOnly(path: db)
        let now = Instant(Date())
        var state = MonitorState(now: now, timeZone: rules.policy.timeZone, size: Size(width: 200, height: 60),
                                 sync: .synced(at: now, changedAt: now))
        state.snapshot = try SnapshotReader(rules: rules, merchantId: nil).read(store, request: state.request, now: now)
        let account = try #require(state.snapshot?.accounts.first { $0.merchant.merchantId == "WikimediaDonations" })
        #expect(account.merchant.acquirer == "Adyen")
        #expect(account.merchant.currency == .USD)
        #expect(account.otherCurrencies == ["EUR"])
        #expect(account.fromReportsOnly)
        _ = reduce(&state, .key(.char("3")))
        let text = render(state).text
        let row = try #require(text.split(separator: "\n").first { $0.contains("WikimediaDonations") }.map(String.init), "\(text)")
        #expect(row.contains("Adyen · own dates · USD EUR"))
        // The header counts both acquirers and every account.
        let header = String(text.split(separator: "\n")[0])
        #expect(header.contains("2 acquirers · \(DemoStories.shops.count + 1) shops"))
        // `a` narrows the panes to Adyen: its payout only, no Lakala payout.
        _ = reduce(&state, .key(.char("a")))
        #expect(state.acquirer == "Adyen")
        state.snapshot = try SnapshotReader(rules: rules, merchantId: nil).read(store, request: state.request, now: now)
        #expect(state.visibleAccounts.map(\.merchant.merchantId) == ["WikimediaDonations"])
        #expect(state.snapshot?.transactions.allSatisfy { $0.transaction.merchantId == "WikimediaDonations" } == true)
        #expect(state.snapshot?.payouts.allSatisfy { $0.payout.merchantId == "WikimediaDonations" } == true)
    }

    @Test func theAccountPaneInTmuxAfterTheAdyenImport() throws {
        try #require(TmuxSession.isAvailable, "tmux is required: .ci/run installs it")
        let home = TempDir()
        let db = try demoWithAdyen(home)
        let tmux = try TmuxSession(command: [payoutmonBinary, "--db", db], width: 200, height: 60, env: environment(home: home.path))
        let screen = try tmux.waitFor("WikimediaDonations", timeout: 60)
        let row = screen.split(separator: "\n").first { $0.contains("WikimediaDonations") && $0.contains("●") }.map(String.init) ?? ""
        #expect(row.contains("Adyen"), "\(screen)")
        #expect(row.contains("USD"), "\(screen)")
        try tmux.send("q")
    }

    @Test func theCalendarShowsNationalDayAndStory4OnTheDemo() throws {
        try #require(TmuxSession.isAvailable, "tmux is required: .ci/run installs it")
        let home = TempDir()
        let tmux = try TmuxSession(command: [payoutmonBinary, "--demo"], width: 120, height: 36, env: environment(home: home.path))
        _ = try tmux.waitFor("Pending payouts", timeout: 60)
        try tmux.send("c")
        _ = try tmux.waitFor("Cash-flow calendar")
        // The calendar opens on today (the demo runs on the real clock): step to 2026-10-08.
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let today = LocalDateTime(Instant(Date()), in: zone).date
        let months = (today.year * 12 + today.month) - (2026 * 12 + 10)
        for _ in 0..<abs(months) { try tmux.send(months > 0 ? "PageUp" : "PageDown") }
        var screen = try tmux.waitFor("October 2026")
        let day = min(today.day, 31)
        for _ in 0..<abs(day - 8) { try tmux.send(day > 8 ? "h" : "l") }
        screen = try tmux.waitFor("2026-10-08 Thu")
        #expect(screen.contains("10 work"), "10-10 is not marked a working day:\n\(screen)")
        #expect(screen.contains("01 hol"), "\(screen)")
        #expect(screen.contains("1 payout"), "\(screen)")
        // Enter lists the day's payouts: story 4's, paid after the holiday.
        try tmux.send("Enter")
        screen = try tmux.waitFor(DemoStories.payoutRef(4))
        #expect(screen.contains("Payouts due 10-08"))
        try tmux.send("Enter")
        screen = try tmux.waitFor("Payout · " + DemoStories.payoutRef(4))
        try tmux.send("Escape")
        try tmux.send("Escape")
        try tmux.send("Escape")
        _ = try tmux.waitFor("Pending payouts")
        try tmux.send("q")
    }
}
