import PayoutTestSupport
import Foundation
import Testing

/// Text fields have limits; errors quote a short prefix of a value; the CSV reader
/// refuses a huge field early (docs/report-formats.md, "Sizes and card numbers").
@Suite struct FieldSizeTests {
    let txnHeader = "merchant_id,terminal_id,terminal_name,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,fee,currency,occurred_at,payout_ref\n"
    func txn(name: String, currency: String = "CNY") -> String {
        "898440358120013,LKL10001,\"\(name)\",000123,000451,626000100001,A1B2C3,,qr,sale,1.00,,\(currency),2026-11-20 12:18:05,\n"
    }

    @Test func aNameAtItsLimitIsStoredAndOneLongerIsAnError() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let ok = dir.file("ok.csv", txnHeader + txn(name: String(repeating: "店", count: 200)))
        let a = try run(["import", "--db", db, ok], home: dir.path)
        #expect(a.status == 0, "\(a.stderr)")
        let long = dir.file("long.csv", txnHeader + txn(name: String(repeating: "店", count: 201)))
        let b = try run(["import", "--db", db, long], home: dir.path)
        #expect(b.status == 2)
        #expect(b.stderr.contains("\(long):2: column terminal_name: is 201 characters long; at most 200 are allowed"))
        #expect(!b.stderr.contains(String(repeating: "店", count: 41)))
    }

    @Test func aLongReasonOrNameIsAnErrorNamingTheFilesColumn() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let events = dir.file("events.csv", "merchant_id,state,at,reason\n898440358120013,frozen,2026-11-21 09:00:00,\(String(repeating: "r", count: 501))\n")
        let a = try run(["import", "--db", db, events], home: dir.path)
        #expect(a.status == 2)
        #expect(a.stderr.contains("\(events):2: column reason: is 501 characters long; at most 500 are allowed"))
        // cn-settlement: the column as the file writes it, and --skip-bad sets the row aside.
        let header = "商户号,终端号,终端名称,交易时间,交易类型,批次号,凭证号,参考号,卡号,交易金额,手续费,结算金额\n"
        func row(_ trace: String, _ name: String) -> String {
            "898440358120013,LKL10001,\(name),2026-11-20 12:18:05,消费,000123,\(trace),626000\(trace),,1288.00,7.73,1280.27\n"
        }
        let cn = dir.file("settle.csv", header + row("000451", "收银台") + row("000452", String(repeating: "收", count: 201)))
        let b = try run(["import", "--db", db, "--skip-bad", cn], home: dir.path)
        #expect(b.status == 1, "\(b.stderr)")
        let rejects = try String(contentsOfFile: dir.path + "/settle.rejects.csv", encoding: .utf8)
        #expect(rejects.contains("3,column 终端名称: is 201 characters long; at most 200 are allowed"))
    }

    /// In an Adyen file a bad row sets aside its batch, chosen before anything is written:
    /// a field too long to store refuses the file even under --skip-bad.
    @Test func aLongAdyenMerchantReferenceRefusesTheFile() throws {
        let dir = TempDir()
        let text = try String(contentsOfFile: repoRoot + "/Tests/PayoutStoreTests/Fixtures/adyen-sdr-classic.csv", encoding: .utf8)
        let f = dir.file("sdr.csv", text.replacingOccurrences(of: "order-1002", with: String(repeating: "o", count: 600)))
        for skip in [false, true] {
            let r = try run(["import", "--db", dir.path + "/s.sqlite", f] + (skip ? ["--skip-bad"] : []), home: dir.path)
            #expect(r.status == 2)
            #expect(r.stderr.contains("\(f):3: column Merchant Reference: is 608 characters long; at most 500 are allowed"), "\(r.stderr)")
        }
    }

    @Test func errorsQuoteAShortPrefix() throws {
        let dir = TempDir()
        let value = "Q" + String(repeating: "x", count: 5000)
        let f = dir.file("t.csv", txnHeader + txn(name: "ok", currency: value))
        let r = try run(["import", "--db", dir.path + "/s.sqlite", f], home: dir.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(f):2: column currency: unknown currency \"Q" + String(repeating: "x", count: 39) + "…\""))
        #expect(!r.stderr.contains(String(repeating: "x", count: 40)))
        #expect(r.stderr.count < 1000)
    }

    @Test func aTenMegabyteFieldIsRefusedByTheReader() throws {
        let dir = TempDir()
        let f = dir.file("huge.csv", txnHeader + txn(name: String(repeating: "n", count: 10_000_000)))
        for skip in [false, true] {
            let r = try run(["import", "--db", dir.path + "/s.sqlite", f] + (skip ? ["--skip-bad"] : []), home: dir.path)
            #expect(r.status == 2)
            #expect(r.stderr.contains("\(f):2: column terminal_name: the field is longer than 8192 bytes"), "\(r.stderr.prefix(500))")
            #expect(r.stderr.count < 1000)
        }
    }

    @Test func aHugeRecordIsRefusedByTheReader() throws {
        let dir = TempDir()
        // Fifteen fields of 4500 bytes: each under the field limit, together over the record limit.
        let field = String(repeating: "z", count: 4500)
        let f = dir.file("wide.csv", txnHeader + Array(repeating: field, count: 15).joined(separator: ",") + "\n")
        let r = try run(["import", "--db", dir.path + "/s.sqlite", f], home: dir.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(f):2: the record is longer than 65536 bytes"), "\(r.stderr.prefix(500))")
    }
}
