import PayoutTestSupport
import PayoutCore
import PayoutModel
import Testing
@testable import PayoutTUI

/// The map's screens as grid text: the breadcrumb, the search counts, the account
/// detail and the shop picker. Rewrite with PAYOUTMON_UPDATE_GOLDEN=1 and review the diff.
@Suite struct NavigationGoldenTests {
    @Test func breadcrumbFromAnAccountToAPayoutToATransaction() {
        var state = Fixture.state(size: Size(width: 120, height: 36))
        // Account of the main shop -> the payout its hold holds back -> that payout's sale.
        _ = Fixture.press([.char("3"), .enter, .enter, .enter], on: &state)
        guard case .transaction = state.screen else {
            Issue.record("not on a transaction: \(state.screen)")
            return
        }
        let text = render(state).text
        let top = text.split(separator: "\n")[2]
        #expect(top.contains("Overview › 味道小馆(南山店) › \(Fixture.riskPayoutRef) › Transaction · RRN \(Fixture.riskRRN)"))
        expectGolden(text, "breadcrumb-account-payout-transaction")
    }

    @Test func searchCountsEveryPane() {
        var state = Fixture.state(size: Size(width: 120, height: 36))
        _ = Fixture.press([.char("/")] + "福田".map { Key.char($0) } + [.enter], on: &state)
        let text = render(state).text
        #expect(text.contains("/ 福田: 2 transactions · 3 payouts · 1 shop"))
        expectGolden(text, "search-counts")
    }

    @Test func accountDetailOfTheFrozenShop() {
        var state = Fixture.state(size: Size(width: 120, height: 40))
        _ = Fixture.press([.char("3"), .down, .down, .enter], on: &state)
        expectGolden(render(state).text, "account-detail-frozen-120x40")
    }

    @Test func accountDetailInChinese() {
        var state = Fixture.state(size: Size(width: 120, height: 40), language: .zhHans)
        _ = Fixture.press([.char("3"), .enter], on: &state)
        expectGolden(render(state).text, "account-detail-zh-120x40")
    }

    @Test func shopPicker() {
        var state = Fixture.state(size: Size(width: 100, height: 30))
        _ = Fixture.press([.char("s"), .down], on: &state)
        expectGolden(render(state).text, "shop-picker")
    }

    @Test func shopFilterInTheStatusLine() {
        var state = Fixture.state(size: Size(width: 120, height: 36))
        _ = Fixture.press([.char("s"), .down, .down, .enter], on: &state)
        let text = render(state).text
        #expect(text.contains("◆ shop: 味道小馆(福田店)"))
    }
}
