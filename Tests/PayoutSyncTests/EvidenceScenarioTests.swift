import PayoutTestSupport
import Foundation
import PayoutCore
import PayoutFormats
import PayoutModel
import PayoutStore
import PayoutSync
import PayoutTUI
import Testing

/// The scenarios of `EvidenceScenario` (their answers, worked out by hand, are in their
/// comments) imported into a store and read as the monitor reads them: the header,
/// the transaction list and the drill-down, as screen text.
@Suite struct EvidenceScenarioTests {
    static let size = Size(width: 320, height: 150)

    /// The scenario's files in a fresh store, reconciled at the scenario's "now".
    func store(_ s: EvidenceScenario, _ dir: TempDir) throws -> WritableStore {
        let store = try memoryStore()
        for path in s.write(to: dir) {
            _ = try store.importFile(atPath: path, options: ImportOptions(format: .canonical, timeZone: shanghai, rules: testRules,
                                                                           now: at(s.now)))
        }
        return store
    }

    /// The monitor's screen at the scenario's "now": the overview, or the drill-down of
    /// `rrn` (or of payout `ref`).
    func screen(_ s: EvidenceScenario, _ store: PayoutStore, rrn: String? = nil, payout ref: String? = nil) throws -> String {
        let now = at(s.now)
        var state = MonitorState(now: now, timeZone: shanghai, size: Self.size)
        let reader = SnapshotReader(rules: testRules, merchantId: nil)
        if let rrn {
            let id = try #require(try store.read(rules: testRules) { try $0.transactionLines(rrn: rrn) }.first?.id)
            state.screens.append(ScreenEntry(.transaction(id: id)))
        } else if let ref {
            state.screens.append(ScreenEntry(.payout(merchantId: EvidenceScenario.mid, ref: ref)))
        }
        state.snapshot = try reader.read(store, request: state.request, now: now)
        state.sync = .synced(at: now, changedAt: now)
        return render(state, size: Self.size).text
    }

    /// The drill-down's row holding the State field (beside the auth code).
    func stateField(_ screen: String) -> String {
        screen.split(separator: "\n").first { $0.contains("Auth code") && $0.contains("State") }.map(String.init) ?? ""
    }

    @Test func aTransactionExportAloneIsAwaitingReportEverywhereNeverLate() throws {
        let s = EvidenceScenario.transactionExportOnly
        let dir = TempDir()
        let store = try store(s, dir)
        let summary = try store.read(rules: testRules) { try $0.summary(now: at(s.now)) }
        #expect(summary.awaitingReport == 3)
        #expect(summary.awaitingTotal == ["CNY": 298_200])
        #expect(summary.late == 0 && summary.pending == 0)
        #expect(summary.outstanding.isEmpty)
        #expect(summary.reportsThrough == nil)
        #expect(!summary.hasProblems)

        let overview = try screen(s, store)
        #expect(overview.contains("○ awaiting report 3 no settlement report"), "\(overview)")
        #expect(!overview.contains("late 3"))
        #expect(!overview.contains("to come"))
        #expect(overview.contains("○ awaiting"))

        let detail = try screen(s, store, rrn: EvidenceScenario.rrn(1))
        #expect(detail.contains("○ awaiting report"), "\(detail)")
        #expect(detail.contains("AWAITING_REPORT"))
        #expect(detail.contains("expected on 2026-11-24; no settlement report imported for MID \(EvidenceScenario.mid) covers that day"))
        #expect(detail.contains("no settlement report has been imported for MID \(EvidenceScenario.mid)"))
        #expect(!detail.contains("CALENDAR_SHIFT"))
        #expect(stateField(detail).contains("○ awaiting report") && !stateField(detail).contains("late"))
    }

    @Test func aCoveredDayWithoutTheRRNIsLateAndUnexplained() throws {
        let s = EvidenceScenario.coveredButMissing
        let dir = TempDir()
        let store = try store(s, dir)
        let summary = try store.read(rules: testRules) { try $0.summary(now: at(s.now)) }
        #expect(summary.late == 1)
        #expect(summary.awaitingReport == 0)
        #expect(summary.reportsThrough == LocalDate(iso: "2026-11-24"))

        let detail = try screen(s, store, rrn: EvidenceScenario.rrn(12))
        #expect(detail.contains("! late"), "\(detail)")
        #expect(detail.contains("UNEXPLAINED"))
        #expect(detail.contains("settlement reports through 2026-11-24 cover 2026-11-24; none carries RRN \(EvidenceScenario.rrn(12))"))
        let settled = try screen(s, store, rrn: EvidenceScenario.rrn(11))
        #expect(settled.contains("✓ settled"))
    }

