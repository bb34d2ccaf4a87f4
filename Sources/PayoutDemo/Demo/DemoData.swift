import Foundation
import PayoutCore
import PayoutFormats
import PayoutStore

/// The demo data set: a small restaurant chain whose reports tell the stories
/// payoutmon exists for, around a few thousand ordinary transactions.
///
/// The records are `DemoStories`' (the one definition of the stories, which the tests
/// read too); `DemoData` writes them as canonical CSV, so the data goes into the store
/// through the canonical importer, as any report would. Dates are relative to `now`, so
/// pending, due and late states always exist. Every story is findable by a stable RRN or
/// payout ref (listed in `DemoData.stories` and the README).
public struct DemoData: Sendable {
    public typealias Story = DemoStories.Story

    public static let mainMID = DemoStories.mainMID
    public static let classIIMID = DemoStories.classIIMID
    public static let frozenMID = DemoStories.frozenMID
    public static let d0MID = DemoStories.d0MID

    public static let stories: [Story] = DemoStories.table

    /// The records the files hold.
    public let records: DemoStories

    /// The CSV files of the demo, in import order: (name, text).
    public let files: [(name: String, text: String)]
    /// The bank statement of the shops' settlement accounts (camt.053), imported after
    /// the CSV files: (name, text). See `DemoBankStatement`.
    public let bankStatement: (name: String, text: String)

    /// Builds the demo for `now` with the settlement rules in `policy` and `calendar`.
    public init(now: Instant, policy: SettlementPolicy, calendar: SettlementCalendar, ordinaryDays: Int = 30) throws {
        records = try DemoStories.make(now: now, policy: policy, calendar: calendar, ordinaryDays: ordinaryDays)
        files = CanonicalFiles(records.all, zone: policy.timeZone).files
        bankStatement = (DemoBankStatement.name,
                         DemoBankStatement.camt053(records, today: LocalDateTime(now, in: policy.timeZone).date, zone: policy.timeZone))
    }
}

/// Records as the canonical CSV files of the demo, one per kind.
private struct CanonicalFiles {
    var merchants = CSVWriter(header: ["merchant_id", "merchant_name", "acquirer", "bank_account", "account_class",
                                       "daily_inflow_limit", "cycle", "currency"])
    var txns = CSVWriter(header: ["merchant_id", "terminal_id", "terminal_name", "batch_no", "trace_no", "rrn", "auth_code",
                                  "card_number", "card_kind", "kind", "amount", "fee", "currency", "occurred_at", "payout_ref"])
    var payouts = CSVWriter(header: ["merchant_id", "payout_ref", "cycle_date", "expected_amount", "paid_amount", "currency",
                                     "status", "expected_arrival", "credited_at", "bank_ref", "failure_code"])
    var items = CSVWriter(header: ["merchant_id", "payout_ref", "line_no", "item_kind", "amount", "currency", "rrn", "note"])
    var holds = CSVWriter(header: ["merchant_id", "hold_ref", "hold_kind", "amount", "currency", "rrn", "payout_ref",
                                   "opened_at", "released_at", "reason"])
    var events = CSVWriter(header: ["merchant_id", "state", "at", "reason"])

    init(_ r: DemoStories.Records, zone: TimeZone) {
        let stamp = { (i: Instant) in Self.stamp(i, zone) }
        for m in r.merchants {
            // The report states the account in full; the importer masks it.
            let account = DemoStories.shop(m.merchantId)?.bankAccount ?? m.bankAccountMasked
            merchants.append([m.merchantId, m.name, m.acquirer, account, m.accountClass.rawValue,
                              m.dailyInflowLimit?.decimalString, m.cycle, m.currency.code])
        }
        for t in r.transactions {
            txns.append([t.merchantId, t.terminalId, t.terminalName, t.batchNo, t.traceNo, t.rrn, t.authCode, t.cardMasked,
                         t.cardKind.rawValue, t.kind.rawValue, t.amount.decimalString, t.fee?.decimalString, t.amount.currency.code,
                         stamp(t.occurredAt), t.payoutRef])
        }
        for p in r.payouts {
            payouts.append([p.merchantId, p.ref, p.cycleDate.iso, p.expectedAmount.decimalString, p.paidAmount?.decimalString,
                            p.expectedAmount.currency.code, p.status.rawValue, p.expectedArrival.map(stamp), p.creditedAt.map(stamp),
                            p.bankRef, p.failureCode])
        }
        for i in r.payoutItems {
            items.append([i.merchantId, i.payoutRef, String(i.lineNo), i.kind.rawValue, i.amount.decimalString, i.amount.currency.code,
                          i.rrn, i.note])
        }
        for h in r.holds {
            holds.append([h.merchantId, h.ref, h.kind.rawValue, h.amount.decimalString, h.amount.currency.code, h.rrn, h.payoutRef,
                          stamp(h.openedAt), h.releasedAt.map(stamp), h.reason])
        }
        for e in r.accountEvents {
            events.append([e.merchantId, e.state.rawValue, stamp(e.at), e.reason])
        }
    }

    /// "2026-11-26 14:20:11" in `zone`.
    static func stamp(_ i: Instant, _ zone: TimeZone) -> String {
        let l = LocalDateTime(i, in: zone)
        let s = l.secondOfDay % 60
        return "\(l.description):\(s < 10 ? "0" : "")\(s)"
    }

    var files: [(name: String, text: String)] {
        [("demo/merchants.csv", merchants.text), ("demo/transactions.csv", txns.text), ("demo/payouts.csv", payouts.text),
         ("demo/payout_items.csv", items.text), ("demo/holds.csv", holds.text), ("demo/account_events.csv", events.text)]
    }
}

extension DemoData {
    /// Imports the demo's files into `store`, then computes every state with `rules` as of `now`.
    ///
    /// The files are imported first and reconciled once at the end: one pass over the
    /// transactions instead of one per file. `progress` is told each step ("importing
    /// demo/transactions.csv", "computing states") and how far it is.
    public func write(to store: WritableStore, rules: SettlementRules, now: Instant,
                      progress: (@Sendable (_ step: String, _ point: ProgressMeter.Point) -> Void)? = nil) throws -> [ImportSummary] {
        func options(_ format: ReportFormat, _ name: String) -> ImportOptions {
            var o = ImportOptions(format: format, timeZone: rules.policy.timeZone, progressEvery: 1_000)
            if let report = progress {
                let step = "importing " + name
                o.progress = { @Sendable (p: ImportProgress) in
                    report(step, ProgressMeter.Point(done: p.rows, bytes: p.bytes, totalBytes: p.totalBytes))
                }
            }
            return o
        }
        // Each step is announced at its start, so its rate counts from there.
        var summaries = try files.map { f in
            progress?("importing " + f.name, ProgressMeter.Point(done: 0))
            return try store.importData(Data(f.text.utf8), name: f.name, options: options(.canonical, f.name))
        }
        progress?("importing " + bankStatement.name, ProgressMeter.Point(done: 0))
        summaries.append(try store.importData(Data(bankStatement.text.utf8), name: bankStatement.name,
                                              options: options(.bankStatement, bankStatement.name)))
        progress?("computing states", ProgressMeter.Point(done: 0))
        var recomputed: (@Sendable (Int, Int) -> Void)?
        if let report = progress {
            recomputed = { @Sendable (done: Int, total: Int) in report("computing states", ProgressMeter.Point(done: done, total: total)) }
        }
        try store.recomputeStates(rules: rules, now: now, progress: recomputed)
        return summaries
    }
}
