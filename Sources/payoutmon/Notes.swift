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
        try store.read(rules: rules) { r in
            switch target {
            case .transaction(let id):
                guard let line = try r.transactionLine(id: id) else { throw NoteError(description: "no transaction with id \(id) in the store") }
                return note(try r.caseFile(forTransaction: line, now: now), now: now, language: language, format: format)
            case .rrn(let rrn, let mid, let tid, let date):
                let zone = rules.policy.timeZone
                let lines = try r.transactionLines(rrn: rrn).filter {
                    (mid == nil || $0.transaction.merchantId == mid) && (tid == nil || $0.transaction.terminalId == tid)
                        && (date == nil || LocalDateTime($0.transaction.occurredAt, in: zone).date == date)
                }
                guard let line = lines.first else {
                    var only: [String] = []
                    if let mid { only.append("MID \(mid)") }
                    if let tid { only.append("TID \(tid)") }
                    if let date { only.append("date \(date.iso)") }
                    throw NoteError(description: "no transaction with RRN \(rrn) in \(store.path)"
                                    + (only.isEmpty ? "" : " for " + only.joined(separator: ", ")))
                }
                if lines.count > 1 { throw ambiguous(rrn: rrn, lines, zone: zone) }
                return note(try r.caseFile(forTransaction: line, now: now), now: now, language: language, format: format)
            case .payout(let ref, let mid):
                let lines = try r.payoutLines(ref: ref).filter { mid == nil || $0.payout.merchantId == mid }
                guard let line = lines.first else {
                    throw NoteError(description: "no payout \(ref) in \(store.path)" + (mid.map { " for MID \($0)" } ?? ""))
                }
                if lines.count > 1 { throw NoteError(description: "payout \(ref) exists for several merchants; add --mid") }
                return note(try r.caseFile(forPayout: line, now: now), now: now, language: language, format: format)
            }
        }
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
                    sources: c.sources)
    }

    /// Writes `text` into `folder` under `name`, or `name-2`, `name-3` ... when taken.
    /// The text goes to a temporary file first and is linked into place, so a note is
    /// either whole or absent, and an existing file is never replaced. Mode 0600.
    static func write(_ text: String, folder: String, name: String) throws -> String {
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw NoteError(description: "cannot create the notes folder \(folder): \(error.localizedDescription)")
            }
        } else if !isDir.boolValue {
            throw NoteError(description: "\(folder) is not a folder")
        }
        let temp = folder + "/.note-\(UUID().uuidString).tmp"
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
            let candidate = folder + "/" + (n == 1 ? name : "\(stem)-\(n)" + (ext.isEmpty ? "" : ".\(ext)"))
            // link(2) fails with EEXIST instead of replacing: no note is ever overwritten.
            if link(temp, candidate) == 0 { return candidate }
            if errno != EEXIST {
                throw NoteError(description: "cannot write \(candidate): \(String(cString: strerror(errno)))")
            }
        }
        throw NoteError(description: "too many notes named \(stem) in \(folder)")
    }
}
