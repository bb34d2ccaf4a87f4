import Foundation
import PayoutCore
import PayoutFormats

/// What the watcher did with one inbox file.
public struct InboxEvent: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// Imported: rows read and the kind or format of the file.
        case imported(rows: Int, kind: String)
        /// The same bytes were imported before (another copy, or a restart after a crash
        /// between the import and the move): nothing changed in the store.
        case alreadyImported
        /// The file is bad; it went to `failed/` with an error file beside it.
        case failed(line: Int, reason: String, errorFile: String)
        /// The store could not take it now (locked, or another store problem): the file
        /// stays in the inbox and is tried again at the next poll.
        case retrying(reason: String)
    }

    /// The file's name in the inbox.
    public let name: String
    /// Where the file is now (in `imported/` or `failed/`); nil when it stayed.
    public let movedTo: String?
    public let outcome: Outcome
}

/// Watches an inbox folder for report files and imports each complete one into the store.
///
/// A file is taken only when it is complete:
/// - its size and modification time have stayed the same for the quiet period
///   (`quietPeriodMillis`, config `inbox.quiet_period_ms`), so a writer that pauses
///   between lines is not cut short;
/// - it ends with a line end (a last line without one is still being written);
/// - it passes its format's own whole-file checks that a truncated file fails (a
///   cn-settlement trailer and its row count, Adyen batches summing to their payout);
/// - when `requireDoneMarker` is set (config `inbox.require_done_marker`), `NAME.done`
///   exists beside it; the marker is removed when the file is moved.
/// Dotfiles, `.done` markers and names ending `.tmp`, `.part` or `.crdownload` are never
/// taken (downloaders rename them when done). A file that stays unchanged but fails a
/// completeness check waits; once it has stayed so for `incompleteTimeoutMillis`
/// (config `inbox.incomplete_timeout_ms`) it goes to `failed/` with the reason.
///
/// Each file is imported in one database transaction (format auto) that commits only if
/// the file is still the one read, and moved to `imported/`, or to `failed/` with
/// `NAME.error.txt` naming the line and reason: all its rows or none, never a success for
/// part of it. Nothing is imported twice: the store skips bytes it has seen (sha256), so
/// a file left behind by a crash between the import and the move is recognised and moved
/// on the next run.
///
/// The poll is driven from outside with the current time, so tests step it without sleeping.
public final class InboxWatcher {
    public let directory: String
    public let store: WritableStore
    public let options: ImportOptions
    /// How long an empty file may stay empty before it is taken (and fails as empty).
    public var emptyGraceMillis: Int64 = 60_000
    /// How long a file's size and modification time must stay the same before it is taken.
    public var quietPeriodMillis: Int64 = InboxWatcher.defaultQuietPeriodMillis
    /// How long an unchanged file that fails a completeness check waits before it fails.
    public var incompleteTimeoutMillis: Int64 = InboxWatcher.defaultIncompleteTimeoutMillis
    /// When true, a file is taken only once `NAME.done` exists beside it.
    public var requireDoneMarker = false

    public static let defaultQuietPeriodMillis: Int64 = 5_000
    public static let defaultIncompleteTimeoutMillis: Int64 = 600_000
    /// The suffix of a writer's "this file is complete" marker.
    public static let doneSuffix = ".done"

    /// Where imported and failed files go.
    public var importedDirectory: String { directory + "/imported" }
    public var failedDirectory: String { directory + "/failed" }

    /// What a file looked like when last seen, since when it has looked so, and why it
    /// is not complete (nil until a completeness check failed on exactly this stamp).
    private struct Seen {
        var stamp: FileStamp
        var since: Instant
        var incomplete: String?
    }
    private var seen: [String: Seen] = [:]
    /// Names seen but not yet taken, after the last poll (for "waiting for ..." lines).
    public private(set) var waiting: [String] = []

