import Foundation
import GRDB
import PayoutCore

extension PayoutStore {
    /// Runs `body` inside one read transaction, so everything it reads is one consistent view.
    public func read<T>(rules: SettlementRules, _ body: (LedgerReader) throws -> T) throws -> T {
        do {
            return try reader.read { db in try body(LedgerReader(db: db, rules: rules)) }
        } catch let e as DatabaseError {
            throw PayoutStore.translate(e, path: path)
        }
    }
}

/// The queries behind the screens and `payoutmon status`: each returns a window of
/// rows through an index, so its cost does not grow with the size of the store.
public struct LedgerReader {
    let db: Database
    public let rules: SettlementRules

    /// Every merchant profile, by MID.
    public func merchants() throws -> [Merchant] {
        try Row.fetchAll(db, sql: "SELECT * FROM merchant ORDER BY merchantId").map(Decode.merchant)
    }

    /// The number of transactions in the store. Rows are never deleted, so the largest
    /// rowid is the count, read from the end of the primary key in constant time.
    public func transactionCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT MAX(id) FROM txn") ?? 0
    }

    static let txnLineColumns = Decode.txnColumns + """
        , s.state AS sState, s.cause AS sCause, s.expectedCreditAt AS sCredit, s.lateAfter AS sLate,
        s.expectedNetMinor AS sNet, s.receivedMinor AS sReceived, s.payoutRef AS sPayout
        """
    static let txnLineFrom = Decode.txnJoin + " LEFT JOIN txnState s ON s.txnId = t.id"

    static func txnLine(_ row: Row) -> TxnLine {
        let t = Decode.transaction(row)
        let c = t.amount.currency
        return TxnLine(id: row["id"], transaction: t,
                       storedState: (row["sState"] as String?).flatMap(MoneyState.init(rawValue:)) ?? .pending,
                       cause: (row["sCause"] as String?).flatMap(CauseCode.init(rawValue:)),
                       expectedCredit: Decode.instant(row, "sCredit"), lateAfter: Decode.instant(row, "sLate"),
                       expectedNet: Decode.optionalMoney(row, "sNet", c), received: Decode.optionalMoney(row, "sReceived", c),
                       payoutRef: row["sPayout"] ?? t.payoutRef)
    }

    /// Newest transactions first, optionally filtered and/or problems only; plus how many match.
    /// Counts of filtered windows stop at `countCap` (the screen shows "10,000+").
    /// The search is `transactionSearch` (`SearchTerms`); `shop` keeps one MID's rows;
    /// `merchantIds` only these merchants' rows (the acquirer filter); nil: all.
    public func transactions(filter: String?, problemsOnly: Bool, now: Instant, offset: Int, limit: Int,
                             countCap: Int = 10_000, shop: String? = nil, byAmount: Bool = false,
                             merchantIds: [String]? = nil) throws -> (lines: [TxnLine], total: Int) {
        var conditions: [String] = []
        var args = StatementArguments()
        if let merchantIds {
            conditions.append("t.merchantId IN (" + (["''"] + merchantIds.map { _ in "?" }).joined(separator: ", ") + ")")
            args += StatementArguments(merchantIds)
        }
        // Many matching rows (a shop, a terminal name): walk the newest-first index and stop
        // at the window, rather than sort every match. Few (an RRN, a card tail): their indexes.
        var dense = shop != nil || merchantIds != nil
        if let terms = filter.flatMap({ SearchTerms($0, currency: rules.policy.currency) }) {
            let f = try transactionSearch(terms)
            conditions.append(f.sql)
            args += f.arguments
            dense = f.broad
        }
        if let shop {
            conditions.append("t.merchantId = ?")
            args += [shop]
        }
        let from = dense && !byAmount ? Self.txnLineFrom.replacingOccurrences(of: "txn t LEFT JOIN", with: "txn t INDEXED BY txn_newest LEFT JOIN")
            : Self.txnLineFrom
        if problemsOnly {
            conditions.append("t.id IN (SELECT txnId FROM txnState WHERE state IN ('short', 'held', 'failed', 'other-currency') OR (state = 'pending' AND lateAfter < ?))")
            args += [now.epochMillis]
        }
        let whereSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let lines = try Row.fetchAll(db, sql: """
            SELECT \(Self.txnLineColumns) FROM \(from) \(whereSQL)
            ORDER BY \(byAmount ? "t.amountMinor DESC, t.id DESC" : "t.occurredAt DESC, t.id DESC") LIMIT ? OFFSET ?
            """, arguments: args + [limit, offset]).map(Self.txnLine).map { flagged($0) }
        let total: Int
        if conditions.isEmpty {
            total = try transactionCount()
        } else {
            total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT 1 FROM txn t \(whereSQL) LIMIT ?)",
                                     arguments: args + [countCap + 1]) ?? 0
        }
        return (lines, total)
    }

    static func payoutLine(_ row: Row) -> PayoutLine {
        var line = PayoutLine(id: row["id"], payout: Decode.payout(row), lateAfter: Decode.instant(row, "sLate"),
                              storedState: (row["sState"] as String?).flatMap(MoneyState.init(rawValue:)) ?? .pending,
                              cause: (row["sCause"] as String?).flatMap(CauseCode.init(rawValue:)))
        line.arrivedLateMinutes = row.hasColumn("sLateBy") ? row["sLateBy"] : nil
        line.arrivedLateAt = row.hasColumn("sLateAt") ? Decode.instant(row, "sLateAt") : nil
        return line
    }

    /// Payouts not yet settled (pending, short, held, failed; with `problemsOnly`, only
    /// the late, short, held and failed), oldest expected arrival first so overdue money
    /// leads; plus how many there are. The window is read in order from the partial
    /// index `payoutState_open` (v4), so it costs the rows shown, not the open payouts.
    /// `shop` keeps one MID's payouts; `merchantIds` only these merchants' (the acquirer
    /// filter); nil: all.
    public func payouts(problemsOnly: Bool, now: Instant, offset: Int, limit: Int, shop: String? = nil,
                        byAmount: Bool = false, merchantIds: [String]? = nil) throws -> (lines: [PayoutLine], total: Int) {
        if shop != nil || byAmount || merchantIds != nil {
            // One shop, some merchants, or by amount: the open payouts through `payoutState_open`, kept and ordered.
            var named: [String: (any DatabaseValueConvertible)?] = ["now": now.epochMillis]
            var only = ""
            if let shop {
                named["shop"] = shop
                only += " AND p.merchantId = :shop"
            }
            if let merchantIds {
                var names = ["''"]
                for (i, mid) in merchantIds.enumerated() {
                    names.append(":m\(i)")
                    named["m\(i)"] = mid
                }
                only += " AND p.merchantId IN (" + names.joined(separator: ", ") + ")"
            }
            var lines = try Row.fetchAll(db, sql: Self.openPayoutsSQL(problemsOnly: problemsOnly, only: only, byAmount: byAmount),
                                         arguments: StatementArguments(named) + ["limit": limit, "offset": offset]).map(Self.payoutLine)
            for i in lines.indices { lines[i].bank = try bankState(of: lines[i].payout)?.state }
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payoutState s JOIN payout p ON p.id = s.payoutId WHERE "
                                         + Self.openCondition(problemsOnly) + only,
                                         arguments: StatementArguments(named)) ?? 0
            return (lines, total)
        }
        var lines = try Row.fetchAll(db, sql: Self.openPayoutsSQL(problemsOnly: problemsOnly),
                                     arguments: ["now": now.epochMillis, "limit": limit, "offset": offset]).map(Self.payoutLine)
        for i in lines.indices { lines[i].bank = try bankState(of: lines[i].payout)?.state }
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payoutState s WHERE \(Self.openCondition(problemsOnly))",
                                     arguments: ["now": now.epochMillis]) ?? 0
        return (lines, total)
    }

    /// Open payouts (late, short, held and failed ones with `problemsOnly`). The first term
    /// is the partial index's own condition, so SQLite can use `payoutState_open`.
    static func openCondition(_ problemsOnly: Bool) -> String {
        "s.state IN ('pending', 'short', 'held', 'failed')" + (problemsOnly
            ? " AND (s.state IN ('short', 'held', 'failed') OR (s.state = 'pending' AND s.lateAfter < :now))"
            : "")
    }

    /// A window of open payouts in the overview's order (parameters :now, :limit, :offset).
    /// `only`: further conditions on `p.merchantId` (" AND p.merchantId = :shop").
    static func openPayoutsSQL(problemsOnly: Bool, only: String = "", byAmount: Bool = false) -> String {
        """
        SELECT p.*, s.state AS sState, s.cause AS sCause, s.lateAfter AS sLate
        FROM payoutState s INDEXED BY payoutState_open JOIN payout p ON p.id = s.payoutId
        WHERE \(openCondition(problemsOnly))\(only)
        ORDER BY \(byAmount ? "p.expectedMinor DESC, s.payoutId" : "s.dueAt, s.payoutId") LIMIT :limit OFFSET :offset
        """
    }

    /// Each merchant's account standing. Open holds come from one pass of `hold_open`; the
    /// current state and recent events are two cached statements a merchant, each one
    /// index seek, so a chain's many merchants cost little more than one.
    public func accounts(now: Instant) throws -> [AccountLine] {
        let described = try merchants()
        let derivedWithCurrencies = try merchantsFromReports(known: Set(described.map(\.merchantId)))
        let derived = derivedWithCurrencies.map(\.merchant)
        let otherCurrencies = Dictionary(derivedWithCurrencies.map { ($0.merchant.merchantId, $0.others) }, uniquingKeysWith: { a, _ in a })
        let merchants = described + derived
        guard !merchants.isEmpty else { return [] }
        let fromReports = Set(derived.map(\.merchantId))
        var holds: [String: [Hold]] = [:]
        for var h in try Row.fetchAll(db, sql: "SELECT * FROM hold WHERE releasedAt IS NULL ORDER BY openedAt, id").map(Decode.hold) {
            // What is still withheld: continuation payouts that paid out part of it count
            // (the same `Hold.openAmount` diagnosis uses).
            h.amount = h.openAmount(now: now, payouts: try releasingPayouts(of: h))
            guard h.amount.minor > 0 || h.openedAt > now else { continue }
            holds[h.merchantId, default: []].append(h)
        }
        let current = try db.cachedStatement(sql: """
            SELECT * FROM accountEvent WHERE merchantId = ? AND at <= ? ORDER BY at DESC LIMIT 1
            """)
        return try merchants.map { m in
            let events = try EvidenceQueries.events(db, merchantId: m.merchantId, limit: 5)
            let latest = try Row.fetchOne(current, arguments: [m.merchantId, now.epochMillis]).map(Decode.event)
            let policy = rules.policy(for: m, currency: m.currency)
            return AccountLine(merchant: m, state: latest?.state ?? .active, since: latest?.at, reason: latest?.reason,
                               openHolds: holds[m.merchantId] ?? [], recentEvents: events,
                               cycle: policy.contractApplies ? policy.cycle.description : nil,
                               fromReportsOnly: fromReports.contains(m.merchantId),
                               otherCurrencies: otherCurrencies[m.merchantId] ?? [])
        }
    }

    /// The merchant accounts the reports name in their payouts or transactions (an Adyen
    /// merchant account, a Stripe account) that no merchants file describes, by id: the
    /// id is the name, the acquirer is the report format's, the currency the one most of
    /// its rows are in (of at most 1,000 payouts and 1,000 transactions; `others`: the
    /// rest of the currencies seen, most rows first). The ids are read by skipping through
    /// the indexes `payout_cycle` and `txn_payout` (one seek per merchant, not a scan).
    func merchantsFromReports(known: Set<String>) throws -> [(merchant: Merchant, others: [String])] {
        var found: [String: (merchant: Merchant, others: [String])] = [:]
        let currencies = try db.cachedStatement(sql: """
            SELECT currency FROM (SELECT currency FROM (SELECT currency FROM txn WHERE merchantId = :m LIMIT 1000)
                                  UNION ALL SELECT currency FROM (SELECT currency FROM payout WHERE merchantId = :m LIMIT 1000))
            GROUP BY currency ORDER BY COUNT(*) DESC, currency
            """)
        for (table, index) in [("payout", "payout_cycle"), ("txn", "txn_payout")] {
            let next = try db.cachedStatement(sql: """
                SELECT merchantId FROM \(table) INDEXED BY \(index) WHERE merchantId > ? ORDER BY merchantId LIMIT 1
                """)
            let first = try db.cachedStatement(sql: """
                SELECT t.currency, f.format FROM \(table) t JOIN reportFile f ON f.id = t.fileId WHERE t.merchantId = ? LIMIT 1
                """)
            var after = ""
            while let mid = try String.fetchOne(next, arguments: [after]) {
                after = mid
                guard !known.contains(mid), found[mid] == nil, let row = try Row.fetchOne(first, arguments: [mid]) else { continue }
                let codes = try String.fetchAll(currencies, arguments: ["m": mid])
                guard let currency = (codes.first ?? row["currency"]).flatMap(Currency.init(code:)) else { continue }
                found[mid] = (Merchant(merchantId: mid, name: mid, acquirer: Self.acquirerName(format: row["format"]),
                                       bankAccountMasked: "", accountClass: .corporate, dailyInflowLimit: nil, currency: currency),
                              Array(codes.dropFirst()))
            }
        }
        return found.values.sorted { $0.merchant.merchantId < $1.merchant.merchantId }
    }

    /// The acquirer a report format comes from, for an account no merchants file names.
    static func acquirerName(format: String) -> String {
        switch format {
        case "adyen-sdr": return "Adyen"
        case "stripe-payout-recon": return "Stripe"
        case "wechat-bill": return "微信支付 WeChat Pay"
        case "alipay-statement": return "支付宝 Alipay"
        default: return format
        }
    }

    /// When the newest data came in: the later of the newest report file's import time
    /// and the newest transaction's time (the simulated feed writes rows, not files);
    /// nil for an empty store.
    public func newestDataTime() throws -> Instant? {
        let imported = try Int64.fetchOne(db, sql: "SELECT MAX(importedAt) FROM reportFile")
        let occurred = try Int64.fetchOne(db, sql: "SELECT occurredAt FROM txn INDEXED BY txn_newest ORDER BY occurredAt DESC LIMIT 1")
        return [imported, occurred].compactMap { $0 }.max().map(Instant.init(epochMillis:))
    }

    /// Counts of pending, due today, late, short, held and failed transactions, with totals by currency.
    /// Reads running totals only, so it costs the number of days with pending money and
    /// today's rows, not the store's size, its history or the number pending: the
    /// pending money per late-time and expected-credit day (`txnPendingTotal`, v11, with
    /// the boundary days' rows from `txnState_open`: lateness depends on the clock), and
    /// the money that stays short, held or failed, awaiting a report or paid in another
    /// currency (`txnStateTotal`, v3/v7).
    public func summary(now: Instant) throws -> LedgerSummary {
        var s = LedgerSummary()
        s.transactions = try transactionCount()
        let today = LocalDateTime(now, in: rules.policy.timeZone).date
        let endOfToday = LocalDateTime(date: today.adding(days: 1), secondOfDay: 0).instant(in: rules.policy.timeZone)
        let pending = try PendingTotals(db)
        try pending.addPending(db, to: &s, now: now, endOfToday: endOfToday)
        let rows = try Row.fetchAll(db, sql: """
            SELECT state, currency, n, missingMinor AS missing FROM txnStateTotal WHERE n != 0
            """)
        for r in rows {
            let n: Int = r["n"]
            let missing: Int64 = r["missing"] ?? 0
            let currency: String = r["currency"]
            switch MoneyState(rawValue: r["state"]) ?? .pending {
            case .short:
                s.short += n
                s.shortTotal[currency, default: 0] += missing
            case .held:
                s.held += n
                s.outstanding[currency, default: 0] += missing
            case .failed:
                s.failed += n
                s.outstanding[currency, default: 0] += missing
            case .awaitingReport:
                s.awaitingReport += n
                s.awaitingTotal[currency, default: 0] += missing
            case .otherCurrency:
                s.otherCurrency += n
            default: break
            }
        }
        try addCoverageAndCalendar(&s, pending: pending)
        s.statesNeedRecompute = try PayoutStore.needsRecompute(db)
        return s
    }

    /// One transaction's line.
    public func transactionLine(id: Int64) throws -> TxnLine? {
        try Row.fetchOne(db, sql: "SELECT \(Self.txnLineColumns) FROM \(Self.txnLineFrom) WHERE t.id = ?", arguments: [id])
            .map(Self.txnLine).map { flagged($0) }
    }

    /// Transactions with this RRN (one, usually).
    public func transactionLines(rrn: String) throws -> [TxnLine] {
        try Row.fetchAll(db, sql: "SELECT \(Self.txnLineColumns) FROM \(Self.txnLineFrom) WHERE t.rrn = ? ORDER BY t.occurredAt",
                         arguments: [rrn]).map(Self.txnLine).map { flagged($0) }
    }

    /// Payouts with this ref (one per merchant).
    public func payoutLines(ref: String) throws -> [PayoutLine] {
        try Row.fetchAll(db, sql: """
            SELECT p.*, s.state AS sState, s.cause AS sCause, s.lateAfter AS sLate, s.arrivedLateMinutes AS sLateBy, s.arrivedLateAt AS sLateAt
            FROM payout p LEFT JOIN payoutState s ON s.payoutId = p.id WHERE p.ref = ? ORDER BY p.merchantId
            """, arguments: [ref]).map(Self.payoutLine)
    }

    public func payoutLine(merchantId: String, ref: String) throws -> PayoutLine? {
        try Row.fetchOne(db, sql: """
            SELECT p.*, s.state AS sState, s.cause AS sCause, s.lateAfter AS sLate, s.arrivedLateMinutes AS sLateBy, s.arrivedLateAt AS sLateAt
            FROM payout p LEFT JOIN payoutState s ON s.payoutId = p.id WHERE p.merchantId = ? AND p.ref = ?
            """, arguments: [merchantId, ref]).map(Self.payoutLine)
    }

    /// Everything the reports say about a transaction.
    public func evidence(forTransaction line: TxnLine, now: Instant) throws -> Evidence {
        try EvidenceQueries.forTransaction(db, line.transaction, rules: rules, now: now)
    }

    /// Everything the reports say about a payout.
    public func evidence(forPayout line: PayoutLine, now: Instant) throws -> Evidence {
        try EvidenceQueries.forPayout(db, line.payout, rules: rules, now: now)
    }

    /// The report files behind a transaction and its payouts, holds and items, in import order.
    public func sources(transactionId: Int64?, merchantId: String, payoutRefs: [String]) throws -> [ReportSource] {
        var ids = Set<Int64>()
        if let transactionId {
            ids.formUnion(try Int64.fetchAll(db, sql: "SELECT fileId FROM txn WHERE id = ?", arguments: [transactionId]))
            // A revised transaction came from the file of its first version too.
            ids.formUnion(try Int64.fetchAll(db, sql: "SELECT oldFileId FROM revision WHERE tableName = 'txn' AND recordId = ?",
                                             arguments: [transactionId]))
        }
        for ref in payoutRefs {
            for table in ["payout WHERE ref", "payoutItem WHERE payoutRef", "hold WHERE payoutRef", "revision WHERE payoutRef"] {
                let column = table.hasPrefix("revision") ? "oldFileId" : "fileId"
                ids.formUnion(try Int64.fetchAll(db, sql: "SELECT DISTINCT \(column) FROM \(table) = ? AND merchantId = ?",
                                                 arguments: [ref, merchantId]))
            }
        }
        guard !ids.isEmpty else { return [] }
        let list = ids.sorted().map(String.init).joined(separator: ",")
        return try Row.fetchAll(db, sql: "SELECT path, sha256 FROM reportFile WHERE id IN (\(list)) ORDER BY id")
            .map { ReportSource(path: $0["path"], sha256: $0["sha256"]) }
    }
}

