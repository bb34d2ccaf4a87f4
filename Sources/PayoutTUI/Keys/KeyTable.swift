import PayoutCore

/// What a key does.
public enum MonitorAction: Sendable, Hashable {
    case quit
    case back
    case toggleHelp
    case closeHelp
    case nextPane
    case previousPane
    /// `1` `2` `3`: the digit pressed picks the pane.
    case focusPaneByNumber
    case moveUp
    case moveDown
    case top
    case bottom
    case pageUp
    case pageDown
    case open
    case openFilter
    case toggleProblems
    case exportNote
    case pollNow
    case toggleLanguage
    case suspend
    case applyFilter
    case cancelFilter
    case deleteBackward
    case clearFilterText
    /// `a`: the next acquirer, then all.
    case cycleAcquirer
    /// `c`: the cash-flow calendar.
    case openCalendar
    case previousDay
    case nextDay
    /// Tab / S-Tab on a detail screen: the next or previous linked row.
    case nextLink
    case previousLink
    /// Esc on the overview: clears the search, then the shop filter.
    case clearSearch
    /// `n` / `N`: the next or previous match of the search, across the panes.
    case nextMatch
    case previousMatch
    /// Ctrl-L: draw the whole screen again.
    case repaint
    /// `f`: follow the newest transaction, or keep the selection on its transaction.
    case toggleFollow
    /// `s`: open the shop picker; in it, pick the shop under the cursor or close it.
    case openShopPicker
    case pickShop
    case closeShopPicker
    /// `o`: the focused pane's next sort order.
    case cycleSort
}

/// Where a key is pressed: keys mean different things on different screens.
public enum KeyContext: Sendable, Hashable, CaseIterable {
    case overview
    case transactionDetail
    case payoutDetail
    case accountDetail
    case help
    case filterPrompt
    case shopPicker
    case tooSmall
    /// The cash-flow calendar and the list of a day's payouts.
    case calendar
    case dayList

    /// Every context but the too-small screen and the prompt: where most keys work.
    static let screens: Set<KeyContext> = [.overview, .transactionDetail, .payoutDetail, .accountDetail, .calendar, .dayList]
    static let details: Set<KeyContext> = [.transactionDetail, .payoutDetail, .accountDetail, .calendar, .dayList]
    static let all: Set<KeyContext> = Set(allCases)
}

/// One binding of the key table: the keys, what they do, where, and how hints and
/// help describe them.
public struct KeyBinding: Sendable, Hashable {
    /// The keys that trigger the action.
    public var keys: [Key]
    public var action: MonitorAction
    /// Where the binding applies.
    public var contexts: Set<KeyContext>
    /// How the keys are written in the footer ("↑↓"); nil: the first key's display name.
    public var keyLabel: String?
    /// The footer's word for the action ("move"); nil: not shown in the footer.
    public var hint: BilingualText?
    /// The help overlay's description.
    public var help: BilingualText
    /// Footer priority: when the footer is too narrow, hints with a higher number go first.
    public var footerPriority: Int
    /// True when the help overlay lists these keys on the line of the binding above
    /// (↓ with ↑, PgDn with PgUp), whose help text then covers both.
    public var helpJoinsPrevious: Bool

    public init(_ keys: [Key], _ action: MonitorAction, in contexts: Set<KeyContext>, keyLabel: String? = nil,
                hint: BilingualText? = nil, help: BilingualText, footerPriority: Int = 5, helpJoinsPrevious: Bool = false) {
        self.keys = keys
        self.action = action
        self.contexts = contexts
        self.keyLabel = keyLabel
        self.hint = hint
        self.help = help
        self.footerPriority = footerPriority
        self.helpJoinsPrevious = helpJoinsPrevious
    }

    /// The footer's key text: the label, or the first key's display name.
    public var footerKeys: String { keyLabel ?? keys.first?.displayName ?? "" }

    /// The help overlay's key text: every key, space separated ("↑ k").
    public var helpKeys: String { keys.map(\.displayName).joined(separator: " ") }
}

/// The one key table: it dispatches keys, and the footer hints and the help overlay
/// are generated from it, so they can never disagree.
public struct KeyTable: Sendable, Hashable {
    public var bindings: [KeyBinding]

    public init(bindings: [KeyBinding]) {
        self.bindings = bindings
    }

    /// The action of `key` in `context`: the first binding that lists both.
    public func action(for key: Key, in context: KeyContext) -> MonitorAction? {
        for binding in bindings where binding.contexts.contains(context) && binding.keys.contains(key) {
            return binding.action
        }
        return nil
    }

    /// The bindings the footer shows in `context`, in table order.
    public func footerBindings(in context: KeyContext) -> [KeyBinding] {
        bindings.filter { $0.contexts.contains(context) && $0.hint != nil }
    }

    /// The help overlay's lines for `contexts`, in table order: the keys (a binding that
    /// joins the one above adds its keys to that line) and the help text.
    public func helpEntries(in contexts: Set<KeyContext>) -> [(keys: String, help: BilingualText)] {
        var out: [(keys: String, help: BilingualText)] = []
        for binding in bindings where !binding.contexts.isDisjoint(with: contexts) {
            if binding.helpJoinsPrevious, let last = out.last {
                out[out.count - 1] = (last.keys + " " + binding.helpKeys, last.help)
            } else {
                out.append((binding.helpKeys, binding.help))
            }
        }
        return out
    }