    @Test func aFeeLineOverTheContractIsAFinding() throws {
        let s = EvidenceScenario.feeOverContract
        let dir = TempDir()
        let store = try store(s, dir)
        let detail = try screen(s, store, payout: "LKLP-S-21")
        #expect(detail.contains("FEE_DEDUCTION"), "\(detail)")
        #expect(detail.contains("charged 78.00; the contract gives 60.00 for its 2 sale(s): 18.00 over"))
        #expect(detail.contains("contracted fee 30.00 (0.60%)"))
        let line = try #require(try store.read(rules: testRules) { try $0.payoutLine(merchantId: EvidenceScenario.mid, ref: "LKLP-S-21") })
        #expect(line.cause == .feeDeduction)
        #expect(line.state(at: at(s.now)) == .short)
        // Owed the contract's net: 9,940.00 for the payout, 4,970.00 for each sale.
        let summary = try store.read(rules: testRules) { try $0.summary(now: at(s.now)) }
        #expect(summary.short == 2 && summary.shortTotal == ["CNY": 1_800])
        #expect(summary.hasProblems)
        let sale = try #require(try store.read(rules: testRules) { try $0.transactionLines(rrn: EvidenceScenario.rrn(21)) }.first)
        #expect(sale.state(at: at(s.now)) == .short && sale.cause == .feeDeduction)
        #expect(sale.expectedNet?.minor == 497_000 && sale.received?.minor == 496_100)
        let saleDetail = try screen(s, store, rrn: EvidenceScenario.rrn(21))
        #expect(stateField(saleDetail).contains("short"), "\(saleDetail)")
    }

    @Test func aPayoutInAnotherCurrencyIsItsOwnFindingNeitherShortNorMissing() throws {
        let s = EvidenceScenario.otherCurrency
        let dir = TempDir()
        let store = try store(s, dir)
        let detail = try screen(s, store, rrn: EvidenceScenario.rrn(31))
        #expect(detail.contains("CURRENCY_MISMATCH"), "\(detail)")
        #expect(detail.contains("¤ other currency"))
        #expect(detail.contains("sale RRN \(EvidenceScenario.rrn(31)): CNY 1,000.00, expected net CNY 994.00"))
        #expect(detail.contains("payout LKLP-S-31 is in HKD: credited HKD 1,085.00 on 2026-11-24"))
        #expect(!detail.contains("no payout in the reports carries"))
        #expect(stateField(detail).contains("¤ other currency") && !stateField(detail).contains("short"))
        let summary = try store.read(rules: testRules) { try $0.summary(now: at(s.now)) }
        #expect(summary.otherCurrency == 1 && summary.short == 0)
        #expect(summary.hasProblems)
    }

    @Test func aDateBeyondTheCalendarDataIsFlaggedInTheHeaderAndTheDrillDown() throws {
        let s = EvidenceScenario.beyondCalendar
        let dir = TempDir()
        let store = try store(s, dir)
        let overview = try screen(s, store)
        #expect(overview.contains("! no holiday data 2027 1"), "\(overview)")
        let detail = try screen(s, store, rrn: EvidenceScenario.rrn(41))
        #expect(detail.contains("! no holiday data 2027"), "\(detail)")
        // New Year's Day is a holiday in any year: Monday 2027-01-04, not Friday 01-01.
        #expect(detail.contains("2027-01-04"))
        #expect(detail.contains("no holiday data for 2027: assuming weekends and the fixed-date holidays (1 Jan, 1 May, 1-3 Oct) only"))
        let line = try #require(try store.read(rules: testRules) { try $0.transactionLines(rrn: EvidenceScenario.rrn(41)) }.first)
        #expect(line.expectedCredit == at("2027-01-04 09:00"))
        #expect(line.noHolidayDataYears == [2027])
    }

    @Test func aReturnAsAccountClosedThatLaterCreditsContradictIsFlagged() throws {
        let s = EvidenceScenario.closedButCredited
        let dir = TempDir()
        let store = try store(s, dir)
        let detail = try screen(s, store, payout: "LKLP-S-51")
        #expect(detail.contains("BANK_PROCESSING"), "\(detail)")
        #expect(detail.contains("inconsistent: the bank returned payout LKLP-S-51 as account closed, yet payout LKLP-S-52 (994.00) was credited on 2026-11-25 to the same settlement account, after it; before it, payout LKLP-S-50 (994.00) was credited on 2026-11-20"))
        let sale = try screen(s, store, rrn: EvidenceScenario.rrn(51))
        #expect(sale.contains("inconsistent: the bank returned payout LKLP-S-51"))
    }
}
