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
            The note holds every identifier the acquirer needs, the expected settlement and why, what \
            happened, the difference, the diagnosis with its evidence, what has been ruled out, the \
            request, and the source reports with their sha256. For an explained case it says no dispute \
            is needed. Notes go to $XDG_DATA_HOME/payoutmon/notes/ unless --out is given; an existing \
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

    @Option(help: "Language: zh (Chinese) or en. Default: the config's monitor.language, else $LANG, as the monitor.")
    var lang: String?

    @Option(help: "Format: md (Markdown) or txt (plain text).")
    var format = "md"

    @Option(help: ArgumentHelp("Write here instead: a new file in a folder that exists, or a folder (or a path ending in /) to put the note in under its own name.", valueName: "path"))
    var out: String?

    @OptionGroup var store: StoreOptions
    @OptionGroup var configOptions: ConfigOptions

    func validate() throws {
        if (rrn == nil) == (payout == nil) { throw ValidationError("give exactly one of --rrn and --payout") }
        if let lang, !["zh", "zh-Hans", "en"].contains(lang) { throw ValidationError("--lang must be zh or en") }
        if !["md", "txt"].contains(format) { throw ValidationError("--format must be md or txt") }
        if rrn == nil && (tid != nil || date != nil) { throw ValidationError("--tid and --date go with --rrn") }
        if let date, LocalDate(iso: date) == nil { throw ValidationError("--date \"\(date)\" is not a date like 2026-11-23") }
    }

    @Flag(help: "Print the note's path, subject and identifiers as one JSON object (schema payoutmon.note/1, see docs/cli.md).")
    var json = false

    // Errors go to the root command, which prints them and exits 2 (Payoutmon.main).
    func run() throws {
        let config = try configOptions.load()
        let db = try store.openReadOnly(config: config)
        let target: NoteTarget = rrn.map { .rrn($0, merchantId: mid, terminalId: tid, date: date.flatMap(LocalDate.init(iso:))) }
            ?? .payout(ref: payout!, merchantId: mid)
        // One setting for the monitor and the command line (README, "Language").
        let language = Language.resolve(lang ?? config.language, environment: ProcessInfo.processInfo.environment)
        let (note, caseFile) = try Notes.composeWithCase(store: db, rules: config.rules, target: target, now: Instant(Date()),
                                                         language: language, format: format == "txt" ? .plain : .markdown)
        var folder = Paths.notesFolder
        var name = note.suggestedFileName
        if let out { (folder, name) = try Notes.destination(out: out, suggestedName: name) }
        // Only the default notes folder is created; a folder --out names must exist.
        let path = try Notes.write(note.text, folder: folder, name: name, createFolder: out == nil)
        if json {
            Output.out(Output.encodeJSON(NoteJSON(path: path, note: note, caseFile: caseFile, store: db.path)))
            return
        }
        Output.out(path)
        if !note.isDispute {
            Output.err(language == .en ? "note: this case is explained by the reports; the note says no dispute is needed"
                                    : "说明：报表已能解释此情况，说明中写明无需申诉")
        }
    }
}

/// `note --json`: what the note is about and where it was written (docs/cli.md).
struct NoteJSON: Encodable {
    struct Transaction: Encodable {
        let rrn: String, merchantId: String, terminalId: String, batchNo: String, traceNo: String
        let occurredAt: String, amount: String, currency: String
    }
    struct Payout: Encodable {
        let payoutRef: String, merchantId: String, cycleDate: String, expected: String, currency: String
    }
    var schema = "payoutmon.note/1"
    let path: String
    /// "transaction" or "payout".
    let subject: String
    /// The RRN or the payout reference the note is about.
    let reference: String
    /// The transaction the note covers (nil for a payout's note).
    let transaction: Transaction?
    /// The payouts the note covers: the one asked for, or those carrying the transaction.
    let payouts: [Payout]
    /// The RRNs of the sales those payouts carry.
    let rrns: [String]
    /// True when the note asks the acquirer for something; false when the reports explain the case.
    let dispute: Bool
    let state: String
    let cause: String?
    let language: String
    let format: String
    let store: String

    enum CodingKeys: String, CodingKey {
        case schema, path, subject, reference, transaction, payouts, rrns, dispute, state, cause, language, format, store
    }

    /// Every key is present (null when it does not apply).
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema); try c.encode(path, forKey: .path); try c.encode(subject, forKey: .subject)
        try c.encode(reference, forKey: .reference); try c.encode(transaction, forKey: .transaction)
        try c.encode(payouts, forKey: .payouts); try c.encode(rrns, forKey: .rrns); try c.encode(dispute, forKey: .dispute)
        try c.encode(state, forKey: .state); try c.encode(cause, forKey: .cause); try c.encode(language, forKey: .language)
        try c.encode(format, forKey: .format); try c.encode(store, forKey: .store)
    }

    init(path: String, note: DisputeNote, caseFile c: CaseFile, store: String) {
        self.path = path
        self.store = store
        let d = c.diagnosis
        switch d.subject {
        case .transaction(let rrn): subject = "transaction"; reference = rrn
        case .payout(let ref): subject = "payout"; reference = ref
        }
        transaction = c.evidence.transaction.map {
            Transaction(rrn: $0.rrn, merchantId: $0.merchantId, terminalId: $0.terminalId, batchNo: $0.batchNo,
                        traceNo: $0.traceNo, occurredAt: $0.occurredAt.description, amount: $0.amount.decimalString,
                        currency: $0.amount.currency.code)
        }
        payouts = c.evidence.payouts.map {
            let p = $0.payout
            return Payout(payoutRef: p.ref, merchantId: p.merchantId, cycleDate: p.cycleDate.iso,
                          expected: p.expectedAmount.decimalString, currency: p.expectedAmount.currency.code)
        }
        var seen = Set<String>()
        rrns = ((c.evidence.transaction.map { [$0] } ?? []) + c.evidence.payoutTransactions).map(\.rrn).filter { seen.insert($0).inserted }
        dispute = note.isDispute
        state = d.state.rawValue
        cause = d.primary?.rawValue
        language = note.language == .en ? "en" : "zh"
        format = note.format == .plain ? "txt" : "md"
    }
}
