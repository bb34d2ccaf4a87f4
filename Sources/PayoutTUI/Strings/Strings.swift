import PayoutCore

/// Every piece of text the monitor shows, in English and Simplified Chinese.
///
/// Each entry keeps its two languages side by side, so a missing translation shows
/// up in review. State badges (settled, short, frozen ...) live in `StateText`; the
/// words for records' kinds and states come from PayoutCore's `RecordWords`.
public struct Strings: Sendable, Hashable {
    /// The language the strings are in.
    public let language: Language

    /// The strings of `language`.
    public init(_ language: Language) {
        self.language = language
    }

    /// `en` or `zh`, by the language in force.
    @inline(__always)
    func t(_ en: String, _ zh: String) -> String { language == .en ? en : zh }

    // MARK: - Panes and screens

    public var appName: String { "payoutmon" }
    public var transactions: String { t("Transactions", "交易") }
    public var payouts: String { t("Pending payouts", "待到账结算") }
    public var accounts: String { t("Account status", "账户状态") }
    public var transactionDetail: String { t("Transaction", "交易详情") }
    public var payoutDetail: String { t("Payout", "结算详情") }
    public var help: String { t("Help", "帮助") }
    public var keys: String { t("Keys", "按键") }
    public var legend: String { t("States", "状态标记") }
    public var loading: String { t("loading…", "读取中…") }
    public var noRows: String { t("no rows", "暂无记录") }
    public var noRowsFiltered: String { t("nothing matches", "没有匹配的记录") }
    public var noProblems: String { t("no problems: nothing late, short, held or failed", "没有异常：无延迟、短款、暂扣或失败") }
    public var recentEvents: String { t("Recent events", "最近事件") }
    public var otherShops: String { t("shops", "家门店") }

    /// "+3 shops" / "另 3 家门店".
    public func moreShops(_ n: Int) -> String { t("+\(n) shops", "另\(n)家门店") }

    /// "12 of 4,321" for a list position.
    public func position(_ index: Int, of total: Int) -> String {
        t("\(grouped(index)) of \(grouped(total))", "第\(grouped(index))条/共\(grouped(total))条")
    }

    // MARK: - Column titles

    public var colTime: String { t("Time", "时间") }
    public var colTerminal: String { t("Terminal", "终端") }
    public var colRRN: String { t("RRN", "参考号") }
    public var colCard: String { t("Card", "卡号") }
    public var colKind: String { t("Kind", "类型") }
    public var colAmount: String { t("Amount", "金额") }
    public var colState: String { t("State", "状态") }
    public var colDue: String { t("Due", "预计到账") }
    public var colCause: String { t("Cause", "原因") }
    public var colArrival: String { t("Arrival", "预计到账") }
    public var colShop: String { t("Shop", "门店") }
    public var colRef: String { t("Payout ref", "结算单号") }
    public var colExpected: String { t("Expected", "应结金额") }
    public var colPaid: String { t("Paid", "实到金额") }
    public var colBankState: String { t("Bank", "银行") }
    public var colETA: String { t("ETA", "到账/逾期") }
    public var colHolds: String { t("Holds", "暂扣") }
    public var colReserve: String { t("Reserve", "保证金") }
    public var colBank: String { t("Bank account", "结算账户") }
    public var colLimit: String { t("Class / limit", "账户类别/限额") }
    public var colReason: String { t("Reason", "原因") }
    public var oneAcquirer: String { t("the store holds one acquirer's reports", "只有一家收单机构的数据") }
    /// The status line's flag while `a` narrows the panes.
    public func acquirerActive(_ name: String) -> String { t("acquirer: \(name)", "收单机构：\(name)") }
    public var colAcquirer: String { t("Acquirer · cycle", "收单机构·周期") }
    /// The cycle column of an account whose currency the config's contract does not cover.
    public var acquirerDates: String { t("own dates", "按收单日期") }

    // MARK: - Header

