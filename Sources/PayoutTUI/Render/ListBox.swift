/// A boxed list: title on the top border, the position on its right, column titles,
/// then the rows of the window. The selected row is drawn in the selection style when
/// the box has the focus, and marked with "›" in the gutter either way.
struct ListBox {
    var rect: Rect
    var title: String
    var focused: Bool
    var columns: [Column]
    /// Rows in the whole list.
    var total: Int
    var cursor: ListCursor
    /// Shown when the list is empty.
    var emptyText: String

    /// Table area: inside the border, after a one-column gutter for the marker, with one column of padding on the right.
    var tableX: Int { rect.x + 2 }
    var tableWidth: Int { max(0, rect.width - 4) }
    var firstRow: Int { rect.y + 2 }
    var visibleRows: Int { max(0, rect.height - OverviewLayout.boxChrome) }

    /// Draws the border (boxes that touch share border lines, so all frames are drawn
    /// before any content: a neighbour's frame must not cut this one's title).
    static func drawFrame(_ rect: Rect, focused: Bool, into grid: inout Grid) {
        grid.box(rect, style: focused ? .accent : .muted)
    }

    /// Draws the title, position, column titles and rows; `row(i)` gives the cells of
    /// absolute row `i`, or nil when it is not loaded.
    func drawContent(into grid: inout Grid, row: (Int) -> [Span]?) {
        if rect.width >= 5 {
            let shown = DisplayWidth.truncate(title, toWidth: rect.width - 4)
            grid.put(" " + shown + " ", x: rect.x + 1, y: rect.y, style: focused ? .accent.bold : .header, maxWidth: rect.width - 2)
        }
        if total > 0 {
            let position = " \(grouped(min(cursor.selection + 1, total)))/\(grouped(total)) "
            let x = rect.maxX - 2 - DisplayWidth.of(position)
            if x > rect.x + DisplayWidth.of(title) + 4 {
                grid.put(position, x: x, y: rect.y, style: focused ? .accent : .muted)
            }
        }
        // The rows shown are read first: identifier columns take the width of their widest cell.
        let shown: [[Span]?] = (0..<visibleRows).map { i in
            let index = cursor.offset + i
            return index < total ? row(index) : nil
        }
        let placed = layoutColumns(fitted(columns, to: shown.compactMap { $0 }), width: tableWidth)
        let titles = columns.map { Span($0.title, .header) }
        grid.putRow(titles, placed: placed, x: tableX, y: rect.y + 1, width: tableWidth)
        guard visibleRows > 0 else { return }
        if total == 0 {
            grid.put(DisplayWidth.truncate(emptyText, toWidth: tableWidth), x: tableX, y: firstRow, style: .muted)
            return
        }
        for i in 0..<visibleRows {
            let index = cursor.offset + i
            guard index < total else { break }
            let y = firstRow + i
            let selected = index == cursor.selection
            guard let cells = shown[i] else {
                grid.put("…", x: tableX, y: y, style: .muted)
                continue
            }
            if selected && focused {
                let fillRect = Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: 1)
                grid.fill(fillRect, with: " ", style: .selection)
                grid.put("›", x: rect.x + 1, y: y, style: Style.selection.bold)
                grid.putRow(cells.map { Span($0.text, $0.style.onSelection) }, placed: placed, x: tableX, y: y, width: tableWidth)
            } else {
                if selected { grid.put("›", x: rect.x + 1, y: y, style: .accent.bold) }
                grid.putRow(cells, placed: placed, x: tableX, y: y, width: tableWidth)
            }
        }
    }
}
