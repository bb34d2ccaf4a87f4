import Foundation
import GRDB
import PayoutCore

/// Matches a merchant's payouts to the credits of its bank statements
/// (docs/report-formats.md, "Matching payouts to bank credits").
///
/// Rules, in order; a credit serves at most one rule and (except a merged credit) one
/// payout:
/// 1. `reference`: the payout's bank reference is the entry's bank reference or
///    end-to-end id, or the payout's ref is a word of the entry's references or
///    remittance text. Several such credits summing to the payout: `reference-split`.
///    One such credit of another amount is still its credit, with the difference
///    (CREDITED_DIFFERENT).
/// 2. `amount-date`: one credit of exactly the payout's amount booked in its window (its
///    expected credit day through the next `windowWorkingDays` working days); among
///    several, the one from an acquirer payer, else the one booked on the expected day.
///    Still several: each is kept as an ambiguous candidate and none is chosen.
/// 3. `merged`: payouts expected on one day whose sum is one credit in their window.
/// 4. `split`: credits from an acquirer payer booked on one day in the window whose sum
///    is the payout.
///
/// Linear in payouts and entries: credits are indexed by amount (each list in booking
/// order) and by reference words; a payout looks up only its own amount and words.
/// Only booked credits that are not reversals, of statements assigned to the merchant,
/// take part. The pass is rerun for a merchant whenever its payouts or statements
/// change; it rewrites that merchant's `bankMatch` rows and returns the payouts whose
/// matches changed.
struct BankMatching {
    let db: Database
    let rules: SettlementRules
    /// Working days after the expected credit day a credit may still be booked on.
    static let windowWorkingDays = 2

    struct Credit {
        let id: Int64
        let amount: Int64
        let currency: String
        let day: LocalDate
        let words: [String]
        let fromAcquirer: Bool
    }

    struct PayoutRow {
        let id: Int64
        let ref: String
        let amount: Int64
        let currency: String
        let day: LocalDate
        let bankRef: String?
        let acquirer: String
    }

    struct Match: Hashable {
        let payout: Int64
        let entry: Int64
        let rule: String
        let ambiguous: Bool
        let difference: Int64
    }

    /// The day the payout's money is expected on the account: the acquirer's credit
    /// time, else its expected arrival, else its cycle date (in the policy's zone).
    static func creditDay(cycleDate: LocalDate, creditedAt: Instant?, expectedArrival: Instant?, zone: TimeZone) -> LocalDate {
        (creditedAt ?? expectedArrival).map { LocalDateTime($0, in: zone).date } ?? cycleDate
    }

    /// The days a payout's credit is looked for: its credit day through the next
    /// `windowWorkingDays` working days.
    static func window(from day: LocalDate, calendar: SettlementCalendar) -> ClosedRange<LocalDate> {
        day...calendar.addingWorkingDays(windowWorkingDays, to: day)
    }

    static func window(of p: Payout, rules: SettlementRules) -> ClosedRange<LocalDate> {
        window(from: creditDay(cycleDate: p.cycleDate, creditedAt: p.creditedAt, expectedArrival: p.expectedArrival,
                               zone: rules.policy.timeZone), calendar: rules.calendar)
    }

    /// Runs the pass for `merchants`; returns the payouts whose matches changed.
    func run(merchants: Set<String>) throws -> Set<PayoutKey> {
        var changed: Set<PayoutKey> = []
        for mid in merchants.sorted() {
            changed.formUnion(try run(merchant: mid))
        }
        return changed
    }

    /// Whether the store holds any statement assigned to a merchant: without one there
    /// is nothing to match (a report import then skips the pass).
    static func hasStatements(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM bankStatement WHERE merchantId IS NOT NULL LIMIT 1") ?? false
    }

