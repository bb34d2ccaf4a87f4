import Foundation

// MARK: - Result types

/// A fact the engine found while computing an expectation, for diagnosis (see
/// docs/ARCHITECTURE.md).
public enum ExpectationFlag: String, Hashable, Sendable, CaseIterable, Comparable {
    /// A weekend or holiday pushed the settlement day later than the naive date
    /// (trade date + N calendar days).
    case calendarShift = "CALENDAR_SHIFT"
    /// Traded at or after the cutoff: the trade date is the next day.
    case cutoffRollover = "CUTOFF_ROLLOVER"
    /// D+0 quota ran out: part or all of the amount falls back to T+1.
    case d0Quota = "D0_QUOTA"
    /// Traded outside the D+0 window: the amount falls back to T+1.
    case d0OutsideWindow = "D0_OUTSIDE_WINDOW"
    /// A date used lies in a year the calendar has no holiday data for.
    case noHolidayData = "NO_HOLIDAY_DATA"

    public static func < (a: ExpectationFlag, b: ExpectationFlag) -> Bool { a.rawValue < b.rawValue }
}

/// One line of an explanation, in English and Chinese.
public struct ExplanationStep: Hashable, Sendable, CustomStringConvertible {
    /// What the step is about.
    public enum Kind: String, Hashable, Sendable {
        case tradeDate, d0, cycle, makeUpDay, noHolidayData, creditWindow, fee, reserve, net
    }

    public let kind: Kind
    public let en: String
    public let zh: String

    public init(_ kind: Kind, en: String, zh: String) {
        self.kind = kind
        self.en = en
        self.zh = zh
    }

    public var description: String { en }
}

/// Where "now" stands against an expected credit.
public enum CreditTiming: String, Hashable, Sendable {
    /// Before the expected credit time.
    case notYetDue
    /// From the expected credit time through "due by".
    case inWindow
    /// After "due by", within the grace period.
    case inGrace
    /// After "due by" plus grace: late if the money has not arrived.
    case late
}

/// A part of a transaction's money that settles on one day by one route.
///
/// Times: money is expected from `expectedCredit` (the settlement day at the start of
/// the credit window; for D+0 the trade instant itself), is due by `dueBy` (the
/// settlement day at the end of the window; for D+0 the end of the D+0 window), and
/// is late when it has not arrived after `lateAfter` (`dueBy` plus the grace).
public struct SettlementPortion: Hashable, Sendable {
    /// How the portion settles.
    public enum Route: String, Hashable, Sendable {
        /// By the policy's own T+N or D+N cycle.
        case cycle
        /// Same day, D+0.
        case d0
        /// The part of a D+0 transaction that fell back to T+1.
        case t1Fallback
    }

    public let route: Route
    public let gross: Money
    /// This portion's share of the fee (the whole D+0 surcharge stays with the D+0 part).
    public let fee: Money
    public let reserve: Money
    public let net: Money
    public let settlementDay: LocalDate
    /// Trade date + N calendar days: where the money would land with no calendar.
    public let naiveDay: LocalDate
    public let expectedCredit: Instant
    public let dueBy: Instant
    public let lateAfter: Instant

    /// Where `now` stands against this portion's credit times.
    public func timing(at now: Instant) -> CreditTiming {
        if now < expectedCredit { return .notYetDue }
        if now <= dueBy { return .inWindow }
        if now <= lateAfter { return .inGrace }
        return .late
    }
}

/// How the fee of one transaction is made up.
public struct FeeBreakdown: Hashable, Sendable {
    public let cardKind: CardKind
    public let ratePPM: Int64
    /// Gross × rate, before the cap.
    public let ratePart: Money
    /// The cap that applied, when the rate part exceeded it.
    public let appliedCap: Money?
    public let fixed: Money
    public let d0SurchargePPM: Int64
    /// The D+0 surcharge on the D+0 part.
    public let d0Surcharge: Money
    /// min(rate part, cap) + fixed + D+0 surcharge.
    public let total: Money
}

/// When and how much money a transaction should bring, and why.
///
/// Computed by `SettlementExpectation.compute`: the trade date from the cutoff, one or two
/// portions (D+0 with a T+1 fallback) each with its settlement day and credit
/// times, the fee, reserve and net, flags for diagnosis, and an explanation.
public struct SettlementExpectation: Hashable, Sendable {
    public let occurredAt: Instant
    /// The trade's wall-clock time in the policy's zone.
    public let local: LocalDateTime
    public let tradeDate: LocalDate
    public let cycle: SettlementPolicy.Cycle
    public let gross: Money
    public let fee: FeeBreakdown
    public let reserve: Money
    /// gross − fee − reserve.
    public let net: Money
    /// One portion, or a D+0 portion followed by its T+1 fallback.
    public let portions: [SettlementPortion]
    /// The last portion's settlement day (when all the money should be in).
    public let settlementDay: LocalDate
    public let expectedCredit: Instant
    public let dueBy: Instant
    public let lateAfter: Instant
    public let flags: Set<ExpectationFlag>
    /// Years the calculation touched that the calendar has no holiday data for.
    public let yearsWithoutData: [Int]
    public let steps: [ExplanationStep]

