import Foundation
import GRDB
import PayoutCore
import PayoutFormats

/// Counts of what an import did to each table.
public struct ImportCounts: Hashable, Sendable {
    public var inserted = 0
    public var updated = 0
    public var duplicates = 0
    public init() {}

    /// Adds another import's counts to these.
    public mutating func add(_ other: ImportCounts) {
        inserted += other.inserted
        updated += other.updated
        duplicates += other.duplicates
    }
}

/// Writes records into the store inside the caller's transaction, with prepared
/// statements, telling new rows from duplicates (same natural key, same values) and
/// updates (same natural key, a later state: a payout that got paid, a hold released).
///
/// Every importer, whatever its format, ends here, so the rules are the same for all.
final class RecordSink: ReportSink {
    let db: Database
    let fileId: Int64
    private(set) var counts: [String: ImportCounts] = [:]
    /// Transactions inserted by this import, for incremental reconciliation.
    private(set) var newTxnIds: [Int64] = []
    /// Payouts whose rows changed, for incremental reconciliation.
    private(set) var touchedPayouts: Set<PayoutKey> = []
    /// Merchants whose account state or holds changed.
    private(set) var touchedMerchants: Set<String> = []
    /// RRNs named by new or changed holds and payout items.
    private(set) var touchedRRNs: Set<String> = []
    /// Payouts this file reports (a payout row or a line of one, new or not): the
    /// days the file covers (`ReportCoverageStore`).
    private(set) var reportedPayouts: Set<PayoutKey> = []

    private let insertTxn: Statement
    private let upsertTerminal: Statement
    private let insertPayout: Statement
    private let updatePayout: Statement
    private let insertItem: Statement
    private let insertEvent: Statement
    private let insertHold: Statement
    private let updateHold: Statement
    private let upsertMerchant: Statement

    /// Brings the derived states up to date with what this import wrote.
    func reconcile(rules: SettlementRules?, now: Instant?) throws {
        // The days this file covers first: the sales it answers for are revisited too.
        let answered = try ReportCoverageStore.record(db, fileId: fileId, payouts: reportedPayouts, zone: rules?.policy.timeZone)
        guard let rules else { return }
        let reconciler = Reconciler(db: db, rules: rules, now: now ?? Instant(Date()))
        try reconciler.apply(newTxnIds: newTxnIds + answered, touchedPayouts: touchedPayouts, touchedRRNs: touchedRRNs,
                             touchedMerchants: touchedMerchants)
    }

