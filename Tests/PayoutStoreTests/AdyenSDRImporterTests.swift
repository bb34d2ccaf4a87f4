import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import Testing
@testable import PayoutStore

@Suite struct AdyenSDRImporterTests {
    @Test func classicThirtyColumnReport() throws {
        let store = try memoryStore()
        let s = try store.importFile(atPath: fixture("adyen-sdr-classic.csv"), options: importOptions)
        #expect(s.format == .adyenSdr)
        #expect(s.rows == 10)
        let payout = try store.writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM payout") }
        #expect(payout?["merchantId"] == "WeidaoEU")
        #expect(payout?["ref"] == "batch-42")
        #expect(payout?["expectedMinor"] == 35_130 as Int64)
        #expect(payout?["paidMinor"] == 35_130 as Int64)
        #expect(payout?["currency"] == "EUR")
        #expect(payout?["status"] == "paid")
        #expect(payout?["bankRef"] == "TX4212345678XT")
        // 2026-11-19 02:00 CET is 2026-11-19 09:00 in Shanghai.
        #expect(payout?["cycleDate"] == "2026-11-19")
        #expect(payout?["creditedAt"] == InstantParser.parse("2026-11-19T01:00:00Z", zone: shanghai)!.epochMillis)
        // The batch invariant, as stored: the items sum to the payout.
        #expect(try fetchInt(store, "SELECT SUM(amountMinor) FROM payoutItem WHERE payoutRef = 'batch-42'") == 35_130)
        let kinds = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, SUM(amountMinor) AS total FROM payoutItem GROUP BY kind ORDER BY kind")
                .map { "\($0["kind"] as String):\($0["total"] as Int64)" }
        }
        #expect(kinds == ["chargeback:0", "fee:-2870", "refund:-3000", "reserve:-2000", "transaction:43000"])
        // Settled and Refunded rows are transactions of the batch's payout.
        let txns = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, amountMinor, feeMinor, rrn, traceNo, cardKind, payoutRef, batchNo FROM txn ORDER BY traceNo")
        }
        #expect(txns.count == 4)
        #expect(txns.map { $0["amountMinor"] as Int64 } == [10_000, 25_000, 8_000, -3_000])
        #expect(txns.map { $0["feeMinor"] as Int64? } == [280, 625, 240, nil])
        #expect(txns.map { $0["cardKind"] as String } == ["credit", "debit", "credit", "credit"])
        #expect(txns.allSatisfy { $0["payoutRef"] == "batch-42" && $0["batchNo"] == "42" })
        #expect(txns[3]["rrn"] == "8816000000000001" && txns[3]["traceNo"] == "8816000000000104")
        #expect(try fetchInt(store, "SELECT occurredAt FROM txn WHERE traceNo = '8816000000000101'")
                == InstantParser.parse("2026-11-16T09:00:00Z", zone: shanghai)!.epochMillis)
        #expect(try store.importFile(atPath: fixture("adyen-sdr-classic.csv"), options: importOptions).alreadyImported)
    }

    @Test func newerReportWithBookingDateAndReorderedColumns() throws {
        let store = try memoryStore()
        let s = try store.importFile(atPath: fixture("adyen-sdr-booking.csv"), options: importOptions)
        #expect(s.format == .adyenSdr)
        let payout = try store.writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM payout") }
        #expect(payout?["ref"] == "batch-43")
        #expect(payout?["expectedMinor"] == 138_450 as Int64)
        #expect(payout?["currency"] == "HKD")
        #expect(payout?["creditedAt"] == InstantParser.parse("2026-11-21T01:30:00Z", zone: shanghai)!.epochMillis)
        #expect(try fetchInt(store, "SELECT SUM(amountMinor) FROM payoutItem") == 138_450)
        #expect(try fetchInt(store, "SELECT amountMinor FROM payoutItem WHERE kind = 'carryOver'") == 1_200)
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn") == 3)
        #expect(try fetchInt(store, "SELECT amountMinor FROM txn WHERE kind = 'refund'") == -10_000)
    }

    static let classic = try! String(contentsOfFile: fixture("adyen-sdr-classic.csv"), encoding: .utf8)

    static func edited(_ f: (inout [String]) -> Void) -> String {
        var lines = classic.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        f(&lines)
        return lines.joined(separator: "\n")
    }

    @Test func aBatchThatDoesNotAddUpIsRefusedNamingTheBatch() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let text = Self.edited { $0[10] = $0[10].replacingOccurrences(of: "351.30", with: "350.30") }
        let path = dir.file("mismatch.csv", text)
        #expect(importError(store, path)
                == "\(path):11: batch 42: the rows sum to 351.30 EUR but its MerchantPayout (line 11) is 350.30")
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    @Test func aTruncatedReportIsRefused() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("cut.csv", Self.edited { $0.removeLast(2) })
        #expect(importError(store, path) == "\(path):2: batch 42 has no MerchantPayout row and its rows sum to 351.30 EUR (a truncated file?)")
        let mid = dir.file("mid.csv", String(Self.classic.prefix(900)))
        #expect(importError(store, mid).hasPrefix("\(mid):"))
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    @Test func aCurrencyMismatchInsideABatchIsRefused() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("cur.csv", Self.edited { $0[3] = $0[3].replacingOccurrences(of: ",EUR,", with: ",USD,") })
        #expect(importError(store, path) == "\(path):4: column Net Currency: batch 42 mixes currencies: USD here, EUR at line 2")
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    @Test func aRepeatedBookingIsRefused() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("dup.csv", Self.edited { $0.insert($0[5], at: 6) })
        #expect(importError(store, path).hasPrefix("\(path):7: repeats line 6 (same type, Psp Reference and Modification Reference in batch 42)"))
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    /// A row whose error comes at write time (its transaction clashes with another row's
    /// in the same batch) would leave its batch part-stored under --skip-bad: the file is
    /// refused instead, and nothing of it is stored.
    @Test func skipBadRefusesAFileWhoseBatchWouldBePartStored() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let batch43 = """
            WeidaoCompany,WeidaoEU,8816000000000201,order-2001,visa,2026-11-19 10:00:00,CET,Settled,8816000000000301,EUR,,50.00,1,EUR,,48.50,1.50,,,,visaclassic,,43,,,,,,,
            WeidaoCompany,WeidaoEU,8816000000000201,order-2001,visa,2026-11-19 10:00:00,CET,SettledBulk,8816000000000301,EUR,,60.00,1,EUR,,58.50,1.50,,,,visaclassic,,43,,,,,,,
            WeidaoCompany,WeidaoEU,,,,2026-11-20 02:00:00,CET,MerchantPayout,TX4312345678XT,EUR,,,,EUR,107.00,,,,,,,,43,,,,,,,
            """
        let path = dir.file("clash.csv", Self.edited { _ in } + batch43 + "\n")
        var options = importOptions
        options.skipBad = true
        var thrown: (any Error)?
        do { _ = try store.importFile(atPath: path, options: options) } catch { thrown = error }
        #expect("\(thrown.map { "\($0)" } ?? "no error")".contains("part of the row was already written"))
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    @Test func skipBadKeepsGoodBatchesAndSetsTheBadOneAside() throws {
        let dir = TempDir()
        let store = try memoryStore()
        // Batch 42 broken by a bad amount; batch 43 (same merchant account) is fine.
        let batch43 = """
            WeidaoCompany,WeidaoEU,8816000000000201,order-2001,visa,2026-11-19 10:00:00,CET,Settled,8816000000000301,EUR,,50.00,1,EUR,,48.50,1.50,,,,visaclassic,,43,,,,,,,
            WeidaoCompany,WeidaoEU,,,,2026-11-20 02:00:00,CET,MerchantPayout,TX4312345678XT,EUR,,,,EUR,48.50,,,,,,,,43,,,,,,,
            """
        let text = Self.edited { $0[2] = $0[2].replacingOccurrences(of: "243.75", with: "2x3.75") } + batch43 + "\n"
        let path = dir.file("mixed.csv", text)
        var options = importOptions
        options.skipBad = true
        let s = try store.importFile(atPath: path, options: options)
        #expect(s.rows == 12)
        #expect(s.rejected.count == 10)
        #expect(s.rejected.contains { $0.description == "\(path):3: column Net Credit (NC): \"2x3.75\" is not a number" })
        #expect(s.rejected.filter { $0.line != 3 }.allSatisfy { $0.reason == "not imported: batch 42 has a bad row at line 3" })
        #expect(try fetchString(store, "SELECT group_concat(ref) FROM payout") == "batch-43")
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM payoutItem WHERE payoutRef = 'batch-42'") == 0)
        let rejects = try String(contentsOfFile: dir.path + "/mixed.rejects.csv", encoding: .utf8)
        let lines = rejects.split(separator: "\n")
        #expect(lines.count == 11)
        #expect(lines[0].hasPrefix("rejected_line,rejected_reason,Company Account,Merchant Account,"))
        #expect(lines[1].hasPrefix("2,not imported: batch 42 has a bad row at line 3,WeidaoCompany"))
        #expect(lines[2].hasPrefix("3,\"column Net Credit (NC): \"\"2x3.75\"\" is not a number\",WeidaoCompany,WeidaoEU,8816000000000002"))
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path + "/mixed.rejects.csv")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
