/// One state a report gave a payout, as the store kept it (table `payoutEvent`): what
/// the report said, when the store read it, and the file and line it came from.
public struct PayoutHistoryEntry: Hashable, Sendable {
    public var status: PayoutStatus
    public var paidAmount: Money?
    public var creditedAt: Instant?
    public var failureCode: String?
    /// When the store read the report that said it (the file's import time).
    public var seenAt: Instant
    /// The report file's path and the line of the payout's row.
    public var sourcePath: String
    public var line: Int

    public init(status: PayoutStatus, paidAmount: Money?, creditedAt: Instant?, failureCode: String?, seenAt: Instant,
                sourcePath: String, line: Int) {
        self.status = status; self.paidAmount = paidAmount; self.creditedAt = creditedAt; self.failureCode = failureCode
        self.seenAt = seenAt; self.sourcePath = sourcePath; self.line = line
    }

    /// When the state happened, as far as the report says: the credit time of a credited
    /// state, else when the store read it.
    public var at: Instant { creditedAt ?? seenAt }
}

/// When a payout is due under the contract: the config's cycle, credit window and grace
/// applied to the trade dates of the sales it carries (the latest of them).
public struct PayoutContract: Hashable, Sendable {
    /// The end of the credit window on the contract's credit day of the latest sale.
    public var dueBy: Instant
    /// `dueBy` plus the grace.
    public var lateAfter: Instant
    /// How many sales the contract was computed from.
    public var sales: Int

    public init(dueBy: Instant, lateAfter: Instant, sales: Int) {
        self.dueBy = dueBy; self.lateAfter = lateAfter; self.sales = sales
    }
}

/// "1d 15h", "3h 20m", "45m": a delay for diagnosis and notes (`DurationText`, whole minutes).
func delayText(seconds raw: Int64, chinese: Bool) -> String {
    DurationText.text(seconds: raw, language: chinese ? .zhHans : .en, wholeMinutes: true)
}

extension PayoutShare {
    /// Seconds between the payout's late time and its credit, when it was credited after it.
    public var arrivedLateBy: Int64? {
        guard isCredited, let at = creditedAt, at > lateAfter else { return nil }
        return at.seconds(since: lateAfter)
    }
}

extension Diagnosis {
    /// The longest delay of a payout that was credited after its late time (seconds).
    public var arrivedLateBy: Int64? { shares.compactMap(\.arrivedLateBy).max() }
}
