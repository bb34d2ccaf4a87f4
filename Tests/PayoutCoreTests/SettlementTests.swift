import Foundation
import Testing
@testable import PayoutCore

/// The settlement engine: calendar, policy, expectations, inflow limits.
///
/// Every suite of the engine nests in this one so `--filter SettlementTests` runs
/// them all; the calendar and policy suites live in SettlementCalendarTests.swift and
/// SettlementPolicyTests.swift.
@Suite struct SettlementTests {}

// MARK: - Fixtures

/// Shared helpers for the settlement tests.
enum SettlementFixtures {
    /// The repository's config/calendars/cn.txt, found from this file's path.
    static var cnURL: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()   // PayoutCoreTests
            .deletingLastPathComponent()   // Tests
            .deletingLastPathComponent()   // repository root
            .appendingPathComponent("config/calendars/cn.txt")
    }

    static func cnText() throws -> String { try String(contentsOf: cnURL, encoding: .utf8) }

    /// The real cn calendar.
    static func cn() throws -> SettlementCalendar { try SettlementCalendar.parse(cnText(), name: "cn") }

    static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    static func d(_ s: String) throws -> LocalDate { try #require(LocalDate(iso: s), "bad date \(s)") }

    static func cny(_ s: String) throws -> Money { try Money.parse(s, currency: .CNY) }

    /// A wall-clock time in Shanghai ("2026-09-30 23:10") as an instant.
    static func sh(_ s: String) throws -> Instant {
        try #require(LocalDateTime(parsing: s), "bad time \(s)").instant(in: shanghai)
    }

    /// An absolute UTC time ("2026-10-08T01:00:00Z"), independent of LocalDateTime.
    static func utc(_ s: String) throws -> Instant {
        Instant(try #require(ISO8601DateFormatter().date(from: s), "bad ISO time \(s)"))
    }

    /// The demo policy with some keys changed.
    static func policy(_ changes: [String: String] = [:]) throws -> SettlementPolicy {
        try SettlementPolicy.parse(changes)
    }
}

// MARK: - Expectations: T+1 around cutoffs, weekends and holidays

extension SettlementTests {
    @Suite("SettlementExpectation T+1") struct ExpectationT1Tests {
        typealias F = SettlementFixtures

        func expect(_ at: String, _ amount: String = "10000.00", _ kind: CardKind = .debit,
                    policy: SettlementPolicy? = nil, calendar: SettlementCalendar? = nil) throws -> SettlementExpectation {
            try SettlementExpectation.compute(occurredAt: F.sh(at), amount: F.cny(amount), cardKind: kind,
                                    policy: policy ?? .demoDefault, calendar: calendar ?? F.cn())
        }

        @Test func nationalDay2026AfterCutoff() throws {
            let e = try expect("2026-09-30 23:10")
            #expect(e.tradeDate == (try F.d("2026-10-01")))
            #expect(e.settlementDay == (try F.d("2026-10-08")))
            #expect(e.portions.count == 1)
            #expect(e.portions[0].route == .cycle)
            #expect(e.portions[0].naiveDay == (try F.d("2026-10-02")))
            #expect(e.flags == [.cutoffRollover, .calendarShift])
            #expect(e.expectedCredit == (try F.utc("2026-10-08T01:00:00Z")))
            #expect(e.dueBy == (try F.utc("2026-10-08T10:00:00Z")))
            #expect(e.lateAfter == (try F.utc("2026-10-08T12:00:00Z")))
            #expect(e.fee.total == (try F.cny("35.00")))
            #expect(e.net == (try F.cny("9965.00")))
            #expect(e.yearsWithoutData.isEmpty)
            #expect(e.steps.map(\.en) == [
                "traded 2026-09-30 23:10, after the 23:00 cutoff: trade date 10-01",
                "T+1 -> next working day 10-08 (National Day 10-01..10-07)",
                "credit window 09:00-18:00 on 10-08; late after 10-08 20:00 (grace 120 min)",
                "fee debit 0.60% of 10,000.00 = 60.00, capped at 35.00",
                "expected net 10,000.00 - fee 35.00 = 9,965.00",
            ])
            #expect(e.steps.map(\.zh) == [
                "交易时间 2026-09-30 23:10，已过日切时间 23:00：交易日顺延为 10-01",
                "T+1 -> 下一个工作日 10-08（国庆节 10-01..10-07）",
                "入账时段 10-08 09:00-18:00；超过 10-08 20:00 视为延迟（宽限 120 分钟）",
                "手续费 借记卡 0.60% × 10,000.00 = 60.00，封顶 35.00",
                "预计净额 10,000.00 - 手续费 35.00 = 9,965.00",
            ])
        }

        @Test func cutoffBoundary() throws {
            // 22:59 on Tuesday 09-29 settles Wednesday 09-30; 23:00 exactly rolls to
            // trade date 09-30, whose next working day is after National Day.
            let before = try expect("2026-09-29 22:59")
            #expect(before.tradeDate == (try F.d("2026-09-29")))
            #expect(before.settlementDay == (try F.d("2026-09-30")))
            #expect(before.flags.isEmpty)
            #expect(before.steps[0].en == "traded 2026-09-29 22:59, before the 23:00 cutoff: trade date 09-29")

            let at = try expect("2026-09-29 23:00")
            #expect(at.tradeDate == (try F.d("2026-09-30")))
            #expect(at.settlementDay == (try F.d("2026-10-08")))
            #expect(at.flags == [.cutoffRollover, .calendarShift])
            #expect(at.steps[1].en == "T+1 -> next working day 10-08 (National Day 10-01..10-07)")
        }

        @Test func noCutoffAtMidnight() throws {
            let p = try F.policy(["settlement.cutoff": "00:00"])
            let e = try expect("2026-03-10 23:59", policy: p)
            #expect(e.tradeDate == (try F.d("2026-03-10")))
            #expect(e.settlementDay == (try F.d("2026-03-11")))
            #expect(!e.has(.cutoffRollover))
            #expect(e.steps[0].en == "traded 2026-03-10 23:59: trade date 03-10 (no cutoff)")
        }

        @Test func ordinaryWeekday() throws {
            let e = try expect("2026-03-10 14:00")
            #expect(e.tradeDate == (try F.d("2026-03-10")))
            #expect(e.settlementDay == (try F.d("2026-03-11")))
            #expect(e.flags.isEmpty)
            #expect(e.steps[1].en == "T+1 -> next working day 03-11")
        }

        @Test func fridayToMakeUpSunday() throws {
            // 2026-09-20 (Sunday) is a make-up working day for National Day.
            let e = try expect("2026-09-18 10:00")
            #expect(e.settlementDay == (try F.d("2026-09-20")))
            #expect(e.flags == [.calendarShift])
            #expect(e.steps.map(\.en).contains("T+1 -> next working day 09-20 (weekend 09-19)"))
            #expect(e.steps.map(\.en).contains("09-20 is a make-up working day (National Day)"))
            #expect(e.steps.map(\.zh).contains("09-20 为调休工作日（国庆节）"))
        }

        @Test func fridayToMondayOnWeekendsCalendar() throws {
            let e = try expect("2026-09-18 10:00", calendar: .weekends)
            #expect(e.settlementDay == (try F.d("2026-09-21")))
            #expect(e.flags == [.calendarShift])
            #expect(e.steps[1].en == "T+1 -> next working day 09-21 (weekend 09-19..09-20)")
            #expect(e.steps[1].zh == "T+1 -> 下一个工作日 09-21（周末 09-19..09-20）")
        }

        @Test func holidayTradesOnWeekendsCalendarIgnoreHolidays() throws {
            let e = try expect("2026-09-30 10:00", calendar: .weekends)
            #expect(e.settlementDay == (try F.d("2026-10-01")))
            #expect(e.flags.isEmpty)
        }

        @Test func springFestival2026() throws {
            // Friday 02-13: the next day, Saturday 02-14, is a make-up working day.
            let fri = try expect("2026-02-13 15:00")
            #expect(fri.settlementDay == (try F.d("2026-02-14")))
            #expect(fri.flags.isEmpty)
            // Traded on that make-up Saturday: next working day is after the 9-day break.
            let sat = try expect("2026-02-14 10:00")
            #expect(sat.settlementDay == (try F.d("2026-02-24")))
            #expect(sat.flags == [.calendarShift])
            #expect(sat.steps[1].en == "T+1 -> next working day 02-24 (Spring Festival 02-15..02-23)")
            #expect(sat.steps[1].zh == "T+1 -> 下一个工作日 02-24（春节 02-15..02-23）")
        }

        @Test func springFestival2025() throws {
            let e = try expect("2025-01-27 12:00")
            #expect(e.settlementDay == (try F.d("2025-02-05")))
            #expect(e.flags == [.calendarShift])
            #expect(e.steps[1].en == "T+1 -> next working day 02-05 (Spring Festival 01-28..02-04)")
            // The make-up Sunday before it is a working day: traded Saturday 01-25 -> 01-26.
            let sat = try expect("2025-01-25 12:00")
            #expect(sat.settlementDay == (try F.d("2025-01-26")))
            #expect(sat.flags.isEmpty)
        }

        @Test func nationalDay2025And2024() throws {
            let e25 = try expect("2025-09-30 10:00")
            #expect(e25.settlementDay == (try F.d("2025-10-09")))
            #expect(e25.steps[1].en == "T+1 -> next working day 10-09 (National Day and Mid-Autumn Festival 10-01..10-08)")
            let e24 = try expect("2024-09-30 10:00")
            #expect(e24.settlementDay == (try F.d("2024-10-08")))
            #expect(e24.steps[1].en == "T+1 -> next working day 10-08 (National Day 10-01..10-07)")
            // Traded on the make-up Saturday 2024-10-12: next working day Monday 10-14.
            let mk = try expect("2024-10-12 10:00")
            #expect(mk.settlementDay == (try F.d("2024-10-14")))
            #expect(mk.steps[1].en == "T+1 -> next working day 10-14 (weekend 10-13)")
        }

        @Test func yearWithoutDataIsFlagged() throws {
            let e = try expect("2026-12-31 23:30")
            #expect(e.tradeDate == (try F.d("2027-01-01")))
            #expect(e.settlementDay == (try F.d("2027-01-04")))
            #expect(e.yearsWithoutData == [2027])
            #expect(e.flags == [.cutoffRollover, .calendarShift, .noHolidayData])
            #expect(e.steps.map(\.en).contains("no holiday data for 2027: assuming weekends and the fixed-date holidays (1 Jan, 1 May, 1-3 Oct) only"))
            #expect(e.steps.map(\.zh).contains("无 2027 年节假日数据：仅按周末及固定日期节日（1月1日、5月1日、10月1日至3日）推算"))
            #expect(e.steps[0].en == "traded 2026-12-31 23:30, after the 23:00 cutoff: trade date 2027-01-01")

            let inside = try expect("2026-12-30 10:00")
            #expect(inside.settlementDay == (try F.d("2026-12-31")))
            #expect(!inside.has(.noHolidayData))
        }

        @Test func tPlusTwoAndZero() throws {
            let t2 = try expect("2026-09-29 10:00", policy: F.policy(["settlement.cycle": "T+2"]))
            #expect(t2.settlementDay == (try F.d("2026-10-08")))
            #expect(t2.steps[1].en == "T+2 -> working day 2 after the trade date: 10-08 (National Day 10-01..10-07)")
            let t0 = try expect("2026-10-03 10:00", policy: F.policy(["settlement.cycle": "T+0"]))
            #expect(t0.settlementDay == (try F.d("2026-10-08")))
            #expect(t0.has(.calendarShift))
            let t0Work = try expect("2026-03-10 10:00", policy: F.policy(["settlement.cycle": "t+0"]))
            #expect(t0Work.settlementDay == (try F.d("2026-03-10")))
            #expect(t0Work.flags.isEmpty)
        }

        @Test func timingAgainstNow() throws {
            let e = try expect("2026-09-30 23:10")
            #expect(e.timing(at: try F.sh("2026-10-07 12:00")) == .notYetDue)
            #expect(e.timing(at: try F.sh("2026-10-08 09:00")) == .inWindow)
            #expect(e.timing(at: try F.sh("2026-10-08 18:00")) == .inWindow)
            #expect(e.timing(at: try F.sh("2026-10-08 19:59")) == .inGrace)
            #expect(e.timing(at: try F.sh("2026-10-08 20:00")) == .inGrace)
            #expect(e.timing(at: try F.sh("2026-10-08 20:01")) == .late)
        }
    }
}

