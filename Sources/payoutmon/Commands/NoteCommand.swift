import ArgumentParser
import Foundation
import PayoutCore
import PayoutStore

/// `payoutmon note`: writes the dispute note for a transaction or payout.
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Write the dispute note for a transaction (--rrn) or a payout (--payout) and print its path.",
        discussion: """
            The note holds every identifier the acquirer needs, the expected settlement and why, what
            happened, the difference, the diagnosis with its evidence, what has been ruled out, the
            request, and the source reports with their sha256. For an explained case it says no dispute
            is needed. Notes go to $XDG_DATA_HOME/payoutmon/notes/ unless --out is given; an existing
            file is never overwritten (a numbered name is used instead). Files are mode 0600.
            """
    )

    @Option(help: "The transaction's RRN (参考号).")
    var rrn: String?

    @Option(help: "The payout's reference.")
    var payout: String?

    @Option(help: "The merchant (MID), when the RRN or ref is not unique.")
    var mid: String?

    @Option(help: ArgumentHelp("The terminal (TID), when several transactions share the RRN.", valueName: "tid"))
    var tid: String?

    @Option(help: ArgumentHelp("The day of the transaction (YYYY-MM-DD, local time), when several share the RRN.", valueName: "date"))
    var date: String?

    @Option(help: "Language: zh (Chinese) or en.")
    var lang = "zh"

    @Option(help: "Format: md (Markdown) or txt (plain text).")
    var format = "md"

    @Option(help: ArgumentHelp("Write here instead: a new file in a folder that exists, or a folder (or a path ending in /) to put the note in under its own name.", valueName: "path"))
    var out: String?

    @OptionGroup var store: StoreOptions
    @OptionGroup var configOptions: ConfigOptions

    func validate() throws {
        if (rrn == nil) == (payout == nil) { throw ValidationError("give exactly one of --rrn and --payout") }
        if !["zh", "zh-Hans", "en"].contains(lang) { throw ValidationError("--lang must be zh or en") }
        if !["md", "txt"].contains(format) { throw ValidationError("--format must be md or txt") }
        if rrn == nil && (tid != nil || date != nil) { throw ValidationError("--tid and --date go with --rrn") }
        if let date, LocalDate(iso: date) == nil { throw ValidationError("--date \"\(date)\" is not a date like 2026-11-23") }
    }

    func run() throws {
        do {
            try write()
        } catch let e as NoteError {
            // The note could not be made or written as asked: the request needs changing.
            Output.err("error: \(e)")
            throw ExitCode(2)
        }
    }

    private func write() throws {
        let config = try configOptions.load()
        let db = try store.openReadOnly(config: config)
        let target: NoteTarget = rrn.map { .rrn($0, merchantId: mid, terminalId: tid, date: date.flatMap(LocalDate.init(iso:))) }
            ?? .payout(ref: payout!, merchantId: mid)
        let language = Language.resolve(lang, environment: [:])
        let note = try Notes.compose(store: db, rules: config.rules, target: target, now: Instant(Date()),
                                     language: language, format: format == "txt" ? .plain : .markdown)
        var folder = Paths.notesFolder
        var name = note.suggestedFileName
        if let out { (folder, name) = try Notes.destination(out: out, suggestedName: name) }
        // Only the default notes folder is created; a folder --out names must exist.
        let path = try Notes.write(note.text, folder: folder, name: name, createFolder: out == nil)
        Output.out(path)
        if !note.isDispute {
            Output.err(language == .en ? "note: this case is explained by the reports; the note says no dispute is needed"
                                    : "说明：报表已能解释此情况，说明中写明无需申诉")
        }
    }
}
