import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutDemo
import PayoutModel
import PayoutStore
import PayoutSync
import PayoutTUI
import Testing

/// The Chinese drill-down of the demo stories, as screen text from the demo store: the
/// same words as the Chinese notes (ChineseTermsTests): 保证金, 暂扣 … 释放, 冻结 for the
/// frozen account only, 退汇 with the bank's reason, and the short payout's request to pay
/// the difference into the settlement account.
@Suite struct ChineseDrillDownTests {
    static let now = at("2026-11-28 15:00")
    static let size = Size(width: 320, height: 150)

    static let rules: SettlementRules = {
        let calendar = try! SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
        return SettlementRules(policy: .demoDefault, calendar: calendar)
    }()

    static let store: Result<WritableStore, Error> = Result {
        let store = try memoryStore()
        let demo = try DemoData(now: now, policy: .demoDefault, calendar: rules.calendar, ordinaryDays: 3)
        _ = try demo.write(to: store, rules: rules, now: now)
        return store
    }

    /// The zh drill-down of story `n`'s transaction (its table RRN) as screen text.
    func drillDown(story n: Int) throws -> String {
        let store = try Self.store.get()
        let story = DemoStories.story(n)
        let rrn = try #require(story.rrn)
        let id = try #require(try store.read(rules: Self.rules) { r in
            try r.transactionLines(rrn: rrn).first { $0.transaction.merchantId == story.merchantId }
        }?.id)
        let detail = ViewRequest.Detail.transaction(id: id)
        let snapshot = try SnapshotReader(rules: Self.rules, merchantId: nil).read(store, request: ViewRequest(detail: detail), now: Self.now)
        var state = MonitorState(now: Self.now, timeZone: shanghai, language: .zhHans, size: Self.size, snapshot: snapshot)
        state.screens.append(ScreenEntry(.transaction(id: id)))
        return render(state, size: Self.size).text
    }

    @Test func riskHold() throws {
        let s = try drillDown(story: 3)
        #expect(s.contains("暂扣单 HOLD-DEMO-03（风控调单）20,000.00"), "\(s)")
        #expect(s.contains("尚未释放"), "\(s)")
        #expect(s.contains("的释放出款日期"), "\(s)")
        // 冻结 here is only the header's account badge (the frozen shop) and the account
        // check; the hold on this sale's money is 暂扣, never 冻结单 or 解冻.
        #expect(!s.contains("冻结单") && !s.contains("解冻"), "\(s)")
    }

    @Test func frozenAccount() throws {
        let s = try drillDown(story: 5)
        #expect(s.contains("商户账户冻结/受限/审核中"), "\(s)")
        #expect(s.contains("起冻结，收单机构说明：账户冻结"), "\(s)")
    }

    @Test func bankReturn() throws {
        let s = try drillDown(story: 6)
        #expect(s.contains("被银行退汇：退汇原因 收款账户已销户"), "\(s)")
        #expect(s.contains("银行处理延迟/出款失败（退汇）"), "\(s)")
        #expect(!s.contains("退票") && !s.contains("R03"), "\(s)")
    }

    @Test func shortPayout() throws {
        let store = try Self.store.get()
        let account = try #require(try store.read(rules: Self.rules) { r in
            try r.accounts(now: Self.now).first { $0.merchant.merchantId == DemoStories.mainMID }
        }?.merchant.bankAccountMasked)
        let s = try drillDown(story: 11)
        #expect(s.contains("请将差额 200.00 补付至结算账户 \(account)（调账补付）"), "\(s)")
        #expect(s.contains("差错处理"), "\(s)")
    }

    @Test func noDrillDownUsesTheWrongWords() throws {
        for n in 2...11 {
            let s = try drillDown(story: n)
            #expect(!s.contains("备付金") && !s.contains("退票") && !s.contains("冻结单"), "story \(n): \(s)")
        }
    }
}