// MARK: - Expectations: D+1

extension SettlementTests {
    @Suite("SettlementExpectation D+1") struct ExpectationD1Tests {
        typealias F = SettlementFixtures

        @Test func calendarDaysIgnoreHolidays() throws {
            let p = try F.policy(["settlement.cycle": "D+1"])
            let e = try SettlementExpectation.compute(occurredAt: F.sh("2026-09-30 23:10"), amount: F.cny("500.00"),
                                            cardKind: .credit, policy: p, calendar: F.cn())
            #expect(e.tradeDate == (try F.d("2026-10-01")))
            #expect(e.settlementDay == (try F.d("2026-10-02")))
            #expect(e.flags == [.cutoffRollover])
            #expect(e.expectedCredit == (try F.utc("2026-10-02T01:00:00Z")))
            #expect(e.steps[1].en == "D+1 -> calendar day 10-02 (weekends and holidays count)")
            #expect(e.fee.total == (try F.cny("3.00")))
            #expect(e.net == (try F.cny("497.00")))
        }

        @Test func saturdayToSunday() throws {
            let p = try F.policy(["settlement.cycle": "D+1"])
            let e = try SettlementExpectation.compute(occurredAt: F.sh("2026-03-14 10:00"), amount: F.cny("100.00"),
                                            cardKind: .qr, policy: p, calendar: F.cn())
            #expect(e.settlementDay == (try F.d("2026-03-15")))
            #expect(e.flags.isEmpty)
        }
    }
}

