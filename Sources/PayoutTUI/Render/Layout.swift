/// Where everything goes on the overview at a given terminal size.
///
/// Rows 0-1 are the header, the last row the footer (key hints or the filter prompt)
/// and the one above it the status line; the panes share the rows between. Below
/// `wideWidth` columns the three panes are stacked; from it on, Transactions spans
/// the top and Pending payouts and Account status sit side by side below. Boxes that
/// touch share their border line. `request` and `render` both use this, so the store
/// is asked for exactly the rows the panes show.
struct OverviewLayout: Sendable, Hashable {
    /// From this width on the two lower panes sit side by side.
    static let wideWidth = 140
    /// Rows of a box that are not list rows: top border, column titles, bottom border.
    static let boxChrome = 3

    let size: Size
    let wide: Bool
    /// The boxes, borders included.
    let transactions: Rect
    let payouts: Rect
    let accounts: Rect

    init(size: Size) {
        self.size = size
        let top = 2
        let bodyHeight = max(0, size.height - 4)
        wide = size.width >= Self.wideWidth
        if wide {
            // Top box height a and bottom boxes height b share one border row: a + b - 1 = body.
            let a = (bodyHeight + 1) / 2 + 1
            let b = max(0, bodyHeight + 1 - a)
            let leftWidth = size.width * 58 / 100
            transactions = Rect(x: 0, y: top, width: size.width, height: a)
            payouts = Rect(x: 0, y: top + a - 1, width: leftWidth, height: b)
            accounts = Rect(x: leftWidth - 1, y: top + a - 1, width: size.width - leftWidth + 1, height: b)
        } else {
            // Three stacked boxes share two border rows: a + b + c - 2 = body.
            let dataRows = max(0, bodyHeight + 2 - 3 * Self.boxChrome)
            let txnRows = (dataRows + 1) / 2
            let rest = dataRows - txnRows
            let payoutRows = (rest + 1) / 2
            let accountRows = rest - payoutRows
            let a = txnRows + Self.boxChrome
            let b = payoutRows + Self.boxChrome
            let c = accountRows + Self.boxChrome
            transactions = Rect(x: 0, y: top, width: size.width, height: a)
            payouts = Rect(x: 0, y: top + a - 1, width: size.width, height: b)
            accounts = Rect(x: 0, y: top + a + b - 2, width: size.width, height: c)
        }
    }

    /// The box of `pane`.
    func box(_ pane: Pane) -> Rect {
        switch pane {
        case .transactions: return transactions
        case .payouts: return payouts
        case .accounts: return accounts
        }
    }

    /// List rows `pane` shows (at least 1).
    func visibleRows(_ pane: Pane) -> Int {
        max(1, box(pane).height - Self.boxChrome)
    }

    /// Row of the status line.
    var statusRow: Int { size.height - 2 }
    /// Row of the footer.
    var footerRow: Int { size.height - 1 }
    /// The area between header and status line (detail screens use it whole).
    var body: Rect { Rect(x: 0, y: 2, width: size.width, height: max(0, size.height - 4)) }
}
