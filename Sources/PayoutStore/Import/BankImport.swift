import Foundation
import GRDB
import PayoutCore
import PayoutFormats

/// What importing one bank statement file did (docs/report-formats.md, "Bank statements").
public struct BankImportSummary: Hashable, Sendable {
    /// Statements stored, and statements the store already held (same account, id and
    /// period from another file: their entries count as duplicates).
    public var statements = 0
    public var duplicateStatements = 0
    /// Entries stored.
    public var entries = 0
    /// Stored statements of an account no merchant has: shown, never matched.
    public var unassigned = 0
    /// Stored statements whose balances do not add up (or are not given).
    public var incomplete = 0
    /// Stored statements whose opening balance is not the closing balance of the
    /// statement before them of the same account.
    public var gaps = 0
    /// The statement formats read ("camt.053.001.02").
    public var formats: [String] = []
    public init() {}
}

extension WritableStore {
    /// Imports a bank statement file in one write transaction: every statement of the
    /// file lands or none does. The parser reads the whole file first, so a broken file
    /// (truncated XML) changes nothing.
    func importBankStatement(_ file: ReportFile, parser: any BankStatementParser, options: ImportOptions,
                             beforeCommit: (() throws -> Void)?) throws -> ImportSummary {
        let data: Data
        do { data = try file.allBytes() } catch let e as ReportFileError { throw StoreError(.unreadableFile, e.message) }
        let parsed = try parser.reading(in: options.timeZone).parse(data, file: file.name)
        guard !parsed.statements.isEmpty else {
            throw ImportError(file: file.name, line: 0, reason: "the file holds no statement")
        }
        do {
            return try writer.write { db in
                let summary = try BankStatementStore.importInTransaction(db, file: file, parsed: parsed, options: options)
                try beforeCommit?()
                return summary
            }
        } catch let e as DatabaseError {
            throw PayoutStore.translate(e, path: path)
        }
    }
}