// MARK: - Expectations: D+0 and its quota

extension SettlementTests {
    @Suite("SettlementExpectation D+0") struct ExpectationD0Tests {
        typealias F = SettlementFixtures

        func d0(_ at: String, _ amount: String, used: String = "0", kind: CardKind = .credit) throws -> SettlementExpectation {
            try SettlementExpectation.compute(occurredAt: F.sh(at), amount: F.cny(amount), cardKind: kind,
                                    policy: F.policy(["settlement.cycle": "D+0"]), calendar: F.cn(),
                                    d0UsedToday: F.cny(used))
        }

        @Test func withinQuotaSameDay() throws {
            let e = try d0("2026-03-10 14:05", "10000.00")
            #expect(e.portions.count == 1)
            let p = e.portions[0]
            #expect(p.route == .d0)
            #expect(p.settlementDay == (try F.d("2026-03-10")))
            #expect(p.expectedCredit == (try F.sh("2026-03-10 14:05")))
            #expect(p.dueBy == (try F.utc("2026-03-10T14:00:00Z")))
            #expect(p.lateAfter == (try F.utc("2026-03-10T16:00:00Z")))
            #expect(e.flags.isEmpty)
            // 0.60% of 10,000.00 = 60.00, plus the 0.10% D+0 surcharge 10.00.
            #expect(e.fee.d0Surcharge == (try F.cny("10.00")))
            #expect(e.fee.total == (try F.cny("70.00")))
            #expect(e.net == (try F.cny("9930.00")))
            #expect(e.d0Amount == (try F.cny("10000.00")))
            #expect(e.steps[1].en == "D+0: traded 14:05 inside the 00:00-22:00 window, quota 50,000.00 with 0.00 used today: 10,000.00 settles the same day 03-10")
        }

