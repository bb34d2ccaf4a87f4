import PayoutTUI
import Testing

@Suite struct GridTests {
    @Test func blankGridTextIsEmptyRows() {
        let grid = Grid(width: 4, height: 3)
        expectText(grid.text, "\n\n")
        #expect(grid.row(0, trimmingTrailingSpaces: false) == "    ")
        #expect(grid.size == Size(width: 4, height: 3))
    }

    @Test func putReturnsColumnsUsed() {
        var grid = Grid(width: 20, height: 2)
        #expect(grid.put("商户号", x: 0, y: 0) == 6)
        #expect(grid.put("MID", x: 7, y: 0) == 3)
        #expect(grid.put("abc", x: 0, y: 5) == 0)  // row outside
        expectText(grid.text, "商户号 MID\n")
        #expect(grid[0, 0].character == "商")
        #expect(grid[0, 0].width == 2)
        #expect(grid[1, 0].isContinuation)
        #expect(grid[2, 0].character == "户")
    }

    @Test func putStopsAtTheRightEdgeWithoutSplittingAWideCharacter() {
        var grid = Grid(width: 5, height: 1)
        #expect(grid.put("商户号", x: 0, y: 0) == 5)  // 商户 + a space for the straddling 号
        expectText(grid.row(0, trimmingTrailingSpaces: false), "商户 ")
        #expect(!grid[4, 0].isContinuation)
        #expect(grid[4, 0].character == " ")
    }

    @Test func putHonoursMaxWidth() {
        var grid = Grid(width: 12, height: 1)
        grid.put("..........", x: 0, y: 0)
        #expect(grid.put("拉卡拉支付", x: 1, y: 0, maxWidth: 5) == 5)
        expectText(grid.text, ".拉卡 ....")
        #expect(grid.put("abcdef", x: 0, y: 0, maxWidth: 0) == 0)
    }

    @Test func putClipsAtTheLeftEdge() {
        var grid = Grid(width: 6, height: 1)
        #expect(grid.put("ab商户", x: -3, y: 0) == 3)  // "商" straddles column 0 -> space
        expectText(grid.row(0, trimmingTrailingSpaces: false), " 户   ")
    }

    @Test func putSkipsZeroWidthAndKeepsCombiningMarks() {
        var grid = Grid(width: 8, height: 1)
        #expect(grid.put("a\tb\u{200B}cafe\u{301}", x: 0, y: 0) == 6)
        expectText(grid.text, "abcafe\u{301}")
        #expect(grid[5, 0].character == "e\u{301}")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = Grid(width: 8, height: 2)
        grid.put("商户号", x: 0, y: 0)
        grid.put("x", x: 1, y: 0)  // right half of 商
        grid.put("y", x: 2, y: 0)  // left half of 户
        expectText(grid.row(0, trimmingTrailingSpaces: false), " xy 号  ")
        grid.put("商户", x: 0, y: 1)
        grid.put("号", x: 1, y: 1)  // straddles 商 and 户
        expectText(grid.row(1, trimmingTrailingSpaces: false), " 号     ")
        for y in 0..<2 {
            for x in 0..<8 where grid[x, y].isContinuation {
                #expect(grid[x - 1, y].isWide, "orphan continuation at \(x),\(y)")
            }
        }
    }

    @Test func mixedChineseAndASCIIColumnsStayAligned() {
        let rows: [(String, String, String)] = [
            ("商户", "金额", "状态"),
            ("深圳市小店", "1,280.00", "已到账"),
            ("Corner Shop", "12.50", "late 2d"),
            ("拉卡拉支付有限公司", "30,000.00", "冻结"),
        ]
        let widths = [10, 10, 8]
        var grid = Grid(width: 31, height: rows.count)
        for (y, row) in rows.enumerated() {
            var x = 0
            let values = [row.0, row.1, row.2]
            for (i, value) in values.enumerated() {
                let alignment: DisplayWidth.Alignment = i == 1 ? .right : .left
                grid.put(DisplayWidth.fit(value, toWidth: widths[i], alignment: alignment), x: x, y: y)
                x += widths[i] + 1
            }
        }
        expectText(
            grid.text,
            """
            商户             金额 状态
            深圳市小店   1,280.00 已到账
            Corner Sh…      12.50 late 2d
            拉卡拉支…   30,000.00 冻结
            """
        )
        // Every column starts at the same cell on every row.
        for y in 0..<rows.count {
            #expect(!grid[11, y].isContinuation)
            #expect(!grid[22, y].isContinuation)
            #expect(grid[10, y].character == " ")
            #expect(grid[21, y].character == " ")
        }
    }

