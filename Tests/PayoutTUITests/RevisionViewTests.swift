import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutModel
import Testing
@testable import PayoutTUI

/// The drill-down lists the values later reports changed (accepted revisions).
@Suite struct RevisionViewTests {
    static let revision = Revision(
        table: "payout", recordRef: "P1", field: "expected amount",
        old: .money(Money(minor: 128_800, currency: .CNY)), new: .money(Money(minor: 120_800, currency: .CNY)),
        oldPlace: Revision.Place(path: "reports/a.csv", line: 12), newPlace: Revision.Place(path: "reports/b.csv", line: 7))

    @Test func payoutDrillDownShowsTheRevision() throws {
        let line = try #require(Fixture.payouts.first)
        var detail = try #require(Fixture.detail(forPayout: line.payout.merchantId, ref: line.payout.ref))
        let state = Fixture.state()
        let without = PayoutDetailView.lines(line, detail: detail, state: state, width: 160).map(\.text)
        #expect(!without.contains { $0.contains("Revised by later reports") })
        detail.revisions = [Self.revision]
        let text = PayoutDetailView.lines(line, detail: detail, state: state, width: 160).map(\.text)
        #expect(text.contains { $0.contains("Revised by later reports") })
        #expect(text.contains("  · payout P1, expected amount 1,288.00 CNY in reports/a.csv (line 12), 1,208.00 CNY in reports/b.csv (line 7)"))
    }

    @Test func transactionDrillDownShowsTheRevisionInChinese() throws {
        var detail = try #require(Fixture.detail(forTransaction: Fixture.storyTxnId))
        guard case .transaction(let line) = detail.subject else { Issue.record("not a transaction"); return }
        detail.revisions = [Self.revision]
        let text = TransactionDetailView.lines(line, detail: detail, state: Fixture.state(language: .zhHans), width: 160).map(\.text)
        #expect(text.contains { $0.contains("对账文件前后不一致") })
        #expect(text.contains("  · 结算单 P1，应结金额：reports/a.csv 第 12 行为 1,288.00 CNY，reports/b.csv 第 7 行为 1,208.00 CNY"))
    }
}
