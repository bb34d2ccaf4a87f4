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
        // Every row is a transaction: charges sales, the refund a refund keyed by its own
        // balance transaction (never its charge's RRN), the dispute and the fee adjustments;
        // the row without a payout is pending.
        let txns = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT traceNo, rrn, kind, amountMinor, feeMinor, cardKind, payoutRef, occurredAt FROM txn ORDER BY traceNo")
        }
        #expect(txns.map { $0["traceNo"] as String } == ["txn_3QaA0001", "txn_3QaA0002", "txn_3QaA0003", "txn_3QaA0004", "txn_3QaA0005", "txn_3QbB0006", "txn_3QcC0007"])
        #expect(txns.map { $0["kind"] as String } == ["sale", "sale", "refund", "adjustment", "adjustment", "sale", "sale"])
        #expect(txns.map { $0["amountMinor"] as Int64 } == [10_000, 4_550, -2_000, -4_550, -200, 20_000, 3_000])
        #expect(txns.map { $0["feeMinor"] as Int64 } == [320, 162, 0, 1_500, 0, 610, 117])
        #expect(txns.map { $0["cardKind"] as String } == ["credit", "debit", "credit", "debit", "other", "credit", "debit"])
        #expect(txns.map { $0["rrn"] as String } == ["ch_3QaA0001", "ch_3QaA0002", "txn_3QaA0003", "txn_3QaA0004", "txn_3QaA0005", "ch_3QbB0006", "ch_3QcC0007"])
        #expect(txns[6]["payoutRef"] == nil as String?)
        #expect(txns[0]["occurredAt"] == InstantParser.parse("2026-11-20T04:18:05Z", zone: shanghai)!.epochMillis)
        // The refund's and the dispute's lines name their charge.
        let notes = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT note FROM payoutItem WHERE kind IN ('refund', 'chargeback') ORDER BY lineNo")
        }
        #expect(notes == ["refund txn_3QaA0003 of charge ch_3QaA0001 (re_3QaA0003)", "dispute txn_3QaA0004 of charge ch_3QaA0002 (dp_3QaA0004)"])
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
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn") == 7)
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
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn") == 7)
    }

    // MARK: A balance report with a payout row, pending rows and metadata

    static let balance = try! String(contentsOfFile: fixture("stripe-balance-payout-row.csv"), encoding: .utf8)

    /// The balance fixture with `edit` applied to its lines (0 is the header).
    static func balanceEdited(_ edit: (inout [String]) -> Void) -> String {
        var lines = balance.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        edit(&lines)
        return lines.joined(separator: "\n")
    }

    static func items(_ store: PayoutStore, _ ref: String) throws -> [String] {
        try store.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, amountMinor, rrn FROM payoutItem WHERE payoutRef = ? ORDER BY lineNo", arguments: [ref])
                .map { "\($0["kind"] as String):\($0["amountMinor"] as Int64):\($0["rrn"] as String)" }
        }
    }

    /// The payout row is the payout: its amount equals its rows, it is no line of itself,
    /// and every other row is stored, the one without a payout as pending balance.
    @Test func thePayoutRowIsThePayoutAndEveryRowIsKept() throws {
        let store = try memoryStore()
        let s = try store.importFile(atPath: fixture("stripe-balance-payout-row.csv"), options: importOptions)
        #expect(s.format == .stripePayoutRecon)
        #expect(s.rows == 6)
        #expect(s.counts["payouts"]?.inserted == 1)
        #expect(s.counts["transactions"]?.inserted == 5)
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM payout") == 1)
        #expect(try fetchInt(store, "SELECT expectedMinor FROM payout WHERE ref = 'po_1RzZ01'") == 12_305)
        #expect(try fetchInt(store, "SELECT paidMinor FROM payout WHERE ref = 'po_1RzZ01'") == 12_305)
        #expect(try Self.items(store, "po_1RzZ01") == [
            "transaction:10000:ch_3RzA0001", "fee:-320:ch_3RzA0001", "transaction:5000:ch_3RzA0002", "fee:-175:ch_3RzA0002",
            "refund:-2000:txn_3RzA0003", "fee:-200:txn_3RzA0004",
        ])
        #expect(try fetchInt(store, "SELECT SUM(amountMinor) FROM payoutItem WHERE payoutRef = 'po_1RzZ01'") == 12_305)
        // The payout row is not a transaction either; the pending row is, without a payout.
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn WHERE traceNo = 'txn_1RzZ0006'") == 0)
        let pending = try #require(try store.reader.read { db in
            try Row.fetchOne(db, sql: "SELECT kind, amountMinor, feeMinor, payoutRef FROM txn WHERE traceNo = 'txn_3RzA0005'")
        })
        #expect(pending["kind"] as String == "adjustment")
        #expect(pending["amountMinor"] as Int64 == 4_550)
        #expect(pending["feeMinor"] as Int64 == -1_500)
        #expect(pending["payoutRef"] == nil as String?)
        #expect(s.warnings.map(\.reason) == ["1 row is not in a payout yet (no automatic_payout_id): kept as pending balance, stored as transactions without a payout"])
    }

    /// The fee is the file's: stated on every transaction, 0.00 included (the config's
    /// rates apply only where a report gives no fee).
    @Test func theFeeIsTheFilesEvenWhenZero() throws {
        let store = try memoryStore()
        _ = try store.importFile(atPath: fixture("stripe-balance-payout-row.csv"), options: importOptions)
        let fees = try store.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT traceNo, feeMinor FROM txn ORDER BY traceNo").map { "\($0["traceNo"] as String):\($0["feeMinor"] as Int64?)" }
        }
        #expect(fees == ["txn_3RzA0001:Optional(320)", "txn_3RzA0002:Optional(175)", "txn_3RzA0003:Optional(0)",
                         "txn_3RzA0004:Optional(0)", "txn_3RzA0005:Optional(-1500)"])
    }

    /// A refund is its own negative row: reconciled with a contract whose rates give the
    /// report's fees, the charge it refunds is settled at gross less its own fee, not short
    /// by the refund, and the refund is settled on its own.
    @Test func aRefundIsNotTakenFromItsCharge() throws {
        var policy = SettlementPolicy.demoDefault
        policy.fees.credit = FeeRule(ratePPM: 32_000)
        policy.fees.debit = FeeRule(ratePPM: 35_000)
        policy.reservePPM = 0
        let rules = SettlementRules(policy: policy, calendar: ReconcileTests.calendar)
        let now = InstantParser.parse("2026-11-28 12:00:00", zone: shanghai)!
        let store = try memoryStore()
        var options = importOptions
        options.rules = rules
        options.now = now
        _ = try store.importFile(atPath: fixture("stripe-balance-payout-row.csv"), options: options)
        let states = try store.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.rrn, s.state, s.expectedNetMinor, s.receivedMinor FROM txnState s JOIN txn t ON t.id = s.txnId
                WHERE t.payoutRef IS NOT NULL ORDER BY t.traceNo
                """).map { "\($0["rrn"] as String) \($0["state"] as String) \($0["expectedNetMinor"] as Int64) \($0["receivedMinor"] as Int64)" }
        }
        #expect(states == ["ch_3RzA0001 settled 9680 9680", "ch_3RzA0002 settled 4825 4825", "txn_3RzA0003 settled -2000 -2000",
                           "txn_3RzA0004 settled -200 -200"])
        #expect(try fetchString(store, "SELECT s.state FROM payoutState s JOIN payout p ON p.id = s.payoutId WHERE p.ref = 'po_1RzZ01'") == "settled")
    }

    /// A payout row whose amount is not what its rows add up to refuses the file, naming
    /// both figures, with or without --skip-bad; Stripe's sign (negative: the money leaves
    /// the balance) and a positive amount are both the payout's.
    @Test(arguments: [false, true])
    func aPayoutRowThatDisagreesRefusesTheFile(skipBad: Bool) throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("off.csv", Self.balanceEdited { $0[6] = $0[6].replacingOccurrences(of: "-123.05,0.00,-123.05", with: "-123.06,0.00,-123.06") })
        var options = importOptions
        options.skipBad = skipBad
        let error = importError(store, path, options)
        #expect(error == "\(path):7: payout po_1RzZ01: the payout row says -123.06, but its 4 rows add up to 123.05", "\(error)")
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
        let positive = dir.file("positive.csv", Self.balanceEdited { $0[6] = $0[6].replacingOccurrences(of: "-123.05,0.00,-123.05", with: "123.05,0.00,123.05") })
        let s = try store.importFile(atPath: positive, options: options)
        #expect(s.rejected.isEmpty)
        #expect(try fetchInt(store, "SELECT expectedMinor FROM payout WHERE ref = 'po_1RzZ01'") == 12_305)
    }

    /// A payout has one payout row: a second one (another balance transaction naming
    /// the same payout) is an error at its line.
    @Test func aSecondPayoutRowIsAnError() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("twice.csv", Self.balanceEdited { $0.insert($0[6].replacingOccurrences(of: "txn_1RzZ0006", with: "txn_1RzZ0007"), at: 7) })
        let error = importError(store, path)
        #expect(error == "\(path):8: column reporting_category: payout po_1RzZ01 has a second payout row; the first is line 7", "\(error)")
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    /// A payout row whose payout has none of its rows in the file cannot be checked:
    /// the file is refused (a cut file looks like this).
    @Test func aPayoutRowWithoutItsRowsIsRefused() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let path = dir.file("alone.csv", Self.balanceEdited { $0 = [$0[0], $0[6]] })
        let error = importError(store, path)
        #expect(error == "\(path):2: payout po_1RzZ01: the payout row says -123.05, but its 0 rows add up to 0.00", "\(error)")
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    /// Under --skip-bad a pending row is stored, never set aside (it was dropped before);
    /// a bad row goes to the rejects file with its reason, and a bad row of a payout
    /// takes the rest of that payout with it.
    @Test func skipBadKeepsPendingRowsAndWritesBadRowsToTheRejectsFile() throws {
        let dir = TempDir()
        var store = try memoryStore()
        var options = importOptions
        options.skipBad = true
        let clean = try store.importFile(atPath: fixture("stripe-balance-payout-row.csv"), options: options)
        #expect(clean.rejected.isEmpty && clean.rejectsPath == nil)
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn WHERE traceNo = 'txn_3RzA0005' AND payoutRef IS NULL") == 1)

        // In the older fixture: a bad charge in po_2QbB22 (its only row) and a bad pending row.
        store = try memoryStore()
        let path = dir.file("bad.csv", Self.edited { lines in
            lines[6] = lines[6].replacingOccurrences(of: ",193.90,", with: ",193.91,")
            lines[7] = lines[7].replacingOccurrences(of: ",usd,", with: ",xyz,")
        })
        let s = try store.importFile(atPath: path, options: options)
        #expect(s.rejected.map(\.line) == [7, 8])
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn") == 5)
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM payout") == 1)
        let rejects = try String(contentsOfFile: try #require(s.rejectsPath), encoding: .utf8)
        let lines = rejects.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("rejected_line,rejected_reason,automatic_payout_id,"))
        #expect(lines[1].hasPrefix("7,column net: 193.91 is not gross 200.00 less fee 6.10,po_2QbB22,"))
        #expect(lines[2].hasPrefix("8,\"column currency: unknown currency \"\"xyz\"\"\",,"))
        // Every row is accounted for: stored or rejected.
        #expect(Int64(s.rejected.count) + (try fetchInt(store, "SELECT COUNT(*) FROM txn") ?? 0) == Int64(s.rows))

        // A bad row of po_1QaA11 sets aside its five rows; po_2QbB22 lands.
        store = try memoryStore()
        let second = try store.importFile(atPath: dir.file("bad2.csv", Self.edited { lines in
            lines[2] = lines[2].replacingOccurrences(of: ",43.88,", with: ",43.89,")
        }), options: options)
        #expect(second.rejected.map(\.line) == [2, 3, 4, 5, 6])
        #expect(second.rejected.filter { $0.reason == "not imported: payout po_1QaA11 has a bad row (line 3: column net: 43.89 is not gross 45.50 less fee 1.62)" }.count == 4)
        #expect(try fetchString(store, "SELECT group_concat(ref) FROM payout") == "po_2QbB22")
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn") == 2)
    }

    /// Each Stripe reporting category becomes what it is: its own row (a transaction of
    /// its kind, a payout line of its kind at its gross, its fee beside it).
    @Test func reportingCategoriesBecomeTheirOwnRows() throws {
        let header = "automatic_payout_id,automatic_payout_effective_at_utc,balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,source_id,charge_id"
        let rows: [(String, String, String, String, String, String)] = [
            // category, gross, fee, net, source, charge
            ("charge", "80.00", "2.62", "77.38", "ch_9", "ch_9"),
            ("partial_capture_reversal", "-10.00", "0.00", "-10.00", "re_9a", "ch_9"),
            ("refund_failure", "5.00", "0.00", "5.00", "re_8", "ch_8"),
            ("dispute", "-30.00", "15.00", "-45.00", "du_7", "ch_7"),
            ("dispute_reversal", "30.00", "-15.00", "45.00", "du_7", "ch_7"),
            ("other_adjustment", "-1.50", "0.00", "-1.50", "ia_6", ""),
            ("tax", "-0.40", "0.00", "-0.40", "", ""),
            ("network_cost", "-0.10", "0.00", "-0.10", "", ""),
            ("topup", "20.00", "0.00", "20.00", "tu_5", ""),
            ("risk_reserved_funds", "-8.00", "0.00", "-8.00", "", ""),
            ("risk_released_funds", "3.00", "0.00", "3.00", "", ""),
        ]
        var text = header + "\n"
        for (i, r) in rows.enumerated() {
            text += "po_C1,2026-11-24 00:00:00,txn_C\(i),2026-11-21 10:00:00,usd,\(r.1),\(r.2),\(r.3),\(r.0),\(r.4),\(r.5)\n"
        }
        let dir = TempDir()
        let store = try memoryStore()
        let s = try store.importFile(atPath: dir.file("categories.csv", text), options: importOptions)
        #expect(s.rows == rows.count)
        let kinds = try store.reader.read { db in
            try String.fetchAll(db, sql: "SELECT kind FROM txn ORDER BY CAST(substr(traceNo, 6) AS INTEGER)")
        }
        #expect(kinds == ["sale", "refund", "adjustment", "adjustment", "adjustment", "adjustment", "adjustment", "adjustment",
                          "adjustment", "adjustment", "adjustment"])
        #expect(try Self.items(store, "po_C1") == [
            "transaction:8000:ch_9", "fee:-262:ch_9", "refund:-1000:txn_C1", "adjustment:500:txn_C2",
            "chargeback:-3000:txn_C3", "fee:-1500:txn_C3", "chargeback:3000:txn_C4", "fee:1500:txn_C4",
            "adjustment:-150:txn_C5", "fee:-40:txn_C6", "fee:-10:txn_C7", "adjustment:2000:txn_C8",
            "reserve:-800:txn_C9", "release:300:txn_C10",
        ])
        #expect(try fetchInt(store, "SELECT expectedMinor FROM payout WHERE ref = 'po_C1'") == 8_538)
    }

    /// A Connect report (every row names its connected account) keys each payout by its
    /// account; a platform's report where only some rows name one keys every row of a
    /// payout the same way, so the payout is never split.
    @Test func aConnectedAccountKeysEveryRowOfAPayoutTheSameWay() throws {
        let dir = TempDir()
        let header = "automatic_payout_id,automatic_payout_effective_at_utc,balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,source_id,charge_id,connected_account_id"
        let connect = header + """

            po_A1,2026-11-24 00:00:00,txn_A1,2026-11-21 10:00:00,usd,10.00,0.59,9.41,charge,ch_A1,ch_A1,acct_A
            po_A1,2026-11-24 00:00:00,txn_A2,2026-11-21 11:00:00,usd,-1.00,0.00,-1.00,refund,re_A2,ch_A1,acct_A
            po_B1,2026-11-24 00:00:00,txn_B1,2026-11-21 10:00:00,usd,20.00,0.88,19.12,charge,ch_B1,ch_B1,acct_B
            ,,txn_B2,2026-11-23 10:00:00,usd,5.00,0.45,4.55,charge,ch_B2,ch_B2,acct_B

            """
        let store = try memoryStore()
        _ = try store.importFile(atPath: dir.file("connect.csv", connect), options: importOptions)
        #expect(try fetchString(store, "SELECT group_concat(merchantId || ':' || ref, ' ') FROM (SELECT * FROM payout ORDER BY ref)") == "acct_A:po_A1 acct_B:po_B1")
        #expect(try fetchString(store, "SELECT group_concat(DISTINCT merchantId) FROM payoutItem WHERE payoutRef = 'po_A1'") == "acct_A")
        #expect(try fetchString(store, "SELECT merchantId FROM txn WHERE traceNo = 'txn_B2'") == "acct_B")

        // A platform's report: one charge names the connected account it was made for.
        let platform = Self.balanceEdited { $0[2] = $0[2].replacingOccurrences(of: ",debit,card,,", with: ",debit,card,acct_X,") }
        let other = try memoryStore()
        _ = try other.importFile(atPath: dir.file("platform.csv", platform), options: importOptions)
        #expect(try fetchInt(other, "SELECT COUNT(*) FROM payout") == 1)
        #expect(try fetchString(other, "SELECT group_concat(DISTINCT merchantId) FROM txn") == "stripe")
        #expect(try fetchString(other, "SELECT group_concat(DISTINCT merchantId) FROM payoutItem") == "stripe")
        #expect(try fetchInt(other, "SELECT expectedMinor FROM payout") == 12_305)

        // A Connect report whose payout names two accounts is refused, naming both.
        let mixed = connect.replacingOccurrences(of: "re_A2,ch_A1,acct_A", with: "re_A2,ch_A1,acct_C")
        let third = try memoryStore()
        let error = importError(third, dir.file("mixed.csv", mixed))
        #expect(error.hasSuffix(".csv:3: column connected_account_id: payout po_A1 is account acct_A's; this row names acct_C"), "\(error)")
    }

    /// The payout's day is the date the report writes (Stripe's effective date, in UTC),
    /// not moved into the merchant's zone; a payout whose effective time is still ahead
    /// is in transit, not paid.
    @Test func thePayoutDayIsAsWrittenAndAFuturePayoutIsInTransit() throws {
        let store = try memoryStore()
        var options = importOptions
        options.timeZone = TimeZone(identifier: "America/Los_Angeles")!
        options.now = InstantParser.parse("2026-11-23 12:00:00", zone: TimeZone(secondsFromGMT: 0)!)
        _ = try store.importFile(atPath: fixture("stripe-balance-payout-row.csv"), options: options)
        let row = try #require(try store.reader.read { db in
            try Row.fetchOne(db, sql: "SELECT cycleDate, status, paidMinor, expectedArrival, creditedAt FROM payout WHERE ref = 'po_1RzZ01'")
        })
        #expect(row["cycleDate"] == "2026-11-24")
        #expect(row["status"] == "inTransit")
        #expect(row["paidMinor"] == nil as Int64?)
        #expect(row["creditedAt"] == nil as Int64?)
        #expect(row["expectedArrival"] == InstantParser.parse("2026-11-24T00:00:00Z", zone: shanghai)!.epochMillis)
    }

    /// A real public Stripe report (hledger's example of the "Balance change from
    /// activity" export, Fixtures/public/README.md): every row is stored, both pending.
    @Test func hledgersPublicBalanceChangeExampleImportsEveryRow() throws {
        let store = try memoryStore()
        let s = try store.importFile(atPath: fixture("public/hledger-stripe-balance-change.csv"), options: importOptions)
        #expect(s.format == .stripePayoutRecon)
        #expect(s.rows == 2)
        #expect(s.counts["transactions"]?.inserted == 2)
        #expect(s.rejected.isEmpty)
        let txns = try store.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, amountMinor, feeMinor, currency, payoutRef, occurredAt FROM txn ORDER BY traceNo DESC")
                .map { "\($0["kind"] as String) \($0["amountMinor"] as Int64) \($0["feeMinor"] as Int64) \($0["currency"] as String) \($0["payoutRef"] as String? ?? "-") \($0["occurredAt"] as Int64)" }
        }
        let at = InstantParser.parse("2020-01-23T08:26:29Z", zone: shanghai)!.epochMillis
        #expect(txns == ["sale 1200 0 USD - \(at)", "refund -77 0 USD - \(at + 2_000)"])
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM payout") == 0)
        #expect(s.warnings.first?.reason.hasPrefix("2 rows are not in a payout yet") == true)
    }

    /// The 79-column header of a real "Itemised balance change from activity" export
    /// (`IORoot/stripe_to_freeagent`, Fixtures/public/README.md: its rows hold customers'
    /// personal data and are not copied), with rows of ours in its layout: quoted cells,
    /// `payment_metadata[...]` names with spaces, payouts named on each row.
    @Test func aRealExportsHeaderWithOurRows() throws {
        let names = #"""
            "balance_transaction_id","created_utc","created","available_on_utc","available_on","currency","gross","fee","net","reporting_category","source_id","description","customer_facing_amount","customer_facing_currency","trace_id","trace_id_status","automatic_payout_id","automatic_payout_effective_at_utc","automatic_payout_effective_at","customer_id","customer_email","customer_name","customer_description","customer_shipping_address_line1","customer_shipping_address_line2","customer_shipping_address_city","customer_shipping_address_state","customer_shipping_address_postal_code","customer_shipping_address_country","customer_address_line1","customer_address_line2","customer_address_city","customer_address_state","customer_address_postal_code","customer_address_country","shipping_address_line1","shipping_address_line2","shipping_address_city","shipping_address_state","shipping_address_postal_code","shipping_address_country","card_address_line1","card_address_line2","card_address_city","card_address_state","card_address_postal_code","card_address_country","charge_id","payment_intent_id","charge_created_utc","charge_created","invoice_id","invoice_number","subscription_id","payment_method_type","is_link","card_brand","card_funding","card_country","statement_descriptor","dispute_reason","payment_metadata[Coupon Code]","payment_metadata[Custom Fields]","payment_metadata[Product ID]","payment_metadata[Product Name]","payment_metadata[Shipping Address]","payment_metadata[Surcharge Label]","payment_metadata[customer_email]","payment_metadata[customer_name]","payment_metadata[order_id]","payment_metadata[order_key]","payment_metadata[payment_type]","payment_metadata[site_url]","payment_metadata[tbk_order_id]","connected_account_id","connected_account_name","connected_account_country","connected_account_direct_charge_id","application_fee"
            """#
        let columns = names.split(separator: ",").map { String($0.dropFirst().dropLast()) }
        #expect(columns.count == 79)
        func row(_ values: [String: String]) -> String {
            columns.map { values[$0].map { "\"\($0)\"" } ?? "" }.joined(separator: ",")
        }
        let charge: [String: String] = [
            "balance_transaction_id": "txn_T1", "created_utc": "2026-05-01 20:39:06", "created": "2026-05-01 21:39:06",
            "available_on_utc": "2026-05-07 00:00:00", "available_on": "2026-05-07 01:00:00", "currency": "gbp",
            "gross": "15.00", "fee": "0.43", "net": "14.57", "reporting_category": "charge", "source_id": "ch_T1",
            "description": "Class, 10-14", "automatic_payout_id": "po_T1", "automatic_payout_effective_at_utc": "2026-05-07 00:00:00",
            "automatic_payout_effective_at": "2026-05-07 01:00:00", "charge_id": "ch_T1", "payment_method_type": "card",
            "is_link": "false", "card_brand": "MasterCard", "card_funding": "credit", "payment_metadata[Product Name]": "Class, 10-14",
        ]
        var pending = charge
        pending["balance_transaction_id"] = "txn_T2"; pending["source_id"] = "ch_T2"; pending["charge_id"] = "ch_T2"
        pending["automatic_payout_id"] = ""; pending["automatic_payout_effective_at_utc"] = ""; pending["automatic_payout_effective_at"] = ""
        let text = names + "\n" + row(charge) + "\n" + row(pending) + "\n"
        let dir = TempDir()
        let store = try memoryStore()
        let s = try store.importFile(atPath: dir.file("Itemised_balance_change_from_activity_GBP.csv", text), options: importOptions)
        #expect(s.format == .stripePayoutRecon)
        #expect(s.rows == 2)
        #expect(try fetchString(store, "SELECT ref || ' ' || expectedMinor || ' ' || currency || ' ' || cycleDate FROM payout") == "po_T1 1457 GBP 2026-05-07")
        #expect(try fetchInt(store, "SELECT COUNT(*) FROM txn WHERE payoutRef IS NULL") == 1)
        #expect(try fetchInt(store, "SELECT SUM(amountMinor) FROM payoutItem") == 1_457)
    }
}
