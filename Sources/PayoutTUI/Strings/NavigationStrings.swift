import PayoutCore
import PayoutModel

/// The words of navigation, search and the shop filter.
extension Strings {
    public func unknownKey(_ key: String) -> String { t("\(key): no such key here · ? for help", "\(key)：此处无此按键 · 按 ? 查看帮助") }
    public var followOn: String { t("following the newest transaction", "跟随最新交易") }
    public var followOff: String { t("selection stays on its transaction", "选中行保持不动") }
    public var noShops: String { t("no shops in the store", "数据库中没有门店") }
    public var noLinks: String { t("nothing to open from here", "此页没有可跳转的行") }
    public var noSearch: String { t("no search: / to search", "未搜索：按 / 搜索") }
    public var allShops: String { t("All shops", "全部门店") }
    public var pickShop: String { t("Shop", "选择门店") }

    /// "/ 626000: 3 transactions · 1 payout · 0 shops".
    public func searchCounts(_ text: String, transactions: Int, payouts: Int, shops: Int, capped: Bool) -> String {
        func n(_ v: Int) -> String { capped && v > 10_000 ? "10,000+" : grouped(v) }
        return t("\(text): \(n(transactions)) transaction\(transactions == 1 ? "" : "s") · \(n(payouts)) payout\(payouts == 1 ? "" : "s") · \(shops) shop\(shops == 1 ? "" : "s")",
                 "\(text)：交易 \(n(transactions)) · 结算 \(n(payouts)) · 门店 \(shops)")
    }

    public func shopFilter(_ name: String) -> String { t("shop: \(name)", "门店：\(name)") }

    /// " · by amount" after a pane's title when `o` changed its order ("" for the usual order).
    public func sortSuffix(_ sort: PaneSort) -> String {
        switch sort {
        case .usual: return ""
        case .amount: return t(" · by amount ▼", " · 按金额 ▼")
        case .state: return t(" · worst state first", " · 按状态")
        }
    }
}
