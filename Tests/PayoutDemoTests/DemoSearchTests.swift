import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import Testing
@testable import PayoutDemo
@testable import PayoutStore

/// The monitor's one search and the account case file, asked of the demo store.
@Suite struct DemoSearchTests {
    static let now = at("2026-11-28 15:00")

    static func demoStore() throws -> (WritableStore, SettlementRules) {
        let calendar = try SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
        let rules = SettlementRules(policy: .demoDefault, calendar: calendar)
        let demo = try DemoData(now: now, policy: .demoDefault, calendar: calendar, ordinaryDays: 3)
        let store = try WritableStore(DatabaseQueue())
        _ = try demo.write(to: store, rules: rules, now: now)
        return (store, rules)
    }

    @Test func aSettledPayoutIsFoundByItsRefOrItsStart() throws {
        let (store, rules) = try Self.demoStore()
        try store.read(rules: rules) { r in
            let settled = try #require(try Row.fetchOne(r.db, sql: """
                SELECT p.merchantId, p.ref FROM payout p JOIN payoutState s ON s.payoutId = p.id WHERE s.state = 'settled' ORDER BY p.id LIMIT 1
                """))
            let ref: String = settled["ref"]
            let found = try r.searchPayouts(ref, shop: nil, offset: 0, limit: 10)
            #expect(found.total == 1)
            #expect(found.lines.map(\.payout.ref) == [ref])
            #expect(found.lines.first?.state(at: Self.now) == .settled)
            // Lower case as typed, and the start of the ref.
            #expect(try r.searchPayouts(ref.lowercased(), shop: nil, offset: 0, limit: 10).lines.map(\.payout.ref).contains(ref))
            let start = try r.searchPayouts(String(ref.prefix(ref.count - 1)), shop: nil, offset: 0, limit: 50)
            #expect(start.lines.map(\.payout.ref).contains(ref))
            // A ref is a payout's: no transaction matches it.
            #expect(try r.transactions(filter: ref, problemsOnly: false, now: Self.now, offset: 0, limit: 10).total == 0)
        }
    }

    @Test func anAmountMatchesInEveryWrittenForm() throws {
        let (store, rules) = try Self.demoStore()
        try store.read(rules: rules) { r in
            let story = try #require(try r.transactionLines(rrn: DemoStories.rrn(2)).first)
            let amount = story.transaction.amount
            let forms = ["¥" + amount.formatted(), amount.formatted(), amount.formatted(grouping: false),
                         String(amount.minor / 100), amount.formatted() + "元", "￥" + amount.formatted()]
            var totals: Set<Int> = []
            for form in forms {
                let found = try r.transactions(filter: form, problemsOnly: false, now: Self.now, offset: 0, limit: 100)
                #expect(found.lines.contains { $0.id == story.id }, "\(form)")
                #expect(found.lines.allSatisfy { $0.transaction.amount.minor.magnitude == amount.minor.magnitude }, "\(form)")
                totals.insert(found.total)
            }
            #expect(totals.count == 1)
        }
    }

    @Test func aCardTailMatchesWithOrWithoutTheStar() throws {
        let (store, rules) = try Self.demoStore()
        try store.read(rules: rules) { r in
            let story = try #require(try r.transactionLines(rrn: DemoStories.rrn(2)).first)
            let tail = String(story.transaction.cardMasked.suffix(4))
            let plain = try r.transactions(filter: tail, problemsOnly: false, now: Self.now, offset: 0, limit: 100)
            let starred = try r.transactions(filter: "*" + tail, problemsOnly: false, now: Self.now, offset: 0, limit: 100)
            #expect(plain.lines.contains { $0.id == story.id })
            #expect(plain.lines.map(\.id) == starred.lines.map(\.id))
        }
    }

    @Test func shopAndTerminalNamesMatch() throws {
        let (store, rules) = try Self.demoStore()
        try store.read(rules: rules) { r in
            let shop = try #require(DemoStories.shop(DemoStories.frozenMID))
            let byShop = try r.transactions(filter: shop.name, problemsOnly: false, now: Self.now, offset: 0, limit: 1000)
            #expect(byShop.total > 0)
            #expect(byShop.lines.allSatisfy { $0.transaction.merchantId == DemoStories.frozenMID })
            let accounts = try r.accounts(try r.accounts(now: Self.now), search: shop.name, shop: nil)
            #expect(accounts.map(\.merchant.merchantId) == [DemoStories.frozenMID])
            let payouts = try r.searchPayouts(shop.name, shop: nil, offset: 0, limit: 1000)
            #expect(payouts.total > 0 && payouts.lines.allSatisfy { $0.payout.merchantId == DemoStories.frozenMID })
            let terminal = try #require(DemoStories.terminals.first { $0.name == "外卖窗口" })
            let byTerminal = try r.transactions(filter: "外卖窗口", problemsOnly: false, now: Self.now, offset: 0, limit: 1000)
            #expect(byTerminal.total > 0)
            #expect(byTerminal.lines.allSatisfy { $0.transaction.terminalId == terminal.id })
        }
    }

    @Test func theShopFilterNarrowsTransactionsAndPayouts() throws {
        let (store, rules) = try Self.demoStore()
        try store.read(rules: rules) { r in
            let mid = DemoStories.classIIMID
            let txns = try r.transactions(filter: nil, problemsOnly: false, now: Self.now, offset: 0, limit: 10_000, shop: mid)
            let all = try r.transactions(filter: nil, problemsOnly: false, now: Self.now, offset: 0, limit: 10_000)
            #expect(txns.total == all.lines.filter { $0.transaction.merchantId == mid }.count)
            #expect(txns.lines.allSatisfy { $0.transaction.merchantId == mid })
            let open = try r.payouts(problemsOnly: false, now: Self.now, offset: 0, limit: 1000, shop: mid)
            let allOpen = try r.payouts(problemsOnly: false, now: Self.now, offset: 0, limit: 1000)
            #expect(open.total == allOpen.lines.filter { $0.payout.merchantId == mid }.count)
            #expect(open.lines.map(\.id) == allOpen.lines.filter { $0.payout.merchantId == mid }.map(\.id))
        }
    }

    @Test func searchesReadThroughIndexes() throws {
        let (store, rules) = try Self.demoStore()
        try store.read(rules: rules) { r in
            let terms = try #require(SearchTerms("外卖窗口", currency: .CNY))
            let f = try r.transactionSearch(terms)
            let plan = try Row.fetchAll(r.db, sql: "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM txn t WHERE \(f.sql)", arguments: f.arguments)
                .map { $0["detail"] as String }
            #expect(!plan.contains { $0.hasPrefix("SCAN t") && !$0.contains("INDEX") }, "\(plan)")
            let payoutPlan = try Row.fetchAll(r.db, sql: """
                EXPLAIN QUERY PLAN \(LedgerReader.payoutMerchantsCTE)
                SELECT 1 FROM payout p WHERE p.merchantId IN (SELECT m FROM mids WHERE m IS NOT NULL) AND p.ref = 'X'
                """).map { $0["detail"] as String }
            #expect(!payoutPlan.contains { $0.hasPrefix("SCAN p") }, "\(payoutPlan)")
        }
    }

    @Test func theFrozenShopsAccountCaseFileAndNote() throws {
        let (store, rules) = try Self.demoStore()
        let c = try #require(try store.read(rules: rules) { r in try r.caseFile(forAccount: DemoStories.frozenMID, now: Self.now) })
        #expect(c.state == .frozen)
        #expect(c.events.last?.state == .frozen)
        let affected = c.affected(at: Self.now).map(\.payout.ref)
        #expect(affected.contains(DemoStories.payoutRef(5)))
        #expect(!c.sources.isEmpty)
        let en = AccountNote(caseFile: c, now: Self.now, zone: rules.policy.timeZone, language: .en, format: .markdown)
        #expect(en.isDispute)
        #expect(en.suggestedFileName == "\(DemoStories.frozenMID)-account-2026-11-28.md")
        #expect(en.text.contains("# Account enquiry: MID \(DemoStories.frozenMID), account frozen"))
        #expect(en.text.contains(DemoStories.payoutRef(5)))
        #expect(en.text.contains("## What we ask"))
        let zh = AccountNote(caseFile: c, now: Self.now, zone: rules.policy.timeZone, language: .zhHans, format: .plain)
        #expect(zh.text.contains("商户账户查询函"))
        #expect(zh.text.contains("【受影响的结算单】"))
        #expect(zh.suggestedFileName.hasSuffix(".txt"))
        // An active account with nothing withheld needs no enquiry.
        var quiet = c
        quiet.state = .active
        quiet.since = nil
        quiet.reason = nil
        quiet.holds = []
        quiet.payouts = quiet.payouts.filter { $0.state(at: Self.now) == .settled }
        let quietNote = AccountNote(caseFile: quiet, now: Self.now, zone: rules.policy.timeZone, language: .en, format: .markdown)
        #expect(!quietNote.isDispute)
        #expect(quietNote.text.contains("no enquiry needed"))
    }
}

extension DemoSearchTests {
    @Test func listsSortByAmountInTheStore() throws {
        let (store, rules) = try Self.demoStore()
        try store.read(rules: rules) { r in
            let txns = try r.transactions(filter: nil, problemsOnly: false, now: Self.now, offset: 0, limit: 50, byAmount: true)
            #expect(txns.lines.count == 50)
            #expect(txns.lines.map(\.transaction.amount.minor) == txns.lines.map(\.transaction.amount.minor).sorted(by: >))
            let all = try r.transactions(filter: nil, problemsOnly: false, now: Self.now, offset: 0, limit: 100_000)
            #expect(txns.lines.first?.transaction.amount.minor == all.lines.map(\.transaction.amount.minor).max())
            let open = try r.payouts(problemsOnly: false, now: Self.now, offset: 0, limit: 1000, byAmount: true)
            let usual = try r.payouts(problemsOnly: false, now: Self.now, offset: 0, limit: 1000)
            #expect(open.total == usual.total)
            #expect(Set(open.lines.map(\.id)) == Set(usual.lines.map(\.id)))
            #expect(open.lines.map(\.payout.expectedAmount.minor) == open.lines.map(\.payout.expectedAmount.minor).sorted(by: >))
        }
    }
}
