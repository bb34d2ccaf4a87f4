import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import PayoutFormats
import Testing
@testable import PayoutStore

/// `EvidenceQueries.relatedPayouts`: the other payouts whose lines name an RRN of a
/// payout, in RRN order and, per RRN, in ref order, at most `limit`; read in chunks of
/// 500 RRNs.
@Suite struct RelatedPayoutsTests {
    static let mid = "898440358300001"

    /// Payout BIG with 1,200 sale lines (RRNs 700000000000 + n); payouts naming some of
    /// them: Z-LATE names the 1,150th (in the third chunk), M-MID the 600th and the 3rd,
    /// A-FIRST and B-FIRST the 3rd; OTHER-MID names the 3rd under another merchant.
    static func store() throws -> WritableStore {
        let store = try memoryStore()
        var payouts = "merchant_id,payout_ref,cycle_date,expected_amount,currency,status\n"
        var items = "merchant_id,payout_ref,line_no,item_kind,amount,currency,rrn\n"
        let rrn = { (n: Int) in String(700_000_000_000 + n) }
        payouts += "\(mid),BIG,2026-11-20,12000.00,CNY,scheduled\n"
        for n in 1...1_200 { items += "\(mid),BIG,\(n),transaction,10.00,CNY,\(rrn(n))\n" }
        for (ref, named) in [("Z-LATE", [1_150]), ("M-MID", [600, 3]), ("A-FIRST", [3]), ("B-FIRST", [3])] {
            payouts += "\(mid),\(ref),2026-11-21,\(named.count * 10).00,CNY,scheduled\n"
            for (i, n) in named.enumerated() { items += "\(mid),\(ref),\(i + 1),release,10.00,CNY,\(rrn(n))\n" }
        }
        payouts += "898440358300002,OTHER-MID,2026-11-21,10.00,CNY,scheduled\n"
        items += "898440358300002,OTHER-MID,1,release,10.00,CNY,\(rrn(3))\n"
        let options = ImportOptions(format: .canonical, timeZone: shanghai)
        _ = try store.importData(Data(payouts.utf8), name: "payouts.csv", options: options)
        _ = try store.importData(Data(items.utf8), name: "payout_items.csv", options: options)
        return store
    }

    @Test func relatedPayoutsComeInRRNOrderAcrossChunks() throws {
        let store = try Self.store()
        let refs = try store.reader.read { db -> [String] in
            let p = try #require(try EvidenceQueries.payout(db, merchantId: Self.mid, ref: "BIG"))
            let items = try EvidenceQueries.items(db, merchantId: Self.mid, ref: "BIG")
            #expect(items.count == 1_200)
            return try EvidenceQueries.relatedPayouts(db, p, items: items)
        }
        // RRN …003 first (its payouts by ref), then …600, then …1150; another merchant's never.
        #expect(refs == ["A-FIRST", "B-FIRST", "M-MID", "Z-LATE"])
    }

    @Test func theLimitKeepsTheFirstInThatOrder() throws {
        let store = try Self.store()
        let refs = try store.reader.read { db -> [String] in
            let p = try #require(try EvidenceQueries.payout(db, merchantId: Self.mid, ref: "BIG"))
            return try EvidenceQueries.relatedPayouts(db, p, items: try EvidenceQueries.items(db, merchantId: Self.mid, ref: "BIG"), limit: 2)
        }
        #expect(refs == ["A-FIRST", "B-FIRST"])
    }

    @Test func aSmallPayoutFindsTheBigOneNamingItsRRN() throws {
        let store = try Self.store()
        let refs = try store.reader.read { db -> [String] in
            let p = try #require(try EvidenceQueries.payout(db, merchantId: Self.mid, ref: "Z-LATE"))
            return try EvidenceQueries.relatedPayouts(db, p, items: try EvidenceQueries.items(db, merchantId: Self.mid, ref: "Z-LATE"))
        }
        #expect(refs == ["BIG"])
    }
}
