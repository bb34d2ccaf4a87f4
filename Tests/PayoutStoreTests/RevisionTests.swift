import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import PayoutFormats
import Testing
@testable import PayoutStore

/// Duplicates, updates and revisions (docs/report-formats.md): the same natural key with
/// the same values is a duplicate, a later state an update, another amount, state or date
/// a revision, refused unless accepted, and then kept as history.
@Suite struct RevisionTests {
    static let txnHeader = "merchant_id,terminal_id,terminal_name,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,fee,currency,occurred_at,payout_ref\n"
    static func txn(_ rrn: String, _ amount: String, at: String = "2026-11-20 12:18:05") -> String {
        "898440358120013,LKL10001,前台,000123,\(rrn.suffix(6)),\(rrn),A1B2C3,,qr,sale,\(amount),,CNY,\(at),\n"
    }
    static let payoutHeader = "merchant_id,payout_ref,cycle_date,expected_amount,paid_amount,currency,status,expected_arrival,credited_at,bank_ref,failure_code\n"

    func accepting() -> ImportOptions {
        var o = importOptions
        o.acceptRevisions = true
        return o
    }

    @Test func aChangedAmountInALaterFileIsRefusedNamingBothPlaces() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let a = dir.file("a.csv", Self.txnHeader + Self.txn("626000100001", "1288.00") + Self.txn("626000100002", "20.00"))
        _ = try store.importFile(atPath: a, options: importOptions)
        let b = dir.file("b.csv", Self.txnHeader + Self.txn("626000100009", "5.00") + Self.txn("626000100001", "1208.00"))
        var refused: Error?
        do { _ = try store.importFile(atPath: b, options: importOptions) } catch { refused = error }
        let text = "\(refused.map { "\($0)" } ?? "")"
        #expect(text.contains("b.csv:3:"))
        #expect(text.contains("a.csv:2"))
        #expect(text.contains("amount 1,288.00 CNY there, 1,208.00 CNY here"))
        #expect(text.contains("--accept-revisions"))
        // Nothing of b.csv is stored, not even its new row; --skip-bad does not change that.
        #expect(try tableCounts(store)["txn"] == 2)
        var skipping = importOptions
        skipping.skipBad = true
        #expect(throws: (any Error).self) { try store.importFile(atPath: b, options: skipping) }
        #expect(try tableCounts(store)["txn"] == 2)
        let files = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT path FROM reportFile") }
        #expect(files == [a])
    }

    /// A file with more revisions than the refusal lists names the first 20, each with
    /// its line here and the place it revises, then counts the rest.
    @Test func aFileWithManyRevisionsIsRefusedNamingEachOfTheFirstTwenty() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let rrns = (1...23).map { "6260001" + String(repeating: "0", count: 5 - String($0).count) + String($0) }
        let a = dir.file("a.csv", Self.txnHeader + rrns.map { Self.txn($0, "10.00") }.joined())
        _ = try store.importFile(atPath: a, options: importOptions)
        let b = dir.file("b.csv", Self.txnHeader + Self.txn("626000199999", "3.00") + rrns.map { Self.txn($0, "11.00") }.joined())
        var refused: ImportError?
        do { _ = try store.importFile(atPath: b, options: importOptions) } catch let e as ImportError { refused = e }
        let e = try #require(refused)
        let lines = e.description.split(separator: "\n").map(String.init)
        #expect(lines.count == 21, "\(lines)")
        #expect(lines[0] == "\(b):3: revises transaction RRN \(rrns[0]) (sale, MID 898440358120013) stored from \(a):2: amount 10.00 CNY there, 11.00 CNY here (1 of 23 revisions in this file); a changed record is refused unless imported with --accept-revisions (which keeps the old values as its history)")
        for i in 1..<20 {
            #expect(lines[i] == "\(b):\(i + 3): revises transaction RRN \(rrns[i]) (sale, MID 898440358120013) stored from \(a):\(i + 2): amount 10.00 CNY there, 11.00 CNY here")
        }
        #expect(lines[20] == "and 3 more")
        // On one line for the inbox's error file.
        #expect(e.reasonWithRelated.contains("; \(b):4: revises transaction RRN \(rrns[1])"))
        #expect(e.reasonWithRelated.hasSuffix("; and 3 more"))
        // Nothing of b.csv is stored.
        #expect(try tableCounts(store)["txn"] == 23)
    }

    @Test func aChangedAmountWithinOneFileIsRefused() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let a = dir.file("a.csv", Self.txnHeader + Self.txn("626000100001", "1288.00") + Self.txn("626000100001", "1208.00"))
        var refused: Error?
        do { _ = try store.importFile(atPath: a, options: importOptions) } catch { refused = error }
        let text = "\(refused.map { "\($0)" } ?? "")"
        #expect(text.contains("a.csv:3:"))
        #expect(text.contains("stored from \(a):2 (line 2 of this file)"))
    }

    @Test func acceptedRevisionKeepsTheOldValuesAndShowsThemInTheCaseFileAndNote() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let a = dir.file("a.csv", Self.txnHeader + Self.txn("626000100001", "1288.00"))
        _ = try store.importFile(atPath: a, options: importOptions)
        let b = dir.file("b.csv", Self.txnHeader + Self.txn("626000100001", "1208.00", at: "2026-11-20 12:19:05"))
        let s = try store.importFile(atPath: b, options: accepting())
        #expect(s.counts["transactions"]?.revised == 1)
        #expect(s.account.stored == 1 && s.account.balanced)
        let stored = try store.writer.read { db in try Int64.fetchAll(db, sql: "SELECT amountMinor FROM txn") }
        #expect(stored == [120800])
        let history = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT tableName, field, oldValue, newValue, oldLine, newLine FROM revision ORDER BY id")
        }
        #expect(history.map { $0["field"] as String } == ["amount", "time"])
        #expect(history.first?["oldValue"] == "m:128800 CNY")
        #expect(history.first?["newValue"] == "m:120800 CNY")
        let rules = ReconcileTests.rules
        let now = DemoStore.now
        let caseFile = try store.read(rules: rules) { r in
            try r.caseFile(forTransaction: try r.transactionLines(rrn: "626000100001")[0], now: now)
        }
        let sentences = caseFile.revisions.map { $0.sentence(in: shanghai, language: .en) }
        #expect(sentences.first == "amount 1,288.00 CNY in \(a) (line 2), 1,208.00 CNY in \(b) (line 2)")
        #expect(sentences.last == "time 2026-11-20 12:18:05 in \(a) (line 2), 2026-11-20 12:19:05 in \(b) (line 2)")
        // Both versions' files are sources of the case.
        #expect(caseFile.sources.map(\.path) == [a, b])
        let note = DisputeNote(evidence: caseFile.evidence, diagnosis: caseFile.diagnosis, now: now, language: .en,
                               format: .plain, sources: caseFile.sources, revisions: caseFile.revisions)
        #expect(note.text.contains("Revised by later reports"))
        #expect(note.text.contains("amount 1,288.00 CNY in \(a) (line 2), 1,208.00 CNY in \(b) (line 2)"))
        let zh = DisputeNote(evidence: caseFile.evidence, diagnosis: caseFile.diagnosis, now: now, language: .zhHans,
                             format: .plain, sources: caseFile.sources, revisions: caseFile.revisions)
        #expect(zh.text.contains("第 2 行为 1,288.00 CNY"))
    }

    @Test func payoutProgressIsAnUpdateItsAmountOrDateARevision() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let row = { (expected: String, paid: String, status: String, day: String) in
            "898440358120013,P1,\(day),\(expected),\(paid),CNY,\(status),2026-11-23 09:00:00,,,\n"
        }
        _ = try store.importFile(atPath: dir.file("a.csv", Self.payoutHeader + row("100.00", "", "scheduled", "2026-11-23")),
                                 options: importOptions)
        // Paid, with its paid amount: an update.
        let paid = try store.importFile(atPath: dir.file("b.csv", Self.payoutHeader + row("100.00", "90.00", "partial", "2026-11-23")),
                                        options: importOptions)
        #expect(paid.counts["payouts"]?.updated == 1)
        // The same again in another file: a duplicate.
        let again = try store.importFile(atPath: dir.file("c.csv", Self.payoutHeader + row("100.00", "90.00", "partial", "2026-11-23") + "\n"),
                                         options: importOptions)
        #expect(again.counts["payouts"]?.duplicates == 1)
        #expect(again.account.duplicates == 1)
        // Another expected amount or cycle date: a revision.
        let d = dir.file("d.csv", Self.payoutHeader + row("110.00", "90.00", "partial", "2026-11-24"))
        #expect(throws: (any Error).self) { try store.importFile(atPath: d, options: importOptions) }
        let revised = try store.importFile(atPath: d, options: accepting())
        #expect(revised.counts["payouts"]?.revised == 1)
        let fields = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT field FROM revision ORDER BY id") }
        #expect(fields == ["expected amount", "cycle date"])
    }

    @Test func aHoldReleaseIsAnUpdateItsAmountARevision() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let header = "merchant_id,hold_ref,hold_kind,amount,currency,rrn,payout_ref,opened_at,released_at,reason\n"
        let row = { (amount: String, released: String) in
            "898440358120027,H1,riskReview,\(amount),CNY,,,2026-11-23 10:05:00,\(released),调单\n"
        }
        _ = try store.importFile(atPath: dir.file("a.csv", header + row("500.00", "")), options: importOptions)
        let released = try store.importFile(atPath: dir.file("b.csv", header + row("500.00", "2026-11-25 10:00:00")), options: importOptions)
        #expect(released.counts["holds"]?.updated == 1)
        let c = dir.file("c.csv", header + row("400.00", "2026-11-25 10:00:00"))
        var refused: Error?
        do { _ = try store.importFile(atPath: c, options: importOptions) } catch { refused = error }
        #expect("\(refused.map { "\($0)" } ?? "")".contains("amount 500.00 CNY there, 400.00 CNY here"))
        #expect(try store.importFile(atPath: c, options: accepting()).counts["holds"]?.revised == 1)
    }

    @Test func payoutItemAndAccountEventRevisions() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let items = "merchant_id,payout_ref,line_no,item_kind,amount,currency,rrn,note\n"
        _ = try store.importFile(atPath: dir.file("a.csv", items + "898440358120013,P1,1,transaction,100.00,CNY,,\n"), options: importOptions)
        let b = dir.file("b.csv", items + "898440358120013,P1,1,transaction,90.00,CNY,,\n")
        #expect(throws: (any Error).self) { try store.importFile(atPath: b, options: importOptions) }
        #expect(try store.importFile(atPath: b, options: accepting()).counts["payout_items"]?.revised == 1)
        let events = "merchant_id,state,at,reason\n"
        _ = try store.importFile(atPath: dir.file("c.csv", events + "898440358120013,frozen,2026-11-23 10:00:00,调单\n"), options: importOptions)
        let d = dir.file("d.csv", events + "898440358120013,active,2026-11-23 10:00:00,调单\n")
        #expect(throws: (any Error).self) { try store.importFile(atPath: d, options: importOptions) }
        let s = try store.importFile(atPath: d, options: accepting())
        #expect(s.counts["account_events"]?.revised == 1)
        let states = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT state FROM accountEvent") }
        #expect(states == ["active"])
    }

    /// One file may give two states at one instant (a 冻结 and its 解冻 on one day in a
    /// file without times): both are kept, and the same two again are duplicates.
    @Test func twoStatesAtOneInstantInOneFileAreNotARevision() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let events = "merchant_id,state,at,reason\n898440358120013,frozen,2026-11-23 00:00:00,冻结\n898440358120013,active,2026-11-23 00:00:00,解冻\n"
        let first = try store.importFile(atPath: dir.file("a.csv", events), options: importOptions)
        #expect(first.counts["account_events"]?.inserted == 2)
        let again = try store.importFile(atPath: dir.file("b.csv", events + "\n"), options: importOptions)
        #expect(again.counts["account_events"]?.duplicates == 2)
        #expect(again.account.duplicates == 2 && again.account.balanced)
    }
}

