import ArgumentParser
import Foundation
import PayoutCore
import PayoutStore

/// `payoutmon status`: a headless summary for cron and alerting.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Summarise the store: pending, due today, late, short, held; list what needs attention.",
        discussion: """
            Lists every transaction and payout that is late, short, held, failed or paid in another \
            currency, every pending transaction whose date was moved (D0_QUOTA, CUTOFF_ROLLOVER, \
            CALENDAR_SHIFT), with its identifiers and cause code, and every payout credited in the \
            last 30 days after its late time (ARRIVED_LATE). Sales no payout carries whose \
            settlement day no imported settlement report covers are counted as "awaiting report": \
            not late, and no problem. A date computed through a year the holiday calendar has no \
            data for is flagged. Exit status: 0 when nothing is late, short, held, failed or paid in \
            another currency and no payout arrived late in the last 30 days, 1 otherwise, 2 when it \
            could not run (bad arguments, no store, a bad config).
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var configOptions: ConfigOptions

    @Flag(help: "Print JSON for scripts.")
    var json = false

    @Option(help: ArgumentHelp("Evaluate the store as it was known at this local time (\"2026-11-28 15:00\"): files imported later, and what is dated later, are left out.", valueName: "time"))
    var at: String?

    @Flag(help: "With --at: evaluate at that time with every report the store holds, those imported later included.")
    var allReports = false

    @Option(help: "Most rows listed per kind.")
    var limit = 200

    // Errors go to the root command, which prints them and exits 2 (Payoutmon.main).
    func run() throws {
        do {
            let config = try configOptions.load()
            let now: Instant
            if let at {
                guard let t = InstantParser.parse(at, zone: config.timeZone) else {
                    throw ValidationError("--at \"\(at)\" is not a time like \"2026-11-28 15:00\"")
                }
                now = t
            } else { now = Instant(Date()) }
            var db = try store.openReadOnly(config: config)
            // --at before the last import: the store as it was known then (a copy with
            // the later files and later-dated facts taken out, states computed at --at).
            var copy: KnownAtCopy?
            defer { copy?.close() }
            var asKnown: StatusReport.AsKnown?
            if at != nil, !allReports, let last = try db.lastImport(), now < last {
                let c = try db.knownAt(now, rules: config.rules)
                copy = c
                db = c.store
                asKnown = StatusReport.AsKnown(filesKnown: c.filesKnown, filesLater: c.filesLater, firstImport: c.firstImport)
            }
            var report = try db.read(rules: config.rules) { r in
                let payouts = try r.attentionPayouts(now: now, limit: limit)
                let arrivedLate = try r.arrivedLatePayouts(since: now.adding(days: -StatusReport.arrivedLateDays), limit: limit)
                return StatusReport(summary: try r.summary(now: now),
                                    transactions: try r.attentionTransactions(now: now, limit: limit),
                                    payouts: payouts, arrivedLate: arrivedLate,
                                    now: now, zone: config.timeZone,
                                    nowWithoutHolidayData: r.yearsWithoutHolidayData(at: now),
                                    bank: try StatusReport.BankPart.read(r, payouts: payouts + arrivedLate))
            }
            report.asKnown = asKnown
            Output.out(json ? report.json() : report.text())
            if report.needsAttention { throw ExitCode.needsAttention }
        }
    }
}

/// The status command's findings and how they print.
struct StatusReport {
    let summary: LedgerSummary
    let transactions: [TxnLine]
    let payouts: [PayoutLine]
    /// Payouts credited after their late time in the last `arrivedLateDays` days.
    let arrivedLate: [PayoutLine]
    let now: Instant
    let zone: TimeZone
    /// The evaluation time's year, when the calendar has no holiday data for it.
    var nowWithoutHolidayData: [Int] = []
    /// Set for `--at` before the store's last import: how much of the store was known then.
    var asKnown: AsKnown?

    struct AsKnown: Encodable {
        /// Files imported at or before the evaluation time, and after it (left out).
        let filesKnown: Int
        let filesLater: Int
        let firstImport: Instant?

        enum CodingKeys: String, CodingKey { case filesKnown, filesLater, firstImport }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(filesKnown, forKey: .filesKnown); try c.encode(filesLater, forKey: .filesLater)
            try c.encode(firstImport?.description, forKey: .firstImport)
        }
    }

    /// The bank side: each listed payout's bank state and the credits nobody announced.
    var bank = BankPart()

    struct BankPart {
        var states: [Int64: PayoutBankState] = [:]
        var unannounced: [UnannouncedCredit] = []
        var unassignedStatements = 0

        static func read(_ r: LedgerReader, payouts: [PayoutLine]) throws -> BankPart {
            var part = BankPart()
            for l in payouts where part.states[l.id] == nil {
                if let s = try r.bankState(of: l.payout) { part.states[l.id] = s }
            }
            part.unannounced = try r.unannouncedCredits()
            part.unassignedStatements = try r.unassignedStatementCount()
            return part
        }
    }

    /// " bank: credited 2026-11-23 10:30" / " bank: NOT CREDITED" / " bank: no statement"; empty when no statement was read.
    func bankText(_ l: PayoutLine) -> String {
        guard let b = bank.states[l.id] else { return "" }
        switch b.state {
        case .matched: return " bank: credited \(b.bookedAt.map { local($0) } ?? b.bookingDate?.iso ?? "")"
        case .creditedDifferent: return " bank: credited a different amount \(b.bookedAt.map { local($0) } ?? b.bookingDate?.iso ?? "")"
        case .ambiguous: return " bank: ambiguous (several credits could be it)"
        case .notCredited:
            // Only a payout the acquirer reports paid is owed a credit; for the others the
            // statement only confirms nothing came.
            let paid = l.payout.isReportedPaid
            return paid ? " bank: not credited (statement \(b.statementFiles.map(v).joined(separator: ", ")))"
                : " bank: no credit in the statement (\(b.statementFiles.map(v).joined(separator: ", "))): the acquirer does not report it paid"
        case .noStatement: return " bank: no bank statement for these days"
        }
    }

    /// How far back `status` lists late arrivals (and counts them for its exit status).
    static let arrivedLateDays: Int64 = 30

    /// Exit 1: money late, short, held or failed, or a payout that arrived late recently.
    var needsAttention: Bool { summary.hasProblems || !arrivedLate.isEmpty }

    /// "1d 15h".
    func lateText(_ minutes: Int64) -> String { DurationText.text(seconds: minutes * 60, language: .en, wholeMinutes: true) }

    /// Text from a report, safe to print (see `SafeText`).
    func v(_ s: String) -> String { SafeText.visible(s) }

    func local(_ i: Instant?) -> String { i.map { LocalDateTime($0, in: zone).description } ?? "" }

    func totals(_ d: [String: Int64]) -> String {
        d.sorted { $0.key < $1.key }.map { code, minor in
            Money(minor: minor, currency: Currency(code: code) ?? .CNY).formatted() + " " + code
        }.joined(separator: ", ")
    }

    func text() -> String {
        var out: [String] = []
        let s = summary
        out.append("payoutmon status at \(local(now))")
        if let k = asKnown {
            if k.filesKnown == 0 {
                out.append("as known then: nothing; the store's first file was imported \(local(k.firstImport))")
            } else {
                out.append("as known then: \(Output.grouped(k.filesKnown)) file(s) imported by then; \(Output.grouped(k.filesLater)) imported later and what is dated later left out")
            }
        }
        var counts = "transactions \(Output.grouped(s.transactions)): pending \(Output.grouped(s.pending)) (due today \(Output.grouped(s.dueToday))), late \(Output.grouped(s.late)), short \(Output.grouped(s.short)), held \(Output.grouped(s.held)), failed \(Output.grouped(s.failed))"
        if s.otherCurrency > 0 { counts += ", other currency \(Output.grouped(s.otherCurrency))" }
        if s.awaitingReport > 0 { counts += ", awaiting report \(Output.grouped(s.awaitingReport))" }
        out.append(counts)
        if !s.outstanding.isEmpty { out.append("still to arrive: \(totals(s.outstanding))") }
        if !s.shortTotal.isEmpty { out.append("short: \(totals(s.shortTotal))") }
        if s.awaitingReport > 0 {
            out.append("awaiting report: \(totals(s.awaitingTotal)), \(reportsThroughText): not late, not counted as still to arrive")
        }
        out += warnings().map { "warning: " + $0 }
        // Pending money whose date was moved is listed per payout: a weekend moves a whole batch.
        let isMoved = { (l: TxnLine) in l.state(at: now) == .pending }
        let problems = transactions.filter { !isMoved($0) }
        let moved = transactions.filter(isMoved)
        if !problems.isEmpty {
            out.append("")
            out.append("transactions needing attention:")
            for l in problems {
                let t = l.transaction
                out.append("  \(l.state(at: now).rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(l.cause?.rawValue ?? "-") rrn \(v(t.rrn)) mid \(v(t.merchantId)) tid \(v(t.terminalId)) \(t.amount.formatted()) \(t.amount.currency.code) traded \(local(t.occurredAt))" + (l.payoutRef.map { " payout \(v($0))" } ?? "") + holidayFlag(l))
            }
        }
        if !moved.isEmpty {
            out.append("")
            out.append("pending, date moved (not late):")
            var groups: [(key: String, lines: [TxnLine])] = []
            for l in moved {
                let key = (l.cause?.rawValue ?? "-") + " " + (l.payoutRef.map { "payout \(v($0))" } ?? "rrn \(v(l.transaction.rrn))")
                if let i = groups.firstIndex(where: { $0.key == key }) { groups[i].lines.append(l) } else { groups.append((key, [l])) }
            }
            for g in groups {
                let credit = g.lines.compactMap(\.expectedCredit).max()
                // A group keyed by its RRN (no payout) names it once.
                let rrns = g.lines.count > 1 ? " \(g.lines.count) transactions" : g.lines[0].payoutRef == nil ? "" : " rrn \(v(g.lines[0].transaction.rrn))"
                let flag = g.lines.first { !$0.noHolidayDataYears.isEmpty }.map(holidayFlag) ?? ""
                out.append("  pending  \(g.key)\(rrns) expected \(local(credit))" + flag)
            }
        }
        if !payouts.isEmpty {
            out.append("")
            out.append("payouts needing attention:")
            for l in payouts {
                let p = l.payout
                out.append("  \(l.state(at: now).rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(l.cause?.rawValue ?? "-") payout \(v(p.ref)) mid \(v(p.merchantId)) expected \(p.expectedAmount.formatted()) \(p.expectedAmount.currency.code) \(p.paidAmount.map { "paid \($0.formatted()) \($0.currency.code)" } ?? "not paid") status \(p.status.rawValue) cycle \(p.cycleDate.iso)" + (p.failureCode.map { " failure \(v($0))" } ?? "") + bankText(l))
            }
        }
        if !bank.unannounced.isEmpty {
            out.append("")
            out.append("bank credits from the acquirer that match no payout:")
            for c in bank.unannounced {
                out.append("  mid \(v(c.merchantId)) \(c.amount.formatted()) \(c.amount.currency.code) booked \(c.bookedAt.map { local($0) } ?? c.bookingDate.iso)" + (c.counterparty.map { " from \(v($0))" } ?? "") + (c.bankRef.map { " ref \(v($0))" } ?? "") + " (\(v(c.file)):\(c.line))")
            }
        }
        if !arrivedLate.isEmpty {
            out.append("")
            out.append("payouts that arrived late (last \(Self.arrivedLateDays) days):")
            for l in arrivedLate {
                let p = l.payout
                out.append("  \(l.state(at: now).rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(l.cause?.rawValue ?? "-") payout \(v(p.ref)) mid \(v(p.merchantId)) \(p.paidAmount.map { "paid \($0.formatted()) \($0.currency.code) " } ?? "")credited \(local(l.arrivedLateAt ?? p.creditedAt))\(p.creditedAt == nil ? " (by another payout)" : ""), late after \(local(l.lateAfter)): arrived late by \(l.arrivedLateMinutes.map(lateText) ?? "-")" + bankText(l))
            }
        }
        if !needsAttention { out.append("nothing late, short or held") }
        return out.joined(separator: "\n")
    }

    /// " [no holiday data for 2027]" for a line whose date needed missing calendar data.
    func holidayFlag(_ l: TxnLine) -> String {
        l.noHolidayDataYears.isEmpty ? "" : " [no holiday data for \(l.noHolidayDataYears.map(String.init).joined(separator: ", "))]"
    }

    /// "settlement reports through 2026-11-30" / "no settlement report imported".
    var reportsThroughText: String {
        summary.reportsThrough.map { "settlement reports through \($0.iso)" } ?? "no settlement report imported"
    }

    /// What the calendar cannot vouch for: the evaluation date, and open dates, in a
    /// year without holiday data.
    func warnings() -> [String] {
        let s = summary
        let known = s.holidayDataYearsText.isEmpty ? "none" : s.holidayDataYearsText
        var out: [String] = []
        if s.statesNeedRecompute {
            out.append("the store was upgraded and its states are not yet recomputed: lateness and awaiting-report states may be stale; run `payoutmon import FILE` on it (any report file; one imported before adds nothing) to recompute them")
        }
        if bank.unassignedStatements > 0 {
            out.append("\(bank.unassignedStatements) bank statement(s) of an account no merchant has are stored unassigned: they are matched to no payout")
        }
        if !nowWithoutHolidayData.isEmpty {
            out.append("\(LocalDateTime(now, in: zone).date.iso) is beyond the holiday data of calendar \(s.calendarName) (\(known)): dates in \(nowWithoutHolidayData.map(String.init).joined(separator: ", ")) assume weekends and the fixed-date holidays only")
        }
        if s.noHolidayData > 0 {
            out.append("\(Output.grouped(s.noHolidayData)) open transaction(s) expected in \(s.noHolidayDataYears.map(String.init).joined(separator: ", ")), beyond the holiday data of calendar \(s.calendarName) (\(known)): their dates assume weekends and the fixed-date holidays only")
        }
        return out
    }

    struct JSONTxn: Encodable {
        let state: String, cause: String?, rrn: String, merchantId: String, terminalId: String, batchNo: String
        let traceNo: String, amount: String, currency: String, occurredAt: String, payoutRef: String?
        let expectedCredit: String?, expectedNet: String?, received: String?
        let noHolidayDataYears: [Int]?
    }
    struct JSONPayout: Encodable {
        let state: String, cause: String?, payoutRef: String, merchantId: String, cycleDate: String, status: String
        let expected: String, paid: String?, currency: String, failureCode: String?, bankRef: String?
        let lateAfter: String?, creditedAt: String?
        /// Minutes between the late time and the credit; null when on time or not credited.
        let arrivedLateBy: Int64?
        /// The bank side; absent when no bank statement of the merchant was read.
        var bank: JSONBank? = nil

        enum CodingKeys: String, CodingKey {
            case state, cause, payoutRef, merchantId, cycleDate, status, expected, paid, currency, failureCode, bankRef
            case lateAfter, creditedAt, arrivedLateBy, bank
        }

        /// As synthesized, except that `arrivedLateBy` is always present (null when on time).
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(state, forKey: .state); try c.encodeIfPresent(cause, forKey: .cause)
            try c.encode(payoutRef, forKey: .payoutRef); try c.encode(merchantId, forKey: .merchantId)
            try c.encode(cycleDate, forKey: .cycleDate); try c.encode(status, forKey: .status)
            try c.encode(expected, forKey: .expected); try c.encodeIfPresent(paid, forKey: .paid)
            try c.encode(currency, forKey: .currency); try c.encodeIfPresent(failureCode, forKey: .failureCode)
            try c.encodeIfPresent(bankRef, forKey: .bankRef); try c.encodeIfPresent(lateAfter, forKey: .lateAfter)
            try c.encodeIfPresent(creditedAt, forKey: .creditedAt); try c.encode(arrivedLateBy, forKey: .arrivedLateBy)
            try c.encodeIfPresent(bank, forKey: .bank)
        }
    }
    /// "matched", "ambiguous", "credited-different", "not-credited", "no-statement".
    struct JSONBank: Encodable {
        let state: String, bookedAt: String?, bookingDate: String?, statements: [String]?
    }
    struct JSONCredit: Encodable {
        let merchantId: String, amount: String, currency: String, bookingDate: String, bookedAt: String?
        let counterparty: String?, bankRef: String?, file: String, line: Int
    }
    struct JSONCalendar: Encodable {
        let name: String, holidayDataYears: [Int], noHolidayDataYears: [Int]
    }
    struct JSONReport: Encodable {
        /// The shape's name and version (docs/cli.md).
        let schema = "payoutmon.status/1"
        let now: String
        let summary: [String: Int]
        let outstanding: [String: String]
        let short: [String: String]
        let problems: Bool
        let awaitingReport: [String: String]
        let reportsThrough: String?
        let calendar: JSONCalendar
        let warnings: [String]
        let transactions: [JSONTxn]
        let payouts: [JSONPayout]
        let arrivedLate: [JSONPayout]
        /// Credits from an acquirer's payer that match no payout.
        let unannouncedCredits: [JSONCredit]
        /// Null unless `--at` is before the store's last import.
        let asKnown: AsKnown?

        enum CodingKeys: String, CodingKey {
            case schema, now, summary, outstanding, short, problems, awaitingReport, reportsThrough, calendar, warnings
            case transactions, payouts, arrivedLate, unannouncedCredits, asKnown
        }
        /// As synthesized, except that `asKnown` is always present (null when not used).
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(schema, forKey: .schema); try c.encode(now, forKey: .now); try c.encode(summary, forKey: .summary)
            try c.encode(outstanding, forKey: .outstanding); try c.encode(short, forKey: .short)
            try c.encode(problems, forKey: .problems); try c.encode(awaitingReport, forKey: .awaitingReport)
            try c.encodeIfPresent(reportsThrough, forKey: .reportsThrough); try c.encode(calendar, forKey: .calendar)
            try c.encode(warnings, forKey: .warnings); try c.encode(transactions, forKey: .transactions)
            try c.encode(payouts, forKey: .payouts); try c.encode(arrivedLate, forKey: .arrivedLate)
            try c.encode(unannouncedCredits, forKey: .unannouncedCredits)
            try c.encode(asKnown, forKey: .asKnown)
        }
    }

    func jsonPayout(_ l: PayoutLine) -> JSONPayout {
        let p = l.payout
        var out = JSONPayout(state: l.state(at: now).rawValue, cause: l.cause?.rawValue, payoutRef: p.ref,
                          merchantId: p.merchantId, cycleDate: p.cycleDate.iso, status: p.status.rawValue,
                          expected: p.expectedAmount.decimalString, paid: p.paidAmount?.decimalString,
                          currency: p.expectedAmount.currency.code, failureCode: p.failureCode, bankRef: p.bankRef,
                          lateAfter: l.lateAfter?.description, creditedAt: (p.creditedAt ?? l.arrivedLateAt)?.description,
                          arrivedLateBy: l.arrivedLateMinutes)
        if let b = bank.states[l.id] {
            out.bank = JSONBank(state: b.state.rawValue, bookedAt: b.bookedAt?.description, bookingDate: b.bookingDate?.iso,
                                statements: b.statementFiles.isEmpty ? nil : b.statementFiles)
        }
        return out
    }

    func json() -> String {
        let s = summary
        func money(_ d: [String: Int64]) -> [String: String] {
            d.reduce(into: [:]) { acc, kv in
                acc[kv.key] = Money(minor: kv.value, currency: Currency(code: kv.key) ?? .CNY).decimalString
            }
        }
        let report = JSONReport(
            now: now.description,
            summary: ["transactions": s.transactions, "pending": s.pending, "dueToday": s.dueToday, "late": s.late,
                      "short": s.short, "held": s.held, "failed": s.failed, "awaitingReport": s.awaitingReport,
                      "otherCurrency": s.otherCurrency, "noHolidayData": s.noHolidayData],
            outstanding: money(s.outstanding), short: money(s.shortTotal), problems: needsAttention,
            awaitingReport: money(s.awaitingTotal), reportsThrough: s.reportsThrough?.iso,
            calendar: JSONCalendar(name: s.calendarName, holidayDataYears: s.holidayDataYears,
                                   noHolidayDataYears: (s.noHolidayDataYears + nowWithoutHolidayData).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }.sorted()),
            warnings: warnings(),
            transactions: transactions.map { l in
                let t = l.transaction
                return JSONTxn(state: l.state(at: now).rawValue, cause: l.cause?.rawValue, rrn: t.rrn, merchantId: t.merchantId,
                               terminalId: t.terminalId, batchNo: t.batchNo, traceNo: t.traceNo, amount: t.amount.decimalString,
                               currency: t.amount.currency.code, occurredAt: t.occurredAt.description, payoutRef: l.payoutRef,
                               expectedCredit: l.expectedCredit?.description, expectedNet: l.expectedNet?.decimalString,
                               received: l.received?.decimalString,
                               noHolidayDataYears: l.noHolidayDataYears.isEmpty ? nil : l.noHolidayDataYears)
            },
            payouts: payouts.map(jsonPayout), arrivedLate: arrivedLate.map(jsonPayout),
            unannouncedCredits: bank.unannounced.map { c in
                JSONCredit(merchantId: c.merchantId, amount: c.amount.decimalString, currency: c.amount.currency.code,
                           bookingDate: c.bookingDate.iso, bookedAt: c.bookedAt?.description, counterparty: c.counterparty,
                           bankRef: c.bankRef, file: c.file, line: c.line)
            }, asKnown: asKnown)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Output.json((try? enc.encode(report)) ?? Data("{}".utf8))
    }
}
