import Foundation
import PayoutCore

/// The rows of one payout as a report lists them (an Adyen batch, a Stripe payout):
/// their currency, running sum and the payout line, for the check that they add up.
struct PayoutGroup {
    let merchantId: String
    let ref: String
    /// What the report calls it in messages ("batch 42", "payout po_123").
    let label: String
    let currency: Currency
    let firstLine: Int
    /// The sum of the non-payout rows, in minor units.
    var sum: Int64 = 0
    var overflow = false
    /// Payout items written so far (their line numbers within the payout).
    var items = 0
    var payoutAmount: Int64?
    var payoutLine = 0
    var payoutAt: Instant?
    var payoutBankRef: String?
    /// The latest instant of any row, for a cycle date when there is no payout line.
    var lastAt: Instant
    /// Set when a row of the group is bad, so none of it is written under --skip-bad.
    var problem: ImportError?

    mutating func add(_ minor: Int64) {
        let (v, o) = sum.addingReportingOverflow(minor)
        if o { overflow = true } else { sum = v }
    }

    /// Why a group whose sum overflowed cannot be checked.
    var overflowReason: String { "\(label): the rows add up to more than payoutmon can count" }

    /// After the first pass under --skip-bad: the totals start again for the writing
    /// pass (the problem found, the times and references stay).
    mutating func restartTotals() {
        sum = 0
        items = 0
        payoutAmount = nil
        payoutLine = 0
        overflow = false
    }

    /// Writes the group's next payout item, numbered within the payout.
    mutating func writeItem(_ kind: PayoutItemKind, _ minor: Int64, rrn: String?, note: String, line: Int,
                            to sink: any ReportSink) throws {
        items += 1
        try sink.add(PayoutItem(merchantId: merchantId, payoutRef: ref, lineNo: items, kind: kind,
                                amount: Money(minor: minor, currency: currency), rrn: rrn, note: note), line: line)
    }
}

extension ImportSession {
    /// Writes the payout a group of rows makes; a payout that contradicts the stored one
    /// fails the whole file.
    func addGroupPayout(_ p: Payout, line: Int) throws {
        do {
            try sink.add(p, line: line)
        } catch let c as RecordConflict {
            throw FileLevelError(error: error(line, nil, c.reason))
        }
    }

    /// Writes a transaction of a report that lists each one once: a second row with the
    /// same keys is the error `repeated(firstLine)`.
    func addTransactionListedOnce(_ t: Transaction, line: Int, repeated: (Int) -> ImportError) throws {
        switch try sink.addTransactionChecked(t, line: line) {
        case .inserted, .duplicate, .attached, .revised: break
        case .repeatInFile(let first), .conflictInFile(let first): throw repeated(first)
        }
    }
}

/// A small set of row keys seen in this file, as 64-bit hashes with the line that had
/// them, so a repeated booking is caught without keeping every key's text.
struct SeenRows {
    private var lines: [Int: Int32] = [:]

    /// The line that had `key` before, or nil (and `key` is remembered at `line`).
    mutating func check(_ key: String, line: Int) -> Int? {
        var h = Hasher()
        h.combine(key)
        let k = h.finalize()
        if let first = lines[k] { return Int(first) }
        lines[k] = Int32(truncatingIfNeeded: line)
        return nil
    }
}
