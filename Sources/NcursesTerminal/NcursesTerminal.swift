import CNcursesw
import Foundation
import PayoutTUI

/// Why a terminal could not be opened.
public enum TerminalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// stdin or stdout is not a terminal (piped, redirected, or no tty in CI).
    case notATerminal
    /// ncurses could not set up the terminal named by `TERM`.
    case cannotOpen(term: String?)
    /// Another `NcursesTerminal` is open in this process.
    case alreadyOpen

    public var description: String {
        switch self {
        case .notATerminal:
            return "standard input and output must be a terminal"
        case .cannotOpen(let term):
            return "cannot open terminal of type \(term.map { "'\($0)'" } ?? "(TERM unset)")"
        case .alreadyOpen:
            return "a terminal is already open in this process"
        }
    }
}

/// The real terminal, through ncursesw: owns curses mode from `init` until `restore()`.
///
/// Setup: `setlocale(LC_ALL, "")` (falling back to a UTF-8 `LC_CTYPE` when the
/// environment's locale is not UTF-8, so Chinese text draws), `newterm` on
/// stdout/stdin, `set_escdelay(25)` unless `ESCDELAY` is set, `raw`, `noecho`,
/// `nonl`, `keypad`, `curs_set(0)`, and colour (`start_color` + `use_default_colors`)
/// when the terminal has colours and `NO_COLOR` is unset or empty.
///
/// Input mode is `raw`, not `cbreak`: Ctrl-C arrives as `Key.ctrlC` and the monitor
/// quits through its normal path (restoring the terminal and exiting 0) instead of
/// dying of SIGINT mid-frame; flow control (Ctrl-S/Ctrl-Q) is off too. The cost is
/// that Ctrl-Z no longer suspends by itself: map `.ctrl("z")` to `suspend()`.
///
/// The terminal is restored on every exit path: `restore()` (idempotent, also run by
/// `deinit` and `withTerminal`), SIGINT/SIGTERM/SIGHUP (restore, then exit 128+signal),
/// crash signals (restore, then the previous handler runs, so Swift's backtrace lands
/// on a sane screen), and `exit()` (an atexit hook).
///
/// Single-threaded, like ncurses itself: use it from one thread only. Only one can be
/// open at a time.
public final class NcursesTerminal: TerminalBackend {
    /// The theme styles are resolved with: `Theme.monochrome` when colour is off.
    public private(set) var theme: Theme
    /// True when colour was started (terminal has colours and `NO_COLOR` is unset or empty).
    public let colorEnabled: Bool
    /// True when the locale's codeset is UTF-8 (wide characters draw as themselves;
    /// otherwise they show as "?").
    public let localeIsUTF8: Bool

    private var previous: Grid?
    private var needsFullRedraw = true
    /// Set after a resize or suspend: the real screen may not match ncurses' copy.
    private var needsClear = false
    private var restored = false
    private var pairs: [PairKey: Int16] = [:]
    private var nextPair: Int32 = 1
    private let maxPairs: Int32
    private let defaultColorsWork: Bool
    private let terminalColors: Int32

    private struct PairKey: Hashable {
        let foreground: Int
        let background: Int
    }