    @Test func rowKeepsOrTrimsTrailingSpaces() {
        var grid = Grid(width: 6, height: 1)
        grid.put("ab", x: 1, y: 0)
        #expect(grid.row(0) == " ab")
        #expect(grid.row(0, trimmingTrailingSpaces: false) == " ab   ")
        #expect(grid.row(3) == "")
    }

    @Test func fillWithWideCharacterPadsTheOddColumn() {
        var grid = Grid(width: 6, height: 2)
        grid.fill(Rect(x: 0, y: 0, width: 5, height: 2), with: "中")
        expectText(grid.text, "中中\n中中")
        #expect(grid.row(0, trimmingTrailingSpaces: false) == "中中  ")
        grid.fill(Rect(x: 1, y: 1, width: 100, height: 5), with: ".")
        expectText(grid.text, "中中\n .....")
    }

    @Test func linesJoinAtCrossings() {
        var grid = Grid(width: 7, height: 5)
        grid.box(Rect(x: 0, y: 0, width: 7, height: 5))
        grid.horizontalLine(x: 0, y: 2, length: 7)
        grid.verticalLine(x: 3, y: 0, length: 5)
        expectText(
            grid.text,
            """
            ┌──┬──┐
            │  │  │
            ├──┼──┤
            │  │  │
            └──┴──┘
            """
        )
    }

    @Test func lonelyLinesHaveNoStubs() {
        var grid = Grid(width: 5, height: 3)
        grid.horizontalLine(x: 0, y: 0, length: 5)
        grid.verticalLine(x: 2, y: 0, length: 3)
        expectText(grid.text, "──┬──\n  │\n  │")
    }

    @Test func adjacentBoxesShareEdges() {
        var grid = Grid(width: 9, height: 3)
        grid.box(Rect(x: 0, y: 0, width: 5, height: 3))
        grid.box(Rect(x: 4, y: 0, width: 5, height: 3))
        expectText(grid.text, "┌───┬───┐\n│   │   │\n└───┴───┘")
    }

    @Test func boxTitleIsTruncatedToFit() {
        var grid = Grid(width: 12, height: 3)
        grid.box(Rect(x: 0, y: 0, width: 12, height: 3), title: "待结算付款明细")
        expectText(grid.text, "┌ 待结算… ─┐\n│          │\n└──────────┘")
        var wide = Grid(width: 16, height: 2)
        wide.box(Rect(x: 0, y: 0, width: 16, height: 2), title: "Payouts")
        expectText(wide.text, "┌ Payouts ─────┐\n└──────────────┘")
    }

    @Test func styleMapShowsStyles() {
        var grid = Grid(width: 6, height: 2)
        grid.put("状态", x: 0, y: 0, style: .bad)
        grid.put("ok", x: 0, y: 1, style: .ok.selected)
        let map = grid.styleMap { style in
            if style.background == .selection { return "#" }
            return style.foreground == .bad ? "!" : "."
        }
        expectText(map, "!!!!..\n##....")
    }

    @Test func pasteClipsAndKeepsWideCharactersWhole() {
        var pane = Grid(width: 4, height: 1)
        pane.put("商户", x: 0, y: 0)
        var screen = Grid(width: 5, height: 2)
        screen.paste(pane, x: 3, y: 0)  // 户 would straddle the right edge
        screen.paste(pane, x: -1, y: 1)  // 商 straddles the left edge
        expectText(screen.row(0, trimmingTrailingSpaces: false), "   商")
        expectText(screen.row(1, trimmingTrailingSpaces: false), " 户  ")
    }

