import Foundation
import PayoutCore
import PayoutFormats
import PayoutModel
import PayoutStore
import PayoutSync
import PayoutTUI

/// What `generate` wrote, kept beside the files so later commands know the layout.
struct Manifest {
    var rows: Int
    var seed: UInt64
    var end: LocalDate
    var chunks: Int

    static func path(_ dir: String) -> String { dir + "/manifest.txt" }

    func write(_ dir: String) throws {
        let text = "rows=\(rows)\nseed=\(seed)\nend=\(end.iso)\nchunks=\(chunks)\n"
        try text.write(toFile: Self.path(dir), atomically: true, encoding: .utf8)
    }

    static func read(_ dir: String) -> Manifest? {
        guard let text = try? String(contentsOfFile: path(dir), encoding: .utf8) else { return nil }
        var kv: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let p = line.split(separator: "=", maxSplits: 1)
            if p.count == 2 { kv[String(p[0])] = String(p[1]) }
        }
        guard let r = kv["rows"].flatMap(Int.init), let s = kv["seed"].flatMap(UInt64.init),
              let e = kv["end"].flatMap({ LocalDate(iso: $0) }), let c = kv["chunks"].flatMap(Int.init) else { return nil }
        return Manifest(rows: r, seed: s, end: e, chunks: c)
    }

    var layout: DataLayout { DataLayout(rows: rows, seed: seed, end: end) }
}

let defaultEnd = LocalDate(year: 2026, month: 11, day: 27)!
let benchMerchant = "898440358300001"

func importOptions(rules: Bool, now: Instant, merchant: String? = nil) -> ImportOptions {
    ImportOptions(format: .auto, timeZone: BenchRules.zone, rules: rules ? BenchRules.rules : nil, now: now,
                  merchantId: merchant)
}

// MARK: - generate

func generate(rows: Int, seed: UInt64, end: LocalDate, dir: String, chunkRows: Int) throws -> Manifest {
    let layout = DataLayout(rows: rows, seed: seed, end: end)
    let (chunks, secs) = try timed { try CanonicalWriter(layout: layout, dir: dir, chunkRows: chunkRows).writeAll() }
    let m = Manifest(rows: rows, seed: seed, end: end, chunks: chunks.count)
    try m.write(dir)
    let (first, _) = layout.start()
    log("generated \(rows) transactions in \(chunks.count) chunk(s): \(layout.merchantCount) merchants, \(layout.terminalCount) terminals, trade days \(LocalDate(dayNumber: first).iso)..\(end.iso), \(fmt(secs)) s -> \(dir)")
    print("{\"command\":\"generate\",\"rows\":\(rows),\"seed\":\(seed),\"merchants\":\(layout.merchantCount),\"terminals\":\(layout.terminalCount),\"first_day\":\"\(LocalDate(dayNumber: first).iso)\",\"end\":\"\(end.iso)\",\"chunks\":\(chunks.count),\"payouts\":\(chunks.reduce(0) { $0 + $1.payoutRows }),\"payout_items\":\(chunks.reduce(0) { $0 + $1.itemRows }),\"holds\":\(chunks.reduce(0) { $0 + $1.holdRows }),\"seconds\":\(fmt(secs))}")
    return m
}

func chunkPaths(_ dir: String, _ i: Int) -> (txns: String, payouts: String, items: String, holds: String) {
    let n = String(format: "%03d", i)
    return ("\(dir)/transactions-\(n).csv", "\(dir)/payouts-\(n).csv", "\(dir)/payout_items-\(n).csv", "\(dir)/holds-\(n).csv")
}

// MARK: - build-store

