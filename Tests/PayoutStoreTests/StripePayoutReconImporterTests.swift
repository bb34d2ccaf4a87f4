import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import Testing
@testable import PayoutStore

@Suite struct StripePayoutReconImporterTests {
    static let text = try! String(contentsOfFile: fixture("stripe-payout-recon.csv"), encoding: .utf8)

    @Test func itemizedPayoutReconciliation() throws {
        let store = try memoryStore()
        var options = importOptions
        options.merchantId = "acct_weidao"
        let s = try store.importFile(atPath: fixture("stripe-payout-recon.csv"), options: options)
        #expect(s.format == .stripePayoutRecon)
        #expect(s.rows == 7)
        let payouts = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT ref, expectedMinor, paidMinor, currency, status, cycleDate, creditedAt, merchantId FROM payout ORDER BY ref")
        }
        #expect(payouts.map { $0["ref"] as String } == ["po_1QaA11", "po_2QbB22"])
        #expect(payouts.map { $0["expectedMinor"] as Int64 } == [5_818, 19_390])
        #expect(payouts.allSatisfy { $0["status"] == "paid" && $0["currency"] == "USD" && $0["merchantId"] == "acct_weidao" })
        // Effective at local midnight in the merchant's zone.
        #expect(payouts[0]["cycleDate"] == "2026-11-23")
        #expect(payouts[0]["creditedAt"] == InstantParser.parse("2026-11-23 00:00:00", zone: shanghai)!.epochMillis)
        // Items sum to their payout; charge rows at gross with their fee apart.
        #expect(try fetchInt(store, "SELECT SUM(amountMinor) FROM payoutItem WHERE payoutRef = 'po_1QaA11'") == 5_818)
        let items = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, amountMinor FROM payoutItem WHERE payoutRef = 'po_1QaA11' ORDER BY lineNo")
                .map { "\($0["kind"] as String):\($0["amountMinor"] as Int64)" }
        }
        #expect(items == ["transaction:10000", "fee:-320", "transaction:4550", "fee:-162", "refund:-2000", "chargeback:-4550", "fee:-1500", "fee:-200"])
        // Charges and refunds are transactions; the row without a payout is pending.
        let txns = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT traceNo, rrn, kind, amountMinor, feeMinor, cardKind, payoutRef, occurredAt FROM txn ORDER BY traceNo")
        }
        #expect(txns.map { $0["traceNo"] as String } == ["txn_3QaA0001", "txn_3QaA0002", "txn_3QaA0003", "txn_3QbB0006", "txn_3QcC0007"])
        #expect(txns.map { $0["amountMinor"] as Int64 } == [10_000, 4_550, -2_000, 20_000, 3_000])
        #expect(txns.map { $0["cardKind"] as String } == ["credit", "debit", "credit", "credit", "debit"])
        #expect(txns[2]["rrn"] == "ch_3QaA0001")
        #expect(txns[4]["payoutRef"] == nil as String?)
        #expect(txns[0]["occurredAt"] == InstantParser.parse("2026-11-20T04:18:05Z", zone: shanghai)!.epochMillis)
    }

    @Test func aPendingTransactionIsTiedToItsPayoutLater() throws {
        let dir = TempDir()
        let store = try memoryStore()
        _ = try store.importFile(atPath: fixture("stripe-payout-recon.csv"), options: importOptions)
        let header = Self.text.prefix { $0 != "\n" }
        let later = String(header) + "\npo_3QcC33,2026-11-26 00:00:00,txn_3QcC0007,2026-11-23 02:30:00,2026-11-23 10:30:00,2026-11-25 00:00:00,2026-11-25 08:00:00,usd,30.00,1.17,28.83,charge,ch_3QcC0007,Coffee,30.00,usd,cus_004,,ch_3QcC0007,pi_3QcC0007,2026-11-23 10:30:00,visa,debit,US,card,A-1004,2\n"
        let s = try store.importFile(atPath: dir.file("later.csv", later), options: importOptions)
        #expect(s.counts["transactions"]?.updated == 1)
        #expect(s.counts["transactions"]?.inserted == 0)
        #expect(try fetchString(store, "SELECT payoutRef FROM txn WHERE traceNo = 'txn_3QcC0007'") == "po_3QcC33")
        #expect(try fetchInt(store, "SELECT expectedMinor FROM payout WHERE ref = 'po_3QcC33'") == 2_883)
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn") == 5)
    }

    static func edited(_ f: (inout [String]) -> Void) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        f(&lines)
        return lines.joined(separator: "\n")
    }

    static let broken: [(String, Int, @Sendable (inout [String]) -> Void, String)] = [
        ("net.csv", 2, { (l: inout [String]) in l[1] = l[1].replacingOccurrences(of: ",96.80,", with: ",96.81,") },
         "2: column net: 96.81 is not gross 100.00 less fee 3.20"),
        ("cur.csv", 3, { (l: inout [String]) in l[2] = l[2].replacingOccurrences(of: ",usd,", with: ",eur,") },
         "3: column currency: payout po_1QaA11 mixes currencies: EUR here, USD at line 2"),
        ("dup.csv", 3, { (l: inout [String]) in l.insert(l[1], at: 2) },
         "3: column balance_transaction_id: txn_3QaA0001 repeats line 2; a report lists each balance transaction once"),
        ("gross.csv", 4, { (l: inout [String]) in l[3] = l[3].replacingOccurrences(of: ",-20.00,0.00,-20.00,", with: ",minus twenty,0.00,-20.00,") },
         "4: column gross: \"minus twenty\" is not a number"),
        ("cols.csv", 1, { (l: inout [String]) in l[0] = l[0].replacingOccurrences(of: ",fee,", with: ",fees,") },
         "1: a Stripe payout reconciliation report needs column fee"),
    ]

    @Test(arguments: broken.indices)
    func badRowsAreRefusedAndTheStoreIsUnchanged(index: Int) throws {
        let (name, _, edit, message) = Self.broken[index]
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file(name, Self.edited(edit))
        var options = importOptions
        if name == "cols.csv" { options.format = .stripePayoutRecon }
        let error = importError(store, path, options)
        #expect(error.hasPrefix("\(path):\(message)"), "\(error)")
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    @Test func metadataAndUnknownColumnsAreIgnored() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let text = Self.edited { lines in
            lines[0] += ",payment_metadata[note],transfer_metadata[x],new_column_2027"
            for i in 1..<8 { lines[i] += ",\"a, b\",,x" }
        }
        let s = try store.importFile(atPath: dir.file("extra.csv", text), options: importOptions)
        #expect(s.rows == 7)
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn") == 5)
    }
}
