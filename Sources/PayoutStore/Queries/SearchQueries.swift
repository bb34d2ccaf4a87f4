import GRDB
import PayoutCore

/// The monitor's one search (`/`) and shop filter (`s`), asked of the store: each pane's
/// rows matching the typed text, through indexes, in windows, with capped counts.
extension LedgerReader {
    /// The shops (MIDs) whose name holds `text`, or whose MID it is. The merchant table
    /// has a row a shop, so this reads few rows.
    func shopIds(matching terms: SearchTerms) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT merchantId FROM merchant WHERE instr(name, ?) > 0 OR merchantId = ? ORDER BY merchantId LIMIT 200
            """, arguments: [terms.text, terms.identifier])
    }

    /// The terminals whose name holds `text` ("外卖窗口"), at most 200.
    func terminalKeys(matching terms: SearchTerms) throws -> [(merchantId: String, terminalId: String)] {
        try Row.fetchAll(db, sql: "SELECT merchantId, terminalId FROM terminal WHERE instr(name, ?) > 0 LIMIT 200",
                         arguments: [terms.text]).map { ($0["merchantId"], $0["terminalId"]) }
    }

    /// The condition a transaction matches `terms` by: RRN (whole, or the start of one
    /// from six digits), terminal id, terminal or shop name, card tail, amount (either
    /// sign). Every term is served by an index of `txn`.
    /// `broad` is true when a shop or terminal name matched: then many rows match.
    func transactionSearch(_ terms: SearchTerms) throws -> (sql: String, arguments: StatementArguments, broad: Bool) {
        var parts: [String] = ["t.rrn = ?", "t.terminalId = ?"]
        var args: [any DatabaseValueConvertible] = [terms.text, terms.identifier]
        if terms.isDigits && terms.text.count >= 6 && terms.text.count < 12 {
            parts.append("(t.rrn >= ? AND t.rrn < ?)")
            args += [terms.text, terms.text + ":"]   // ':' sorts right after '9'
        }
        if let tail = terms.cardTail {
            parts.append("t.cardTail = ?")
            args.append(tail)
        }
        if let minor = terms.amountMinor {
            parts.append("t.amountMinor IN (?, ?)")
            args += [minor, -minor]
        }
        let shops = try shopIds(matching: terms)
        if !shops.isEmpty {
            parts.append("t.merchantId IN (" + shops.map { _ in "?" }.joined(separator: ",") + ")")
            args += shops
        }
        let terminals = try terminalKeys(matching: terms)
        if !terminals.isEmpty {
            parts.append("t.terminalId IN (" + terminals.map { _ in "?" }.joined(separator: ",") + ")")
            args += terminals.map(\.terminalId)
        }
        return ("(" + parts.joined(separator: " OR ") + ")", StatementArguments(args), !shops.isEmpty || !terminals.isEmpty)
    }

    /// The MIDs that have payouts, read by skipping through `payout_cycle` (one index
    /// seek a merchant, not a scan of the payouts).
    static let payoutMerchantsCTE = """
        WITH RECURSIVE mids(m) AS (
            SELECT (SELECT MIN(merchantId) FROM payout)
            UNION ALL
            SELECT (SELECT MIN(merchantId) FROM payout WHERE merchantId > mids.m) FROM mids WHERE mids.m IS NOT NULL
        )
        """

    /// Payouts of any state matching `terms`: their ref (whole or its start), their shop
    /// (name or MID), or their expected or paid amount; newest cycle date first; with
    /// how many match (at most `countCap` + 1). Refs are looked up per merchant through
    /// the `(merchantId, ref)` key; amounts are compared within the matching merchants'
    /// payouts, which the settlement cycle keeps to about one a shop a day.
    public func searchPayouts(_ text: String, shop: String?, offset: Int, limit: Int,
                              countCap: Int = 10_000, byAmount: Bool = false,
                              merchantIds: [String]? = nil) throws -> (lines: [PayoutLine], total: Int) {
        guard let terms = SearchTerms(text, currency: rules.policy.currency) else { return ([], 0) }
        var parts: [String] = ["p.ref = ?", "(p.ref >= ? AND p.ref < ?)"]
        var args: [any DatabaseValueConvertible] = [terms.identifier, terms.identifier, terms.identifier + "\u{10FFFF}"]
        if terms.text != terms.identifier {
            parts.append("p.ref = ?")
            args.append(terms.text)
        }
        if let minor = terms.amountMinor {
            parts.append("p.expectedMinor IN (?, ?) OR p.paidMinor IN (?, ?)")
            args += [minor, -minor, minor, -minor]
        }
        let shops = try shopIds(matching: terms)
        if !shops.isEmpty {
            parts.append("p.merchantId IN (" + shops.map { _ in "?" }.joined(separator: ",") + ")")
            args += shops
        }
        var whereSQL = "p.merchantId IN (SELECT m FROM mids WHERE m IS NOT NULL) AND (" + parts.joined(separator: " OR ") + ")"
        if let shop {
            whereSQL += " AND p.merchantId = ?"
            args.append(shop)
        }
        if let merchantIds {
            // The acquirer filter.
            whereSQL += " AND p.merchantId IN (" + (["''"] + merchantIds.map { _ in "?" }).joined(separator: ", ") + ")"
            args += merchantIds
        }
        let arguments = StatementArguments(args.map { $0 as (any DatabaseValueConvertible)? })
        let lines = try Row.fetchAll(db, sql: """
            \(Self.payoutMerchantsCTE)
            SELECT p.*, s.state AS sState, s.cause AS sCause, s.lateAfter AS sLate, s.arrivedLateMinutes AS sLateBy, s.arrivedLateAt AS sLateAt
            FROM payout p LEFT JOIN payoutState s ON s.payoutId = p.id
            WHERE \(whereSQL) ORDER BY \(byAmount ? "p.expectedMinor DESC" : "p.cycleDate DESC"), p.id DESC LIMIT ? OFFSET ?
            """, arguments: arguments + [limit, offset]).map(Self.payoutLine)
        let total = try Int.fetchOne(db, sql: """
            \(Self.payoutMerchantsCTE)
            SELECT COUNT(*) FROM (SELECT 1 FROM payout p WHERE \(whereSQL) LIMIT ?)
            """, arguments: arguments + [countCap + 1]) ?? 0
        return (lines, total)
    }

    /// The lines of `all` (read by `accounts(now:)`) matching `text` (shop name or MID)
    /// and `shop`. The matching is the store's (`shopIds`), so the screen never scans rows.
    public func accounts(_ all: [AccountLine], search text: String?, shop: String?) throws -> [AccountLine] {
        var all = all
        if let shop { all = all.filter { $0.merchant.merchantId == shop } }
        guard let text, let terms = SearchTerms(text, currency: rules.policy.currency) else { return all }
        let ids = Set(try shopIds(matching: terms))
        return all.filter { ids.contains($0.merchant.merchantId) }
    }

    /// An account's case file at `now`: its state and history, its holds (an open
    /// hold's amount is what it still withholds), its newest `payoutLimit` payouts and
    /// any payout a hold names, and the report files all of these came from. Nil when
    /// the store has no such merchant.
    public func caseFile(forAccount merchantId: String, now: Instant, payoutLimit: Int = 60) throws -> AccountCaseFile? {
        guard let merchant = try Row.fetchOne(db, sql: "SELECT * FROM merchant WHERE merchantId = ?", arguments: [merchantId])
            .map(Decode.merchant) else { return nil }
        let events = try EvidenceQueries.events(db, merchantId: merchantId, limit: 500)
        let current = events.last { $0.at <= now }
        var holds: [Hold] = []
        for var h in try Row.fetchAll(db, sql: "SELECT * FROM hold WHERE merchantId = ? ORDER BY openedAt, id LIMIT 500",
                                      arguments: [merchantId]).map(Decode.hold) {
            if h.releasedAt.map({ $0 > now }) ?? true, h.openedAt <= now {
                h.amount = h.openAmount(now: now, payouts: try releasingPayouts(of: h))
            }
            holds.append(h)
        }
        let columns = "p.*, s.state AS sState, s.cause AS sCause, s.lateAfter AS sLate, s.arrivedLateMinutes AS sLateBy, s.arrivedLateAt AS sLateAt"
        var payouts = try Row.fetchAll(db, sql: """
            SELECT \(columns) FROM payout p LEFT JOIN payoutState s ON s.payoutId = p.id
            WHERE p.merchantId = ? ORDER BY p.cycleDate DESC, p.id DESC LIMIT ?
            """, arguments: [merchantId, payoutLimit]).map(Self.payoutLine)
        for ref in Set(holds.compactMap(\.payoutRef)) where !payouts.contains(where: { $0.payout.ref == ref }) {
            if let line = try payoutLine(merchantId: merchantId, ref: ref) { payouts.append(line) }
        }
        var fileIds = Set<Int64>()
        fileIds.formUnion(try Int64.fetchAll(db, sql: "SELECT fileId FROM merchant WHERE merchantId = ?", arguments: [merchantId]))
        fileIds.formUnion(try Int64.fetchAll(db, sql: "SELECT DISTINCT fileId FROM accountEvent WHERE merchantId = ?", arguments: [merchantId]))
        fileIds.formUnion(try Int64.fetchAll(db, sql: "SELECT DISTINCT fileId FROM hold WHERE merchantId = ?", arguments: [merchantId]))
        for ref in payouts.map(\.payout.ref) {
            fileIds.formUnion(try Int64.fetchAll(db, sql: "SELECT fileId FROM payout WHERE merchantId = ? AND ref = ?",
                                                 arguments: [merchantId, ref]))
        }
        let list = fileIds.sorted().map(String.init).joined(separator: ",")
        let sources = fileIds.isEmpty ? [] : try Row.fetchAll(db, sql: "SELECT path, sha256 FROM reportFile WHERE id IN (\(list)) ORDER BY id")
            .map { ReportSource(path: $0["path"], sha256: $0["sha256"]) }
        return AccountCaseFile(merchant: merchant, state: current?.state ?? .active, since: current?.at, reason: current?.reason,
                               events: events, holds: holds, payouts: payouts, sources: sources)
    }
}

extension LedgerReader {
    /// The store ids of `merchantId`'s transactions with these RRNs (the first by id
    /// when several share one), through `txn_rrn`; at most 500 RRNs are looked up.
    public func transactionIds(merchantId: String, rrns: [String]) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        let statement = try db.cachedStatement(sql: "SELECT MIN(id) FROM txn WHERE rrn = ? AND merchantId = ?")
        for rrn in Set(rrns).sorted().prefix(500) {
            if let id = try Int64.fetchOne(statement, arguments: [rrn, merchantId]) { out[rrn] = id }
        }
        return out
    }
}
