import Foundation
import Testing
@testable import PayoutCore

/// NOT_CREDITED and CREDITED_DIFFERENT from hand-made bank evidence: what raises them,
/// and the statements that prove nothing.
@Suite struct BankDiagnosisTests {
    let zone = TimeZone(identifier: "Asia/Shanghai")!
    func at(_ s: String) -> Instant { LocalDateTime(parsing: s)!.instant(in: zone) }
    func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }
    func cny(_ s: String) -> Money { try! Money.parse(s, currency: .CNY) }

    func statement(_ from: String, _ to: String, kind: BankStatementKind = .final, incomplete: String? = nil) -> BankEvidence.Statement {
        BankEvidence.Statement(file: "bank/s.xml", sha256: "ab12", format: "camt.053.001.02", statementRef: "S1", accountMasked: "****3456",
                               kind: kind, periodStart: d(from), periodEnd: d(to), incompleteReason: incomplete, line: 3)
    }

    func diagnose(_ bank: BankEvidence?) -> Diagnosis {
        let p = Payout(merchantId: "898440358120013", ref: "LKLP-E", cycleDate: d("2026-11-26"), expectedAmount: cny("700.00"),
                       paidAmount: cny("700.00"), status: .paid, expectedArrival: at("2026-11-26 09:00"), creditedAt: at("2026-11-26 10:00"))
        var pe = Evidence.PayoutEvidence(payout: p, items: [])
        pe.bank = bank
        let e = Evidence(transaction: nil, expectation: nil, payouts: [pe], payoutTransactions: [], holds: [], accountEvents: [],
                         merchant: nil, policy: .demoDefault, otherLatePayoutsSameDay: 0)
        return Diagnosis.diagnosePayout(e, now: at("2026-12-02 12:00"))
    }

    let window = LocalDate(iso: "2026-11-26")!...LocalDate(iso: "2026-11-30")!

    @Test func aCoveredWindowWithoutTheCreditIsNotCredited() {
        let bank = BankEvidence(window: window, credits: [], statements: [statement("2026-11-23", "2026-11-27"), statement("2026-11-28", "2026-11-30")])
        #expect(bank.state == .notCredited && bank.covering.count == 2)
        let dx = diagnose(bank)
        #expect(dx.state == .short && dx.shortBy == cny("700.00") && dx.received.isZero)
        let f = dx.findings.first
        #expect(f?.code == .notCredited && f?.amount == cny("700.00"))
        #expect(f?.evidence.contains { $0.en.contains("bank/s.xml:3, sha256 ab12") && $0.en.contains("2026-11-23 to 2026-11-27") } == true)
        #expect(f?.nextStep.zh.contains("出款流水号") == true && f?.nextStep.zh.contains("银行回单") == true)
    }

    @Test func withoutProofNothingIsClaimed() {
        for statements in [[statement("2026-11-23", "2026-11-29")],                            // a day of the window uncovered
                           [statement("2026-11-23", "2026-11-30", kind: .intraday)],             // camt.052
                           [statement("2026-11-23", "2026-11-30", incomplete: "does not add up")]] { // incomplete
            let bank = BankEvidence(window: window, credits: [], statements: statements)
            #expect(bank.state == .noStatement)
            let dx = diagnose(bank)
            #expect(dx.state == .settled && !dx.findings.contains { $0.code == .notCredited })
        }
        // No statement of the merchant at all: the bank is not part of the evidence.
        #expect(diagnose(nil).state == .settled)
    }

    @Test func aCreditForAnotherAmountIsCreditedDifferent() {
        let credit = BankEvidence.Credit(amount: cny("690.00"), bookingDate: d("2026-11-26"), bookedAt: at("2026-11-26 11:00"),
                                         bankRef: "B1", rule: "reference", difference: cny("-10.00"), file: "bank/s.xml", line: 40)
        let bank = BankEvidence(window: window, credits: [credit], statements: [statement("2026-11-23", "2026-11-30")])
        #expect(bank.state == .creditedDifferent && bank.creditedAmount == cny("690.00"))
        let dx = diagnose(bank)
        #expect(dx.state == .short && dx.received == cny("690.00") && dx.shortBy == cny("10.00"))
        #expect(dx.findings.first?.code == .creditedDifferent && dx.findings.first?.amount == cny("10.00"))
    }

    @Test func ambiguousCandidatesClaimNothing() {
        let c = BankEvidence.Credit(amount: cny("700.00"), bookingDate: d("2026-11-27"), rule: "amount-date", ambiguous: true,
                                    difference: cny("0.00"), file: "bank/s.xml", line: 50)
        let bank = BankEvidence(window: window, credits: [c, c], statements: [statement("2026-11-23", "2026-11-30")])
        #expect(bank.state == .ambiguous && bank.bookedAt == nil)
        #expect(diagnose(bank).state == .settled)
    }
}
