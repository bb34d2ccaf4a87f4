import Foundation
import Testing
@testable import PayoutCore

/// Diagnosis of the demo stories and of the rules' edge cases.
@Suite struct DiagnosisTests {
    typealias F = DiagnosisFixtures

    func diagnose(_ e: Evidence) throws -> Diagnosis { Diagnosis.diagnose(e, now: try F.now()) }

    /// Every English evidence line of the finding with `code`.
    func lines(_ d: Diagnosis, _ code: CauseCode) -> [String] { d.finding(code)?.evidence.map(\.en) ?? [] }

    func zhLines(_ d: Diagnosis, _ code: CauseCode) -> [String] { d.finding(code)?.evidence.map(\.zh) ?? [] }

    // MARK: The demo stories

    @Test func story1NormalT1() throws {
        let d = try diagnose(F.story1())
        #expect(d.state == .settled)
        #expect(d.expectedNet == (try F.cny("1280.27")))
        #expect(d.received == (try F.cny("1280.27")))
        #expect(d.shortBy.isZero)
        #expect(d.primary == .feeDeduction)
        #expect(d.codes == [.feeDeduction])
        #expect(!d.needsDispute)
        #expect(lines(d, .feeDeduction).contains("1,288.00 − 7.73 fee (0.60%) = 1,280.27"))
        #expect(Set(d.ruledOut.map(\.topic)) == [.refunds, .chargebacks, .receivingLimit, .d0Quota, .accountState, .holds, .reserve, .bankReturn])
    }

    @Test func story2ClassIILimit() throws {
        let d = try diagnose(F.story2())
        #expect(d.state == .held)
        #expect(d.expectedNet == (try F.cny("29820.00")))
        #expect(d.received == (try F.cny("10000.00")))
        #expect(d.shortBy == (try F.cny("19820.00")))
        #expect(d.primary == .receivingLimit)
        #expect(!d.codes.contains(.riskReview))
        #expect(!d.codes.contains(.unexplained))
        let ev = lines(d, .receivingLimit)
        #expect(ev.first == "payout \(F.ref(2)) credited 10,000.00 of 29,820.00 on 2026-11-27; account 621700*********7788 is Class II: 10,000.00 a day")
        #expect(ev.contains("payout \(F.ref(2))B releases 10,000.00: scheduled for 2026-11-30"))
        #expect(ev.contains("payout \(F.ref(2))C releases 9,820.00: scheduled for 2026-12-01"))
        #expect(zhLines(d, .receivingLimit).first == "结算单 \(F.ref(2)) 于 2026-11-27 到账 10,000.00（应结 29,820.00）；结算账户 621700*********7788 为二类户，单日入金限额 10,000.00")
        #expect(d.finding(.receivingLimit)?.amount == (try F.cny("19820.00")))
        #expect(d.needsDispute)
    }

    @Test func story2ReleasesAddUp() throws {
        // 1:N: once the first release payout is credited, it counts too.
        let (t, payouts, holds) = try F.story2Records()
        var ps = payouts
        ps[1].payout.status = .paid
        ps[1].payout.paidAmount = try F.cny("10000.00")
        ps[1].payout.creditedAt = try F.at("2026-11-30 10:05")
        let e = try F.evidence(F.classIIMID, subject: t, txns: [t], payouts: ps, holds: holds)
        let d = Diagnosis.diagnose(e, now: try F.at("2026-11-30 12:00"))
        #expect(d.received == (try F.cny("20000.00")))
        #expect(d.shortBy == (try F.cny("9820.00")))
        #expect(d.primary == .receivingLimit)
        #expect(lines(d, .receivingLimit).contains("payout \(F.ref(2))B credited 10,000.00 of the carried-over money on 2026-11-30 10:05"))

        // All in and the hold released: settled, the limit explained.
        ps[2].payout.status = .paid
        ps[2].payout.paidAmount = try F.cny("9820.00")
        ps[2].payout.creditedAt = try F.at("2026-12-01 10:05")
        var released = holds
        released[0].releasedAt = try F.at("2026-12-01 10:05")
        let e2 = try F.evidence(F.classIIMID, subject: t, txns: [t], payouts: ps, holds: released)
        let d2 = Diagnosis.diagnose(e2, now: try F.at("2026-12-01 12:00"))
        #expect(d2.state == .settled)
        #expect(d2.received == (try F.cny("29820.00")))
        #expect(d2.finding(.receivingLimit)?.explained == true)
        #expect(!d2.needsDispute)
    }

