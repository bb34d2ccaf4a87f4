import Foundation

/// Small hand-written stores, one situation each, as canonical CSV files: what the
/// reports do and do not cover, fees against the contract, a payout in another
/// currency, a date beyond the holiday data, a return the later credits contradict.
///
/// The rules are the documented defaults (config/payoutmon.toml): T+1, cutoff 23:00,
/// credit window 09:00-18:00, grace 120 minutes, calendar `cn` (holiday data
/// 2024-2026), Asia/Shanghai, credit cards 0.60% with no cap. The shop is a Class I
/// account (no daily inflow limit), so no receiving limit comes into play.
///
/// The answer each scenario must give was worked out by hand, written in its comment
/// before the program was run on it; the tests (PayoutSyncTests for the drill-down,
/// PayoutCLITests for `status --json` and the notes) assert it.
public struct EvidenceScenario: Sendable {
    public let name: String
    /// File name and text, imported in this order.
    public let files: [(name: String, text: String)]
    /// The moment the scenario is judged at (Asia/Shanghai).
    public let now: String

    /// Writes the files into `dir` and returns their paths, in import order.
    public func write(to dir: TempDir) -> [String] {
        files.map { dir.file(name + "-" + $0.name, $0.text) }
    }

    public static let mid = "898440358120099"
    /// "9900000000NN".
    public static func rrn(_ n: Int) -> String { "99000000" + String(format: "%04d", n) }

    static let merchants = """
        merchant_id,merchant_name,acquirer,bank_account,account_class,daily_inflow_limit,cycle,currency
        \(mid),测试小馆,拉卡拉 Lakala,6217********7788,I,,,CNY

        """

    static func sale(_ n: Int, amount: String, at time: String, payout: String = "", currency: String = "CNY") -> String {
        "\(mid),LKL20001,前台1号,000200,\(String(format: "%06d", n)),\(rrn(n)),A\(n),625807******4417,credit,sale,\(amount),,\(currency),\(time),\(payout)\n"
    }

    static let txnHeader = "merchant_id,terminal_id,terminal_name,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,fee,currency,occurred_at,payout_ref\n"
    static let payoutHeader = "merchant_id,payout_ref,cycle_date,expected_amount,paid_amount,currency,status,expected_arrival,credited_at,bank_ref,failure_code\n"
    static let itemHeader = "merchant_id,payout_ref,line_no,item_kind,amount,currency,rrn,note\n"

    /// A store holding only a POS transaction export: three credit sales of 1,000.00
    /// on Monday 2026-11-23, no payout file at all.
    ///
    /// By hand: each settles T+1 on Tuesday 2026-11-24 (a working day), expected net
    /// 1,000.00 − 6.00 fee (0.60%) = 994.00. No settlement report covers any day, so
    /// each is "awaiting report" (cause AWAITING_REPORT), never late, even at
    /// 2026-11-28 15:00, four days after. Summary: awaiting report 3, 2,982.00 CNY;
    /// pending 0, late 0, nothing "still to arrive"; no settlement report imported;
    /// `status` exits 0.
    public static let transactionExportOnly = EvidenceScenario(
        name: "export-only",
        files: [
            ("merchants.csv", merchants),
            ("transactions.csv", txnHeader + sale(1, amount: "1000.00", at: "2026-11-23 10:00:00")
                + sale(2, amount: "1000.00", at: "2026-11-23 11:00:00") + sale(3, amount: "1000.00", at: "2026-11-23 12:00:00")),
        ],
        now: "2026-11-28 15:00")

