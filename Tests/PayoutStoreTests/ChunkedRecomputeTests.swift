import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import Testing
@testable import PayoutStore

/// The upgrade's recompute commits in chunks and writes how far it got into the mark,
/// so an interrupted one keeps its work and the next call goes on from there.
@Suite struct ChunkedRecomputeTests {
    let rules = ReconcileTests.rules

    func figures(_ store: PayoutStore) throws -> (LedgerSummary, [String], [String]) {
        try store.read(rules: rules) { r in
            (try r.summary(now: DemoStore.now),
             try r.transactions(filter: nil, problemsOnly: false, now: DemoStore.now, offset: 0, limit: 500).lines.map { "\($0)" },
             try r.payouts(problemsOnly: false, now: DemoStore.now, offset: 0, limit: 500).lines.map { "\($0)" })
        }
    }

    /// Marks the store as an upgrade does, with its states spoiled so a recompute shows.
    func spoil(_ store: WritableStore) throws {
        try store.writer.write { db in
            try db.execute(sql: """
                UPDATE txnState SET state = 'pending' WHERE state IN ('awaiting', 'short');
                DELETE FROM payoutState;
                INSERT INTO recomputeNeeded (id, reason) VALUES (1, 'upgraded to v8-recompute');
                """)
        }
    }

    func reason(_ store: WritableStore) throws -> String? {
        try store.writer.read { db in try String.fetchOne(db, sql: "SELECT reason FROM recomputeNeeded") }
    }

    @Test func anInterruptedRecomputeKeepsItsProgressAndTheNextCallFinishes() throws {
        let dir = TempDir()
        let store = try DemoStore.make(dir)
        let (summary, txns, payouts) = try figures(store)
        let order = try store.writer.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM txn ORDER BY occurredAt, id") }
        #expect(order.count > 60)
        try spoil(store)
        #expect(try figures(store).0 != summary, "the spoiled states differ")

        // One chunk of 25, then stop (as if the process were killed after its commit).
        let recorder = ProgressRecorder()
        #expect(try store.recomputeUpgraded(rules: rules, now: DemoStore.now, chunk: 25, maxChunks: 1,
                                            progress: { recorder.add($0, $1) }))
        #expect(try reason(store) == "upgraded to v8-recompute; done through txn id \(order[24])")
        #expect(try store.needsRecompute)
        #expect(recorder.calls.last.map { $0 == [25, order.count] } ?? false, "\(recorder.calls)")

        // The next call (in bigger chunks) starts after that transaction: its progress starts past 25.
        let resumed = ProgressRecorder()
        #expect(try store.recomputeUpgraded(rules: rules, now: DemoStore.now, chunk: 400, maxChunks: nil,
                                            progress: { resumed.add($0, $1) }))
        #expect(resumed.calls.first.map { $0[0] > 25 } ?? false, "\(resumed.calls)")
        #expect(resumed.calls.last == [order.count, order.count])
        #expect(try reason(store) == nil)
        #expect(try !store.needsRecompute)
        let (after, txnsAfter, payoutsAfter) = try figures(store)
        #expect(after == summary)
        #expect(txnsAfter == txns)
        #expect(payoutsAfter == payouts)
        #expect(try !store.recomputeIfUpgraded(rules: rules, now: DemoStore.now))
    }

    /// Chunks of any size end where the one-transaction recompute does.
    @Test func chunkedAndWholeRecomputesAgree() throws {
        let dir = TempDir()
        let store = try DemoStore.make(dir)
        let whole = try figures(store)
        for chunk in [300, 100_000] {
            try spoil(store)
            #expect(try store.recomputeUpgraded(rules: rules, now: DemoStore.now, chunk: chunk, maxChunks: nil, progress: nil))
            let chunked = try figures(store)
            #expect(chunked.0 == whole.0, "chunk \(chunk)")
            #expect(chunked.1 == whole.1, "chunk \(chunk)")
            #expect(chunked.2 == whole.2, "chunk \(chunk)")
        }
    }

    @Test func theMarkReadsItsProgressBack() {
        let fresh = RecomputeMark("upgraded to v8-recompute")
        #expect(fresh.doneThrough == nil && fresh.base == "upgraded to v8-recompute")
        let marked = RecomputeMark(fresh.reason(doneThrough: 42))
        #expect(marked.doneThrough == 42 && marked.base == "upgraded to v8-recompute")
        #expect(RecomputeMark(marked.reason(doneThrough: 99)).reason(doneThrough: 100) == "upgraded to v8-recompute; done through txn id 100")
    }

    /// The whole recompute tells its progress too, ending at every transaction.
    @Test func theWholeRecomputeReportsTransactionsDoneOfTotal() throws {
        let store = try DemoStore.make()
        let count = try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM txn") ?? 0 }
        let recorder = ProgressRecorder()
        try store.recomputeStates(rules: rules, now: DemoStore.now) { recorder.add($0, $1) }
        #expect(recorder.calls.last == [count, count])
        #expect(recorder.calls.map { $0[0] } == recorder.calls.map { $0[0] }.sorted())
    }
}

final class ProgressRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [[Int]] = []
    func add(_ done: Int, _ total: Int) { lock.lock(); list.append([done, total]); lock.unlock() }
    var calls: [[Int]] { lock.lock(); defer { lock.unlock() }; return list }
}
