import Foundation
import PayoutCore

extension ImportSession {
    /// Checks that a data row has as many fields as the header; one extra empty field
    /// (a trailing comma) is allowed.
    func checkFieldCount(_ r: CSVRecord, header: [String]) throws(ImportError) {
        let f = r.fields
        if f.count != header.count && !(f.count == header.count + 1 && Values.trim(f[f.count - 1]).isEmpty) {
            throw error(r.line, nil, "has \(f.count) fields; the header has \(header.count)")
        }
    }
}

/// A header's columns by lower-cased name, a byte-order mark dropped; a name written
/// twice means its first column. For the vendor reports read by column name.
func vendorHeaderIndex(_ header: [String]) -> [String: Int] {
    var index: [String: Int] = [:]
    for (i, h) in header.enumerated() {
        let k = h.replacingOccurrences(of: "\u{FEFF}", with: "").lowercased()
        if index[k] == nil { index[k] = i }
    }
    return index
}

/// One data row of a vendor report (Adyen, Stripe), read by column index: trimmed
/// cells, and errors that name the row's line and the cell's header.
struct VendorRow {
    let fields: [String]
    let line: Int
    let header: [String]
    let session: ImportSession

    /// The row, once its field count is checked against the header.
    init(_ r: CSVRecord, header: [String], _ s: ImportSession) throws(ImportError) {
        try s.checkFieldCount(r, header: header)
        fields = r.fields
        line = r.line
        self.header = header
        session = s
    }

    /// The trimmed cell, nil when the column is absent or the cell empty.
    func value(_ c: Int) -> String? {
        guard c >= 0 else { return nil }
        let v = Values.trim(fields[c])
        return v.isEmpty ? nil : v
    }

    func fail(_ c: Int, _ reason: String) -> ImportError { session.error(line, header[c], reason) }

    func required(_ c: Int) throws(ImportError) -> String {
        guard let v = value(c) else { throw fail(c, "value is missing") }
        return v
    }

    /// `v`, the cell of column `c`, as minor units of `currency`, within the range
    /// payoutmon keeps.
    func minorUnits(_ c: Int, _ v: String, _ currency: Currency) throws(ImportError) -> Int64 {
        let m: Money
        do { m = try Values.money(v, currency) } catch { throw fail(c, error.description) }
        guard Values.inRange(m.minor) else { throw fail(c, "amount \(v) is out of range") }
        return m.minor
    }
}