/// Every row of every file is accounted for: stored, duplicate, rejected or skipped
/// with a reason, adding up to the rows read, for each importer.
@Suite struct RowAccountingTests {
    func skipping(_ dir: TempDir, merchant: String? = nil) -> ImportOptions {
        var o = importOptions
        o.skipBad = true
        o.merchantId = merchant
        return o
    }

    @Test func canonical() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let h = RevisionTests.txnHeader
        _ = try store.importFile(atPath: dir.file("a.csv", h + RevisionTests.txn("626000100001", "10.00")), options: importOptions)
        let b = dir.file("b.csv", h + RevisionTests.txn("626000100001", "10.00") + RevisionTests.txn("626000100002", "11.00")
                         + RevisionTests.txn("626000100003", "abc"))
        let s = try store.importFile(atPath: b, options: skipping(dir))
        #expect(s.rows == 3)
        #expect(s.account.stored == 1 && s.account.duplicates == 1 && s.account.rejected == 1 && s.account.skippedTotal == 0)
        #expect(s.account.balanced)
    }

    @Test func cnPOSExport() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let header = "商户号,终端号,交易时间,交易类型,批次号,凭证号,参考号,卡号,交易金额,手续费,结算金额\n"
        let row = { (type: String, trace: String, amount: String) in
            "898440358120013,LKL10001,2026-11-20 12:18:05,\(type),000123,\(trace),626000\(trace),,\(amount),0.00,\(amount)\n"
        }
        _ = try store.importFile(atPath: dir.file("a.csv", header + row("消费", "000451", "12.00")), options: importOptions)
        let b = dir.file("b.csv", header + row("消费", "000451", "12.00") + row("消费", "000452", "13.00")
                         + row("消费", "000453", "x1") + row("余额查询", "000454", "0.00"))
        let s = try store.importFile(atPath: b, options: skipping(dir))
        #expect(s.rows == 4)
        #expect(s.account.stored == 1 && s.account.duplicates == 1 && s.account.rejected == 1)
        #expect(s.account.skipped.count == 1 && s.account.skipped.keys.first?.contains("余额查询") == true)
        #expect(s.account.balanced)
    }

    @Test func cnSettlementStatement() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let head = "商户交易对账单\n商户编号：`898440358120027\n清算日期,交易日期,交易时间,终端编号,系统参考号,终端流水号,批次号,交易卡号,卡类别,交易类型,资金流向,交易金额(分),手续费(分),清算金额(分),授权码,备注\n"
        let row = { (rrn: String, amount: String) in
            "`20261123,`20261120,`101500,`LKL20001,`\(rrn),`\(rrn.suffix(6)),`000301,,借记卡,消费,进账,`\(amount),`0,`\(amount),`305521,\n"
        }
        let a = head + row("626000200001", "1000") + "合计,总笔数：1,\n"
        _ = try store.importFile(atPath: dir.file("a.csv", a), options: importOptions)
        let b = head + row("626000200001", "1000") + row("626000200002", "2000") + row("626000200003", "x") + "合计,总笔数：3,\n"
        let s = try store.importFile(atPath: dir.file("b.csv", b), options: skipping(dir))
        #expect(s.rows == 3)
        #expect(s.account.stored == 1 && s.account.duplicates == 1 && s.account.rejected == 1)
        #expect(s.account.balanced)
    }

    @Test func adyen() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let text = try String(contentsOfFile: fixture("adyen-sdr-classic.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        _ = try store.importFile(atPath: fixture("adyen-sdr-classic.csv"), options: importOptions)
        // The same rows again (duplicates), a new batch (stored: its sale and its payout
        // row, whose payout is written at the end) and a batch with a bad row (rejected).
        let batch43 = """
            WeidaoCompany,WeidaoEU,8816000000000201,order-2001,visa,2026-11-19 10:00:00,CET,Settled,8816000000000301,EUR,,50.00,1,EUR,,48.50,1.50,,,,visaclassic,,43,,,,,,,
            WeidaoCompany,WeidaoEU,,,,2026-11-20 02:00:00,CET,MerchantPayout,TX4312345678XT,EUR,,,,EUR,48.50,,,,,,,,43,,,,,,,

            """
        let bad = lines[1].replacingOccurrences(of: ",42,", with: ",44,").replacingOccurrences(of: "97.20", with: "x")
        let s = try store.importFile(atPath: dir.file("b.csv", text + batch43 + bad + "\n"), options: skipping(dir))
        #expect(s.account.duplicates == s.rows - 3)
        #expect(s.account.stored == 2)
        #expect(s.account.rejected == 1)
        #expect(s.account.skippedTotal == 0)
        #expect(s.account.balanced)
    }

    @Test func stripePendingDisputeReversalIsStoredNotDropped() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let text = try String(contentsOfFile: fixture("stripe-payout-recon.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let header = lines[0]
        let cols = header.split(separator: ",", omittingEmptySubsequences: false).count
        func row(_ values: [String: String]) -> String {
            let names = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            precondition(names.count == cols)
            return names.map { values[$0] ?? "" }.joined(separator: ",")
        }
        let pending = row(["balance_transaction_id": "txn_P1", "created": "2026-11-24 10:00:00", "currency": "usd", "gross": "10.00",
                           "fee": "0.00", "net": "10.00", "reporting_category": "charge", "charge_id": "ch_P1"])
        let reversal = row(["balance_transaction_id": "txn_R1", "created": "2026-11-24 11:00:00", "currency": "usd", "gross": "45.50",
                            "fee": "0.00", "net": "45.50", "reporting_category": "dispute_reversal", "source_id": "pdr_1"])
        let bad = row(["balance_transaction_id": "txn_B1", "automatic_payout_id": "po_bad", "created": "2026-11-24 12:00:00",
                       "currency": "usd", "gross": "5.00", "fee": "0.00", "net": "4.00", "reporting_category": "charge"])
        var options = skipping(dir)
        options.merchantId = "acct_weidao"
        _ = try store.importFile(atPath: dir.file("a.csv", header + "\n" + pending + "\n"), options: options)
        let s = try store.importFile(atPath: dir.file("b.csv", text.trimmingCharacters(in: .newlines) + "\n" + pending + "\n" + reversal + "\n" + bad + "\n"),
                                     options: options)
        // The pending charge repeats a.csv's (a duplicate), the bad row is rejected, and
        // the dispute reversal without a payout is stored as pending balance: nothing is
        // left unaccounted for.
        #expect(s.account.duplicates == 1)
        #expect(s.account.rejected == 1)
        #expect(s.account.skipped.isEmpty)
        #expect(s.account.stored == s.rows - 2)
        #expect(s.account.balanced)
        #expect(!s.warnings.contains { $0.description.contains("read but not stored") })
        let stored = try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM txn WHERE rrn = 'txn_R1' AND payoutRef IS NULL") }
        #expect(stored == 1)
    }

    @Test func rejectsHeaderIsShownSafely() throws {
        let dir = TempDir()
        let store = try memoryStore()
        let header = "商户号,终端号,交易时间,交易类型,批次号,凭证号,参考号,卡号,交易金额,手续费,结算金额,备注\u{1b}]0;x\u{07}\n"
        let row = { (trace: String, amount: String) in
            "898440358120013,LKL10001,2026-11-20 12:18:05,消费,000123,\(trace),626000\(trace),,\(amount),0.00,\(amount),\n"
        }
        let path = dir.file("a.csv", header + row("000451", "1.00") + row("000452", "x"))
        let s = try store.importFile(atPath: path, options: skipping(dir))
        #expect(s.account.rejected == 1)
        let rejects = try String(contentsOfFile: RejectsFile.path(for: path), encoding: .utf8)
        #expect(rejects.contains("\\x1b"))
        #expect(!rejects.contains("\u{1b}"))
    }
}
