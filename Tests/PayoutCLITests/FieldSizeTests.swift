import PayoutTestSupport
import Foundation
import Testing

/// Errors quote a short prefix of a value; the CSV reader refuses a huge field early
/// (docs/report-formats.md, "Encodings, bad rows and `--skip-bad`").
@Suite struct FieldSizeTests {
    let txnHeader = "merchant_id,terminal_id,terminal_name,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,fee,currency,occurred_at,payout_ref\n"
    func txn(name: String, currency: String = "CNY") -> String {
        "898440358120013,LKL10001,\"\(name)\",000123,000451,626000100001,A1B2C3,,qr,sale,1.00,,\(currency),2026-11-20 12:18:05,\n"
    }

    @Test func errorsQuoteAShortPrefix() throws {
        let dir = TempDir()
        let value = "Q" + String(repeating: "x", count: 5000)
        let f = dir.file("t.csv", txnHeader + txn(name: "ok", currency: value))
        let r = try run(["import", "--db", dir.path + "/s.sqlite", f], home: dir.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(f):2: column currency: unknown currency \"Q" + String(repeating: "x", count: 39) + "…\""))
        #expect(!r.stderr.contains(String(repeating: "x", count: 40)))
        #expect(r.stderr.count < 1000)
    }

    @Test func aTenMegabyteFieldIsRefusedByTheReader() throws {
        let dir = TempDir()
        let f = dir.file("huge.csv", txnHeader + txn(name: String(repeating: "n", count: 10_000_000)))
        for skip in [false, true] {
            let r = try run(["import", "--db", dir.path + "/s.sqlite", f] + (skip ? ["--skip-bad"] : []), home: dir.path)
            #expect(r.status == 1)
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
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(f):2: the record is longer than 65536 bytes"), "\(r.stderr.prefix(500))")
    }
}
