import Foundation
import SWXMLHash
import ZIPFoundation

/// The rows of the first worksheet of an XLSX workbook, as text, read in memory.
///
/// Shared strings, inline strings, numbers (as written in the file: an amount stored as
/// a number is its decimal text, a date stored as a serial number stays a number such
/// as "45292" for the reader of the column to interpret). Sizes are bounded: no part of
/// the workbook is unpacked beyond `maxPartBytes`, no cell beyond
/// `ImportLimits.fieldBytes`, however large the archive says it is.
enum XLSXReader {
    /// The most bytes one unpacked part (a worksheet, the shared strings) may hold.
    static let maxPartBytes = 32 << 20
    /// The most cells a worksheet may have in one row.
    static let maxColumns = 256

    /// True when the bytes start like a ZIP archive (an XLSX workbook is one).
    static func looksLikeZip(_ data: Data) -> Bool {
        data.count >= 4 && data.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04])
    }

    /// Each non-empty row: its 1-based row number and its cells, the missing ones empty.
    static func rows(_ data: Data, file: String) throws -> [(line: Int, cells: [String])] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw ImportError(file: file, line: 0, reason: "the file is not an XLSX workbook (not a readable ZIP archive)")
        }
        let sheetPath: String
        if archive["xl/worksheets/sheet1.xml"] != nil {
            sheetPath = "xl/worksheets/sheet1.xml"
        } else if let first = archive.filter({ $0.path.hasPrefix("xl/worksheets/") && $0.path.hasSuffix(".xml") })
                    .map(\.path).sorted().first {
            sheetPath = first
        } else {
            throw ImportError(file: file, line: 0, reason: "the XLSX workbook has no worksheet (xl/worksheets/)")
        }
        let shared = try archive["xl/sharedStrings.xml"].map { try sharedStrings(part($0, archive, file), file: file) } ?? []
        return try sheetRows(part(archive[sheetPath]!, archive, file), shared: shared, file: file)
    }

    /// One unpacked part, refused once it grows past `maxPartBytes`.
    static func part(_ entry: Entry, _ archive: Archive, _ file: String) throws -> Data {
        if entry.uncompressedSize > UInt64(maxPartBytes) {
            throw ImportError(file: file, line: 0, reason: "\(entry.path) unpacks to \(entry.uncompressedSize) bytes; at most \(maxPartBytes) are read")
        }
        var out = Data()
        struct TooLarge: Error {}
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                out.append(chunk)
                if out.count > maxPartBytes { throw TooLarge() }
            }
        } catch is TooLarge {
            throw ImportError(file: file, line: 0, reason: "\(entry.path) unpacks to more than \(maxPartBytes) bytes")
        } catch {
            throw ImportError(file: file, line: 0, reason: "\(entry.path) cannot be unpacked (a damaged workbook?)")
        }
        return out
    }

    static func document(_ data: Data, _ path: String, file: String) throws -> XMLIndexer {
        let xml = XMLHash.config { $0.detectParsingErrors = true }.parse(data)
        if case .parsingError = xml {
            throw ImportError(file: file, line: 0, reason: "\(path) is not well-formed XML (a damaged workbook?)")
        }
        return xml
    }

    static func sharedStrings(_ data: Data, file: String) throws -> [String] {
        let xml = try document(data, "xl/sharedStrings.xml", file: file)
        return xml["sst"]["si"].all.map { si in
            // Plain <t>, or rich text runs <r><t>; phonetic runs <rPh> are not the text.
            si.children.reduce("") { acc, child in
                guard let e = child.element else { return acc }
                if e.name == "t" { return acc + e.text }
                if e.name == "r" { return acc + child["t"].all.map { $0.element?.text ?? "" }.joined() }
                return acc
            }
        }
    }

    static func sheetRows(_ data: Data, shared: [String], file: String) throws -> [(line: Int, cells: [String])] {
        let xml = try document(data, "the worksheet", file: file)
        var out: [(line: Int, cells: [String])] = []
        var lastRow = 0
        for row in xml["worksheet"]["sheetData"]["row"].all {
            let number = row.element?.attribute(by: "r").flatMap { Int($0.text) } ?? (lastRow + 1)
            lastRow = number
            var cells: [String] = []
            for c in row["c"].all {
                guard let e = c.element else { continue }
                var column = cells.count
                if let ref = e.attribute(by: "r")?.text, let col = columnIndex(ref) { column = col }
                guard column < maxColumns else {
                    throw ImportError(file: file, line: number, reason: "the row has a cell beyond column \(maxColumns)")
                }
                let type = e.attribute(by: "t")?.text ?? "n"
                var value: String
                switch type {
                case "s":
                    guard let i = Int(c["v"].element?.text ?? ""), shared.indices.contains(i) else {
                        throw ImportError(file: file, line: number, reason: "a cell refers to a shared string the workbook does not have")
                    }
                    value = shared[i]
                case "inlineStr":
                    value = c["is"].element?.recursiveText ?? ""
                case "b":
                    value = c["v"].element?.text == "1" ? "TRUE" : "FALSE"
                default:
                    value = c["v"].element?.text ?? ""
                }
                if value.utf8.count > ImportLimits.fieldBytes {
                    throw ImportError(file: file, line: number, reason: "a cell holds \(value.utf8.count) bytes; at most \(ImportLimits.fieldBytes) are allowed")
                }
                while cells.count < column { cells.append("") }
                if column < cells.count { cells[column] = value } else { cells.append(value) }
            }
            if cells.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                out.append((number, cells))
            }
        }
        return out
    }

    /// "B3" -> 1 (columns from 0).
    static func columnIndex(_ ref: String) -> Int? {
        var n = 0
        var any = false
        for u in ref.unicodeScalars {
            guard u.value >= 65 && u.value <= 90 else { break }
            n = n * 26 + Int(u.value - 64)
            any = true
        }
        return any ? n - 1 : nil
    }
}
