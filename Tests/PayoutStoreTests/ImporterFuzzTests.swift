import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import Testing
@testable import PayoutFormats
@testable import PayoutStore


/// Random bytes and mutated real-looking files thrown at every importer: no crash, and a
/// refused file leaves the store exactly as it was.
@Suite struct ImporterFuzzTests {
    static let seedFiles: [Data] = [
        fixtureBytes("cn-pos-export.csv"), fixtureBytes("cn-statement-fen.gb18030.csv"),
        Data(String(decoding: try! decodeGB(fixtureBytes("cn-statement-fen.gb18030.csv")), as: UTF8.self).utf8),
        fixtureBytes("adyen-sdr-classic.csv"), fixtureBytes("adyen-sdr-booking.csv"), fixtureBytes("stripe-payout-recon.csv"),
        FileManager.default.contents(atPath: repoRoot + "/config/examples/transactions.csv")!,
        FileManager.default.contents(atPath: repoRoot + "/config/examples/payouts.csv")!,
    ]

    static let junk: [String] = [
        "", " ", "abc", "-", "--1", "+", "9999999999999999999999", "-9223372036854775808", "1,2", "\"", "\"\"", "0.001", "1.", ".5",
        "２０２６", "￥12", "¥-3", "`", "`'", "=\"1\"", "NaN", "1e5", "6228480402564890018", "4111111111111111", "62284804025648900181234",
        "2026-13-45 25:61:61", "2026-02-29 10:00:00", "20261120", "121805", "99999999999999", "消费", "退货", "冻结", "解冻",
        "预授权", "借记卡", "CNY", "XYZ", "usd", "MerchantPayout", "Settled", "charge", "CET", "Mars/Olympus", "\u{0}", "\r", "\n",
        "Balancetransfer", "合计", "总笔数：3", "po_1", "42", "-0", "0", "00000000000000000000000000000001",
    ]

    static func mutate(_ input: Data, _ rng: inout SeededRandom) -> Data {
        var b = [UInt8](input)
        let ops = Int.random(in: 1...4, using: &rng)
        for _ in 0..<ops {
            switch Int.random(in: 0..<11, using: &rng) {
            case 0 where !b.isEmpty:   // truncate
                b.removeLast(Int.random(in: 0..<b.count, using: &rng))
            case 1 where !b.isEmpty:   // flip bytes
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    let i = Int.random(in: 0..<b.count, using: &rng)
                    b[i] = UInt8.random(in: 0...255, using: &rng)
                }
            case 2:   // insert random bytes
                let at = Int.random(in: 0...b.count, using: &rng)
                b.insert(contentsOf: (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            case 3 where b.count > 2:   // delete a range
                let i = Int.random(in: 0..<b.count - 1, using: &rng)
                b.removeSubrange(i..<min(b.count, i + Int.random(in: 1...40, using: &rng)))
            default:   // line and field level
                var lines = b.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
                guard !lines.isEmpty else { continue }
                let i = Int.random(in: 0..<lines.count, using: &rng)
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: lines.insert(lines[i], at: Int.random(in: 0...lines.count, using: &rng))
                case 1: lines.remove(at: i)
                case 2: lines.swapAt(i, Int.random(in: 0..<lines.count, using: &rng))
                case 3, 4:
                    var fields = lines[i].split(separator: 44, omittingEmptySubsequences: false).map(Array.init)
                    let f = Int.random(in: 0..<fields.count, using: &rng)
                    fields[f] = Array(junk.randomElement(using: &rng)!.utf8)
                    lines[i] = Array(fields.joined(separator: [44]))
                default:
                    var fields = lines[i].split(separator: 44, omittingEmptySubsequences: false).map(Array.init)
                    if fields.count > 1 { fields.swapAt(Int.random(in: 0..<fields.count, using: &rng), Int.random(in: 0..<fields.count, using: &rng)) }
                    lines[i] = Array(fields.joined(separator: [44]))
                }
                b = Array(lines.joined(separator: [10]))
            }
        }
        return Data(b)
    }

