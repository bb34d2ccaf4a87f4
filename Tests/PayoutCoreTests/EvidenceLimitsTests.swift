import Foundation
import Testing
@testable import PayoutCore

/// Diagnosis claims no more than its evidence covers: a day no report covers, a payout
/// in another currency, a fee line over the contract, a return later credits contradict.
/// Each test gives the evidence that raises the finding and the evidence that rules it out.
@Suite struct EvidenceLimitsTests {
    typealias F = DiagnosisFixtures
    static let mid = "898440358120099"

    func sale(_ rrn: String, _ amount: String, at time: String, payout: String? = nil, currency: Currency = .CNY) throws -> Transaction {
        Transaction(merchantId: Self.mid, terminalId: "LKL20001", batchNo: "000200", traceNo: "000001", rrn: rrn, authCode: "",
                    cardMasked: "625807******4417", cardKind: .credit, kind: .sale, amount: try Money.parse(amount, currency: currency),
                    occurredAt: try F.at(time), payoutRef: payout)
    }

    func evidence(_ t: Transaction?, payouts: [Evidence.PayoutEvidence] = [], others: [Transaction] = [],
                  coverage: ReportCoverage? = nil) throws -> Evidence {
        let exp = try t.map { try SettlementExpectation.compute(for: $0, policy: .demoDefault, calendar: F.cn()) }
        var e = Evidence(transaction: t, expectation: exp, payouts: payouts, payoutTransactions: others, holds: [], accountEvents: [],
                         merchant: nil, policy: .demoDefault, otherLatePayoutsSameDay: 0)
        e.coverage = coverage
        return e
    }

    func paid(_ ref: String, _ cycle: String, _ amount: String, currency: Currency = .CNY, items: [(PayoutItemKind, String, String?)] = [])
        throws -> Evidence.PayoutEvidence {
        let m = try Money.parse(amount, currency: currency)
        let p = Payout(merchantId: Self.mid, ref: ref, cycleDate: try F.d(cycle), expectedAmount: m, paidAmount: m, status: .paid,
                       creditedAt: try F.at(cycle + " 10:00"))
        let lines = try items.enumerated().map { i, x in
            PayoutItem(merchantId: Self.mid, payoutRef: ref, lineNo: i + 1, kind: x.0, amount: try Money.parse(x.1, currency: currency), rrn: x.2)
        }
        return Evidence.PayoutEvidence(payout: p, items: lines)
    }

    // MARK: Coverage

    /// A Monday sale settles Tuesday 11-24, late after 20:00 that day.
    @Test func aSaleNoReportCoversAwaitsTheReportEvenWhenPastItsLateTime() throws {
        let t = try sale("990000000001", "1000.00", at: "2026-11-23 10:00")
        let now = try F.at("2026-11-28 15:00")
        // No report covers 11-24 (the last one ends 11-23): awaiting, not late.
        let before = ReportCoverage(spans: [try F.d("2026-11-16")...(try F.d("2026-11-23"))])
        let d = Diagnosis.diagnose(try evidence(t, coverage: before), now: now)
        #expect(d.state == .awaitingReport)
        #expect(d.primary == .awaitingReport)
        #expect(!d.needsDispute)
        #expect(d.finding(.awaitingReport)?.evidence.map(\.en).contains("the settlement reports imported for MID \(Self.mid) run through 2026-11-23") == true)
        // A gap: reports before and after 11-24, not on it.
        let gap = ReportCoverage(spans: [try F.d("2026-11-20")...(try F.d("2026-11-23")), try F.d("2026-11-25")...(try F.d("2026-11-27"))])
        #expect(Diagnosis.diagnose(try evidence(t, coverage: gap), now: now).state == .awaitingReport)
        // Covered, and no payout carries it: late, UNEXPLAINED, saying so.
        let covered = ReportCoverage(spans: [try F.d("2026-11-20")...(try F.d("2026-11-27"))])
        let late = Diagnosis.diagnose(try evidence(t, coverage: covered), now: now)
        #expect(late.state == .late)
        #expect(late.primary == .unexplained)
        #expect(late.finding(.unexplained)?.evidence.first?.en == "settlement reports through 2026-11-27 cover 2026-11-24; none carries RRN 990000000001")
        // Covered but not yet due: pending, and no cause yet (the acquirer may still
        // issue another payout for the day).
        let early = Diagnosis.diagnose(try evidence(t, coverage: covered), now: try F.at("2026-11-24 12:00"))
        #expect(early.state == .pending && early.primary == nil)
        // Coverage unknown (hand-made evidence): as before, late with no coverage claim.
        let unknown = Diagnosis.diagnose(try evidence(t), now: now)
        #expect(unknown.state == .late)
        #expect(unknown.finding(.unexplained)?.evidence.first?.en.hasPrefix("no payout in the reports carries RRN 990000000001") == true)
    }

