import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import PayoutDemo
import PayoutFormats
import Testing
@testable import PayoutStore

/// The summary's pending figures (pending, due today, late, outstanding money, pending
/// sales due in a year without holiday data) read from the running totals of
/// v11-pending-totals equal the same figures counted by scanning every state row, at
/// clocks on either side of and on every boundary, after imports, recomputes and deletes.
@Suite struct PendingTotalsTests {
    static let rules = ReconcileTests.rules

    /// The figures the totals replace, from a scan of txnState, as text.
    static func scanned(_ db: Database, now: Instant) throws -> String {
        let zone = rules.policy.timeZone
        let today = LocalDateTime(now, in: zone).date
        let eod = LocalDateTime(date: today.adding(days: 1), secondOfDay: 0).instant(in: zone).epochMillis
        var pending = 0, late = 0, due = 0
        var outstanding: [String: Int64] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT state, lateAfter, expectedCreditAt, currency, expectedNetMinor - COALESCE(receivedMinor, 0) AS m
            FROM txnState NOT INDEXED WHERE state IN ('pending', 'held', 'failed')
            """) {
            let state: String = r["state"], lateAfter: Int64 = r["lateAfter"], credit: Int64 = r["expectedCreditAt"]
            outstanding[r["currency"], default: 0] += r["m"]
            guard state == "pending" else { continue }
            if lateAfter < now.epochMillis { late += 1 } else {
                pending += 1
                if credit < eod { due += 1 }
            }
        }
        let years = rules.calendar.years
        let before = LocalDateTime(date: LocalDate(year: years.min()!, month: 1, day: 1)!, secondOfDay: 0).instant(in: zone).epochMillis
        let after = LocalDateTime(date: LocalDate(year: years.max()! + 1, month: 1, day: 1)!, secondOfDay: 0).instant(in: zone).epochMillis
        let outside = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS n, MIN(expectedCreditAt) AS lo, MAX(expectedCreditAt) AS hi FROM txnState NOT INDEXED
            WHERE state IN ('pending', 'awaiting') AND (expectedCreditAt < ? OR expectedCreditAt >= ?)
            """, arguments: [before, after])!
        var noDataYears: [Int] = []
        if let lo: Int64 = outside["lo"], let hi: Int64 = outside["hi"] {
            noDataYears = rules.calendar.yearsWithoutData(from: LocalDateTime(Instant(epochMillis: lo), in: zone).date,
                                                          through: LocalDateTime(Instant(epochMillis: hi), in: zone).date)
        }
        let n: Int = outside["n"]
        return "pending \(pending) late \(late) due \(due) outstanding \(outstanding.sorted { $0.key < $1.key }) noData \(n) \(noDataYears)"
    }

    static func fromTotals(_ s: LedgerSummary) -> String {
        "pending \(s.pending) late \(s.late) due \(s.dueToday) outstanding \(s.outstanding.sorted { $0.key < $1.key }) noData \(s.noHolidayData) \(s.noHolidayDataYears)"
    }

    /// Compares at clocks every 5 hours over `days` days before and after `around`, and
    /// exactly on the late and credit times of some rows (the boundaries); returns how
    /// many clocks had late, due-today and not-late pending rows.
    @discardableResult
    static func compare(_ store: PayoutStore, around: Instant, days: Int, _ when: String) throws -> (late: Int, due: Int, pending: Int) {
        var clocks = stride(from: -days * 24, through: days * 24, by: 5).map { around.adding(seconds: Int64($0) * 3600) }
        let edges = try store.reader.read { db in
            try Int64.fetchAll(db, sql: "SELECT lateAfter FROM txnState WHERE state = 'pending' ORDER BY txnId LIMIT 8")
                + Int64.fetchAll(db, sql: "SELECT expectedCreditAt FROM txnState WHERE state = 'pending' ORDER BY txnId DESC LIMIT 8")
        }
        clocks += edges.flatMap { [Instant(epochMillis: $0), Instant(epochMillis: $0 + 1), Instant(epochMillis: $0 - 1)] }
        var seen = (late: 0, due: 0, pending: 0)
        for now in clocks {
            let s = try store.read(rules: rules) { try $0.summary(now: now) }
            let scan = try store.reader.read { try scanned($0, now: now) }
            #expect(fromTotals(s) == scan, "\(when) at \(now.epochMillis)")
            if s.late > 0 { seen.late += 1 }
            if s.dueToday > 0 { seen.due += 1 }
            if s.pending > s.dueToday { seen.pending += 1 }
        }
        return seen
    }

    @Test func demoStoreTotalsEqualAScan() throws {
        let store = try DemoStore.make()
        try Self.compare(store, around: DemoStore.now, days: 3, "demo store")
        try store.recomputeStates(rules: Self.rules, now: DemoStore.now.adding(days: 2))
        try Self.compare(store, around: DemoStore.now, days: 3, "after a recompute at another clock")
        try store.writer.write { db in try db.execute(sql: "DELETE FROM txn WHERE id % 3 = 0") }
        try Self.compare(store, around: DemoStore.now, days: 3, "after deleting a third of the transactions")
    }

    /// Random sales of an account no settlement report covers (pending until late),
    /// over four months across the end of the calendar's last year (due in a year it
    /// has no data for), in two currencies, imported in parts with different clocks.
    @Test func randomStoreTotalsEqualAScan() throws {
        var rng = SeededRandom(seed: 19)
        let zone = Self.rules.policy.timeZone
        let start = LocalDateTime(parsing: "2026-10-01 00:00")!.instant(in: zone)
        let header = "merchant_id,terminal_id,terminal_name,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,fee,currency,occurred_at,payout_ref\n"
        let store = try DemoStore.make()
        var now = start
        for part in 0..<4 {
            var text = header
            for i in 0..<150 {
                let at = start.adding(seconds: Int64.random(in: 0..<(120 * 86_400), using: &rng))
                let stamp = LocalDateTime(at, in: zone)
                let currency = Bool.random(using: &rng) ? "CNY" : "HKD"
                let trace = String(format: "%06d", part * 1000 + i)
                text += "822100099990001,T\(part),前台,000\(part)00,\(trace),77\(part)\(trace)0000,A1,625807******4417,credit,sale,"
                    + "\(Int.random(in: 1...99_999, using: &rng)).\(String(format: "%02d", Int.random(in: 0...99, using: &rng))),,\(currency),"
                    + "\(stamp.date.iso) \(String(format: "%02d:%02d:%02d", stamp.secondOfDay / 3600, stamp.secondOfDay / 60 % 60, stamp.secondOfDay % 60)),\n"
            }
            now = start.adding(days: Int64(121 + 3 * part))
            _ = try store.importData(Data(text.utf8), name: "random-\(part).csv",
                                     options: ImportOptions(format: .canonical, timeZone: shanghai, rules: Self.rules, now: now))
            try Self.compare(store, around: now, days: 2, "after random import \(part)")
        }
        let seen = try Self.compare(store, around: start.adding(days: 60), days: 4, "random store")
        #expect(seen.late > 0 && seen.due > 0 && seen.pending > 0, "\(seen)")
        let outside = try store.read(rules: Self.rules) { try $0.summary(now: now).noHolidayData }
        #expect(outside > 0)
        try store.recomputeStates(rules: Self.rules, now: start.adding(days: 200))
        try Self.compare(store, around: start.adding(days: 60), days: 4, "after a recompute")
        try store.writer.write { db in try db.execute(sql: "DELETE FROM txn WHERE id % 2 = 0") }
        try Self.compare(store, around: start.adding(days: 60), days: 4, "after deletes")
    }
}
