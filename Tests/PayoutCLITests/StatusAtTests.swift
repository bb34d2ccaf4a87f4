import PayoutTestSupport
import Foundation
import Testing

/// `status --at`: the store as known at that time. Files imported by `payoutmon import`
/// carry the time they were imported (today), so a time before that finds nothing known,
/// and says so; `--all-reports` evaluates at that time with everything the store holds.
@Suite struct StatusAtTests {
    @Test func aTimeBeforeEveryImportKnowsNothingAndSaysSo() throws {
        let dir = TempDir()
        let db = dir.path + "/s.sqlite"
        let folder = repoRoot + "/Tests/PayoutCLITests/Scenarios/returned-then-paid/"
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where file.hasSuffix(".csv") {
            #expect(try run(["import", "--db", db, folder + file], home: dir.path).status == 0)
        }
        let text = try run(["status", "--db", db, "--at", "2026-11-20 12:00"], home: dir.path)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("as known then: nothing; the store's first file was imported "))
        #expect(text.stdout.contains("transactions 0: pending 0"))
        #expect(text.stdout.contains("nothing late, short or held"))

        let json = try run(["status", "--db", db, "--json", "--at", "2026-11-20 12:00"], home: dir.path)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let known = try #require(object["asKnown"] as? [String: Any])
        #expect(known["filesKnown"] as? Int == 0 && known["filesLater"] as? Int == 5)
        #expect(known["firstImport"] is String)

        // Everything the store holds, evaluated then: the sale and its payout are there.
        let all = try run(["status", "--db", db, "--json", "--all-reports", "--at", "2026-11-24 12:00"], home: dir.path)
        let allObject = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])
        #expect(allObject["asKnown"] is NSNull)
        #expect((allObject["summary"] as? [String: Any])?["transactions"] as? Int == 1)
        #expect(all.status == 1, "LKLP-S2 arrived late within the last 30 days")

        // A time after the last import needs no copy: everything known, nothing left out.
        let later = try run(["status", "--db", db, "--json", "--at", "2099-01-01 00:00"], home: dir.path)
        let laterObject = try #require(try JSONSerialization.jsonObject(with: Data(later.stdout.utf8)) as? [String: Any])
        #expect(laterObject["asKnown"] is NSNull)
        #expect((laterObject["summary"] as? [String: Any])?["transactions"] as? Int == 1)
    }
}
