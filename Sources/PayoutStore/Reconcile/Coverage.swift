import Foundation
import GRDB
import PayoutCore

/// The settlement days the imported reports cover (`reportCoverage`, migration
/// v7-coverage). A settlement file covers, for each merchant whose payouts it reports,
/// the days from the first to the last cycle date of those payouts; a day outside
/// every span (beyond the last report, or in a gap between two) is not covered, and a
/// sale due that day that no payout carries is "awaiting report", not late.
enum ReportCoverageStore {
    /// Records the spans `fileId` covers, from the payouts it reports, and returns the
    /// awaiting transactions of those merchants whose expected credit falls in or just
    /// before a span (their state may change now). `zone` nil: record only.
    static func record(_ db: Database, fileId: Int64, payouts: Set<PayoutKey>, zone: TimeZone?) throws -> [Int64] {
        guard !payouts.isEmpty else { return [] }
        var spans: [String: ClosedRange<LocalDate>] = [:]
        let cycle = try db.cachedStatement(sql: "SELECT cycleDate FROM payout WHERE merchantId = ? AND ref = ?")
        for key in payouts {
            guard let iso = try String.fetchOne(cycle, arguments: [key.merchantId, key.ref]), let day = LocalDate(iso: iso) else { continue }
            if let s = spans[key.merchantId] {
                spans[key.merchantId] = min(s.lowerBound, day)...max(s.upperBound, day)
            } else {
                spans[key.merchantId] = day...day
            }
        }
        var answered: [Int64] = []
        let awaiting = try db.cachedStatement(sql: """
            SELECT txnId FROM txnState INDEXED BY txnState_awaiting
            WHERE state = 'awaiting' AND expectedCreditAt >= ? AND expectedCreditAt < ? AND merchantId = ?
            """)
        for (mid, span) in spans.sorted(by: { $0.key < $1.key }) {
            try db.execute(sql: "INSERT INTO reportCoverage (merchantId, fromDay, toDay, fileId) VALUES (?,?,?,?)",
                           arguments: [mid, span.lowerBound.iso, span.upperBound.iso, fileId])
            guard let zone else { continue }
            // A sale's first credit may come days before the day a report answers for
            // (a D+0 part, then the rest on the next working day): look back two weeks.
            let from = LocalDateTime(date: span.lowerBound.adding(days: -14), secondOfDay: 0).instant(in: zone)
            let to = LocalDateTime(date: span.upperBound.adding(days: 1), secondOfDay: 0).instant(in: zone)
            answered += try Int64.fetchAll(awaiting, arguments: [from.epochMillis, to.epochMillis, mid])
        }
        return answered
    }

    /// The spans covered for `merchantId`, adjoining and overlapping ones merged.
    static func coverage(_ db: Database, merchantId: String) throws -> ReportCoverage {
        let rows = try Row.fetchAll(try db.cachedStatement(sql: "SELECT fromDay, toDay FROM reportCoverage WHERE merchantId = ? ORDER BY fromDay"),
                                    arguments: [merchantId])
        var spans: [ClosedRange<LocalDate>] = []
        for r in rows {
            guard let a = LocalDate(iso: r["fromDay"]), let b = LocalDate(iso: r["toDay"]), a <= b else { continue }
            if let last = spans.last, a <= last.upperBound.adding(days: 1) {
                spans[spans.count - 1] = last.lowerBound...max(last.upperBound, b)
            } else {
                spans.append(a...b)
            }
        }
        return ReportCoverage(spans: spans)
    }

    /// The last day any settlement report covers, over every merchant (nil: none).
    static func latestCovered(_ db: Database) throws -> LocalDate? {
        try String.fetchOne(db, sql: "SELECT MAX(toDay) FROM reportCoverage").flatMap { LocalDate(iso: $0) }
    }
}
