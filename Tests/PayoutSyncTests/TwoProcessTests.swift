import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutModel
import PayoutStore
import PayoutSync
import Testing

/// Another process writes while the poller reads: `payoutmon import` runs batch after
/// batch of 50 transactions into the store the poller watches.
@Suite struct TwoProcessTests {
    /// What the writer has committed so far, shared between its thread and the test.
    final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        private var _committed = 0
        private var _done = false
        private var _failures: [String] = []
        var committed: Int { lock.withLock { _committed } }
        var done: Bool { lock.withLock { _done } }
        var failures: [String] { lock.withLock { _failures } }
        func commit() { lock.withLock { _committed += 1 } }
        func fail(_ s: String) { lock.withLock { _failures.append(s) } }
        func finish() { lock.withLock { _done = true } }
    }

    static let batchSize = 50
    static let batches = 12

    @Test(.timeLimit(.minutes(2)))
    func everyCommitIsInTheNextSnapshotAndNoneHalfWritten() throws {
        let binary = try #require(payoutmonBinary, "the payoutmon binary is built next to the tests")
        let dir = TempDir()
        let path = dir.path + "/s.sqlite"
        try makeStore(path, transactions: 0)
        let files = (0..<Self.batches).map { k -> String in
            let file = dir.path + "/batch-\(k).csv"
            FileManager.default.createFile(atPath: file, contents: Data(transactionsCSV(first: k * Self.batchSize + 1,
                                                                                        count: Self.batchSize).utf8))
            return file
        }
        let progress = Progress()
        let home = dir.path
        let writer = Thread {
            for file in files {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: binary)
                p.arguments = ["import", "--db", path, "--format", "canonical", file]
                p.environment = ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config",
                                 "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                do {
                    try p.run()
                    p.waitUntilExit()
                    if p.terminationStatus != 0 { progress.fail("\(file): exit \(p.terminationStatus)") }
                } catch {
                    progress.fail("\(file): \(error)")
                }
                // The process has exited: its transaction is committed.
                progress.commit()
            }
            progress.finish()
        }
        let poller = StorePoller(path: path, rules: testRules, merchantId: nil)
        writer.start()

        var seen = Set<Int>()
        var polls = 0
        var late: [String] = []
        var torn: [String] = []
        while true {
            let done = progress.done
            let committed = progress.committed
            let snapshot = poller.poll(request: ViewRequest(), now: at("2026-11-23 10:30"), force: false)
            polls += 1
            let shown = try #require(poller.lastSnapshot)
            if let snapshot, snapshot.transactionTotal % Self.batchSize != 0 || snapshot.summary.transactions != snapshot.transactionTotal {
                torn.append("total \(snapshot.transactionTotal), summary \(snapshot.summary.transactions)")
            }
            if shown.transactionTotal < committed * Self.batchSize {
                late.append("\(committed) batches committed before the poll, snapshot shows \(shown.transactionTotal)")
            }
            seen.insert(shown.transactionTotal)
            if done { break }
            Thread.sleep(forTimeInterval: 0.002)
        }
        #expect(progress.failures.isEmpty, "\(progress.failures)")
        #expect(torn.isEmpty, "a snapshot showed part of a file: \(torn.prefix(3))")
        #expect(late.isEmpty, "a committed batch was missing from the next snapshot: \(late.prefix(3))")
        let final = try #require(poller.lastSnapshot)
        #expect(final.transactionTotal == Self.batches * Self.batchSize)
        #expect(final.summary.transactions == Self.batches * Self.batchSize)
        #expect(final.transactions.count == 50 && final.transactions.first?.transaction.rrn == "9" + String(format: "%011d", 600))
        #expect(seen.count >= 3, "the poller saw the store grow while it was written: \(seen.sorted())")
        #expect(poller.status.isSynced)
        #expect(polls > Self.batches)
    }
}