    /// "2 acquirers · 5 shops" when the store holds more than one acquirer.
    public func acquirersAndShops(acquirers: Int, shops: Int) -> String {
        t("\(acquirers) acquirers · \(shops) shops", "\(acquirers)家收单机构 · \(shops)家门店")
    }
    /// What the header's first counts are of (the Transactions pane's rows).
    public var countsOfSales: String { t("Transactions:", "交易：") }
    /// The same while `a` narrows the panes to one acquirer.
    public var countsOfAllSales: String { t("All acquirers' transactions:", "全部收单机构交易：") }
    /// What the header's payout count is of (the Pending payouts pane's rows).
    public var countsOfPayouts: String { t("Payouts open", "待到账结算") }
    /// "as of 15:25 (5m ago)": `dataAsOf` on a narrow screen.
    public func asOf(_ time: String, ago seconds: Int64) -> String {
        t("as of \(time) (\(Format.duration(seconds: seconds, language: language)) ago)",
          "截至 \(time)（\(Format.duration(seconds: seconds, language: language))前）")
    }
    /// "data as of 15:25 (5m ago)": the newest report file or feed row.
    public func dataAsOf(_ time: String, ago seconds: Int64) -> String {
        t("data as of \(time) (\(Format.duration(seconds: seconds, language: language)) ago)",
          "数据截至 \(time)（\(Format.duration(seconds: seconds, language: language))前）")
    }

    public var mid: String { t("MID", "商户号") }
    public var tid: String { t("TID", "终端号") }
    public var pending: String { t("pending", "待结算") }
    public var dueToday: String { t("due today", "今日到账") }
    public var late: String { t("late", "延迟") }
    public var short: String { t("short", "短款") }
    public var held: String { t("held", "暂扣") }
    public var failed: String { t("failed", "失败") }
    public var outstanding: String { t("to come", "待到账") }
    /// "no report" (no settlement report yet) / "reports to 11-30".
    public func reportsThrough(_ day: LocalDate?) -> String {
        guard let day else { return t("no settlement report", "无结算对账单") }
        return t("reports to \(day.monthDay)", "对账单至 \(day.monthDay)")
    }
    /// "no holiday data 2027".
    public func noHolidayData(_ years: [Int]) -> String {
        let ys = years.map(String.init).joined(separator: ",")
        return t("no holiday data \(ys)", "无 \(ys) 年节假日数据")
    }
    /// The list column's short word for a state whose full word is long.
    public func stateShort(_ state: MoneyState) -> String {
        switch state {
        case .awaitingReport: return t("awaiting", "待对账单")
        case .otherCurrency: return t("currency", "币种不符")
        default: return state.badge(language).word
        }
    }
    public var allClear: String { t("✓ no problems", "✓ 无异常") }
    public var syncStarting: String { t("reading store…", "正在读取…") }

    /// "synced 3s ago".
    public func synced(ago seconds: Int64) -> String {
        t("synced \(Format.duration(seconds: seconds, language: language)) ago",
          "\(Format.duration(seconds: seconds, language: language))前已同步")
    }

    /// "stale since 23:41:05: reason".
    public func stale(since time: String, reason: String) -> String {
        t("stale since \(time): \(reason)", "自 \(time) 起未更新：\(reason)")
    }

    // MARK: - Status line and prompt

    public var filterPrompt: String { t("filter", "筛选") }
    public var filterHelp: String { t("RRN, terminal, amount or card tail", "参考号、终端、金额或卡号后四位") }
    public var problemsOnly: String { t("problems only", "仅显示异常") }
    public var nothingSelected: String { t("nothing selected: pick a row first", "未选中：请先选择一行") }
    public var polling: String { t("refreshing…", "正在刷新…") }

    /// "note written: PATH".
    public func noteWritten(_ path: String) -> String { t("note written: \(path)", "申诉说明已生成：\(path)") }
    /// "note failed: MESSAGE".
    public func noteFailed(_ message: String) -> String { t("note failed: \(message)", "申诉说明生成失败：\(message)") }
    /// "writing note…".
    public var noteWriting: String { t("writing note…", "正在生成申诉说明…") }
    /// "filter: TEXT".
    public func filterActive(_ text: String) -> String { t("filter: \(text)", "筛选：\(text)") }

    // MARK: - Too small

    public var tooSmall: String { t("Terminal too small", "终端窗口太小") }

    /// "need 80x24, now 60x15".
    public func sizeNeeded(_ need: Size, now: Size) -> String {
        t("need \(need.width)x\(need.height), now \(now.width)x\(now.height)",
          "需要 \(need.width)x\(need.height)，当前 \(now.width)x\(now.height)")
    }

    public var resizeOrQuit: String { t("enlarge the window, or press q to quit", "请放大窗口，或按 q 退出") }

    // MARK: - Transaction detail

