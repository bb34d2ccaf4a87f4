import PayoutTestSupport
import Foundation
import Testing
@testable import PayoutStore

/// A store upgraded by a writer that does not have the rules: `status` warns that its
/// states wait for their recompute, and the next `import` (even of a file imported
/// before) recomputes them and the warning goes.
@Suite struct StoreUpgradeCLITests {
    @Test func statusWarnsUntilAnImportRecomputesTheUpgradedStore() throws {
        let s = EvidenceScenario.coveredButMissing
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let files = s.write(to: dir)
        #expect(try run(["import", "--db", db] + files, home: dir.path).status == 0)
        let fresh = try run(["status", "--db", db, "--all-reports", "--at", s.now], home: dir.path)
        #expect(!fresh.stdout.contains("not yet recomputed"), "\(fresh.stdout)")
        // Back to v7, then upgraded by a writer without the rules (the schema only).
        do {
            let store = try PayoutStore.openForWriting(path: db)
            try store.writer.write { db in
                try db.execute(sql: "DROP TABLE recomputeNeeded; DELETE FROM grdb_migrations WHERE identifier = 'v8-recompute'")
            }
        }
        #expect(try run(["status", "--db", db, "--all-reports", "--at", s.now], home: dir.path).status == 2, "a v7 store is refused read-only")
        #expect(try PayoutStore.openForWriting(path: db).needsRecompute)
        let stale = try run(["status", "--db", db, "--all-reports", "--at", s.now], home: dir.path)
        #expect(stale.stdout.contains("warning: the store was upgraded and its states are not yet recomputed"), "\(stale.stdout)")
        #expect(stale.stdout.contains("run `payoutmon import FILE` on it"))
        let json = try run(["status", "--db", db, "--json", "--all-reports", "--at", s.now], home: dir.path)
        #expect(json.stdout.contains("not yet recomputed"), "\(json.stdout)")
        // A file imported before adds nothing, but the writer recomputes the states once.
        #expect(try run(["import", "--db", db, files[0]], home: dir.path).status == 0)
        let after = try run(["status", "--db", db, "--all-reports", "--at", s.now], home: dir.path)
        #expect(!after.stdout.contains("not yet recomputed"), "\(after.stdout)")
        #expect(after.stdout == fresh.stdout)
    }
}