    func run(merchant mid: String) throws -> Set<PayoutKey> {
        let zone = rules.policy.timeZone
        let acquirer = try String.fetchOne(db, sql: "SELECT acquirer FROM merchant WHERE merchantId = ?", arguments: [mid]) ?? ""
        let payers = (rules.bankPayers + (acquirer.count >= 2 ? [acquirer] : [])).map { $0.lowercased() }
        // Credits.
        var credits: [Credit] = []
        var acquirerFlags: [(Int64, Bool, Bool)] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT e.id, e.amountMinor, e.currency, e.bookingDate, e.bankRef, e.endToEndId, e.remittance, e.counterpartyName, e.fromAcquirer
            FROM bankEntry e
            WHERE e.merchantId = ? AND e.amountMinor > 0 AND e.status = 'booked' AND e.reversal = 0
            """, arguments: [mid]) {
            let name: String? = row["counterpartyName"]
            let remittance: String? = row["remittance"]
            let lowered = ((name ?? "") + " " + (remittance ?? "")).lowercased()
            let fromAcquirer = payers.contains { !$0.isEmpty && lowered.contains($0) }
            let id: Int64 = row["id"]
            let stored: Bool = row["fromAcquirer"]
            if stored != fromAcquirer { acquirerFlags.append((id, fromAcquirer, stored)) }
            guard let day = LocalDate(iso: row["bookingDate"]) else { continue }
            var words: [String] = []
            for field in [row["bankRef"] as String?, row["endToEndId"] as String?, remittance] {
                guard let field else { continue }
                words.append(field)
                words.append(contentsOf: Self.words(field))
            }
            credits.append(Credit(id: id, amount: row["amountMinor"], currency: row["currency"], day: day,
                                  words: words, fromAcquirer: fromAcquirer))
        }
        for (id, flag, _) in acquirerFlags {
            try db.execute(sql: "UPDATE bankEntry SET fromAcquirer = ? WHERE id = ?", arguments: [flag ? 1 : 0, id])
        }
        credits.sort { ($0.day, $0.id) < ($1.day, $1.id) }
        var byAmount: [String: [Int]] = [:]
        var byWord: [String: [Int]] = [:]
        for (i, c) in credits.enumerated() {
            byAmount["\(c.currency)|\(c.amount)", default: []].append(i)
            for w in Set(c.words) where w.count >= 4 { byWord[w, default: []].append(i) }
        }
        // Payouts that say money was or will be sent.
        var payouts: [PayoutRow] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT id, ref, cycleDate, expectedMinor, paidMinor, currency, status, expectedArrival, creditedAt, bankRef
            FROM payout WHERE merchantId = ? AND status IN ('paid', 'partial', 'inTransit', 'processing', 'scheduled')
            """, arguments: [mid]) {
            guard let cycle = LocalDate(iso: row["cycleDate"]) else { continue }
            let credited: Int64? = row["creditedAt"]
            let expected: Int64? = row["expectedArrival"]
            let day = Self.creditDay(cycleDate: cycle, creditedAt: credited.map { Instant(epochMillis: $0) },
                                     expectedArrival: expected.map { Instant(epochMillis: $0) }, zone: zone)
            let paid: Int64? = row["paidMinor"]
            payouts.append(PayoutRow(id: row["id"], ref: row["ref"], amount: paid ?? row["expectedMinor"], currency: row["currency"],
                                     day: day, bankRef: row["bankRef"], acquirer: acquirer))
        }
        payouts.sort { ($0.day, $0.ref) < ($1.day, $1.ref) }

