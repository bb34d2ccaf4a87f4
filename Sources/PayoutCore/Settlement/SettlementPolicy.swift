import Foundation

/// Why a settlement setting was refused: the config key and the reason.
public struct PolicyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The dotted config key at fault ("settlement.cycle", "fees.debit.rate").
    public let key: String
    public let reason: String

    public init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }

    public var description: String { "\(key): \(reason)" }
}

/// A span of wall-clock time within one day, start inclusive, end exclusive ("09:00-18:00").
public struct TimeWindow: Hashable, Sendable, CustomStringConvertible {
    public let start: LocalTime
    public let end: LocalTime

    /// A window, or nil unless `start` is before `end`.
    public init?(start: LocalTime, end: LocalTime) {
        guard start < end else { return nil }
        self.start = start
        self.end = end
    }

    /// Whether `t` (seconds after midnight) lies in [start, end).
    public func contains(secondOfDay t: Int) -> Bool {
        t >= start.minuteOfDay * 60 && t < end.minuteOfDay * 60
    }

    /// "09:00-18:00".
    public var description: String { "\(start)-\(end)" }

    /// Parses "HH:MM-HH:MM" (spaces around the dash allowed).
    public static func parse(_ text: String) -> TimeWindow? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let s = LocalTime(parsing: String(parts[0]).trimmingSpaces()),
              let e = LocalTime(parsing: String(parts[1]).trimmingSpaces()) else { return nil }
        return TimeWindow(start: s, end: e)
    }
}

/// The fee on one card kind: a rate, an optional cap on the rate part, and an
/// optional fixed part added after the cap.
public struct FeeRule: Hashable, Sendable {
    /// Parts per million of the gross amount (6000 = 0.60%).
    public var ratePPM: Int64
    /// The most the rate part may come to (debit: 35.00).
    public var cap: Money?
    /// A fixed amount per transaction, added after the cap.
    public var fixed: Money?

    public init(ratePPM: Int64, cap: Money? = nil, fixed: Money? = nil) {
        self.ratePPM = ratePPM
        self.cap = cap
        self.fixed = fixed
    }
}

/// The fee rules for every card kind.
public struct FeeTable: Hashable, Sendable {
    public var debit: FeeRule
    public var credit: FeeRule
    public var qr: FeeRule
    public var other: FeeRule

    public init(debit: FeeRule, credit: FeeRule, qr: FeeRule, other: FeeRule) {
        self.debit = debit
        self.credit = credit
        self.qr = qr
        self.other = other
    }

    /// The rule for `kind`.
    public subscript(kind: CardKind) -> FeeRule {
        get {
            switch kind {
            case .debit: return debit
            case .credit: return credit
            case .qr: return qr
            case .other: return other
            }
        }
        set {
            switch kind {
            case .debit: debit = newValue
            case .credit: credit = newValue
            case .qr: qr = newValue
            case .other: other = newValue
            }
        }
    }
}

/// How and when an acquirer settles a merchant's money, and what it deducts.
///
/// Build one from config strings with `SettlementPolicy.parse(_:)`, which names the
/// key of any bad value, or use `demoDefault`.
public struct SettlementPolicy: Hashable, Sendable {
    /// The settlement cycle.
    public enum Cycle: Hashable, Sendable, CustomStringConvertible {
        /// N working days after the trade date (N ≥ 0; T+0 is the trade date when it
        /// is a working day, else the next working day).
        case t(Int)
        /// N calendar days after the trade date (N ≥ 1).
        case d(Int)
        /// Same day within the D+0 window and quota; the rest falls back to T+1.
        case d0

        /// "T+1", "D+1", "D+0".
        public var description: String {
            switch self {
            case .t(let n): return "T+\(n)"
            case .d(let n): return "D+\(n)"
            case .d0: return "D+0"
            }
        }