    /// Whether the engine raised `flag`.
    public func has(_ flag: ExpectationFlag) -> Bool { flags.contains(flag) }

    /// Where `now` stands against the last portion's credit times.
    public func timing(at now: Instant) -> CreditTiming {
        portions.last?.timing(at: now) ?? .notYetDue
    }

    /// The part settling D+0 (zero when none).
    public var d0Amount: Money {
        portions.first(where: { $0.route == .d0 })?.gross ?? .zero(gross.currency)
    }
}

/// Why an expectation or an inflow split could not be computed.
public struct SettlementError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        case currencyMismatch, overflow, negativeAmount, tooLong
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }

    static func wrap(_ e: MoneyError) -> SettlementError {
        SettlementError(e.code == .currencyMismatch ? .currencyMismatch : .overflow, e.description)
    }
}

// MARK: - Computing an expectation

/// The entry points. The calculation itself is `ExpectationBuilder`'s
/// (ExpectationBuilder.swift), with its explanation steps in ExpectationSteps.swift;
/// the split of payouts by a daily inflow limit is in InflowLimit.swift.
extension SettlementExpectation {
    /// Computes when and how much a transaction should settle.
    ///
    /// - Parameters:
    ///   - occurredAt: when the transaction happened.
    ///   - amount: signed gross (refunds negative); in the policy's currency.
    ///   - d0UsedToday: D+0 quota already used on the transaction's local day (only
    ///     read for a D+0 policy).
    ///
    /// Refunds and other non-positive amounts carry no fee or reserve and settle by
    /// the cycle (T+1 under a D+0 policy). With `words: false` the figures are the same
    /// and `steps` is empty (what a stored state needs; the screens and notes ask with words).
    public static func compute(occurredAt: Instant, amount: Money, cardKind: CardKind, policy: SettlementPolicy,
                               calendar: SettlementCalendar, d0UsedToday: Money? = nil,
                               words: Bool = true) throws(SettlementError) -> SettlementExpectation {
        guard amount.currency == policy.currency else {
            throw SettlementError(.currencyMismatch, "amount in \(amount.currency.code), policy in \(policy.currency.code)")
        }
        var b = ExpectationBuilder(policy: policy, calendar: calendar, occurredAt: occurredAt, gross: amount, cardKind: cardKind)
        b.words = words
        do throws(MoneyError) {
            return try b.build(d0UsedToday: d0UsedToday ?? .zero(policy.currency))
        } catch {
            throw SettlementError.wrap(error)
        }
    }

    /// Computes the expectation of one transaction.
    public static func compute(for txn: Transaction, policy: SettlementPolicy, calendar: SettlementCalendar,
                               d0UsedToday: Money? = nil, words: Bool = true) throws(SettlementError) -> SettlementExpectation {
        try compute(occurredAt: txn.occurredAt, amount: txn.amount, cardKind: txn.cardKind, policy: policy,
                    calendar: calendar, d0UsedToday: d0UsedToday, words: words)
    }

    /// Computes the expectations of many transactions, in the order given, tracking
    /// the D+0 quota used per local day in time order.
    public static func computeAll(_ txns: [Transaction], policy: SettlementPolicy,
                                  calendar: SettlementCalendar) throws(SettlementError) -> [SettlementExpectation] {
        let order = txns.indices.sorted { (txns[$0].occurredAt, $0) < (txns[$1].occurredAt, $1) }
        var used: [LocalDate: Money] = [:]
        var out = [SettlementExpectation?](repeating: nil, count: txns.count)
        for i in order {
            let txn = txns[i]
            let day = LocalDateTime(txn.occurredAt, in: policy.timeZone).date
            let e = try compute(for: txn, policy: policy, calendar: calendar, d0UsedToday: used[day])
            if !e.d0Amount.isZero {
                do throws(MoneyError) {
                    used[day] = try (used[day] ?? .zero(policy.currency)).adding(e.d0Amount)
                } catch {
                    throw SettlementError.wrap(error)
                }
            }
            out[i] = e
        }
        return out.compactMap { $0 }
    }
}