    /// The monitor's keys (docs/ARCHITECTURE.md, "Adding a screen or a key").
    public static let standard: KeyTable = {
        let lists: Set<KeyContext> = [.overview]
        let screens = KeyContext.screens
        let details = KeyContext.details
        func l(_ en: String, _ zh: String) -> BilingualText { BilingualText(en: en, zh: zh) }
        return KeyTable(bindings: [
            // The filter prompt takes every other key as text, so its own keys come first.
            KeyBinding([.enter], .applyFilter, in: [.filterPrompt], hint: l("apply", "确定"),
                       help: l("apply the filter (empty clears it)", "应用筛选（留空则清除）"), footerPriority: 1),
            KeyBinding([.escape], .cancelFilter, in: [.filterPrompt], hint: l("cancel", "取消"),
                       help: l("cancel, keep the previous filter", "取消，保留原筛选"), footerPriority: 1),
            KeyBinding([.backspace, .delete], .deleteBackward, in: [.filterPrompt], hint: l("delete", "删除"),
                       help: l("delete the last character", "删除最后一个字符"), footerPriority: 3),
            KeyBinding([.ctrl("u")], .clearFilterText, in: [.filterPrompt], hint: l("clear", "清空"),
                       help: l("clear the text", "清空输入"), footerPriority: 4),
            // The shop picker.
            KeyBinding([.enter], .pickShop, in: [.shopPicker], hint: l("pick", "选择"),
                       help: l("narrow every pane to the shop", "只看所选门店"), footerPriority: 1),
            KeyBinding([.escape, .char("s"), .char("q")], .closeShopPicker, in: [.shopPicker], keyLabel: "Esc", hint: l("cancel", "取消"),
                       help: l("close the shop picker", "关闭门店选择"), footerPriority: 0),
            // Everywhere.
            KeyBinding([.ctrlC], .quit, in: KeyContext.all,
                       help: l("quit, from any screen", "退出（任意界面）")),
            KeyBinding([.ctrl("z")], .suspend, in: KeyContext.all,
                       help: l("suspend (fg to return)", "挂起（fg 返回）")),
            KeyBinding([.char("q")], .quit, in: [.overview, .tooSmall], hint: l("quit", "退出"),
                       help: l("quit (on the top screen)", "退出（在主界面）"), footerPriority: 0),
            KeyBinding([.escape, .char("q"), .backspace], .back, in: details, keyLabel: "Esc", hint: l("back", "返回"),
                       help: l("back to the previous screen (detail screens)", "返回上一屏（详情页）"), footerPriority: 0),
            KeyBinding([.escape], .clearSearch, in: lists, keyLabel: "Esc",
                       help: l("overview: clear the search, then the shop filter", "总览：清除搜索，再清除门店筛选")),
            KeyBinding([.ctrl("l")], .repaint, in: KeyContext.all,
                       help: l("draw the whole screen again", "重绘整个屏幕")),
            KeyBinding([.char("?"), .escape, .char("q")], .closeHelp, in: [.help], keyLabel: "?", hint: l("close", "关闭"),
                       help: l("close this help", "关闭帮助"), footerPriority: 0),
            KeyBinding([.char("?")], .toggleHelp, in: screens, hint: l("help", "帮助"),
                       help: l("show or hide this help", "显示/隐藏帮助"), footerPriority: 0),
            // Lists and scrolling.
            KeyBinding([.tab], .nextPane, in: lists, keyLabel: "Tab", hint: l("pane", "切换"),
                       help: l("next / previous pane", "下一个/上一个面板"), footerPriority: 3),
            KeyBinding([.backTab], .previousPane, in: lists,
                       help: l("previous pane", "上一个面板"), helpJoinsPrevious: true),
            KeyBinding([.char("1"), .char("2"), .char("3")], .focusPaneByNumber, in: lists,
                       help: l("Transactions, Pending payouts, Account status", "交易、待到账结算、账户状态")),
            KeyBinding([.up, .char("k")], .moveUp, in: screens.union([.shopPicker, .help]), keyLabel: "↑↓", hint: l("move", "移动"),
                       help: l("up / down one row", "上移/下移一行"), footerPriority: 2),
            KeyBinding([.down, .char("j")], .moveDown, in: screens.union([.shopPicker, .help]),
                       help: l("down one row", "下移一行"), helpJoinsPrevious: true),
            KeyBinding([.tab], .nextLink, in: details, keyLabel: "Tab", hint: l("link", "链接"),
                       help: l("detail screens: next / previous linked row", "详情页：下一个/上一个可跳转行"),
                       footerPriority: 1),
            KeyBinding([.backTab], .previousLink, in: details, help: l("previous linked row", "上一个可跳转行"), helpJoinsPrevious: true),
            KeyBinding([.pageUp], .pageUp, in: screens.union([.help]), help: l("up / down one page", "上翻/下翻一页")),
            KeyBinding([.pageDown], .pageDown, in: screens.union([.help]), help: l("down one page", "下翻一页"), helpJoinsPrevious: true),
            KeyBinding([.char("g"), .home], .top, in: screens, help: l("first / last row", "第一行/最后一行")),
            KeyBinding([.char("G"), .end], .bottom, in: screens, help: l("last row", "最后一行"), helpJoinsPrevious: true),
            // Actions.
            KeyBinding([.enter], .open, in: screens, keyLabel: "Enter", hint: l("open", "详情"),
                       help: l("open the selected row, or follow the selected link; on the calendar, the day's payouts",
                               "打开所选行，或跳转到所选链接；日历上打开当日结算"), footerPriority: 1),
            KeyBinding([.char("/")], .openFilter, in: lists, hint: l("search", "搜索"),
                       help: l("search: RRN, payout ref, TID, shop, amount, card tail",
                               "搜索：参考号、结算单号、终端号、门店、金额、卡号后四位"),
                       footerPriority: 1),
            KeyBinding([.char("n")], .nextMatch, in: lists, help: l("next / previous match", "下一个/上一个匹配")),
            KeyBinding([.char("N")], .previousMatch, in: lists, help: l("previous match", "上一个匹配"), helpJoinsPrevious: true),
            KeyBinding([.char("s")], .openShopPicker, in: lists, hint: l("shop", "门店"),
                       help: l("look at one shop (every pane)", "只看一个门店（所有面板）"), footerPriority: 3),
            KeyBinding([.char("o")], .cycleSort, in: lists, help: l("sort the pane: usual / by amount / worst state first", "面板排序：默认/按金额/按状态")),
            KeyBinding([.char("f")], .toggleFollow, in: lists,
                       help: l("follow the newest sale / keep the selection on its row", "跟随最新交易/保持选中行不动")),
            KeyBinding([.char("p")], .toggleProblems, in: lists, hint: l("problems", "仅异常"),
                       help: l("show only late, short, held or failed", "只看延迟、短款、暂扣或失败"), footerPriority: 2),
            KeyBinding([.char("a")], .cycleAcquirer, in: lists, hint: l("acquirer", "收单机构"),
                       help: l("one acquirer only (again: the next, then all)", "只看一家收单机构（再按换下一家，最后恢复全部）"),
                       footerPriority: 4),
            // The calendar's keys share one help line.
            KeyBinding([.char("c")], .openCalendar, in: lists, hint: l("calendar", "日历"),
                       help: l("cash-flow calendar: ←→ day, ↑↓ week, PgUp PgDn month, Enter the day's payouts",
                               "到账日历：←→ 日，↑↓ 周，PgUp PgDn 月，Enter 当日结算"), footerPriority: 3),
            KeyBinding([.left, .char("h"), .char("[")], .previousDay, in: [.calendar], keyLabel: "←→", hint: l("day", "日"),
                       help: l("previous day", "前一天"), footerPriority: 2, helpJoinsPrevious: true),
            KeyBinding([.right, .char("l"), .char("]")], .nextDay, in: [.calendar], help: l("next day", "后一天"),
                       helpJoinsPrevious: true),
            KeyBinding([.char("e")], .exportNote, in: screens, hint: l("note", "申诉"),
                       help: l("write a dispute note for the selection", "为所选项生成申诉说明"), footerPriority: 2),
            KeyBinding([.char("r")], .pollNow, in: screens, hint: l("refresh", "刷新"),
                       help: l("read the store again now", "立即重新读取"), footerPriority: 4),
            KeyBinding([.char("L")], .toggleLanguage, in: screens.union([.help]), hint: l("中文", "English"),
                       help: l("中文 / English", "English / 中文"), footerPriority: 3),
        ])
    }()
}

