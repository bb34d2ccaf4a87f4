import Foundation
import Testing
@testable import PayoutCore

extension SettlementTests {
    @Suite("Policy") struct PolicyTests {
        typealias F = SettlementFixtures

        func policyError(_ values: [String: String]) -> PolicyError? {
            do throws(PolicyError) {
                _ = try SettlementPolicy.parse(values)
                return nil
            } catch {
                return error
            }
        }

        @Test func defaultsParseToDemoDefault() throws {
            let p = try SettlementPolicy.parse([:])
            #expect(p == SettlementPolicy.demoDefault)
            #expect(p.cycle == .t(1))
            #expect(p.cutoff == LocalTime(hour: 23, minute: 0))
            #expect(p.creditWindow.description == "09:00-18:00")
            #expect(p.graceMinutes == 120)
            #expect(p.d0Window.description == "00:00-22:00")
            #expect(p.d0DailyQuota == (try F.cny("50000.00")))
            #expect(p.fees.debit == FeeRule(ratePPM: 6000, cap: try F.cny("35.00")))
            #expect(p.fees[.credit] == FeeRule(ratePPM: 6000))
            #expect(p.fees[.qr] == FeeRule(ratePPM: 3800))
            #expect(p.fees[.other] == FeeRule(ratePPM: 6000))
            #expect(p.d0SurchargePPM == 1000)
            #expect(p.reservePPM == 0)
            #expect(p.accountClass == .classII)
            #expect(p.dailyInflowLimit == (try F.cny("10000.00")))
            #expect(p.timeZone.identifier == "Asia/Shanghai")
            #expect(p.currency == .CNY)
        }

        @Test(arguments: [
            ("T+1", SettlementPolicy.Cycle.t(1)), ("t+1", .t(1)), (" T+2 ", .t(2)), ("T+0", .t(0)),
            ("D+1", .d(1)), ("d+3", .d(3)), ("D+0", .d0), ("d+0", .d0), ("T+30", .t(30)),
        ])
        func cycles(_ text: String, _ cycle: SettlementPolicy.Cycle) throws {
            #expect(try SettlementPolicy.parse(["settlement.cycle": text]).cycle == cycle)
            #expect(SettlementPolicy.Cycle.parse(text) == cycle)
        }

        @Test(arguments: ["T+x", "T1", "T+", "X+1", "T+31", "T-1", "T+1.5", "", "D+01a"])
        func badCycles(_ text: String) throws {
            let e = try #require(policyError(["settlement.cycle": text]))
            #expect(e.key == "settlement.cycle")
        }

        @Test func cycleMessage() throws {
            let e = try #require(policyError(["settlement.cycle": "T+x"]))
            #expect(e.description == "settlement.cycle: \"T+x\" is not a cycle: expected T+N, D+N or D+0 with N from 0 to 30")
        }

        @Test(arguments: ["25:00", "24:00", "23:60", "9:00", "23", "noon"])
        func badCutoffs(_ text: String) throws {
            let e = try #require(policyError(["settlement.cutoff": text]))
            #expect(e.key == "settlement.cutoff")
            #expect(e.reason.contains("\"\(text)\""))
        }

        @Test(arguments: [("0.60", Int64(6000)), ("0.38", 3800), ("0.6", 6000), ("0.6025", 6025), ("0.60%", 6000),
                          ("1", 10000), ("0", 0), ("100", 1_000_000), ("0.0001", 1), ("+0.10", 1000)])
        func rates(_ text: String, _ ppm: Int64) throws {
            #expect(try SettlementPolicy.parse(["fees.debit.rate": text]).fees.debit.ratePPM == ppm)
        }

        @Test func negativeRate() throws {
            let e = try #require(policyError(["fees.debit.rate": "-0.60"]))
            #expect(e.key == "fees.debit.rate")
            #expect(e.reason == "\"-0.60\" is negative")
        }

        @Test func tooManyDecimals() throws {
            let e = try #require(policyError(["fees.qr.rate": "0.38000"]))
            #expect(e.key == "fees.qr.rate")
            #expect(e.reason == "\"0.38000\" has more than 4 decimals")
        }

        @Test(arguments: [("fees.credit.rate", "abc"), ("fees.other.rate", "100.01"), ("settlement.reserve_rate", "-1"),
                          ("settlement.d0_surcharge_rate", "0.1.0"), ("fees.debit.rate", ".5"), ("fees.debit.rate", "1e3")])
        func otherBadRatesNameTheirKey(_ key: String, _ text: String) throws {
            let e = try #require(policyError([key: text]))
            #expect(e.key == key)
        }

