import PayoutTestSupport
import Foundation
import Testing

/// Full card numbers planted in every text and identifier column of every format never
/// reach the store's file, `status`, `status --json`, notes, import errors or rejects
/// files (docs/report-formats.md, "Sizes and card numbers").
@Suite struct CardDataTests {
    /// Luhn-valid numbers as a merchant or an acquirer might write them.
    static let visa = "4000056655665556"            // 16 digits
    static let visaSpaced = "4000 0566 5566 5556"
    static let visaDashed = "4000-0566-5566-5556"
    static let amex = "378282246310005"             // 15 digits
    static let amexSpaced = "3782 822463 10005"
    static let amexDashed = "3782-822463-10005"
    static let unionPay = "6228480402564890018"     // 19 digits
    static let unionPaySpaced = "6228 4804 0256 4890 018"
    static let short = "4222222222222"              // 13 digits
    static let planted = [visa, visaSpaced, visaDashed, amex, amexSpaced, amexDashed, unionPay, unionPaySpaced, short]
    /// The demo's frozen shop: a MID that passes Luhn and must stay readable.
    static let luhnMID = "898440358120031"

    static func luhn(_ s: String) -> Bool {
        let d = s.compactMap { $0.wholeNumberValue }
        var sum = 0
        for (i, x) in d.reversed().enumerated() { sum += i % 2 == 1 ? (x * 2 > 9 ? x * 2 - 9 : x * 2) : x }
        return sum % 10 == 0
    }

