import Foundation

/// A payout's lines in its currency, in line order, with their sums and indexes by kind
/// and by RRN: what diagnosis reads of the lines, computed once per payout instead of
/// once per question (`PayoutFacts` holds one; a `DiagnosisMemo` keeps them across the
/// sales of one reconciliation pass, so a payout of N sales costs N lookups, not N walks
/// of its lines).
struct PayoutLines {
    /// Lines in the payout's currency, by line number.
    let items: [PayoutItem]
    let linesTotal: Money
    /// Hold and carry-over lines.
    let withheld: Money
    let reserveLines: Money
    /// Whole-batch lines other than fees and sales (no RRN): what a shared payout spreads
    /// over its sale lines (`Diagnoser.sharedClaim`).
    let unassigned: Money
    /// The RRNs the lines name.
    let rrns: Set<String>
    /// The sale lines that name an RRN with a positive amount, as (RRN, gross) weights,
    /// in line order: how shared amounts are split (`allocate`).
    let saleWeights: [(rrn: String, gross: Int64)]
    /// Whether some fee line names no RRN (a batch fee).
    let hasBatchFee: Bool
    /// Positions in `items` by kind, by RRN, and of the lines naming none; each ascending.
    private let byKind: [PayoutItemKind: [Int]]
    private let byRRN: [String: [Int]]
    private let unnamed: [Int]
    /// Shares of amounts split over `saleWeights`, by amount (see `share(of:rrn:)`), and
    /// the contracted sales (`contractedSales(among:_:)`).
    private let splits = SplitCache()
    /// The evidence's lines these were built from, in brief (`DiagnosisMemo`'s check).
    let source: Source

    struct Source: Equatable {
        let count: Int
        let first: Int?
        let last: Int?
        init(_ items: [PayoutItem]) { count = items.count; first = items.first?.lineNo; last = items.last?.lineNo }
    }

    init(_ pe: Evidence.PayoutEvidence) throws {
        let cur = pe.payout.expectedAmount.currency
        let own = pe.items.allSatisfy({ $0.amount.currency == cur }) ? pe.items : pe.items.filter { $0.amount.currency == cur }
        // Already in line order when read from the store; sort only when not.
        items = own.indices.dropFirst().allSatisfy({ own[$0 - 1].lineNo <= own[$0].lineNo }) ? own : own.sorted { $0.lineNo < $1.lineNo }
        var kinds: [PayoutItemKind: [Int]] = [:]
        var named: [String: [Int]] = [:]
        var none: [Int] = []
        // Sums with Money's checked arithmetic, as `Money.sum` (an overflow throws).
        var total = Money.zero(cur), held = Money.zero(cur), reserve = Money.zero(cur), spread = Money.zero(cur)
        var weights: [(rrn: String, gross: Int64)] = []
        var batchFee = false
        for (n, i) in items.enumerated() {
            kinds[i.kind, default: []].append(n)
            total = try total.adding(i.amount)
            if i.kind == .hold || i.kind == .carryOver { held = try held.adding(i.amount) }
            if i.kind == .reserve { reserve = try reserve.adding(i.amount) }
            if let rrn = i.rrn {
                named[rrn, default: []].append(n)
                if i.kind == .transaction && i.amount.minor > 0 { weights.append((rrn, i.amount.minor)) }
            } else {
                none.append(n)
                if i.kind != .fee && i.kind != .transaction { spread = try spread.adding(i.amount) }
                if i.kind == .fee { batchFee = true }
            }
        }
        linesTotal = total
        withheld = held
        reserveLines = reserve
        unassigned = spread
        source = Source(pe.items)
        rrns = Set(named.keys)
        saleWeights = weights
        hasBatchFee = batchFee
        byKind = kinds
        byRRN = named
        unnamed = none
    }

    /// The lines of these kinds, in line order.
    func lines(_ kinds: [PayoutItemKind]) -> [PayoutItem] {
        if kinds.count == 1 { return (byKind[kinds[0]] ?? []).map { items[$0] } }
        return merged(kinds.flatMap { byKind[$0] ?? [] }).map { items[$0] }
    }

    /// The lines of these kinds that name `rrn` or no RRN, in line order.
    func lines(_ kinds: [PayoutItemKind], namingOrNone rrn: String) -> [PayoutItem] {
        merged((byRRN[rrn] ?? []) + unnamed).map { items[$0] }.filter { kinds.contains($0.kind) }
    }

