import PayoutCore
import PayoutModel

/// The shop picker (`s`): a box over the overview listing "All shops" and every shop
/// with its MID and state; Enter narrows every pane to the one under the cursor.
enum ShopPickerView {
    /// Rows the picker shows at `size`.
    static func visibleRows(size: Size) -> Int {
        max(1, min(12, size.height - 10))
    }

    static func draw(_ state: MonitorState, into grid: inout Grid) {
        guard let picker = state.shopPicker else { return }
        let s = state.strings
        let shops = state.shopChoices
        let rows = visibleRows(size: state.size)
        let names = [s.allShops] + shops.map { $0.name + "  " + $0.merchantId }
        let width = min(grid.width - 4, max(30, (names.map { DisplayWidth.of($0) }.max() ?? 0) + 8))
        let height = min(rows, names.count) + 2
        let rect = Rect(x: (grid.width - width) / 2, y: max(2, (grid.height - height) / 2), width: width, height: height)
        grid.fill(rect, style: .plain)
        grid.box(rect, style: .accent, title: s.pickShop, titleStyle: .accent.bold)
        for i in 0..<min(rows, names.count) {
            let index = picker.offset + i
            guard index < names.count else { break }
            let selected = index == picker.selection
            let current = index == 0 ? state.shop == nil : shops[index - 1].merchantId == state.shop
            let mark = current ? "● " : "  "
            let text = DisplayWidth.fit(mark + names[index], toWidth: width - 4)
            grid.put(text, x: rect.x + 2, y: rect.y + 1 + i, style: selected ? .selection : .plain, maxWidth: width - 4)
        }
    }
}