    /// Enters curses mode on the controlling terminal.
    ///
    /// - Parameters:
    ///   - environment: where `NO_COLOR`, `ESCDELAY` and `TERM` are looked up.
    ///   - theme: the colour theme to use when colour is on.
    /// - Throws: `TerminalError` when stdin/stdout is not a terminal, the terminal
    ///   type is unknown, or another `NcursesTerminal` is open.
    ///   - mouse: report clicks and the wheel as `.mouse` keys (config `monitor.mouse`).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, theme: Theme = .standard,
                mouse: Bool = true) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        guard OpenTerminal.claim() else { throw TerminalError.alreadyOpen }

        pm_set_locale_from_env()
        localeIsUTF8 = pm_locale_is_utf8() != 0 || pm_try_utf8_ctype() != 0

        // Handlers first: ncurses then leaves SIGINT/SIGTERM to us (it only installs
        // its own over the default action) and still handles SIGWINCH and SIGTSTP.
        SignalRestore.install()
        guard pm_newterm() != nil else {
            SignalRestore.remove()
            OpenTerminal.release()
            throw TerminalError.cannotOpen(term: environment["TERM"])
        }

        if environment["ESCDELAY"] == nil { set_escdelay(25) }
        raw()
        noecho()
        nonl()
        keypad(pm_stdscr(), true)
        Self.defineHomeEnd()
        if mouse { pm_enable_mouse() }
        leaveok(pm_stdscr(), true)
        curs_set(0)

        var colorOn = false
        var defaultsWork = false
        if has_colors() && !Theme.noColorRequested(in: environment) {
            colorOn = start_color() == pm_ok()
            if colorOn { defaultsWork = use_default_colors() == pm_ok() }
        }
        colorEnabled = colorOn
        defaultColorsWork = defaultsWork
        terminalColors = colorOn ? pm_colors() : 0
        maxPairs = colorOn ? min(pm_color_pairs(), Int32(Int16.max)) : 0
        self.theme = colorOn ? theme : .monochrome
    }

    deinit {
        restore()
    }

    /// The terminal's size in cells (updated after a `.resize` key).
    public var size: Size {
        guard !restored else { return Size(width: 0, height: 0) }
        return Size(width: Int(pm_getmaxx()), height: Int(pm_getmaxy()))
    }

    /// Switches themes; ignored (stays monochrome) when colour is off. Forces a full redraw.
    public func setTheme(_ newTheme: Theme) {
        guard colorEnabled else { return }
        theme = newTheme
        needsFullRedraw = true
    }

    /// Shows `grid`: writes the cells that changed since the last frame (all of them
    /// after a resize, a size change or the first frame), then refreshes.
    ///
    /// Cells outside the terminal are clipped. A character ncurses measures
    /// differently from `DisplayWidth` (or cannot print in this locale) is drawn as "?"
    /// so ncurses' idea of the screen never drifts from the grid.
    public func draw(_ grid: Grid) {
        guard !restored else { return }
        let runs: [Grid.Run]
        if let previous, !needsFullRedraw, previous.size == grid.size {
            runs = grid.diff(from: previous)
        } else {
            werase(pm_stdscr())
            if needsClear { clearok(pm_stdscr(), true) }
            runs = grid.fullRuns()
            needsFullRedraw = false
            needsClear = false
        }
        let columns = Int(pm_getmaxx())
        let rows = Int(pm_getmaxy())
        for run in runs where run.y < rows {
            var x = run.x
            for cell in run.cells {
                defer { x += 1 }
                if cell.isContinuation || x >= columns { continue }
                put(cell, x: x, y: run.y, columns: columns)
            }
        }
        previous = grid
        wrefresh(pm_stdscr())
    }

    /// Waits up to `timeoutMillis` (negative: for ever) for a key.
    ///
    /// Returns nil on timeout and for keys the monitor has no use for (mouse events,
    /// unknown function keys). ESC alone arrives as `.escape` after the escape delay;
    /// Alt+key arrives as `.escape` followed by the key. `.resize` means `size` changed;
    /// the next `draw` repaints everything.
    public func readKey(timeoutMillis: Int) -> Key? {
        guard !restored else { return nil }
        wtimeout(pm_stdscr(), timeoutMillis < 0 ? -1 : Int32(clamping: timeoutMillis))
        var code: UInt32 = 0
        let rc = pm_get_wch(&code)
        if rc == pm_key_code_yes() && Int32(bitPattern: code) == pm_key_mouse() {
            var x: Int32 = 0
            var y: Int32 = 0
            switch pm_get_mouse(&x, &y) {
            case 1: return .mouse(MouseEvent(.click, x: Int(x), y: Int(y)))
            case 2: return .mouse(MouseEvent(.wheelUp, x: Int(x), y: Int(y)))
            case 3: return .mouse(MouseEvent(.wheelDown, x: Int(x), y: Int(y)))
            default: return nil
            }
        }
        if rc == pm_key_code_yes() {
            let key = Self.functionKey(Int32(bitPattern: code))
            if key == .resize {
                needsFullRedraw = true
                needsClear = true
            }
            return key
        }
        if rc == pm_ok() { return Key.fromCharacterCode(code) }
        return nil
    }

    /// Leaves curses mode and gives the terminal back as it was. Safe to call more than once.
    public func restore() {
        guard !restored else { return }
        restored = true
        if !isendwin() { endwin() }
        SignalRestore.remove()
        OpenTerminal.release()
    }

    /// Suspends the process as Ctrl-Z would in a cooked terminal (ncurses restores the
    /// terminal while stopped and repaints on `fg`). Does nothing if the shell has no
    /// job control.
    public func suspend() {
        guard !restored else { return }
        raise(SIGTSTP)
        needsFullRedraw = true
        needsClear = true
    }

    // MARK: - Drawing one cell

    private func put(_ cell: Cell, x: Int, y: Int, columns: Int) {
        let resolved = theme.resolve(cell.style)
        let attributes = attributeBits(resolved.attributes)
        let pair = colorPair(foreground: resolved.foreground, background: resolved.background)
        let width = cell.width
        if x + width > columns {
            // A wide character cut by the right edge.
            writeASCII(" ", x: x, y: y, attributes: attributes, pair: pair)
            return
        }
        let scalars = Array(cell.character.unicodeScalars)
        guard let base = scalars.first else { return }
        let measured = Int(pm_wcwidth(base.value))
        guard localeIsUTF8, measured >= 1, measured <= width else {
            for i in 0..<width { writeASCII("?", x: x + i, y: y, attributes: attributes, pair: pair) }
            return
        }
        // Base plus the combining marks after it, as setcchar wants. Variation
        // selectors and ZWJ are left out (and the cluster ends at the next spacing
        // scalar): terminals disagree about how wide they make "⚠️" or a ZWJ emoji
        // sequence, and wcwidth, ncurses and DisplayWidth all count only the base.
        var wide: [wchar_t] = [wchar_t(bitPattern: base.value)]
        for scalar in scalars.dropFirst() {
            guard wide.count < Int(CCHARW_MAX), pm_wcwidth(scalar.value) == 0 else { break }
            if Self.isPresentationControl(scalar) { continue }
            wide.append(wchar_t(bitPattern: scalar.value))
        }
        wide.append(0)
        var rc = wide.withUnsafeBufferPointer { pm_put_wide(Int32(y), Int32(x), $0.baseAddress, attributes, pair) }
        if rc == pm_err() && wide.count > 2 {
            let bare: [wchar_t] = [wchar_t(bitPattern: base.value), 0]
            rc = bare.withUnsafeBufferPointer { pm_put_wide(Int32(y), Int32(x), $0.baseAddress, attributes, pair) }
        }
        if measured < width {
            // DisplayWidth says wide, wcwidth says narrow: fill the second column so
            // ncurses' screen keeps the same columns as the grid.
            writeASCII(" ", x: x + 1, y: y, attributes: attributes, pair: pair)
        }
    }

    /// Variation selectors and the zero-width joiner.
    private static func isPresentationControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v == 0x200D || (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v)
    }

    private func writeASCII(_ scalar: Unicode.Scalar, x: Int, y: Int, attributes: attr_t, pair: Int16) {
        let chars: [wchar_t] = [wchar_t(bitPattern: scalar.value), 0]
        _ = chars.withUnsafeBufferPointer { pm_put_wide(Int32(y), Int32(x), $0.baseAddress, attributes, pair) }
    }

    private func attributeBits(_ attributes: TextAttributes) -> attr_t {
        var bits = pm_a_normal()
        if attributes.contains(.bold) { bits |= pm_a_bold() }
        if attributes.contains(.reverse) { bits |= pm_a_reverse() }
        if attributes.contains(.underline) { bits |= pm_a_underline() }
        if attributes.contains(.dim) { bits |= pm_a_dim() }
        return bits
    }

    /// The colour pair for a foreground/background, made on first use; 0 (the
    /// terminal's default pair) without colour or when pairs run out.
    private func colorPair(foreground: Int, background: Int) -> Int16 {
        guard colorEnabled else { return 0 }
        let fg = terminalColor(foreground, isForeground: true)
        let bg = terminalColor(background, isForeground: false)
        if fg == -1 && bg == -1 { return 0 }
        let key = PairKey(foreground: Int(fg), background: Int(bg))
        if let pair = pairs[key] { return pair }
        guard nextPair < maxPairs else { return 0 }
        let pair = Int16(nextPair)
        guard init_pair(pair, fg, bg) == pm_ok() else { return 0 }
        nextPair += 1
        pairs[key] = pair
        return pair
    }

    /// A theme colour number the terminal can show: -1 stays default when
    /// `use_default_colors` worked (else white on black); numbers past the
    /// terminal's palette fold into the eight basic colours.
    private func terminalColor(_ color: Int, isForeground: Bool) -> Int16 {
        if color < 0 {
            return defaultColorsWork ? -1 : (isForeground ? 7 : 0)
        }
        if color >= Int(terminalColors) { return Int16(color % 8) }
        return Int16(clamping: color)
    }

    // MARK: - Keys

    /// The sequences xterm, tmux, screen and the Linux console send for Home and End
    /// (terminfo names only one of each for a terminal type).
    static let homeEndSequences: [(sequence: String, key: Key)] = [
        ("\u{1b}[1~", .home), ("\u{1b}[H", .home), ("\u{1b}OH", .home), ("\u{1b}[7~", .home),
        ("\u{1b}[4~", .end), ("\u{1b}[F", .end), ("\u{1b}OF", .end), ("\u{1b}[8~", .end),
    ]

    /// Teaches ncurses every Home and End sequence, so each arrives as KEY_HOME / KEY_END.
    private static func defineHomeEnd() {
        for (sequence, key) in homeEndSequences {
            let code = key == .home ? pm_key_home() : pm_key_end()
            // Only where the terminal description has not already given the sequence a key.
            if key_defined(sequence) <= 0 { define_key(sequence, code) }
        }
    }

    /// The `Key` for an ncurses special-key code, or nil for ones the monitor ignores.
    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case pm_key_up(): return .up
        case pm_key_down(): return .down
        case pm_key_left(): return .left
        case pm_key_right(): return .right
        case pm_key_ppage(): return .pageUp
        case pm_key_npage(): return .pageDown
        case pm_key_home(), pm_key_a1(), pm_key_find(): return .home
        case pm_key_end(), pm_key_c1(), pm_key_select(): return .end
        case pm_key_enter(): return .enter
        case pm_key_btab(): return .backTab
        case pm_key_backspace(): return .backspace
        case pm_key_dc(): return .delete
        case pm_key_ic(): return .insert
        case pm_key_resize(): return .resize
        default:
            let n = code - pm_key_f0()
            if n >= 1 && n <= 63 { return .function(Int(n)) }
            return nil
        }
    }
}