    /// Prepares the statements of every kind of row once for the whole import: a
    /// statement that does not compile is an error here, before the first row.
    init(db: Database, fileId: Int64) throws {
        self.db = db
        self.fileId = fileId
        insertTxn = try db.makeStatement(sql: """
            INSERT INTO txn (merchantId, terminalId, batchNo, traceNo, rrn, authCode, cardMasked, cardTail, cardKind,
                             kind, amountMinor, currency, feeMinor, occurredAt, payoutRef, fileId, line)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT DO NOTHING
            """)
        upsertTerminal = try db.makeStatement(sql: """
            INSERT INTO terminal (merchantId, terminalId, name) VALUES (?,?,?)
            ON CONFLICT (merchantId, terminalId) DO UPDATE SET name = excluded.name WHERE name IS NOT excluded.name
            """)
        insertPayout = try db.makeStatement(sql: """
            INSERT INTO payout (merchantId, ref, cycleDate, expectedMinor, paidMinor, currency, status, expectedArrival,
                                creditedAt, bankRef, failureCode, fileId, line)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT DO NOTHING
            """)
        updatePayout = try db.makeStatement(sql: """
            UPDATE payout SET cycleDate = :cycleDate, expectedMinor = :expected, paidMinor = :paid, status = :status,
                   expectedArrival = :arrival, creditedAt = :credited, bankRef = :bankRef, failureCode = :failure,
                   fileId = :fileId, line = :line
            WHERE merchantId = :mid AND ref = :ref AND currency = :currency AND (
                  cycleDate IS NOT :cycleDate OR expectedMinor IS NOT :expected OR paidMinor IS NOT :paid
                  OR status IS NOT :status OR expectedArrival IS NOT :arrival OR creditedAt IS NOT :credited
                  OR bankRef IS NOT :bankRef OR failureCode IS NOT :failure)
            """)
        insertItem = try db.makeStatement(sql: """
            INSERT INTO payoutItem (merchantId, payoutRef, lineNo, kind, amountMinor, currency, rrn, note, fileId, line)
            VALUES (?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT DO NOTHING
            """)
        insertEvent = try db.makeStatement(sql: """
            INSERT INTO accountEvent (merchantId, state, at, reason, fileId, line) VALUES (?,?,?,?,?,?)
            ON CONFLICT DO NOTHING
            """)
        insertHold = try db.makeStatement(sql: """
            INSERT INTO hold (merchantId, ref, kind, amountMinor, currency, rrn, payoutRef, openedAt, releasedAt, reason, fileId, line)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT DO NOTHING
            """)
        updateHold = try db.makeStatement(sql: """
            UPDATE hold SET releasedAt = :released, amountMinor = :amount, reason = :reason, fileId = :fileId, line = :line
            WHERE merchantId = :mid AND ref = :ref AND currency = :currency
              AND (releasedAt IS NOT :released OR amountMinor IS NOT :amount OR reason IS NOT :reason)
            """)
        upsertMerchant = try db.makeStatement(sql: """
            INSERT INTO merchant (merchantId, name, acquirer, bankAccountMasked, accountClass, dailyInflowLimitMinor, cycle, currency, fileId, line)
            VALUES (:mid, :name, :acq, :acct, :class, :limit, :cycle, :currency, :fileId, :line)
            ON CONFLICT (merchantId) DO UPDATE SET name = :name, acquirer = :acq, bankAccountMasked = :acct,
                accountClass = :class, dailyInflowLimitMinor = :limit, cycle = :cycle, currency = :currency, fileId = :fileId, line = :line
            WHERE name IS NOT :name OR acquirer IS NOT :acq OR bankAccountMasked IS NOT :acct OR accountClass IS NOT :class
                OR dailyInflowLimitMinor IS NOT :limit OR cycle IS NOT :cycle OR currency IS NOT :currency
            """)
    }

    private func count(_ table: String, _ f: (inout ImportCounts) -> Void) {
        f(&counts[table, default: ImportCounts()])
    }

    /// Inserts a transaction unless its natural key is stored; true when it was new
    /// (counted, and remembered for reconciliation).
    private func insertTransaction(_ t: Transaction, line: Int) throws -> Bool {
        try insertTxn.execute(arguments: [
            t.merchantId, t.terminalId, t.batchNo, t.traceNo, t.rrn, t.authCode, t.cardMasked,
            Self.cardTail(t.cardMasked), t.cardKind.rawValue, t.kind.rawValue, t.amount.minor, t.amount.currency.code,
            t.fee?.minor, t.occurredAt.epochMillis, t.payoutRef, fileId, line,
        ])
        guard db.changesCount == 1 else { return false }
        newTxnIds.append(db.lastInsertedRowID)
        count("transactions") { $0.inserted += 1 }
        if let ref = t.payoutRef { touchedPayouts.insert(PayoutKey(merchantId: t.merchantId, ref: ref)) }
        return true
    }

    func add(_ t: Transaction, line: Int) throws {
        if try !insertTransaction(t, line: line) {
            count("transactions") { $0.duplicates += 1 }
        }
        if let name = t.terminalName, !name.isEmpty {
            try upsertTerminal.execute(arguments: [t.merchantId, t.terminalId, name])
        }
    }

