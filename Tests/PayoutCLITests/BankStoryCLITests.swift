import PayoutTestSupport
import Foundation
import PayoutDemo
import PayoutCore
import PayoutModel
import PayoutStore
import PayoutSync
import PayoutTUI
import Testing
@testable import payoutmon

/// Story 12 through the real binary: the demo's bank statement holds no credit for a
/// payout the acquirer reports paid.
@Suite struct BankStoryCLITests {
    @Test func statusJSONShowsNotCreditedAndMatchedPayouts() throws {
        let f = DemoFixture.shared
        let r = try run(["status", "--db", f.db, "--json"], home: f.dir.path)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let payouts = try #require(json["payouts"] as? [[String: Any]])
        let story = try #require(payouts.first { $0["payoutRef"] as? String == DemoStories.payoutRef(12) })
        #expect(story["cause"] as? String == "NOT_CREDITED" && story["state"] as? String == "short")
        let bank = try #require(story["bank"] as? [String: Any])
        #expect(bank["state"] as? String == "not-credited")
        #expect((bank["statements"] as? [String]) == ["demo/bank-statement.camt053.xml"])
        #expect((json["unannouncedCredits"] as? [Any])?.isEmpty == true)
        let text = try run(["status", "--db", f.db], home: f.dir.path)
        #expect(text.stdout.contains("NOT_CREDITED payout \(DemoStories.payoutRef(12))"))
        #expect(text.stdout.contains("bank: not credited (statement demo/bank-statement.camt053.xml)"))
    }

    @Test func noteAsksForTheBankTrace() throws {
        let f = DemoFixture.shared
        let dir = TempDir()
        let out = dir.path
        let r = try run(["note", "--db", f.db, "--payout", DemoStories.payoutRef(12), "--out", out], home: f.dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        let note = try String(contentsOfFile: out + "/" + (files.first ?? ""), encoding: .utf8)
        #expect(note.contains("NOT_CREDITED") && note.contains("出款流水号") && note.contains("银行回单"))
        #expect(note.contains("demo/bank-statement.camt053.xml") && note.contains("sha256"))
    }

    /// The transaction drill-down of story 12: the acquirer's "paid" is shown as its claim
    /// with a cross, never as a tick beside ¥0.00, and the bank line says the statement
    /// holds no credit.
    @Test func theTimelineShowsTheClaimNotATick() throws {
        let f = DemoFixture.shared
        let rules = try AppConfig.build(values: [:], source: nil).rules
        let store = try PayoutStore.openReadOnly(path: f.db)
        let now = Instant(Date())
        let id = try store.read(rules: rules) { r in try #require(try r.transactionLines(rrn: DemoStories.rrn(12)).first).id }
        let snapshot = try SnapshotReader(rules: rules, merchantId: nil).read(store, request: ViewRequest(detail: .transaction(id: id)), now: now)
        let size = Size(width: 160, height: 100)
        var state = MonitorState(now: now, timeZone: rules.policy.timeZone, size: size, snapshot: snapshot)
        state.screens.append(ScreenEntry(.transaction(id: id)))
        let lines = render(state, size: size).text.split(separator: "\n").map(String.init)
        let ref = DemoStories.payoutRef(12)
        #expect(lines.contains { $0.contains("✗ reported paid") && $0.contains(ref) && $0.contains("not received") }, "\(lines.joined(separator: "\n"))")
        #expect(!lines.contains { $0.contains("✓") && $0.contains(ref) && $0.contains("¥0.00") })
        #expect(lines.contains { $0.contains("Bank") && $0.contains("not in the statement") })
    }
}