        /// Parses "T+1", "d+2", "D+0" (case-insensitive, N from 0 to 30).
        public static func parse(_ raw: String) -> Cycle? {
            let text = raw.trimmingSpaces().uppercased()
            guard text.count >= 3, let letter = text.first, letter == "T" || letter == "D" else { return nil }
            let rest = text.dropFirst()
            guard rest.first == "+" else { return nil }
            let digits = rest.dropFirst()
            guard !digits.isEmpty, digits.count <= 2, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let n = Int(digits), n <= 30 else { return nil }
            if letter == "T" { return .t(n) }
            return n == 0 ? .d0 : .d(n)
        }
    }

    public var cycle: Cycle
    /// At or after this local time a transaction belongs to the next day's batch;
    /// 00:00 means no cutoff (the day ends at midnight).
    public var cutoff: LocalTime
    /// When on the settlement day the money is expected: from start, due by end.
    public var creditWindow: TimeWindow
    /// Minutes after the window's end before a missing credit counts as late.
    public var graceMinutes: Int
    /// When D+0 (same-day) settlement is offered.
    public var d0Window: TimeWindow
    /// The most that settles D+0 per local day; the excess falls back to T+1.
    public var d0DailyQuota: Money
    public var fees: FeeTable
    /// Extra fee on the D+0 part, parts per million.
    public var d0SurchargePPM: Int64
    /// Part of the gross held back as reserve (保证金), parts per million.
    public var reservePPM: Int64
    public var accountClass: AccountClass
    /// Inflow the settlement account accepts per calendar day, or nil for no limit.
    public var dailyInflowLimit: Money?
    public var timeZone: TimeZone
    public var currency: Currency
    /// Whether the cycle, credit window and fees above are this money's contract. The
    /// config describes the merchant's contract for its settlement currency; money in
    /// another currency (an Adyen or Stripe account beside a Lakala shop) has no contract
    /// here: its fees are taken from the report, its lateness from the acquirer's own
    /// payout dates, and a sale no payout carries yet waits for the report that puts it
    /// in one (never "late" by a contract that is not its own).
    public var contractApplies = true

    public init(cycle: Cycle, cutoff: LocalTime, creditWindow: TimeWindow, graceMinutes: Int, d0Window: TimeWindow,
                d0DailyQuota: Money, fees: FeeTable, d0SurchargePPM: Int64, reservePPM: Int64,
                accountClass: AccountClass, dailyInflowLimit: Money?, timeZone: TimeZone, currency: Currency) {
        self.cycle = cycle; self.cutoff = cutoff; self.creditWindow = creditWindow; self.graceMinutes = graceMinutes
        self.d0Window = d0Window; self.d0DailyQuota = d0DailyQuota; self.fees = fees; self.d0SurchargePPM = d0SurchargePPM
        self.reservePPM = reservePPM; self.accountClass = accountClass; self.dailyInflowLimit = dailyInflowLimit
        self.timeZone = timeZone; self.currency = currency
    }
}

// MARK: - Demo default

extension SettlementPolicy {
    /// A typical Chinese card acquirer: T+1, cutoff 23:00, credit 09:00-18:00 with 120
    /// minutes' grace; debit 0.60% capped at 35.00, credit 0.60%, QR 0.38%, other
    /// 0.60%; D+0 00:00-22:00 with a 50,000.00 daily quota and a 0.10% surcharge; no
    /// reserve; a Class II account taking 10,000.00 a day; Asia/Shanghai, CNY.
    public static let demoDefault: SettlementPolicy = {
        let cny = Currency.CNY
        func t(_ h: Int, _ m: Int) -> LocalTime { LocalTime(hour: h, minute: m) ?? LocalTime(hour: 0, minute: 0)! }
        func w(_ s: LocalTime, _ e: LocalTime) -> TimeWindow { TimeWindow(start: s, end: e)! }
        return SettlementPolicy(
            cycle: .t(1),
            cutoff: t(23, 0),
            creditWindow: w(t(9, 0), t(18, 0)),
            graceMinutes: 120,
            d0Window: w(t(0, 0), t(22, 0)),
            d0DailyQuota: Money(minor: 5_000_000, currency: cny),
            fees: FeeTable(
                debit: FeeRule(ratePPM: 6000, cap: Money(minor: 3500, currency: cny)),
                credit: FeeRule(ratePPM: 6000),
                qr: FeeRule(ratePPM: 3800),
                other: FeeRule(ratePPM: 6000)
            ),
            d0SurchargePPM: 1000,
            reservePPM: 0,
            accountClass: .classII,
            dailyInflowLimit: Money(minor: 1_000_000, currency: cny),
            timeZone: TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!,
            currency: cny
        )
    }()