/// Imports a generated data set into a new store and times each step.
///
/// Order per chunk: payouts, payout items, transactions, holds. With `--mode import`
/// every file is reconciled as it lands (what `payoutmon import` does); payouts and
/// items go first so each transaction is reconciled once, when it arrives with its
/// payout already known. With `--mode recompute` the files are imported without rules
/// and one `recomputeStates` runs at the end; `--mode raw` imports without rules and
/// leaves the states to a later `recompute` command.
func buildStore(dir: String, store path: String, mode: String, resume: Bool) throws {
    guard let m = Manifest.read(dir) else { throw BenchError("no manifest in \(dir): run generate first") }
    // --resume keeps the store: files already imported are skipped by their sha256.
    if !resume { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
    let rules = mode == "import"
    let now = m.layout.now
    var steps: [String] = []
    var total = 0.0
    var txnImportSecs = 0.0
    let (_, wall) = try timed {
        let store = try PayoutStore.openForWriting(path: path)
        func imp(_ file: String, _ label: String) throws {
            guard hasRows(file) else { return }
            let (s, secs) = try timed { try store.importFile(atPath: file, options: importOptions(rules: rules, now: now)) }
            if s.alreadyImported { log("  \((file as NSString).lastPathComponent): imported before, skipped"); return }
            total += secs
            if label == "transactions" { txnImportSecs += secs }
            let rate = secs > 0 ? Double(s.rows) / secs : 0
            log("  \((file as NSString).lastPathComponent): \(s.rows) rows, \(fmt(secs)) s, \(fmt(rate.rounded())) rows/s, peak RSS \(peakRSSBytes() >> 20) MiB")
            steps.append("{\"file\":\"\((file as NSString).lastPathComponent)\",\"rows\":\(s.rows),\"seconds\":\(fmt(secs))}")
        }
        try imp(dir + "/merchants.csv", "merchants")
        try imp(dir + "/account_events.csv", "events")
        for i in 1...m.chunks {
            let c = chunkPaths(dir, i)
            try imp(c.payouts, "payouts")
            try imp(c.items, "items")
            try imp(c.txns, "transactions")
            try imp(c.holds, "holds")
        }
        if mode == "recompute" {
            let (_, secs) = try timed { try store.recomputeStates(rules: BenchRules.rules, now: now) }
            total += secs
            log("  recomputeStates: \(fmt(secs)) s")
            steps.append("{\"file\":\"recomputeStates\",\"rows\":\(m.rows),\"seconds\":\(fmt(secs))}")
        }
    }
    let size = fileSize(path)
    log("built \(path): \(m.rows) transactions, mode \(mode), \(fmt(wall)) s wall (imports \(fmt(total)) s), \(size >> 20) MiB, peak RSS \(peakRSSBytes() >> 20) MiB")
    print("{\"command\":\"build-store\",\"rows\":\(m.rows),\"mode\":\"\(mode)\",\"seconds\":\(fmt(wall)),\"import_seconds\":\(fmt(total)),\"txn_import_seconds\":\(fmt(txnImportSecs)),\"bytes\":\(size),\"peak_rss\":\(peakRSSBytes()),\"steps\":[\(steps.joined(separator: ","))]}")
}

/// Recomputes every state of a built store, as of the data set's `now`.
func recompute(dir: String, store path: String) throws {
    guard let m = Manifest.read(dir) else { throw BenchError("no manifest in \(dir): run generate first") }
    let store = try PayoutStore.openForWriting(path: path)
    let (_, secs) = try timed { try store.recomputeStates(rules: BenchRules.rules, now: m.layout.now) }
    log("recomputeStates of \(path): \(fmt(secs)) s, peak RSS \(peakRSSBytes() >> 20) MiB")
    print("{\"command\":\"recompute\",\"rows\":\(m.rows),\"seconds\":\(fmt(secs)),\"transactions_per_s\":\(fmt((Double(m.rows) / secs).rounded())),\"peak_rss\":\(peakRSSBytes())}")
}

/// True when the CSV file exists and has a line after its header.
func hasRows(_ path: String) -> Bool {
    guard let fh = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? fh.close() }
    let head = (try? fh.read(upToCount: 1 << 16)) ?? Data()
    return head.filter { $0 == 10 }.count >= 2
}

func fileSize(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : 0
}

// MARK: - continuation data (new rows for an existing store)