extension LedgerReader {
    /// The earliest late time after `now` of a pending transaction or payout: when the
    /// clock passes it, a state changes even though the store did not.
    public func nextLateBoundary(after now: Instant) throws -> Instant? {
        let t = try Int64.fetchOne(db, sql: "SELECT MIN(lateAfter) FROM txnState WHERE state = 'pending' AND lateAfter > ?",
                                   arguments: [now.epochMillis])
        let p = try Int64.fetchOne(db, sql: "SELECT MIN(lateAfter) FROM payoutState WHERE state = 'pending' AND lateAfter > ?",
                                   arguments: [now.epochMillis])
        return [t, p].compactMap { $0 }.min().map(Instant.init(epochMillis:))
    }
}

extension LedgerReader {
    /// Transactions that are late, short, held, failed or paid in another currency at
    /// `now`, and pending ones whose date was moved (D+0 quota, cutoff, calendar),
    /// oldest first, at most `limit`.
    public func attentionTransactions(now: Instant, limit: Int) throws -> [TxnLine] {
        try Row.fetchAll(db, sql: """
            SELECT \(Self.txnLineColumns) FROM \(Self.txnLineFrom)
            WHERE t.id IN (SELECT txnId FROM txnState WHERE state IN ('short', 'held', 'failed', 'other-currency')
                           OR (state = 'pending' AND lateAfter < :now)
                           OR (state = 'pending' AND cause IN ('D0_QUOTA', 'CUTOFF_ROLLOVER', 'CALENDAR_SHIFT')))
            ORDER BY t.occurredAt, t.id LIMIT :limit
            """, arguments: ["now": now.epochMillis, "limit": limit]).map(Self.txnLine).map { flagged($0) }
    }

