/// One terminal cell: a character, the columns it takes, and its style.
///
/// A wide character (width 2) lives in its own cell and marks the next cell as a
/// continuation (width 0, a space, same style). Backends draw the lead cell and skip
/// continuations; `Grid` keeps the pair together when either half is overwritten.
public struct Cell: Sendable, Hashable {
    /// The grapheme drawn here (with any combining marks); a space for blanks and continuations.
    public private(set) var character: Character
    /// Columns taken: 1 or 2 for a drawn character, 0 for the continuation of a wide one.
    public private(set) var width: Int
    /// How the cell looks.
    public var style: Style

    /// A cell holding `character`; one that takes no column (a control or a lone
    /// combining mark) is stored as a space.
    public init(_ character: Character = " ", style: Style = .plain) {
        let w = DisplayWidth.of(character)
        if w == 0 {
            self.character = " "
            self.width = 1
        } else {
            self.character = character
            self.width = w
        }
        self.style = style
    }

    /// A cell for `character` whose display width (1 or 2) the caller has measured:
    /// spares `Grid` measuring every character twice.
    init(_ character: Character, measuredWidth: Int, style: Style) {
        self.character = character
        self.width = measuredWidth
        self.style = style
    }

    private init(continuationOf style: Style) {
        self.character = " "
        self.width = 0
        self.style = style
    }

    /// A space in plain style.
    public static let blank = Cell()

    /// A space in `style`.
    public static func blank(_ style: Style) -> Cell { Cell(" ", style: style) }

    /// The right half of a wide character drawn in `style`.
    public static func continuation(style: Style) -> Cell { Cell(continuationOf: style) }

    /// True for the right half of a wide character.
    public var isContinuation: Bool { width == 0 }

    /// True for the left half of a wide character.
    public var isWide: Bool { width == 2 }
}