/// The trade day (local) of the store's newest transaction.
func lastTradeDay(_ store: PayoutStore) throws -> Int {
    let newest = try store.read(rules: BenchRules.rules) { r in
        try r.transactions(filter: nil, problemsOnly: false, now: Instant(epochMillis: 0), offset: 0, limit: 1).lines.first
    }
    guard let t = newest else { throw BenchError("the store has no transactions") }
    return LocalDateTime(t.transaction.occurredAt, in: BenchRules.zone).date.dayNumber
}

/// Writes `rows` new transactions after the store's last day, and their payouts and
/// items, to files in `dir`. Returns the paths and the instant to evaluate states at.
func writeContinuation(layout: DataLayout, after last: Int, rows: Int, dir: String, tag: String) throws
    -> (txns: String, payouts: String, items: String, now: Instant) {
    let days = layout.continuation(after: last, rows: rows)
    let settle = SettleDays()
    let tw = try ByteWriter(path: "\(dir)/new-transactions-\(tag).csv")
    tw.row(CanonicalWriter.txnHeader)
    let txnOnly = ChunkWriterTxnsOnly(layout: layout, w: tw)
    for (_, batches) in days { for b in batches { txnOnly.add(b) } }
    tw.close()
    // Payouts and items through a chunk writer (its transactions file stays empty).
    let lastDay = days.last!.day
    // States as of the evening of the last new day's settlement day: every payout is due.
    let nowDay = settle.t1(lastDay)
    let evalNow = layout.instant(day: nowDay, second: 20 * 3600)
    let l2 = DataLayout(rows: layout.rows, seed: layout.seed, end: LocalDate(dayNumber: nowDay))
    let cw = try ChunkWriter(layout: l2, dir: dir, index: 901, settle: settle)
    for (_, batches) in days { for b in batches { cw.addSettlement(b, problem: .none) } }
    let f = try cw.finish()
    let payouts = "\(dir)/new-payouts-\(tag).csv", items = "\(dir)/new-items-\(tag).csv"
    _ = rename(f.payouts, payouts)
    _ = rename(f.items, items)
    return (tw.path, payouts, items, evalNow)
}

// MARK: - incremental

/// Imports `rows` new transactions (then their payouts and items) into the store, with
/// reconciliation, `runs` times; each run adds new days after the last.
func incremental(store path: String, dir: String, rows: Int, runs: Int) throws {
    guard let m = Manifest.read(dir) else { throw BenchError("no manifest in \(dir)") }
    let store = try PayoutStore.openForWriting(path: path)
    let scratch = NSTemporaryDirectory() + "payoutmon-bench-inc-\(getpid())"
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    var txnSecs: [Double] = [], settleSecs: [Double] = []
    for run in 0..<runs {
        let last = try lastTradeDay(store)
        let c = try writeContinuation(layout: m.layout, after: last, rows: rows, dir: scratch, tag: "\(run)")
        let opts = importOptions(rules: true, now: c.now)
        let (s1, t1) = try timed { try store.importFile(atPath: c.txns, options: opts) }
        let (_, t2) = try timed {
            _ = try store.importFile(atPath: c.payouts, options: opts)
            _ = try store.importFile(atPath: c.items, options: opts)
        }
        guard s1.newTransactionIds.count == rows else { throw BenchError("expected \(rows) new transactions, got \(s1.newTransactionIds.count)") }
        txnSecs.append(t1)
        settleSecs.append(t2)
        log("  run \(run + 1): \(rows) transactions \(fmt(t1 * 1000)) ms; their payouts+items \(fmt(t2 * 1000)) ms")
    }
    let a = Stats(samples: txnSecs), b = Stats(samples: settleSecs)
    print("{\"command\":\"incremental\",\"store\":\"\(path)\",\"store_rows\":\(m.rows),\"rows\":\(rows),\"txn_import_ms\":\(a.json(scale: 1000)),\"settlement_import_ms\":\(b.json(scale: 1000))}")
}

// MARK: - poll

/// The request a 200x60 monitor makes at start.
func startRequest(size: Size) -> ViewRequest {
    var s = MonitorState(now: Instant(epochMillis: 0), timeZone: BenchRules.zone, size: size)
    _ = reduce(&s, .resize(size))
    return s.request
}