    /// Watches `directory` (which must exist), creating `imported/` and `failed/` in it.
    public init(directory: String, store: WritableStore, options: ImportOptions) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw StoreError(.unreadableFile, "the inbox \(directory) is not a folder")
        }
        self.directory = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        self.store = store
        self.options = options
        for dir in [importedDirectory, failedDirectory] where !FileManager.default.fileExists(atPath: dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
        }
    }

    /// True for names the watcher never takes: dotfiles, `.done` markers and the temp names of downloaders.
    public static func isIgnored(_ name: String) -> Bool {
        let lower = name.lowercased()
        return name.hasPrefix(".") || [".tmp", ".part", ".crdownload", doneSuffix].contains { lower.hasSuffix($0) }
    }

    /// Looks at the inbox once: files complete and unchanged for the quiet period are imported and moved.
    public func poll(now: Instant) -> [InboxEvent] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !Self.isIgnored($0) }.sorted()
        var events: [InboxEvent] = []
        var stillWaiting: [String] = []
        var present = Set<String>()
        for name in names {
            let path = directory + "/" + name
            guard let stamp = Self.stamp(path) else { continue }   // a folder, a socket, or gone
            present.insert(name)
            guard var entry = seen[name], entry.stamp == stamp else {
                seen[name] = Seen(stamp: stamp, since: now, incomplete: nil)
                stillWaiting.append(name)
                continue
            }
            let quietFor = now.epochMillis - entry.since.epochMillis
            let grace = stamp.size == 0 ? max(quietPeriodMillis, emptyGraceMillis) : quietPeriodMillis
            guard quietFor >= grace, !requireDoneMarker || FileManager.default.fileExists(atPath: path + Self.doneSuffix) else {
                stillWaiting.append(name)
                continue
            }
            if let reason = entry.incomplete {
                // Checked before at this very stamp: nothing new until it changes or times out.
                if quietFor >= incompleteTimeoutMillis {
                    events.append(giveUp(name, reason: reason, quietFor: quietFor, now: now))
                } else {
                    stillWaiting.append(name)
                }
                continue
            }
            switch take(name, stamp: stamp, now: now) {
            case .done(let event):
                events.append(event)
                if event.movedTo != nil { seen[name] = nil }
            case .changed:
                seen[name] = Self.stamp(path).map { Seen(stamp: $0, since: now, incomplete: nil) }
                stillWaiting.append(name)
            case .incomplete(let reason):
                entry.incomplete = reason
                seen[name] = entry
                if quietFor >= incompleteTimeoutMillis {
                    events.append(giveUp(name, reason: reason, quietFor: quietFor, now: now))
                } else {
                    stillWaiting.append(name)
                }
            }
        }
        for name in seen.keys where !present.contains(name) { seen[name] = nil }
        waiting = stillWaiting
        return events
    }

    /// An incomplete file that stayed so for the timeout goes to `failed/`.
    private func giveUp(_ name: String, reason: String, quietFor: Int64, now: Instant) -> InboxEvent {
        let event = fail(name, line: 0, column: nil,
                         reason: "still incomplete after \(quietFor / 1000) s unchanged: \(reason)", now: now)
        if event.movedTo != nil { seen[name] = nil }
        return event
    }

    /// The stamp of a regular file, or nil.
    static func stamp(_ path: String) -> FileStamp? {
        guard let stamp = FileStamp.of(path), stamp.isRegularFile else { return nil }
        return stamp
    }

    /// What taking one file came to.
    enum Taken {
        /// Imported, failed, or a store problem to retry.
        case done(InboxEvent)
        /// It changed while being read or imported; nothing was imported.
        case changed
        /// It fails a check a truncated file fails; nothing was imported.
        case incomplete(String)
    }

    /// Thrown inside the import's transaction when the file is no longer the one read.
    private struct ChangedWhileImporting: Error {}

    /// Imports one quiet file and moves it, or says why it waits.
    func take(_ name: String, stamp: FileStamp, now: Instant) -> Taken {
        let path = directory + "/" + name
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            return .done(fail(name, line: 0, column: nil, reason: "cannot be read (\(error.localizedDescription))", now: now))
        }
        guard Self.stamp(path) == stamp, Int64(data.count) == stamp.size else { return .changed }
        if let last = data.last, last != UInt8(ascii: "\n"), last != UInt8(ascii: "\r") {
            return .incomplete("the last line has no line end (the file may still be being written)")
        }
        let destination = Self.freeName(for: name, in: importedDirectory)
        do {
            // Commits only if the file is still exactly what was read: all its rows or none.
            let summary = try store.importData(data, name: importedDirectory + "/" + destination, options: options) {
                guard Self.stamp(path) == stamp else { throw ChangedWhileImporting() }
            }
            let outcome: InboxEvent.Outcome = summary.alreadyImported ? .alreadyImported
                : .imported(rows: summary.rows, kind: summary.kind.isEmpty ? summary.format.rawValue : summary.kind)
            return .done(move(name, to: importedDirectory, as: destination, outcome: outcome, now: now))
        } catch is ChangedWhileImporting {
            return .changed
        } catch let e as ImportError {
            if e.incomplete { return .incomplete((e.line > 0 ? "line \(e.line): " : "") + e.reason) }
            return .done(fail(name, line: e.line, column: e.column, reason: e.reasonWithRelated, now: now))
        } catch let e as StoreError {
            switch e.code {
            case .badReport, .unreadableFile:
                return .done(fail(name, line: 0, column: nil, reason: e.message, now: now))
            default:
                return .done(InboxEvent(name: name, movedTo: nil, outcome: .retrying(reason: e.message)))
            }
        } catch {
            return .done(fail(name, line: 0, column: nil, reason: "\(error)", now: now))
        }
    }

    /// Removes the writer's `NAME.done` marker once NAME has left the inbox.
    private func removeMarker(_ name: String) {
        let marker = directory + "/" + name + Self.doneSuffix
        if FileManager.default.fileExists(atPath: marker) { try? FileManager.default.removeItem(atPath: marker) }
    }

    private func move(_ name: String, to dir: String, as destination: String, outcome: InboxEvent.Outcome, now: Instant) -> InboxEvent {
        let target = dir + "/" + destination
        do {
            try FileManager.default.moveItem(atPath: directory + "/" + name, toPath: target)
            removeMarker(name)
            return InboxEvent(name: name, movedTo: target, outcome: outcome)
        } catch {
            // Imported but not moved: the next poll finds it again and sees it is already imported.
            return InboxEvent(name: name, movedTo: nil, outcome: .retrying(reason: "imported, but cannot move it to \(dir): \(error.localizedDescription)"))
        }
    }

    /// Moves a bad file to `failed/` and writes `NAME.error.txt` beside it.
    private func fail(_ name: String, line: Int, column: String?, reason: String, now: Instant) -> InboxEvent {
        let destination = Self.freeName(for: name, in: failedDirectory, alsoFree: ".error.txt")
        let target = failedDirectory + "/" + destination
        let errorFile = target + ".error.txt"
        do {
            try FileManager.default.moveItem(atPath: directory + "/" + name, toPath: target)
        } catch {
            return InboxEvent(name: name, movedTo: nil, outcome: .retrying(reason: "bad file, but cannot move it to failed/: \(error.localizedDescription)"))
        }
        removeMarker(name)
        let text = Self.errorText(name: name, line: line, column: column, reason: reason, at: now, zone: options.timeZone)
        Self.writePrivate(text, to: errorFile)
        return InboxEvent(name: name, movedTo: target, outcome: .failed(line: line, reason: reason, errorFile: errorFile))
    }

    /// The content of `NAME.error.txt`; the name, column and reason come from the inbox
    /// and the report, so they are written as `SafeText` shows them.
    static func errorText(name: String, line: Int, column: String?, reason: String, at now: Instant, zone: TimeZone) -> String {
        let local = LocalDateTime(now, in: zone)
        let s = local.secondOfDay % 60
        var text = "payoutmon could not import \(SafeText.visible(name))\n"
        text += "line: " + (line > 0 ? String(line) : "- (the whole file)") + "\n"
        if let column { text += "column: \(SafeText.visible(column))\n" }
        text += "reason: \(SafeText.visible(reason))\n"
        text += "when: \(local.description):\(s < 10 ? "0" : "")\(s) (\(zone.identifier))\n"
        text += "Nothing from this file was imported. Fix it and put it back in the inbox to try again.\n"
        return text
    }

    /// A name not yet used in `dir`: NAME, else "stem-2.ext", "stem-3.ext" ...
    static func freeName(for name: String, in dir: String, alsoFree suffix: String? = nil) -> String {
        func free(_ n: String) -> Bool {
            !FileManager.default.fileExists(atPath: dir + "/" + n)
                && !(suffix.map { FileManager.default.fileExists(atPath: dir + "/" + n + $0) } ?? false)
        }
        if free(name) { return name }
        let ext = (name as NSString).pathExtension
        let stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
        var n = 2
        while true {
            let candidate = stem + "-\(n)" + (ext.isEmpty ? "" : "." + ext)
            if free(candidate) { return candidate }
            n += 1
        }
    }

    /// Writes a new file with mode 0600.
    static func writePrivate(_ text: String, to path: String) {
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            offset += n
        }
    }
}