    /// The default inflow limit of an account class: 10,000.00 a day for Class II, none otherwise.
    public static func defaultInflowLimit(for accountClass: AccountClass, currency: Currency) -> Money? {
        guard accountClass == .classII else { return nil }
        var unit: Int64 = 1
        for _ in 0..<currency.minorDigits { unit *= 10 }
        return Money(minor: 10_000 * unit, currency: currency)
    }
}

// MARK: - Parsing from config values

extension SettlementPolicy {
    /// The config keys `parse(_:)` understands, with the meaning of each value.
    public enum Key: String, CaseIterable, Sendable {
        /// "T+1", "D+1", "D+0".
        case cycle = "settlement.cycle"
        /// "23:00"; "00:00" for no cutoff.
        case cutoff = "settlement.cutoff"
        /// "09:00-18:00".
        case creditWindow = "settlement.credit_window"
        /// Whole minutes, 0...10080.
        case graceMinutes = "settlement.grace_minutes"
        /// "00:00-22:00".
        case d0Window = "settlement.d0_window"
        /// An amount in major units, "50000.00".
        case d0Quota = "settlement.d0_quota"
        /// A percent, "0.10".
        case d0SurchargeRate = "settlement.d0_surcharge_rate"
        /// A percent, "0" or "5.00".
        case reserveRate = "settlement.reserve_rate"
        /// An IANA zone, "Asia/Shanghai".
        case timeZone = "settlement.timezone"
        /// An ISO 4217 code, "CNY".
        case currency = "settlement.currency"
        /// "I", "II", "corporate".
        case accountClass = "account.class"
        /// An amount in major units, or "none"; absent means the class's default.
        case dailyInflowLimit = "account.daily_inflow_limit"
        case debitRate = "fees.debit.rate", debitCap = "fees.debit.cap", debitFixed = "fees.debit.fixed"
        case creditRate = "fees.credit.rate", creditCap = "fees.credit.cap", creditFixed = "fees.credit.fixed"
        case qrRate = "fees.qr.rate", qrCap = "fees.qr.cap", qrFixed = "fees.qr.fixed"
        case otherRate = "fees.other.rate", otherCap = "fees.other.cap", otherFixed = "fees.other.fixed"
    }

    /// The demo default written as config strings: `parse([:])` gives `demoDefault`.
    public static let defaultValues: [String: String] = [
        Key.cycle.rawValue: "T+1",
        Key.cutoff.rawValue: "23:00",
        Key.creditWindow.rawValue: "09:00-18:00",
        Key.graceMinutes.rawValue: "120",
        Key.d0Window.rawValue: "00:00-22:00",
        Key.d0Quota.rawValue: "50000.00",
        Key.d0SurchargeRate.rawValue: "0.10",
        Key.reserveRate.rawValue: "0",
        Key.timeZone.rawValue: "Asia/Shanghai",
        Key.currency.rawValue: "CNY",
        Key.accountClass.rawValue: "II",
        Key.debitRate.rawValue: "0.60",
        Key.debitCap.rawValue: "35.00",
        Key.creditRate.rawValue: "0.60",
        Key.qrRate.rawValue: "0.38",
        Key.otherRate.rawValue: "0.60",
    ]