        @Test func quotaOverflowSplitsIntoD0AndT1() throws {
            // 40,000.00 of the 50,000.00 quota is used: 10,000.00 settles D+0, 20,000.00 T+1.
            let e = try d0("2026-03-10 14:05", "30000.00", used: "40000.00")
            #expect(e.flags == [.d0Quota])
            #expect(e.portions.map(\.route) == [.d0, .t1Fallback])
            #expect(e.portions.map(\.gross) == [try F.cny("10000.00"), try F.cny("20000.00")])
            #expect(e.portions.map(\.settlementDay) == [try F.d("2026-03-10"), try F.d("2026-03-11")])
            // Fee: 0.60% of 30,000.00 = 180.00, shared 60.00 / 120.00; surcharge 10.00 on the D+0 part.
            #expect(e.fee.total == (try F.cny("190.00")))
            #expect(e.portions.map(\.fee) == [try F.cny("70.00"), try F.cny("120.00")])
            #expect(e.portions.map(\.net) == [try F.cny("9930.00"), try F.cny("19880.00")])
            #expect(e.net == (try F.cny("29810.00")))
            #expect(e.settlementDay == (try F.d("2026-03-11")))
            #expect(e.expectedCredit == (try F.utc("2026-03-11T01:00:00Z")))
            #expect(e.steps[1].en == "D+0 quota 50,000.00 with 40,000.00 used today: 10,000.00 settles D+0 on 03-10, 20,000.00 falls back to T+1")
            #expect(e.steps[1].zh == "秒到额度 50,000.00，当日已用 40,000.00：10,000.00 当日 03-10 到账，超出的 20,000.00 转 T+1")
            #expect(e.steps[2].en == "T+1 -> next working day 03-11")
        }

