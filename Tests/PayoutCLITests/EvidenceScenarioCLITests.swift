import PayoutTestSupport
import Foundation
import PayoutDemo
import Testing

/// The scenarios of `EvidenceScenario` (their answers, worked out by hand, are in their
/// comments) through the real program: `import`, `status --json --at`, and the notes.
@Suite struct EvidenceScenarioCLITests {
    /// A store of the scenario's files, imported by `payoutmon import`.
    func store(_ s: EvidenceScenario, _ dir: TempDir) throws -> String {
        let db = dir.path + "/s.sqlite"
        let r = try run(["import", "--db", db] + s.write(to: dir), home: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        return db
    }

    func status(_ db: String, at: String, _ dir: TempDir) throws -> (RunResult, [String: Any]) {
        let r = try run(["status", "--db", db, "--json", "--all-reports", "--at", at], home: dir.path)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)\(r.stderr)")
        return (r, json)
    }

    func note(_ db: String, _ args: [String], _ dir: TempDir) throws -> String {
        let out = TempDir()
        let r = try run(["note", "--db", db, "--lang", "en", "--out", out.path] + args, home: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        return try String(contentsOfFile: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), encoding: .utf8)
    }

    func transaction(_ json: [String: Any], _ rrn: String) -> [String: Any]? {
        (json["transactions"] as? [[String: Any]])?.first { $0["rrn"] as? String == rrn }
    }