        @Test func missingRequiredRate() throws {
            let e = try #require(policyError(["fees.credit.rate": "none"]))
            #expect(e.key == "fees.credit.rate")
            #expect(e.reason == "is required")
        }

        @Test func unknownKey() throws {
            let e = try #require(policyError(["settlement.cycel": "T+1"]))
            #expect(e.key == "settlement.cycel")
            #expect(e.reason == "unknown key")
        }

        @Test func windows() throws {
            let p = try SettlementPolicy.parse(["settlement.credit_window": "08:30 - 17:00", "settlement.d0_window": "07:00-23:00"])
            #expect(p.creditWindow.start == LocalTime(hour: 8, minute: 30))
            #expect(p.creditWindow.end == LocalTime(hour: 17, minute: 0))
            #expect(p.d0Window.description == "07:00-23:00")
            for bad in ["18:00-09:00", "09:00-09:00", "09:00", "09:00-25:00"] {
                #expect(policyError(["settlement.credit_window": bad])?.key == "settlement.credit_window")
            }
        }

        @Test func grace() throws {
            #expect(try SettlementPolicy.parse(["settlement.grace_minutes": "0"]).graceMinutes == 0)
            for bad in ["-5", "1.5", "10081", "two hours"] {
                #expect(policyError(["settlement.grace_minutes": bad])?.key == "settlement.grace_minutes")
            }
        }

        @Test func feeCapsAndFixed() throws {
            let p = try SettlementPolicy.parse(["fees.debit.cap": "none", "fees.credit.cap": "50", "fees.qr.fixed": "0.10"])
            #expect(p.fees.debit.cap == nil)
            #expect(p.fees.credit.cap == (try F.cny("50.00")))
            #expect(p.fees.qr.fixed == (try F.cny("0.10")))
            #expect(policyError(["fees.debit.cap": "-1.00"])?.key == "fees.debit.cap")
            #expect(policyError(["fees.debit.cap": "1.001"])?.key == "fees.debit.cap")
            #expect(policyError(["fees.qr.fixed": "ten"])?.key == "fees.qr.fixed")
        }

        @Test func accountClassAndInflowLimit() throws {
            #expect(try SettlementPolicy.parse(["account.class": "I"]).dailyInflowLimit == nil)
            #expect(try SettlementPolicy.parse(["account.class": "corporate"]).dailyInflowLimit == nil)
            #expect(try SettlementPolicy.parse(["account.class": "二类"]).accountClass == .classII)
            #expect(try SettlementPolicy.parse(["account.class": "classII"]).dailyInflowLimit == (try F.cny("10000.00")))
            #expect(try SettlementPolicy.parse(["account.daily_inflow_limit": "none"]).dailyInflowLimit == nil)
            #expect(try SettlementPolicy.parse(["account.daily_inflow_limit": "20,000.00"]).dailyInflowLimit == (try F.cny("20000.00")))
            #expect(try SettlementPolicy.parse(["account.class": "I", "account.daily_inflow_limit": "50000"])
                .dailyInflowLimit == (try F.cny("50000.00")))
            #expect(policyError(["account.daily_inflow_limit": "0"])?.key == "account.daily_inflow_limit")
            #expect(policyError(["account.class": "III"])?.key == "account.class")
        }

        @Test func currencyAndZone() throws {
            let jpy = try SettlementPolicy.parse(["settlement.currency": "JPY", "fees.debit.cap": "350",
                                                  "settlement.d0_quota": "500000"])
            #expect(jpy.currency.code == "JPY")
            #expect(jpy.fees.debit.cap == Money(minor: 350, currency: jpy.currency))
            #expect(jpy.d0DailyQuota == Money(minor: 500_000, currency: jpy.currency))
            #expect(jpy.dailyInflowLimit == Money(minor: 10_000, currency: jpy.currency))
            // An amount with more decimals than the currency has is refused, naming the key.
            #expect(policyError(["settlement.currency": "JPY", "fees.debit.cap": "35.50"])?.key == "fees.debit.cap")
            #expect(policyError(["settlement.currency": "XXX"])?.key == "settlement.currency")
            #expect(policyError(["settlement.timezone": "Mars/Olympus"])?.key == "settlement.timezone")
            #expect(try SettlementPolicy.parse(["settlement.timezone": "Asia/Hong_Kong"]).timeZone.identifier == "Asia/Hong_Kong")
        }

        @Test func everyKeyIsKnownAndDefaultsAreKeys() {
            let keys = Set(SettlementPolicy.Key.allCases.map(\.rawValue))
            #expect(Set(SettlementPolicy.defaultValues.keys).isSubset(of: keys))
            #expect(keys.count == 24)
        }
    }
}