    /// Builds a policy from dotted config keys and their values as text.
    ///
    /// Keys not given take `defaultValues`; "none" or "" clears an optional value (a
    /// cap, a fixed fee, the inflow limit). Money amounts are read in the configured
    /// currency, so changing the currency re-reads every amount. Pass TOML integers as
    /// their decimal text. Every error names the key: an unknown key, "T+x",
    /// "25:00", a negative rate, a rate with more than 4 decimals.
    public static func parse(_ values: [String: String]) throws(PolicyError) -> SettlementPolicy {
        for key in values.keys.sorted() where Key(rawValue: key) == nil {
            throw PolicyError(key: key, reason: "unknown key")
        }
        let reader = PolicyValues(values: values.merging(defaultValues) { given, _ in given },
                                  given: Set(values.keys))
        return try reader.policy()
    }

    /// Parses a percent with at most 4 decimals ("0.60", "0.6025%") into parts per million.
    public static func parsePercentPPM(_ raw: String) -> Result<Int64, RateParseError> {
        var text = raw.trimmingSpaces()
        if text.hasSuffix("%") { text = String(text.dropLast()).trimmingSpaces() }
        if text.hasPrefix("-") { return .failure(.negative) }
        if text.hasPrefix("+") { text = String(text.dropFirst()) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.count <= 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              !parts[0].isEmpty, parts.count == 1 || !parts[1].isEmpty else { return .failure(.notANumber) }
        let frac = parts.count == 2 ? parts[1] : ""
        guard frac.count <= 4 else { return .failure(.tooManyDecimals) }
        let whole = parts[0].drop(while: { $0 == "0" })
        guard whole.count <= 3, let w = Int64(whole.isEmpty ? "0" : whole),
              let f = Int64(frac + String(repeating: "0", count: 4 - frac.count)) else { return .failure(.overHundred) }
        let ppm = w * 10_000 + f
        guard ppm <= 1_000_000 else { return .failure(.overHundred) }
        return .success(ppm)
    }

    /// Why a percent was refused.
    public enum RateParseError: Error, Hashable, Sendable, CustomStringConvertible {
        case notANumber, negative, tooManyDecimals, overHundred

        public var description: String {
            switch self {
            case .notANumber: return "is not a percent like \"0.60\""
            case .negative: return "is negative"
            case .tooManyDecimals: return "has more than 4 decimals"
            case .overHundred: return "is more than 100%"
            }
        }
    }
}

/// Reads typed values out of a complete key-to-text map, naming the key on error.
private struct PolicyValues {
    let values: [String: String]
    let given: Set<String>

    typealias Key = SettlementPolicy.Key

    func text(_ key: Key) -> String? {
        guard let v = values[key.rawValue]?.trimmingSpaces() else { return nil }
        let lower = v.lowercased()
        return v.isEmpty || lower == "none" ? nil : v
    }

    func required(_ key: Key) throws(PolicyError) -> String {
        guard let v = text(key) else { throw PolicyError(key: key.rawValue, reason: "is required") }
        return v
    }

    func policy() throws(PolicyError) -> SettlementPolicy {
        let currency = try self.currency()
        let accountClass = try self.accountClass()
        return SettlementPolicy(
            cycle: try cycle(),
            cutoff: try time(.cutoff),
            creditWindow: try window(.creditWindow),
            graceMinutes: try grace(),
            d0Window: try window(.d0Window),
            d0DailyQuota: try money(.d0Quota, currency) ?? .zero(currency),
            fees: try fees(currency),
            d0SurchargePPM: try rate(.d0SurchargeRate) ?? 0,
            reservePPM: try rate(.reserveRate) ?? 0,
            accountClass: accountClass,
            dailyInflowLimit: try inflowLimit(accountClass, currency),
            timeZone: try timeZone(),
            currency: currency
        )
    }

    func currency() throws(PolicyError) -> Currency {
        let code = try required(.currency)
        guard let c = Currency(code: code) else {
            throw PolicyError(key: Key.currency.rawValue, reason: "\"\(code)\" is not a known ISO 4217 currency")
        }
        return c
    }

    func timeZone() throws(PolicyError) -> TimeZone {
        let id = try required(.timeZone)
        guard let z = TimeZone(identifier: id) else {
            throw PolicyError(key: Key.timeZone.rawValue, reason: "\"\(id)\" is not a known time zone")
        }
        return z
    }

