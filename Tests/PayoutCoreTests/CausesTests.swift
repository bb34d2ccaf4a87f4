import Testing
@testable import PayoutCore

/// The cause registry: one descriptor per code, run in the order and sorted by the
/// ranks the evidence rules had before each cause moved into its own file.
@Suite struct CausesTests {
    @Test func everyCodeHasExactlyOneDescriptor() {
        for code in CauseCode.allCases {
            #expect(Causes.all.filter { $0.code == code }.count == 1, "\(code.rawValue)")
            #expect(code.descriptor.code == code)
        }
        #expect(Causes.all.count == CauseCode.allCases.count)
    }

    /// The order `collectFindings` ran the rules in before the registry.
    @Test func registryKeepsTheRuleOrder() {
        #expect(Causes.all.map(\.code) == [.notCredited, .creditedDifferent, .accountStatus, .bankProcessing, .riskReview, .receivingLimit, .reserveHold,
                                           .acquirerBacklog, .d0Quota, .feeDeduction, .currencyMismatch, .refundOffset,
                                           .awaitingReport, .calendarShift, .cutoffRollover, .arrivedLate, .unexplained])
        // Rank order, but for UNEXPLAINED: it runs last, as it asks whether another cause found a problem.
        #expect(Causes.all.last?.code == .unexplained)
        let problems = Causes.all.dropLast().compactMap(\.ranks.problem)
        #expect(problems == problems.sorted())
    }

    /// The rank table `collectFindings` used before the registry, as (problem, explained, routine).
    @Test func ranksAreTheOldRankTable() {
        let old: [CauseCode: (Int?, Int?, Int?)] = [
            .accountStatus: (10, nil, nil), .bankProcessing: (20, nil, nil), .riskReview: (30, nil, nil),
            .receivingLimit: (40, 160, nil), .reserveHold: (50, 135, nil), .acquirerBacklog: (60, nil, nil),
            .d0Quota: (65, 100, nil), .feeDeduction: (70, 140, nil), .unexplained: (80, nil, nil),
            .calendarShift: (85, 110, 150), .cutoffRollover: (86, 120, nil), .refundOffset: (nil, 130, nil),
            // Added since: a payout in another currency, and a day no report covers yet.
            .currencyMismatch: (75, nil, nil), .awaitingReport: (nil, 95, nil),
            // Added with the payout history: a delay stays a finding after the money arrives.
            .arrivedLate: (87, nil, nil),
            // Added with bank statements: the bank's side outranks every report's.
            .notCredited: (5, nil, nil), .creditedDifferent: (6, nil, nil),
        ]
        for d in Causes.all {
            let r = old[d.code]
            #expect(d.ranks.problem == r?.0 && d.ranks.explained == r?.1 && d.ranks.routine == r?.2, "\(d.code.rawValue)")
        }
        // Every rank differs, so findings never tie.
        let every = Causes.all.flatMap { [$0.ranks.problem, $0.ranks.explained, $0.ranks.routine].compactMap { $0 } }
        #expect(Set(every).count == every.count)
    }

    /// A cause with one rank gives it whatever the finding says; two ranks split by
    /// `Finding.explained`; a routine explained finding takes the routine rank.
    @Test func rankOfAFinding() {
        func hit(_ code: CauseCode, explained: Bool, routine: Bool = false) -> CauseHit {
            CauseHit(Finding(code: code, evidence: [], nextStep: BilingualText(en: "", zh: ""), explained: explained), routine: routine)
        }
        let account = CauseCode.accountStatus.descriptor.ranks, refund = CauseCode.refundOffset.descriptor.ranks
        let limit = CauseCode.receivingLimit.descriptor.ranks, calendar = CauseCode.calendarShift.descriptor.ranks
        #expect(account.rank(of: hit(.accountStatus, explained: false)) == 10)
        #expect(account.rank(of: hit(.accountStatus, explained: true)) == 10)
        #expect(refund.rank(of: hit(.refundOffset, explained: false)) == 130)
        #expect(limit.rank(of: hit(.receivingLimit, explained: false)) == 40)
        #expect(limit.rank(of: hit(.receivingLimit, explained: true)) == 160)
        #expect(calendar.rank(of: hit(.calendarShift, explained: false, routine: true)) == 85)
        #expect(calendar.rank(of: hit(.calendarShift, explained: true)) == 110)
        #expect(calendar.rank(of: hit(.calendarShift, explained: true, routine: true)) == 150)
    }

    /// The "Ruled out" list keeps its order: refunds and chargebacks, inflow limit, D+0,
    /// account, holds, reserve, fees, bank.
    @Test func ruledOutOrder() {
        #expect(Causes.ruledOutOrder.map(\.code) == [.refundOffset, .receivingLimit, .d0Quota, .accountStatus, .riskReview,
                                                     .reserveHold, .feeDeduction, .bankProcessing])
    }

    /// Titles and explained flags as `CauseCode` gave them before the descriptors; the
    /// lists' label is the code in English and a short form of the title in Chinese.
    @Test func titlesAndExplainedAreUnchanged() {
        let old: [CauseCode: (String, String, Bool)] = [
            .calendarShift: ("Settlement cycle / holiday shift", "清算周期/节假日顺延", true),
            .cutoffRollover: ("Traded after the daily cutoff", "超过日切时间", true),
            .acquirerBacklog: ("Acquirer processing delay", "收单系统处理延迟/维护", false),
            .accountStatus: ("Merchant account frozen, limited or under review", "商户账户冻结/受限/审核中", false),
            .bankProcessing: ("Bank processing delay or return", "银行处理延迟/出款失败（退汇）", false),
            .reserveHold: ("Reserve withheld", "保证金留存", false),
            .riskReview: ("Risk review / delayed settlement", "风控调单/延迟结算", false),
            .receivingLimit: ("Settlement account inflow limit", "结算卡入金限额", false),
            .d0Quota: ("D+0 quota exceeded, moved to T+1", "秒到额度超限，转T+1", true),
            .feeDeduction: ("Fees deducted", "手续费扣除", true),
            .refundOffset: ("Refunds or chargebacks netted", "退款/退单抵扣", true),
            .unexplained: ("Unexplained: dispute recommended", "原因不明，建议申诉", false),
            .awaitingReport: ("Awaiting the settlement report", "待导入结算对账单", true),
            .currencyMismatch: ("Paid in another currency", "结算币种与交易不符", false),
            .arrivedLate: ("Paid after its due time", "逾期到账", false),
            .notCredited: ("Reported paid, not in the bank statement", "收单称已出款，银行流水无入账", false),
            .creditedDifferent: ("Bank credit differs from the reported payout", "银行入账金额与结算单不符", false),
        ]
        for code in CauseCode.allCases {
            let o = old[code]
            #expect(code.titleEN == o?.0 && code.titleZH == o?.1 && code.isExplained == o?.2, "\(code.rawValue)")
            #expect(code.title(.en) == code.titleEN && code.title(.zhHans) == code.titleZH)
            #expect(code.label(.en) == code.rawValue)
            // Short: at most 5 characters (10 columns), so the list's cause column holds it.
            #expect(!code.label(.zhHans).isEmpty && code.label(.zhHans).count <= 5, "\(code.rawValue)")
        }
    }
}
