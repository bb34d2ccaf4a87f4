import Foundation
import PayoutCore

/// payoutmon-bench: data generator and in-process benchmarks of payoutmon.
/// Results are JSON lines on standard output; progress goes to standard error.
/// scripts/bench.sh runs it together with the whole-process figures; BENCHMARKS.md
/// has the numbers and the commands.
let usage = """
    usage: payoutmon-bench COMMAND [options]

      generate     --rows N [--seed S] [--end YYYY-MM-DD] --out DIR [--chunk-rows M]
                   canonical report files (merchants, account_events, and per chunk of
                   about M transactions: transactions, payouts, payout_items, holds)
      format-file  --rows N [--seed S] [--end YYYY-MM-DD] --format F --out FILE
                   one file of N transactions in F: canonical, cn-settlement, adyen-sdr,
                   stripe-payout-recon (the same batches as `generate`)
      build-store  --rows N [--seed S] [--dir DIR] [--store PATH] [--mode import|recompute|raw] [--resume]
                   generates DIR (default .bench-data/rows-N) if needed, imports it into
                   a new store (default DIR/store.sqlite); --resume continues a store
                   whose build was interrupted (files already in it are skipped)
      recompute    --store PATH --dir DIR
                   recomputes every state (after a `--mode raw` build)
      incremental  --store PATH --dir DIR [--rows 1000] [--runs 5]
      poll         --store PATH --dir DIR [--rows 1000] [--runs 5] [--iterations 2000]
      frame        --store PATH [--runs 5]
      render       --store PATH [--frames 2000] [--runs 5]
      import-file  --file F [--store PATH] [--rules]
      bank-match   [--payouts 10000] [--runs 3]

    N may be written 10k, 1M, 10M.
    """

func main() throws {
    let argv = CommandLine.arguments
    guard argv.count >= 2 else { print(usage); exit(2) }
    let a = try Args(argv.dropFirst(2), flags: ["rules", "resume"])
    let seed = UInt64(try a.int("seed", default: 1))
    let end: LocalDate
    if let e = a.string("end") {
        guard let d = LocalDate(iso: e) else { throw BenchError("--end \(e) is not a date") }
        end = d
    } else {
        end = defaultEnd
    }
    func need(_ name: String) throws -> String {
        guard let v = a.string(name) else { throw BenchError("\(argv[1]) needs --\(name)") }
        return v
    }
    switch argv[1] {
    case "generate":
        let rows = try a.int("rows", default: 10_000)
        _ = try generate(rows: rows, seed: seed, end: end, dir: try need("out"), chunkRows: try a.int("chunk-rows", default: 1_000_000))
    case "format-file":
        let rows = try a.int("rows", default: 1_000_000)
        let layout = DataLayout(rows: rows, seed: seed, end: end)
        let out = try need("out")
        let format = try need("format")
        let (n, secs) = try timed { try FormatFile.write(format: format, layout: layout, path: out) }
        print("{\"command\":\"format-file\",\"format\":\"\(format)\",\"transactions\":\(rows),\"rows\":\(n),\"bytes\":\(fileSize(out)),\"seconds\":\(fmt(secs))}")
    case "build-store":
        let rows = try a.int("rows", default: 10_000)
        let dir = a.string("dir", default: ".bench-data/rows-\(rows)")
        let store = a.string("store", default: dir + "/store.sqlite")
        if let m = Manifest.read(dir), m.rows == rows, m.seed == seed, m.end == end {
            log("using the data in \(dir)")
        } else {
            _ = try generate(rows: rows, seed: seed, end: end, dir: dir, chunkRows: try a.int("chunk-rows", default: 1_000_000))
        }
        try buildStore(dir: dir, store: store, mode: a.string("mode", default: "import"), resume: a.flag("resume"))
    case "recompute":
        try recompute(dir: try need("dir"), store: try need("store"))
    case "incremental":
        try incremental(store: try need("store"), dir: try need("dir"), rows: try a.int("rows", default: 1000),
                        runs: try a.int("runs", default: 5))
    case "poll":
        try poll(store: try need("store"), dir: try need("dir"), rows: try a.int("rows", default: 1000),
                 runs: try a.int("runs", default: 5), iterations: try a.int("iterations", default: 2000))
    case "frame":
        try firstFrame(store: try need("store"), runs: try a.int("runs", default: 5))
    case "render":
        try renderBench(store: try need("store"), frames: try a.int("frames", default: 2000), runs: try a.int("runs", default: 5))
    case "import-file":
        let file = try need("file")
        try importFile(file: file, store: a.string("store", default: NSTemporaryDirectory() + "payoutmon-bench-import-\(getpid()).sqlite"),
                       rules: a.flag("rules"))
    case "bank-match":
        try bankMatchBench(payouts: try a.int("payouts", default: 10_000), runs: try a.int("runs", default: 3))
    default:
        print(usage)
        exit(2)
    }
}

do {
    try main()
} catch {
    FileHandle.standardError.write(Data("payoutmon-bench: \(error)\n".utf8))
    exit(1)
}
