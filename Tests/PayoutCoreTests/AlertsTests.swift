import PayoutCore
import Testing

/// The state-change rule of alerts (`Alerts.changes`): remembered conditions and the
/// subjects read now in, the alerts to fire and what to remember out.
struct AlertsTests {
    let now = Instant(epochMillis: 1_795_000_000_000)
    let earlier = Instant(epochMillis: 1_794_000_000_000)
    let mid = "898440358120013"

    func payout(_ ref: String, _ state: MoneyState, cause: CauseCode? = nil) -> AlertFinding {
        AlertFinding(subject: .payout, key: AlertFinding.payoutKey(merchantId: mid, ref: ref), state: state.rawValue,
                     cause: cause?.rawValue, alerting: state.isProblem, merchantId: mid, payoutRef: ref,
                     expected: Money(minor: 99_400, currency: .CNY))
    }

    func sale(_ id: Int64, rrn: String, payout ref: String?, _ state: MoneyState, cause: CauseCode? = nil) -> AlertFinding {
        AlertFinding(subject: .transaction, key: AlertFinding.transactionKey(id: id), state: state.rawValue, cause: cause?.rawValue,
                     alerting: state.isProblem, merchantId: mid, payoutRef: ref, rrn: rrn, transactionId: id,
                     expected: Money(minor: 99_400, currency: .CNY))
    }

    func account(_ state: AccountState) -> AlertFinding {
        AlertFinding(subject: .account, key: AlertFinding.accountKey(merchantId: mid), state: state.rawValue, cause: nil,
                     alerting: state != .active, merchantId: mid)
    }

    func remembered(_ f: AlertFinding) -> AlertMemory { AlertMemory(f, firedAt: earlier) }

    @Test func aSubjectTurningToAProblemFiresOnceAndIsRemembered() {
        let late = payout("P1", .late, cause: .acquirerBacklog)
        let c = Alerts.changes(remembered: [], current: [late], now: now)
        #expect(c.alerts.map(\.kind) == ["late"])
        #expect(c.alerts.first?.finding.payoutRef == "P1")
        #expect(c.alerts.first?.previous == nil)
        #expect(c.remember == [AlertMemory(late, firedAt: now)])
        #expect(c.forget.isEmpty)
        // The next evaluation, with the same condition remembered, fires nothing.
        let again = Alerts.changes(remembered: c.remember, current: [late], now: now)
        #expect(again.alerts.isEmpty && again.remember.isEmpty && again.forget.isEmpty)
    }

    @Test func subjectsThatAreNotProblemsAndWereNeverAlertedFireNothing() {
        let c = Alerts.changes(remembered: [], current: [payout("P1", .pending), payout("P2", .settled), account(.active)], now: now)
        #expect(c.alerts.isEmpty && c.remember.isEmpty && c.forget.isEmpty)
    }

    @Test func aChangeOfStateOrOfCauseFiresWithWhatWasAlertedBefore() {
        let wasLate = remembered(payout("P1", .late, cause: .acquirerBacklog))
        let short = Alerts.changes(remembered: [wasLate], current: [payout("P1", .short, cause: .feeDeduction)], now: now)
        #expect(short.alerts.map(\.kind) == ["short"])
        #expect(short.alerts.first?.previous?.state == "late")
        // Same state, a new cause (as a cause raised from bank statements would be): it fires.
        let newCause = Alerts.changes(remembered: [wasLate], current: [payout("P1", .late, cause: .bankProcessing)], now: now)
        #expect(newCause.alerts.map(\.kind) == ["late"])
        #expect(newCause.alerts.first?.finding.cause == "BANK_PROCESSING")
        #expect(newCause.remember.first?.cause == "BANK_PROCESSING")
    }

    @Test func aRememberedSubjectThatIsNoLongerAProblemRecoversOnce() {
        let wasLate = remembered(payout("P1", .late))
        let c = Alerts.changes(remembered: [wasLate], current: [payout("P1", .settled, cause: .arrivedLate)], now: now)
        #expect(c.alerts.map(\.kind) == [Alerts.recovered])
        #expect(c.alerts.first?.isRecovery == true)
        #expect(c.alerts.first?.finding.state == "settled")
        #expect(c.alerts.first?.previous == wasLate)
        #expect(c.forget == [wasLate.key])
        #expect(c.remember.isEmpty)
        // Once forgotten, nothing more fires.
        #expect(Alerts.changes(remembered: [], current: [payout("P1", .settled, cause: .arrivedLate)], now: now).alerts.isEmpty)
    }

    @Test func aRememberedSubjectNotReadStaysRemembered() {
        let c = Alerts.changes(remembered: [remembered(payout("P1", .late))], current: [], now: now)
        #expect(c.alerts.isEmpty && c.forget.isEmpty)
    }

    @Test func salesTurningLikeTheirPayoutAreNamedInThePayoutsAlert() {
        let c = Alerts.changes(remembered: [], current: [
            sale(7, rrn: "626000700001", payout: "P1", .late),
            payout("P1", .late),
            sale(8, rrn: "626000700002", payout: "P1", .late),
            sale(9, rrn: "626000700003", payout: "P2", .late),
            sale(10, rrn: "626000700004", payout: "P1", .held),
        ], now: now)
        #expect(c.alerts.count == 3)
        let p1 = c.alerts[0]
        #expect(p1.finding.subject == .payout && p1.rrns == ["626000700001", "626000700002"])
        #expect(p1.covers == [AlertFinding.payoutKey(merchantId: mid, ref: "P1"), "transaction 7", "transaction 8"])
        // P2 fired nothing of its own, and a held sale of a late payout is news of its own.
        #expect(c.alerts[1].finding.rrn == "626000700003" && c.alerts[1].kind == "late")
        #expect(c.alerts[2].finding.rrn == "626000700004" && c.alerts[2].kind == "held")
        #expect(Set(c.remember.map(\.key)) == Set(["payout \(mid) P1", "transaction 7", "transaction 8", "transaction 9", "transaction 10"]))
    }

    @Test func anAccountTurningFrozenAndBackFiresBoth() {
        let frozen = Alerts.changes(remembered: [], current: [account(.frozen)], now: now)
        #expect(frozen.alerts.map(\.kind) == ["frozen"])
        let limited = Alerts.changes(remembered: frozen.remember, current: [account(.limited)], now: now)
        #expect(limited.alerts.map(\.kind) == ["limited"])
        let active = Alerts.changes(remembered: limited.remember, current: [account(.active)], now: now)
        #expect(active.alerts.map(\.kind) == [Alerts.recovered])
        #expect(active.alerts.first?.finding.state == "active")
        #expect(active.forget == [AlertFinding.accountKey(merchantId: mid)])
    }

    @Test func payoutsComeFirstAndRecoveriesAfterRaises() {
        let c = Alerts.changes(remembered: [remembered(payout("P0", .late))], current: [
            account(.frozen), sale(3, rrn: "1", payout: nil, .failed), payout("P0", .settled), payout("P1", .failed),
        ], now: now)
        #expect(c.alerts.map(\.finding.key) == ["payout \(mid) P1", "payout \(mid) P0", "transaction 3", "account \(mid)"])
    }
}