    // MARK: Currency

    @Test func aPayoutInAnotherCurrencyIsNeitherShortNorMissing() throws {
        let t = try sale("990000000031", "1000.00", at: "2026-11-23 10:00", payout: "P31")
        let hkd = Currency(code: "HKD")!
        let p = try paid("P31", "2026-11-24", "1085.00", currency: hkd, items: [(.transaction, "1085.00", "990000000031")])
        let covered = ReportCoverage(spans: [try F.d("2026-11-24")...(try F.d("2026-11-24"))])
        let d = Diagnosis.diagnose(try evidence(t, payouts: [p], coverage: covered), now: try F.at("2026-11-28 15:00"))
        #expect(d.state == .otherCurrency)
        #expect(d.primary == .currencyMismatch)
        #expect(d.finding(.unexplained) == nil)
        let lines = d.finding(.currencyMismatch)?.evidence.map(\.en) ?? []
        #expect(lines.contains("sale RRN 990000000031: CNY 1,000.00, expected net CNY 994.00"))
        #expect(lines.contains("payout P31 is in HKD: credited HKD 1,085.00 on 2026-11-24 (expected HKD 1,085.00)"))
        #expect(d.shares.map(\.ref) == ["P31"])
        // The payout on its own: its amounts balance, its sale is in CNY.
        var pe = try evidence(nil, payouts: [p], others: [t])
        pe.transaction = nil
        let pd = Diagnosis.diagnose(pe, now: try F.at("2026-11-28 15:00"))
        #expect(pd.state == .settled && pd.primary == .currencyMismatch && pd.needsDispute)
        // The same payout in CNY: no such finding.
        let cny = try paid("P31", "2026-11-24", "994.00", items: [(.transaction, "1000.00", "990000000031"), (.fee, "-6.00", nil)])
        let ok = Diagnosis.diagnose(try evidence(t, payouts: [cny], coverage: covered), now: try F.at("2026-11-28 15:00"))
        #expect(ok.state == .settled && ok.finding(.currencyMismatch) == nil)
    }

    // MARK: Fees

    @Test func aPayoutFeeLineOverTheContractIsAFindingAndOneAsContractedIsNot() throws {
        let a = try sale("990000000021", "5000.00", at: "2026-11-23 10:00", payout: "P21")
        let b = try sale("990000000022", "5000.00", at: "2026-11-23 11:00", payout: "P21")
        func payout(fee: String, net: String) throws -> Evidence {
            var e = try evidence(nil, payouts: [try paid("P21", "2026-11-24", net, items: [
                (.transaction, "5000.00", a.rrn), (.transaction, "5000.00", b.rrn), (.fee, "-" + fee, nil)])], others: [a, b])
            e.transaction = nil
            return e
        }
        let over = Diagnosis.diagnose(try payout(fee: "78.00", net: "9922.00"), now: try F.at("2026-11-28 15:00"))
        let x = try #require(over.finding(.feeDeduction))
        #expect(!x.explained && over.needsDispute)
        #expect(x.amount == (try F.cny("18.00")))
        #expect(x.evidence.map(\.en).contains("charged 78.00; the contract gives 60.00 for its 2 sale(s): 18.00 over"))
        let note = DisputeNote(evidence: try payout(fee: "78.00", net: "9922.00"), diagnosis: over, now: try F.at("2026-11-28 15:00"),
                               language: .en, format: .plain, sources: []).text
        #expect(note.contains("Refund the 18.00 CNY charged over the contracted fee"))
        #expect(!note.contains("No dispute is needed"))
        // As contracted: explained, no dispute.
        let asContracted = Diagnosis.diagnose(try payout(fee: "60.00", net: "9940.00"), now: try F.at("2026-11-28 15:00"))
        #expect(asContracted.finding(.feeDeduction)?.explained == true)
        #expect(!asContracted.needsDispute)
    }

