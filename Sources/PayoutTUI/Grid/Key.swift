/// A click or a wheel turn, at a cell of the screen (0-based).
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case click, wheelUp, wheelDown }
    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind; self.x = x; self.y = y
    }
}

/// A key press (or a resize) as the monitor sees it, independent of the terminal library.
public enum Key: Hashable, Sendable {
    /// A printable character, including Chinese input from an IME and space.
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case insert, delete
    case enter, escape, tab, backTab, backspace
    /// Ctrl-C. Always reported as this case, never as `.ctrl("c")`.
    case ctrlC
    /// Ctrl plus a letter other than those with their own case (C, H, I, J, M, [),
    /// carried lower-case: Ctrl-L is `.ctrl("l")`.
    case ctrl(Character)
    /// The terminal changed size; read the backend's `size` again.
    case resize
    /// Function key F`n` (1-based).
    case function(Int)
    /// A mouse click or wheel turn at a cell.
    case mouse(MouseEvent)

    /// The key for a character code read from the terminal (not a special-key code).
    ///
    /// Maps the control codes a terminal sends: 3 -> `.ctrlC`, 9 -> `.tab`, 10 and 13 ->
    /// `.enter`, 27 -> `.escape`, 8 and 127 -> `.backspace`, other 1-26 -> `.ctrl`.
    /// Returns nil for codes that are neither printable nor mapped (other C0/C1
    /// controls, invalid scalars).
    public static func fromCharacterCode(_ code: UInt32) -> Key? {
        switch code {
        case 3: return .ctrlC
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26:
            guard let scalar = Unicode.Scalar(code + 0x60) else { return nil }
            return .ctrl(Character(scalar))
        case 0..<32, 128..<160:
            return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .char(Character(scalar))
        }
    }

    /// A short name for key hints: "q", "↑", "PgDn", "Tab", "S-Tab", "^L", "F1", "Space".
    public var displayName: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .insert: return "Ins"
        case .delete: return "Del"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Bksp"
        case .ctrlC: return "^C"
        case .ctrl(let c): return "^" + String(c).uppercased()
        case .resize: return "Resize"
        case .function(let n): return "F\(n)"
        case .mouse: return "Mouse"
        }
    }
}
