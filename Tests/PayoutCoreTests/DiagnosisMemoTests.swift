import Foundation
import Testing
@testable import PayoutCore

private typealias F = DiagnosisFixtures

/// A `DiagnosisMemo` keeps a payout's lines' digest between the sales of one pass; a
/// diagnosis must be the same with it as without, words and ruled-out list included.
@Suite struct DiagnosisMemoTests {
    @Test func everyDemoStoryDiagnosesTheSameWithOneMemoForAll() throws {
        let now = try F.now()
        let memo = DiagnosisMemo()
        var compared = 0
        for n in 1...12 {
            let r = try F.records(of: n)
            for t in r.transactions {
                let e = try F.evidence(story: n, rrn: t.rrn)
                let alone = Diagnosis.diagnose(e, now: now)
                let memoised = Diagnosis.diagnose(e, now: now, memo: memo)
                #expect(memoised == alone, "story \(n) RRN \(t.rrn)")
                // Twice: the second takes the digest the first left.
                #expect(Diagnosis.diagnose(e, now: now, memo: memo) == alone, "story \(n) RRN \(t.rrn), again")
                compared += 1
            }
            let pe = try F.payoutEvidence(story: n)
            #expect(Diagnosis.diagnosePayout(pe, now: now, memo: memo) == Diagnosis.diagnosePayout(pe, now: now), "story \(n) payout")
        }
        #expect(compared >= 12)
    }

    /// Five sales in one payout with a batch fee, a reserve line of the whole batch, a
    /// hold on one sale and a refund, paid 100.00 short: each sale's share.
    private func sharedPayout(lines extra: [PayoutItem] = [], paid: String = "4684.00") throws -> (Evidence.PayoutEvidence, [Transaction]) {
        let mid = F.mainMID
        var txns: [Transaction] = []
        var items: [PayoutItem] = []
        let amounts = ["1000.00", "1500.00", "700.00", "900.00", "1200.00"]
        for (i, a) in amounts.enumerated() {
            let rrn = "77000000000\(i)"
            txns.append(try F.txn(mid, "T0000001", batch: "000100", trace: "00010\(i)", rrn: rrn, auth: "10000\(i)", card: "622848******000\(i)",
                                  .debit, amount: a, fee: "0.00", at: "2026-11-26 1\(i):00:00", payout: "PX-SHARED"))
            items.append(try F.item(mid, "PX-SHARED", i + 1, .transaction, a, rrn: rrn))
        }
        items.append(try F.item(mid, "PX-SHARED", 6, .fee, "-16.00"))
        items.append(try F.item(mid, "PX-SHARED", 7, .reserve, "-50.00"))
        items.append(try F.item(mid, "PX-SHARED", 8, .hold, "-300.00", rrn: "770000000002"))
        items.append(try F.item(mid, "PX-SHARED", 9, .refund, "-150.00", rrn: "770000000009"))
        items += extra
        let p = try F.payout(mid, "PX-SHARED", cycle: "2026-11-27", expected: "4784.00", paid: paid, .paid,
                             arrival: "2026-11-27 10:00", credited: "2026-11-27 09:30", bank: "B1")
        return (Evidence.PayoutEvidence(payout: p, items: items), txns)
    }

    @Test func aSharedPayoutsSalesDiagnoseTheSameWithTheMemo() throws {
        let now = try F.now()
        let (pe, txns) = try sharedPayout()
        let memo = DiagnosisMemo()
        for t in txns {
            let e = try F.evidence(F.mainMID, subject: t, txns: txns, payouts: [pe])
            let alone = Diagnosis.diagnose(e, now: now)
            #expect(Diagnosis.diagnose(e, now: now, memo: memo) == alone, "RRN \(t.rrn)")
        }
        // The shares the memo split once add up to what the sales were not paid.
        let received = try txns.map { t in
            Diagnosis.diagnose(try F.evidence(F.mainMID, subject: t, txns: txns, payouts: [pe]), now: now, memo: memo).received.minor
        }
        #expect(received.count == 5)
        #expect(Set(received).count > 1)
    }