        @Test func quotaExhausted() throws {
            let e = try d0("2026-03-10 14:05", "5000.00", used: "50000.00")
            #expect(e.flags == [.d0Quota])
            #expect(e.portions.map(\.route) == [.t1Fallback])
            #expect(e.fee.d0Surcharge.isZero)
            #expect(e.net == (try F.cny("4970.00")))
        }

        @Test func outsideWindowFallsBackBeforeHoliday() throws {
            // 22:30 is outside 00:00-22:00 (and before the 23:00 cutoff): T+1 from 09-30.
            let e = try d0("2026-09-30 22:30", "8000.00")
            #expect(e.flags == [.d0OutsideWindow, .calendarShift])
            #expect(e.portions.map(\.route) == [.t1Fallback])
            #expect(e.settlementDay == (try F.d("2026-10-08")))
            #expect(e.steps[1].en == "D+0: traded 22:30, outside the 00:00-22:00 window: all 8,000.00 falls back to T+1")
        }

        @Test func computeAllTracksQuotaInTimeOrder() throws {
            let p = try F.policy(["settlement.cycle": "D+0"])
            func txn(_ rrn: String, _ at: String, _ amount: String) throws -> Transaction {
                Transaction(merchantId: "898110000000001", terminalId: "10000001", batchNo: "000001", traceNo: "000001",
                            rrn: rrn, authCode: "123456", cardMasked: "622848******1234", cardKind: .debit, kind: .sale,
                            amount: try F.cny(amount), occurredAt: try F.sh(at))
            }
            // Given out of time order; the third in time overflows the quota.
            let txns = [
                try txn("C", "2026-03-10 16:00", "20000.00"),
                try txn("A", "2026-03-10 09:00", "20000.00"),
                try txn("B", "2026-03-10 12:00", "20000.00"),
                try txn("D", "2026-03-11 09:00", "20000.00"),
            ]
            let es = try SettlementExpectation.computeAll(txns, policy: p, calendar: F.cn())
            #expect(es.map(\.d0Amount) == [try F.cny("10000.00"), try F.cny("20000.00"), try F.cny("20000.00"), try F.cny("20000.00")])
            #expect(es.map { $0.has(.d0Quota) } == [true, false, false, false])
            #expect(es[0].portions.map(\.gross) == [try F.cny("10000.00"), try F.cny("10000.00")])
        }

        @Test func refundNetsIntoT1() throws {
            let e = try d0("2026-03-10 14:05", "-100.00")
            #expect(e.portions.map(\.route) == [.t1Fallback])
            #expect(e.fee.total.isZero)
            #expect(e.net == (try F.cny("-100.00")))
            #expect(e.steps.map(\.en).contains("no fee on a refund or reversal (-100.00)"))
        }
    }
}

// MARK: - Fees, reserve, money

extension SettlementTests {
    @Suite("Fees") struct FeeTests {
        typealias F = SettlementFixtures

        func fee(_ amount: String, _ kind: CardKind, _ changes: [String: String] = [:]) throws -> SettlementExpectation {
            try SettlementExpectation.compute(occurredAt: F.sh("2026-03-10 10:00"), amount: F.cny(amount), cardKind: kind,
                                    policy: F.policy(changes), calendar: .weekends)
        }

        @Test func debitCap() throws {
            let capped = try fee("10000.00", .debit)
            #expect(capped.fee.ratePart == (try F.cny("60.00")))
            #expect(capped.fee.appliedCap == (try F.cny("35.00")))
            #expect(capped.fee.total == (try F.cny("35.00")))
            let under = try fee("5000.00", .debit)
            #expect(under.fee.appliedCap == nil)
            #expect(under.fee.total == (try F.cny("30.00")))
            // 5,833.33 × 0.60% = 34.99998 -> 35.00, equal to the cap: not "capped".
            let edge = try fee("5833.33", .debit)
            #expect(edge.fee.total == (try F.cny("35.00")))
            #expect(edge.fee.appliedCap == nil)
            // Credit cards have no cap.
            #expect(try fee("10000.00", .credit).fee.total == (try F.cny("60.00")))
        }

