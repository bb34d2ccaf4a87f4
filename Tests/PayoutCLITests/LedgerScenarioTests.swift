import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutModel
import PayoutStore
import PayoutSync
import PayoutTUI
import Testing
@testable import payoutmon

/// Small hand-written scenarios, one situation each, in canonical CSV under
/// `Scenarios/NAME/` (imported one file per `payoutmon import`, in name order, so a
/// payout updated by a later file keeps its history). Each test states the true state,
/// cause and amounts worked out by hand from the files (contract: T+1, credit window
/// 09:00-18:00, grace 120 min, cn calendar; credit cards 0.60 %), then checks the real
/// program says the same in the drill-down (screen text), `status --json` and both
/// dispute notes (the transaction's and the payout's).
///
/// Dates: sales on Tue 2026-11-17; T+1 is Wed 11-18, due by 18:00, late after 20:00.
struct Scenario {
    static let corporate = "898440358120013"
    static let classII = "898440358120027"
    /// When status and the screens are evaluated (after every credit in the files).
    static let evaluatedAt = "2026-12-01 12:00"

    let dir = TempDir()
    let db: String

    init(_ name: String) throws {
        db = dir.path + "/s.sqlite"
        let folder = repoRoot + "/Tests/PayoutCLITests/Scenarios/" + name
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where file.hasSuffix(".csv") {
            let r = try run(["import", "--db", db, folder + "/" + file], home: dir.path)
            #expect(r.status == 0, "\(file): \(r.stderr)")
        }
    }

    /// `status --json` at `evaluatedAt`: its exit status and object.
    func status(at time: String = evaluatedAt) throws -> (code: Int32, json: [String: Any]) {
        let r = try run(["status", "--db", db, "--json", "--all-reports", "--at", time], home: dir.path)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
        return (r.status, json)
    }

    func statusText() throws -> RunResult { try run(["status", "--db", db, "--all-reports", "--at", Self.evaluatedAt], home: dir.path) }