    /// A settlement report for Tuesday 2026-11-24 carries one of Monday's two sales.
    ///
    /// By hand: sale 11 (1,000.00) is carried by LKLP-S-11, credited 994.00: settled.
    /// Sale 12 (500.00, expected net 497.00) settles on 2026-11-24 too; the report
    /// covers that day (reports through 2026-11-24) and no payout carries RRN
    /// 990000000012, so it is late since 2026-11-24 20:00 (18:00 + 120 minutes grace)
    /// with cause UNEXPLAINED and the evidence "settlement reports through 2026-11-24
    /// cover 2026-11-24; none carries RRN 990000000012". Summary at 2026-11-28 15:00:
    /// late 1, awaiting report 0; `status` exits 1. Its note asks which payout carries it.
    public static let coveredButMissing = EvidenceScenario(
        name: "covered-missing",
        files: [
            ("merchants.csv", merchants),
            ("transactions.csv", txnHeader + sale(11, amount: "1000.00", at: "2026-11-23 10:00:00", payout: "LKLP-S-11")
                + sale(12, amount: "500.00", at: "2026-11-23 11:00:00")),
            ("payouts.csv", payoutHeader + "\(mid),LKLP-S-11,2026-11-24,994.00,994.00,CNY,paid,2026-11-24 09:00:00,2026-11-24 10:00:00,B1124,\n"),
            ("payout_items.csv", itemHeader + "\(mid),LKLP-S-11,1,transaction,1000.00,CNY,\(rrn(11)),\n\(mid),LKLP-S-11,2,fee,-6.00,CNY,,\n"),
        ],
        now: "2026-11-28 15:00")

    /// A payout's only fee line is 78.00 where the contract gives 60.00; the report
    /// states no per-sale fee.
    ///
    /// By hand: sales 21 and 22, credit, 5,000.00 each: contracted fee 0.60% = 30.00
    /// each, 60.00 for both. LKLP-S-21 lines: 5,000.00 + 5,000.00 − 78.00 = 9,922.00,
    /// expected and credited 9,922.00, so the payout is settled and its lines balance,
    /// but the fee is 78.00 − 60.00 = 18.00 over the contract: FEE_DEDUCTION, not
    /// explained, with charged 78.00, contracted 60.00 and 18.00 over; the payout's
    /// note asks for the 18.00 back instead of saying no dispute is needed. Each sale's
    /// note asks for its share by gross: 18.00 × 5,000.00 / 10,000.00 = 9.00.
    ///
    /// The merchant is owed the contract's net, so nothing here is settled: the payout
    /// is owed 10,000.00 − 60.00 = 9,940.00, received 9,922.00, short 18.00; each sale
    /// is owed 4,970.00 and received 5,000.00 − 30.00 − 9.00 = 4,961.00, short 9.00.
    /// Summary: short 2, short total 18.00 CNY; `status` lists both sales and the
    /// payout as short with FEE_DEDUCTION and exits 1.
    public static let feeOverContract = EvidenceScenario(
        name: "fee-over",
        files: [
            ("merchants.csv", merchants),
            ("transactions.csv", txnHeader + sale(21, amount: "5000.00", at: "2026-11-23 10:00:00", payout: "LKLP-S-21")
                + sale(22, amount: "5000.00", at: "2026-11-23 11:00:00", payout: "LKLP-S-21")),
            ("payouts.csv", payoutHeader + "\(mid),LKLP-S-21,2026-11-24,9922.00,9922.00,CNY,paid,2026-11-24 09:00:00,2026-11-24 10:00:00,B1124F,\n"),
            ("payout_items.csv", itemHeader + "\(mid),LKLP-S-21,1,transaction,5000.00,CNY,\(rrn(21)),\n"
                + "\(mid),LKLP-S-21,2,transaction,5000.00,CNY,\(rrn(22)),\n\(mid),LKLP-S-21,3,fee,-78.00,CNY,,手续费 fee\n"),
        ],
        now: "2026-11-28 15:00")