    /// Payouts that are late, short, held or failed at `now`, by cycle date.
    public func attentionPayouts(now: Instant, limit: Int) throws -> [PayoutLine] {
        try Row.fetchAll(db, sql: """
            SELECT p.*, s.state AS sState, s.cause AS sCause, s.lateAfter AS sLate, s.arrivedLateMinutes AS sLateBy, s.arrivedLateAt AS sLateAt
            FROM payoutState s JOIN payout p ON p.id = s.payoutId
            WHERE s.state IN ('short', 'held', 'failed') OR (s.state = 'pending' AND s.lateAfter < :now)
            ORDER BY p.cycleDate, p.id LIMIT :limit
            """, arguments: ["now": now.epochMillis, "limit": limit]).map(Self.payoutLine)
    }
}

extension LedgerReader {
    /// Payouts credited after their late time, credited since `since`, newest first, at
    /// most `limit` (from the partial index `payoutState_arrivedLate`, v6).
    public func arrivedLatePayouts(since: Instant, limit: Int) throws -> [PayoutLine] {
        try Row.fetchAll(db, sql: """
            SELECT p.*, s.state AS sState, s.cause AS sCause, s.lateAfter AS sLate, s.arrivedLateMinutes AS sLateBy, s.arrivedLateAt AS sLateAt
            FROM payoutState s INDEXED BY payoutState_arrivedLate JOIN payout p ON p.id = s.payoutId
            WHERE s.arrivedLateAt IS NOT NULL AND s.arrivedLateAt >= :since
            ORDER BY s.arrivedLateAt DESC, p.id LIMIT :limit
            """, arguments: ["since": since.epochMillis, "limit": limit]).map(Self.payoutLine)
    }
}

