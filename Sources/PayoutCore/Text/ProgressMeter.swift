/// The progress line of a long import or recompute, as a pure value: it is given what
/// is done and when (the caller reads the clock), and returns the text to write to
/// standard error, or nil when nothing is due. Nothing shows before the work has run
/// `thresholdMillis` (a second), so quick work prints nothing.
///
/// - `terminal`: one line redrawn in place (`\r`), at most every `redrawMillis`;
///   `finish` clears it, so the summary that follows starts on a clean line.
/// - `lines(everyMillis:)`: a plain line (ending in a line feed) every `everyMillis`,
///   for a log or a pipe.
/// - `quiet`: nothing.
public struct ProgressMeter: Sendable {
    public enum Mode: Sendable, Equatable {
        case terminal
        case lines(everyMillis: Int64)
        case quiet
    }

    /// What is done so far: `done` items of `total` (when known) and, for a file read
    /// from start to end, bytes read of its size (which gives the fraction when the
    /// number of rows is not known beforehand).
    public struct Point: Sendable, Equatable {
        public var done: Int
        public var total: Int?
        public var bytes: Int?
        public var totalBytes: Int?

        public init(done: Int, total: Int? = nil, bytes: Int? = nil, totalBytes: Int? = nil) {
            self.done = done; self.total = total; self.bytes = bytes; self.totalBytes = totalBytes
        }
    }

    public static let defaultThresholdMillis: Int64 = 1000
    public static let redrawMillis: Int64 = 250

    public let label: String
    /// What is counted: "rows", "transactions".
    public let unit: String
    public let mode: Mode
    public let start: Instant
    public let thresholdMillis: Int64
    private var lastShown: Instant?
    /// The width of the terminal line last drawn, to blank what a shorter line leaves.
    private var width = 0

    public init(label: String, unit: String, mode: Mode, start: Instant, thresholdMillis: Int64 = defaultThresholdMillis) {
        self.thresholdMillis = thresholdMillis
        self.label = SafeText.visible(label)
        self.unit = unit
        self.mode = mode
        self.start = start
    }

    /// Whether a terminal line is on screen (and `finish` will clear it).
    public var isShowing: Bool { width > 0 }

    /// The text to write for `point` at `now`, or nil.
    public mutating func update(_ point: Point, at now: Instant) -> String? {
        let elapsed = now.epochMillis - start.epochMillis
        guard elapsed >= thresholdMillis else { return nil }
        switch mode {
        case .quiet:
            return nil
        case .terminal:
            if let last = lastShown, now.epochMillis - last.epochMillis < Self.redrawMillis { return nil }
            lastShown = now
            let text = Self.describe(label: label, unit: unit, point, elapsedMillis: elapsed)
            let pad = max(0, width - text.count)
            width = text.count
            return "\r" + text + String(repeating: " ", count: pad)
        case .lines(let every):
            if now.epochMillis - (lastShown ?? start).epochMillis < max(every, thresholdMillis) { return nil }
            lastShown = now
            return Self.describe(label: label, unit: unit, point, elapsedMillis: elapsed) + "\n"
        }
    }

    /// What to write before the summary: on a terminal, the line blanked and the cursor
    /// back at its start; nil when nothing is on screen.
    public mutating func finish() -> String? {
        guard mode == .terminal, width > 0 else { return nil }
        defer { width = 0 }
        return "\r" + String(repeating: " ", count: width) + "\r"
    }

    /// "importing a.csv: 120,000 rows (25% of 48 MB), 40,000 rows/s, about 9s left"
    /// "recomputing states: 20,000 of 80,000 transactions, 10,000 transactions/s, about 6s left"
    static func describe(label: String, unit: String, _ p: Point, elapsedMillis: Int64) -> String {
        var s = label + ": " + grouped(Int64(p.done))
        if let total = p.total { s += " of " + grouped(Int64(total)) }
        s += " " + unit
        var remainingMillis: Int64?
        var fileRead = false
        if let bytes = p.bytes, let totalBytes = p.totalBytes, totalBytes > 0 {
            let b = min(max(bytes, 0), totalBytes)
            s += " (\(Int64(b) * 100 / Int64(totalBytes))% of \(Self.size(Int64(totalBytes))))"
            // Once the whole file is read, what is left (storing, reconciling) is not measured.
            if b == totalBytes { fileRead = true } else if b > 0 { remainingMillis = elapsedMillis * Int64(totalBytes - b) / Int64(b) }
        } else if let total = p.total, p.done > 0 {
            remainingMillis = elapsedMillis * Int64(max(0, total - p.done)) / Int64(p.done)
        }
        let rate = elapsedMillis > 0 ? Int64(p.done) * 1000 / elapsedMillis : 0
        s += ", " + grouped(rate) + " " + unit + "/s"
        if let r = remainingMillis { s += ", about " + DurationText.text(seconds: (r + 999) / 1000, language: .en) + " left" }
        if fileRead { s += ", file read, finishing" }
        return s
    }

    static func grouped(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// "640 KB", "48 MB", "1.2 GB" (1,000-based, as file managers show them).
    static func size(_ bytes: Int64) -> String {
        if bytes < 1_000 { return "\(bytes) B" }
        if bytes < 1_000_000 { return "\(bytes / 1_000) KB" }
        if bytes < 1_000_000_000 { return "\(bytes / 1_000_000) MB" }
        let tenths = bytes / 100_000_000
        return "\(tenths / 10).\(tenths % 10) GB"
    }
}