    /// The lines that name `rrn`, in line order.
    func lines(naming rrn: String) -> [PayoutItem] { (byRRN[rrn] ?? []).map { items[$0] } }

    /// Whether a line names an RRN other than `rrn`.
    func namesOther(than rrn: String) -> Bool { !(rrns.isEmpty || (rrns.count == 1 && rrns.contains(rrn))) }

    /// `rrn`'s part of `total` split over `saleWeights` (`allocate`); the split of each
    /// amount is computed once.
    func share(of total: Int64, rrn: String) -> Int64 {
        if let hit = splits.parts[total] { return hit[rrn] ?? 0 }
        let parts = allocate(total, over: saleWeights.map(\.gross))
        var byRRN: [String: Int64] = [:]
        for (i, w) in saleWeights.enumerated() { byRRN[w.rrn, default: 0] += parts[i] }
        splits.parts[total] = byRRN
        return byRRN[rrn] ?? 0
    }

    private func merged(_ positions: [Int]) -> [Int] { Array(Set(positions)).sorted() }

    /// The sales the payout's fee lines are checked against (`Diagnoser.contractedSales`)
    /// given the evidence's transactions `txns`, computed once for one list of them.
    func contractedSales(among txns: [Transaction],
                         _ compute: () throws -> (charged: Money, sales: [Transaction])?) rethrows -> (charged: Money, sales: [Transaction])? {
        let b = bound(txns)
        if let hit = b.contracted { return hit }
        let value = try compute()
        b.contracted = .some(value)
        return value
    }

    /// The batch fee over the contract that the sales' claims do not take off
    /// (`Diagnoser.feeOverContractNotInClaim`, before it is split by gross), computed
    /// once for one list of the evidence's transactions.
    func overContractNotInClaim(among txns: [Transaction], _ compute: () throws -> Money) rethrows -> Money {
        let b = bound(txns)
        if let hit = b.overContract { return hit }
        let value = try compute()
        b.overContract = value
        return value
    }

    /// What was computed for `txns`: the entry of the same list, recognised by its
    /// storage (which the entry keeps alive, so a hit is the same transactions), or a new
    /// one replacing it.
    private func bound(_ txns: [Transaction]) -> TxnsBound {
        if let b = splits.bound, b.txns.count == txns.count,
           b.txns.withUnsafeBufferPointer({ x in txns.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }) {
            return b
        }
        let b = TxnsBound(txns)
        splits.bound = b
        return b
    }

    /// What is computed once per payout's lines; a class so copies of the lines share it.
    private final class SplitCache {
        var parts: [Int64: [String: Int64]] = [:]
        var bound: TxnsBound?
    }

    /// What depends on the lines and on one list of the evidence's transactions.
    private final class TxnsBound {
        let txns: [Transaction]
        var contracted: (charged: Money, sales: [Transaction])??
        var overContract: Money?
        init(_ txns: [Transaction]) { self.txns = txns }
    }
}

/// What diagnosis computed about payouts during one reconciliation pass, kept for the
/// next sale of the same payout (`Diagnosis.diagnose(_:now:includeRuledOut:words:memo:)`).
///
/// Valid while the payouts' lines do not change: one pass of the reconciler, which
/// writes no table they are read from. A payout is looked up by merchant, ref and
/// currency, and its entry is used only when the evidence holds as many lines with the
/// same first and last line numbers (else it is computed again and replaces the entry).
/// Bounded: it starts over after `limit` payouts.
public final class DiagnosisMemo {
    private struct Key: Hashable {
        let merchantId: String
        let ref: String
        let currency: Currency
    }
    private var lines: [Key: PayoutLines] = [:]
    let limit: Int

    public init(limit: Int = 500) { self.limit = limit }

    func lines(for pe: Evidence.PayoutEvidence) throws -> PayoutLines {
        let p = pe.payout
        let key = Key(merchantId: p.merchantId, ref: p.ref, currency: p.expectedAmount.currency)
        if let hit = lines[key], hit.source == PayoutLines.Source(pe.items) { return hit }
        let fresh = try PayoutLines(pe)
        if lines.count >= limit { lines.removeAll(keepingCapacity: true) }
        lines[key] = fresh
        return fresh
    }
}