    public var identifiers: String { t("Identifiers", "交易信息") }
    public var amounts: String { t("Amounts", "金额") }
    public var merchant: String { t("Merchant", "商户") }
    public var terminal: String { t("Terminal", "终端") }
    public var batchTrace: String { t("Batch / trace", "批次号/凭证号") }
    public var rrn: String { t("RRN", "参考号") }
    public var authCode: String { t("Auth code", "授权码") }
    public var card: String { t("Card", "卡号") }
    public var kind: String { t("Kind", "交易类型") }
    public var gross: String { t("Gross", "交易金额") }
    public var fee: String { t("Fee", "手续费") }
    public var feeComputed: String { t("(computed)", "(按费率计算)") }
    public var expectedNet: String { t("Expected net", "应结净额") }
    public var received: String { t("Received", "已到账") }
    public var shortBy: String { t("Short by", "短款") }
    public var outstandingAmount: String { t("Not received", "未到账") }
    public var notYetNetted: String { t("Not yet netted", "待抵扣") }
    public var netted: String { t("Netted", "已抵扣") }
    public var notReceived: String { t("not received", "未到账") }
    public var timeline: String { t("Timeline", "资金时间线") }
    public var expectedCol: String { t("Expected", "预计") }
    public var actualCol: String { t("Actual", "实际") }
    public var stepTraded: String { t("Traded", "交易") }
    public var stepBatchClosed: String { t("Batch closed", "批次日切") }
    public var stepCleared: String { t("Cleared", "清算") }
    public var stepInstructed: String { t("Payout instructed", "发起出款") }
    public var stepCredited: String { t("Credited", "入账") }
    public var notInReports: String { t("— (reports do not say)", "—（报表未提供）") }
    public var noPayoutYet: String { t("— no payout yet", "—（尚无结算单）") }
    public var howComputed: String { t("How the date was computed", "到账时间的计算") }
    public var diagnosis: String { t("Diagnosis", "诊断") }
    public var evidence: String { t("Evidence", "依据") }
    public var nextStep: String { t("Next step", "建议") }
    public var alsoFound: String { t("Also found", "其他因素") }
    public var noFindings: String { t("nothing wrong found", "未发现异常") }
    public var payoutSection: String { t("Payout", "所属结算") }
    public var noPayout: String { t("not matched to a payout yet", "尚未匹配到结算单") }
    public var sources: String { t("Source reports", "来源报表") }
    public var pressEToExport: String { t("e: write a dispute note", "e：生成申诉说明") }

    /// "by 18:00, late after 20:00".
    public func window(from start: String, dueBy: String) -> String { t("\(start)–\(dueBy)", "\(start)–\(dueBy)") }
    /// "late after 10-12 20:00".
    public func lateAfter(_ time: String) -> String { t("late after \(time)", "\(time) 后算延迟") }
    /// "not yet: ¥9,820.00 still to come".
    public func stillToCome(_ amount: String) -> String { t("still to come: \(amount)", "尚未到账：\(amount)") }

    // MARK: - Payout detail

    public var cycleDate: String { t("Cycle date", "结算日") }
    public var expectedArrival: String { t("Expected arrival", "预计到账") }
    public var creditedAt: String { t("Credited", "到账时间") }
    public var bankRef: String { t("Bank ref", "银行流水号") }
    public var failureCode: String { t("Failure code", "失败/退汇原因") }
    public var items: String { t("Items", "结算明细") }
    public var colLine: String { t("#", "序") }
    public var colNote: String { t("Note", "备注") }
    public var itemsSum: String { t("Items sum", "明细合计") }
    public var expectedAmount: String { t("Expected", "应结金额") }
    public var paidAmount: String { t("Paid", "实到金额") }
    public var paidMinusExpected: String { t("Paid − expected", "实到 − 应结") }
    public var itemsMinusPaid: String { t("Items − paid", "明细 − 实到") }
    public var itemsMatch: String { t("✓ items match what was paid", "✓ 明细与实到金额一致") }
    public var itemsMismatch: String { t("✗ items do not match what was paid", "✗ 明细与实到金额不一致") }
    public var itemsVsExpected: String { t("items sum vs expected", "明细合计与应结金额") }
    public var noItems: String { t("the reports list no items for this payout", "报表未列出该结算的明细") }
    public var notPaidYet: String { t("not paid yet", "尚未到账") }
    public var mixedCurrencies: String { t("mixed currencies", "币种不一致") }

    // MARK: - Help

    public var helpClose: String { t("? or Esc closes this help", "按 ? 或 Esc 关闭帮助") }
    public var helpFilterSection: String { t("/ prompt", "/ 输入时") }
    public var helpEverywhere: String { t("Everywhere", "任意界面") }
    public var helpLists: String { t("Lists", "列表") }
    public var helpDetail: String { t("Detail screens", "详情页") }
}

/// Thousands grouping for counts: 4321 -> "4,321".
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return n < 0 ? "-" + out : out
}
