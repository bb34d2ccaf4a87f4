/// Draws the whole screen for `state` at `size`: a pure function of its inputs.
///
/// Styles are semantic (`Style` roles); the backend's `Theme` turns them into colour
/// or, under `NO_COLOR`, into attributes only. Every state is also written as a
/// word or glyph, so nothing depends on colour.
public func render(_ state: MonitorState, size: Size) -> Grid {
    var grid = Grid(size: size)
    guard !size.isEmpty else { return grid }
    var sized = state
    sized.size = size
    if sized.isTooSmall {
        TooSmallView.draw(sized, into: &grid)
        return grid
    }
    let layout = OverviewLayout(size: size)
    HeaderView.draw(sized, into: &grid)
    switch sized.screen {
    case .overview:
        OverviewView.draw(sized, layout: layout, into: &grid)
    case .transaction, .payout, .account:
        DetailView.draw(sized, layout: layout, into: &grid)
    case .calendar(let day):
        CalendarView.draw(sized, day: day, into: &grid)
    case .dayPayouts(let day):
        CalendarView.drawDayList(sized, day: day, selection: sized.screens.last?.scroll ?? 0, into: &grid)
    }
    if sized.shopPicker != nil {
        ShopPickerView.draw(sized, into: &grid)
    }
    FooterView.drawStatusLine(sized, row: layout.statusRow, into: &grid)
    FooterView.drawFooter(sized, row: layout.footerRow, into: &grid)
    if sized.showHelp {
        HelpView.draw(sized, into: &grid)
    }
    return grid
}

/// Draws the screen for `state` at its own `size`.
public func render(_ state: MonitorState) -> Grid {
    render(state, size: state.size)
}

extension Style {
    /// This style on a selected row: plain text takes the selection's colours, a
    /// state's colour keeps its foreground on the selection background.
    var onSelection: Style {
        if foreground == .normal || foreground == .muted {
            var s = Style.selection
            s.attributes = attributes.subtracting(.dim)
            return s
        }
        return selected
    }
}