/// Poll cost with no change, and from a commit of `rows` new transactions to the
/// poller's next snapshot (the poller polled right after the commit).
func poll(store path: String, dir: String, rows: Int, runs: Int, iterations: Int) throws {
    guard let m = Manifest.read(dir) else { throw BenchError("no manifest in \(dir)") }
    let request = startRequest(size: Size(width: 200, height: 60))
    let poller = StorePoller(path: path, rules: BenchRules.rules, merchantId: nil)
    let now0 = Instant(Date())
    let (first, firstSecs) = timed { poller.poll(request: request, now: now0, force: false) }
    guard let first else { throw BenchError("first poll failed: \(poller.status)") }
    log("  first poll (open + snapshot): \(fmt(firstSecs * 1000)) ms, \(first.transactionTotal) transactions")
    // No change: the same request, the store untouched.
    var idle: [Double] = []
    for _ in 0..<5 {
        let (_, secs) = timed {
            for _ in 0..<iterations { if poller.poll(request: request, now: now0, force: false) != nil { fatalError("a no-change poll read a snapshot") } }
        }
        idle.append(secs / Double(iterations))
    }
    // Commit to snapshot.
    let writer = try PayoutStore.openForWriting(path: path)
    let scratch = NSTemporaryDirectory() + "payoutmon-bench-poll-\(getpid())"
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    var commit: [Double] = [], write: [Double] = []
    var total = first.transactionTotal
    for run in 0..<runs {
        let last = try lastTradeDay(writer)
        let c = try writeContinuation(layout: m.layout, after: last, rows: rows, dir: scratch, tag: "p\(run)")
        let (_, w) = try timed { _ = try writer.importFile(atPath: c.txns, options: importOptions(rules: true, now: c.now)) }
        let (snap, secs) = timed { poller.poll(request: request, now: now0, force: false) }
        guard let snap else { throw BenchError("the poll after a commit read no snapshot: \(poller.status)") }
        guard snap.transactionTotal == total + rows else { throw BenchError("snapshot has \(snap.transactionTotal) transactions, expected \(total + rows)") }
        total = snap.transactionTotal
        commit.append(secs)
        write.append(w)
        log("  run \(run + 1): import \(fmt(w * 1000)) ms, commit -> snapshot \(fmt(secs * 1000)) ms")
    }
    print("{\"command\":\"poll\",\"store\":\"\(path)\",\"store_rows\":\(m.rows),\"first_poll_ms\":\(fmt(firstSecs * 1000)),\"no_change_poll_ms\":\(Stats(samples: idle).json(scale: 1000)),\"commit_to_snapshot_ms\":\(Stats(samples: commit).json(scale: 1000)),\"writer_import_ms\":\(Stats(samples: write).json(scale: 1000)),\"rows\":\(rows)}")
}

// MARK: - first frame (in process) and render

