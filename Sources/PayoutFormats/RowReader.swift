import Foundation
import PayoutCore

/// Field access for one CSV row by column name, with errors in `FILE:LINE: column` form.
struct RowReader {
    let file: String
    let columns: [String: Int]
    var fields: [String] = []
    var line = 0
    let zone: TimeZone

    init(file: String, header: [String], zone: TimeZone) {
        self.file = file
        var map: [String: Int] = [:]
        for (i, h) in header.enumerated() { map[h] = i }
        self.columns = map
        self.zone = zone
    }

    func fail(_ column: String?, _ reason: String) -> ImportError {
        ImportError(file: file, line: line, column: column, reason: reason)
    }

    /// The trimmed value of a column, or nil when the column is absent or the value empty.
    func optional(_ name: String) -> String? {
        guard let i = columns[name], i < fields.count else { return nil }
        let raw = fields[i]
        // Fast path: a value that starts and ends with a visible ASCII character has
        // nothing to trim, and comes back without a copy.
        if let f = raw.utf8.first, let l = raw.utf8.last, f > 0x20, f < 0x7F, l > 0x20, l < 0x7F { return raw }
        let v = Self.trimmingWhitespace(raw)
        return v.isEmpty ? nil : v
    }

    /// The space around a value (see `Trim`, the one rule).
    static func trimmingWhitespace(_ raw: String) -> String { Trim.spaces(raw) }

    func required(_ name: String) throws(ImportError) -> String {
        guard let v = optional(name) else { throw fail(name, "value is missing") }
        return v
    }

    func identifier(_ name: String, _ kind: IdentifierKind) throws(ImportError) -> String {
        let v = try required(name)
        if let p = Values.identifierProblem(v, kind) { throw fail(name, "\(ImportLimits.quote(v)) \(p)") }
        return v
    }

    func optionalIdentifier(_ name: String, _ kind: IdentifierKind) throws(ImportError) -> String? {
        guard let v = optional(name) else { return nil }
        if let p = Values.identifierProblem(v, kind) { throw fail(name, "\(ImportLimits.quote(v)) \(p)") }
        return v
    }

    func currency(_ name: String = "currency") throws(ImportError) -> Currency {
        let v = try required(name)
        guard let c = Currency(code: v) else { throw fail(name, "unknown currency \(ImportLimits.quote(v))") }
        return c
    }

    func money(_ name: String, _ currency: Currency) throws(ImportError) -> Money {
        let v = try required(name)
        do { return try Money.parse(v, currency: currency) } catch { throw fail(name, error.description) }
    }

    func optionalMoney(_ name: String, _ currency: Currency) throws(ImportError) -> Money? {
        guard let v = optional(name) else { return nil }
        do { return try Money.parse(v, currency: currency) } catch { throw fail(name, error.description) }
    }

    func instant(_ name: String) throws(ImportError) -> Instant {
        let v = try required(name)
        guard let t = InstantParser.parse(v, zone: zone) else {
            throw fail(name, "\(ImportLimits.quote(v)) is not a date and time (expected YYYY-MM-DD HH:MM:SS, optionally with Z or +08:00)")
        }
        return t
    }

    func optionalInstant(_ name: String) throws(ImportError) -> Instant? {
        guard optional(name) != nil else { return nil }
        return try instant(name)
    }

    func date(_ name: String) throws(ImportError) -> LocalDate {
        let v = try required(name)
        guard let d = LocalDate(iso: v) else { throw fail(name, "\(ImportLimits.quote(v)) is not a date (expected YYYY-MM-DD)") }
        return d
    }

    func enumValue<E: RawRepresentable & CaseIterable>(_ name: String, _: E.Type) throws(ImportError) -> E where E.RawValue == String {
        let v = try required(name)
        guard let e = E(rawValue: v) else {
            throw fail(name, "\(ImportLimits.quote(v)) is not one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return e
    }

    func int(_ name: String) throws(ImportError) -> Int {
        let v = try required(name)
        guard let i = Int(v), i > 0 else { throw fail(name, "\(ImportLimits.quote(v)) is not a positive whole number") }
        return i
    }
}