/// Writes statements and their entries, assigns them to merchants, checks balances and
/// the chain of each account, then runs the bank matching for the merchants touched.
enum BankStatementStore {
    static func importInTransaction(_ db: Database, file: ReportFile, parsed: BankStatementFile,
                                    options: ImportOptions) throws -> ImportSummary {
        let entryCount = parsed.statements.reduce(0) { $0 + $1.entries.count }
        let rows = entryCount + parsed.skipped.count
        let formats = Array(Set(parsed.statements.map(\.format))).sorted()
        try db.execute(sql: "INSERT INTO reportFile (path, sha256, format, kind, importedAt, rows) VALUES (?,?,?,?,?,?)",
                       arguments: [file.name, file.sha256, ReportFormat.bankStatement.rawValue, formats.joined(separator: ","),
                                   Instant(Date()).epochMillis, rows])
        let fileId = db.lastInsertedRowID
        let owners = try accountOwners(db)
        var bank = BankImportSummary()
        bank.formats = formats
        var account = RowAccount()
        account.read = rows
        var warnings = parsed.warnings
        var touchedAccounts: Set<String> = []
        var touchedMerchants: Set<String> = []
        var newStatementIds: [Int64] = []
        var spans: [String: ClosedRange<LocalDate>] = [:]
        for (reason, n) in Dictionary(grouping: parsed.skipped, by: \.reason).mapValues(\.count) { account.skipped[reason, default: 0] += n }

        for s in parsed.statements {
            let key = "\(s.accountMasked)|\(s.currency.code)"
            if let earlier = try Row.fetchOne(db, sql: """
                SELECT s.entries, f.path FROM bankStatement s JOIN reportFile f ON f.id = s.fileId
                WHERE s.accountMasked = ? AND s.currency = ? AND s.statementRef = ? AND s.kind = ? AND s.periodStart = ? AND s.periodEnd = ?
                """, arguments: [s.accountMasked, s.currency.code, s.statementId, s.kind.rawValue, s.periodStart.iso, s.periodEnd.iso]) {
                let n: Int = earlier["entries"]
                let path: String = earlier["path"]
                guard n == s.entries.count else {
                    throw ImportError(file: file.name, line: s.line, reason: "statement \(s.statementId) of account \(s.accountMasked) for \(s.periodStart.iso)–\(s.periodEnd.iso) was imported from \(path) with \(n) entries; this file gives it \(s.entries.count). Nothing was imported; remove one of the two files or import the other statements separately")
                }
                bank.duplicateStatements += 1
                account.duplicates += s.entries.count
                continue
            }
            // The merchant whose settlement account ends with the statement's tail.
            // A statement that names no account (an export without its title rows) belongs to
            // no merchant and to no chain.
            let named = !s.accountTail.isEmpty
            let candidates = named ? (owners[s.accountTail.uppercased()] ?? []).filter { $0.currency == s.currency.code } : []
            let merchantId = candidates.count == 1 ? candidates[0].merchantId : nil
            if merchantId == nil {
                bank.unassigned += 1
                if !named {
                    warnings.append(ImportWarning(file: file.name, line: s.line, reason: "statement \(s.statementId) names no account (the export has no 账号 title row) and is stored unassigned; it is matched to no payouts"))
                } else {
                    let why = candidates.isEmpty ? "no merchant's settlement account in \(s.currency.code) ends in \(s.accountTail)"
                        : "\(candidates.count) merchants' settlement accounts end in \(s.accountTail) (\(candidates.map(\.merchantId).joined(separator: ", ")))"
                    warnings.append(ImportWarning(file: file.name, line: s.line, reason: "statement \(s.statementId) of account \(s.accountMasked) is stored unassigned: \(why); it is matched to no payouts"))
                }
            }
            // Balances: opening + booked entries must be the closing balance.
            var incompleteReason: String?
            let computed = s.computedClosing
            if let opening = s.openingBalance, let closing = s.closingBalance, let computed {
                if computed.minor != closing.minor {
                    incompleteReason = "opening balance \(opening.formatted()) + booked entries = \(computed.formatted()), but the closing balance is \(closing.formatted()) (\(s.currency.code))"
                }
            } else {
                incompleteReason = s.openingBalance == nil && s.closingBalance == nil ? "the statement gives no opening or closing balance to check its entries against"
                    : s.openingBalance == nil ? "the statement gives no opening balance to check its entries against"
                    : "the statement gives no closing balance to check its entries against"
            }
            if let incompleteReason {
                bank.incomplete += 1
                warnings.append(ImportWarning(file: file.name, line: s.line, reason: "statement \(s.statementId) is incomplete: \(incompleteReason); it proves no missing credit"))
            }
            try db.execute(sql: """
                INSERT INTO bankStatement (fileId, format, statementRef, accountMasked, accountTail, accountName, bank, merchantId,
                    currency, kind, periodStart, periodEnd, openingMinor, closingMinor, computedClosingMinor, createdAt,
                    incomplete, incompleteReason, entries, line)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """, arguments: [fileId, s.format, s.statementId, s.accountMasked, s.accountTail, s.accountName, s.bank, merchantId,
                                 s.currency.code, s.kind.rawValue, s.periodStart.iso, s.periodEnd.iso, s.openingBalance?.minor,
                                 s.closingBalance?.minor, computed?.minor, s.createdAt?.epochMillis,
                                 incompleteReason == nil ? 0 : 1, incompleteReason, s.entries.count, s.line])
            let statementId = db.lastInsertedRowID
            newStatementIds.append(statementId)
            let insert = try db.cachedStatement(sql: """
                INSERT INTO bankEntry (statement, merchantId, amountMinor, currency, reversal, status, bookingDate, bookedAt, valueDate,
                    bankRef, endToEndId, transactionCode, remittance, counterpartyName, counterpartyAccount, balanceAfterMinor, line)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """)
            for e in s.entries {
                try insert.execute(arguments: [statementId, merchantId, e.amount.minor, e.amount.currency.code, e.reversal ? 1 : 0,
                                               e.status.rawValue, e.bookingDate.iso, e.bookedAt?.epochMillis, e.valueDate?.iso,
                                               e.bankRef, e.endToEndId, e.transactionCode, e.remittance, e.counterpartyName,
                                               e.counterpartyAccount, e.balanceAfter?.minor, e.line])
            }
            bank.statements += 1
            bank.entries += s.entries.count
            account.stored += s.entries.count
            if named { touchedAccounts.insert(key) }
            if let merchantId {
                touchedMerchants.insert(merchantId)
                let old = spans[merchantId]
                spans[merchantId] = min(old?.lowerBound ?? s.periodStart, s.periodStart)...max(old?.upperBound ?? s.periodEnd, s.periodEnd)
            }
        }
        // The chain of each account's final statements.
        let newIds = Set(newStatementIds)
        for key in touchedAccounts {
            let parts = key.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            for gap in try chain(db, accountMasked: parts[0], currency: parts[1]) where newIds.contains(gap.statement) || newIds.contains(gap.previous) {
                bank.gaps += 1
                let c = Currency(code: parts[1]) ?? Currency(code: parts[1], minorDigits: 2, symbol: parts[1])
                warnings.append(ImportWarning(file: file.name, line: gap.line, reason: "statement \(gap.ref) of account \(parts[0]) opens at \(Money(minor: gap.opening, currency: c).formatted()) but the statement before it (\(gap.previousRef), to \(gap.previousEnd)) closed at \(Money(minor: gap.closing, currency: c).formatted()): a gap of \(Money(minor: gap.opening - gap.closing, currency: c).formatted()) \(c.code) in the chain"))
            }
        }
        // Matching, and the states of the payouts whose bank side changed.
        if let rules = options.rules, !touchedMerchants.isEmpty {
            var changed = try BankMatching(db: db, rules: rules).run(merchants: touchedMerchants)
            // A statement can prove a credit missing without changing any match: the paid
            // payouts of its days are diagnosed again.
            for (mid, span) in spans {
                for ref in try String.fetchAll(db, sql: """
                    SELECT ref FROM payout WHERE merchantId = ? AND status IN ('paid', 'partial') AND cycleDate BETWEEN ? AND ?
                    """, arguments: [mid, span.lowerBound.adding(days: -10).iso, span.upperBound.iso]) {
                    changed.insert(PayoutKey(merchantId: mid, ref: ref))
                }
            }
            if !changed.isEmpty {
                let reconciler = Reconciler(db: db, rules: rules, now: options.now ?? Instant(Date()))
                try reconciler.apply(newTxnIds: [], touchedPayouts: changed, touchedRRNs: [], touchedMerchants: [])
            }
        }
        var counts = ImportCounts()
        counts.inserted = bank.entries
        counts.duplicates = account.duplicates
        var summary = ImportSummary(path: file.name, sha256: file.sha256, format: .bankStatement, kind: formats.joined(separator: ","),
                                    rows: rows, counts: ["bankEntry": counts],
                                    alreadyImported: false, newTransactionIds: [])
        summary.bank = bank
        summary.account = account
        summary.warnings = Array(warnings.prefix(200))
        summary.warningCount = warnings.count
        summary.encoding = (try? file.encoding()) ?? .utf8
        return summary
    }