    @Test func setStyleKeepsCharacters() {
        var grid = Grid(width: 4, height: 1)
        grid.put("ab", x: 0, y: 0)
        grid.setStyle(.selection, in: Rect(x: 0, y: 0, width: 10, height: 10))
        #expect(grid.text == "ab")
        #expect(grid[3, 0].style == .selection)
    }

    // MARK: - Diff

    @Test func diffOfEqualGridsIsEmpty() {
        var grid = Grid(width: 10, height: 3)
        grid.put("商户号 MID", x: 0, y: 1)
        #expect(grid.diff(from: grid).isEmpty)
    }

    @Test func diffListsOnlyChangedRuns() {
        var old = Grid(width: 20, height: 3)
        old.put("synced 3s ago", x: 0, y: 0)
        old.put("Transactions", x: 0, y: 1)
        old.put("12:00:01", x: 12, y: 2)
        var new = old
        new.put("synced 4s ago", x: 0, y: 0)
        new.put("12:00:02", x: 12, y: 2)
        let runs = new.diff(from: old)
        #expect(runs.map(\.description) == ["y=0 x=7 \"4\"", "y=2 x=19 \"2\""])
    }

    @Test func diffSeesStyleChanges() {
        var old = Grid(width: 8, height: 1)
        old.put("row", x: 0, y: 0)
        var new = old
        new.setStyle(.selection, in: Rect(x: 0, y: 0, width: 3, height: 1))
        let runs = new.diff(from: old)
        #expect(runs.count == 1)
        #expect(runs.first?.x == 0)
        #expect(runs.first?.width == 3)
        #expect(runs.first?.cells.allSatisfy { $0.style == .selection } == true)
    }

    @Test func diffKeepsWideCharactersWhole() {
        var old = Grid(width: 8, height: 1)
        old.put("ab商户", x: 0, y: 0)
        var new = old
        new.put("ab商号", x: 0, y: 0)  // only 户 -> 号 changes: columns 4 and 5
        let runs = new.diff(from: old)
        #expect(runs.map(\.description) == ["y=0 x=4 \"号\""])
        #expect(runs.first?.width == 2)

        // A change that lands on a continuation only (style of the right half) still
        // starts the run at the lead.
        var styled = old
        styled.put("商", x: 2, y: 0, style: .bad)
        let styleRuns = styled.diff(from: old)
        #expect(styleRuns.map(\.description) == ["y=0 x=2 \"商\""])
        #expect(styleRuns.first?.cells.first?.isWide == true)
    }

    @Test func diffAfterASizeChangeIsAFullRedraw() {
        var old = Grid(width: 4, height: 2)
        old.put("ab", x: 0, y: 0)
        var new = Grid(width: 5, height: 3)
        new.put("ab", x: 0, y: 0)
        let runs = new.diff(from: old)
        #expect(runs.count == 3)
        #expect(runs.allSatisfy { $0.x == 0 && $0.width == 5 })
        #expect(runs.map(\.y) == [0, 1, 2])
    }

    @Test func applyingTheDiffToTheOldGridGivesTheNewOne() {
        var old = Grid(width: 16, height: 3)
        old.put("商户号 8983", x: 0, y: 0)
        old.put("Payouts 待结算", x: 1, y: 1, style: .header)
        var new = old
        new.put("MID 8983", x: 0, y: 0)
        new.put("到账", x: 9, y: 1, style: .ok)
        new.put("晚到 2天", x: 3, y: 2, style: .bad)
        var replayed = old
        for run in new.diff(from: old) {
            var x = run.x
            for cell in run.cells {
                if !cell.isContinuation { replayed.put(cell.character, x: x, y: run.y, style: cell.style) }
                x += 1
            }
        }
        #expect(replayed == new)
        expectText(replayed.text, new.text)
    }
}
