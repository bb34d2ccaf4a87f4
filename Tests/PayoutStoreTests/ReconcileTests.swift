import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import PayoutDemo
import PayoutFormats
import Testing
@testable import PayoutStore

@Suite struct ReconcileTests {
    static let calendar = try! SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
    static let rules = SettlementRules(policy: .demoDefault, calendar: calendar)

    func states(_ store: PayoutStore) throws -> [String] {
        try store.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.rrn, s.state, s.cause, s.expectedNetMinor, s.receivedMinor, s.lateAfter, s.payoutRef
                FROM txnState s JOIN txn t ON t.id = s.txnId ORDER BY t.merchantId, t.rrn, t.kind
                """).map { "\($0)" }
            + Row.fetchAll(db, sql: """
                SELECT p.ref, s.state, s.cause, s.itemsMinor, s.lateAfter, s.dueAt FROM payoutState s JOIN payout p ON p.id = s.payoutId
                ORDER BY p.merchantId, p.ref
                """).map { "\($0)" }
        }
    }

    /// Each story's transaction gets the cause the story is about.
    @Test func everyStoryGetsItsCause() throws {
        let store = try DemoStore.make()
        let expected: [String: (MoneyState, CauseCode)] = [
            "880000000101": (.settled, .feeDeduction),
            "880000000201": (.held, .receivingLimit),
            "880000000301": (.held, .riskReview),
            "880000000401": (.settled, .calendarShift),
            "880000000402": (.settled, .calendarShift),
            "880000000501": (.held, .accountStatus),
            "880000000601": (.failed, .bankProcessing),
            "880000000701": (.late, .acquirerBacklog),
            "880000000806": (.settled, .d0Quota),
            "880000000901": (.settled, .feeDeduction),
            "880000001002": (.settled, .refundOffset),
            "880000001101": (.short, .unexplained),
        ]
        try store.read(rules: Self.rules) { r in
            for (rrn, (state, cause)) in expected.sorted(by: { $0.key < $1.key }) {
                let line = try #require(try r.transactionLines(rrn: rrn).first, "rrn \(rrn)")
                #expect(line.state(at: DemoStore.now) == state, "rrn \(rrn)")
                #expect(line.cause == cause, "rrn \(rrn)")
            }
        }
        // The two "30,000 swiped, 10,000 arrived" stories have different causes.
        let a = try store.read(rules: Self.rules) { try $0.transactionLines(rrn: "880000000201").first?.cause }
        let b = try store.read(rules: Self.rules) { try $0.transactionLines(rrn: "880000000301").first?.cause }
        #expect(a != b)
    }

    /// Importing file by file (incremental) gives the same states as recomputing everything.
    @Test func incrementalEqualsFullRecompute() throws {
        let demo = try DemoData(now: DemoStore.now, policy: .demoDefault, calendar: Self.calendar, ordinaryDays: 6)
        let incremental = try memoryStore()
        // Split each file in two so later rows arrive in a second import.
        for f in demo.files {
            let lines = f.text.split(separator: "\n", omittingEmptySubsequences: false)
            let header = lines[0]
            let rows = lines.dropFirst().filter { !$0.isEmpty }
            let half = rows.count / 2
            for (i, part) in [rows.prefix(half), rows.dropFirst(half)].enumerated() where !part.isEmpty {
                let text = ([header] + part).joined(separator: "\n") + "\n"
                _ = try incremental.importData(Data(text.utf8), name: f.name + ".\(i)",
                                               options: ImportOptions(timeZone: shanghai, rules: Self.rules, now: DemoStore.now))
            }
        }
        let full = try memoryStore()
        for f in demo.files {
            _ = try full.importData(Data(f.text.utf8), name: f.name, options: ImportOptions(timeZone: shanghai))
        }
        try full.recomputeStates(rules: Self.rules, now: DemoStore.now)
        let a = try states(incremental), b = try states(full)
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) where x != y { Issue.record("incremental \(x)\n       full \(y)") }
    }

    /// The running totals the triggers keep equal a fresh count of the states, after
    /// imports that change states again and again, and after a full recompute.
    @Test func runningTotalsMatchTheStates() throws {
        func check(_ store: PayoutStore, _ when: String) throws {
            try store.reader.read { db in
                let counted = try Row.fetchAll(db, sql: """
                    SELECT state, currency, COUNT(*) AS n, SUM(expectedNetMinor - COALESCE(receivedMinor, 0)) AS m
                    FROM txnState WHERE state IN ('short', 'held', 'failed') GROUP BY 1, 2 ORDER BY 1, 2
                    """).map { "\($0)" }
                let kept = try Row.fetchAll(db, sql: """
                    SELECT state, currency, n, missingMinor AS m FROM txnStateTotal WHERE n != 0 ORDER BY 1, 2
                    """).map { "\($0)" }
                #expect(!counted.isEmpty, "\(when)")
                #expect(kept == counted, "\(when)")
            }
        }
        let demo = try DemoData(now: DemoStore.now, policy: .demoDefault, calendar: Self.calendar, ordinaryDays: 6)
        let store = try memoryStore()
        // Row by row in three parts, so states are written and rewritten as reports arrive.
        for f in demo.files {
            let lines = f.text.split(separator: "\n", omittingEmptySubsequences: false)
            let rows = lines.dropFirst().filter { !$0.isEmpty }
            let third = max(1, rows.count / 3)
            for (i, start) in stride(from: 0, to: rows.count, by: third).enumerated() {
                let part = rows[rows.startIndex + start ..< rows.startIndex + min(start + third, rows.count)]
                let text = ([lines[0]] + part).joined(separator: "\n") + "\n"
                _ = try store.importData(Data(text.utf8), name: f.name + ".\(i)",
                                         options: ImportOptions(timeZone: shanghai, rules: Self.rules, now: DemoStore.now))
            }
        }
        try check(store, "after incremental imports")
        try store.recomputeStates(rules: Self.rules, now: DemoStore.now)
        try check(store, "after a recompute")
    }

    /// Forgetting the evidence cache every few transactions (as a big pass does to bound
    /// its memory) changes no state.
    @Test func cacheFlushesChangeNothing() throws {
        let store = try DemoStore.make()
        let before = try states(store)
        try store.recomputeStates(rules: Self.rules, now: DemoStore.now, cacheSpan: 3)
        let after = try states(store)
        #expect(before.count > 100)
        #expect(before == after)
    }

    /// Reading transactions, their payouts' refs and their holds in batches (set queries)
    /// gives the states reading them one at a time gives, whatever the batch size.
    @Test func batchedReadsChangeNothing() throws {
        let store = try DemoStore.make()
        try store.recomputeStates(rules: Self.rules, now: DemoStore.now, cacheSpan: 20_000, batchSize: 0)
        let oneByOne = try states(store)
        #expect(oneByOne.count > 100)
        for size in [1, 7, 500] {
            try store.recomputeStates(rules: Self.rules, now: DemoStore.now, cacheSpan: 20_000, batchSize: size)
            #expect(try states(store) == oneByOne, "batch size \(size)")
        }
    }

    /// A diagnosis without words (what the reconciler stores) decides what one with words
    /// decides, for every demo transaction and payout: state, amounts, times, causes and
    /// shares; only the text is left out.
    @Test func wordlessDiagnosisDecidesTheSame() throws {
        let store = try DemoStore.make()
        let now = DemoStore.now
        var textChars = (worded: 0, bare: 0)
        func same(_ a: Diagnosis, _ b: Diagnosis, _ what: String) {
            #expect(a.state == b.state, "\(what)")
            #expect(a.codes == b.codes, "\(what)")
            #expect(a.findings.map(\.explained) == b.findings.map(\.explained), "\(what)")
            #expect(a.findings.map(\.amount) == b.findings.map(\.amount), "\(what)")
            #expect(a.expectedNet == b.expectedNet && a.received == b.received && a.shortBy == b.shortBy, "\(what)")
            #expect(a.expectedCredit == b.expectedCredit && a.lateAfter == b.lateAfter, "\(what)")
            #expect(a.shares == b.shares && a.checks == b.checks, "\(what)")
            textChars.worded += chars(a)
            textChars.bare += chars(b)
        }
        func chars(_ d: Diagnosis) -> Int {
            d.findings.reduce(0) { n, f in f.evidence.reduce(n) { $0 + $1.en.utf8.count + $1.zh.utf8.count } }
        }
        var seen = (txns: 0, worded: 0)
        try store.reader.read { db in
            for id in try Int64.fetchAll(db, sql: "SELECT id FROM txn ORDER BY id") {
                let t = try #require(try EvidenceQueries.transaction(db, id: id))
                let worded = try EvidenceQueries.forTransaction(db, t, rules: Self.rules, now: now)
                let bare = try EvidenceQueries.forTransaction(db, t, rules: Self.rules, now: now, words: false)
                #expect(bare.expectation?.steps.isEmpty ?? true)
                #expect(bare.expectation?.lateAfter == worded.expectation?.lateAfter)
                let full = Diagnosis.diagnose(worded, now: now)
                same(full, Diagnosis.diagnose(bare, now: now, includeRuledOut: false, words: false), "RRN \(t.rrn)")
                seen.txns += 1
                if full.findings.contains(where: { !$0.evidence.isEmpty }) { seen.worded += 1 }
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM payout ORDER BY id") {
                let p = Decode.payout(row)
                let e = try EvidenceQueries.forPayout(db, p, rules: Self.rules, now: now)
                same(Diagnosis.diagnosePayout(e, now: now), Diagnosis.diagnosePayout(e, now: now, includeRuledOut: false, words: false),
                     "payout \(p.ref)")
            }
        }
        #expect(seen.txns > 100)
        #expect(seen.worded > 50)
        // The evidence lines are left out (the few phrases built outside `Diagnoser.t` remain).
        #expect(textChars.bare * 4 < textChars.worded, "\(textChars)")
    }

    /// A later report (the carried-over payout paid) changes only what it touches.
    @Test func aLaterPaymentSettlesTheCarryOver() throws {
        let store = try DemoStore.make()
        let before = try store.read(rules: Self.rules) { try $0.transactionLines(rrn: "880000000201").first }
        #expect(before?.storedState == .held)
        // The rest arrives: both carry-over payouts paid, the hold released.
        let p = """
            merchant_id,payout_ref,cycle_date,expected_amount,paid_amount,currency,status,credited_at
            898440358120027,LKLP-DEMO-02B,2026-11-30,10000.00,10000.00,CNY,paid,2026-11-30 10:05:00
            898440358120027,LKLP-DEMO-02C,2026-12-01,9820.00,9820.00,CNY,paid,2026-12-01 10:05:00
            """
        let later = LocalDateTime(parsing: "2026-12-01 12:00")!.instant(in: shanghai)
        let options = ImportOptions(timeZone: shanghai, rules: Self.rules, now: later)
        _ = try store.importData(Data(p.utf8), name: "later-payouts.csv", options: options)
        let h = """
            merchant_id,hold_ref,hold_kind,amount,currency,rrn,payout_ref,opened_at,released_at,reason
            898440358120027,HOLD-DEMO-02,receivingLimit,19820.00,CNY,880000000201,LKLP-DEMO-02,2026-11-27 10:05:00,2026-12-01 10:05:00,released
            """
        _ = try store.importData(Data(h.utf8), name: "later-holds.csv", options: options)
        let after = try store.read(rules: Self.rules) { try $0.transactionLines(rrn: "880000000201").first }
        #expect(after?.storedState == .settled)
        #expect(after?.received?.minor == 2_982_000)
    }
}
