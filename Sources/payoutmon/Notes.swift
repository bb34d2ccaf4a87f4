import Foundation
import PayoutCore
import PayoutStore

/// What a dispute note is about.
enum NoteTarget: Equatable {
    /// A transaction by RRN; the MID, terminal and local trade day pick one when several share it.
    case rrn(String, merchantId: String?, terminalId: String? = nil, date: LocalDate? = nil)
    case transaction(id: Int64)
    case payout(ref: String, merchantId: String?)
}

/// Why a note could not be written.
struct NoteError: Error, CustomStringConvertible {
    let description: String
}

/// Writing dispute notes: gathering the evidence, and the file rules (atomic, never
/// overwriting, mode 0600).
enum Notes {
    /// Builds the note for `target` from one read of the store.
    static func compose(store: PayoutStore, rules: SettlementRules, target: NoteTarget, now: Instant,
                        language: Language, format: DisputeNote.Format) throws -> DisputeNote {
        note(try caseFile(store: store, rules: rules, target: target, now: now), now: now, language: language, format: format)
    }

    /// The note for `target` and the case file it was written from (`note --json` reports
    /// the identifiers the case covers).
    static func composeWithCase(store: PayoutStore, rules: SettlementRules, target: NoteTarget, now: Instant,
                                language: Language, format: DisputeNote.Format) throws -> (note: DisputeNote, caseFile: CaseFile) {
        let c = try caseFile(store: store, rules: rules, target: target, now: now)
        return (note(c, now: now, language: language, format: format), c)
    }

    /// The case file for `target`, from one read of the store.
    static func caseFile(store: PayoutStore, rules: SettlementRules, target: NoteTarget, now: Instant) throws -> CaseFile {
        try store.read(rules: rules) { r in
            switch target {
            case .transaction(let id):
                guard let line = try r.transactionLine(id: id) else { throw NoteError(description: "no transaction with id \(id) in the store") }
                return try r.caseFile(forTransaction: line, now: now)
            case .rrn(let rrn, let mid, let tid, let date):
                let zone = rules.policy.timeZone
                // A card-like RRN was stored masked (see docs/report-formats.md): look it up so too.
                let masked = CardNumber.redact(rrn)
                let stored = try r.transactionLines(rrn: rrn) + (masked == rrn ? [] : try r.transactionLines(rrn: masked))
                let lines = stored.filter {
                    (mid == nil || $0.transaction.merchantId == mid) && (tid == nil || $0.transaction.terminalId == tid)
                        && (date == nil || LocalDateTime($0.transaction.occurredAt, in: zone).date == date)
                }
                guard let line = lines.first else {
                    var only: [String] = []
                    if let mid { only.append("MID \(mid)") }
                    if let tid { only.append("TID \(tid)") }
                    if let date { only.append("date \(date.iso)") }
                    throw NoteError(description: "no transaction with RRN \(masked) in \(store.path)"
                                    + (only.isEmpty ? "" : " for " + only.joined(separator: ", ")))
                }
                if lines.count > 1 { throw ambiguous(rrn: masked, lines, zone: zone) }
                return try r.caseFile(forTransaction: line, now: now)
            case .payout(let ref, let mid):
                let lines = try r.payoutLines(ref: ref).filter { mid == nil || $0.payout.merchantId == mid }
                guard let line = lines.first else {
                    throw NoteError(description: "no payout \(ref) in \(store.path)" + (mid.map { " for MID \($0)" } ?? ""))
                }
                if lines.count > 1 { throw NoteError(description: "payout \(ref) exists for several merchants; add --mid") }
                return try r.caseFile(forPayout: line, now: now)
            }
        }
    }

    /// The note about the account `merchantId`, from one read of the store.
    static func composeAccount(store: PayoutStore, rules: SettlementRules, merchantId: String, now: Instant,
                               language: Language, format: DisputeNote.Format) throws -> AccountNote {
        let caseFile = try store.read(rules: rules) { r in try r.caseFile(forAccount: merchantId, now: now) }
        guard let caseFile else { throw NoteError(description: "no merchant \(merchantId) in \(store.path)") }
        return AccountNote(caseFile: caseFile, now: now, zone: rules.policy.timeZone, language: language, format: format)
    }