    @Test func aTransactionExportAloneAwaitsReportsAndExitsZero() throws {
        let s = EvidenceScenario.transactionExportOnly
        let dir = TempDir()
        let db = try store(s, dir)
        let (r, json) = try status(db, at: s.now, dir)
        #expect(r.status == 0, "\(r.stdout)")
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary["awaitingReport"] == 3 && summary["late"] == 0 && summary["pending"] == 0)
        #expect(json["awaitingReport"] as? [String: String] == ["CNY": "2982.00"])
        #expect((json["outstanding"] as? [String: String])?.isEmpty == true)
        #expect(json["reportsThrough"] == nil)
        #expect(json["problems"] as? Bool == false)
        let text = try run(["status", "--db", db, "--all-reports", "--at", s.now], home: dir.path)
        #expect(text.status == 0)
        #expect(text.stdout.contains("awaiting report 3"), "\(text.stdout)")
        #expect(text.stdout.contains("awaiting report: 2,982.00 CNY, no settlement report imported: not late, not counted as still to arrive"))
        #expect(!text.stdout.contains("still to arrive:"))
        let n = try note(db, ["--rrn", EvidenceScenario.rrn(1)], dir)
        #expect(n.contains("No settlement report covering the day it settles on has been imported yet"), "\(n)")
        #expect(!n.contains("late since"))
    }

    @Test func aCoveredDayWithoutTheRRNIsLateUnexplained() throws {
        let s = EvidenceScenario.coveredButMissing
        let dir = TempDir()
        let db = try store(s, dir)
        let (r, json) = try status(db, at: s.now, dir)
        #expect(r.status == 1)
        let t = try #require(transaction(json, EvidenceScenario.rrn(12)))
        #expect(t["state"] as? String == "late")
        #expect(t["cause"] as? String == "UNEXPLAINED")
        #expect(json["reportsThrough"] as? String == "2026-11-24")
        let n = try note(db, ["--rrn", EvidenceScenario.rrn(12)], dir)
        #expect(n.contains("settlement reports through 2026-11-24 cover 2026-11-24; none carries RRN \(EvidenceScenario.rrn(12))"), "\(n)")
        #expect(n.contains("Tell us which payout carries RRN \(EvidenceScenario.rrn(12))"))
    }

    @Test func aFeeOverTheContractIsADispute() throws {
        let s = EvidenceScenario.feeOverContract
        let dir = TempDir()
        let db = try store(s, dir)
        let n = try note(db, ["--payout", "LKLP-S-21"], dir)
        #expect(n.contains("charged 78.00; the contract gives 60.00 for its 2 sale(s): 18.00 over"), "\(n)")
        #expect(n.contains("Refund the 18.00 CNY charged over the contracted fee"))
        #expect(!n.contains("No dispute is needed"))
        // Each sale's note asks for its share by gross: 18.00 × 5,000 / 10,000 = 9.00.
        let sale = try note(db, ["--rrn", EvidenceScenario.rrn(21)], dir)
        #expect(sale.contains("this sale's share of the 18.00 over, by gross: 9.00"), "\(sale)")
        #expect(sale.contains("Refund the 9.00 CNY charged over the contracted fee"))
        #expect(!sale.contains("No dispute is needed"))
        // `status` tells the same: the payout and both sales short, 18.00 in all.
        let (r, json) = try status(db, at: s.now, dir)
        #expect(r.status == 1, "\(r.stdout)")
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary["short"] == 2 && summary["late"] == 0)
        #expect(json["short"] as? [String: String] == ["CNY": "18.00"])
        for n in [21, 22] {
            let t = try #require(transaction(json, EvidenceScenario.rrn(n)))
            #expect(t["state"] as? String == "short" && t["cause"] as? String == "FEE_DEDUCTION", "\(t)")
            #expect(t["expectedNet"] as? String == "4970.00" && t["received"] as? String == "4961.00", "\(t)")
        }
        let p = try #require((json["payouts"] as? [[String: Any]])?.first { $0["payoutRef"] as? String == "LKLP-S-21" })
        #expect(p["state"] as? String == "short" && p["cause"] as? String == "FEE_DEDUCTION", "\(p)")
        let text = try run(["status", "--db", db, "--all-reports", "--at", s.now], home: dir.path)
        #expect(text.stdout.contains("short: 18.00 CNY"), "\(text.stdout)")
        #expect(text.stdout.contains("short    FEE_DEDUCTION payout LKLP-S-21"))
        #expect(text.stdout.contains("short    FEE_DEDUCTION rrn \(EvidenceScenario.rrn(21))"))
        #expect(n.contains("9,940.00") && n.contains("9,922.00"), "\(n)")
    }

    @Test func aPayoutInAnotherCurrencyIsNeitherShortNorMissing() throws {
        let s = EvidenceScenario.otherCurrency
        let dir = TempDir()
        let db = try store(s, dir)
        let (r, json) = try status(db, at: s.now, dir)
        #expect(r.status == 1)
        let t = try #require(transaction(json, EvidenceScenario.rrn(31)))
        #expect(t["state"] as? String == "other-currency")
        #expect(t["cause"] as? String == "CURRENCY_MISMATCH")
        #expect((json["summary"] as? [String: Int])?["short"] == 0)
        let n = try note(db, ["--rrn", EvidenceScenario.rrn(31)], dir)
        #expect(n.contains("payout LKLP-S-31 is in HKD: credited HKD 1,085.00 on 2026-11-24"), "\(n)")
        #expect(n.contains("CNY 1,000.00"))
        #expect(n.contains("Tell us the exchange rate applied to payout LKLP-S-31"))
        #expect(!n.contains("no payout in the reports carries"))
    }

    @Test func aDateBeyondTheCalendarDataIsFlaggedAndAtWarns() throws {
        let s = EvidenceScenario.beyondCalendar
        let dir = TempDir()
        let db = try store(s, dir)
        let (r, json) = try status(db, at: s.now, dir)
        #expect(r.status == 0, "\(r.stdout)")
        #expect((json["summary"] as? [String: Int])?["noHolidayData"] == 1)
        let calendar = try #require(json["calendar"] as? [String: Any])
        #expect(calendar["noHolidayDataYears"] as? [Int] == [2027])
        #expect(calendar["holidayDataYears"] as? [Int] == [2024, 2025, 2026])
        let warnings = try #require(json["warnings"] as? [String])
        #expect(warnings.contains { $0.hasPrefix("2027-01-05 is beyond the holiday data of calendar cn (2024-2026)") }, "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("1 open transaction(s) expected in 2027") })
        let text = try run(["status", "--db", db, "--all-reports", "--at", s.now], home: dir.path)
        #expect(text.stdout.contains("warning: 2027-01-05 is beyond the holiday data of calendar cn (2024-2026)"), "\(text.stdout)")
        // The note gives the date with its flag, and claims no credit that did not happen.
        let n = try note(db, ["--rrn", EvidenceScenario.rrn(41)], dir)
        #expect(n.contains("no holiday data for 2027: assuming weekends and the fixed-date holidays (1 Jan, 1 May, 1-3 Oct) only"), "\(n)")
        #expect(n.contains("T+1 -> next working day 2027-01-04 (New Year's Day 2027-01-01"))
        #expect(!n.contains("the money arrived"))
        // Inside the data: no warning about the evaluation date.
        let (_, inside) = try status(db, at: "2026-12-31 12:00", dir)
        #expect((inside["warnings"] as? [String])?.contains { $0.hasPrefix("2026-12-31 is beyond") } == false)
    }

    /// Demo story 6 keeps its cause, and its "account closed" return is noticed to
    /// contradict the payouts the same account received before and after it.
    @Test func demoStory6IsFlaggedAsInconsistent() throws {
        let f = DemoFixture.shared
        let n = try note(f.db, ["--payout", DemoStories.payoutRef(6)], f.dir)
        #expect(n.contains("BANK_PROCESSING"), "\(n)")
        #expect(n.contains("inconsistent: the bank returned payout \(DemoStories.payoutRef(6)) as account closed, yet payout "), "\(n)")
        #expect(n.contains("; before it, payout "))
        #expect(n.contains("Payout \(DemoStories.payoutRef(6)) was returned as \"account closed\", but payout "))
    }

    @Test func aReturnContradictedByLaterCreditsIsFlaggedInTheNote() throws {
        let s = EvidenceScenario.closedButCredited
        let dir = TempDir()
        let db = try store(s, dir)
        let (r, json) = try status(db, at: s.now, dir)
        #expect(r.status == 1)
        #expect(transaction(json, EvidenceScenario.rrn(51))?["cause"] as? String == "BANK_PROCESSING")
        let n = try note(db, ["--payout", "LKLP-S-51"], dir)
        #expect(n.contains("inconsistent: the bank returned payout LKLP-S-51 as account closed, yet payout LKLP-S-52 (994.00) was credited on 2026-11-25"), "\(n)")
        #expect(n.contains("Payout LKLP-S-51 was returned as \"account closed\", but payout LKLP-S-52 was credited to the same account on 2026-11-25"))
    }
}
