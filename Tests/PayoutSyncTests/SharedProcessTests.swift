import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutModel
import PayoutStore
import PayoutSync
import Testing

/// `payoutmon --demo`: the monitor's poller and the demo feed's writer share one
/// process, while other programs (`payoutmon simulate`, `import`) come and go on the
/// same store. Opening a store must never cost the process's other connections their
/// locks: if it did, the last other program to close would take the store for its own,
/// delete the WAL under them, and every read here would fail with "disk I/O error".
@Suite struct SharedProcessTests {
    @Test(.timeLimit(.minutes(1)))
    func otherProgramsComingAndGoingLeaveThisProcesssConnectionsWorking() throws {
        let binary = try #require(payoutmonBinary, "the payoutmon binary is built next to the tests")
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        // This process's writer stays open all along, as the demo feed's does.
        let writer = try PayoutStore.openForWriting(path: path)
        try addTransactions(writer, first: 1, count: 10)
        let poller = StorePoller(path: path, rules: testRules, merchantId: nil)
        let request = ViewRequest(transactionLimit: 5)
        var expected = 10
        for round in 0..<2 {
            // Reopening the store here (as the poller does after every commit) comes first.
            _ = try PayoutStore.openReadOnly(path: path)
            let file = dir.path + "/other-\(round).csv"
            FileManager.default.createFile(atPath: file, contents: Data(transactionsCSV(first: 1000 * (round + 1), count: 5).utf8))
            #expect(try runToEnd(binary, ["import", "--db", path, "--format", "canonical", file], home: dir.path) == 0)
            expected += 5
            let snapshot = poller.poll(request: request, now: at("2026-11-23 10:30"), force: true)
            #expect(poller.status.isSynced, "round \(round): \(poller.status)")
            #expect(snapshot?.transactionTotal == expected, "round \(round)")
            // And this process's writer still writes.
            try addTransactions(writer, first: 100 * (round + 1), count: 1)
            expected += 1
        }
        let last = poller.poll(request: request, now: at("2026-11-23 10:31"), force: true)
        #expect(last?.transactionTotal == expected)
    }
}
