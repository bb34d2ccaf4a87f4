/// A table column: title, width, alignment and how willingly it is dropped when narrow.
struct Column: Sendable, Hashable {
    var title: String
    /// Columns it takes (its minimum when it can grow).
    var width: Int
    /// The most it grows to when there is room; nil: fixed.
    var maxWidth: Int?
    var alignment: DisplayWidth.Alignment
    /// 0: never dropped; higher numbers are dropped first when the table is too narrow.
    var drop: Int
    /// Takes spare room before the other growable columns (identifiers that should not be cut).
    var greedy: Bool
    /// Takes only the room left once every other column has grown to its maximum (free text).
    var fill: Bool
    /// An identifier or a code that must not be cut: `fitted(to:)` widens it to its widest cell.
    var fit: Bool

    init(_ title: String, width: Int, maxWidth: Int? = nil, alignment: DisplayWidth.Alignment = .left, drop: Int = 0,
         greedy: Bool = false, fill: Bool = false, fit: Bool = false) {
        self.title = title
        self.width = max(width, 1)
        self.maxWidth = maxWidth
        self.alignment = alignment
        self.drop = drop
        self.greedy = greedy
        self.fill = fill
        self.fit = fit
    }
}

/// `columns` with every `fit` column at least as wide as its title and its widest cell
/// in `rows`, so the layout drops lower-priority columns rather than cut an identifier.
func fitted(_ columns: [Column], to rows: [[Span]]) -> [Column] {
    columns.enumerated().map { i, column in
        guard column.fit else { return column }
        var c = column
        let widest = rows.reduce(DisplayWidth.of(column.title)) { w, cells in
            i < cells.count ? max(w, DisplayWidth.of(cells[i].text)) : w
        }
        c.width = max(c.width, widest)
        c.maxWidth = max(c.maxWidth ?? c.width, c.width)
        return c
    }
}

/// Where a column landed.
struct PlacedColumn: Sendable, Hashable {
    /// Index into the column list given to `layoutColumns`.
    var index: Int
    /// Column offset from the table's left edge.
    var x: Int
    var width: Int
    var alignment: DisplayWidth.Alignment
}

/// Lays columns out in `width`: drops the most droppable ones until the rest fit,
/// then gives the room left to greedy columns up to their maximum, shares what
/// remains among the other growable ones, one column at a time, and gives the rest
/// to fill columns.
func layoutColumns(_ columns: [Column], width: Int, gap: Int = 1) -> [PlacedColumn] {
    var active = Array(columns.indices)
    func used(_ list: [Int], _ widths: [Int: Int]) -> Int {
        list.reduce(0) { $0 + (widths[$1] ?? 0) } + max(0, list.count - 1) * gap
    }
    var widths: [Int: Int] = [:]
    for i in columns.indices { widths[i] = columns[i].width }
    while used(active, widths) > width {
        let droppable = active.filter { columns[$0].drop > 0 }
        guard let worst = droppable.map({ columns[$0].drop }).max(),
              let victim = droppable.last(where: { columns[$0].drop == worst }) else { break }
        active.removeAll { $0 == victim }
    }
    var spare = width - used(active, widths)
    for i in active where columns[i].greedy {
        let current = widths[i] ?? 0
        let extra = min(spare, max(0, (columns[i].maxWidth ?? current) - current))
        widths[i] = current + extra
        spare -= extra
    }
    func grow(_ growable: [Int]) {
        while spare > 0 {
            var grew = false
            for i in growable where spare > 0 {
                let current = widths[i] ?? 0
                if current < (columns[i].maxWidth ?? 0) {
                    widths[i] = current + 1
                    spare -= 1
                    grew = true
                }
            }
            if !grew { break }
        }
    }
    grow(active.filter { !columns[$0].greedy && !columns[$0].fill })
    grow(active.filter { columns[$0].fill })
    var x = 0
    var placed: [PlacedColumn] = []
    for i in active {
        let w = widths[i] ?? 0
        let fitted = min(w, max(0, width - x))
        if fitted > 0 {
            placed.append(PlacedColumn(index: i, x: x, width: fitted, alignment: columns[i].alignment))
        }
        x += w + gap
    }
    return placed
}

extension Grid {
    /// Draws one table row: `cells[i]` in placed column `i`'s slot, fitted with "…".
    /// `fill` styles the whole row first (a selected row's background).
    mutating func putRow(_ cells: [Span], placed: [PlacedColumn], x: Int, y: Int, width: Int, fill: Style? = nil) {
        if let fill { self.fill(Rect(x: x, y: y, width: width, height: 1), with: " ", style: fill) }
        for column in placed {
            guard column.index < cells.count else { continue }
            let cell = cells[column.index]
            putFitted(cell.text, x: x + column.x, y: y, width: column.width, alignment: column.alignment, style: cell.style)
        }
    }

    /// Draws `text` aligned in `width` columns from `x`, cut with "…" when longer;
    /// only the text's own cells are written (what is around them keeps its style).
    mutating func putFitted(_ text: String, x: Int, y: Int, width: Int, alignment: DisplayWidth.Alignment, style: Style) {
        guard width > 0 else { return }
        var shown = text
        var shownWidth = DisplayWidth.of(text)
        if shownWidth > width {
            shown = DisplayWidth.truncate(text, toWidth: width)
            shownWidth = DisplayWidth.of(shown)
        }
        let offset: Int
        switch alignment {
        case .left: offset = 0
        case .right: offset = width - shownWidth
        case .center: offset = (width - shownWidth) / 2
        }
        put(shown, x: x + offset, y: y, style: style, maxWidth: width - offset)
    }
}

/// A table as styled lines (for scrolling content): a title line, then one line per row.
func tableLines(_ columns: [Column], rows: [[Span]], width: Int, indent: Int = 2, titles: Bool = true) -> [StyledLine] {
    let placed = layoutColumns(fitted(columns, to: rows), width: max(1, width - indent))
    func line(_ cells: [Span]) -> StyledLine {
        var out = StyledLine([Span(String(repeating: " ", count: indent))])
        var x = 0
        for column in placed {
            if column.x > x { out.append(String(repeating: " ", count: column.x - x)) }
            let cell = column.index < cells.count ? cells[column.index] : Span("")
            out.spans.append(Span(DisplayWidth.fit(cell.text, toWidth: column.width, alignment: column.alignment), cell.style))
            x = column.x + column.width
        }
        return out
    }
    var out: [StyledLine] = []
    if titles { out.append(line(columns.map { Span($0.title, .header) })) }
    out += rows.map(line)
    return out
}
