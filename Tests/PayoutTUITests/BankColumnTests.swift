import PayoutCore
import Testing
@testable import PayoutTUI

/// The Pending payouts pane's Bank column: a cross (a dispute) only where the acquirer
/// reports the payout paid and a complete statement holds no credit for it; a payout
/// the acquirer returned, holds or has not yet sent is owed no credit, so its empty
/// statement shows a quiet dash.
@Suite struct BankColumnTests {
    @Test func aCrossOnlyForMoneyTheAcquirerSaysItPaid() {
        #expect(PayoutsPane.bankCell(.notCredited, reportedPaid: true).text == "✗")
        #expect(PayoutsPane.bankCell(.notCredited, reportedPaid: true).style == .bad)
        #expect(PayoutsPane.bankCell(.notCredited, reportedPaid: false).text == "–")
        #expect(PayoutsPane.bankCell(.notCredited, reportedPaid: false).style == .muted)
        #expect(PayoutsPane.bankCell(.matched, reportedPaid: false).text == "✓")
        #expect(PayoutsPane.bankCell(.noStatement).text == "·")
        #expect(PayoutsPane.bankCell(nil).text == "·")
    }
}