    /// A CNY sale paid out in HKD.
    ///
    /// By hand: sale 31, CNY 1,000.00, expected net CNY 994.00. LKLP-S-31 is an HKD
    /// payout of HKD 1,085.00, credited in full on 2026-11-24. The reports give no
    /// exchange rate, so neither "short" nor "settled" can be claimed: state
    /// "other-currency", cause CURRENCY_MISMATCH, naming CNY 1,000.00 and HKD 1,085.00;
    /// never "no payout carries this RRN". It needs attention: `status` exits 1.
    public static let otherCurrency = EvidenceScenario(
        name: "currency",
        files: [
            ("merchants.csv", merchants),
            ("transactions.csv", txnHeader + sale(31, amount: "1000.00", at: "2026-11-23 10:00:00", payout: "LKLP-S-31")),
            ("payouts.csv", payoutHeader + "\(mid),LKLP-S-31,2026-11-24,1085.00,1085.00,HKD,paid,2026-11-24 09:00:00,2026-11-24 10:00:00,B1124H,\n"),
            ("payout_items.csv", itemHeader + "\(mid),LKLP-S-31,1,transaction,1085.00,HKD,\(rrn(31)),\n"),
        ],
        now: "2026-11-28 15:00")

    /// A sale on the last day of the calendar's data, settling in a year it has none.
    ///
    /// By hand: sale 41, 2026-12-31 (Thursday) 10:00, T+1. 2027-01-01 (Friday) is New
    /// Year's Day, a holiday every year; 01-02 and 01-03 are a weekend; so the
    /// settlement day is Monday 2027-01-04 (not 2027-01-01). 2027 has no holiday data:
    /// the date carries the "no holiday data for 2027" flag in the drill-down, the
    /// monitor's header and `status --json` (summary noHolidayData 1, calendar
    /// noHolidayDataYears [2027]). No settlement file: awaiting report. `status --at
    /// "2027-01-05 12:00"` warns that 2027-01-05 is beyond the holiday data (2024-2026).
    public static let beyondCalendar = EvidenceScenario(
        name: "calendar",
        files: [
            ("merchants.csv", merchants),
            ("transactions.csv", txnHeader + sale(41, amount: "1000.00", at: "2026-12-31 10:00:00")),
        ],
        now: "2027-01-05 12:00")

    /// A payout returned "account closed" while the same account was credited before
    /// and after it.
    ///
    /// By hand: LKLP-S-50 (cycle 2026-11-20) and LKLP-S-52 (cycle 2026-11-25) were
    /// credited; LKLP-S-51 (cycle 2026-11-23, 994.00 for sale 51) was returned
    /// "R03 收款账户已销户 account closed". Sale 51 and the payout are failed,
    /// BANK_PROCESSING, and the evidence says the return is inconsistent: payout
    /// LKLP-S-52 was credited to the same account after it (2026-11-25), and
    /// LKLP-S-50 before it (2026-11-20). The note asks for the bank's actual reason.
    public static let closedButCredited = EvidenceScenario(
        name: "closed",
        files: [
            ("merchants.csv", merchants),
            ("transactions.csv", txnHeader + sale(50, amount: "1000.00", at: "2026-11-19 10:00:00", payout: "LKLP-S-50")
                + sale(51, amount: "1000.00", at: "2026-11-20 10:00:00", payout: "LKLP-S-51")
                + sale(52, amount: "1000.00", at: "2026-11-24 10:00:00", payout: "LKLP-S-52")),
            ("payouts.csv", payoutHeader
                + "\(mid),LKLP-S-50,2026-11-20,994.00,994.00,CNY,paid,2026-11-20 09:00:00,2026-11-20 10:00:00,B1120,\n"
                + "\(mid),LKLP-S-51,2026-11-23,994.00,,CNY,returned,2026-11-23 09:00:00,,B1123,R03 收款账户已销户 account closed\n"
                + "\(mid),LKLP-S-52,2026-11-25,994.00,994.00,CNY,paid,2026-11-25 09:00:00,2026-11-25 10:00:00,B1125,\n"),
        ],
        now: "2026-11-28 15:00")
}
