import Foundation
import GRDB
import PayoutCore

/// The pending transactions' running totals (`txnPendingTotal`, v11-pending-totals):
/// count and missing money per currency, late-time day and expected-credit day (days
/// of 86,400,000 ms since the epoch, UTC). A figure that depends on the clock is the
/// sum of the days wholly on one side of the boundary plus an index range read
/// (`txnState_open`, by late time) of the pending rows in the days the boundary falls
/// in; so it costs the number of days and today's rows, not the number pending.
struct PendingTotals {
    static let day: Int64 = 86_400_000

    struct Bucket {
        let currency: String
        let lateDay: Int64
        let creditDay: Int64
        let n: Int
        let missing: Int64
    }

    let buckets: [Bucket]

    /// The day (UTC, floor) of an instant in epoch milliseconds, as the triggers compute it.
    static func dayOf(_ millis: Int64) -> Int64 {
        millis >= 0 ? millis / day : (millis - day + 1) / day
    }

    /// The SQL of `dayOf` for a column expression.
    static func daySQL(_ column: String) -> String {
        "(CASE WHEN \(column) >= 0 THEN \(column) / \(day) ELSE (\(column) - \(day - 1)) / \(day) END)"
    }

    init(_ db: Database) throws {
        buckets = try Row.fetchAll(db, sql: """
            SELECT currency, lateDay, creditDay, n, missingMinor FROM txnPendingTotal WHERE n != 0
            """).map { Bucket(currency: $0["currency"], lateDay: $0["lateDay"], creditDay: $0["creditDay"],
                              n: $0["n"], missing: $0["missingMinor"]) }
    }

    /// The pending rows whose late time falls in the days `lateDays`, as `SELECT`ed by
    /// `columns` and `condition` (each day one index range read).
    static func rows(_ db: Database, lateDays: Set<Int64>, columns: String, condition: String = "1",
                     groupBy: String? = nil, arguments: [String: (any DatabaseValueConvertible)?] = [:]) throws -> [Row] {
        var out: [Row] = []
        for d in lateDays.sorted() {
            var args = arguments
            args["lo"] = d * day
            args["hi"] = (d + 1) * day
            out += try Row.fetchAll(db, sql: """
                SELECT \(columns) FROM txnState
                WHERE state IN ('pending', 'short', 'held', 'failed') AND state = 'pending'
                  AND lateAfter >= :lo AND lateAfter < :hi AND (\(condition))
                \(groupBy.map { "GROUP BY \($0)" } ?? "")
                """, arguments: StatementArguments(args))
        }
        return out
    }

    /// Adds the pending part of the summary at `now` (late before `now`; due today:
    /// not late and expected before `endOfToday`): the same figures as grouping every
    /// pending row by `lateAfter < now` and `expectedCreditAt < endOfToday`.
    func addPending(_ db: Database, to s: inout LedgerSummary, now: Instant, endOfToday: Instant) throws {
        let today = Self.dayOf(now.epochMillis)
        let eodDay = Self.dayOf(endOfToday.epochMillis)
        // The days read row by row: today's late-time day, and the later late-time days
        // holding a row expected on the day the end of today falls in.
        var exact: Set<Int64> = [today]
        for b in buckets where b.lateDay > today && b.creditDay == eodDay { exact.insert(b.lateDay) }
        for b in buckets where !exact.contains(b.lateDay) {
            s.outstanding[b.currency, default: 0] += b.missing
            if b.lateDay < today { s.late += b.n; continue }
            s.pending += b.n
            if b.creditDay < eodDay { s.dueToday += b.n }
        }
        let rows = try Self.rows(db, lateDays: exact, columns: """
            lateAfter < :now AS isLate, expectedCreditAt < :eod AS dueToday, currency,
            COUNT(*) AS n, SUM(expectedNetMinor - COALESCE(receivedMinor, 0)) AS missing
            """, groupBy: "1, 2, 3", arguments: ["now": now.epochMillis, "eod": endOfToday.epochMillis])
        for r in rows {
            let n: Int = r["n"]
            if r["isLate"] == true { s.late += n } else {
                s.pending += n
                if r["dueToday"] == true { s.dueToday += n }
            }
            s.outstanding[r["currency"], default: 0] += r["missing"] ?? 0
        }
    }

