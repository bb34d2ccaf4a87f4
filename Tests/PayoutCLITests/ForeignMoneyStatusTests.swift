import PayoutTestSupport
import Foundation
import Testing

/// Money the config is not the contract of (its `settlement.currency` is CNY; these
/// reports are in USD and EUR): fees come from the report, lateness from the
/// acquirer's own dates, and a sale no payout carries yet awaits the report.
///
/// Worked by hand before running:
/// - Stripe: charge ch_1 100.00 USD, fee 3.20 (the file's), net 96.80, in payout po_1
///   of 96.80 effective 2026-11-24 00:00 UTC. Owed 96.80, paid 96.80: settled, not
///   late (no contract says T+1 for USD money). A dispute reversal txn_2 of 45.50 with
///   no payout yet: awaiting report, 45.50 (its fee 0.00). Nothing short, exit 0.
/// - Adyen: one Settled row of 100.00 EUR with 2.80 fees (net 97.20) and a
///   MerchantPayout of 97.20 booked 2026-11-19 23:30 CET on cycle date 11-19: settled,
///   nothing short, not late (the day had not ended), exit 0.
@Suite struct ForeignMoneyStatusTests {
    static let stripe = """
        automatic_payout_id,automatic_payout_effective_at_utc,balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,source_id,charge_id,card_funding
        po_1,2026-11-24 00:00:00,txn_1,2026-11-20 04:00:00,usd,100.00,3.20,96.80,charge,ch_1,ch_1,credit
        ,,txn_2,2026-11-23 03:00:00,usd,45.50,0.00,45.50,dispute_reversal,du_2,ch_0,credit

        """

    static func statusJSON(_ file: String, dir: TempDir) throws -> (Int32, [String: Any], String) {
        let db = dir.path + "/s.sqlite"
        let imported = try run(["import", "--db", db, file], home: dir.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        let r = try run(["status", "--db", db, "--json", "--all-reports", "--at", "2026-12-01 12:00"], home: dir.path)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
        return (r.status, json, db)
    }

    @Test func aStripeChargeIsOwedItsReportedNetAndPendingBalanceAwaitsTheReport() throws {
        let dir = TempDir()
        let file = dir.file("stripe.csv", Self.stripe)
        let (code, json, db) = try Self.statusJSON(file, dir: dir)
        #expect(code == 0)
        #expect(json["schema"] as? String == "payoutmon.status/1")
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary["short"] == 0 && summary["late"] == 0)
        #expect(summary["awaitingReport"] == 1)
        #expect((json["awaitingReport"] as? [String: String])?["USD"] == "45.50")
        #expect((json["arrivedLate"] as? [Any])?.isEmpty == true)
        #expect((json["transactions"] as? [Any])?.isEmpty == true)
        // The charge's note: settled to the cent, nothing asked of Stripe.
        let note = try run(["note", "--db", db, "--rrn", "ch_1", "--lang", "en", "--format", "txt", "--out", dir.path + "/"], home: dir.path)
        #expect(note.status == 0, "\(note.stderr)")
        let text = try String(contentsOfFile: note.stdout.trimmingCharacters(in: .whitespacesAndNewlines), encoding: .utf8)
        #expect(text.contains("no dispute needed"))
        #expect(text.contains("96.80"))
        #expect(!text.contains("Our request"))
    }

    @Test func anAdyenSaleIsOwedItsReportedNet() throws {
        let dir = TempDir()
        let classic = try String(contentsOfFile: repoRoot + "/Tests/PayoutStoreTests/Fixtures/adyen-sdr-classic.csv", encoding: .utf8)
        let lines = classic.split(separator: "\n", omittingEmptySubsequences: false)
        let text = lines[0] + "\n" + lines[1] + "\n"
            + "WeidaoCompany,WeidaoEU,,,,2026-11-19 23:30:00,CET,MerchantPayout,TX4212345678XT,EUR,,,,EUR,97.20,,,,,,,,42,,,,,,,\n"
        let (code, json, _) = try Self.statusJSON(dir.file("adyen.csv", text), dir: dir)
        #expect(code == 0)
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary["short"] == 0 && summary["late"] == 0 && summary["transactions"] == 1)
        #expect((json["payouts"] as? [Any])?.isEmpty == true)
        // Paid out at 23:30 CET on its cycle date (06:30 the next day in the config's
        // Asia/Shanghai): on time, as no contract puts a credit window on EUR money.
        #expect((json["arrivedLate"] as? [Any])?.isEmpty == true)
    }
}
