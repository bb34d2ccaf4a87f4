import PayoutTestSupport
import Foundation
import PayoutCore
import Testing
@testable import payoutmon

/// `status` text lines built from hand-made lines: each identifier once, no amount
/// without its figure.
@Suite struct StatusTextTests {
    let now = at("2026-11-28 15:00")

    func sale(_ rrn: String, payout: String?) throws -> Transaction {
        Transaction(merchantId: "898440358120099", terminalId: "LKL20001", batchNo: "000200", traceNo: "000001", rrn: rrn,
                    authCode: "", cardMasked: "625807******4417", cardKind: .credit, kind: .sale,
                    amount: try Money.parse("1000.00", currency: .CNY), occurredAt: at("2026-11-28 10:00"), payoutRef: payout)
    }

    func pending(_ t: Transaction, cause: CauseCode, id: Int64) -> TxnLine {
        TxnLine(id: id, transaction: t, storedState: .pending, cause: cause, expectedCredit: at("2026-11-30 09:00"),
                lateAfter: at("2026-11-30 20:00"), expectedNet: nil, received: nil, payoutRef: t.payoutRef)
    }

    @Test func aMovedSaleWithoutAPayoutNamesItsRRNOnce() throws {
        let lone = pending(try sale("633650474412", payout: nil), cause: .d0Quota, id: 1)
        let carried = pending(try sale("633650474413", payout: "LKLP-D0-1"), cause: .d0Quota, id: 2)
        let text = StatusReport(summary: LedgerSummary(), transactions: [lone, carried], payouts: [], arrivedLate: [],
                                now: now, zone: shanghai).text()
        #expect(text.contains("  pending  D0_QUOTA rrn 633650474412 expected 2026-11-30 09:00"), "\(text)")
        #expect(!text.contains("rrn 633650474412 rrn"))
        #expect(text.contains("  pending  D0_QUOTA payout LKLP-D0-1 rrn 633650474413 expected 2026-11-30 09:00"))
    }

    @Test func aPayoutNotPaidSaysSoInsteadOfADash() throws {
        let p = Payout(merchantId: "898440358120099", ref: "LKLP-R-1", cycleDate: LocalDate(iso: "2026-11-26")!,
                       expectedAmount: try Money.parse("994.00", currency: .CNY), status: .returned)
        let line = PayoutLine(id: 1, payout: p, lateAfter: nil, storedState: .failed, cause: .bankProcessing)
        let text = StatusReport(summary: LedgerSummary(), transactions: [], payouts: [line], arrivedLate: [],
                                now: now, zone: shanghai).text()
        #expect(text.contains("payout LKLP-R-1 mid 898440358120099 expected 994.00 CNY not paid status returned"), "\(text)")
        #expect(!text.contains(" - CNY"))
    }
}
