import Foundation
import Testing
@testable import PayoutFormats

/// The CSV reader's byte limits (docs/report-formats.md, "Sizes and card numbers"): a
/// field or record past its limit is refused as soon as the limit is passed, not at the
/// end of the record.
@Suite struct CSVLimitTests {
    /// Feeds `text` in blocks of `block` bytes; returns the records read, the number of
    /// blocks fed when the reader failed and its failure (nil when it read everything).
    func read(_ text: String, block: Int = 1000, recover: Bool = false) -> (records: [CSVRecord], blocks: Int, failure: CSVParser.Failure?) {
        var stream = CSVStream(recover: recover)
        var records: [CSVRecord] = []
        let bytes = Array(text.utf8)
        var blocks = 0
        do {
            var i = 0
            while i < bytes.count {
                let j = min(bytes.count, i + block)
                blocks += 1
                try bytes[i..<j].withUnsafeBytes { b in
                    try stream.feed(b, onBad: { _, _ in }, body: { records.append($0) })
                }
                i = j
            }
            try stream.finish(onBad: { _, _ in }, body: { records.append($0) })
        } catch let f as CSVParser.Failure {
            return (records, blocks, f)
        } catch {
            Issue.record("unexpected \(error)")
        }
        return (records, blocks, nil)
    }

    @Test func aFieldAtTheLimitIsRead() {
        let r = read("a,b\nx," + String(repeating: "y", count: ImportLimits.fieldBytes) + "\n")
        #expect(r.failure == nil)
        #expect(r.records.count == 2)
        #expect(r.records.last?.fields.last?.utf8.count == ImportLimits.fieldBytes)
    }

    @Test func anUnquotedFieldPastTheLimitIsRefusedEarly() {
        // 10 MB in one field: the reader stops within the block that passes 8 KiB.
        let big = "a,b\nx," + String(repeating: "y", count: 10_000_000) + "\n"
        let r = read(big)
        guard case .tooLong(let line, let field, let record)? = r.failure else {
            Issue.record("expected tooLong, got \(String(describing: r.failure))"); return
        }
        #expect(line == 2 && field == 2 && !record)
        #expect(r.blocks <= ImportLimits.fieldBytes / 1000 + 2)
        #expect(r.records.count == 1)
    }

    @Test func aQuotedFieldPastTheLimitIsRefusedEarlyEvenWhenRecovering() {
        let big = "a,b\n\"x\",\"" + String(repeating: "line\n", count: 2_000_000) + "\"\n"
        let r = read(big, recover: true)
        guard case .tooLong(let line, _, false)? = r.failure else {
            Issue.record("expected tooLong, got \(String(describing: r.failure))"); return
        }
        #expect(line == 2)
        #expect(r.blocks <= ImportLimits.fieldBytes / 1000 + 2)
    }

    @Test func aRecordPastTheLimitIsRefused() {
        let field = String(repeating: "z", count: 7000)
        let row = Array(repeating: field, count: 10).joined(separator: ",")
        let r = read("a\n" + row + "\nlast\n", block: 4096)
        guard case .tooLong(2, _, true)? = r.failure else {
            Issue.record("expected a record too long on line 2, got \(String(describing: r.failure))"); return
        }
        // A record under the limit made of the same fields reads.
        let ok = read("a\n" + Array(repeating: field, count: 9).joined(separator: ",") + "\n", block: 4096)
        #expect(ok.failure == nil && ok.records.count == 2)
    }
}