extension KeyTable {
    /// The contexts the help overlay and the README list key by key (the prompt's and the
    /// shop picker's keys are summed up on a line each).
    static let helpContexts: Set<KeyContext> = [.overview, .transactionDetail, .payoutDetail, .accountDetail, .tooSmall, .calendar, .dayList]

    /// The README's key table ("| key | does |"), written from the same entries as the
    /// help overlay; `KeyTableTests` checks that the README holds it.
    public func markdownTable(language: Language = .en) -> String {
        var rows = ["| key | does |", "| --- | --- |"]
        for entry in helpEntries(in: Self.helpContexts) {
            rows.append("| " + entry.keys.replacingOccurrences(of: "|", with: "\\|") + " | " + entry.help(language) + " |")
        }
        for (name, context) in [(BilingualText(en: "search prompt", zh: "搜索输入"), KeyContext.filterPrompt),
                                (BilingualText(en: "shop picker", zh: "门店选择"), .shopPicker)] {
            let keys = bindings.filter { $0.contexts.contains(context) && $0.hint != nil && !$0.contexts.contains(.overview) }
            let text = keys.map { $0.footerKeys + " " + ($0.hint?(language) ?? "") }.joined(separator: " · ")
            rows.append("| " + name(language) + " | " + text + " |")
        }
        return rows.joined(separator: "\n")
    }
}