    /// Several transactions share the RRN (two feeds or two acquirers numbered alike):
    /// they are listed, and the options that tell them apart named; none is picked.
    static func ambiguous(rrn: String, _ lines: [TxnLine], zone: TimeZone) -> NoteError {
        var text = "RRN \(rrn) is shared by \(lines.count) transactions:"
        for l in lines {
            let t = l.transaction
            let local = LocalDateTime(t.occurredAt, in: zone)
            let s = local.secondOfDay % 60
            text += "\n  MID \(t.merchantId)  TID \(t.terminalId)  \(local.date.iso) \(local.time):\(s < 10 ? "0" : "")\(s)  "
                + "\(t.amount.formatted()) \(t.amount.currency.code)"
        }
        var options = ["--tid", "--date YYYY-MM-DD"]
        if Set(lines.map(\.transaction.merchantId)).count > 1 { options.insert("--mid", at: 0) }
        text += "\nadd " + options.joined(separator: " or ") + " to say which one the note is for"
        return NoteError(description: text)
    }

    private static func note(_ c: CaseFile, now: Instant, language: Language,
                             format: DisputeNote.Format) -> DisputeNote {
        DisputeNote(evidence: c.evidence, diagnosis: c.diagnosis, now: now, language: language, format: format,
                    sources: c.sources, revisions: c.revisions)
    }

    /// Where `note --out PATH` writes: inside PATH when it is a folder (or ends in "/"),
    /// under its suggested name; else the new file PATH, whose folder must exist (it is
    /// never created). Anything already at PATH but a folder or a plain file (a device,
    /// a FIFO, a socket, a symbolic link to a non-folder) is refused; a plain file there
    /// stays as it is, and the note takes a numbered name beside it (`write`).
    static func destination(out: String, suggestedName: String) throws -> (folder: String, name: String) {
        guard !out.isEmpty else { throw NoteError(description: "--out is empty; give a file name or a folder") }
        if out.hasSuffix("/") {
            var folder = out
            while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
            try requireFolder(folder)
            return (folder, suggestedName)
        }
        var st = stat()
        // A folder, or a symbolic link to one: the note goes inside.
        if stat(out, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { return (out, suggestedName) }
        if lstat(out, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
            throw NoteError(description: "\(out) is \(kind(st.st_mode)), not a new file; --out takes a new file name or a folder")
        }
        var folder = (out as NSString).deletingLastPathComponent
        if folder.isEmpty { folder = "." }
        try requireFolder(folder)
        return (folder, (out as NSString).lastPathComponent)
    }

    private static func requireFolder(_ folder: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) else {
            throw NoteError(description: "folder \(folder) does not exist; create it first or give --out a folder that exists")
        }
        if !isDir.boolValue { throw NoteError(description: "\(folder) is not a folder") }
    }

    /// "a FIFO" ... for a file type from `lstat`.
    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "not a plain file"
        }
    }

    /// Writes `text` into `folder` under `name`, or `name-2`, `name-3` ... when taken.
    /// The text goes to a temporary file first and is linked into place, so a note is
    /// either whole or absent, and an existing file is never replaced. Mode 0600.
    /// A missing folder is created (mode 0700) only when `createFolder` is set (the
    /// default notes folder); otherwise it is an error.
    static func write(_ text: String, folder: String, name: String, createFolder: Bool = true) throws -> String {
        var isDir: ObjCBool = false
        if !createFolder {
            try requireFolder(folder)
        } else if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw NoteError(description: "cannot create the notes folder \(folder): \(error.localizedDescription)")
            }
        } else if !isDir.boolValue {
            throw NoteError(description: "\(folder) is not a folder")
        }
        let dir = folder.hasSuffix("/") ? folder : folder + "/"
        let temp = dir + ".note-\(UUID().uuidString).tmp"
        let fd = open(temp, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else {
            throw NoteError(description: "cannot write in \(folder): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        defer { unlink(temp) }
        guard written == bytes.count, synced == 0 else {
            throw NoteError(description: "cannot write \(temp): \(String(cString: strerror(errno)))")
        }
        let ext = (name as NSString).pathExtension
        let stem = (name as NSString).deletingPathExtension
        for n in 1...999 {
            let candidate = dir + (n == 1 ? name : "\(stem)-\(n)" + (ext.isEmpty ? "" : ".\(ext)"))
            // link(2) fails with EEXIST instead of replacing: no note is ever overwritten.
            if link(temp, candidate) == 0 { return candidate }
            if errno != EEXIST {
                throw NoteError(description: "cannot write \(candidate): \(String(cString: strerror(errno)))")
            }
        }
        throw NoteError(description: "too many notes named \(stem) in \(folder)")
    }
}
