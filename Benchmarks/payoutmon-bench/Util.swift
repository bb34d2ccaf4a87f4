import Foundation

// MARK: - Clock and statistics

/// CLOCK_MONOTONIC in nanoseconds (the same clock Python's time.monotonic_ns reads on Linux).
func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Runs `body` and returns its result with the elapsed time in seconds.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let t0 = monotonicNanos()
    let r = try body()
    return (r, Double(monotonicNanos() - t0) / 1e9)
}

/// Median and range of repeated measurements.
struct Stats: CustomStringConvertible {
    let samples: [Double]
    var sorted: [Double] { samples.sorted() }
    var median: Double {
        let s = sorted
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    var min: Double { samples.min() ?? .nan }
    var max: Double { samples.max() ?? .nan }
    var description: String { "median \(fmt(median)) range \(fmt(min))..\(fmt(max)) n=\(samples.count)" }

    /// As JSON: {"median":..,"min":..,"max":..,"n":..,"samples":[..]}.
    func json(scale: Double = 1) -> String {
        let xs = samples.map { fmt($0 * scale) }.joined(separator: ",")
        return "{\"median\":\(fmt(median * scale)),\"min\":\(fmt(min * scale)),\"max\":\(fmt(max * scale)),\"n\":\(samples.count),\"samples\":[\(xs)]}"
    }
}

func fmt(_ x: Double) -> String {
    if x.isNaN { return "null" }
    if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
    return String(format: "%.6g", x)
}

/// Peak resident set size of this process so far, in bytes (VmHWM).
func peakRSSBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.filter { $0.isNumber }
        return (Int(digits) ?? 0) * 1024
    }
    return 0
}

/// Current anonymous and file-backed resident memory, in bytes (RssAnon, RssFile): a
/// mapped input file's pages count in RSS but are not the program's own memory.
func rssParts() -> (anon: Int, file: Int) {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    var anon = 0, file = 0
    for line in text.split(separator: "\n") {
        let kb = (Int(line.filter { $0.isNumber }) ?? 0) * 1024
        if line.hasPrefix("RssAnon:") { anon = kb } else if line.hasPrefix("RssFile:") { file = kb }
    }
    return (anon, file)
}

/// Prints a line to standard error (progress), leaving standard output for results.
func log(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

// MARK: - Fast CSV output

/// A buffered byte writer for large CSV files: no String per row, flushed in 1 MiB writes.
final class ByteWriter {
    private var buf: [UInt8] = []
    private let fd: Int32
    let path: String
    private(set) var rows = 0

    init(path: String) throws {
        self.path = path
        fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        guard fd >= 0 else { throw BenchError("cannot create \(path): \(String(cString: strerror(errno)))") }
        buf.reserveCapacity(1 << 21)
    }

    deinit { close() }

    @inline(__always) func byte(_ b: UInt8) { buf.append(b) }
    @inline(__always) func comma() { buf.append(44) }
    func endRow() {
        buf.append(10)
        rows += 1
        if buf.count >= 1 << 20 { flush() }
    }

    func str(_ s: String) {
        var s = s
        s.withUTF8 { buf.append(contentsOf: $0) }
    }

    /// A field that may need CSV quoting.
    func field(_ s: String) {
        if s.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) {
            buf.append(34)
            for b in s.utf8 { if b == 34 { buf.append(34) }; buf.append(b) }
            buf.append(34)
        } else {
            str(s)
        }
    }

    func row(_ fields: [String?]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { comma() }
            if let f { field(f) }
        }
        endRow()
    }

    /// A non-negative integer zero-padded to `width` digits.
    func padded(_ v: Int, _ width: Int) {
        var digits = [UInt8](repeating: 48, count: Swift.max(width, 20))
        var n = v
        var i = digits.count
        repeat { i -= 1; digits[i] = UInt8(48 + n % 10); n /= 10 } while n > 0 && i > 0
        let start = Swift.min(i, digits.count - width)
        buf.append(contentsOf: digits[start...])
    }

    func int(_ v: Int) {
        if v < 0 { buf.append(45); padded(-v, 1) } else { padded(v, 1) }
    }

    /// Minor units as a decimal with two places: 123456 -> "1234.56", -5 -> "-0.05".
    func money(_ minor: Int64) {
        var m = minor
        if m < 0 { buf.append(45); m = -m }
        padded(Int(m / 100), 1)
        buf.append(46)
        padded(Int(m % 100), 2)
    }

    /// Minor units as an integer ("fen").
    func minor(_ v: Int64) { int(Int(v)) }

    func flush() {
        var off = 0
        buf.withUnsafeBytes { raw in
            while off < raw.count {
                let n = write(fd, raw.baseAddress! + off, raw.count - off)
                if n <= 0 { break }
                off += n
            }
        }
        buf.removeAll(keepingCapacity: true)
    }

    private var closed = false
    func close() {
        guard !closed else { return }
        flush()
        Foundation.close(fd)
        closed = true
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ s: String) { description = s }
}

// MARK: - Arguments

/// `--name value` and `--flag` options after a subcommand.
struct Args {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    init(_ argv: ArraySlice<String>, flags known: Set<String> = []) throws {
        var it = argv.makeIterator()
        while let a = it.next() {
            guard a.hasPrefix("--") else { throw BenchError("unexpected argument \(a)") }
            let name = String(a.dropFirst(2))
            if let eq = name.firstIndex(of: "=") {
                values[String(name[..<eq])] = String(name[name.index(after: eq)...])
            } else if known.contains(name) {
                flags.insert(name)
            } else {
                guard let v = it.next() else { throw BenchError("\(a) needs a value") }
                values[name] = v
            }
        }
    }

    func string(_ name: String) -> String? { values[name] }
    func string(_ name: String, default d: String) -> String { values[name] ?? d }
    func int(_ name: String, default d: Int) throws -> Int {
        guard let v = values[name] else { return d }
        guard let n = Int(v.replacingOccurrences(of: "_", with: "")) ?? Self.suffixed(v) else { throw BenchError("--\(name): \(v) is not a number") }
        return n
    }
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// "10k", "1M", "10m" -> 10_000, 1_000_000, 10_000_000.
    static func suffixed(_ v: String) -> Int? {
        guard let last = v.last else { return nil }
        let mult: Int
        switch last { case "k", "K": mult = 1_000; case "m", "M": mult = 1_000_000; default: return nil }
        return Int(v.dropLast()).map { $0 * mult }
    }
}