        var used = Set<Int>()
        var matches: [Match] = []
        var done = Set<Int64>()
        func window(_ p: PayoutRow) -> ClosedRange<LocalDate> { Self.window(from: p.day, calendar: rules.calendar) }
        func inWindow(_ list: [Int], _ w: ClosedRange<LocalDate>) -> [Int] {
            // `list` is in booking order: binary search for the window's first day.
            var lo = 0, hi = list.count
            while lo < hi { let mid = (lo + hi) / 2; if credits[list[mid]].day < w.lowerBound { lo = mid + 1 } else { hi = mid } }
            var out: [Int] = []
            var k = lo
            while k < list.count, credits[list[k]].day <= w.upperBound { if !used.contains(list[k]) { out.append(list[k]) }; k += 1 }
            return out
        }
        // 1. References.
        for p in payouts {
            var found: [Int] = []
            for key in [p.bankRef, p.ref].compactMap({ $0 }) where key.count >= 4 {
                for i in byWord[key] ?? [] where !used.contains(i) && !found.contains(i) && credits[i].currency == p.currency {
                    found.append(i)
                }
            }
            guard !found.isEmpty else { continue }
            let total = found.reduce(Int64(0)) { $0 + credits[$1].amount }
            if found.count == 1 {
                let c = credits[found[0]]
                matches.append(Match(payout: p.id, entry: c.id, rule: "reference", ambiguous: false, difference: c.amount - p.amount))
            } else if total == p.amount {
                for i in found { matches.append(Match(payout: p.id, entry: credits[i].id, rule: "reference-split", ambiguous: false, difference: 0)) }
            } else if let exact = found.first(where: { credits[$0].amount == p.amount }) {
                found = [exact]
                matches.append(Match(payout: p.id, entry: credits[exact].id, rule: "reference", ambiguous: false, difference: 0))
            } else {
                for i in found { matches.append(Match(payout: p.id, entry: credits[i].id, rule: "reference", ambiguous: true, difference: credits[i].amount - p.amount)) }
                done.insert(p.id)
                continue
            }
            for i in found { used.insert(i) }
            done.insert(p.id)
        }
        // 2. Amount and date window.
        for p in payouts where !done.contains(p.id) {
            var candidates = inWindow(byAmount["\(p.currency)|\(p.amount)"] ?? [], window(p))
            guard !candidates.isEmpty else { continue }
            if candidates.count > 1 {
                let fromAcquirer = candidates.filter { credits[$0].fromAcquirer }
                if !fromAcquirer.isEmpty { candidates = fromAcquirer }
            }
            if candidates.count > 1 {
                let sameDay = candidates.filter { credits[$0].day == p.day }
                if sameDay.count == 1 { candidates = sameDay }
            }
            if candidates.count == 1 {
                used.insert(candidates[0])
                matches.append(Match(payout: p.id, entry: credits[candidates[0]].id, rule: "amount-date", ambiguous: false, difference: 0))
            } else {
                for i in candidates { matches.append(Match(payout: p.id, entry: credits[i].id, rule: "amount-date", ambiguous: true, difference: 0)) }
            }
            done.insert(p.id)
        }
        // 3. Several payouts of one day merged into one credit.
        let open = payouts.filter { !done.contains($0.id) }
        for (_, group) in Dictionary(grouping: open, by: { "\($0.day.iso)|\($0.currency)" }) where group.count >= 2 {
            let total = group.reduce(Int64(0)) { $0 + $1.amount }
            let candidates = inWindow(byAmount["\(group[0].currency)|\(total)"] ?? [], window(group[0]))
            guard candidates.count == 1 else { continue }
            used.insert(candidates[0])
            for p in group {
                matches.append(Match(payout: p.id, entry: credits[candidates[0]].id, rule: "merged", ambiguous: false, difference: 0))
                done.insert(p.id)
            }
        }
        // 4. One payout split into several credits from an acquirer payer on one day.
        if !payouts.allSatisfy({ done.contains($0.id) }) {
            var byDay: [String: [Int]] = [:]
            for (i, c) in credits.enumerated() where c.fromAcquirer { byDay["\(c.day.iso)|\(c.currency)", default: []].append(i) }
            for p in payouts where !done.contains(p.id) {
                let w = window(p)
                var day = w.lowerBound
                while day <= w.upperBound {
                    let parts = (byDay["\(day.iso)|\(p.currency)"] ?? []).filter { !used.contains($0) }
                    if parts.count >= 2, parts.reduce(Int64(0), { $0 + credits[$1].amount }) == p.amount {
                        for i in parts {
                            used.insert(i)
                            matches.append(Match(payout: p.id, entry: credits[i].id, rule: "split", ambiguous: false, difference: 0))
                        }
                        done.insert(p.id)
                        break
                    }
                    day = day.adding(days: 1)
                }
            }
        }
        return try write(merchant: mid, matches: matches, payouts: payouts)
    }

    /// Replaces the merchant's matches; returns the payouts whose matches changed.
    private func write(merchant mid: String, matches: [Match], payouts: [PayoutRow]) throws -> Set<PayoutKey> {
        var old: [Int64: Set<Match>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT payoutId, entryId, rule, ambiguous, differenceMinor FROM bankMatch WHERE merchantId = ?",
                                    arguments: [mid]) {
            let m = Match(payout: row["payoutId"], entry: row["entryId"], rule: row["rule"], ambiguous: row["ambiguous"],
                          difference: row["differenceMinor"])
            old[m.payout, default: []].insert(m)
        }
        let new = Dictionary(grouping: matches, by: \.payout).mapValues(Set.init)
        let refs = Dictionary(payouts.map { ($0.id, $0.ref) }, uniquingKeysWith: { a, _ in a })
        var changed: Set<PayoutKey> = []
        for id in Set(old.keys).union(new.keys) where old[id] != new[id] {
            if let ref = refs[id] {
                changed.insert(PayoutKey(merchantId: mid, ref: ref))
            } else if let ref = try String.fetchOne(db, sql: "SELECT ref FROM payout WHERE id = ?", arguments: [id]) {
                changed.insert(PayoutKey(merchantId: mid, ref: ref))
            }
        }
        guard !changed.isEmpty else { return changed }
        try db.execute(sql: "DELETE FROM bankMatch WHERE merchantId = ?", arguments: [mid])
        let insert = try db.cachedStatement(sql: "INSERT INTO bankMatch (payoutId, entryId, merchantId, rule, ambiguous, differenceMinor) VALUES (?,?,?,?,?,?)")
        for m in matches {
            try insert.execute(arguments: [m.payout, m.entry, mid, m.rule, m.ambiguous ? 1 : 0, m.difference])
        }
        return changed
    }

    /// The words of a reference or remittance text that could be a payout or bank
    /// reference: runs of letters, digits, '-' and '_' (a Chinese text's ASCII parts).
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text.unicodeScalars {
            if ch.isASCII && (CharacterSet.alphanumerics.contains(ch) || ch == "-" || ch == "_") {
                current.unicodeScalars.append(ch)
            } else if !current.isEmpty {
                out.append(current); current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