    func cycle() throws(PolicyError) -> SettlementPolicy.Cycle {
        let raw = try required(.cycle)
        guard let c = SettlementPolicy.Cycle.parse(raw) else {
            throw PolicyError(key: Key.cycle.rawValue, reason: "\"\(raw)\" is not a cycle: expected T+N, D+N or D+0 with N from 0 to 30")
        }
        return c
    }

    func time(_ key: Key) throws(PolicyError) -> LocalTime {
        let raw = try required(key)
        guard let t = LocalTime(parsing: raw) else {
            throw PolicyError(key: key.rawValue, reason: "\"\(raw)\" is not a time of day HH:MM from 00:00 to 23:59")
        }
        return t
    }

    func window(_ key: Key) throws(PolicyError) -> TimeWindow {
        let raw = try required(key)
        guard let w = TimeWindow.parse(raw) else {
            throw PolicyError(key: key.rawValue, reason: "\"\(raw)\" is not a window HH:MM-HH:MM with the start before the end")
        }
        return w
    }

    func grace() throws(PolicyError) -> Int {
        let raw = try required(.graceMinutes)
        guard raw.allSatisfy({ $0.isASCII && $0.isNumber }), raw.count <= 5, let n = Int(raw), n <= 10_080 else {
            throw PolicyError(key: Key.graceMinutes.rawValue, reason: "\"\(raw)\" is not a whole number of minutes from 0 to 10080")
        }
        return n
    }

    func rate(_ key: Key) throws(PolicyError) -> Int64? {
        guard let raw = text(key) else { return nil }
        switch SettlementPolicy.parsePercentPPM(raw) {
        case .success(let ppm): return ppm
        case .failure(let e): throw PolicyError(key: key.rawValue, reason: "\"\(raw)\" \(e)")
        }
    }

    func money(_ key: Key, _ currency: Currency) throws(PolicyError) -> Money? {
        guard let raw = text(key) else { return nil }
        let m: Money
        do throws(MoneyError) {
            m = try Money.parse(raw, currency: currency)
        } catch {
            throw PolicyError(key: key.rawValue, reason: error.description + " (in \(currency.code))")
        }
        guard !m.isNegative else { throw PolicyError(key: key.rawValue, reason: "\"\(raw)\" is negative") }
        return m
    }

    func accountClass() throws(PolicyError) -> AccountClass {
        let raw = try required(.accountClass)
        guard let c = AccountClass.parse(raw) else {
            throw PolicyError(key: Key.accountClass.rawValue, reason: "\"\(raw)\" is not an account class: expected I, II or corporate")
        }
        return c
    }

    func inflowLimit(_ accountClass: AccountClass, _ currency: Currency) throws(PolicyError) -> Money? {
        guard given.contains(Key.dailyInflowLimit.rawValue) else {
            return SettlementPolicy.defaultInflowLimit(for: accountClass, currency: currency)
        }
        guard let m = try money(.dailyInflowLimit, currency) else { return nil }
        guard !m.isZero else {
            throw PolicyError(key: Key.dailyInflowLimit.rawValue, reason: "must be more than zero, or \"none\"")
        }
        return m
    }

    func fees(_ currency: Currency) throws(PolicyError) -> FeeTable {
        func rule(_ rate: Key, _ cap: Key, _ fixed: Key) throws(PolicyError) -> FeeRule {
            guard let ppm = try self.rate(rate) else { throw PolicyError(key: rate.rawValue, reason: "is required") }
            return FeeRule(ratePPM: ppm, cap: try money(cap, currency), fixed: try money(fixed, currency))
        }
        return FeeTable(
            debit: try rule(.debitRate, .debitCap, .debitFixed),
            credit: try rule(.creditRate, .creditCap, .creditFixed),
            qr: try rule(.qrRate, .qrCap, .qrFixed),
            other: try rule(.otherRate, .otherCap, .otherFixed)
        )
    }
}