    @Test func aPayoutWhoseLinesChangedIsNotTakenFromTheMemo() throws {
        let now = try F.now()
        let memo = DiagnosisMemo()
        let (before, txns) = try sharedPayout()
        let first = try F.evidence(F.mainMID, subject: txns[0], txns: txns, payouts: [before])
        _ = Diagnosis.diagnose(first, now: now, memo: memo)
        // The same payout with one more line (a batch adjustment): same key, other lines.
        let (after, _) = try sharedPayout(lines: [try F.item(F.mainMID, "PX-SHARED", 10, .adjustment, "-40.00")], paid: "4644.00")
        for t in txns {
            let e = try F.evidence(F.mainMID, subject: t, txns: txns, payouts: [after])
            #expect(Diagnosis.diagnose(e, now: now, memo: memo) == Diagnosis.diagnose(e, now: now), "RRN \(t.rrn)")
        }
    }

    /// The fee check against the contract reads the evidence's transactions: a memo entry
    /// kept for one list of them is not used for another (here one sale's amount differs
    /// from its line, so the check no longer applies to the payout). A batch fee of 200.00
    /// is over what the contract gives for the five sales.
    @Test func theContractedSalesFollowTheEvidencesTransactions() throws {
        let now = try F.now()
        let memo = DiagnosisMemo()
        let (pe, txns) = try sharedPayout(lines: [try F.item(F.mainMID, "PX-SHARED", 10, .fee, "-200.00")], paid: "4484.00")
        var changed = txns
        changed[1].amount = try F.cny("1499.00")
        for list in [txns, changed, txns] {
            for t in list {
                let e = try F.evidence(F.mainMID, subject: t, txns: list, payouts: [pe])
                #expect(Diagnosis.diagnose(e, now: now, memo: memo) == Diagnosis.diagnose(e, now: now), "RRN \(t.rrn)")
            }
        }
        // The two lists are diagnosed differently: the memo did not hide the difference.
        let first = Diagnosis.diagnose(try F.evidence(F.mainMID, subject: txns[0], txns: txns, payouts: [pe]), now: now, memo: memo)
        let second = Diagnosis.diagnose(try F.evidence(F.mainMID, subject: changed[0], txns: changed, payouts: [pe]), now: now, memo: memo)
        #expect(first != second)
    }

    @Test func theDigestsLineListsAreTheFiltersTheyReplace() throws {
        let (pe, _) = try sharedPayout(lines: [try F.item(F.mainMID, "PX-SHARED", 10, .carryOver, "-20.00"),
                                               try F.item(F.mainMID, "PX-SHARED", 11, .fee, "-3.00", rrn: "770000000001")])
        let lines = try PayoutLines(pe)
        let kindsSets: [[PayoutItemKind]] = [[.fee], [.hold, .carryOver], [.refund, .chargeback], [.transaction], [.release]]
        for kinds in kindsSets {
            #expect(lines.lines(kinds) == pe.items.filter { kinds.contains($0.kind) })
            for rrn in ["770000000001", "770000000002", "nope"] {
                #expect(lines.lines(kinds, namingOrNone: rrn) == pe.items.filter { kinds.contains($0.kind) && ($0.rrn == rrn || $0.rrn == nil) })
            }
        }
        #expect(lines.lines(naming: "770000000001") == pe.items.filter { $0.rrn == "770000000001" })
        #expect(lines.namesOther(than: "770000000001"))
        #expect(lines.hasBatchFee)
        #expect(lines.unassigned == (try F.cny("-70.00")))   // reserve -50.00 and carry-over -20.00
        #expect(lines.saleWeights.map(\.gross) == [100_000, 150_000, 70_000, 90_000, 120_000])
        // A split's parts add up to the amount, whichever sale asks first.
        let parts = lines.saleWeights.map { lines.share(of: -10_001, rrn: $0.rrn) }
        #expect(parts.reduce(0, +) == -10_001)
    }
}