    func add(_ p: Payout, line: Int) throws {
        try insertPayout.execute(arguments: [
            p.merchantId, p.ref, p.cycleDate.iso, p.expectedAmount.minor, p.paidAmount?.minor, p.expectedAmount.currency.code,
            p.status.rawValue, p.expectedArrival?.epochMillis, p.creditedAt?.epochMillis, p.bankRef, p.failureCode, fileId, line,
        ])
        if db.changesCount == 1 {
            count("payouts") { $0.inserted += 1 }
            try appendPayoutEvent(p, line: line)
        } else {
            try updatePayout.execute(arguments: [
                "cycleDate": p.cycleDate.iso, "expected": p.expectedAmount.minor, "paid": p.paidAmount?.minor,
                "status": p.status.rawValue, "arrival": p.expectedArrival?.epochMillis, "credited": p.creditedAt?.epochMillis,
                "bankRef": p.bankRef, "failure": p.failureCode, "fileId": fileId, "line": line,
                "mid": p.merchantId, "ref": p.ref, "currency": p.expectedAmount.currency.code,
            ])
            if db.changesCount == 1 {
                count("payouts") { $0.updated += 1 }
                try appendPayoutEvent(p, line: line)
            } else {
                let other = try String.fetchOne(db, sql: "SELECT currency FROM payout WHERE merchantId = ? AND ref = ?",
                                                arguments: [p.merchantId, p.ref])
                if let other, other != p.expectedAmount.currency.code {
                    throw RecordConflict(reason: "payout \(p.ref) is already stored in \(other), not \(p.expectedAmount.currency.code)")
                }
                count("payouts") { $0.duplicates += 1 }
            }
        }
        touchedPayouts.insert(PayoutKey(merchantId: p.merchantId, ref: p.ref))
        reportedPayouts.insert(PayoutKey(merchantId: p.merchantId, ref: p.ref))
    }

    func add(_ item: PayoutItem, line: Int) throws {
        try insertItem.execute(arguments: [
            item.merchantId, item.payoutRef, item.lineNo, item.kind.rawValue, item.amount.minor, item.amount.currency.code,
            item.rrn, item.note, fileId, line,
        ])
        reportedPayouts.insert(PayoutKey(merchantId: item.merchantId, ref: item.payoutRef))
        if db.changesCount == 1 {
            count("payout_items") { $0.inserted += 1 }
            touchedPayouts.insert(PayoutKey(merchantId: item.merchantId, ref: item.payoutRef))
            if let rrn = item.rrn { touchedRRNs.insert(rrn) }
        } else {
            count("payout_items") { $0.duplicates += 1 }
        }
    }

    func add(_ e: AccountEvent, line: Int) throws {
        try insertEvent.execute(arguments: [e.merchantId, e.state.rawValue, e.at.epochMillis, e.reason, fileId, line])
        if db.changesCount == 1 {
            count("account_events") { $0.inserted += 1 }
            touchedMerchants.insert(e.merchantId)
        } else {
            count("account_events") { $0.duplicates += 1 }
        }
    }

    func add(_ m: Merchant, line: Int) throws {
        let existed = try Bool.fetchOne(db, sql: "SELECT 1 FROM merchant WHERE merchantId = ?", arguments: [m.merchantId]) != nil
        try upsertMerchant.execute(arguments: [
            "mid": m.merchantId, "name": m.name, "acq": m.acquirer, "acct": m.bankAccountMasked,
            "class": m.accountClass.rawValue, "limit": m.dailyInflowLimit?.minor, "cycle": m.cycle, "currency": m.currency.code,
            "fileId": fileId, "line": line,
        ])
        let changed = db.changesCount == 1
        count("merchants") { c in if !existed { c.inserted += 1 } else if changed { c.updated += 1 } else { c.duplicates += 1 } }
        if changed { touchedMerchants.insert(m.merchantId) }
    }

