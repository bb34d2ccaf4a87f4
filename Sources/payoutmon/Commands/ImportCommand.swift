import ArgumentParser
import Foundation
import PayoutCore
import PayoutStore

/// `payoutmon import FILE...`: reads report files into the store.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import acquirer report files into the store.",
        discussion: """
            Each file is imported in one database transaction: all of its rows land, or none do.
            A file imported before (same sha256) is skipped, and rows already in the store
            (same natural key) are counted as duplicates. Exit status is non-zero if any file fails.
            """
    )

    @Argument(help: "Report files (CSV).", completion: .file())
    var files: [String]

    @OptionGroup var store: StoreOptions
    @OptionGroup var configOptions: ConfigOptions

    @Option(help: "Report format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ReportFormat = .auto

    func run() throws {
        let config = try configOptions.load()
        let db = try store.openForWriting(config: config)
        var failed = 0
        let progressToTTY = isatty(STDERR_FILENO) == 1
        for file in files {
            let label = file
            let options = ImportOptions(format: format, timeZone: config.timeZone, progress: { rows in
                let text = "importing \(label): \(Output.grouped(rows)) rows"
                if progressToTTY { Output.err("\r" + text, newline: false) } else { Output.err(text) }
            })
            do {
                let summary = try db.importFile(atPath: file, options: options)
                if progressToTTY && summary.rows >= options.progressEvery { Output.err("") }
                Output.out(Output.describe(summary))
            } catch {
                if progressToTTY { Output.err("") }
                Output.err("error: \(error)")
                failed += 1
            }
        }
        if failed > 0 {
            if files.count > 1 { Output.err("\(failed) of \(files.count) files failed; the others were imported") }
            throw ExitCode(1)
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
