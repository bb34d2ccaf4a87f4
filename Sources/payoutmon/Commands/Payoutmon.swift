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
            With no subcommand, opens the monitor on the store (--db, $PAYOUTMON_DB, or \
            $XDG_DATA_HOME/payoutmon/payouts.sqlite). `payoutmon --demo` opens it on a fresh demo store.

            Exit status, for every command: 0 done and nothing needs attention; 1 done and \
            something needs attention (status findings, rows rejected by import --skip-bad, a \
            file watch --once moved to failed/); 2 could not do it (bad arguments, no store, a \
            bad file). Errors go to standard error as "payoutmon: error: ...". --json output is \
            described in docs/cli.md.
            """,
        version: "0.1.0",
        subcommands: [MonitorCommand.self, ImportCommand.self, DemoCommand.self, StatusCommand.self, EtaCommand.self, NoteCommand.self, SimulateCommand.self, WatchCommand.self, AlertsCommand.self],
        defaultSubcommand: MonitorCommand.self
    )

    /// Every command's exit contract (README, "Exit status and errors"): 0 done and nothing
    /// needs attention, 1 done and something needs attention, 2 could not do it. A command
    /// says "needs attention" by throwing `ExitCode(1)` after printing its findings; every
    /// other error, argument-parser's own included, is printed here once, on standard
    /// error as `payoutmon: error: ...` with what to do next, and exits 2.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            fail(error, inArguments: true, arguments: arguments)
        }
        do {
            try command.run()
        } catch {
            // A ValidationError from run() is a check of the arguments made once the config is read.
            fail(error, inArguments: error is ValidationError, arguments: arguments)
        }
    }

    static func fail(_ error: any Error, inArguments: Bool, arguments: [String]) -> Never {
        if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
        // Help, --version and completion scripts arrive as errors that exit 0 on standard output.
        if exitCode(for: error) == .success { exit(withError: error) }
        Output.err(errorText(message(for: error), inArguments: inArguments, arguments: arguments))
        Foundation.exit(ExitCode.couldNotDo.rawValue)
    }

    /// "payoutmon: error: MESSAGE" and, for a mistake in the arguments, where to read how
    /// to call the command. Text the user or a report gave is shown as `SafeText` shows it.
    static func errorText(_ message: String, inArguments: Bool, arguments: [String]) -> String {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map { SafeText.visible(String($0)) }
        var text = "payoutmon: error: " + lines.joined(separator: "\n")
        guard inArguments else { return text }
        let names = configuration.subcommands.map { $0._commandName }
        let sub = arguments.first { names.contains($0) }
        text += "\n  see `payoutmon \(sub.map { "help " + $0 } ?? "--help")` for the options"
        return text
    }
}

extension ExitCode {
    /// Done, and something needs attention (a finding, rejected rows, a failed inbox file).
    static let needsAttention = ExitCode(1)
    /// The command could not do what was asked: bad arguments, no store, a bad file.
    static let couldNotDo = ExitCode(2)
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