    @Test func thePlantedNumbersAreCardNumbers() {
        for p in Self.planted { #expect(Self.luhn(p), "\(p)") }
        #expect(Self.luhn(Self.luhnMID))
    }

    /// Fails with `what` for any planted number in `text`, in a row or as planted.
    func expectClean(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for p in Self.planted {
            let digits = p.filter(\.isNumber)
            #expect(!text.contains(digits) && !text.contains(p), "\(what) shows \(p)", sourceLocation: sourceLocation)
        }
    }

    /// The store's file and its write-ahead log, as text (Latin-1, so every byte is kept).
    func storeBytes(_ db: String) -> String {
        var out = ""
        for p in [db, db + "-wal"] {
            if let d = FileManager.default.contents(atPath: p) { out += String(decoding: d.map { $0 < 128 ? $0 : 32 }, as: UTF8.self) }
        }
        return out
    }

    func statusOutputs(_ db: String, _ home: String) throws -> [String: String] {
        let text = try run(["status", "--db", db, "--all-reports", "--at", "2026-11-28 15:00"], home: home)
        let json = try run(["status", "--db", db, "--all-reports", "--at", "2026-11-28 15:00", "--json"], home: home)
        #expect(text.status != 2 && json.status != 2, "\(text.stderr) \(json.stderr)")
        return ["status": text.stdout + text.stderr, "status --json": json.stdout + json.stderr]
    }

    /// Canonical files, every text column holding a card number.
    static func canonicalFiles(_ dir: TempDir) -> [String] {
        let mid = luhnMID
        return [
            dir.file("merchants.csv", """
                merchant_id,merchant_name,acquirer,bank_account,account_class,daily_inflow_limit,cycle,currency
                \(mid),Shop \(visaSpaced),Acq \(amex),\(unionPay),corporate,,,CNY

                """),
            dir.file("transactions.csv", """
                merchant_id,terminal_id,terminal_name,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,fee,currency,occurred_at,payout_ref
                \(mid),T-\(visaDashed),Till \(amexSpaced),\(unionPay),\(short),626000100001,\(amex),\(unionPay),debit,sale,1288.00,7.73,CNY,2026-11-20 12:18:05,PO-\(visaDashed)
                \(mid),LKL10001,"Till \(unionPaySpaced)",000123,000452,\(visa),A1B2C3,\(visaSpaced),credit,sale,100.00,0.60,CNY,2026-11-20 13:00:00,PO-\(visaDashed)

                """),
            dir.file("payouts.csv", """
                merchant_id,payout_ref,cycle_date,expected_amount,paid_amount,currency,status,expected_arrival,credited_at,bank_ref,failure_code
                \(mid),PO-\(visaDashed),2026-11-23,1380.67,,CNY,failed,2026-11-23 09:00:00,,\(visa),R01 card \(amexSpaced)

                """),
            dir.file("payout_items.csv", """
                merchant_id,payout_ref,line_no,item_kind,amount,currency,rrn,note
                \(mid),PO-\(visaDashed),1,transaction,1288.00,CNY,626000100001,note \(unionPay)
                \(mid),PO-\(visaDashed),2,transaction,100.00,CNY,\(visa),note \(short)
                \(mid),PO-\(visaDashed),3,fee,-7.33,CNY,,fee \(amexDashed)

                """),
            dir.file("account_events.csv", """
                merchant_id,state,at,reason
                \(mid),frozen,2026-11-21 09:00:00,frozen for card \(visaSpaced)

                """),
            dir.file("holds.csv", """
                merchant_id,hold_ref,hold_kind,amount,currency,rrn,payout_ref,opened_at,released_at,reason
                \(mid),H-\(amex),riskReview,100.00,CNY,\(visa),PO-\(visaDashed),2026-11-21 10:00:00,,hold \(short) and \(unionPaySpaced)

                """),
        ]
    }

    @Test func canonicalImportStoresAndPrintsNoCardNumber() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let files = Self.canonicalFiles(dir)
        let r = try run(["import", "--db", db] + files, home: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        expectClean(r.stdout + r.stderr, "import output")
        let bytes = storeBytes(db)
        expectClean(bytes, "the store")
        // Stored masked, not dropped; the MID as written.
        #expect(bytes.contains("Till 378282*****0005"))
        #expect(bytes.contains("PO-400005******5556"))
        #expect(bytes.contains(Self.luhnMID))
        let outputs = try statusOutputs(db, dir.path)
        for (what, text) in outputs { expectClean(text, what) }
        #expect(outputs["status --json"]!.contains("PO-400005******5556"))
        #expect(outputs["status --json"]!.contains(Self.luhnMID))

        let notes = TempDir()
        for args in [["--rrn", "626000100001"], ["--rrn", "400005******5556"], ["--payout", "PO-400005******5556"]] {
            for lang in ["en", "zh"] {
                let n = try run(["note", "--db", db, "--lang", lang, "--out", notes.path] + args, home: dir.path)
                #expect(n.status == 0, "\(args) \(n.stderr)")
                expectClean(n.stdout + n.stderr, "note \(args)")
            }
        }
        let written = try FileManager.default.contentsOfDirectory(atPath: notes.path)
        #expect(written.count == 6)
        for f in written {
            let text = try String(contentsOfFile: notes.path + "/" + f, encoding: .utf8)
            expectClean(text, "note \(f)")
            #expect(text.contains(Self.luhnMID), "note \(f) lost its MID")
        }
    }

    @Test func cnSettlementMasksNamesAndNotesAndRefusesCardLikeIdentifiers() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let header = "商户号,终端号,终端名称,交易时间,交易类型,批次号,凭证号,参考号,卡号,交易金额,手续费,结算金额,备注\n"
        let good = [
            "\(Self.luhnMID),LKL10001,收银 \(Self.visaSpaced),2026-11-20 12:18:05,消费,000123,000451,626000100001,\(Self.unionPay),1288.00,7.73,1280.27,备注 \(Self.amexSpaced)\n",
            "\(Self.luhnMID),LKL10001,收银 \(Self.amex),2026-11-20 13:18:05,消费,000123,000452,626000100002,\(Self.visaDashed),100.00,0.60,99.40,\(Self.short)\n",
        ]
        // Card numbers in identifier columns: 参考号, 凭证号, 终端号 (plain and dashed, 13-19 digits).
        let bad = [
            "\(Self.luhnMID),LKL10001,收银,2026-11-20 14:00:00,消费,000123,000453,\(Self.visa),\(Self.amex),10.00,0.06,9.94,\n",
            "\(Self.luhnMID),LKL10001,收银,2026-11-20 14:01:00,消费,000123,\(Self.short),626000100004,,10.00,0.06,9.94,\n",
            "\(Self.luhnMID),\(Self.visaDashed),收银,2026-11-20 14:02:00,消费,000123,000455,626000100005,,10.00,0.06,9.94,\n",
            "\(Self.luhnMID),LKL10001,收银 \(Self.unionPaySpaced),2026-11-20 14:03:00,消费,000123,000456,626000100006,,abc \(Self.amex),0.06,9.94,\n",
        ]
        let strict = dir.file("strict.csv", header + good.joined() + bad[0])
        let refused = try run(["import", "--db", db, strict], home: dir.path)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(strict):4: column 参考号: the value looks like a card number"))
        expectClean(refused.stdout + refused.stderr, "the refusal")

        let file = dir.file("settle.csv", header + good.joined() + bad.joined())
        let r = try run(["import", "--db", db, "--skip-bad", file], home: dir.path)
        #expect(r.status == 1, "\(r.stderr)")
        expectClean(r.stdout + r.stderr, "import output")
        let rejects = try String(contentsOfFile: dir.path + "/settle.rejects.csv", encoding: .utf8)
        expectClean(rejects, "the rejects file")
        #expect(rejects.split(separator: "\n").count == 1 + bad.count)
        #expect(rejects.contains(Self.luhnMID))
        #expect(rejects.contains("column 凭证号") && rejects.contains("column 终端号") && rejects.contains("column 交易金额"))
        let bytes = storeBytes(db)
        expectClean(bytes, "the store")
        #expect(bytes.contains("400005******5556") && bytes.contains(Self.luhnMID))
        for (what, text) in try statusOutputs(db, dir.path) { expectClean(text, what) }
        let notes = TempDir()
        let n = try run(["note", "--db", db, "--rrn", "626000100001", "--out", notes.path], home: dir.path)
        #expect(n.status == 0, "\(n.stderr)")
        for f in try FileManager.default.contentsOfDirectory(atPath: notes.path) {
            expectClean(try String(contentsOfFile: notes.path + "/" + f, encoding: .utf8), "note")
        }
    }

