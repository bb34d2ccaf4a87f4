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