    func add(_ h: Hold, line: Int) throws {
        try insertHold.execute(arguments: [
            h.merchantId, h.ref, h.kind.rawValue, h.amount.minor, h.amount.currency.code, h.rrn, h.payoutRef,
            h.openedAt.epochMillis, h.releasedAt?.epochMillis, h.reason, fileId, line,
        ])
        if db.changesCount == 1 {
            count("holds") { $0.inserted += 1 }
        } else {
            try updateHold.execute(arguments: [
                "released": h.releasedAt?.epochMillis, "amount": h.amount.minor, "reason": h.reason,
                "fileId": fileId, "line": line, "mid": h.merchantId, "ref": h.ref, "currency": h.amount.currency.code,
            ])
            if db.changesCount == 1 { count("holds") { $0.updated += 1 } } else { count("holds") { $0.duplicates += 1 } }
        }
        touchedMerchants.insert(h.merchantId)
        if let rrn = h.rrn { touchedRRNs.insert(rrn) }
        if let ref = h.payoutRef { touchedPayouts.insert(PayoutKey(merchantId: h.merchantId, ref: ref)) }
    }
}

/// A payout's natural key.
public struct PayoutKey: Hashable, Sendable {
    public let merchantId: String
    public let ref: String
    public init(merchantId: String, ref: String) { self.merchantId = merchantId; self.ref = ref }
}

extension RecordSink {
    func addTransactionChecked(_ t: Transaction, line: Int) throws -> TxnOutcome {
        if try insertTransaction(t, line: line) {
            if let name = t.terminalName, !name.isEmpty {
                try upsertTerminal.execute(arguments: [t.merchantId, t.terminalId, name])
            }
            return .inserted
        }
        let find = try db.cachedStatement(sql: """
            SELECT id, fileId, line, amountMinor, feeMinor, occurredAt, payoutRef FROM txn
            WHERE merchantId = ? AND terminalId = ? AND batchNo = ? AND traceNo = ? AND rrn = ? AND kind = ?
            """)
        guard let row = try Row.fetchOne(find, arguments: [t.merchantId, t.terminalId, t.batchNo, t.traceNo, t.rrn, t.kind.rawValue]) else {
            count("transactions") { $0.duplicates += 1 }
            return .duplicate
        }
        let storedFile: Int64 = row["fileId"]
        if storedFile == fileId {
            count("transactions") { $0.duplicates += 1 }
            let same = (row["amountMinor"] as Int64) == t.amount.minor && (row["feeMinor"] as Int64?) == t.fee?.minor
                && (row["occurredAt"] as Int64) == t.occurredAt.epochMillis
            let first: Int = row["line"]
            return same ? .repeatInFile(line: first) : .conflictInFile(line: first)
        }
        if (row["payoutRef"] as String?) == nil, let ref = t.payoutRef {
            let attach = try db.cachedStatement(sql: "UPDATE txn SET payoutRef = ? WHERE id = ? AND payoutRef IS NULL")
            try attach.execute(arguments: [ref, row["id"] as Int64])
            count("transactions") { $0.updated += 1 }
            touchedPayouts.insert(PayoutKey(merchantId: t.merchantId, ref: ref))
            return .attached
        }
        count("transactions") { $0.duplicates += 1 }
        return .duplicate
    }

    /// `CardNumber.tail` for the ASCII values `CardNumber.mask` produces, without its
    /// per-character work.
    static func cardTail(_ masked: String) -> String {
        var run = 0
        for u in masked.utf8.reversed() {
            if u >= 48 && u <= 57 { run += 1 } else if u < 128 { break } else { return CardNumber.tail(masked) }
        }
        return run >= 4 ? String(decoding: masked.utf8.suffix(4), as: UTF8.self) : ""
    }

