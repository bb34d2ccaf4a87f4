import ArgumentParser
import Foundation
import PayoutCore
import PayoutDemo
import PayoutStore

/// The `payoutmon` command: the monitor by default, and its subcommands.
@main
struct Payoutmon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payoutmon",
        abstract: "Watch card payouts: where the money is, when it arrives, why it is late or short.",
        discussion: """
            With no subcommand, opens the monitor on the store (--db, $PAYOUTMON_DB, or
            $XDG_DATA_HOME/payoutmon/payouts.sqlite). `payoutmon --demo` opens it on a fresh demo store.
            """,
        version: "0.1.0",
        subcommands: [MonitorCommand.self, ImportCommand.self, DemoCommand.self, StatusCommand.self, EtaCommand.self, NoteCommand.self, SimulateCommand.self, WatchCommand.self],
        defaultSubcommand: MonitorCommand.self
    )
}

/// `payoutmon [monitor]`: the live terminal monitor.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Open the live monitor (the default command)."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var configOptions: ConfigOptions

    @Flag(help: "Open the monitor on a fresh demo store, with a simulated acquirer feed.")
    var demo = false

    @Option(help: ArgumentHelp("Language: en, zh-Hans, or auto (from $LANG).", valueName: "lang"))
    var lang: String?

    func validate() throws {
        if let lang, !["en", "zh", "zh-Hans", "auto"].contains(lang) {
            throw ValidationError("--lang must be en, zh-Hans or auto")
        }
    }

    func run() throws {
        let config = try configOptions.load()
        guard demo else {
            try MonitorLauncher.run(storePath: store.resolved(config: config), config: config, language: lang)
            return
        }
        let path = try DemoCommand.freshDemoStore(config: config)
        // A simulated acquirer keeps writing to the demo store, so the screen changes live.
        let feed = try FeedSimulator.startBackground(storePath: path, rules: config.rules, rate: 2, stories: true)
        defer { feed.stop() }
        try MonitorLauncher.run(storePath: path, config: config, language: lang)
    }
}