    /// By hand: sales of 5,000.00 each, contracted fee 30.00 each; payout P21 credits
    /// 9,922.00 with one batch fee line of 78.00. The payout is owed 9,940.00 and is
    /// short 18.00; each sale is owed 4,970.00 and gets 4,961.00, short 9.00, whether
    /// the report states no per-sale fee, the contracted 30.00, or 39.00 each (then the
    /// claim already takes the 39.00 off: short 9.00, not 18.00). Under no contract
    /// (`contractApplies` false) the sales are owed what their report says: settled.
    @Test func aBatchFeeOverTheContractLeavesThePayoutAndItsSalesShortAlike() throws {
        let now = try F.at("2026-11-28 15:00")
        func sales(fee: String?) throws -> [Transaction] {
            try ["990000000021", "990000000022"].enumerated().map { i, rrn in
                var t = try sale(rrn, "5000.00", at: "2026-11-23 1\(i):00", payout: "P21")
                t.fee = try fee.map { try F.cny($0) }
                return t
            }
        }
        let p = try paid("P21", "2026-11-24", "9922.00", items: [
            (.transaction, "5000.00", "990000000021"), (.transaction, "5000.00", "990000000022"), (.fee, "-78.00", nil)])
        var pe = try evidence(nil, payouts: [p], others: try sales(fee: nil))
        pe.transaction = nil
        let pd = Diagnosis.diagnose(pe, now: now)
        #expect(pd.state == .short && pd.primary == .feeDeduction)
        let (owed, credited, excess) = (try F.cny("9940.00"), try F.cny("9922.00"), try F.cny("18.00"))
        #expect(pd.expectedNet == owed && pd.received == credited && pd.shortBy == excess)
        let (saleOwed, saleGot, share) = (try F.cny("4970.00"), try F.cny("4961.00"), try F.cny("9.00"))
        for fee in [nil, "30.00", "39.00"] {
            let ts = try sales(fee: fee)
            let d = Diagnosis.diagnose(try evidence(ts[0], payouts: [p], others: ts), now: now)
            #expect(d.state == .short && d.primary == .feeDeduction, "fee \(fee ?? "none")")
            #expect(d.expectedNet == saleOwed && d.received == saleGot, "fee \(fee ?? "none")")
            #expect(d.shortBy == share && d.finding(.feeDeduction)?.amount == share, "fee \(fee ?? "none")")
        }
        // No contract here: owed what the report states (5,000.00 − 39.00), and received it.
        let ts = try sales(fee: "39.00")
        var free = try evidence(ts[0], payouts: [p], others: ts)
        free.policy.contractApplies = false
        let fd = Diagnosis.diagnose(free, now: now)
        #expect(fd.state == .settled && fd.shortBy.isZero, "\(fd.state) \(fd.shortBy)")
        var freePayout = pe
        freePayout.policy.contractApplies = false
        #expect(Diagnosis.diagnose(freePayout, now: now).state == .settled)
    }

    // MARK: Contradictions

    @Test func aReturnAsAccountClosedIsCheckedAgainstLaterCredits() throws {
        let returned = Payout(merchantId: Self.mid, ref: "P51", cycleDate: try F.d("2026-11-23"), expectedAmount: try F.cny("994.00"),
                              status: .returned, failureCode: "R03 收款账户已销户 account closed")
        let later = try paid("P52", "2026-11-25", "994.00").payout
        let earlier = try paid("P50", "2026-11-20", "994.00").payout
        var e = try evidence(nil, payouts: [Evidence.PayoutEvidence(payout: returned, items: [])])
        e.transaction = nil
        e.neighbourCredits = [earlier, later]
        let d = Diagnosis.diagnose(e, now: try F.at("2026-11-28 15:00"))
        #expect(d.primary == .bankProcessing)
        #expect(d.finding(.bankProcessing)?.evidence.map(\.en).contains(
            "inconsistent: the bank returned payout P51 as account closed, yet payout P52 (994.00) was credited on 2026-11-25 to the same settlement account, after it; before it, payout P50 (994.00) was credited on 2026-11-20") == true)
        // Only credits before it: nothing contradicts the return.
        e.neighbourCredits = [earlier]
        #expect(Diagnosis.diagnose(e, now: try F.at("2026-11-28 15:00")).finding(.bankProcessing)?.evidence
            .contains { $0.en.hasPrefix("inconsistent") } == false)
        // Another reason: not checked against the credits.
        var other = e
        other.payouts[0].payout.failureCode = "R01 余额不足 insufficient funds"
        other.neighbourCredits = [earlier, later]
        #expect(Evidence.saysAccountClosed(other.payouts[0].payout.failureCode) == false)
        #expect(Diagnosis.diagnose(other, now: try F.at("2026-11-28 15:00")).finding(.bankProcessing)?.evidence
            .contains { $0.en.hasPrefix("inconsistent") } == false)
    }
}