    @Test func randomAndMutatedFilesNeverCrashNorImportPartly() throws {
        // PAYOUTMON_FUZZ_SEED and PAYOUTMON_FUZZ_SECONDS run it longer, or replay a seed.
        let env = ProcessInfo.processInfo.environment
        let seed = env["PAYOUTMON_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED_2026_1120
        let seconds = env["PAYOUTMON_FUZZ_SECONDS"].flatMap { Double($0) } ?? 4
        let limit = env["PAYOUTMON_FUZZ_SECONDS"] == nil ? 5_000 : Int.max
        var rng = SeededRandom(seed: seed)
        let store = try memoryStore()
        let deadline = Date().addingTimeInterval(seconds)
        var iterations = 0, refused = 0, imported = 0
        var before = try tableCounts(store)
        while Date() < deadline && iterations < limit {
            iterations += 1
            let bytes: Data
            if Int.random(in: 0..<8, using: &rng) == 0 {
                bytes = Data((0..<Int.random(in: 0..<600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            } else {
                bytes = Self.mutate(Self.seedFiles.randomElement(using: &rng)!, &rng)
            }
            var options = importOptions
            options.format = ReportFormat.allCases.randomElement(using: &rng)!
            options.skipBad = Int.random(in: 0..<4, using: &rng) == 0
            options.merchantId = "898440358120013"
            if Int.random(in: 0..<10, using: &rng) == 0 { options.profile = ["cn-pos-export", "cn-statement-fen"].randomElement(using: &rng)! }
            do {
                let s = try store.importData(bytes, name: "fuzz-\(iterations).csv", options: options)
                if s.alreadyImported { #expect(try tableCounts(store) == before, "seed \(seed) iteration \(iterations)") }
                imported += 1
            } catch {
                refused += 1
                #expect(error is ImportError || error is StoreError, "seed \(seed) iteration \(iterations): \(type(of: error)) \(error)")
                #expect(try tableCounts(store) == before, "seed \(seed) iteration \(iterations): a refused file changed the store")
            }
            before = try tableCounts(store)
        }
        #expect(iterations >= 100, "only \(iterations) iterations in the time allowed")
        #expect(refused > 0 && imported > 0)
        let cards = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT cardMasked FROM txn") }
        #expect(!cards.contains { CardNumber.containsFullPAN($0) })
    }

    @Test func everyPrefixOfEveryFixtureIsImportedWholeOrRefused() throws {
        // Truncation at every line end and inside lines: a refused prefix changes nothing.
        let store = try memoryStore()
        var rng = SeededRandom(seed: 7)
        for (n, file) in Self.seedFiles.enumerated() {
            let cuts = Set((0..<24).map { _ in Int.random(in: 1..<file.count, using: &rng) })
            for cut in cuts.sorted() {
                let before = try tableCounts(store)
                do { _ = try store.importData(file.prefix(cut), name: "cut-\(n)-\(cut).csv", options: importOptions) } catch {
                    #expect(error is ImportError, "\(error)")
                    #expect(try tableCounts(store) == before)
                }
            }
        }
    }
}

/// The block-fed CSV reader agrees with the whole-buffer one on every input, however the
/// input is cut into blocks.
@Suite struct CSVStreamImporterTests {
    static func whole(_ bytes: [UInt8]) -> String {
        var out: [String] = []
        do {
            try bytes.withUnsafeBytes { buf in
                try CSVParser.parse(buf) { r in out.append("\(r.line):\(r.fields)") }
            }
        } catch { out.append("error \(error)") }
        return out.joined(separator: "\n")
    }

    static func blocks(_ bytes: [UInt8], _ rng: inout SeededRandom) -> String {
        var out: [String] = []
        var stream = CSVStream(recover: false)
        do {
            var i = 0
            while i < bytes.count {
                let n = min(bytes.count - i, Int.random(in: 1...7, using: &rng))
                try bytes[i..<(i + n)].withUnsafeBytes { buf in
                    try stream.feed(buf, onBad: { _, _ in }, body: { r in out.append("\(r.line):\(r.fields)") })
                }
                i += n
            }
            try stream.finish(onBad: { _, _ in }, body: { r in out.append("\(r.line):\(r.fields)") })
        } catch { out.append("error \(error)") }
        return out.joined(separator: "\n")
    }

    @Test func blocksAndWholeAgree() {
        var rng = SeededRandom(seed: 42)
        let alphabet: [UInt8] = Array("ab,\"\r\n 1".utf8) + [0xE4, 0xB8, 0xAD, 0xFF, 0x00]
        for _ in 0..<3_000 {
            var bytes: [UInt8]
            if Bool.random(using: &rng) {
                bytes = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            } else {
                bytes = [UInt8](ImporterFuzzTests.mutate(ImporterFuzzTests.seedFiles[0], &rng))
            }
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            let expected = Self.whole(bytes)
            let got = Self.blocks(bytes, &rng)
            #expect(got == expected, "input \(bytes)")
            if got != expected { break }
        }
    }
}

extension CSVStreamImporterTests {
    /// GB18030 split into blocks anywhere, even inside a character, decodes the same.
    @Test func gb18030DecodesTheSameInAnyBlocks() throws {
        let bytes = [UInt8](fixtureBytes("cn-statement-fen.gb18030.csv")) + [UInt8](gb18030("四字节字符：𠀀𠀁 ·€"))
        let whole = try decodeGB(Data(bytes))
        #expect(String(decoding: whole, as: UTF8.self).hasSuffix("四字节字符：𠀀𠀁 ·€"))
        var rng = SeededRandom(seed: 3)
        for _ in 0..<200 {
            let decoder = try GB18030Decoder()
            var out: [UInt8] = []
            var i = 0
            while i < bytes.count {
                let n = min(bytes.count - i, Int.random(in: 1...9, using: &rng))
                try bytes[i..<(i + n)].withUnsafeBytes { b in try decoder.feed(b) { out.append(contentsOf: $0) } }
                i += n
            }
            try decoder.finish()
            #expect(out == whole)
            if out != whole { break }
        }
        // Cut inside the last character: a truncated file, at its line.
        let decoder = try GB18030Decoder()
        var threw = ""
        do {
            try bytes.dropLast().withUnsafeBytes { b in try decoder.feed(b) { _ in } }
            try decoder.finish()
        } catch { threw = (error as? EncodingProblem)?.reason ?? "\(error)" }
        #expect(threw == "the file ends inside a GB18030 character (truncated file?)")
    }

    /// The sniffer decides the same whatever the block sizes.
    @Test func sniffingDoesNotDependOnBlocks() {
        let samples: [[UInt8]] = [
            [UInt8](fixtureBytes("cn-pos-export.csv")), [UInt8](fixtureBytes("cn-statement-fen.gb18030.csv")),
            [0xEF, 0xBB, 0xBF] + Array("a,b\n".utf8), [0xFF, 0xFE, 0x41, 0x00], Array("a,b\n".utf8) + [0, 1],
            Array("name\n".utf8) + [0xE4, 0xB8], [UInt8](gb18030("商户号,终端号\n")) + [0x81, 0x0A],
        ]
        var rng = SeededRandom(seed: 11)
        for sample in samples {
            func sniff(_ blocks: [ArraySlice<UInt8>]) -> String {
                var s = EncodingSniffer()
                for b in blocks { b.withUnsafeBytes { s.feed($0) } }
                let (r, sha) = s.finish()
                switch r {
                case .success(let e): return e.rawValue + sha
                case .failure(let p): return "\(p.line) \(p.reason)" + sha
                }
            }
            let whole = sniff([sample[...]])
            for _ in 0..<20 {
                var blocks: [ArraySlice<UInt8>] = []
                var i = 0
                while i < sample.count {
                    let n = min(sample.count - i, Int.random(in: 1...5, using: &rng))
                    blocks.append(sample[i..<(i + n)])
                    i += n
                }
                #expect(sniff(blocks) == whole)
            }
        }
    }
}
