import ArgumentParser
import Foundation
import PayoutCore
import PayoutDemo
import PayoutStore

/// `payoutmon demo --db PATH`: writes the demo store.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write a demo store: a restaurant chain's reports with every story payoutmon explains.",
        discussion: "Dates are relative to now. The stories and their RRNs and payout refs are listed in the README."
    )

    @Option(name: .customLong("db"), help: ArgumentHelp("Where to write the demo store.", valueName: "path"))
    var path: String

    @Flag(help: "Replace the file if it exists.")
    var force = false

    @Flag(help: "Print no progress line on standard error.")
    var quiet = false

    @OptionGroup var configOptions: ConfigOptions

    func run() throws {
        let config = try configOptions.load()
        if FileManager.default.fileExists(atPath: path) {
            guard force else {
                throw ValidationError("\(path) exists; choose another path or pass --force to replace it")
            }
            try DemoCommand.removeStore(at: path)
        }
        let steps = StepProgress(quiet: quiet)
        let summaries = try DemoCommand.write(path: path, config: config, now: Instant(Date())) { step, point in
            steps.update(step, unit: step.hasPrefix("importing") ? "rows" : "transactions", point)
        }
        steps.finish()
        let txns = summaries.first { $0.kind == "transactions" }?.rows ?? 0
        Output.out("wrote the demo store \(path): \(Output.grouped(txns)) transactions, \(DemoData.stories.count) stories")
        Output.out("open it with: payoutmon --db \(path)")
    }

    static func write(path: String, config: AppConfig, now: Instant,
                      progress: (@Sendable (String, ProgressMeter.Point) -> Void)? = nil) throws -> [ImportSummary] {
        let store = try PayoutStore.openForWriting(path: path)
        let demo = try DemoData(now: now, policy: config.policy, calendar: config.calendar)
        return try demo.write(to: store, rules: config.rules, now: now, progress: progress)
    }

    static func removeStore(at path: String) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    /// A new demo store under $XDG_DATA_HOME/payoutmon/demo.sqlite, replacing the last one.
    static func freshDemoStore(config: AppConfig) throws -> String {
        let path = Paths.demoStore
        try Paths.ensureParent(of: path)
        try removeStore(at: path)
        _ = try write(path: path, config: config, now: Instant(Date()))
        return path
    }
}

