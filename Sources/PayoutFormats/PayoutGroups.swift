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
