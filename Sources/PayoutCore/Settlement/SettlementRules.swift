/// The configured policy and calendar, and the policy that applies to one merchant.
public struct SettlementRules: Sendable, Hashable {
    public var policy: SettlementPolicy
    public var calendar: SettlementCalendar
    /// The payer names (or parts of them) of the acquirers' settlement credits on a bank
    /// statement: the built-in ones and those of the config. A credit from one of them
    /// that matches no payout is money nobody announced.
    public var bankPayers: [String] = SettlementRules.defaultBankPayers

    /// 拉卡拉 (Lakala) pays out as 拉卡拉支付股份有限公司.
    public static let defaultBankPayers = ["拉卡拉支付股份有限公司", "拉卡拉", "LAKALA"]

    public init(policy: SettlementPolicy, calendar: SettlementCalendar) {
        self.policy = policy
        self.calendar = calendar
    }

    /// The policy for a merchant's money in `currency`.
    ///
    /// The merchant's profile wins over the config for its cycle, account class and
    /// daily inflow limit. Money in a currency other than the configured one keeps the
    /// rates, cycle and times but drops the amounts written in the configured currency
    /// (fee caps and fixed parts, the D+0 quota, the inflow limit): they cannot be
    /// converted without a rate, and guessing one would be worse than leaving them out.
    /// Such money is marked `contractApplies = false`: the config is not its contract.
    public func policy(for merchant: Merchant?, currency: Currency) -> SettlementPolicy {
        var p = policy
        if let merchant {
            if let text = merchant.cycle, let c = SettlementPolicy.Cycle.parse(text) { p.cycle = c }
            p.accountClass = merchant.accountClass
            p.dailyInflowLimit = merchant.dailyInflowLimit
                ?? SettlementPolicy.defaultInflowLimit(for: merchant.accountClass, currency: merchant.currency)
        }
        if currency != p.currency {
            p.currency = currency
            p.contractApplies = false
            p.fees = FeeTable(debit: FeeRule(ratePPM: p.fees.debit.ratePPM), credit: FeeRule(ratePPM: p.fees.credit.ratePPM),
                              qr: FeeRule(ratePPM: p.fees.qr.ratePPM), other: FeeRule(ratePPM: p.fees.other.ratePPM))
            p.d0DailyQuota = Money(minor: Int64.max / 4, currency: currency)
            p.dailyInflowLimit = nil
        }
        return p
    }
}

extension SettlementPolicy {
    /// When a payout counts as late if its money has not arrived: the end of the credit
    /// window on its cycle date plus the grace, or its own expected arrival plus the
    /// grace when that is later (a D+0 payout due in the evening).
    public func payoutLateAfter(cycleDate: LocalDate, expectedArrival: Instant?) -> Instant {
        let windowEnd = LocalDateTime(date: cycleDate, time: creditWindow.end).instant(in: timeZone)
        let byWindow = windowEnd.adding(minutes: Int64(graceMinutes))
        guard let expectedArrival else { return byWindow }
        return max(byWindow, expectedArrival.adding(minutes: Int64(graceMinutes)))
    }
}