/// From nothing open to the first complete 200x60 frame, in this process: open the
/// store read-only, read the first snapshot, reduce, render. (The whole-process figure
/// through the real binary and ncurses is in scripts/bench.sh.)
func firstFrame(store path: String, runs: Int) throws {
    let size = Size(width: 200, height: 60)
    var open: [Double] = [], total: [Double] = []
    var rendered: [Double] = []
    for _ in 0..<runs {
        let t0 = monotonicNanos()
        let poller = StorePoller(path: path, rules: BenchRules.rules, merchantId: nil)
        var state = MonitorState(now: Instant(Date()), timeZone: BenchRules.zone, size: size)
        _ = reduce(&state, .resize(size))
        guard let snap = poller.poll(request: state.request, now: state.now, force: true) else {
            throw BenchError("no snapshot: \(poller.status)")
        }
        let t1 = monotonicNanos()
        _ = reduce(&state, .snapshot(snap))
        _ = reduce(&state, .sync(poller.status))
        let grid = render(state, size: size)
        let t2 = monotonicNanos()
        precondition(grid.width == 200)
        open.append(Double(t1 - t0) / 1e9)
        rendered.append(Double(t2 - t1) / 1e9)
        total.append(Double(t2 - t0) / 1e9)
    }
    // Where the snapshot's time goes: each query of SnapshotReader on its own, in one
    // read transaction on a store opened once (warm statement and page caches).
    let store = try PayoutStore.openReadOnly(path: path)
    let request = startRequest(size: size)
    var parts: [String: [Double]] = [:]
    let now = Instant(Date())
    for _ in 0..<runs {
        try store.read(rules: BenchRules.rules) { r in
            func part(_ name: String, _ body: () throws -> Void) rethrows {
                let t0 = monotonicNanos()
                try body()
                parts[name, default: []].append(Double(monotonicNanos() - t0) / 1e9)
            }
            try part("accounts") { _ = try r.accounts(now: now) }
            try part("transactions") {
                _ = try r.transactions(filter: nil, problemsOnly: false, now: now, offset: 0, limit: request.transactionLimit)
            }
            try part("payouts") { _ = try r.payouts(problemsOnly: false, now: now, offset: 0, limit: request.payoutLimit) }
            try part("summary") { _ = try r.summary(now: now) }
            try part("nextLateBoundary") { _ = try r.nextLateBoundary(after: now) }
        }
    }
    let partsJSON = parts.keys.sorted().map { "\"\($0)\":\(Stats(samples: parts[$0]!).json(scale: 1000))" }.joined(separator: ",")
    print("{\"command\":\"frame\",\"store\":\"\(path)\",\"open_and_snapshot_ms\":\(Stats(samples: open).json(scale: 1000)),\"reduce_and_render_ms\":\(Stats(samples: rendered).json(scale: 1000)),\"first_frame_ms\":\(Stats(samples: total).json(scale: 1000)),\"snapshot_parts_ms\":{\(partsJSON)},\"peak_rss\":\(peakRSSBytes())}")
}

/// Frames of the overview at 200x60 as the selection moves: render plus the diff a
/// backend flushes, per frame.
func renderBench(store path: String, frames: Int, runs: Int) throws {
    let size = Size(width: 200, height: 60)
    let poller = StorePoller(path: path, rules: BenchRules.rules, merchantId: nil)
    var state = MonitorState(now: Instant(Date()), timeZone: BenchRules.zone, size: size)
    _ = reduce(&state, .resize(size))
    guard let snap = poller.poll(request: state.request, now: state.now, force: true) else { throw BenchError("no snapshot") }
    _ = reduce(&state, .snapshot(snap))
    _ = reduce(&state, .sync(poller.status))
    _ = RenderBenchmark.run(frames: 50, state: state, size: size)   // warm-up
    var per: [Double] = []
    var runsSent = 0
    for _ in 0..<runs {
        let (r, secs) = timed { RenderBenchmark.run(frames: frames, state: state, size: size) }
        per.append(secs / Double(frames))
        runsSent = r.changedRuns
    }
    print("{\"command\":\"render\",\"store\":\"\(path)\",\"size\":\"200x60\",\"frames\":\(frames),\"changed_runs\":\(runsSent),\"render_diff_ms_per_frame\":\(Stats(samples: per).json(scale: 1000))}")
}

// MARK: - import one file

/// Imports one report file into a fresh store and reports rows/s and peak memory.
func importFile(file: String, store path: String, rules: Bool) throws {
    for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    let store = try PayoutStore.openForWriting(path: path)
    let now = Instant(Date())
    let (s, secs) = try timed { try store.importFile(atPath: file, options: importOptions(rules: rules, now: now, merchant: benchMerchant)) }
    let inserted = s.counts.values.reduce(0) { $0 + $1.inserted }
    let parts = rssParts()
    print("{\"command\":\"import-file\",\"file\":\"\(file)\",\"format\":\"\(s.format.rawValue)\",\"rules\":\(rules),\"rows\":\(s.rows),\"inserted\":\(inserted),\"seconds\":\(fmt(secs)),\"rows_per_s\":\(fmt((Double(s.rows) / secs).rounded())),\"peak_rss\":\(peakRSSBytes()),\"rss_anon_after\":\(parts.anon),\"rss_file_after\":\(parts.file)}")
}
