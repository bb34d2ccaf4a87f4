/// A width x height screen of cells in memory: what a frame looks like before any
/// terminal sees it.
///
/// Rendering is a pure function that fills a `Grid`; tests compare `text`; a backend
/// draws only `diff(from:)` the previous frame. Every writer keeps wide characters
/// whole: a wide character is never split by the edge of the grid or of a `maxWidth`
/// (a space takes its place), and overwriting either half of one blanks the other.
public struct Grid: Sendable, Hashable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// All cells, row by row.
    public private(set) var cells: [Cell]

    /// A grid of `fill` cells; negative sizes are clamped to zero. A wide `fill`
    /// character is replaced by a space.
    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        let base = fill.width == 1 ? fill : Cell.blank(fill.style)
        self.cells = Array(repeating: base, count: self.width * self.height)
    }

    /// A blank grid of `size`.
    public init(size: Size, fill: Cell = .blank) {
        self.init(width: size.width, height: size.height, fill: fill)
    }

    /// The grid's size.
    public var size: Size { Size(width: width, height: height) }

    /// The whole grid as a rectangle at the origin.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at column `x`, row `y`; a plain blank outside the grid.
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, x < width, y >= 0, y < height else { return .blank }
        return cells[y * width + x]
    }

    // MARK: - Writing

    /// Writes `text` from column `x` on row `y`; returns the number of columns written.
    ///
    /// Writing stops at the right edge of the grid or after `maxWidth` columns,
    /// whichever comes first. A wide character that would straddle that limit is not
    /// drawn; a space (in `style`) fills the column instead and is counted. Characters
    /// that take no column (controls, lone combining marks) are skipped. Columns left
    /// of 0 are clipped. A row outside the grid writes nothing and returns 0.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        var limit = width
        if let maxWidth { limit = min(limit, x + max(0, maxWidth)) }
        let start = max(x, 0)
        guard start < limit else { return 0 }
        var column = x
        for character in text {
            let w = DisplayWidth.of(character)
            if w == 0 { continue }
            if column + w > limit {
                // A wide character straddles the limit: pad what is left with spaces.
                for c in max(column, 0)..<limit { place(" ", width: 1, x: c, y: y, style: style) }
                column = limit
                break
            }
            if column >= 0 {
                place(character, width: w, x: column, y: y, style: style)
            } else if column + w > 0 {
                // A wide character straddles the left edge: its visible half becomes a space.
                for c in 0..<(column + w) { place(" ", width: 1, x: c, y: y, style: style) }
            }
            column += w
            if column >= limit { break }
        }
        return max(0, column - start)
    }

    /// Writes one character at column `x`, row `y`; returns the columns written (0 when
    /// it does not fit or takes no column).
    @discardableResult
    public mutating func put(_ character: Character, x: Int, y: Int, style: Style = .plain) -> Int {
        put(String(character), x: x, y: y, style: style, maxWidth: DisplayWidth.of(character))
    }

    /// Sets the style of the cells in `rect` (clipped to the grid), keeping their characters.
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        let area = rect.intersection(bounds)
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                cells[y * width + x].style = style
            }
        }
    }

    /// Fills `rect` (clipped to the grid) with `character` in `style`.
    ///
    /// A wide `character` is laid in pairs of columns; an odd column left at the right
    /// edge gets a space.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let w = DisplayWidth.of(character)
        let fillCharacter: Character = w == 0 ? " " : character
        let fillWidth = max(1, w)
        for y in area.y..<area.maxY {
            var x = area.x
            while x < area.maxX {
                if x + fillWidth <= area.maxX {
                    place(fillCharacter, width: fillWidth, x: x, y: y, style: style)
                    x += fillWidth
                } else {
                    place(" ", width: 1, x: x, y: y, style: style)
                    x += 1
                }
            }
        }
    }

    /// Blanks the whole grid in `style`.
    public mutating func clear(style: Style = .plain) {
        fill(bounds, with: " ", style: style)
    }

    /// Copies `other` onto this grid with its top-left corner at column `x`, row `y`,
    /// clipped to this grid. A wide character cut by either edge becomes a space.
    public mutating func paste(_ other: Grid, x: Int, y: Int) {
        for row in 0..<other.height {
            let ty = y + row
            guard ty >= 0, ty < height else { continue }
            var column = 0
            while column < other.width {
                let cell = other.cells[row * other.width + column]
                let tx = x + column
                if cell.isContinuation {
                    // Orphan continuation (its lead was cut off on the left): a space.
                    if tx >= 0, tx < width { place(" ", width: 1, x: tx, y: ty, style: cell.style) }
                    column += 1
                    continue
                }
                let w = cell.width
                if tx >= 0, tx + w <= width {
                    place(cell.character, width: w, x: tx, y: ty, style: cell.style)
                } else {
                    for c in tx..<(tx + w) where c >= 0 && c < width {
                        place(" ", width: 1, x: c, y: ty, style: cell.style)
                    }
                }
                column += w
            }
        }
    }

    // MARK: - Lines and boxes

    /// Draws a horizontal line of "─" from column `x`, `length` columns long.
    ///
    /// Where the line meets other box-drawing characters they join ("┼", "├", "┬" ...);
    /// an end of the line that lands on a vertical line joins it from one side only.
    public mutating func horizontalLine(x: Int, y: Int, length: Int, style: Style = .plain) {
        guard length > 0 else { return }
        for i in 0..<length {
            var arms: BoxArms = [.left, .right]
            if i == 0 { arms.remove(.left) }
            if i == length - 1 { arms.remove(.right) }
            drawLine(x: x + i, y: y, ownArms: arms, fullArms: [.left, .right], style: style)
        }
    }

    /// Draws a vertical line of "│" from row `y`, `length` rows long; joins like `horizontalLine`.
    public mutating func verticalLine(x: Int, y: Int, length: Int, style: Style = .plain) {
        guard length > 0 else { return }
        for i in 0..<length {
            var arms: BoxArms = [.up, .down]
            if i == 0 { arms.remove(.up) }
            if i == length - 1 { arms.remove(.down) }
            drawLine(x: x, y: y + i, ownArms: arms, fullArms: [.up, .down], style: style)
        }
    }

    /// Draws a box around the edge of `rect` ("┌─┐│└┘"), joining boxes it touches, with
    /// an optional `title` in the top edge (" Title ", truncated with "…" to fit).
    public mutating func box(_ rect: Rect, style: Style = .plain, title: String? = nil, titleStyle: Style? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let left = rect.x
        let right = rect.maxX - 1
        let top = rect.y
        let bottom = rect.maxY - 1
        for x in (left + 1)..<right {
            drawLine(x: x, y: top, ownArms: [.left, .right], fullArms: [.left, .right], style: style)
            drawLine(x: x, y: bottom, ownArms: [.left, .right], fullArms: [.left, .right], style: style)
        }
        for y in (top + 1)..<bottom {
            drawLine(x: left, y: y, ownArms: [.up, .down], fullArms: [.up, .down], style: style)
            drawLine(x: right, y: y, ownArms: [.up, .down], fullArms: [.up, .down], style: style)
        }
        drawLine(x: left, y: top, ownArms: [.down, .right], fullArms: [.down, .right], style: style)
        drawLine(x: right, y: top, ownArms: [.down, .left], fullArms: [.down, .left], style: style)
        drawLine(x: left, y: bottom, ownArms: [.up, .right], fullArms: [.up, .right], style: style)
        drawLine(x: right, y: bottom, ownArms: [.up, .left], fullArms: [.up, .left], style: style)
        if let title, !title.isEmpty, rect.width >= 5 {
            let room = rect.width - 4
            let shown = DisplayWidth.truncate(title, toWidth: room)
            put(" " + shown + " ", x: left + 1, y: top, style: titleStyle ?? style, maxWidth: rect.width - 2)
        }
    }

    /// Draws one line cell. `ownArms` join an existing box character; `fullArms` are
    /// drawn when the cell held something else (so a lone line has no stubby ends).
    private mutating func drawLine(x: Int, y: Int, ownArms: BoxArms, fullArms: BoxArms, style: Style) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let existing = cells[y * width + x]
        var arms = fullArms
        if !existing.isContinuation, let old = BoxArms(character: existing.character) {
            arms = old.union(ownArms)
            if arms.isEmpty { arms = fullArms }
        }
        place(arms.character, width: 1, x: x, y: y, style: style)
    }

    // MARK: - Reading

    /// Row `y` as a string (continuations skipped); trailing spaces trimmed unless asked not to.
    /// An empty string for a row outside the grid.
    public func row(_ y: Int, trimmingTrailingSpaces: Bool = true) -> String {
        guard y >= 0, y < height else { return "" }
        var line = ""
        line.reserveCapacity(width)
        for x in 0..<width {
            let cell = cells[y * width + x]
            if !cell.isContinuation { line.append(cell.character) }
        }
        if trimmingTrailingSpaces {
            while line.last == " " { line.removeLast() }
        }
        return line
    }

    /// All rows joined by "\n", each with trailing spaces trimmed: the form golden tests compare.
    public var text: String {
        (0..<height).map { row($0) }.joined(separator: "\n")
    }

    /// One symbol per column for each row, chosen from the cell's style (a wide
    /// character's two columns repeat its symbol); rows joined by "\n", not trimmed.
    /// Lets tests check styles as text, e.g. `{ $0.background == .selection ? "#" : "." }`.
    public func styleMap(_ symbol: (Style) -> Character) -> String {
        (0..<height).map { y in
            String((0..<width).map { x in symbol(cells[y * width + x].style) })
        }.joined(separator: "\n")
    }

    // MARK: - Diff

    /// A horizontal run of changed cells on one row.
    public struct Run: Sendable, Hashable, CustomStringConvertible {
        /// Row.
        public let y: Int
        /// First column.
        public let x: Int
        /// The new cells from column `x` on; a wide character's continuation is
        /// always included with its lead.
        public let cells: [Cell]

        /// Creates a run.
        public init(y: Int, x: Int, cells: [Cell]) {
            self.y = y
            self.x = x
            self.cells = cells
        }

        /// Columns covered.
        public var width: Int { cells.count }

        /// The run's characters (continuations skipped).
        public var text: String {
            String(cells.filter { !$0.isContinuation }.map(\.character))
        }

        /// "y=1 x=4 \"abc\"".
        public var description: String { "y=\(y) x=\(x) \"\(text)\"" }
    }

    /// The runs of cells that differ from `old`, row by row, left to right.
    ///
    /// Runs never start on a continuation or end on a wide lead, so a backend can draw
    /// each run as it is. When the sizes differ every row is one full-width run (a
    /// full redraw).
    public func diff(from old: Grid) -> [Run] {
        guard old.width == width, old.height == height else {
            return (0..<height).map { y in
                Run(y: y, x: 0, cells: Array(cells[(y * width)..<((y + 1) * width)]))
            }
        }
        var runs: [Run] = []
        for y in 0..<height {
            let base = y * width
            var x = 0
            while x < width {
                guard cells[base + x] != old.cells[base + x] else {
                    x += 1
                    continue
                }
                var start = x
                var end = x + 1
                while end < width, cells[base + end] != old.cells[base + end] { end += 1 }
                if cells[base + start].isContinuation, start > 0 { start -= 1 }
                if end < width, cells[base + end - 1].isWide { end += 1 }
                runs.append(Run(y: y, x: start, cells: Array(cells[(base + start)..<(base + end)])))
                x = end
            }
        }
        return runs
    }

    /// Every row as one run: what a backend draws after a resize or a clear.
    public func fullRuns() -> [Run] {
        (0..<height).map { y in Run(y: y, x: 0, cells: Array(cells[(y * width)..<((y + 1) * width)])) }
    }

    // MARK: - The one place cells change

    /// Puts `character` (of display width `w`, 1 or 2) at `x`,`y`, first blanking the
    /// other half of any wide character it overlaps. The caller guarantees that
    /// `x ..< x + w` lies in the row.
    private mutating func place(_ character: Character, width w: Int, x: Int, y: Int, style: Style) {
        let base = y * width
        for c in x..<(x + w) {
            let cell = cells[base + c]
            if cell.isContinuation, c - 1 >= 0, c - 1 < x {
                cells[base + c - 1] = .blank(cells[base + c - 1].style)
            }
            if cell.isWide, c + 1 < width, c + 1 >= x + w {
                cells[base + c + 1] = .blank(cells[base + c + 1].style)
            }
        }
        cells[base + x] = Cell(character, measuredWidth: w, style: style)
        if w == 2 { cells[base + x + 1] = .continuation(style: style) }
    }
}

/// Which directions a light box-drawing character reaches.
private struct BoxArms: OptionSet {
    let rawValue: UInt8
    static let up = BoxArms(rawValue: 1)
    static let down = BoxArms(rawValue: 2)
    static let left = BoxArms(rawValue: 4)
    static let right = BoxArms(rawValue: 8)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The arms of a light box-drawing character, or nil for anything else.
    init?(character: Character) {
        // Every glyph is one scalar in U+2500-U+257F: rule out the rest without comparing strings.
        guard let scalar = character.unicodeScalars.first, scalar.value >= 0x2500, scalar.value <= 0x257F,
              let index = BoxArms.glyphs.firstIndex(of: character), index > 0 else { return nil }
        self.init(rawValue: UInt8(index))
    }

    /// The character with exactly these arms.
    var character: Character { BoxArms.glyphs[Int(rawValue & 0x0F)] }

    /// Indexed by arms (up=1, down=2, left=4, right=8).
    private static let glyphs: [Character] = [
        " ", "╵", "╷", "│", "╴", "┘", "┐", "┤",
        "╶", "└", "┌", "├", "─", "┴", "┬", "┼",
    ]
}