/// Runs `body` with an open terminal and restores the terminal when `body` returns or throws.
public func withTerminal<R>(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    theme: Theme = .standard,
    mouse: Bool = true,
    _ body: (NcursesTerminal) throws -> R
) throws -> R {
    let terminal = try NcursesTerminal(environment: environment, theme: theme, mouse: mouse)
    defer { terminal.restore() }
    return try body(terminal)
}

/// Runs async `body` with an open terminal and restores the terminal when `body`
/// returns or throws. Keep every use of the terminal on the caller's isolation.
public func withTerminal<R>(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    theme: Theme = .standard,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (NcursesTerminal) async throws -> R
) async throws -> R {
    let terminal = try NcursesTerminal(environment: environment, theme: theme)
    defer { terminal.restore() }
    return try await body(terminal)
}

/// The one-terminal-per-process guard.
private enum OpenTerminal {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var isOpen = false

    /// Marks a terminal open; false when one already is.
    static func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if isOpen { return false }
        isOpen = true
        return true
    }

    /// Marks the terminal closed.
    static func release() {
        lock.lock()
        defer { lock.unlock() }
        isOpen = false
    }
}

/// The only Swift code that touches the shim's signal state (see shim.h: its saved
/// actions are per object file, so install and remove must be called from one file).
private enum SignalRestore {
    /// Arms restore-on-signal and restore-at-exit.
    static func install() { pm_install_restore_handlers() }
    /// Disarms them and puts back the previous signal actions.
    static func remove() { pm_remove_restore_handlers() }
}

/// Ctrl-Z from the monitor's run loop: raw mode delivers it as a key, `MonitorApp` calls `suspend()`.
extension NcursesTerminal: SuspendableTerminal {}

/// Ctrl-L: the next frame clears the screen (clearok) and sends every cell.
extension NcursesTerminal: RepaintingTerminal {
    public func repaint() {
        needsFullRedraw = true
        needsClear = true
    }
}