        @Test func perKindRates() throws {
            #expect(try fee("1000.00", .qr).fee.total == (try F.cny("3.80")))
            #expect(try fee("1000.00", .other).fee.total == (try F.cny("6.00")))
            // Half away from zero: 0.38% of 1.32 = 0.005016 -> 0.01; of 1.31 = 0.004978 -> 0.00.
            #expect(try fee("1.32", .qr).fee.total == (try F.cny("0.01")))
            #expect(try fee("1.31", .qr).fee.total == (try F.cny("0.00")))
        }

        @Test func fixedPartAfterCap() throws {
            let e = try fee("10000.00", .debit, ["fees.debit.fixed": "0.50"])
            #expect(e.fee.total == (try F.cny("35.50")))
            #expect(e.steps.map(\.en).contains("fee debit 0.60% of 10,000.00 = 60.00, capped at 35.00, plus fixed 0.50"))
        }

        @Test func reserveHoldback() throws {
            let e = try fee("10000.00", .debit, ["settlement.reserve_rate": "5"])
            #expect(e.reserve == (try F.cny("500.00")))
            #expect(e.net == (try F.cny("9465.00")))
            #expect(e.steps.map(\.en).suffix(2) == [
                "reserve 5.00% held back: 500.00",
                "expected net 10,000.00 - fee 35.00 - reserve 500.00 = 9,465.00",
            ])
        }

        @Test func overflowIsAnErrorNotAWrap() throws {
            let huge = Money(minor: Int64.max / 2, currency: .CNY)
            #expect(throws: SettlementError.self) {
                try SettlementExpectation.compute(occurredAt: F.sh("2026-03-10 10:00"), amount: huge, cardKind: .credit,
                                        policy: .demoDefault, calendar: .weekends)
            }
        }

        @Test func currencyMismatch() throws {
            let usd = Money(minor: 100, currency: .USD)
            let at = try F.sh("2026-03-10 10:00")
            do throws(SettlementError) {
                _ = try SettlementExpectation.compute(occurredAt: at, amount: usd, cardKind: .credit,
                                            policy: .demoDefault, calendar: .weekends)
                Issue.record("expected an error")
            } catch {
                #expect(error.code == .currencyMismatch)
            }
        }

        @Test func percentText() {
            #expect(SettlementPolicy.percentText(ppm: 6000) == "0.60%")
            #expect(SettlementPolicy.percentText(ppm: 6025) == "0.6025%")
            #expect(SettlementPolicy.percentText(ppm: 1000) == "0.10%")
            #expect(SettlementPolicy.percentText(ppm: 50000) == "5.00%")
            #expect(SettlementPolicy.percentText(ppm: 1_000_000) == "100.00%")
        }
    }
}

// MARK: - Receiving limits (Class II accounts)

extension SettlementTests {
    @Suite("Receiving limit") struct ReceivingLimitTests {
        typealias F = SettlementFixtures

        func split(_ dues: [(String, String, String)], limit: String?, carryOver: CarryOverDays) throws -> InflowPlan {
            let items = try dues.map { InflowDue(ref: $0.0, date: try F.d($0.1), amount: try F.cny($0.2)) }
            return try ReceivingLimit.split(items, dailyLimit: try limit.map { try F.cny($0) }, carryOver: carryOver, currency: .CNY)
        }

        /// The limit is per calendar day of inflow; under a T+N policy the carried-over
        /// money is retried on working days, so 30,000.00 due Friday 2026-09-18 arrives
        /// 09-18, Sunday 09-20 (a make-up working day) and Monday 09-21.
        @Test func classIIThirtyThousandOverWorkingDays() throws {
            let plan = try split([("P1", "2026-09-18", "30000.00")], limit: "10000.00", carryOver: .workingDays(F.cn()))
            #expect(plan.credits.map(\.date) == [try F.d("2026-09-18"), try F.d("2026-09-20"), try F.d("2026-09-21")])
            #expect(plan.credits.map(\.amount) == Array(repeating: try F.cny("10000.00"), count: 3))
            #expect(plan.credits.map(\.isCarriedOver) == [false, true, true])
            #expect(plan.days.map(\.carriedOut) == [try F.cny("20000.00"), try F.cny("10000.00"), try F.cny("0.00")])
            #expect(plan.days.map(\.carriedIn) == [try F.cny("0.00"), try F.cny("20000.00"), try F.cny("10000.00")])
            #expect(plan.yearsWithoutData.isEmpty)
        }

