import ArgumentParser
import Foundation
import PayoutCore
import PayoutFormats
import PayoutStore

/// `payoutmon import FILE...`: reads report files into the store.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import acquirer report files into the store.",
        discussion: """
            Each file is imported in one database transaction: all of its rows land, or none do. \
            A file imported before (same sha256) is skipped, and rows already in the store \
            (same natural key, same values) are counted as duplicates. A row that changes a \
            stored record (same natural key, another amount, state or date) is a revision: the \
            file is refused, naming the earlier file and line, unless --accept-revisions is given. \
            Each file's summary says where every row went (stored, duplicate, rejected, skipped \
            with the reason). Exit status: 0 when every file was imported (or was imported before), \
            1 when rows were rejected under --skip-bad, 2 when a file was refused.

            Formats: canonical (payoutmon's own CSV), cn-settlement (Chinese acquirer exports, \
            read through a mapping profile), wechat-bill (WeChat Pay trade bills), \
            alipay-statement (Alipay account statements, 账务明细), adyen-sdr (Adyen settlement \
            details) and stripe-payout-recon (Stripe itemized payout reconciliation); --format auto picks \
            one by the header. Files may be UTF-8 (with or without BOM) or GB18030/GBK.

            With --skip-bad, good rows are imported and bad ones written with their reasons \
            to FILE.rejects.csv beside the file, and the exit status is 1 when any were. See \
            docs/report-formats.md and docs/cli.md.
            """
    )

    @Argument(help: "Report files (CSV).", completion: .file())
    var files: [String]

    @OptionGroup var store: StoreOptions
    @OptionGroup var configOptions: ConfigOptions

    @Option(help: "Report format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ReportFormat = .auto

    @Option(help: ArgumentHelp("A cn-settlement mapping profile by name (built in: \(FormatProfiles.builtin.map(\.name).joined(separator: ", "))), or the path of a profile file. Profiles are also read from config/formats/ here, the formats/ folder beside the config file and $XDG_CONFIG_HOME/payoutmon/formats/.", valueName: "name"))
    var profile: String?

    @Flag(help: "Import the good rows of a file and write the bad ones, with reasons, to FILE.rejects.csv beside it, instead of refusing the file.")
    var skipBad = false

    @Flag(help: "Store a row that changes a stored record (same natural key, another amount, state or date) as the record's new version, keeping the old values as its revision history, instead of refusing the file.")
    var acceptRevisions = false

    @Flag(help: "Print one JSON document with each file's accounting (schema payoutmon.import/1, see docs/cli.md) instead of the text summary.")
    var json = false

    @Flag(help: "Print no progress line on standard error (it shows when a file or a recompute takes more than a second).")
    var quiet = false

    @Option(name: .customLong("merchant"), help: ArgumentHelp("The merchant id (MID) for files that do not name one, such as Stripe reports (default: the config's merchant.id).", valueName: "id"))
    var merchantId: String?

    /// The profile folders, in the order they override the built-in ones.
    static func profileDirectories(config: AppConfig) -> [String] {
        var dirs: [String] = []
        if let source = config.source { dirs.append(((source as NSString).deletingLastPathComponent as NSString).appendingPathComponent("formats")) }
        dirs.append(Paths.configHome + "/payoutmon/formats")
        dirs.append(FileManager.default.currentDirectoryPath + "/config/formats")
        var seen = Set<String>()
        return dirs.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }

    func run() throws {
        let config = try configOptions.load()
        var profiles = try FormatProfiles.load(directories: Self.profileDirectories(config: config))
        var profileName = profile
        if let p = profile, p.hasSuffix(".toml") || p.contains("/") {
            let loaded = try FormatProfiles.loadFile(p)
            profiles.removeAll { $0.name == loaded.name }
            profiles.append(loaded)
            profileName = loaded.name
        }
        if let name = profileName, !profiles.contains(where: { $0.name == name }) {
            throw ValidationError("no format profile named \"\(name)\" (known: \(profiles.map(\.name).joined(separator: ", ")))")
        }
        if profileName != nil && format != .auto && format != .cnSettlement {
            throw ValidationError("--profile applies to cn-settlement files, not \(format.rawValue)")
        }
        if let mid = merchantId, let problem = IdentifierKind.merchantId.problem(with: mid) {
            throw ValidationError("--merchant \"\(mid)\" \(problem)")
        }
        let db = try store.openForWriting(config: config, quiet: quiet)
        var failed = 0
        var rejected = 0
        var reports: [ImportJSON.File] = []
        for file in files {
            let meter = StepProgress(quiet: quiet)
            let options = ImportOptions(format: format, timeZone: config.timeZone, rules: config.rules, progress: { p in
                meter.update(importing: file, p)
            }, progressEvery: 1_000, profile: profileName, profiles: profiles, skipBad: skipBad,
               merchantId: merchantId ?? config.merchantId, acceptRevisions: acceptRevisions)
            do {
                let summary = try db.importFile(atPath: file, options: options)
                meter.finish()
                if json { reports.append(ImportJSON.File(summary)) } else { Output.out(Output.describe(summary)) }
                Self.report(summary)
                rejected += summary.account.rejected
            } catch {
                meter.finish()
                // An ImportError shows its own text safely, a line per revision of a refused file.
                let message = (error as? ImportError)?.description ?? SafeText.visible("\(error)")
                Output.err("payoutmon: error: " + message)
                if json { reports.append(ImportJSON.File(failed: file, error: message)) }
                failed += 1
            }
        }
        // A store this run created for files that were all refused is removed again:
        // a failed import leaves nothing behind.
        let kept = !db.removeIfUnused()
        if !kept { Output.err("nothing was imported; \(db.path) was not kept") }
        if json {
            Output.out(Output.encodeJSON(ImportJSON(store: db.path, storeKept: kept, files: reports), pretty: true))
        }
        if failed > 0 {
            if files.count > 1 { Output.err("\(failed) of \(files.count) files failed; the others were imported") }
            Output.err("fix the file (each error names its line) and import it again, or import its good rows with --skip-bad")
            throw ExitCode.couldNotDo
        }
        if rejected > 0 { throw ExitCode.needsAttention }
    }

    /// Warnings and rejected rows, on standard error.
    static func report(_ s: ImportSummary) {
        for w in s.warnings { Output.err("warning: \(w)") }
        if s.warningCount > s.warnings.count {
            Output.err("warning: \(s.path): \(Output.grouped(s.warningCount - s.warnings.count)) more warnings not shown")
        }
        guard !s.rejected.isEmpty else { return }
        for e in s.rejected.prefix(20) { Output.err("rejected: \(e)") }
        if s.rejected.count > 20 { Output.err("rejected: … and \(Output.grouped(s.rejected.count - 20)) more") }
        let count = s.rejected.count == 1 ? "1 row" : "\(Output.grouped(s.rejected.count)) rows"
        if let out = s.rejectsPath {
            Output.err("\(s.path): \(count) rejected, written with their reasons to \(out)")
        } else {
            Output.err("\(s.path): \(count) rejected")
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}

/// `import --json`: where every row of every file went (docs/cli.md).
struct ImportJSON: Encodable {
    struct Records: Encodable {
        let new: Int, updated: Int, revised: Int, duplicate: Int
    }
    struct Rejected: Encodable {
        let line: Int, column: String?, reason: String
    }
    struct File: Encodable {
        let path: String
        /// "imported", "already-imported" or "failed".
        let outcome: String
        let format: String?, kind: String?, profile: String?, encoding: String?, sha256: String?
        let read: Int, stored: Int, duplicate: Int, rejected: Int, skipped: Int
        /// Skipped rows by reason.
        let skippedReasons: [String: Int]
        /// Records per table.
        let records: [String: Records]
        /// The rows rejected under --skip-bad (at most the first 200), with line and reason.
        let rejectedRows: [Rejected]
        let rejectsFile: String?
        let warnings: Int
        /// Why the file was refused (outcome "failed").
        let error: String?
        /// For a bank statement file: its statements and how they were stored; null otherwise.
        var bankStatements: Bank? = nil

        init(_ s: ImportSummary) {
            path = s.path
            outcome = s.alreadyImported ? "already-imported" : "imported"
            format = s.format.rawValue; kind = s.kind; profile = s.profile; encoding = s.encoding.rawValue; sha256 = s.sha256
            let a = s.account
            read = s.alreadyImported ? 0 : s.rows
            stored = a.stored; duplicate = a.duplicates; rejected = a.rejected; skipped = a.skippedTotal
            skippedReasons = a.skipped
            records = s.counts.mapValues { Records(new: $0.inserted, updated: $0.updated, revised: $0.revised, duplicate: $0.duplicates) }
            rejectedRows = s.rejected.prefix(200).map { Rejected(line: $0.line, column: $0.column, reason: $0.reason) }
            rejectsFile = s.rejectsPath
            warnings = s.warningCount
            error = nil
            bankStatements = s.bank.map { b in
                Bank(formats: b.formats, statements: b.statements, duplicateStatements: b.duplicateStatements, entries: b.entries,
                     unassigned: b.unassigned, incomplete: b.incomplete, gaps: b.gaps)
            }
        }

        init(failed path: String, error: String) {
            self.path = path
            outcome = "failed"
            format = nil; kind = nil; profile = nil; encoding = nil; sha256 = nil
            read = 0; stored = 0; duplicate = 0; rejected = 0; skipped = 0
            skippedReasons = [:]; records = [:]; rejectedRows = []; rejectsFile = nil; warnings = 0
            self.error = error
        }

        enum CodingKeys: String, CodingKey {
            case path, outcome, format, kind, profile, encoding, sha256, read, stored, duplicate, rejected, skipped
            case skippedReasons, records, rejectedRows, rejectsFile, warnings, error, bankStatements
        }

        /// Every key is present (null when it does not apply), so scripts can read them alike.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path); try c.encode(outcome, forKey: .outcome)
            try c.encode(format, forKey: .format); try c.encode(kind, forKey: .kind)
            try c.encode(profile, forKey: .profile); try c.encode(encoding, forKey: .encoding)
            try c.encode(sha256, forKey: .sha256); try c.encode(read, forKey: .read)
            try c.encode(stored, forKey: .stored); try c.encode(duplicate, forKey: .duplicate)
            try c.encode(rejected, forKey: .rejected); try c.encode(skipped, forKey: .skipped)
            try c.encode(skippedReasons, forKey: .skippedReasons); try c.encode(records, forKey: .records)
            try c.encode(rejectedRows, forKey: .rejectedRows); try c.encode(rejectsFile, forKey: .rejectsFile)
            try c.encode(warnings, forKey: .warnings); try c.encode(error, forKey: .error)
            try c.encode(bankStatements, forKey: .bankStatements)
        }
    }
    /// What a bank statement file held (docs/cli.md).
    struct Bank: Encodable {
        let formats: [String]
        let statements: Int, duplicateStatements: Int, entries: Int, unassigned: Int, incomplete: Int, gaps: Int
    }
    var schema = "payoutmon.import/1"
    let store: String
    /// False when nothing was imported into a store this run created, so it was removed.
    let storeKept: Bool
    let files: [File]
}