    /// The English plain-text note for `target` (["--rrn", X] or ["--payout", Y]).
    func note(_ target: [String]) throws -> String {
        let r = try run(["note", "--db", db, "--lang", "en", "--format", "txt", "--out", dir.path + "/"] + target, home: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let path = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// The monitor's drill-down of a payout or a transaction, as screen text, and the snapshot.
    func screen(_ detail: (LedgerReader) throws -> ViewRequest.Detail) throws -> (text: String, snapshot: Snapshot) {
        let rules = try AppConfig.build(values: [:], source: nil).rules
        let store = try PayoutStore.openReadOnly(path: db)
        let now = at(Self.evaluatedAt)
        let d = try store.read(rules: rules) { try detail($0) }
        let snapshot = try SnapshotReader(rules: rules, merchantId: nil).read(store, request: ViewRequest(detail: d), now: now)
        let size = Size(width: 160, height: 100)
        var state = MonitorState(now: now, timeZone: shanghai, size: size, snapshot: snapshot)
        switch d {
        case .payout(let mid, let ref): state.screens.append(ScreenEntry(.payout(merchantId: mid, ref: ref)))
        case .transaction(let id): state.screens.append(ScreenEntry(.transaction(id: id)))
        case .account(let mid): state.screens.append(ScreenEntry(.account(merchantId: mid)))
        }
        return (render(state, size: size).text, snapshot)
    }

    func payoutScreen(_ ref: String, mid: String = corporate) throws -> (text: String, snapshot: Snapshot) {
        try screen { _ in .payout(merchantId: mid, ref: ref) }
    }

    func transactionScreen(_ rrn: String) throws -> (text: String, snapshot: Snapshot) {
        try screen { r in .transaction(id: try #require(try r.transactionLines(rrn: rrn).first).id) }
    }

    /// The drill-down's "State" line (the history below it keeps what each report said).
    static func stateLine(_ screen: String) -> String {
        screen.split(separator: "\n").first { $0.contains("│ State ") }.map(String.init) ?? ""
    }

    static func payout(_ json: [String: Any], _ ref: String, in list: String = "payouts") -> [String: Any]? {
        (json[list] as? [[String: Any]])?.first { $0["payoutRef"] as? String == ref }
    }

    static func transaction(_ json: [String: Any], _ rrn: String) -> [String: Any]? {
        (json["transactions"] as? [[String: Any]])?.first { $0["rrn"] as? String == rrn }
    }
}

@Suite(.serialized) struct LedgerScenarioTests {
    /// paid-late: 1,000.00 sale, fee 6.00, payout LKLP-S1 994.00 due Wed 11-18 (late after
    /// 20:00), paid in full Fri 11-20 11:00. By hand: settled, received 994.00, nothing
    /// short; arrived late by 11-20 11:00 − 11-18 20:00 = 39 h = 1d 15h = 2,340 minutes.
    /// Cause ARRIVED_LATE; status lists it under arrivedLate and exits 1.
    @Test func aPayoutPaidLateKeepsItsLateness() throws {
        let s = try Scenario("paid-late")
        let (code, json) = try s.status()
        #expect(code == 1)
        let late = try #require(Scenario.payout(json, "LKLP-S1", in: "arrivedLate"))
        #expect(late["arrivedLateBy"] as? Int == 2_340)
        #expect(late["state"] as? String == "settled")
        #expect(late["cause"] as? String == "ARRIVED_LATE")
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary["late"] == 0 && summary["short"] == 0 && summary["failed"] == 0)
        let text = try s.statusText()
        #expect(text.stdout.contains("payout LKLP-S1") && text.stdout.contains("arrived late by 1d 15h"))
        #expect(!text.stdout.contains("nothing late, short or held"))

        let screen = try s.payoutScreen("LKLP-S1").text
        #expect(screen.contains("arrived late by 1d 15h"))
        let txnScreen = try s.transactionScreen("626000700001").text
        #expect(txnScreen.contains("arrived late by 1d 15h"))

        for note in [try s.note(["--payout", "LKLP-S1"]), try s.note(["--rrn", "626000700001"])] {
            #expect(note.contains("arrived late by 1d 15h"))
            #expect(note.contains("ARRIVED_LATE"))
            #expect(!note.contains("No dispute is needed"))
            #expect(!note.contains("on time"))
        }
    }

    /// returned-then-paid: LKLP-S2 1,988.00 (2,000.00 less 12.00) first reported returned
    /// (ACCOUNT_CLOSED, 3-payouts-returned.csv line 2), then paid under the same ref on Mon
    /// 11-23 10:00 (5-payouts-paid.csv line 2). By hand: settled, 1,988.00 received; late
    /// by 11-23 10:00 − 11-18 20:00 = 4d 14h = 6,600 minutes; the return stays in its history.
    @Test func aReturnThenPaidKeepsItsReturnAndItsDelay() throws {
        let s = try Scenario("returned-then-paid")
        let (code, json) = try s.status()
        #expect(code == 1)
        let late = try #require(Scenario.payout(json, "LKLP-S2", in: "arrivedLate"))
        #expect(late["arrivedLateBy"] as? Int == 6_600)
        #expect(late["status"] as? String == "paid")

        let (screen, snapshot) = try s.payoutScreen("LKLP-S2")
        let history = try #require(snapshot.detail?.evidence.payouts.first?.history)
        #expect(history.map(\.status) == [.returned, .paid])
        #expect(history.map(\.line) == [2, 2])
        #expect(screen.contains("History"))
        #expect(screen.contains("3-payouts-returned.csv:2") && screen.contains("5-payouts-paid.csv:2"))
        #expect(screen.contains("ACCOUNT_CLOSED"))
        #expect(screen.contains("arrived late by 4d 14h"))

        for note in [try s.note(["--payout", "LKLP-S2"]), try s.note(["--rrn", "626000700002"])] {
            #expect(note.contains("returned (ACCOUNT_CLOSED)"))
            #expect(note.contains("3-payouts-returned.csv:2"))
            #expect(note.contains("arrived late by 4d 14h"))
            #expect(!note.contains("No dispute is needed"))
        }
    }

    /// cycle-date-past-contract: a 3,000.00 sale of Tue 11-17 is due T+1 Wed 11-18 by the
    /// contract; the acquirer gave payout LKLP-S3 the cycle date Fri 11-20 and paid it
    /// 11-20 10:00. By hand: late by 11-20 10:00 − 11-18 20:00 = 1d 14h = 2,280 minutes,
    /// judged by the contract; the acquirer's date shown beside it, two days later.
    @Test func theContractNotTheAcquirersCycleDateDecidesLateness() throws {
        let s = try Scenario("cycle-date-past-contract")
        let (code, json) = try s.status()
        #expect(code == 1)
        let late = try #require(Scenario.payout(json, "LKLP-S3", in: "arrivedLate"))
        #expect(late["arrivedLateBy"] as? Int == 2_280)
        #expect(late["cycleDate"] as? String == "2026-11-20")

        let screen = try s.payoutScreen("LKLP-S3").text
        #expect(screen.contains("arrived late by 1d 14h"))
        #expect(screen.contains("the acquirer's own cycle date is 2026-11-20"))
        #expect(screen.contains("contract: due by 11-18 18:00 (1 sales)"))
        for note in [try s.note(["--payout", "LKLP-S3"]), try s.note(["--rrn", "626000700003"])] {
            #expect(note.contains("under the contract (T+1"))
            #expect(note.contains("due by 2026-11-18 18:00"))
            #expect(note.contains("the acquirer's own cycle date is 2026-11-20"))
            #expect(note.contains("2 day(s) after the contract's"))
            #expect(note.contains("arrived late by 1d 14h"))
        }
    }

    /// scheduled-past-contract: the same 3,000.00 sale of Tue 11-17 (due T+1 Wed 11-18,
    /// late after 20:00), its payout LKLP-S8 2,982.00 scheduled by the acquirer for Fri
    /// 11-20 and not paid. By hand, on Thu 11-19 12:00: late by the contract (since 11-18
    /// 20:00), though the acquirer's own date has not come; ACQUIRER_BACKLOG, with the
    /// acquirer's date named beside the contract's.
    @Test func aPayoutScheduledPastTheContractIsLateByTheContract() throws {
        let s = try Scenario("scheduled-past-contract")
        let (code, json) = try s.status(at: "2026-11-19 12:00")
        #expect(code == 1)
        let p = try #require(Scenario.payout(json, "LKLP-S8"))
        #expect(p["state"] as? String == "late")
        #expect(p["cause"] as? String == "ACQUIRER_BACKLOG")
        #expect(p["lateAfter"] as? String == "2026-11-18T12:00:00Z")
        #expect(p["arrivedLateBy"] is NSNull, "not credited: null")
        #expect(Scenario.transaction(json, "626000700008")?["state"] as? String == "late")
        for note in [try s.note(["--payout", "LKLP-S8"]), try s.note(["--rrn", "626000700008"])] {
            #expect(note.contains("the acquirer's own cycle date is 2026-11-20"))
            #expect(note.contains("2 day(s) after the contract's"))
        }
    }

    /// class-ii-continuation (demo story 2 in small): 30,000.00 sale, fee 180.00, net
    /// 29,820.00 on a Class II account (10,000.00 a day). LKLP-S4 paid 10,000.00 and
    /// carried 19,820.00 over (hold HOLD-S4 19,820.00); LKLP-S4B paid 10,000.00 of it;
    /// LKLP-S4C (9,820.00) is still scheduled. By hand: received 20,000.00, outstanding
    /// 9,820.00 in the transaction, the payout, the hold and the summary alike; held,
    /// RECEIVING_LIMIT.
    @Test func aContinuationReducesWhatItsParentAndTheHoldStillOwe() throws {
        let s = try Scenario("class-ii-continuation")
        let (_, json) = try s.status()
        let txn = try #require(Scenario.transaction(json, "626000700004"))
        #expect(txn["state"] as? String == "held")
        #expect(txn["cause"] as? String == "RECEIVING_LIMIT")
        #expect(txn["received"] as? String == "20000.00")
        let parent = try #require(Scenario.payout(json, "LKLP-S4"))
        #expect(parent["state"] as? String == "held")
        #expect((json["outstanding"] as? [String: String])?["CNY"] == "9820.00")
        #expect((json["summary"] as? [String: Int])?["held"] == 1)

        let (screen, snapshot) = try s.payoutScreen("LKLP-S4", mid: Scenario.classII)
        let d = try #require(snapshot.detail?.diagnosis)
        #expect(d.received == Money(minor: 2_000_000, currency: .CNY))
        #expect(d.shortBy == Money(minor: 982_000, currency: .CNY))
        #expect(d.state == .held && d.primary == .receivingLimit)
        let hold = try #require(snapshot.accounts.first { $0.merchant.merchantId == Scenario.classII }?.openHolds.first)
        #expect(hold.amount == Money(minor: 982_000, currency: .CNY))
        #expect(screen.contains("9,820.00"))
        let txnDetail = try #require(try s.transactionScreen("626000700004").snapshot.detail?.diagnosis)
        #expect(txnDetail.received == d.received && txnDetail.shortBy == d.shortBy)

        let payoutNote = try s.note(["--payout", "LKLP-S4"])
        #expect(payoutNote.contains("have received 20,000.00 CNY; 9,820.00 CNY has not reached our account"))
        #expect(!payoutNote.contains("19,820.00 CNY has not reached"))
        #expect(payoutNote.contains("hold HOLD-S4 receivingLimit 19,820.00 opened 2026-11-18 10:05, 10,000.00 paid out by later payouts, 9,820.00 still withheld"))
        let txnNote = try s.note(["--rrn", "626000700004"])
        #expect(txnNote.contains("have received 20,000.00 CNY; 9,820.00 CNY has not reached our account"))
        #expect(txnNote.contains("9,820.00 still withheld"))
    }

    /// corporate-split: 10,000.00 sale, fee 60.00, net 9,940.00 on a corporate account
    /// (no inflow limit). LKLP-S5 paid 6,000.00 and carried 3,940.00 over; LKLP-S5B paid
    /// the 3,940.00 next day. By hand: everything arrived on time: settled, 9,940.00
    /// received, no cause; not RECEIVING_LIMIT, nothing held; status exits 0.
    @Test func aSplitOnACorporateAccountIsNotAReceivingLimit() throws {
        let s = try Scenario("corporate-split")
        let (code, json) = try s.status()
        #expect(code == 0, "\(json)")
        #expect((json["summary"] as? [String: Int])?["held"] == 0)
        #expect((json["payouts"] as? [Any])?.isEmpty == true)

        let (screen, snapshot) = try s.payoutScreen("LKLP-S5")
        let d = try #require(snapshot.detail?.diagnosis)
        #expect(d.state == .settled)
        #expect(d.received == Money(minor: 994_000, currency: .CNY))
        #expect(!d.codes.contains(.receivingLimit))
        #expect(!screen.contains("RECEIVING_LIMIT") && !screen.contains("corporate account"))
        // LKLP-S5B carries releases only: no sale of its own, so its cycle date is the evidence.
        #expect(try s.payoutScreen("LKLP-S5B").text.contains("no sale known: judged by its cycle date"))
        let txn = try #require(try s.transactionScreen("626000700005").snapshot.detail?.diagnosis)
        #expect(txn.state == .settled && !txn.codes.contains(.receivingLimit))
        for note in [try s.note(["--payout", "LKLP-S5"]), try s.note(["--rrn", "626000700005"])] {
            #expect(!note.contains("RECEIVING_LIMIT"))
            #expect(!note.contains("corporate account"))
            #expect(note.contains("No dispute is needed"))
        }
    }

    /// short-of-items: one 10,200.00 sale, fee 61.20: its lines sum to 10,138.80, but the
    /// acquirer's LKLP-S6 says 9,938.80 expected and paid 9,938.80 ("paid"). By hand:
    /// 200.00 short of its lines, nothing explains it: short, UNEXPLAINED, in every view.
    @Test func aPayoutShortOfItsLinesIsShortNeverPaid() throws {
        let s = try Scenario("short-of-items")
        let (code, json) = try s.status()
        #expect(code == 1)
        let p = try #require(Scenario.payout(json, "LKLP-S6"))
        #expect(p["state"] as? String == "short")
        #expect(p["cause"] as? String == "UNEXPLAINED")
        let t = try #require(Scenario.transaction(json, "626000700006"))
        #expect(t["state"] as? String == "short")
        #expect((json["short"] as? [String: String])?["CNY"] == "200.00")

        let (screen, snapshot) = try s.payoutScreen("LKLP-S6")
        #expect(snapshot.detail?.diagnosis.shortBy == Money(minor: 20_000, currency: .CNY))
        #expect(Scenario.stateLine(screen).contains("▼ short"))
        #expect(!Scenario.stateLine(screen).contains("paid"))
        #expect(!screen.contains("paid in full"))
        for note in [try s.note(["--payout", "LKLP-S6"]), try s.note(["--rrn", "626000700006"])] {
            #expect(note.contains("UNEXPLAINED"))
            #expect(note.contains("200.00"))
        }
    }

    /// returned-then-resent: LKLP-S7 3,976.00 (4,000.00 less 24.00) returned by the bank
    /// (ACCOUNT_CLOSED); a new payout LKLP-S7R re-sent the sale, paid 3,976.00 Fri 11-20
    /// 10:00. By hand: the money is in: transaction and both payouts settled, failed 0;
    /// late by 11-20 10:00 − 11-18 20:00 = 1d 14h (ARRIVED_LATE); no note asks to re-send.
    @Test func aResendClosesTheFailedPayout() throws {
        let s = try Scenario("returned-then-resent")
        let (_, json) = try s.status()
        #expect((json["summary"] as? [String: Int])?["failed"] == 0)
        #expect(Scenario.payout(json, "LKLP-S7") == nil, "not in the payouts needing attention")
        #expect(Scenario.payout(json, "LKLP-S7R", in: "arrivedLate")?["arrivedLateBy"] as? Int == 2_280)
        // The returned payout's money arrived late too, by its re-send.
        #expect(Scenario.payout(json, "LKLP-S7", in: "arrivedLate")?["creditedAt"] as? String == "2026-11-20T02:00:00Z")
        #expect(try s.statusText().stdout.contains("payout LKLP-S7 mid 898440358120013 credited 2026-11-20 10:00 (by another payout)"))

        let (screen, snapshot) = try s.payoutScreen("LKLP-S7")
        let d = try #require(snapshot.detail?.diagnosis)
        #expect(d.state == .settled)
        #expect(d.received == Money(minor: 397_600, currency: .CNY))
        #expect(Scenario.stateLine(screen).contains("✓ settled"))
        #expect(!Scenario.stateLine(screen).contains("returned"))
        for note in [try s.note(["--payout", "LKLP-S7"]), try s.note(["--rrn", "626000700007"])] {
            #expect(!note.contains("re-send payout"))
            #expect(note.contains("its money came in payout LKLP-S7R") || note.contains("LKLP-S7R"))
            #expect(note.contains("arrived late by 1d 14h"))
        }
    }
}
