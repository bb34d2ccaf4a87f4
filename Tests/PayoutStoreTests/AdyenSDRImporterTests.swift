import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
@testable import PayoutFormats
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
        #expect(payout?["ref"] == "batch-42-EUR")
        #expect(payout?["expectedMinor"] == 35_130 as Int64)
        #expect(payout?["paidMinor"] == 35_130 as Int64)
        #expect(payout?["currency"] == "EUR")
        #expect(payout?["status"] == "paid")
        #expect(payout?["bankRef"] == "TX4212345678XT")
        // 2026-11-19 02:00 CET is 2026-11-19 09:00 in Shanghai.
        #expect(payout?["cycleDate"] == "2026-11-19")
        #expect(payout?["creditedAt"] == InstantParser.parse("2026-11-19T01:00:00Z", zone: shanghai)!.epochMillis)
        // The batch invariant, as stored: the items sum to the payout.
        #expect(try fetchInt(store, "SELECT SUM(amountMinor) FROM payoutItem WHERE payoutRef = 'batch-42-EUR'") == 35_130)
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
        #expect(txns.allSatisfy { $0["payoutRef"] == "batch-42-EUR" && $0["batchNo"] == "42" })
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
        #expect(payout?["ref"] == "batch-43-HKD")
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
                == "\(path):11: batch 42 EUR does not balance: carried in 0.00 + rows 351.30 - MerchantPayout 350.30 (line 11) leaves 1.00, but the batch carries out 0.00")
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    @Test func aTruncatedReportIsRefused() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("cut.csv", Self.edited { $0.removeLast(2) })
        #expect(importError(store, path) == "\(path):2: batch 42 EUR does not balance: carried in 0.00 + rows 351.30 leaves 351.30 with no MerchantPayout row, but the batch carries out 0.00 (a truncated file?)")
        let mid = dir.file("mid.csv", String(Self.classic.prefix(900)))
        #expect(importError(store, mid).hasPrefix("\(mid):"))
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    /// Adyen pays a batch out per net currency: a row in another currency belongs to
    /// that currency's payout, so taking one out of the EUR payout unbalances it.
    @Test func aRowInAnotherNetCurrencyLeavesItsBatchUnbalanced() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("cur.csv", Self.edited { $0[3] = $0[3].replacingOccurrences(of: ",EUR,", with: ",USD,") })
        #expect(importError(store, path)
                == "\(path):11: batch 42 EUR does not balance: carried in 0.00 + rows 273.70 - MerchantPayout 351.30 (line 11) leaves -77.60, but the batch carries out 0.00")
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    @Test func aRepeatedBookingIsRefused() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("dup.csv", Self.edited { $0.insert($0[5], at: 6) })
        #expect(importError(store, path).hasPrefix("\(path):7: repeats line 6 (same type, Psp Reference, Modification Reference, dates and amounts in batch 42)"))
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
        #expect(try fetchString(store, "SELECT group_concat(ref) FROM payout") == "batch-43-EUR")
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM payoutItem WHERE payoutRef = 'batch-42-EUR'") == 0)
        let rejects = try String(contentsOfFile: dir.path + "/mixed.rejects.csv", encoding: .utf8)
        let lines = rejects.split(separator: "\n")
        #expect(lines.count == 11)
        #expect(lines[0].hasPrefix("rejected_line,rejected_reason,Company Account,Merchant Account,"))
        #expect(lines[1].hasPrefix("2,not imported: batch 42 has a bad row at line 3,WeidaoCompany"))
        #expect(lines[2].hasPrefix("3,\"column Net Credit (NC): \"\"2x3.75\"\" is not a number\",WeidaoCompany,WeidaoEU,8816000000000002"))
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path + "/mixed.rejects.csv")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    // MARK: - Public samples (Tests/PayoutStoreTests/Fixtures/public/README.md names their sources)

    /// The payouts stored, as "ref currency expected cycleDate", and for each the sum of
    /// its items, which must equal its amount.
    static func payouts(_ store: PayoutStore) throws -> [String] {
        try store.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.merchantId, p.ref, p.currency, p.expectedMinor, p.cycleDate,
                       (SELECT SUM(i.amountMinor) FROM payoutItem i WHERE i.merchantId = p.merchantId AND i.payoutRef = p.ref) AS items
                FROM payout p ORDER BY p.merchantId, p.ref
                """).map { r in
                let expected: Int64 = r["expectedMinor"], items: Int64? = r["items"]
                return "\(r["merchantId"] as String) \(r["ref"] as String) \(r["currency"] as String) \(expected) \(r["cycleDate"] as String)"
                    + (items == expected ? "" : " items \(items.map(String.init) ?? "none")")
            }
        }
    }

    /// The file lines that became payout items (a row may make two: its gross and its fees).
    static func itemLines(_ store: PayoutStore) throws -> [Int] {
        try store.reader.read { db in try Int.fetchAll(db, sql: "SELECT DISTINCT line FROM payoutItem ORDER BY line") }
    }

    @Test func publicBatchPaidOutInTwoCurrenciesBalancesToTheCent() throws {
        let store = try memoryStore()
        let s = try store.importFile(atPath: fixture("public/wikimedia-settlement_detail_report_batch_1129.csv"), options: importOptions)
        #expect(s.format == .adyenSdr)
        #expect(s.rows == 18)
        #expect(s.rejected.isEmpty)
        #expect(s.warningCount == 0, "\(s.warnings)")
        // One payout per net currency, each the file's MerchantPayout, its items summing to
        // it; the cycle date is the report's 2025-09-25 (15:17 PDT), not Shanghai's 26th.
        #expect(try Self.payouts(store) == ["WikimediaDonations batch-1129-EUR EUR 2851 2025-09-25",
                                            "WikimediaDonations batch-1129-USD USD 3782 2025-09-25"])
        #expect(try fetchString(store, "SELECT bankRef FROM payout WHERE ref = 'batch-1129-USD'") == "TX53913667600XT batch 1129, WikimediaDonations")
        // Every row is accounted for: the 16 bookings as items, the two MerchantPayouts as payouts.
        #expect(try Self.itemLines(store) == Array(2...17))
        #expect(try fetchString(store, "SELECT group_concat(line) FROM (SELECT line FROM payout ORDER BY line)") == "18,19")
        let kinds = try store.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT currency, kind, SUM(amountMinor) AS total FROM payoutItem GROUP BY 1, 2 ORDER BY 1, 2")
                .map { "\($0["currency"] as String) \($0["kind"] as String) \($0["total"] as Int64)" }
        }
        #expect(kinds == ["EUR chargeback -1024", "EUR fee -1125", "EUR transaction 5000",
                          "USD chargeback -10430", "USD fee -9189", "USD refund -335", "USD transaction 23736"])
        // The Settled rows and the (lower-case) refunded row are transactions. Those charged
        // in the net currency at their gross; those charged in CAD, JPY and AUD and paid
        // out in USD at what the merchant is booked in USD, net + fees: 36.57 + 0.94,
        // 3.23 + 0.15 and 34.02 + 0.45, their fees the fees in USD.
        let txns = try store.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, amountMinor, feeMinor, currency, payoutRef FROM txn ORDER BY occurredAt, id")
                .map { "\($0["kind"] as String) \($0["amountMinor"] as Int64) fee \(($0["feeMinor"] as Int64?).map(String.init) ?? "-") \($0["currency"] as String) \($0["payoutRef"] as String)" }
        }
        #expect(txns == ["refund -335 fee - USD batch-1129-USD", "sale 3751 fee 94 USD batch-1129-USD", "sale 338 fee 15 USD batch-1129-USD",
                         "sale 3447 fee 45 USD batch-1129-USD", "sale 5000 fee 202 EUR batch-1129-EUR", "sale 16200 fee 103 USD batch-1129-USD"])
        // The shopper's currency and amount and the report's exchange rate are in the
        // sale's payout line.
        let notes = try store.reader.read { db in
            try String.fetchAll(db, sql: "SELECT note FROM payoutItem WHERE kind = 'transaction' AND note LIKE '%shopper%' ORDER BY line")
        }
        // A rate with more than 12 decimals is rounded in the note (its 15 decimals would
        // read as a card number to the masker every note goes through).
        #expect(notes == ["Settled 662722.1; shopper's currency CAD 52.00, exchange rate ≈0.721346153846, booked USD 37.51",
                          "Settled 662723.1; shopper's currency JPY 500, exchange rate 0.00676, booked USD 3.38",
                          "Settled 662724.1; shopper's currency AUD 52.00, exchange rate ≈0.662884615385, booked USD 34.47"])
    }

    @Test func aLongExchangeRateIsRoundedInTheNote() {
        #expect(AdyenSDRImporter.noteRate("0.00676") == "0.00676")
        #expect(AdyenSDRImporter.noteRate("1") == "1")
        #expect(AdyenSDRImporter.noteRate("0.6628846153846159") == "≈0.662884615385")
        #expect(AdyenSDRImporter.noteRate("0.9999999999995") == "≈1.000000000000")
        #expect(AdyenSDRImporter.noteRate(".9999999999995") == "≈1.000000000000")
        #expect(AdyenSDRImporter.noteRate("149.1234567890124") == "≈149.123456789012")
    }

    /// Worked by hand from batch 1129: each sale charged in another currency, its gross
    /// times the report's exchange rate, rounded to the cent, is the net + fees the
    /// report books in USD, so storing the booked USD loses nothing the file says.
    @Test func theExchangeRateTimesTheShoppersAmountIsWhatIsBooked() throws {
        let text = try String(contentsOfFile: fixture("public/wikimedia-settlement_detail_report_batch_1129.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let h = rows[0]
        func col(_ name: String) -> Int { h.firstIndex(of: name)! }
        var checked = 0
        for r in rows.dropFirst() where r[col("Type")] == "Settled" && r[col("Gross Currency")] != r[col("Net Currency")] {
            let gross = Decimal(string: r[col("Gross Credit (GC)")])!
            let rate = Decimal(string: r[col("Exchange Rate")])!
            var product = gross * rate, rounded = Decimal()
            NSDecimalRound(&rounded, &product, 2, .plain)
            let booked = Decimal(string: r[col("Net Credit (NC)")])! + Decimal(string: r[col("Commission (NC)")])!
            #expect(rounded == booked, "\(r[col("Psp Reference")])")
            checked += 1
        }
        #expect(checked == 3)
    }

    @Test func aSaleInAnotherCurrencyWithABadExchangeRateIsRefused() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let original = try String(contentsOfFile: fixture("public/wikimedia-settlement_detail_report_batch_1129.csv"), encoding: .utf8)
        let broken = original.replacingOccurrences(of: ",0.721346153846154,", with: ",0.72x,")
        #expect(broken != original)
        let path = dir.file("rate.csv", broken)
        var refused: Error?
        do { _ = try store.importFile(atPath: path, options: importOptions) } catch { refused = error }
        #expect("\(refused.map { "\($0)" } ?? "")" == "\(path):10: column Exchange Rate: \"0.72x\" is not an exchange rate (a decimal number)")
    }

    @Test func publicDepositCorrectionsWithTheSameReferenceAreTwoBookings() throws {
        let store = try memoryStore()
        let s = try store.importFile(atPath: fixture("public/wikimedia-settlement_detail_report_batch_2-deposit_correction.csv"),
                                     options: importOptions)
        #expect(s.rows == 4)
        #expect(s.rejected.isEmpty)
        // Its sale's gross is 10.00, its net 0.76 and its fees 0.24: the report books 9.00
        // less than the gross less its fees, and the import says so.
        #expect(s.warnings.map(\.description) == ["\(fixture("public/wikimedia-settlement_detail_report_batch_2-deposit_correction.csv")):2: gross 10.00 USD but net 0.76 + fees 0.24 = 1.00 USD: the report books 9.00 USD less than the gross less its fees"])
        // 22:10:51 PDT on the 18th is the 19th in Shanghai: the report's date is kept.
        #expect(try Self.payouts(store) == ["WikimediaCOM batch-2-USD USD 176 2016-02-18"])
        #expect(try Self.itemLines(store) == [2, 3, 4])
        let items = try store.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, amountMinor FROM payoutItem ORDER BY lineNo").map { "\($0["kind"] as String) \($0["amountMinor"] as Int64)" }
        }
        // The batch sets 9.00 aside and gives 10.00 back: nothing of it stays held, so the
        // debit is an adjustment saying so, in its place among the items.
        #expect(items == ["transaction 100", "fee -24", "adjustment -900", "release 1000"])
        #expect(try fetchString(store, "SELECT note FROM payoutItem WHERE kind = 'adjustment'")
                == "DepositCorrection; reserved and released in batch 2 USD (reserved 9.00, released 10.00): none of it stays held")
        #expect(try fetchString(store, "SELECT group_concat(line) FROM (SELECT line FROM payoutItem ORDER BY lineNo)") == "2,2,3,4")
    }

    /// A batch that sets aside more than it gives back keeps its reserve: the debit is a
    /// reserve item, the credit a release.
    @Test func aReserveTheBatchDoesNotReleaseStaysAReserve() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let original = try String(contentsOfFile: fixture("public/wikimedia-settlement_detail_report_batch_2-deposit_correction.csv"), encoding: .utf8)
        // The credit 10.00 made 8.50, and the payout 0.76 - 9.00 + 8.50 = 0.26.
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: "USD,,10,", with: "USD,,8.50,")
        lines[4] = lines[4].replacingOccurrences(of: "USD,1.76,", with: "USD,0.26,")
        #expect(lines[3].contains(",8.50,") && lines[4].contains(",0.26,"))
        let path = dir.file("held.csv", lines.joined(separator: "\n"))
        let s = try store.importFile(atPath: path, options: importOptions)
        #expect(s.rejected.isEmpty)
        let items = try store.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, amountMinor FROM payoutItem ORDER BY lineNo").map { "\($0["kind"] as String) \($0["amountMinor"] as Int64)" }
        }
        #expect(items == ["transaction 100", "fee -24", "reserve -900", "release 850"])
    }

    @Test func publicNewerLayoutKeepsTheReportsDateAndZone() throws {
        let store = try memoryStore()
        let s = try store.importFile(atPath: fixture("public/smashpig-settlement_detail_report_payment_cost.csv"), options: importOptions)
        #expect(s.rows == 2)
        #expect(s.rejected.isEmpty && s.warningCount == 0)
        // 15:15:46 PDT on 2026-10-06 is 06:15 on the 7th in Shanghai; the cycle date is the 6th.
        #expect(try Self.payouts(store) == ["WikimediaDonations batch-1300-USD USD 175 2026-10-06"])
        #expect(try fetchInt(store, "SELECT creditedAt FROM payout") == InstantParser.parse("2026-10-06T22:15:46Z", zone: shanghai)!.epochMillis)
        #expect(try fetchString(store, "SELECT kind || ' ' || amountMinor FROM payoutItem") == "fee 175")
        #expect(try Self.itemLines(store) == [2])
    }

    /// Under --skip-bad a bad row sets aside its whole batch, every currency of it; the
    /// next batch lands.
    @Test func skipBadSetsAsideEveryCurrencyOfTheBadBatch() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let original = try String(contentsOfFile: fixture("public/wikimedia-settlement_detail_report_batch_1129.csv"), encoding: .utf8)
        let broken = original.replacingOccurrences(of: ",USD,,36.57,", with: ",USD,,3x.57,") + """
            WikimediaFoundation,WikimediaDonations,9NEW123456789101,662727.1,visa,2025-09-26 08:59:34,PDT,Settled,9MOD12345678101,EUR,,50,1,EUR,,47.98,,0.11,1.11,0.8,visastandardcredit,,1130,,,,,,,,2025-09-27 10:10:13,PDT,,
            WikimediaFoundation,WikimediaDonations,,,,2025-09-28 15:17:00,PDT,MerchantPayout,TX1130,,,,,EUR,47.98,,,,,,,,1130,,,,,,,,2025-09-28 15:17:00,PDT,,

            """
        #expect(broken.contains(",USD,,3x.57,"))
        var options = importOptions
        options.skipBad = true
        let path = dir.file("1129-1130.csv", broken)
        let s = try store.importFile(atPath: path, options: options)
        #expect(s.rows == 20)
        #expect(s.rejected.count == 18)
        #expect(s.rejected.contains { $0.description == "\(path):10: column Net Credit (NC): \"3x.57\" is not a number" })
        #expect(s.rejected.filter { $0.line != 10 }.allSatisfy { $0.reason == "not imported: batch 1129 has a bad row at line 10" })
        #expect(try Self.payouts(store) == ["WikimediaDonations batch-1130-EUR EUR 4798 2025-09-28"])
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM payoutItem WHERE payoutRef LIKE 'batch-1129-%'") == 0)
    }

    /// The same rows in another file (here the header written in lower case) are the
    /// same records: nothing new, nothing changed.
    @Test func theSameRowsInAnotherFileAreTheSameRecords() throws {
        let dir = TempDir()
        let store = try memoryStore()
        _ = try store.importFile(atPath: fixture("public/wikimedia-settlement_detail_report_batch_1129.csv"), options: importOptions)
        let before = try tableCounts(store)
        let original = try String(contentsOfFile: fixture("public/wikimedia-settlement_detail_report_batch_1129.csv"), encoding: .utf8)
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false)
        let again = ([lines[0].lowercased()] + lines.dropFirst().map(String.init)).joined(separator: "\n")
        let s = try store.importFile(atPath: dir.file("again.csv", again), options: importOptions)
        #expect(!s.alreadyImported)
        #expect(s.counts.values.allSatisfy { $0.inserted == 0 && $0.updated == 0 }, "\(s.counts)")
        #expect(s.counts["payout_items"]?.duplicates == 27)
        #expect(s.counts["transactions"]?.duplicates == 6)
        var after = try tableCounts(store)
        after["reportFile"] = before["reportFile"]
        #expect(after == before)
    }

    // MARK: - Rows without a Psp Reference, carried balances, merchant accounts

    static let header = String(classic.split(separator: "\n")[0]) + "\n"

    /// A batch of bookings only, as Adyen writes it when the balance is carried on:
    /// Balancetransfer in from the batch before, a Fee, Balancetransfer out to the next.
    static func bookingsOnly(out: String = "2.69") -> String {
        header + """
            WeidaoCompany,WeidaoEU,,,,2026-11-20 02:00:00,CET,Balancetransfer,Balancetransfer,,,,,EUR,,4.19,,,,,,Balancetransfer from batch 42,43,,,,,,,
            WeidaoCompany,WeidaoEU,,,,2026-11-21 02:00:00,CET,Fee,Transaction Fees November 2026,,,,,EUR,1.50,,,,,,,,43,,,,,,,
            WeidaoCompany,WeidaoEU,,,,2026-11-21 02:00:00,CET,Balancetransfer,Balancetransfer,,,,,EUR,\(out),,,,,,,Balancetransfer to batch 44,43,,,,,,,

            """
    }

    @Test func aBatchOfBookingsOnlyCarriesItsBalanceOn() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let s = try store.importFile(atPath: dir.file("carry.csv", Self.bookingsOnly()), options: importOptions)
        #expect(s.rows == 3)
        #expect(s.rejected.isEmpty && s.warningCount == 0)
        // No MerchantPayout: nothing paid from this batch, every row an item of it.
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM payout") == 0)
        let items = try store.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT line, kind, amountMinor FROM payoutItem ORDER BY line")
                .map { "\($0["line"] as Int) \($0["kind"] as String) \($0["amountMinor"] as Int64)" }
        }
        #expect(items == ["2 carryOver 419", "3 fee -150", "4 carryOver -269"])
    }

    @Test func aCarriedBalanceThatDoesNotMatchRefusesTheFileNamingBothFigures() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("carry.csv", Self.bookingsOnly(out: "2.00"))
        do {
            _ = try store.importFile(atPath: path, options: importOptions)
            Issue.record("imported")
        } catch let e as ImportError {
            #expect(e.description == "\(path):2: batch 43 EUR does not balance: carried in 4.19 + rows -1.50 leaves 2.69 with no MerchantPayout row, but the batch carries out 2.00 (a truncated file?)")
            #expect(e.incomplete)
        }
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    @Test func eachRowsMerchantAccountKeysItsPayout() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let text = Self.header + """
            WeidaoCompany,WeidaoEU,8816000000000901,o-1,visa,2026-11-16 10:00:00,CET,Settled,8816000000000911,EUR,,10.00,1,EUR,,9.70,0.30,,,,visaclassic,,7,,,,,,,
            WeidaoCompany,WeidaoDE,8816000000000902,o-2,visa,2026-11-16 11:00:00,CET,Settled,8816000000000912,EUR,,20.00,1,EUR,,19.40,0.60,,,,visaclassic,,7,,,,,,,
            WeidaoCompany,WeidaoEU,,,,2026-11-17 02:00:00,CET,MerchantPayout,TX7,EUR,,,,EUR,9.70,,,,,,,,7,,,,,,,
            WeidaoCompany,WeidaoDE,,,,2026-11-17 02:00:00,CET,MerchantPayout,TX7,EUR,,,,EUR,19.40,,,,,,,,7,,,,,,,

            """
        let s = try store.importFile(atPath: dir.file("two.csv", text), options: importOptions)
        #expect(s.rows == 4)
        #expect(try Self.payouts(store) == ["WeidaoDE batch-7-EUR EUR 1940 2026-11-17", "WeidaoEU batch-7-EUR EUR 970 2026-11-17"])
        // Paid the sum of both to one account: each account's batch no longer balances.
        let wrong = text.replacingOccurrences(of: "MerchantPayout,TX7,EUR,,,,EUR,9.70", with: "MerchantPayout,TX7,EUR,,,,EUR,29.10")
        let other = try memoryStore()
        #expect(importError(other, dir.file("wrong.csv", wrong)).contains("batch 7 EUR does not balance"))
        #expect(try tableCounts(other).values.allSatisfy { $0 == 0 })
    }

    @Test func aPaymentBookedTwiceWithAnotherAmountIsRefused() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let net = dir.file("net.csv", Self.edited { $0.insert($0[1].replacingOccurrences(of: "97.20", with: "90.00"), at: 2) })
        #expect(importError(store, net) == "\(net):3: books the same payment as line 2 (same Psp Reference, Modification Reference and type) with another net amount or booking date; a settlement report lists each booking once")
        let gross = dir.file("gross.csv", Self.edited { $0.insert($0[1].replacingOccurrences(of: ",100.00,", with: ",90.00,"), at: 2) })
        #expect(importError(store, gross) == "\(gross):3: books the same payment as line 2 (same Psp Reference, Modification Reference and type) with another amount, fee or time; a settlement report lists each booking once")
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    @Test func aHeaderNamingAColumnTwiceIsRefused() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("twice.csv", Self.edited { $0[0] = $0[0].replacingOccurrences(of: "Reserved10", with: "Net Credit (NC)") })
        #expect(importError(store, path) == "\(path):1: column \"Net Credit (NC)\" is named twice (columns 16 and 30); a report names each column once")
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    @Test func aRowThatBooksNothingIsSkippedAndAnUnknownTypeKeptAsAnAdjustment() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let text = Self.edited {
            $0[10] = $0[10].replacingOccurrences(of: "351.30", with: "351.80")
            $0.insert("WeidaoCompany,WeidaoEU,,,,2026-11-18 23:30:00,CET,SomethingNew,Adyen correction,EUR,,,,EUR,,0.50,,,,,,,42,,,,,,,", at: 10)
            $0.insert("WeidaoCompany,WeidaoEU,8816000000000001,order-1001,visa,2026-11-16 10:00:00,CET,SentForSettle,8816000000000101,EUR,,100.00,1,EUR,,,,,,,visaclassic,,42,,,,,,,", at: 10)
        }
        let path = dir.file("types.csv", text)
        let s = try store.importFile(atPath: path, options: importOptions)
        #expect(s.rows == 12)
        #expect(s.warnings.map(\.description) == [
            "\(path):11: column Type: skipped: this SentForSettle row books no money in batch 42 EUR (Net Credit, Net Debit and fees are empty or zero)",
            "\(path):12: column Type: type \"SomethingNew\" is not one payoutmon knows; kept as an adjustment of batch 42 EUR",
        ])
        #expect(try Self.payouts(store) == ["WeidaoEU batch-42-EUR EUR 35180 2026-11-19"])
        #expect(try fetchString(store, "SELECT kind || ' ' || amountMinor || ' ' || note FROM payoutItem WHERE line = 12") == "adjustment 50 SomethingNew")
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM payoutItem WHERE line = 11") == 0)
    }
}
