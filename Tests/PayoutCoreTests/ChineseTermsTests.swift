import Foundation
import Testing
@testable import PayoutCore

/// The words a Chinese merchant and an acquirer's service desk use, in the Chinese
/// dispute notes of the demo stories: 保证金 for a reserve (never 备付金, the payment
/// institution's client funds), 暂扣 … 释放 for money held for review, 冻结 only for a
/// frozen account, 退汇 with the bank's own reason for a returned payout, and a short
/// payout's request to pay the difference into the settlement account.
@Suite struct ChineseTermsTests {
    typealias F = DiagnosisFixtures

    func zhNote(_ e: Evidence, _ format: DisputeNote.Format = .plain) throws -> String {
        let now = try F.now()
        return DisputeNote(evidence: e, diagnosis: Diagnosis.diagnose(e, now: now), now: now, language: .zhHans, format: format,
                           sources: F.sources).text
    }

    /// Story 11 with a 200.00 reserve line and no unexplained gap (as in
    /// DiagnosisTests.reserveLineNotInContract).
    func reserveStory() throws -> Evidence {
        var e = try F.story11()
        e.payouts[0].items[1] = try F.item(F.mainMID, F.ref(11), 2, .fee, "-16.08")
        e.payouts[0].items.append(try F.item(F.mainMID, F.ref(11), 3, .reserve, "-200.00", note: "保证金 reserve"))
        return e
    }

    @Test func aReserveIs保证金() throws {
        let e = try reserveStory()
        #expect(Diagnosis.diagnose(e, now: try F.now()).primary == .reserveHold)
        let note = try zhNote(e)
        #expect(note.contains("RESERVE_HOLD（保证金留存）"), "\(note)")
        #expect(note.contains("留存保证金 200.00"), "\(note)")
        #expect(!note.contains("备付金"))
        #expect(CauseCode.reserveHold.titleZH == "保证金留存")
    }

    @Test func aRiskHoldIs暂扣AndItsRelease释放() throws {
        let note = try zhNote(try F.story3())
        #expect(note.contains("暂扣单 HOLD-DEMO-03（风控调单）20,000.00"), "\(note)")
        #expect(note.contains("尚未释放"), "\(note)")
        #expect(note.contains("第 3 行暂扣 20,000.00"), "\(note)")
        #expect(note.contains("的释放出款日期"), "\(note)")
        // The merchant's account is not frozen: no 冻结 or 解冻 for a hold on money.
        #expect(!note.contains("冻结单") && !note.contains("解冻"), "\(note)")
    }

    @Test func aFrozenAccountKeeps冻结() throws {
        let note = try zhNote(try F.story5())
        #expect(note.contains("ACCOUNT_STATUS（商户账户冻结/受限/审核中）"), "\(note)")
        #expect(note.contains("起冻结，收单机构说明：账户冻结"), "\(note)")
        #expect(note.contains("请告知账户冻结的原因"), "\(note)")
    }

    @Test func aBankReturnIs退汇WithTheBanksReason() throws {
        let note = try zhNote(try F.story6())
        #expect(note.contains("未能到账（出款退汇）"), "\(note)")
        #expect(note.contains("被银行退汇：退汇原因 收款账户已销户"), "\(note)")
        #expect(note.contains("未到账（已退汇），退汇原因 收款账户已销户"), "\(note)")
        #expect(note.contains("请确认银行退汇原因（收款账户已销户）"), "\(note)")
        #expect(note.contains("BANK_PROCESSING（银行处理延迟/出款失败（退汇））"), "\(note)")
        #expect(!note.contains("退票") && !note.contains("R03") && !note.contains("失败码"), "\(note)")
    }

    @Test func theSettlementDayIs结算日出款日() throws {
        let note = try zhNote(try F.story6())
        #expect(note.contains("结算日（出款日）：2026-11-24 09:00-18:00 入账"), "\(note)")
        #expect(note.contains("（结算日 2026-11-24）"), "\(note)")
        #expect(!note.contains("结算日期") && !note.contains("清算日"), "\(note)")
    }

    @Test func aShortPayoutAsksForTheDifferenceIntoTheSettlementAccount() throws {
        let e = try F.story11()
        let account = try #require(e.merchant?.bankAccountMasked)
        let note = try zhNote(e)
        #expect(note.contains("请将差额 200.00 元补付至结算账户 \(account)（调账补付）"), "\(note)")
        #expect(note.contains("请按差错处理流程核查结算单 \(F.ref(11))"), "\(note)")
        // The diagnosis (the drill-down's next step) asks the same.
        let d = Diagnosis.diagnose(e, now: try F.now())
        let next = try #require(d.finding(.unexplained)?.nextStep.zh)
        #expect(next.contains("请将差额 200.00 补付至结算账户 \(account)"), "\(next)")
        #expect(next.contains("差错处理"))
    }

    @Test func aRefundNamesItsOriginalSale() throws {
        let e = try F.evidence(story: 10)
        #expect(e.transaction?.kind == .refund)
        let note = try zhNote(e)
        #expect(note.contains("原交易参考号 880000001001"), "\(note)")
    }

    @Test func noNoteUsesTheWrongWords() throws {
        for n in [2, 3, 5, 6, 7, 9, 10, 11] {
            for format in DisputeNote.Format.allCases {
                let note = try zhNote(try F.evidence(story: n), format)
                #expect(!note.contains("备付金") && !note.contains("退票") && !note.contains("冻结单"), "story \(n): \(note)")
                if n != 5 { #expect(!note.contains("解冻"), "story \(n): \(note)") }
            }
        }
    }
}