    /// Assigns the unassigned statements whose account tail now names exactly one
    /// merchant (a merchant file imported after the statement); returns those merchants.
    static func assignUnassigned(_ db: Database) throws -> Set<String> {
        let rows = try Row.fetchAll(db, sql: "SELECT id, accountTail, currency FROM bankStatement WHERE merchantId IS NULL")
        guard !rows.isEmpty else { return [] }
        let owners = try accountOwners(db)
        var assigned: Set<String> = []
        for row in rows {
            let tail: String = row["accountTail"], currency: String = row["currency"]
            let candidates = (owners[tail.uppercased()] ?? []).filter { $0.currency == currency }
            guard candidates.count == 1 else { continue }
            let id: Int64 = row["id"]
            try db.execute(sql: "UPDATE bankStatement SET merchantId = ? WHERE id = ?", arguments: [candidates[0].merchantId, id])
            try db.execute(sql: "UPDATE bankEntry SET merchantId = ? WHERE statement = ?", arguments: [candidates[0].merchantId, id])
            assigned.insert(candidates[0].merchantId)
        }
        return assigned
    }

    struct Owner { let merchantId: String; let currency: String }

    /// Merchants by the last four characters of their settlement account.
    static func accountOwners(_ db: Database) throws -> [String: [Owner]] {
        var out: [String: [Owner]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT merchantId, bankAccountMasked, currency FROM merchant") {
            let masked: String = row["bankAccountMasked"]
            let tail = String(masked.filter { $0.isLetter || $0.isNumber }.suffix(4)).uppercased()
            guard tail.count == 4, !tail.contains("*") else { continue }
            out[tail, default: []].append(Owner(merchantId: row["merchantId"], currency: row["currency"]))
        }
        return out
    }

    struct Gap { let statement: Int64; let previous: Int64; let ref: String; let previousRef: String; let previousEnd: String
                 let opening: Int64; let closing: Int64; let line: Int }

    /// Walks one account's final statements in period order and writes each one's gap to
    /// the one before it (NULL when the balances meet or either is not given).
    static func chain(_ db: Database, accountMasked: String, currency: String) throws -> [Gap] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, statementRef, periodEnd, openingMinor, closingMinor, gapMinor, line FROM bankStatement
            WHERE accountMasked = ? AND currency = ? AND kind = 'final' ORDER BY periodStart, periodEnd, id
            """, arguments: [accountMasked, currency])
        var gaps: [Gap] = []
        var previous: Row?
        for row in rows {
            var gap: Int64?
            var after: Int64?
            if let p = previous, let closing: Int64 = p["closingMinor"], let opening: Int64 = row["openingMinor"], closing != opening {
                gap = opening - closing
                after = p["id"]
                gaps.append(Gap(statement: row["id"], previous: p["id"], ref: row["statementRef"], previousRef: p["statementRef"],
                                previousEnd: p["periodEnd"], opening: opening, closing: closing, line: row["line"]))
            }
            let old: Int64? = row["gapMinor"]
            if old != gap {
                try db.execute(sql: "UPDATE bankStatement SET gapMinor = ?, gapAfterStatement = ? WHERE id = ?",
                               arguments: [gap, after, row["id"] as Int64])
            }
            previous = row
        }
        return gaps
    }
}

extension WritableStore {
    /// Runs the bank matching for every merchant with an assigned statement, in one write
    /// transaction, without reconciling; returns how many matches are stored. (The
    /// benchmark's probe; imports and `recomputeStates` run the same pass.)
    public func matchBankStatements(rules: SettlementRules) throws -> Int {
        try writer.write { db in
            let merchants = try String.fetchAll(db, sql: "SELECT DISTINCT merchantId FROM bankStatement WHERE merchantId IS NOT NULL")
            _ = try BankMatching(db: db, rules: rules).run(merchants: Set(merchants))
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bankMatch") ?? 0
        }
    }
}