    @Test func story3RiskReview() throws {
        let d = try diagnose(F.story3())
        #expect(d.state == .held)
        #expect(d.expectedNet == (try F.cny("29965.00")))
        #expect(d.received == (try F.cny("9965.00")))
        #expect(d.shortBy == (try F.cny("20000.00")))
        #expect(d.primary == .riskReview)
        #expect(!d.codes.contains(.receivingLimit))
        #expect(!d.codes.contains(.unexplained))
        let ev = lines(d, .riskReview)
        #expect(ev.contains("payout \(F.ref(3)) credited 9,965.00 of 29,965.00 on 2026-11-26; line 3 withheld 20,000.00 (风控调单 risk review)"))
        #expect(ev.contains("hold HOLD-DEMO-03 riskReview 20,000.00 opened 2026-11-26 08:30, not released: 风控调单：大额交易，请提供交易小票及购货凭证 risk review: provide receipt and proof of goods"))
        #expect(d.finding(.riskReview)?.amount == (try F.cny("20000.00")))
    }

    @Test func stories2And3HaveDifferentCauses() throws {
        let two = try diagnose(F.story2()), three = try diagnose(F.story3())
        #expect(two.primary == .receivingLimit)
        #expect(three.primary == .riskReview)
        #expect(two.primary != three.primary)
    }

    @Test func story4CalendarShiftNotLate() throws {
        let d = try diagnose(F.story4())
        #expect(d.state == .settled)
        #expect(d.primary == .calendarShift)
        #expect(d.finding(.calendarShift)?.explained == true)
        #expect(!d.needsDispute)
        #expect(d.received == (try F.cny("3657.92")))   // its part of a shared payout
        #expect(d.shares.first?.shared == true)
        let ev = lines(d, .calendarShift)
        #expect(ev.contains("without weekends and holidays it would have been 2026-10-01; the settlement day is 2026-10-08"))
        #expect(ev.contains("credited 2026-10-08 10:08, on the computed day: not late"))
        #expect(ev.contains { $0.contains("National Day") })

        let after = try diagnose(F.story4(second: true))
        #expect(after.state == .settled)
        #expect(after.primary == .calendarShift)
        #expect(after.codes.contains(.cutoffRollover))
        #expect(lines(after, .cutoffRollover).first == "traded 2026-09-30 23:10, after the 23:00 cutoff: trade date 10-01")
        #expect(after.received == (try F.cny("1252.44")))
    }

    @Test func story5FrozenAccount() throws {
        let d = try diagnose(F.story5())
        #expect(d.state == .held)
        #expect(d.received.isZero)
        #expect(d.shortBy == (try F.cny("4295.07")))
        #expect(d.primary == .accountStatus)
        let ev = lines(d, .accountStatus)
        #expect(ev.contains("account frozen since 2026-11-23 10:00: 账户冻结：涉嫌异常交易，请补充经营资料 frozen: unusual activity, documents requested"))
        #expect(ev.contains("payout \(F.ref(5)) 4,295.07 held (failure code ACCOUNT_FROZEN)"))
        #expect(!d.ruledOut.contains { $0.topic == .accountState })
    }