        /// Under a D+N or D+0 policy payouts run every day: 09-18, 09-19, 09-20.
        @Test func classIIThirtyThousandOverCalendarDays() throws {
            let plan = try split([("P1", "2026-09-18", "30000.00")], limit: "10000.00", carryOver: .calendarDays)
            #expect(plan.credits.map(\.date) == [try F.d("2026-09-18"), try F.d("2026-09-19"), try F.d("2026-09-20")])
            #expect(plan.credits.map(\.amount) == Array(repeating: try F.cny("10000.00"), count: 3))
        }

        @Test func carryOverAcrossNationalDay() throws {
            let plan = try split([("P1", "2026-09-30", "25000.00")], limit: "10000.00", carryOver: .workingDays(F.cn()))
            #expect(plan.credits.map(\.date) == [try F.d("2026-09-30"), try F.d("2026-10-08"), try F.d("2026-10-09")])
            #expect(plan.credits.map(\.amount) == [try F.cny("10000.00"), try F.cny("10000.00"), try F.cny("5000.00")])
        }

        @Test func oldestFirstAcrossPayouts() throws {
            let plan = try split([("B", "2026-09-22", "8000.00"), ("A", "2026-09-21", "15000.00")],
                                 limit: "10000.00", carryOver: .workingDays(.weekends))
            #expect(plan.credits.map { "\($0.ref) \($0.date.monthDay) \($0.amount.decimalString)" } == [
                "A 09-21 10000.00",
                "A 09-22 5000.00",
                "B 09-22 5000.00",
                "B 09-23 3000.00",
            ])
            #expect(plan.credits(for: "B").map(\.amount) == [try F.cny("5000.00"), try F.cny("3000.00")])
            #expect(plan.days.map(\.due) == [try F.cny("15000.00"), try F.cny("8000.00"), try F.cny("0.00")])
        }

        @Test func weekendDueCreditsItselfButCarryOverWaits() throws {
            // 12,000 due Friday, 4,000 due Saturday, working-day retries on a weekends calendar.
            let plan = try split([("F", "2026-03-13", "12000.00"), ("S", "2026-03-14", "4000.00")],
                                 limit: "10000.00", carryOver: .workingDays(.weekends))
            #expect(plan.credits.map { "\($0.ref) \($0.date.monthDay) \($0.amount.decimalString)" } == [
                "F 03-13 10000.00",
                "S 03-14 4000.00",
                "F 03-16 2000.00",
            ])
        }

        @Test func noLimitCreditsOnDueDate() throws {
            let plan = try split([("P1", "2026-09-18", "30000.00")], limit: nil, carryOver: .calendarDays)
            #expect(plan.credits.map(\.date) == [try F.d("2026-09-18")])
            #expect(plan.credits.map(\.amount) == [try F.cny("30000.00")])
        }

        @Test func yearWithoutDataIsReported() throws {
            let plan = try split([("P1", "2026-12-31", "20000.00")], limit: "10000.00", carryOver: .workingDays(F.cn()))
            // 2027-01-01 is New Year's Day even without 2027 data; 01-02/03 a weekend.
            #expect(plan.credits.map(\.date) == [try F.d("2026-12-31"), try F.d("2027-01-04")])
            #expect(plan.yearsWithoutData == [2027])
        }

        @Test func badInputs() throws {
            #expect(throws: SettlementError.self) {
                try split([("P1", "2026-09-18", "-1.00")], limit: "10000.00", carryOver: .calendarDays)
            }
            #expect(throws: SettlementError.self) {
                try split([("P1", "2026-09-18", "1.00")], limit: "0", carryOver: .calendarDays)
            }
            #expect(throws: SettlementError.self) {
                try split([("P1", "2026-09-18", "1000000.00")], limit: "0.01", carryOver: .calendarDays)
            }
        }

        @Test func policyPicksRetryDays() throws {
            let cn = try F.cn()
            #expect(SettlementPolicy.demoDefault.carryOverDays(calendar: cn) == .workingDays(cn))
            #expect(try F.policy(["settlement.cycle": "D+1"]).carryOverDays(calendar: cn) == .calendarDays)
            #expect(try F.policy(["settlement.cycle": "D+0"]).carryOverDays(calendar: cn) == .calendarDays)
        }
    }
}
