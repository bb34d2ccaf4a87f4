import Foundation
import GRDB
import PayoutCore
import PayoutFormats

/// Counts of what an import did to each table.
public struct ImportCounts: Hashable, Sendable {
    public var inserted = 0
    public var updated = 0
    public var duplicates = 0
    /// Records a row changed (same natural key, another amount, state or date), stored
    /// as a new version with the old values kept as revisions.
    public var revised = 0
    public init() {}

    /// Adds another import's counts to these.
    public mutating func add(_ other: ImportCounts) {
        inserted += other.inserted
        updated += other.updated
        duplicates += other.duplicates
        revised += other.revised
    }
}

/// Writes records into the store inside the caller's transaction, with prepared
/// statements, telling new rows from duplicates (same natural key, same values),
/// updates (same natural key, a later state: a payout that got paid, a hold released)
/// and revisions (same natural key, another amount, state or date: refused with both
/// places named, or with `acceptRevisions` stored as a new version and the old values
/// kept in the `revision` table).
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
    /// Transactions a revision changed, for reconciliation.
    private(set) var revisedTxnIds: [Int64] = []
    /// Where the sink notes what it did with each line's records.
    var tally: RowTally?
    let acceptRevisions: Bool
    /// Revisions met without `acceptRevisions`: the first `RecordRevision.listed`, and
    /// how many in all (`refusedRevisions`).
    private var refused: [RecordRevision] = []
    private var refusedCount = 0
    var refusedRevisions: (listed: [RecordRevision], total: Int) { (refused, refusedCount) }
    /// The zone times in messages are shown in.
    let zone: TimeZone
    private var paths: [Int64: String] = [:]

    private let insertTxn: RawStatement
    private let upsertTerminal: Statement
    private let insertPayout: Statement
    private let updatePayout: Statement
    private let insertItem: RawStatement
    private let insertEvent: Statement
    private let insertHold: Statement
    private let updateHold: Statement
    private let upsertMerchant: Statement

    /// Brings the derived states up to date with what this import wrote.
    /// `progress` gets the transactions reconciled so far and their number, now and then,
    /// and `payoutProgress` the payouts.
    func reconcile(rules: SettlementRules?, now: Instant?, bulk: BulkMode = .auto,
                   progress: ((_ done: Int, _ total: Int) -> Void)? = nil,
                   payoutProgress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws {
        // The days this file covers first: the sales it answers for are revisited too.
        let answered = try ReportCoverageStore.record(db, fileId: fileId, payouts: reportedPayouts, zone: rules?.policy.timeZone)
        guard let rules else { return }
        var reconciler = Reconciler(db: db, rules: rules, now: now ?? Instant(Date()))
        reconciler.bulk = bulk
        reconciler.progress = progress
        reconciler.payoutProgress = payoutProgress
        try reconciler.apply(newTxnIds: newTxnIds + answered + revisedTxnIds, touchedPayouts: touchedPayouts, touchedRRNs: touchedRRNs,
                             touchedMerchants: touchedMerchants)
    }

    /// Prepares the statements of every kind of row once for the whole import: a
    /// statement that does not compile is an error here, before the first row.
    init(db: Database, fileId: Int64, acceptRevisions: Bool = false, zone: TimeZone = TimeZone(secondsFromGMT: 0)!) throws {
        self.db = db
        self.fileId = fileId
        self.acceptRevisions = acceptRevisions
        self.zone = zone
        insertTxn = try RawStatement(db, sql: """
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
        insertItem = try RawStatement(db, sql: """
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

    /// Counts a record's outcome for its table and notes it under its line.
    private func count(_ table: String, _ line: Int, _ outcome: RecordOutcome) {
        switch outcome {
        case .new: counts[table, default: ImportCounts()].inserted += 1
        case .updated: counts[table, default: ImportCounts()].updated += 1
        case .revised: counts[table, default: ImportCounts()].revised += 1
        case .duplicate: counts[table, default: ImportCounts()].duplicates += 1
        }
        tally?.note(line: line, outcome)
    }

    /// One value a row changes.
    struct Change {
        let field: String
        let old: Revision.Value
        let new: Revision.Value
    }

    private static func money(_ minor: Int64?, _ currency: String) -> Revision.Value {
        guard let minor, let c = Currency(code: currency) else { return minor.map { .word("\($0) \(currency)") } ?? .none }
        return .money(Money(minor: minor, currency: c))
    }

    private func path(_ id: Int64) throws -> String {
        if let p = paths[id] { return p }
        let p = try String.fetchOne(db, sql: "SELECT path FROM reportFile WHERE id = ?", arguments: [id]) ?? "file \(id)"
        paths[id] = p
        return p
    }

    /// A row that changes the stored record `recordId` of `table`: refused (the file is
    /// refused, naming the earlier file and line) unless revisions are accepted, when the
    /// old and new values are kept in `revision`; the caller then writes the new values.
    private func revise(_ table: String, recordId: Int64, merchantId: String, payoutRef: String?, what: String,
                        changes: [Change], oldFile: Int64, oldLine: Int, line: Int) throws {
        guard acceptRevisions else {
            // Refused: noted, and the import goes on so the refusal names every revision
            // of the file (the caller's write is undone with the whole file).
            refusedCount += 1
            guard refused.count < RecordRevision.listed else { return }
            let text = changes.map { "\($0.field) \($0.old.text(in: zone)) there, \($0.new.text(in: zone)) here" }
                .joined(separator: "; ")
            let place = oldFile == fileId ? "\(try path(oldFile)):\(oldLine) (line \(oldLine) of this file)" : "\(try path(oldFile)):\(oldLine)"
            let change = "revises \(what) stored from \(place): \(text)"
            refused.append(RecordRevision(line: line, reason: change + "; "
                + "a changed record is refused unless imported with --accept-revisions (which keeps the old values as its history)",
                change: change))
            return
        }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO revision (tableName, recordId, merchantId, payoutRef, field, oldValue, newValue, oldFileId, oldLine, newFileId, newLine)
            VALUES (?,?,?,?,?,?,?,?,?,?,?)
            """)
        for c in changes {
            try insert.execute(arguments: [table, recordId, merchantId, payoutRef, c.field, c.old.stored, c.new.stored,
                                           oldFile, oldLine, fileId, line])
        }
    }

    /// What a transaction row changes of the stored one: amount (and currency), fee, time.
    private func txnChanges(_ row: Row, _ t: Transaction) -> [Change] {
        var out: [Change] = []
        let cur: String = row["currency"]
        if (row["amountMinor"] as Int64) != t.amount.minor || cur != t.amount.currency.code {
            out.append(Change(field: "amount", old: Self.money(row["amountMinor"], cur), new: .money(t.amount)))
        }
        // A fee is revised when both reports state one and they differ; a report that
        // states none says nothing about it.
        if let oldFee = row["feeMinor"] as Int64?, let fee = t.fee, oldFee != fee.minor {
            out.append(Change(field: "fee", old: Self.money(oldFee, cur), new: .money(fee)))
        }
        if (row["occurredAt"] as Int64) != t.occurredAt.epochMillis {
            out.append(Change(field: "time", old: .instant(Instant(epochMillis: row["occurredAt"])), new: .instant(t.occurredAt)))
        }
        return out
    }

    private static func describe(_ t: Transaction) -> String {
        "transaction \(t.rrn.isEmpty ? "trace " + t.traceNo : "RRN " + t.rrn) (\(t.kind.rawValue), MID \(t.merchantId))"
    }

    /// A transaction whose natural key is stored: a duplicate, a repeat or conflict within
    /// this file (`checked`: the importer decides), a revision, or a payout attached.
    private func resolveTransaction(_ t: Transaction, line: Int, checked: Bool) throws -> TxnOutcome {
        let find = try db.cachedStatement(sql: """
            SELECT id, fileId, line, amountMinor, currency, feeMinor, occurredAt, payoutRef FROM txn
            WHERE merchantId = ? AND terminalId = ? AND batchNo = ? AND traceNo = ? AND rrn = ? AND kind = ?
            """)
        guard let row = try Row.fetchOne(find, arguments: [t.merchantId, t.terminalId, t.batchNo, t.traceNo, t.rrn, t.kind.rawValue]) else {
            count("transactions", line, .duplicate)
            return .duplicate
        }
        let storedFile: Int64 = row["fileId"]
        let first: Int = row["line"]
        let id: Int64 = row["id"]
        let changes = txnChanges(row, t)
        if checked && storedFile == fileId {
            guard changes.isEmpty else { return .conflictInFile(line: first) }
            count("transactions", line, .duplicate)
            return .repeatInFile(line: first)
        }
        if !changes.isEmpty {
            try revise("txn", recordId: id, merchantId: t.merchantId, payoutRef: t.payoutRef ?? row["payoutRef"],
                       what: Self.describe(t), changes: changes, oldFile: storedFile, oldLine: first, line: line)
            let update = try db.cachedStatement(sql: """
                UPDATE txn SET amountMinor = ?, currency = ?, feeMinor = ?, occurredAt = ?, payoutRef = COALESCE(payoutRef, ?),
                       fileId = ?, line = ? WHERE id = ?
                """)
            try update.execute(arguments: [t.amount.minor, t.amount.currency.code, t.fee?.minor, t.occurredAt.epochMillis,
                                           t.payoutRef, fileId, line, id])
            count("transactions", line, .revised)
            revisedTxnIds.append(id)
            touchedRRNs.insert(t.rrn)
            if let ref = t.payoutRef ?? row["payoutRef"] { touchedPayouts.insert(PayoutKey(merchantId: t.merchantId, ref: ref)) }
            return .revised
        }
        if (row["payoutRef"] as String?) == nil, let ref = t.payoutRef {
            let attach = try db.cachedStatement(sql: "UPDATE txn SET payoutRef = ? WHERE id = ? AND payoutRef IS NULL")
            try attach.execute(arguments: [ref, id])
            count("transactions", line, .updated)
            touchedPayouts.insert(PayoutKey(merchantId: t.merchantId, ref: ref))
            return .attached
        }
        count("transactions", line, .duplicate)
        return .duplicate
    }

    /// Inserts a transaction unless its natural key is stored; true when it was new
    /// (counted, and remembered for reconciliation).
    private func insertTransaction(_ t: Transaction, line: Int) throws -> Bool {
        try insertTxn.run { b in
            b.add(t.merchantId); b.add(t.terminalId); b.add(t.batchNo); b.add(t.traceNo); b.add(t.rrn); b.add(t.authCode)
            b.add(t.cardMasked); b.add(Self.cardTail(t.cardMasked)); b.add(t.cardKind.rawValue); b.add(t.kind.rawValue)
            b.add(t.amount.minor); b.add(t.amount.currency.code); b.add(t.fee?.minor); b.add(t.occurredAt.epochMillis)
            b.add(t.payoutRef); b.add(fileId); b.add(line)
        }
        guard db.changesCount == 1 else { return false }
        newTxnIds.append(db.lastInsertedRowID)
        count("transactions", line, .new)
        if let ref = t.payoutRef { touchedPayouts.insert(PayoutKey(merchantId: t.merchantId, ref: ref)) }
        return true
    }

    func add(_ t: Transaction, line: Int) throws {
        if try !insertTransaction(t, line: line) {
            _ = try resolveTransaction(t, line: line, checked: false)
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
            count("payouts", line, .new)
            try appendPayoutEvent(p, line: line)
        } else if try revisePayout(p, line: line) {
            try appendPayoutEvent(p, line: line)
        } else {
            try updatePayout.execute(arguments: [
                "cycleDate": p.cycleDate.iso, "expected": p.expectedAmount.minor, "paid": p.paidAmount?.minor,
                "status": p.status.rawValue, "arrival": p.expectedArrival?.epochMillis, "credited": p.creditedAt?.epochMillis,
                "bankRef": p.bankRef, "failure": p.failureCode, "fileId": fileId, "line": line,
                "mid": p.merchantId, "ref": p.ref, "currency": p.expectedAmount.currency.code,
            ])
            if db.changesCount == 1 {
                count("payouts", line, .updated)
                try appendPayoutEvent(p, line: line)
            } else {
                count("payouts", line, .duplicate)
            }
        }
        touchedPayouts.insert(PayoutKey(merchantId: p.merchantId, ref: p.ref))
        reportedPayouts.insert(PayoutKey(merchantId: p.merchantId, ref: p.ref))
    }

    func add(_ item: PayoutItem, line: Int) throws {
        try insertItem.run { b in
            b.add(item.merchantId); b.add(item.payoutRef); b.add(item.lineNo); b.add(item.kind.rawValue); b.add(item.amount.minor)
            b.add(item.amount.currency.code); b.add(item.rrn); b.add(item.note); b.add(fileId); b.add(line)
        }
        reportedPayouts.insert(PayoutKey(merchantId: item.merchantId, ref: item.payoutRef))
        if db.changesCount == 1 {
            count("payout_items", line, .new)
            touchedPayouts.insert(PayoutKey(merchantId: item.merchantId, ref: item.payoutRef))
            if let rrn = item.rrn { touchedRRNs.insert(rrn) }
        } else if try reviseItem(item, line: line) {
            count("payout_items", line, .revised)
            touchedPayouts.insert(PayoutKey(merchantId: item.merchantId, ref: item.payoutRef))
            if let rrn = item.rrn { touchedRRNs.insert(rrn) }
        } else {
            count("payout_items", line, .duplicate)
        }
    }

    func add(_ e: AccountEvent, line: Int) throws {
        // The event's natural key is the merchant and the instant: another state at the
        // same instant, stored from another file, is a revision. (One file may give two
        // states one instant, as a file with dates but no times does for a 冻结 and its
        // 解冻 on one day; and an event stored with this state is a duplicate.)
        let other = try db.cachedStatement(sql: """
            SELECT id, state, fileId, line FROM accountEvent a WHERE merchantId = ? AND at = ? AND state != ? AND fileId != ?
              AND NOT EXISTS (SELECT 1 FROM accountEvent b WHERE b.merchantId = a.merchantId AND b.at = a.at AND b.state = ?)
            ORDER BY id LIMIT 1
            """)
        if let row = try Row.fetchOne(other, arguments: [e.merchantId, e.at.epochMillis, e.state.rawValue, fileId, e.state.rawValue]) {
            let id: Int64 = row["id"]
            try revise("accountEvent", recordId: id, merchantId: e.merchantId, payoutRef: nil,
                       what: "account event of MID \(e.merchantId) at \(Revision.Value.instant(e.at).text(in: zone))",
                       changes: [Change(field: "state", old: .word(row["state"]), new: .word(e.state.rawValue))],
                       oldFile: row["fileId"], oldLine: row["line"], line: line)
            let update = try db.cachedStatement(sql: "UPDATE accountEvent SET state = ?, reason = ?, fileId = ?, line = ? WHERE id = ?")
            try update.execute(arguments: [e.state.rawValue, e.reason, fileId, line, id])
            count("account_events", line, .revised)
            touchedMerchants.insert(e.merchantId)
            return
        }
        try insertEvent.execute(arguments: [e.merchantId, e.state.rawValue, e.at.epochMillis, e.reason, fileId, line])
        if db.changesCount == 1 {
            count("account_events", line, .new)
            touchedMerchants.insert(e.merchantId)
        } else {
            count("account_events", line, .duplicate)
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
        count("merchants", line, !existed ? .new : changed ? .updated : .duplicate)
        if changed { touchedMerchants.insert(m.merchantId) }
    }

    func add(_ h: Hold, line: Int) throws {
        try insertHold.execute(arguments: [
            h.merchantId, h.ref, h.kind.rawValue, h.amount.minor, h.amount.currency.code, h.rrn, h.payoutRef,
            h.openedAt.epochMillis, h.releasedAt?.epochMillis, h.reason, fileId, line,
        ])
        if db.changesCount == 1 {
            count("holds", line, .new)
        } else if try reviseHold(h, line: line, releasing: true) {
            count("holds", line, .revised)
        } else {
            try updateHold.execute(arguments: [
                "released": h.releasedAt?.epochMillis, "amount": h.amount.minor, "reason": h.reason,
                "fileId": fileId, "line": line, "mid": h.merchantId, "ref": h.ref, "currency": h.amount.currency.code,
            ])
            count("holds", line, db.changesCount == 1 ? .updated : .duplicate)
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
        return try resolveTransaction(t, line: line, checked: true)
    }

    /// A payout whose key is stored with another expected amount, currency or cycle
    /// date: a revision. True when it was written as one (its status, paid amount and
    /// times are written with it); false when the caller should update it.
    private func revisePayout(_ p: Payout, line: Int) throws -> Bool {
        let find = try db.cachedStatement(sql: """
            SELECT id, cycleDate, expectedMinor, currency, fileId, line FROM payout WHERE merchantId = ? AND ref = ?
            """)
        guard let row = try Row.fetchOne(find, arguments: [p.merchantId, p.ref]) else { return false }
        var changes: [Change] = []
        let cur: String = row["currency"]
        if (row["expectedMinor"] as Int64) != p.expectedAmount.minor || cur != p.expectedAmount.currency.code {
            changes.append(Change(field: "expected amount", old: Self.money(row["expectedMinor"], cur), new: .money(p.expectedAmount)))
        }
        let day: String = row["cycleDate"]
        if day != p.cycleDate.iso {
            changes.append(Change(field: "cycle date", old: LocalDate(iso: day).map { .date($0) } ?? .word(day), new: .date(p.cycleDate)))
        }
        guard !changes.isEmpty else { return false }
        let id: Int64 = row["id"]
        try revise("payout", recordId: id, merchantId: p.merchantId, payoutRef: p.ref, what: "payout \(p.ref) (MID \(p.merchantId))",
                   changes: changes, oldFile: row["fileId"], oldLine: row["line"], line: line)
        let update = try db.cachedStatement(sql: """
            UPDATE payout SET cycleDate = ?, expectedMinor = ?, currency = ?, paidMinor = ?, status = ?, expectedArrival = ?,
                   creditedAt = ?, bankRef = ?, failureCode = ?, fileId = ?, line = ? WHERE id = ?
            """)
        try update.execute(arguments: [p.cycleDate.iso, p.expectedAmount.minor, p.expectedAmount.currency.code, p.paidAmount?.minor,
                                       p.status.rawValue, p.expectedArrival?.epochMillis, p.creditedAt?.epochMillis, p.bankRef,
                                       p.failureCode, fileId, line, id])
        count("payouts", line, .revised)
        return true
    }

    /// A payout item whose key (payout and line number) is stored with another amount,
    /// currency or kind: a revision. True when it was written as one.
    private func reviseItem(_ item: PayoutItem, line: Int) throws -> Bool {
        let find = try db.cachedStatement(sql: """
            SELECT id, kind, amountMinor, currency, fileId, line FROM payoutItem WHERE merchantId = ? AND payoutRef = ? AND lineNo = ?
            """)
        guard let row = try Row.fetchOne(find, arguments: [item.merchantId, item.payoutRef, item.lineNo]) else { return false }
        var changes: [Change] = []
        let cur: String = row["currency"]
        if (row["amountMinor"] as Int64) != item.amount.minor || cur != item.amount.currency.code {
            changes.append(Change(field: "amount", old: Self.money(row["amountMinor"], cur), new: .money(item.amount)))
        }
        if (row["kind"] as String) != item.kind.rawValue {
            changes.append(Change(field: "kind", old: .word(row["kind"]), new: .word(item.kind.rawValue)))
        }
        guard !changes.isEmpty else { return false }
        let id: Int64 = row["id"]
        try revise("payoutItem", recordId: id, merchantId: item.merchantId, payoutRef: item.payoutRef,
                   what: "item \(item.lineNo) of payout \(item.payoutRef) (MID \(item.merchantId))",
                   changes: changes, oldFile: row["fileId"], oldLine: row["line"], line: line)
        let update = try db.cachedStatement(sql: """
            UPDATE payoutItem SET kind = ?, amountMinor = ?, currency = ?, rrn = ?, note = ?, fileId = ?, line = ? WHERE id = ?
            """)
        try update.execute(arguments: [item.kind.rawValue, item.amount.minor, item.amount.currency.code, item.rrn, item.note,
                                       fileId, line, id])
        return true
    }

    /// A hold whose ref is stored with another amount, currency, kind or opening time: a
    /// revision. True when it was written as one; its release is written with it only
    /// when `releasing` (an opening row never reopens a released hold).
    private func reviseHold(_ h: Hold, line: Int, releasing: Bool) throws -> Bool {
        let find = try db.cachedStatement(sql: """
            SELECT id, kind, amountMinor, currency, openedAt, fileId, line FROM hold WHERE merchantId = ? AND ref = ?
            """)
        guard let row = try Row.fetchOne(find, arguments: [h.merchantId, h.ref]) else { return false }
        var changes: [Change] = []
        let cur: String = row["currency"]
        if (row["amountMinor"] as Int64) != h.amount.minor || cur != h.amount.currency.code {
            changes.append(Change(field: "amount", old: Self.money(row["amountMinor"], cur), new: .money(h.amount)))
        }
        if (row["kind"] as String) != h.kind.rawValue {
            changes.append(Change(field: "kind", old: .word(row["kind"]), new: .word(h.kind.rawValue)))
        }
        if (row["openedAt"] as Int64) != h.openedAt.epochMillis {
            changes.append(Change(field: "opened", old: .instant(Instant(epochMillis: row["openedAt"])), new: .instant(h.openedAt)))
        }
        guard !changes.isEmpty else { return false }
        let id: Int64 = row["id"]
        try revise("hold", recordId: id, merchantId: h.merchantId, payoutRef: h.payoutRef, what: "hold \(h.ref) (MID \(h.merchantId))",
                   changes: changes, oldFile: row["fileId"], oldLine: row["line"], line: line)
        let update = try db.cachedStatement(sql: """
            UPDATE hold SET kind = ?, amountMinor = ?, currency = ?, openedAt = ?,
                   releasedAt = CASE WHEN ? THEN ? ELSE releasedAt END, reason = ?, fileId = ?, line = ? WHERE id = ?
            """)
        try update.execute(arguments: [h.kind.rawValue, h.amount.minor, h.amount.currency.code, h.openedAt.epochMillis,
                                       releasing, h.releasedAt?.epochMillis, h.reason, fileId, line, id])
        touchedMerchants.insert(h.merchantId)
        if let rrn = h.rrn { touchedRRNs.insert(rrn) }
        if let ref = h.payoutRef { touchedPayouts.insert(PayoutKey(merchantId: h.merchantId, ref: ref)) }
        return true
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
            if try reviseHold(h, line: line, releasing: false) {
                count("holds", line, .revised)
            } else {
                count("holds", line, .duplicate)
            }
            return false
        }
        count("holds", line, .new)
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
                    count("holds", line, .duplicate)
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
                count("holds", line, .duplicate)
                return .alreadyReleased
            }
            return .notFound
        }
        let update = try db.cachedStatement(sql: "UPDATE hold SET releasedAt = ?, fileId = ?, line = ? WHERE id = ?")
        try update.execute(arguments: [at.epochMillis, fileId, line, holdId])
        count("holds", line, .updated)
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
