/// A run of text in one style.
struct Span: Sendable, Hashable {
    var text: String
    var style: Style

    init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }

    var width: Int { DisplayWidth.of(text) }
}

/// A row of a detail screen that leads somewhere: Enter on it opens `screen`, named
/// `label` in the breadcrumb.
struct DetailLink: Sendable, Hashable {
    var screen: Screen
    var label: String
}

/// One line of styled text: spans drawn left to right.
struct StyledLine: Sendable, Hashable {
    var spans: [Span]
    /// Where the line leads, on a detail screen (Tab selects it, Enter follows it).
    var link: DetailLink?

    init(_ spans: [Span] = []) {
        self.spans = spans
    }

    init(_ text: String, _ style: Style = .plain) {
        self.spans = [Span(text, style)]
    }

    static let empty = StyledLine()

    var width: Int { spans.reduce(0) { $0 + $1.width } }

    /// The line's plain text.
    var text: String { spans.map(\.text).joined() }

    mutating func append(_ text: String, _ style: Style = .plain) {
        spans.append(Span(text, style))
    }

    /// This line cut to `width` columns, ending in "…" when something was cut.
    func truncated(to width: Int) -> StyledLine {
        guard self.width > width else { return self }
        guard width > 0 else { return StyledLine() }
        var out: [Span] = []
        var used = 0
        let budget = width - 1
        for span in spans {
            let w = span.width
            if used + w <= budget {
                out.append(span)
                used += w
                continue
            }
            let room = budget - used
            if room > 0 {
                let cut = DisplayWidth.truncate(span.text, toWidth: room + 1)
                out.append(Span(cut, span.style))
            } else {
                out.append(Span("…", span.style))
            }
            return StyledLine(out)
        }
        return StyledLine(out)
    }
}

extension Grid {
    /// Draws `line` at column `x`, row `y`, cut with "…" to `maxWidth`; returns columns written.
    @discardableResult
    mutating func put(_ line: StyledLine, x: Int, y: Int, maxWidth: Int) -> Int {
        let shown = line.truncated(to: maxWidth)
        var column = x
        for span in shown.spans {
            column += put(span.text, x: column, y: y, style: span.style, maxWidth: x + maxWidth - column)
        }
        return column - x
    }

    /// Draws `spans` from column `x` without cutting (the grid edge still clips); returns columns written.
    @discardableResult
    mutating func put(spans: [Span], x: Int, y: Int) -> Int {
        var column = x
        for span in spans {
            column += put(span.text, x: column, y: y, style: span.style)
        }
        return column - x
    }
}

/// Fits `segments` in `width` columns joined by `separator`: segments with the highest
/// `drop` number go first until the rest fit; what still does not fit is cut with "…".
func fitSegments(_ segments: [(line: StyledLine, drop: Int)], width: Int, separator: Span) -> StyledLine {
    var kept = segments
    func total(_ list: [(line: StyledLine, drop: Int)]) -> Int {
        list.reduce(0) { $0 + $1.line.width } + max(0, list.count - 1) * separator.width
    }
    while total(kept) > width, let worst = kept.map(\.drop).max(), worst > 0,
          let index = kept.lastIndex(where: { $0.drop == worst }) {
        kept.remove(at: index)
    }
    var out = StyledLine()
    for (i, segment) in kept.enumerated() {
        if i > 0 { out.spans.append(separator) }
        out.spans.append(contentsOf: segment.line.spans)
    }
    return out.truncated(to: width)
}