    @Test func story6BankReturn() throws {
        let d = try diagnose(F.story6())
        #expect(d.state == .failed)
        #expect(d.primary == .bankProcessing)
        #expect(lines(d, .bankProcessing) == [
            "payout \(F.ref(6)) 5,566.40 (cycle date 2026-11-24) returned by the bank: failure code 收款账户已销户; bank reference B20261124000601",
        ])
        #expect(d.finding(.bankProcessing)?.nextStep.en.contains("(failure code 收款账户已销户)") == true)
    }

    @Test func story7AcquirerBacklog() throws {
        let d = try diagnose(F.story7())
        #expect(d.state == .late)
        #expect(d.primary == .acquirerBacklog)
        #expect(lines(d, .acquirerBacklog) == [
            "payout \(F.ref(7)) 8,399.30 still processing at 2026-11-28 10:00: due by 2026-11-27 18:00, late since 2026-11-27 20:00 (grace 120 min)",
        ])
        #expect(d.ruledOut.contains { $0.topic == .bankReturn })
        // Many late at once is evidence too.
        let many = try diagnose(F.story7(others: 3))
        #expect(lines(many, .acquirerBacklog).contains("3 other payouts due the same day are also unpaid past their window"))
    }

    @Test func story8D0Quota() throws {
        let d = try diagnose(F.story8())
        #expect(d.state == .settled)
        #expect(d.primary == .d0Quota)
        #expect(d.finding(.d0Quota)?.explained == true)
        #expect(!d.needsDispute)
        #expect(d.expectedNet == (try F.cny("11928.00")))
        let ev = lines(d, .d0Quota)
        #expect(ev.contains("D+0 quota 50,000.00 with 50,000.00 used today: 0.00 settles D+0 on 11-26, 12,000.00 falls back to T+1"))
        #expect(ev.contains("hold HOLD-DEMO-08 d0Quota 12,000.00 opened 2026-11-26 20:15, released 2026-11-27 10:30: 秒到额度超限，超出部分转T+1 D+0 quota exceeded: excess settles T+1"))
        #expect(ev.contains("the T+1 part: payout \(F.ref(8))B credited 11,928.00 on 2026-11-27"))
    }

    @Test func story9FeesExplained() throws {
        let d = try diagnose(F.story9())
        #expect(d.state == .settled)
        #expect(d.primary == .feeDeduction)
        #expect(!d.needsDispute)
        #expect(d.received == (try F.cny("5964.00")))
        #expect(lines(d, .feeDeduction).contains("6,000.00 − 36.00 fee (0.60%) = 5,964.00"))
        // The Friday sale paid on Monday: a weekend shift, after the fee.
        #expect(d.codes == [.feeDeduction, .calendarShift])

        let p = Diagnosis.diagnosePayout(try F.story9Payout(), now: try F.now())
        #expect(p.subject == .payout(ref: F.ref(9)))
        #expect(p.state == .settled)
        #expect(p.primary == .feeDeduction)
        #expect(lines(p, .feeDeduction).contains("payout \(F.ref(9)) credited 9,940.00 = sales 10,000.00, fees −60.00"))
        #expect(p.checks.first?.balances == true)
        #expect(!p.needsDispute)
    }

    @Test func story10RefundOffset() throws {
        let d = try diagnose(F.story10())
        #expect(d.state == .settled)
        #expect(d.expectedNet == (try F.cny("-1200.00")))
        #expect(d.received == (try F.cny("-1200.00")))
        #expect(d.primary == .refundOffset)
        #expect(lines(d, .refundOffset) == [
            "refund \(F.rrn(10)) −1,200.00 netted in payout \(F.ref(10)) (line 2: 退货 原交易参考号 880000001001 refund of 880000001001), credited 2026-11-20 10:11",
        ])
        let sale = try diagnose(F.story10(sale: true))
        #expect(sale.state == .settled)
        #expect(sale.received == (try F.cny("4473.00")))
        #expect(sale.primary == .refundOffset)
        #expect(lines(sale, .refundOffset).contains("payout \(F.ref(10)) credited 3,273.00: sales 4,500.00, refunds −1,200.00, fees −27.00"))
    }

    @Test func story11Unexplained() throws {
        let d = try diagnose(F.story11())
        #expect(d.state == .short)
        #expect(d.shortBy == (try F.cny("200.00")))
        #expect(d.primary == .unexplained)
        #expect(d.codes == [.unexplained])
        #expect(lines(d, .unexplained) == [
            "payout \(F.ref(11)) credited 2,463.92 on 2026-11-19; its lines sum to 2,663.92 (sales 2,680.00, fees −16.08): 200.00 is missing with no hold, fee, refund or reserve line to account for it",
        ])
        #expect(d.ruledOut.contains { $0.topic == .fees && $0.text.en == "fee 16.08 as contracted (credit 0.60%)" })
    }

    // MARK: Rules on their own

    @Test func sharedPayoutShortfallIsSharedByGross() throws {
        // N:1: story 9's payout pays 100.00 less than its lines; the 6,000.00 sale bears 60.00.
        let (txns, original) = try F.story9Records()
        var pe = original
        pe.payout.paidAmount = try F.cny("9840.00")
        let e = try F.evidence(F.mainMID, subject: txns[0], txns: txns, payouts: [pe])
        let d = try diagnose(e)
        #expect(d.state == .short)
        #expect(d.received == (try F.cny("5904.00")))
        #expect(d.shortBy == (try F.cny("60.00")))
        #expect(d.primary == .unexplained)
        #expect(lines(d, .unexplained).contains("this transaction's share of it, by gross: 60.00"))
        let other = Diagnosis.diagnose(try F.evidence(F.mainMID, subject: txns[1], txns: txns, payouts: [pe]), now: try F.now())
        #expect(other.shortBy == (try F.cny("40.00")))
    }

    @Test func allocationAddsUpExactly() {
        #expect(allocate(-100, over: [6000, 4000]) == [-60, -40])
        #expect(allocate(100, over: [1, 1, 1]) == [33, 33, 34])
        #expect(allocate(-1, over: [1, 1]) == [-1, 0])
        #expect(allocate(7, over: [0, 0]) == [0, 7])
        #expect(allocate(Int64.max, over: [Int64.max, Int64.max]).reduce(0, &+) == Int64.max)
    }

    @Test func payoutLinesNotMatchingExpectedAmount() throws {
        let (txns, original) = try F.story9Records()
        var pe = original
        pe.payout.expectedAmount = try F.cny("9990.00")
        pe.payout.paidAmount = try F.cny("9990.00")
        let d = Diagnosis.diagnosePayout(try F.evidence(F.mainMID, subject: nil, txns: txns, payouts: [pe]), now: try F.now())
        #expect(d.checks.first?.balances == false)
        #expect(d.codes.contains(.unexplained))
        #expect(lines(d, .unexplained).contains(
            "payout \(F.ref(9)): its lines other than holds and carry-overs sum to 9,940.00, not its expected amount 9,990.00 (a difference of −50.00)"))
    }

    @Test func payoutWithHoldLineBalances() throws {
        // Story 3's payout on its own: the hold line explains paid < expected.
        let e3 = try F.story3()
        let e = Evidence(transaction: nil, expectation: nil, payouts: e3.payouts, payoutTransactions: e3.payoutTransactions,
                         holds: e3.holds, accountEvents: e3.accountEvents, merchant: e3.merchant, policy: e3.policy,
                         otherLatePayoutsSameDay: 0)
        let d = Diagnosis.diagnose(e, now: try F.now())
        #expect(d.subject == .payout(ref: F.ref(3)))
        #expect(d.checks.first?.balances == true)
        #expect(d.checks.first?.unexplainedGap.isZero == true)
        #expect(d.state == .held)
        #expect(d.primary == .riskReview)
        #expect(!d.codes.contains(.unexplained))
    }

    @Test func noPayoutPastDueIsUnexplained() throws {
        let e1 = try F.story7()
        let e = Evidence(transaction: e1.transaction, expectation: e1.expectation, payouts: [], payoutTransactions: [], holds: [],
                         accountEvents: e1.accountEvents, merchant: e1.merchant, policy: e1.policy, otherLatePayoutsSameDay: 0)
        let d = try diagnose(e)
        #expect(d.state == .late)
        #expect(d.primary == .unexplained)
        #expect(lines(d, .unexplained) == [
            "no payout in the reports carries RRN \(F.rrn(7)); it was due by 2026-11-27 18:00 and is late since 2026-11-27 20:00",
        ])
        // Before it is due: pending, nothing to dispute.
        let early = Diagnosis.diagnose(e, now: try F.at("2026-11-27 12:00"))
        #expect(early.state == .pending)
        #expect(early.findings.isEmpty)
        #expect(!early.needsDispute)
    }

    @Test func inTransitPastWindowIsBankProcessing() throws {
        var e = try F.story7()
        e.payouts[0].payout.status = .inTransit
        e.payouts[0].payout.bankRef = "B20261127000701"
        let d = try diagnose(e)
        #expect(d.state == .late)
        #expect(d.primary == .bankProcessing)
        #expect(lines(d, .bankProcessing) == [
            "payout \(F.ref(7)) 8,399.30 sent to the bank (in transit) and not credited by 2026-11-27 20:00; bank reference B20261127000701",
        ])
        #expect(!d.codes.contains(.acquirerBacklog))
    }

    @Test func reserveLineNotInContract() throws {
        var e = try F.story11()
        e.payouts[0].items[1] = try F.item(F.mainMID, F.ref(11), 2, .fee, "-16.08")
        e.payouts[0].items.append(try F.item(F.mainMID, F.ref(11), 3, .reserve, "-200.00", note: "保证金 reserve"))
        let d = try diagnose(e)
        #expect(d.state == .held)
        #expect(d.primary == .reserveHold)
        #expect(!d.codes.contains(.unexplained))
        #expect(lines(d, .reserveHold) == ["payout \(F.ref(11)) line 3 withheld reserve 200.00 (保证金 reserve)"])
    }

    @Test func batchReserveLineInSharedPayout() throws {
        // A reserve line naming no RRN in an N:1 payout: each sale bears its share by gross.
        let (txns, original) = try F.story9Records()
        var pe = original
        pe.items.append(try F.item(F.mainMID, F.ref(9), 4, .reserve, "-100.00", note: "保证金 reserve"))
        pe.payout.paidAmount = try F.cny("9840.00")
        let d = Diagnosis.diagnose(try F.evidence(F.mainMID, subject: txns[0], txns: txns, payouts: [pe]), now: try F.now())
        #expect(d.received == (try F.cny("5904.00")))
        #expect(d.state == .held)
        #expect(d.primary == .reserveHold)
        #expect(!d.codes.contains(.unexplained))
        #expect(d.checks.first?.balances == true)
        #expect(lines(d, .reserveHold) == ["payout \(F.ref(9)) line 4 withheld reserve 100.00 (保证金 reserve)"])
    }

    @Test func feeAboveContract() throws {
        var e = try F.story11()
        e.transaction?.fee = try F.cny("216.08")
        let d = try diagnose(e)
        #expect(d.state == .short)
        #expect(d.primary == .feeDeduction)
        #expect(d.finding(.feeDeduction)?.explained == false)
        #expect(lines(d, .feeDeduction).contains("the acquirer charged 216.08; the contract gives 16.08"))
        #expect(d.finding(.feeDeduction)?.amount == (try F.cny("200.00")))
    }

    @Test func retrievalRequestHoldWithoutLine() throws {
        var e = try F.story11()
        e.holds = [try F.hold(F.mainMID, "RR-1", .retrievalRequest, "200.00", rrn: F.rrn(11), payout: nil, opened: "2026-11-19 08:00",
                              reason: "调单：请提供签购单 6228480012345678903")]
        let d = try diagnose(e)
        #expect(d.state == .held)
        #expect(d.primary == .riskReview)
        #expect(!d.codes.contains(.unexplained))   // the open hold covers the 200.00 gap
        // A card number in the acquirer's free text is masked.
        #expect(lines(d, .riskReview).contains { $0.hasSuffix("调单：请提供签购单 622848*********8903") })
    }

    @Test func voidIsReversed() throws {
        var e = try F.story11()
        e.transaction?.kind = .void
        #expect(try diagnose(e).state == .reversed)
    }

    @Test func arithmeticErrorIsReportedNotWrapped() throws {
        var e = try F.story11()
        e.payouts[0].items.append(try F.item(F.mainMID, F.ref(11), 3, .adjustment, "0.01"))
        e.payouts[0].items.append(PayoutItem(merchantId: F.mainMID, payoutRef: F.ref(11), lineNo: 4, kind: .adjustment,
                                             amount: Money(minor: .max, currency: .CNY)))
        let d = try diagnose(e)
        #expect(d.primary == .unexplained)
        #expect(d.findings[0].evidence[0].en.hasPrefix("the amounts could not be computed: amount "))
    }

    @Test func everyStoryTextIsBilingualAndClean() throws {
        let all = try [F.story1(), F.story2(), F.story3(), F.story4(), F.story5(), F.story6(), F.story7(), F.story8(), F.story9(),
                       F.story10(), F.story11()]
        for e in all {
            let d = try diagnose(e)
            #expect(!d.findings.isEmpty)
            for f in d.findings {
                #expect(!f.evidence.isEmpty)
                for line in f.evidence + [f.nextStep] {
                    #expect(!line.en.isEmpty && !line.zh.isEmpty)
                    #expect(line.zh.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF } || line.zh == line.en)
                }
            }
        }
    }
}

/// The stored-state form of a diagnosis (no ruled-out list) agrees with the full one.
@Suite struct DiagnosisWithoutRuledOutTests {
    typealias F = DiagnosisFixtures

    @Test func sameStateAmountsAndFindingsForEveryStory() throws {
        let now = try F.now()
        let stories: [Evidence] = [try F.story1(), try F.story2(), try F.story3(), try F.story4(), try F.story4(second: true),
                                   try F.story5(), try F.story6(), try F.story7(), try F.story8(), try F.story9(),
                                   try F.story9Payout(), try F.story11()]
        var sawRuledOut = false
        for e in stories {
            let full = Diagnosis.diagnose(e, now: now)
            let lean = Diagnosis.diagnose(e, now: now, includeRuledOut: false)
            #expect(lean.state == full.state)
            #expect(lean.primary == full.primary)
            #expect(lean.expectedNet == full.expectedNet && lean.received == full.received && lean.shortBy == full.shortBy)
            #expect(lean.findings == full.findings)
            #expect(lean.ruledOut.isEmpty)
            sawRuledOut = sawRuledOut || !full.ruledOut.isEmpty
        }
        // The full form does list ruled-out causes, so the comparison above means something.
        #expect(sawRuledOut)
    }
}
