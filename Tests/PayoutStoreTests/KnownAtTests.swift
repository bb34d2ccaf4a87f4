import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import PayoutFormats
import Testing
@testable import PayoutStore

/// `status --at`: the store as it was known at an instant (`PayoutStore.knownAt`), on the
/// returned-then-paid scenario imported as a merchant receives its files:
///
/// - Tue 11-17 20:00: the shop list and the day's sale, 2,000.00 at 12:00 (fee 12.00),
///   carried by payout LKLP-S2;
/// - Thu 11-19 08:00: LKLP-S2 reported returned (ACCOUNT_CLOSED) and its items;
/// - Mon 11-23 12:00: LKLP-S2 reported paid, credited 11-23 10:00.
///
/// By hand (contract T+1, window 09:00-18:00, grace 120 min): the sale is due Wed 11-18 by
/// 18:00 and late after 20:00. Known at 11-17 21:00: one sale, no payout, not late. Known at
/// 11-20 12:00: the payout is returned and not paid; the 11-23 report is not known. Known at
/// 11-24 12:00: paid 1,988.00, credited after its late time.
@Suite struct KnownAtTests {
    static let calendar = try! SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
    static let rules = SettlementRules(policy: .demoDefault, calendar: calendar)
    static let folder = repoRoot + "/Tests/PayoutCLITests/Scenarios/returned-then-paid/"

    func load(_ store: WritableStore, _ file: String, importedAt: String, text: String? = nil, accept: Bool = false) throws {
        var o = ImportOptions(format: .canonical, timeZone: shanghai, rules: Self.rules, now: at(importedAt), acceptRevisions: accept)
        o.importedAt = at(importedAt)
        let data = try text ?? String(contentsOfFile: Self.folder + file, encoding: .utf8)
        _ = try store.importData(Data(data.utf8), name: file, options: o)
    }

    func scenario() throws -> WritableStore {
        let store = try memoryStore()
        try load(store, "1-merchants.csv", importedAt: "2026-11-17 20:00")
        try load(store, "2-transactions.csv", importedAt: "2026-11-17 20:00")
        try load(store, "3-payouts-returned.csv", importedAt: "2026-11-19 08:00")
        try load(store, "4-payout_items.csv", importedAt: "2026-11-19 08:00")
        try load(store, "5-payouts-paid.csv", importedAt: "2026-11-23 12:00")
        return store
    }

    /// payout ref, its reported status, paid minor units, its state and cause; then each sale's state.
    func states(_ store: PayoutStore) throws -> (payouts: [String], sales: [String]) {
        try store.reader.read { db in
            (try Row.fetchAll(db, sql: """
                SELECT p.ref, p.status, p.paidMinor, s.state, s.cause FROM payout p LEFT JOIN payoutState s ON s.payoutId = p.id ORDER BY p.ref
                """).map { r in "\(r["ref"] as String) \(r["status"] as String) \((r["paidMinor"] as Int64?).map(String.init) ?? "-") \(r["state"] as String? ?? "-") \(r["cause"] as String? ?? "-")" },
             try Row.fetchAll(db, sql: """
                SELECT t.rrn, s.state FROM txn t LEFT JOIN txnState s ON s.txnId = t.id ORDER BY t.rrn
                """).map { r in "\(r["rrn"] as String) \(r["state"] as String? ?? "-")" })
        }
    }

    @Test func beforeThePayoutReportOnlyTheSaleIsKnown() throws {
        let store = try scenario()
        let copy = try store.knownAt(at("2026-11-17 21:00"), rules: Self.rules)
        defer { copy.close() }
        #expect(copy.filesKnown == 2 && copy.filesLater == 3)
        let s = try states(copy.store)
        #expect(s.payouts.isEmpty)
        let sale = try #require(s.sales.first)
        #expect(s.sales.count == 1)
        #expect(sale.hasPrefix("626000700002 ") && !sale.hasSuffix(" late"))
    }

    @Test func betweenTheReportsThePayoutIsReturnedAndNotPaid() throws {
        let store = try scenario()
        let copy = try store.knownAt(at("2026-11-20 12:00"), rules: Self.rules)
        defer { copy.close() }
        #expect(copy.filesKnown == 4 && copy.filesLater == 1)
        let s = try states(copy.store)
        #expect(s.payouts.count == 1)
        #expect(try #require(s.payouts.first).hasPrefix("LKLP-S2 returned - failed "), "\(s.payouts)")
        #expect(s.sales == ["626000700002 failed"])
        // The store itself still holds what it knows now: paid.
        #expect(try #require(try states(store).payouts.first).hasPrefix("LKLP-S2 paid 198800 "))
        // And its history as known then has only the return.
        let history = try copy.store.reader.read { db in try String.fetchAll(db, sql: "SELECT status FROM payoutEvent ORDER BY id") }
        #expect(history == ["returned"])
    }

    @Test func beforeEveryImportNothingIsKnown() throws {
        let store = try scenario()
        let copy = try store.knownAt(at("2026-11-10 12:00"), rules: Self.rules)
        defer { copy.close() }
        #expect(copy.filesKnown == 0 && copy.filesLater == 5)
        #expect(copy.firstImport == at("2026-11-17 20:00"))
        #expect(try states(copy.store).sales.isEmpty)
        #expect(try copy.store.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payoutEvent") } == 0)
    }

    /// A revision accepted later: known before it, the transaction has its first amount and place.
    @Test func aRevisionImportedLaterIsUndone() throws {
        let store = try memoryStore()
        let header = "merchant_id,terminal_id,terminal_name,batch_no,trace_no,rrn,auth_code,card_number,card_kind,kind,amount,fee,currency,occurred_at,payout_ref\n"
        let row = "898440358120013,LKL10001,前台收银1号,000700,000702,626000700002,305521,625807******4417,credit,sale,%@,12.00,CNY,2026-11-17 12:00:00,\n"
        try load(store, "a.csv", importedAt: "2026-11-17 20:00", text: header + row.replacingOccurrences(of: "%@", with: "2000.00"))
        try load(store, "b.csv", importedAt: "2026-11-18 20:00", text: header + row.replacingOccurrences(of: "%@", with: "2100.00"), accept: true)
        let now = try store.reader.read { db in try Row.fetchOne(db, sql: "SELECT t.amountMinor, f.path FROM txn t JOIN reportFile f ON f.id = t.fileId") }
        #expect(now?["amountMinor"] == 210_000 && now?["path"] == "b.csv")
        let copy = try store.knownAt(at("2026-11-18 12:00"), rules: Self.rules)
        defer { copy.close() }
        let then = try copy.store.reader.read { db in try Row.fetchOne(db, sql: "SELECT t.amountMinor, f.path FROM txn t JOIN reportFile f ON f.id = t.fileId") }
        #expect(then?["amountMinor"] == 200_000 && then?["path"] == "a.csv")
        #expect(try copy.store.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM revision") } == 0)
    }

    /// The copy's files are removed when it is closed; the store is left as it was.
    @Test func theCopyIsTemporaryAndTheStoreUntouched() throws {
        let dir = TempDir()
        let store = try scenario()
        let before = try tableCounts(store)
        let copy = try store.knownAt(at("2026-11-20 12:00"), rules: Self.rules, temporaryDirectory: URL(fileURLWithPath: dir.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 1)
        copy.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        #expect(try tableCounts(store) == before)
    }
}
