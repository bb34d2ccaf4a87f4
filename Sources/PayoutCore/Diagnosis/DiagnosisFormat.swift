import Foundation

/// Formatting shared by diagnosis and dispute notes: local times, amounts, and text
/// from reports made safe to print.
struct DiagnosisFormat: Sendable {
    let zone: TimeZone
    /// Identifiers that may look like card numbers but are not (MIDs): left alone by `safe`.
    let knownIdentifiers: Set<String>

    /// "2026-11-27 10:05".
    func dateTime(_ i: Instant) -> String { LocalDateTime(i, in: zone).description }

    /// "2026-11-27".
    func date(_ i: Instant) -> String { LocalDateTime(i, in: zone).date.iso }

    /// "10:05" when `i` falls on `day`, else "2026-11-27 10:05".
    func time(_ i: Instant, sameDayAs day: Instant) -> String {
        let a = LocalDateTime(i, in: zone), b = LocalDateTime(day, in: zone)
        return a.date == b.date ? a.time.description : a.description
    }

    /// "29,820.00".
    func m(_ x: Money) -> String { x.formatted() }

    /// "−16.08" for a negative line, "2,680.00" otherwise (the minus sign, not a hyphen).
    func signed(_ x: Money) -> String { x.isNegative ? "−" + String(x.formatted().dropFirst()) : x.formatted() }

    /// Free text from a report (a hold reason, a line note), with any run of digits
    /// that looks like a full card number masked to first 6 and last 4.
    func safe(_ text: String) -> String { CardNumber.redact(text, keeping: knownIdentifiers) }
}