extension LedgerReader {
    /// The payouts with a release line naming the hold's RRN (a continuation of the
    /// payout it withheld), with their lines.
    func releasingPayouts(of h: Hold) throws -> [Evidence.PayoutEvidence] {
        guard let rrn = h.rrn else { return [] }
        let refs = try String.fetchAll(try db.cachedStatement(sql: """
            SELECT DISTINCT payoutRef FROM payoutItem WHERE rrn = ? AND +merchantId = ? AND kind = 'release' LIMIT 50
            """), arguments: [rrn, h.merchantId])
        return try refs.compactMap { ref in
            try EvidenceQueries.payout(db, merchantId: h.merchantId, ref: ref).map {
                Evidence.PayoutEvidence(payout: $0, items: try EvidenceQueries.items(db, merchantId: h.merchantId, ref: ref))
            }
        }
    }
}

extension LedgerReader {
    /// The payouts due to arrive from `first` through `last` (local days in the policy's
    /// zone): by expected arrival (index `payout_arrival`), or by cycle date when no arrival
    /// is known; in order of arrival.
    public func payoutsArriving(from first: LocalDate, through last: LocalDate) throws -> [PayoutLine] {
        let zone = rules.policy.timeZone
        let start = LocalDateTime(date: first, secondOfDay: 0).instant(in: zone)
        let end = LocalDateTime(date: last.adding(days: 1), secondOfDay: 0).instant(in: zone)
        let columns = "p.*, s.state AS sState, s.cause AS sCause, s.lateAfter AS sLate, s.arrivedLateMinutes AS sLateBy, s.arrivedLateAt AS sLateAt"
        let timed = try Row.fetchAll(db, sql: """
            SELECT \(columns) FROM payout p LEFT JOIN payoutState s ON s.payoutId = p.id
            WHERE p.expectedArrival >= ? AND p.expectedArrival < ? ORDER BY p.expectedArrival, p.id
            """, arguments: [start.epochMillis, end.epochMillis]).map(Self.payoutLine)
        let undated = try Row.fetchAll(db, sql: """
            SELECT \(columns) FROM payout p LEFT JOIN payoutState s ON s.payoutId = p.id
            WHERE p.expectedArrival IS NULL AND p.cycleDate >= ? AND p.cycleDate <= ? ORDER BY p.cycleDate, p.id
            """, arguments: [first.iso, last.iso]).map(Self.payoutLine)
        return timed + undated
    }

    /// The cash-flow calendar's month containing `date`: each day marked from the settlement
    /// calendar, with its payouts' money per currency (`CalendarMonth.build`), and those payouts.
    public func calendarMonth(containing date: LocalDate, now: Instant) throws -> (month: CalendarMonth, payouts: [PayoutLine]) {
        let first = CalendarMonth.firstDay(of: date)
        let last = first.adding(days: LocalDate.daysIn(month: first.month, year: first.year) - 1)
        let payouts = try payoutsArriving(from: first, through: last)
        return (CalendarMonth.build(containing: first, payouts: payouts, calendar: rules.calendar,
                                    zone: rules.policy.timeZone, now: now), payouts)
    }
}