    /// The count, earliest and latest expected credit time of the pending rows expected
    /// before `before` or at or after `after`.
    func outside(_ db: Database, before: Int64, after: Int64) throws -> (n: Int, lo: Int64?, hi: Int64?) {
        let b = Self.dayOf(before), a = Self.dayOf(after)
        var n = 0
        var loDay: Int64?, hiDay: Int64?
        // Whole days on either side, then the two boundary days row by row.
        for k in buckets where k.creditDay < b || k.creditDay > a {
            n += k.n
            loDay = min(loDay ?? k.creditDay, k.creditDay)
            hiDay = max(hiDay ?? k.creditDay, k.creditDay)
        }
        var lo: Int64?, hi: Int64?
        func read(creditDay: Int64, condition: String) throws -> (n: Int, lo: Int64?, hi: Int64?) {
            let lateDays = Set(buckets.filter { $0.creditDay == creditDay }.map(\.lateDay))
            var c = 0
            var l: Int64?, h: Int64?
            for r in try Self.rows(db, lateDays: lateDays, columns: "COUNT(*) AS n, MIN(expectedCreditAt) AS lo, MAX(expectedCreditAt) AS hi",
                                   condition: "expectedCreditAt >= :dlo AND expectedCreditAt < :dhi AND \(condition)",
                                   arguments: ["dlo": creditDay * Self.day, "dhi": (creditDay + 1) * Self.day,
                                               "before": before, "after": after]) {
                c += r["n"] as Int
                if let x: Int64 = r["lo"] { l = min(l ?? x, x) }
                if let x: Int64 = r["hi"] { h = max(h ?? x, x) }
            }
            return (c, l, h)
        }
        // The boundary days (one day when `before` and `after` share it).
        let boundary = b == a ? [(b, "(expectedCreditAt < :before OR expectedCreditAt >= :after)")]
                              : [(b, "expectedCreditAt < :before"), (a, "expectedCreditAt >= :after")]
        for (d, condition) in boundary {
            let r = try read(creditDay: d, condition: condition)
            n += r.n
            if let x = r.lo { lo = min(lo ?? x, x) }
            if let x = r.hi { hi = max(hi ?? x, x) }
        }
        // The exact extremes inside the earliest and latest whole days.
        if let loDay, let x = try read(creditDay: loDay, condition: "1").lo { lo = min(lo ?? x, x) }
        if let hiDay, let x = try read(creditDay: hiDay, condition: "1").hi { hi = max(hi ?? x, x) }
        return (n, lo, hi)
    }
}

/// The running count of sales awaiting a settlement report per expected-credit day
/// (`txnAwaitingTotal`, v12-awaiting-totals; days as `PendingTotals.dayOf`). A count on
/// one side of an instant is the days wholly on that side plus one index range read
/// (`txnState_awaiting`, by expected credit time) of the day the instant falls in.
enum AwaitingTotals {
    /// The count, earliest and latest expected credit time of the awaiting rows expected
    /// before `before` or at or after `after` (`before` < `after`).
    static func outside(_ db: Database, before: Int64, after: Int64) throws -> (n: Int, lo: Int64?, hi: Int64?) {
        let day = PendingTotals.day
        let b = PendingTotals.dayOf(before), a = PendingTotals.dayOf(after)
        func read(_ from: Int64, _ to: Int64) throws -> (n: Int, lo: Int64?, hi: Int64?) {
            guard from < to, let row = try Row.fetchOne(try db.cachedStatement(sql: """
                SELECT COUNT(*) AS n, MIN(expectedCreditAt) AS lo, MAX(expectedCreditAt) AS hi
                FROM txnState INDEXED BY txnState_awaiting
                WHERE state = 'awaiting' AND expectedCreditAt >= ? AND expectedCreditAt < ?
                """), arguments: [from, to]) else { return (0, nil, nil) }
            return (row["n"], row["lo"], row["hi"])
        }
        // Whole days on either side.
        let whole = try Row.fetchOne(db, sql: """
            SELECT COALESCE(SUM(n), 0) AS n, MIN(creditDay) AS lo, MAX(creditDay) AS hi FROM txnAwaitingTotal
            WHERE n != 0 AND (creditDay < ? OR creditDay > ?)
            """, arguments: [b, a])
        var n: Int = whole?["n"] ?? 0
        var lo: Int64?, hi: Int64?
        // The boundary days row by row: before `before` in its day, from `after` in its day.
        for (from, to) in [(b * day, before), (after, (a + 1) * day)] {
            let r = try read(from, to)
            n += r.n
            if let x = r.lo { lo = min(lo ?? x, x) }
            if let x = r.hi { hi = max(hi ?? x, x) }
        }
        // The exact extremes inside the earliest and latest whole days.
        if let d: Int64 = whole?["lo"], let x = try read(d * day, (d + 1) * day).lo { lo = min(lo ?? x, x) }
        if let d: Int64 = whole?["hi"], let x = try read(d * day, (d + 1) * day).hi { hi = max(hi ?? x, x) }
        return (n, lo, hi)
    }
}
