import PayoutTestSupport
import Foundation
import Testing

/// `import` tells its progress on standard error. The tests' standard error is a pipe,
/// not a terminal: plain lines, never a `\r`. `PAYOUTMON_PROGRESS_MS=0` (a hidden hook)
/// shows progress at once instead of after a second, so a small file shows it.
@Suite struct ImportProgressCLITests {
    func bigFile(_ dir: TempDir, rows: Int) -> String {
        var text = "merchant_id,terminal_id,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,currency,occurred_at\n"
        for n in 0..<rows {
            let trace = String(format: "%06d", n)
            text += "898440358120013,LKL10001,000123,\(trace),626\(String(format: "%09d", n)),A1B2C3,,qr,sale,12.00,CNY,2026-11-20 12:\(String(format: "%02d", n / 60 % 60)):\(String(format: "%02d", n % 60))\n"
        }
        return dir.file("big.csv", text)
    }

    @Test func offATerminalProgressIsPlainLinesOnStandardError() throws {
        let dir = TempDir()
        let file = bigFile(dir, rows: 2_500)
        let r = try run(["import", "--db", dir.path + "/s.sqlite", file], home: dir.path, env: ["PAYOUTMON_PROGRESS_MS": "0"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("\r") && !r.stdout.contains("\r"))
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("importing \(file): ") }
        #expect(lines.contains { $0.hasPrefix("importing \(file): 1,000 rows (") && $0.contains("rows/s") }, "\(r.stderr)")
        #expect(lines.contains { $0.hasPrefix("importing \(file): 2,500 rows (100% of ") }, "\(r.stderr)")
        #expect(!r.stdout.contains("importing "), "progress goes to standard error only")
        #expect(r.stdout.contains("big.csv: 2,500 transactions rows"), "\(r.stdout)")
    }

    /// Reconciling the transactions a file brought is most of a large import: it has its
    /// own line (done of how many, rate, time left) after the file's.
    @Test func reconciliationHasItsOwnProgressAfterTheRows() throws {
        let dir = TempDir()
        let file = bigFile(dir, rows: 2_500)
        let r = try run(["import", "--db", dir.path + "/s.sqlite", file], home: dir.path, env: ["PAYOUTMON_PROGRESS_MS": "0"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        let reconciling = lines.filter { $0.hasPrefix("reconciling \(file): ") }
        #expect(reconciling.contains { $0.hasPrefix("reconciling \(file): 500 of 2,500 transactions, ") && $0.contains("transactions/s") },
                "\(r.stderr)")
        #expect(reconciling.contains { $0.hasPrefix("reconciling \(file): 2,500 of 2,500 transactions, ") }, "\(r.stderr)")
        // After the file's last line, never before it.
        let lastRead = try #require(lines.lastIndex { $0.hasPrefix("importing \(file): ") })
        let firstReconciled = try #require(lines.firstIndex { $0.hasPrefix("reconciling \(file): ") })
        #expect(lastRead < firstReconciled)
        #expect(!r.stdout.contains("reconciling "), "progress goes to standard error only")
    }

    /// A settlement file's payouts are reconciled after its transactions, with a line of their own.
    @Test func payoutsHaveTheirOwnProgressLine() throws {
        let dir = TempDir()
        var text = "merchant_id,payout_ref,cycle_date,expected_amount,currency,status\n"
        for n in 1...250 { text += "898440358120013,LKLP-\(String(format: "%04d", n)),2026-11-20,100.00,CNY,scheduled\n" }
        let file = dir.file("payouts.csv", text)
        let r = try run(["import", "--db", dir.path + "/s.sqlite", file], home: dir.path, env: ["PAYOUTMON_PROGRESS_MS": "0"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("reconciling \(file): ") }
        #expect(lines.contains { $0.hasPrefix("reconciling \(file): 100 of 250 payouts, ") && $0.contains("payouts/s") }, "\(r.stderr)")
        #expect(lines.contains { $0.hasPrefix("reconciling \(file): 250 of 250 payouts, ") }, "\(r.stderr)")
    }

    @Test func quietShowsNoProgress() throws {
        let dir = TempDir()
        let file = bigFile(dir, rows: 2_500)
        let r = try run(["import", "--quiet", "--db", dir.path + "/s.sqlite", file], home: dir.path, env: ["PAYOUTMON_PROGRESS_MS": "0"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("importing") && !r.stderr.contains("reconciling") && !r.stderr.contains("\r"), "\(r.stderr)")
        #expect(r.stdout.contains("big.csv: 2,500 transactions rows"), "\(r.stdout)")
    }
}
