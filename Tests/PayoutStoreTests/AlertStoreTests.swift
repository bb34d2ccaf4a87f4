import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
@testable import PayoutStore
import Testing

/// Alerts read the demo store as `status` does, and remember only in `alertSent`.
@Suite struct AlertStoreTests {
    let rules = ReconcileTests.rules
    let now = DemoStore.now

    @Test func theFindingsAreWhatStatusListsAsProblemsAndTheAccountsNotActive() throws {
        let store = try DemoStore.make()
        let (findings, truncated) = try store.read(rules: rules) { r in try r.alertFindings(now: now, remembered: [], limit: 5_000) }
        #expect(!truncated)
        let (payouts, txns, accounts) = try store.read(rules: rules) { r in
            (try r.attentionPayouts(now: now, limit: 5_000), try r.attentionTransactions(now: now, limit: 5_000), try r.accounts(now: now))
        }
        let alerting = Set(findings.filter(\.alerting).map(\.key))
        let expected = Set(payouts.map { AlertFinding.payoutKey(merchantId: $0.payout.merchantId, ref: $0.payout.ref) })
            .union(txns.filter { $0.state(at: now).isProblem }.map { AlertFinding.transactionKey(id: $0.id) })
            .union(accounts.filter { $0.state != .active }.map { AlertFinding.accountKey(merchantId: $0.merchant.merchantId) })
        #expect(!payouts.isEmpty && alerting.count > payouts.count)
        #expect(alerting == expected)
    }

    @Test func rememberingWritesOnlyItsOwnTableAndTheNextEvaluationIsQuiet() throws {
        let writable = try DemoStore.make()
        let store = AlertStore(writable)
        let first = try store.read(rules: rules) { r in
            Alerts.changes(remembered: [], current: try r.alertFindings(now: now, remembered: [], limit: 5_000).findings, now: now)
        }
        #expect(!first.alerts.isEmpty)
        let before = try writable.rowCounts()
        try store.record(remember: first.remember, forget: [])
        #expect(try writable.rowCounts() == before)
        let remembered = try store.remembered()
        #expect(Set(remembered) == Set(first.remember))
        // A later evaluation reading one row per list still judges every remembered
        // subject (its line is read by key): nothing is taken for a recovery.
        let second = try store.read(rules: rules) { r in
            Alerts.changes(remembered: remembered, current: try r.alertFindings(now: now, remembered: remembered, limit: 1).findings, now: now)
        }
        #expect(second.alerts.isEmpty, "\(second.alerts.map(\.finding.key))")
        // Forgetting removes the row.
        try store.record(remember: [], forget: [remembered[0].key])
        #expect(try store.remembered().count == remembered.count - 1)
    }
}
