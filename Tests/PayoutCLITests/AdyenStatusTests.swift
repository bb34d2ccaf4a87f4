import PayoutTestSupport
import Foundation
import Testing

/// `status` over stores holding only a public Adyen settlement details report
/// (Tests/PayoutStoreTests/Fixtures/public/README.md names the sources).
@Suite struct AdyenStatusTests {
    static func publicFile(_ name: String) -> String { repoRoot + "/Tests/PayoutStoreTests/Fixtures/public/" + name }

    /// Imports `file` into a new store and returns `status --json` (exit code, JSON).
    static func status(of file: String) throws -> (Int32, [String: Any]) {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let imported = try run(["import", "--db", db, file], home: dir.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        let r = try run(["status", "--db", db, "--json"], home: dir.path)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
        return (r.status, json)
    }

    @Test func aPayoutThatEqualsItsRowsIsNothingShort() throws {
        let (code, json) = try Self.status(of: Self.publicFile("smashpig-settlement_detail_report_payment_cost.csv"))
        #expect(code == 0)
        #expect(json["problems"] as? Bool == false)
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary["short"] == 0)
        #expect((json["payouts"] as? [Any])?.isEmpty == true)
        #expect((json["short"] as? [String: Any] ?? [:]).isEmpty)
    }

    /// Both payouts of batch 1129 (USD and EUR) equal their rows: neither is listed as
    /// late, short or held.
    @Test func bothPayoutsOfATwoCurrencyBatchAreSettled() throws {
        let (_, json) = try Self.status(of: Self.publicFile("wikimedia-settlement_detail_report_batch_1129.csv"))
        let payouts = try #require(json["payouts"] as? [[String: Any]])
        #expect(payouts.isEmpty, "\(payouts)")
    }

    /// Batch 1129 pays sales charged in CAD, JPY and AUD out in USD: the merchant is booked
    /// USD, so they are settled by the USD payout, not money in another currency.
    @Test func salesChargedInAnotherCurrencyAreSettledByThePayoutOfTheirNetCurrency() throws {
        let (code, json) = try Self.status(of: Self.publicFile("wikimedia-settlement_detail_report_batch_1129.csv"))
        #expect(code == 0)
        #expect(json["problems"] as? Bool == false, "\(json)")
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary["otherCurrency"] == 0 && summary["short"] == 0 && summary["held"] == 0, "\(summary)")
        #expect((json["transactions"] as? [Any])?.isEmpty == true, "\(json["transactions"] ?? "")")
    }

    /// The deposit-correction batch sets 9.00 aside and gives 10.00 back, so nothing of it
    /// is held; what the file shows against its sale is that it books 0.76 net for a
    /// 10.00 sale with 0.24 fees, so the sale is short, not held.
    @Test func aBatchThatReleasesWhatItReservesHoldsNothing() throws {
        let (code, json) = try Self.status(of: Self.publicFile("wikimedia-settlement_detail_report_batch_2-deposit_correction.csv"))
        #expect(code == 1)
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary["held"] == 0 && summary["short"] == 1, "\(summary)")
        let txns = try #require(json["transactions"] as? [[String: Any]])
        #expect(txns.count == 1)
        #expect(txns.first?["rrn"] as? String == "5364893193133131")
        #expect(txns.first?["state"] as? String == "short")
        #expect(txns.first?["cause"] as? String != "RESERVE_HOLD")
        #expect(txns.first?["expectedNet"] as? String == "9.76")
    }
}
