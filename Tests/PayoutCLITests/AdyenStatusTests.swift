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
}