    @discardableResult
    func addHoldIfNew(_ h: Hold, line: Int) throws -> Bool {
        try insertHold.execute(arguments: [
            h.merchantId, h.ref, h.kind.rawValue, h.amount.minor, h.amount.currency.code, h.rrn, h.payoutRef,
            h.openedAt.epochMillis, h.releasedAt?.epochMillis, h.reason, fileId, line,
        ])
        guard db.changesCount == 1 else {
            count("holds") { $0.duplicates += 1 }
            return false
        }
        count("holds") { $0.inserted += 1 }
        touchedMerchants.insert(h.merchantId)
        if let rrn = h.rrn { touchedRRNs.insert(rrn) }
        if let ref = h.payoutRef { touchedPayouts.insert(PayoutKey(merchantId: h.merchantId, ref: ref)) }
        return true
    }

    func releaseHold(merchantId: String, ref: String?, amount: Money, at: Instant, line: Int) throws -> ReleaseOutcome {
        var holdId: Int64?
        if let ref {
            let byRef = try db.cachedStatement(sql: "SELECT id, releasedAt FROM hold WHERE merchantId = ? AND ref = ?")
            if let row = try Row.fetchOne(byRef, arguments: [merchantId, ref]) {
                if (row["releasedAt"] as Int64?) != nil {
                    count("holds") { $0.duplicates += 1 }
                    return .alreadyReleased
                }
                holdId = row["id"]
            }
        }
        if holdId == nil {
            let byAmount = try db.cachedStatement(sql: """
                SELECT id FROM hold WHERE merchantId = ? AND amountMinor = ? AND currency = ? AND releasedAt IS NULL
                  AND openedAt <= ? ORDER BY openedAt, id LIMIT 1
                """)
            holdId = try Int64.fetchOne(byAmount, arguments: [merchantId, amount.minor, amount.currency.code, at.epochMillis])
        }
        guard let holdId else {
            let released = try db.cachedStatement(sql: """
                SELECT 1 FROM hold WHERE merchantId = ? AND amountMinor = ? AND currency = ? AND releasedAt = ? LIMIT 1
                """)
            if try Bool.fetchOne(released, arguments: [merchantId, amount.minor, amount.currency.code, at.epochMillis]) != nil {
                count("holds") { $0.duplicates += 1 }
                return .alreadyReleased
            }
            return .notFound
        }
        let update = try db.cachedStatement(sql: "UPDATE hold SET releasedAt = ?, fileId = ?, line = ? WHERE id = ?")
        try update.execute(arguments: [at.epochMillis, fileId, line, holdId])
        count("holds") { $0.updated += 1 }
        touchedMerchants.insert(merchantId)
        let info = try db.cachedStatement(sql: "SELECT rrn, payoutRef FROM hold WHERE id = ?")
        if let row = try Row.fetchOne(info, arguments: [holdId]) {
            if let rrn = row["rrn"] as String? { touchedRRNs.insert(rrn) }
            if let p = row["payoutRef"] as String? { touchedPayouts.insert(PayoutKey(merchantId: merchantId, ref: p)) }
        }
        return .released
    }
}

extension RecordSink {
    /// Keeps the state a report gave a payout in its history (`payoutEvent`), unless its
    /// status, paid amount and credit time are those of the last state kept.
    func appendPayoutEvent(_ p: Payout, line: Int) throws {
        try db.cachedStatement(sql: """
            INSERT INTO payoutEvent (merchantId, payoutRef, status, paidMinor, currency, creditedAt, failureCode, fileId, line)
            SELECT :mid, :ref, :status, :paid, :currency, :credited, :failure, :fileId, :line
            WHERE NOT EXISTS (SELECT 1 FROM (SELECT status, paidMinor, creditedAt FROM payoutEvent
                                             WHERE merchantId = :mid AND payoutRef = :ref ORDER BY id DESC LIMIT 1) last
                              WHERE last.status IS :status AND last.paidMinor IS :paid AND last.creditedAt IS :credited)
            """).execute(arguments: [
                "mid": p.merchantId, "ref": p.ref, "status": p.status.rawValue, "paid": p.paidAmount?.minor,
                "currency": p.expectedAmount.currency.code, "credited": p.creditedAt?.epochMillis, "failure": p.failureCode,
                "fileId": fileId, "line": line,
            ])
    }
}
