import Foundation
import Testing
@testable import PayoutCore

/// Hand-built evidence for the demo stories (Sources/PayoutDemo/Demo/DemoData.swift),
/// with the numbers the demo produces for "now" = 2026-11-28 10:00 in Shanghai (a
/// Saturday): the last working days are 11-27, 11-26, 11-25, 11-24, 11-23, 11-20, 11-19.
enum DiagnosisFixtures {
    static let zone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    static func cn() throws -> SettlementCalendar { try SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn") }

    /// "2026-11-26 14:20:11" in Shanghai.
    static func at(_ s: String) throws -> Instant {
        try #require(LocalDateTime(parsing: s), "bad time \(s)").instant(in: zone)
    }

    static func d(_ s: String) throws -> LocalDate { try #require(LocalDate(iso: s), "bad date \(s)") }

    static func cny(_ s: String) throws -> Money { try Money.parse(s, currency: .CNY) }

    static func now() throws -> Instant { try at("2026-11-28 10:00") }

    static let sources = [
        NoteSource(path: "demo/transactions.csv", sha256: "5d0b6f6f0c3e2a9e51f1b1c64a8a5e2ad3c5d53e0f2d8b7a4c9e1f0a2b3c4d5e"),
        NoteSource(path: "demo/payouts.csv", sha256: "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"),
        NoteSource(path: "demo/payout_items.csv", sha256: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"),
    ]

    // MARK: Merchants and policies

    static let acquirer = "拉卡拉 Lakala"
    static let mainMID = "898440358120013", classIIMID = "898440358120027", frozenMID = "898440358120031", d0MID = "898440358120045"

    static func merchant(_ mid: String) throws -> Merchant {
        switch mid {
        case classIIMID:
            return Merchant(merchantId: mid, name: "味道小馆(福田店)", acquirer: acquirer, bankAccountMasked: try CardNumber.mask("6217002000012347788"),
                            accountClass: .classII, dailyInflowLimit: try cny("10000.00"), currency: .CNY)
        case frozenMID:
            return Merchant(merchantId: mid, name: "味道小馆(宝安店)", acquirer: acquirer, bankAccountMasked: try CardNumber.mask("6228480012345679012"),
                            accountClass: .corporate, dailyInflowLimit: nil, currency: .CNY)
        case d0MID:
            return Merchant(merchantId: mid, name: "味道小馆(罗湖店)", acquirer: acquirer, bankAccountMasked: try CardNumber.mask("6225880198765432109"),
                            accountClass: .corporate, dailyInflowLimit: nil, cycle: "D+0", currency: .CNY)
        default:
            return Merchant(merchantId: mid, name: "味道小馆(南山店)", acquirer: acquirer, bankAccountMasked: try CardNumber.mask("6222021001123453456"),
                            accountClass: .corporate, dailyInflowLimit: nil, currency: .CNY)
        }
    }

    /// The demo policy as it applies to the merchant: its class, limit and cycle.
    static func policy(_ mid: String) throws -> SettlementPolicy {
        switch mid {
        case classIIMID: return try SettlementPolicy.parse([:])
        case d0MID: return try SettlementPolicy.parse(["settlement.cycle": "D+0", "account.class": "corporate"])
        default: return try SettlementPolicy.parse(["account.class": "corporate"])
        }
    }

    static func events(_ mid: String) throws -> [AccountEvent] {
        var out = [AccountEvent(merchantId: mid, state: .active, at: try at("2025-10-24 09:00"), reason: "商户入网审核通过 onboarding approved")]
        if mid == frozenMID {
            out.append(AccountEvent(merchantId: mid, state: .frozen, at: try at("2026-11-23 10:00"),
                                    reason: "账户冻结：涉嫌异常交易，请补充经营资料 frozen: unusual activity, documents requested"))
        }
        return out
    }

    // MARK: Records

    static let terminalNames = ["LKL10001": "前台收银1号", "LKL10002": "前台收银2号", "LKL10003": "外卖窗口", "LKL20001": "福田收银台",
                                "LKL30001": "宝安收银台", "LKL40001": "罗湖收银台"]

    static func txn(_ mid: String, _ tid: String, batch: String, trace: String, rrn: String, auth: String, card: String,
                    _ kind: CardKind, _ type: TxnKind = .sale, amount: String, fee: String, at time: String, payout: String?) throws -> Transaction {
        Transaction(merchantId: mid, terminalId: tid, terminalName: terminalNames[tid], batchNo: batch, traceNo: trace, rrn: rrn,
                    authCode: auth, cardMasked: card, cardKind: kind, kind: type, amount: try cny(amount), fee: try cny(fee),
                    occurredAt: try at(time), payoutRef: payout)
    }

    static func payout(_ mid: String, _ ref: String, cycle: String, expected: String, paid: String?, _ status: PayoutStatus,
                       arrival: String, credited: String?, bank: String?, failure: String? = nil) throws -> Payout {
        Payout(merchantId: mid, ref: ref, cycleDate: try d(cycle), expectedAmount: try cny(expected), paidAmount: try paid.map(cny),
               status: status, expectedArrival: try at(arrival), creditedAt: try credited.map(at), bankRef: bank, failureCode: failure)
    }

    static func item(_ mid: String, _ ref: String, _ line: Int, _ kind: PayoutItemKind, _ amount: String, rrn: String? = nil,
                     note: String? = nil) throws -> PayoutItem {
        PayoutItem(merchantId: mid, payoutRef: ref, lineNo: line, kind: kind, amount: try cny(amount), rrn: rrn, note: note)
    }

    static func hold(_ mid: String, _ ref: String, _ kind: HoldKind, _ amount: String, rrn: String?, payout: String?, opened: String,
                     released: String? = nil, reason: String) throws -> Hold {
        Hold(merchantId: mid, ref: ref, kind: kind, amount: try cny(amount), rrn: rrn, payoutRef: payout, openedAt: try at(opened),
             releasedAt: try released.map(at), reason: reason)
    }

    /// Evidence for `subject` (one of `txns`, or nil for the first payout on its own).
    static func evidence(_ mid: String, subject: Transaction?, txns: [Transaction], payouts: [Evidence.PayoutEvidence],
                         holds: [Hold] = [], others: Int = 0) throws -> Evidence {
        let policy = try self.policy(mid)
        var expectation: SettlementExpectation?
        if let subject {
            let all = try SettlementExpectation.computeAll(txns, policy: policy, calendar: cn())
            expectation = all[try #require(txns.firstIndex(of: subject))]
        }
        return Evidence(transaction: subject, expectation: expectation, payouts: payouts, payoutTransactions: txns, holds: holds,
                        accountEvents: try events(mid), merchant: try merchant(mid), policy: policy, otherLatePayoutsSameDay: others)
    }

    // MARK: The stories

    /// 1: a normal T+1 sale, paid on time.
    static func story1() throws -> Evidence {
        let m = mainMID, ref = "LKLP-DEMO-01"
        let t = try txn(m, "LKL10001", batch: "000901", trace: "000101", rrn: "880000000101", auth: "381204", card: "622848******0417",
                        .debit, amount: "1288.00", fee: "7.73", at: "2026-11-24 12:18:05", payout: ref)
        let p = try payout(m, ref, cycle: "2026-11-25", expected: "1280.27", paid: "1280.27", .paid, arrival: "2026-11-25 09:00",
                           credited: "2026-11-25 10:15", bank: "B20261125000101")
        let items = [try item(m, ref, 1, .transaction, "1288.00", rrn: t.rrn), try item(m, ref, 2, .fee, "-7.73", note: "手续费 fees")]
        return try evidence(m, subject: t, txns: [t], payouts: [.init(payout: p, items: items)])
    }

    static func story2Records() throws -> (Transaction, [Evidence.PayoutEvidence], [Hold]) {
        let m = classIIMID, ref = "LKLP-DEMO-02"
        let t = try txn(m, "LKL20001", batch: "000201", trace: "000201", rrn: "880000000201", auth: "604417", card: "625807******5532",
                        .credit, amount: "30000.00", fee: "180.00", at: "2026-11-26 14:20:11", payout: ref)
        let p = try payout(m, ref, cycle: "2026-11-27", expected: "29820.00", paid: "10000.00", .partial, arrival: "2026-11-27 09:00",
                           credited: "2026-11-27 10:05", bank: "B20261127000201")
        let items = [
            try item(m, ref, 1, .transaction, "30000.00", rrn: t.rrn),
            try item(m, ref, 2, .fee, "-180.00", note: "手续费 fees"),
            try item(m, ref, 3, .carryOver, "-19820.00", note: "二类户日入金限额 10,000.00 Class II daily inflow limit: carried to next days"),
        ]
        let b = try payout(m, ref + "B", cycle: "2026-11-30", expected: "10000.00", paid: nil, .scheduled, arrival: "2026-11-30 09:00",
                           credited: nil, bank: nil)
        let c = try payout(m, ref + "C", cycle: "2026-12-01", expected: "9820.00", paid: nil, .scheduled, arrival: "2026-12-01 09:00",
                           credited: nil, bank: nil)
        let bItems = [try item(m, ref + "B", 1, .release, "10000.00", rrn: t.rrn, note: "限额顺延 carried over from LKLP-DEMO-02")]
        let cItems = [try item(m, ref + "C", 1, .release, "9820.00", rrn: t.rrn, note: "限额顺延 carried over from LKLP-DEMO-02")]
        let h = try hold(m, "HOLD-DEMO-02", .receivingLimit, "19820.00", rrn: t.rrn, payout: ref, opened: "2026-11-27 10:05",
                         reason: "结算卡为二类户，单日入金限额10,000.00元 Class II account: 10,000.00 a day")
        return (t, [.init(payout: p, items: items), .init(payout: b, items: bItems), .init(payout: c, items: cItems)], [h])
    }

    /// 2: 30,000.00 swiped on the Class II shop; 10,000.00 credited, the rest carried over.
    static func story2() throws -> Evidence {
        let (t, payouts, holds) = try story2Records()
        return try evidence(classIIMID, subject: t, txns: [t], payouts: payouts, holds: holds)
    }

    /// 3: 30,000.00 swiped; 20,000.00 held for risk review.
    static func story3() throws -> Evidence {
        let m = mainMID, ref = "LKLP-DEMO-03"
        let t = try txn(m, "LKL10002", batch: "000301", trace: "000301", rrn: "880000000301", auth: "227915", card: "622848******3318",
                        .debit, amount: "30000.00", fee: "35.00", at: "2026-11-25 19:42:30", payout: ref)
        let p = try payout(m, ref, cycle: "2026-11-26", expected: "29965.00", paid: "9965.00", .partial, arrival: "2026-11-26 09:00",
                           credited: "2026-11-26 10:20", bank: "B20261126000301")
        let items = [
            try item(m, ref, 1, .transaction, "30000.00", rrn: t.rrn),
            try item(m, ref, 2, .fee, "-35.00", note: "手续费 fees"),
            try item(m, ref, 3, .hold, "-20000.00", rrn: t.rrn, note: "风控调单 risk review"),
        ]
        let h = try hold(m, "HOLD-DEMO-03", .riskReview, "20000.00", rrn: t.rrn, payout: ref, opened: "2026-11-26 08:30",
                         reason: "风控调单：大额交易，请提供交易小票及购货凭证 risk review: provide receipt and proof of goods")
        return try evidence(m, subject: t, txns: [t], payouts: [.init(payout: p, items: items)], holds: [h])
    }

    /// 4: two sales on 2026-09-30 (one after the 23:00 cutoff), paid 10-08 after National Day.
    static func story4(second: Bool = false) throws -> Evidence {
        let m = mainMID, ref = "LKLP-DEMO-04"
        let t1 = try txn(m, "LKL10001", batch: "000401", trace: "000401", rrn: "880000000401", auth: "118230", card: "625807******2046",
                         .credit, amount: "3680.00", fee: "22.08", at: "2026-09-30 21:30:12", payout: ref)
        let t2 = try txn(m, "LKL10001", batch: "000401", trace: "000402", rrn: "880000000402", auth: "118231", card: "622848******6671",
                         .debit, amount: "1260.00", fee: "7.56", at: "2026-09-30 23:10:40", payout: ref)
        let p = try payout(m, ref, cycle: "2026-10-08", expected: "4910.36", paid: "4910.36", .paid, arrival: "2026-10-08 09:00",
                           credited: "2026-10-08 10:08", bank: "B20261008000401")
        let items = [
            try item(m, ref, 1, .transaction, "3680.00", rrn: t1.rrn),
            try item(m, ref, 2, .transaction, "1260.00", rrn: t2.rrn),
            try item(m, ref, 3, .fee, "-29.64", note: "手续费 fees"),
        ]
        return try evidence(m, subject: second ? t2 : t1, txns: [t1, t2], payouts: [.init(payout: p, items: items)])
    }

    /// 5: the Bao'an shop's account frozen on 11-23; the payout of 11-25 held.
    static func story5() throws -> Evidence {
        let m = frozenMID, ref = "LKLP-DEMO-05"
        let t = try txn(m, "LKL30001", batch: "000504", trace: "000504", rrn: "880000000501", auth: "553120", card: "622848******7261",
                        .debit, amount: "4321.00", fee: "25.93", at: "2026-11-24 13:15:00", payout: ref)
        let p = try payout(m, ref, cycle: "2026-11-25", expected: "4295.07", paid: nil, .held, arrival: "2026-11-25 09:00",
                           credited: nil, bank: nil, failure: "ACCOUNT_FROZEN")
        let items = [try item(m, ref, 1, .transaction, "4321.00", rrn: t.rrn), try item(m, ref, 2, .fee, "-25.93", note: "手续费 fees")]
        return try evidence(m, subject: t, txns: [t], payouts: [.init(payout: p, items: items)])
    }

    /// 6: a payout returned by the bank: account closed.
    static func story6() throws -> Evidence {
        let m = mainMID, ref = "LKLP-DEMO-06"
        let t = try txn(m, "LKL10003", batch: "000601", trace: "000601", rrn: "880000000601", auth: "090712", card: "622848******5804",
                        .debit, amount: "5600.00", fee: "33.60", at: "2026-11-23 18:05:09", payout: ref)
        let p = try payout(m, ref, cycle: "2026-11-24", expected: "5566.40", paid: nil, .returned, arrival: "2026-11-24 09:00",
                           credited: nil, bank: "B20261124000601", failure: "R03 收款账户已销户 account closed")
        let items = [try item(m, ref, 1, .transaction, "5600.00", rrn: t.rrn), try item(m, ref, 2, .fee, "-33.60", note: "手续费 fees")]
        return try evidence(m, subject: t, txns: [t], payouts: [.init(payout: p, items: items)])
    }

    /// 7: a payout still processing the day after its window closed.
    static func story7(others: Int = 0) throws -> Evidence {
        let m = mainMID, ref = "LKLP-DEMO-07"
        let t = try txn(m, "LKL10002", batch: "000701", trace: "000701", rrn: "880000000701", auth: "771034", card: "625807******9921",
                        .credit, amount: "8450.00", fee: "50.70", at: "2026-11-26 20:12:44", payout: ref)
        let p = try payout(m, ref, cycle: "2026-11-27", expected: "8399.30", paid: nil, .processing, arrival: "2026-11-27 09:00",
                           credited: nil, bank: nil)
        let items = [try item(m, ref, 1, .transaction, "8450.00", rrn: t.rrn), try item(m, ref, 2, .fee, "-50.70", note: "手续费 fees")]
        return try evidence(m, subject: t, txns: [t], payouts: [.init(payout: p, items: items)], others: others)
    }

    /// 8: the D+0 shop takes 62,000.00 on 11-26 against a 50,000.00 quota; the last 12,000.00 goes T+1.
    static func story8() throws -> Evidence {
        let m = d0MID
        let amounts = ["12000.00", "9500.00", "15000.00", "8500.00", "5000.00", "12000.00"]
        let fees = ["84.00", "66.50", "105.00", "59.50", "35.00", "72.00"]
        var txns: [Transaction] = []
        for i in 0..<6 {
            txns.append(try txn(m, "LKL40001", batch: "000801", trace: "00080\(i + 1)", rrn: "88000000080\(i + 1)", auth: "64000\(i + 1)",
                                card: "625807******10\(i + 2)8", .credit, amount: amounts[i], fee: fees[i],
                                at: "2026-11-26 \(10 + i * 2):15:00", payout: i < 5 ? "LKLP-DEMO-08" : "LKLP-DEMO-08B"))
        }
        let p = try payout(m, "LKLP-DEMO-08B", cycle: "2026-11-27", expected: "11928.00", paid: "11928.00", .paid,
                           arrival: "2026-11-27 09:00", credited: "2026-11-27 10:30", bank: "B20261127000802")
        let items = [try item(m, "LKLP-DEMO-08B", 1, .transaction, "12000.00", rrn: txns[5].rrn),
                     try item(m, "LKLP-DEMO-08B", 2, .fee, "-72.00", note: "手续费 fees")]
        let h = try hold(m, "HOLD-DEMO-08", .d0Quota, "12000.00", rrn: txns[5].rrn, payout: "LKLP-DEMO-08B", opened: "2026-11-26 20:15",
                         released: "2026-11-27 10:30", reason: "秒到额度超限，超出部分转T+1 D+0 quota exceeded: excess settles T+1")
        let policy = try self.policy(m)
        let all = try SettlementExpectation.computeAll(txns, policy: policy, calendar: cn())
        return Evidence(transaction: txns[5], expectation: all[5], payouts: [.init(payout: p, items: items)], payoutTransactions: [txns[5]],
                        holds: [h], accountEvents: try events(m), merchant: try merchant(m), policy: policy, otherLatePayoutsSameDay: 0)
    }

    static func story9Records() throws -> ([Transaction], Evidence.PayoutEvidence) {
        let m = mainMID, ref = "LKLP-DEMO-09"
        let t1 = try txn(m, "LKL10003", batch: "000901", trace: "000901", rrn: "880000000901", auth: "902114", card: "625807******3307",
                         .credit, amount: "6000.00", fee: "36.00", at: "2026-11-20 11:40:02", payout: ref)
        let t2 = try txn(m, "LKL10003", batch: "000901", trace: "000902", rrn: "880000000902", auth: "902115", card: "625807******8150",
                         .credit, amount: "4000.00", fee: "24.00", at: "2026-11-20 13:05:51", payout: ref)
        let p = try payout(m, ref, cycle: "2026-11-23", expected: "9940.00", paid: "9940.00", .paid, arrival: "2026-11-23 09:00",
                           credited: "2026-11-23 10:02", bank: "B20261123000901")
        let items = [
            try item(m, ref, 1, .transaction, "6000.00", rrn: t1.rrn),
            try item(m, ref, 2, .transaction, "4000.00", rrn: t2.rrn),
            try item(m, ref, 3, .fee, "-60.00", note: "手续费 0.60% fees"),
        ]
        return ([t1, t2], .init(payout: p, items: items))
    }

    /// 9: a payout short of the swipes by exactly the fees (explained).
    static func story9() throws -> Evidence {
        let (txns, pe) = try story9Records()
        return try evidence(mainMID, subject: txns[0], txns: txns, payouts: [pe])
    }

    /// 9, the payout on its own.
    static func story9Payout() throws -> Evidence {
        let (txns, pe) = try story9Records()
        return try evidence(mainMID, subject: nil, txns: txns, payouts: [pe])
    }

    /// 10: a refund netted out of the same day's payout.
    static func story10(sale: Bool = false) throws -> Evidence {
        let m = mainMID, ref = "LKLP-DEMO-10"
        let s = try txn(m, "LKL10001", batch: "001001", trace: "001001", rrn: "880000001001", auth: "100231", card: "625807******7719",
                        .credit, amount: "4500.00", fee: "27.00", at: "2026-11-19 12:00:31", payout: ref)
        let r = try txn(m, "LKL10001", batch: "001001", trace: "001002", rrn: "880000001002", auth: "100232", card: "625807******7719",
                        .credit, .refund, amount: "-1200.00", fee: "0.00", at: "2026-11-19 16:45:10", payout: ref)
        let p = try payout(m, ref, cycle: "2026-11-20", expected: "3273.00", paid: "3273.00", .paid, arrival: "2026-11-20 09:00",
                           credited: "2026-11-20 10:11", bank: "B20261120001001")
        let items = [
            try item(m, ref, 1, .transaction, "4500.00", rrn: s.rrn),
            try item(m, ref, 2, .refund, "-1200.00", rrn: r.rrn, note: "退货 refund"),
            try item(m, ref, 3, .fee, "-27.00", note: "手续费 fees"),
        ]
        return try evidence(m, subject: sale ? s : r, txns: [s, r], payouts: [.init(payout: p, items: items)])
    }

    /// 11: a payout 200.00 short with nothing in the reports to explain it.
    static func story11() throws -> Evidence {
        let m = mainMID, ref = "LKLP-DEMO-11"
        let t = try txn(m, "LKL10002", batch: "001101", trace: "001101", rrn: "880000001101", auth: "318806", card: "625807******4410",
                        .credit, amount: "2680.00", fee: "16.08", at: "2026-11-18 15:33:20", payout: ref)
        let p = try payout(m, ref, cycle: "2026-11-19", expected: "2663.92", paid: "2463.92", .paid, arrival: "2026-11-19 09:00",
                           credited: "2026-11-19 10:09", bank: "B20261119001101")
        let items = [try item(m, ref, 1, .transaction, "2680.00", rrn: t.rrn), try item(m, ref, 2, .fee, "-16.08", note: "手续费 fees")]
        return try evidence(m, subject: t, txns: [t], payouts: [.init(payout: p, items: items)])
    }
}

/// Expects `actual` to equal `expected` as whole strings; on failure records a
/// line-by-line diff ("-" expected, "+" actual, each line fenced in "|").
func expectSameText(_ actual: String, _ expected: String, _ what: String = "text",
                    sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual != expected else { return }
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for i in 0..<max(e.count, a.count) {
        let el = i < e.count ? String(e[i]) : nil
        let al = i < a.count ? String(a[i]) : nil
        let n = String(repeating: " ", count: max(0, 4 - String(i + 1).count)) + String(i + 1)
        if el == al, let el {
            out.append("\(n)   |\(el)|")
        } else {
            if let el { out.append("\(n) - |\(el)|") }
            if let al { out.append("\(n) + |\(al)|") }
        }
    }
    Issue.record(Comment(rawValue: "\(what) differs:\n" + out.joined(separator: "\n")), sourceLocation: sourceLocation)
}