    @Test func adyenReferencesAndMerchantReferencesAreMasked() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        var text = try String(contentsOfFile: repoRoot + "/Tests/PayoutStoreTests/Fixtures/adyen-sdr-classic.csv", encoding: .utf8)
        text = text.replacingOccurrences(of: "8816000000000001", with: Self.visa)          // Psp Reference
            .replacingOccurrences(of: "8816000000000101", with: Self.amex)                 // Modification Reference
            .replacingOccurrences(of: "8816000000000102", with: Self.unionPay)
            .replacingOccurrences(of: "order-1002", with: "card \(Self.visaSpaced)")       // Merchant Reference
            .replacingOccurrences(of: "order-1003", with: "card \(Self.amexDashed)")
            .replacingOccurrences(of: "refund-1001", with: "refund \(Self.unionPaySpaced)") // Modification Merchant Reference
        for p in [Self.visa, Self.amex, Self.unionPay, Self.visaSpaced] { #expect(text.contains(p)) }
        let file = dir.file("sdr.csv", text)
        let r = try run(["import", "--db", db, file], home: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        expectClean(r.stdout + r.stderr, "import output")
        let bytes = storeBytes(db)
        expectClean(bytes, "the store")
        #expect(bytes.contains("400005******5556"))
        for (what, out) in try statusOutputs(db, dir.path) { expectClean(out, what) }
        let notes = TempDir()
        // The sale and its refund share the Psp Reference: --date picks the sale.
        let n = try run(["note", "--db", db, "--rrn", "400005******5556", "--date", "2026-11-16", "--out", notes.path], home: dir.path)
        #expect(n.status == 0, "\(n.stderr)")
        // The merchant types the number as the acquirer gave it: the stored, masked one is found.
        let typed = TempDir()
        let t = try run(["note", "--db", db, "--rrn", Self.visa, "--date", "2026-11-16", "--out", typed.path], home: dir.path)
        #expect(t.status == 0, "\(t.stderr)")
        expectClean(t.stdout + t.stderr, "note output")
        #expect(try FileManager.default.contentsOfDirectory(atPath: typed.path).count == 1)
        for f in try FileManager.default.contentsOfDirectory(atPath: notes.path) {
            expectClean(try String(contentsOfFile: notes.path + "/" + f, encoding: .utf8), "note")
        }

        // A bad row sets its batch aside: the rejects file masks the references too.
        let badText = text.replacingOccurrences(of: ",97.20,", with: ",x97.20,")
        let bad = dir.file("sdr-bad.csv", badText)
        let b = try run(["import", "--db", dir.path + "/b.sqlite", "--skip-bad", bad], home: dir.path)
        expectClean(b.stdout + b.stderr, "import output")
        let rejects = try String(contentsOfFile: dir.path + "/sdr-bad.rejects.csv", encoding: .utf8)
        #expect(rejects.contains("400005******5556"))
        expectClean(rejects, "the rejects file")
    }

    @Test func stripeIdentifiersAreMasked() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        var text = try String(contentsOfFile: repoRoot + "/Tests/PayoutStoreTests/Fixtures/stripe-payout-recon.csv", encoding: .utf8)
        text = text.replacingOccurrences(of: "ch_3QaA0001", with: Self.visa)         // charge_id, source_id
            .replacingOccurrences(of: "txn_3QaA0002", with: "txn-\(Self.amexDashed)")  // balance_transaction_id
            .replacingOccurrences(of: "po_1QaA11", with: "po-\(Self.visaDashed)")       // automatic_payout_id
            .replacingOccurrences(of: "Dinner", with: "Dinner \(Self.unionPaySpaced)")  // description
        let file = dir.file("recon.csv", text)
        let r = try run(["import", "--db", db, "--merchant", Self.luhnMID, file], home: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        expectClean(r.stdout + r.stderr, "import output")
        let bytes = storeBytes(db)
        expectClean(bytes, "the store")
        #expect(bytes.contains("po-400005******5556") && bytes.contains(Self.luhnMID))
        for (what, out) in try statusOutputs(db, dir.path) { expectClean(out, what) }

        let bad = dir.file("recon-bad.csv", text.replacingOccurrences(of: ",100.00,3.20,96.80,", with: ",100.00,3.20,96.81,"))
        let b = try run(["import", "--db", dir.path + "/b.sqlite", "--merchant", Self.luhnMID, "--skip-bad", bad], home: dir.path)
        expectClean(b.stdout + b.stderr, "import output")
        let rejects = try String(contentsOfFile: dir.path + "/recon-bad.rejects.csv", encoding: .utf8)
        #expect(rejects.contains("400005******5556"))
        expectClean(rejects, "the rejects file")
    }

    @Test func importErrorsAndRejectsMaskEveryLengthButKeepTheMID() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let header = "merchant_id,terminal_id,terminal_name,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,fee,currency,occurred_at,payout_ref\n"
        func row(_ trace: String, name: String, amount: String, currency: String = "CNY") -> String {
            "\(Self.luhnMID),LKL10001,\"\(name)\",000123,\(trace),6260001\(trace.suffix(5)),A1B2C3,\(Self.amex),credit,sale,\(amount),,\(currency),2026-11-20 12:18:05,\n"
        }
        let rows = [
            row("000001", name: "ok", amount: "1.00"),
            row("000002", name: "Till \(Self.visaSpaced)", amount: "abc \(Self.amex)"),
            row("000003", name: "Till", amount: "1.00", currency: "X\(Self.unionPay)"),
            row("000004", name: "Till \(Self.short)", amount: "\(Self.visaDashed)x"),
        ]
        let file = dir.file("t.csv", header + rows.joined())
        let strict = try run(["import", "--db", db, file], home: dir.path)
        #expect(strict.status == 2)
        #expect(strict.stderr.contains("\(file):3: column amount: \"abc 378282*****0005\""))
        expectClean(strict.stdout + strict.stderr, "the error")

        let r = try run(["import", "--db", db, "--skip-bad", file], home: dir.path)
        #expect(r.status == 1, "\(r.stderr)")
        expectClean(r.stdout + r.stderr, "import output")
        let rejects = try String(contentsOfFile: dir.path + "/t.rejects.csv", encoding: .utf8)
        expectClean(rejects, "the rejects file")
        #expect(rejects.split(separator: "\n").count == 4)
        #expect(rejects.contains(Self.luhnMID))
        #expect(rejects.contains("378282*****0005"))
    }
}
