import PayoutTestSupport
import Foundation
import PayoutCore
import Testing
@testable import PayoutTUI

/// The pieces screens are built from: columns, wrapping, formats, state words, and
/// the alignment of whole screens.
@Suite struct RenderPartsTests {
    // MARK: - Columns

    @Test func columnsDropTheMostDroppableFirst() {
        let columns = [Column("A", width: 10), Column("B", width: 10, drop: 2), Column("C", width: 10, drop: 1)]
        #expect(layoutColumns(columns, width: 32).map(\.index) == [0, 1, 2])
        #expect(layoutColumns(columns, width: 31).map(\.index) == [0, 2])
        #expect(layoutColumns(columns, width: 20).map(\.index) == [0])
        // A column that is never dropped is cut to what is left.
        #expect(layoutColumns(columns, width: 6).map(\.width) == [6])
    }

    @Test func spareRoomGoesToGreedyThenGrowableThenFillColumns() {
        let columns = [
            Column("id", width: 4, maxWidth: 8, greedy: true),
            Column("a", width: 4, maxWidth: 6),
            Column("b", width: 4, maxWidth: 6),
            Column("note", width: 4, maxWidth: 100, fill: true),
        ]
        let placed = layoutColumns(columns, width: 40)
        #expect(placed.map(\.width) == [8, 6, 6, 17])
        #expect(placed.map(\.x) == [0, 9, 16, 23])
        let tight = layoutColumns(columns, width: 22)
        #expect(tight.map(\.width) == [7, 4, 4, 4])
    }

    @Test func tableLinesAlignChineseText() {
        let lines = tableLines([Column("终端", width: 10), Column("金额", width: 8, alignment: .right)],
                               rows: [[Span("福田收银台"), Span("¥1.00")], [Span("罗湖店一楼收银台（靠近大门）"), Span("¥30,000.00")]],
                               width: 22, indent: 0)
        #expect(lines.map(\.text) == ["终端           金额", "福田收银台    ¥1.00", "罗湖店一…  ¥30,000…"])
        #expect(lines.allSatisfy { $0.width <= 22 })
    }

    // MARK: - Wrapping

    @Test func wrapBreaksEnglishAtSpacesAndChineseAnywhere() {
        #expect(Wrap.lines("the rest is credited on the next working days", width: 16)
            == ["the rest is", "credited on the", "next working", "days"])
        #expect(Wrap.lines("结算卡为二类户，单日入金限额", width: 10) == ["结算卡为二", "类户，单日", "入金限额"])
        #expect(Wrap.lines("短", width: 1) == ["短"])
        #expect(Wrap.lines("", width: 5) == [""])
        for line in Wrap.lines("账户冻结：涉嫌异常交易 frozen: unusual activity, documents requested", width: 13) {
            #expect(line.displayWidth <= 13)
        }
    }

    @Test func styledLinesTruncateWithAnEllipsisWithoutSplittingWideCharacters() {
        let line = StyledLine([Span("商户 ", .accent), Span("味道小馆(南山店)", .plain)])
        #expect(line.truncated(to: 10).text == "商户 味道…")
        #expect(line.truncated(to: 9).text == "商户 味…")
        #expect(line.truncated(to: 9).width <= 9)
        #expect(line.truncated(to: 100) == line)
    }

    // MARK: - Formats

    @Test func durationsInBothLanguages() {
        #expect(Format.duration(seconds: 45, language: .en) == "45s")
        #expect(Format.duration(seconds: 3 * 60 + 5, language: .en) == "3m")
        #expect(Format.duration(seconds: 3 * 3600 + 20 * 60, language: .en) == "3h 20m")
        #expect(Format.duration(seconds: 2 * 86_400 + 3600, language: .en) == "2d 1h")
        #expect(Format.duration(seconds: 3 * 3600 + 20 * 60, language: .zhHans) == "3小时20分")
        #expect(Format.duration(seconds: -120, language: .zhHans) == "2分")
        #expect(Format.coarseDuration(seconds: 19 * 3600 + 59 * 60, language: .en) == "19h")
        #expect(Format.coarseDuration(seconds: 3 * 86_400, language: .zhHans) == "3天")
    }

    @Test func timesAreShownInTheMerchantsZone() {
        let instant = Fixture.at("2026-10-12 14:20:11")
        #expect(Format.dayTime(instant, in: Fixture.zone, reference: Fixture.now) == "10-12 14:20")
        #expect(Format.dayTimeSeconds(instant, in: Fixture.zone) == "10-12 14:20:11")
        #expect(Format.clock(instant, in: TimeZone(identifier: "UTC") ?? Fixture.zone) == "06:20:11")
        #expect(Format.dayTime(Fixture.at("2025-12-31 23:59"), in: Fixture.zone, reference: Fixture.now) == "2025-12-31 23:59")
    }

    @Test func accountsAndCardsAreMasked() {
        #expect(Format.maskedAccount("6222021001123453456") == "6222****3456")
        #expect(Format.maskedAccount("6222********3456") == "6222****3456")
        #expect(Format.maskedAccount("123456") == "****3456")
        #expect(Format.maskedAccount("") == "")
        let card = Fixture.transactions[0].transaction
        #expect(Format.cardTail(card, language: .en) == "*4821")
        let qr = Fixture.transactions[1].transaction
        #expect(Format.cardTail(qr, language: .en) == "QR")
        #expect(Format.cardTail(qr, language: .zhHans) == "扫码")
    }

    @Test func countsAreGrouped() {
        #expect(grouped(0) == "0")
        #expect(grouped(4321) == "4,321")
        #expect(grouped(10_000_000) == "10,000,000")
        #expect(grouped(-1234) == "-1,234")
    }

    // MARK: - States never by colour alone

    @Test func everyStateHasAGlyphAndAWordInBothLanguages() {
        for language in Language.allCases {
            var badges: [StateBadge] = MoneyState.allCases.map { $0.badge(language) }
            badges += PayoutStatus.allCases.map { $0.badge(language) }
            badges += AccountState.allCases.map { $0.badge(language) }
            for badge in badges {
                #expect(badge.glyph.displayWidth == 1)
                #expect(!badge.word.isEmpty)
            }
            // Money states are told apart by their words even without colour.
            #expect(Set(MoneyState.allCases.map { $0.badge(language).word }).count == MoneyState.allCases.count)
            #expect(Set(PayoutStatus.allCases.map { $0.badge(language).word }).count == PayoutStatus.allCases.count)
        }
        #expect(MoneyState.short.badge(.zhHans).word == "短款")
        #expect(AccountState.frozen.badge(.zhHans).word == "冻结")
    }

    @Test func everyNameHasBothLanguages() {
        for language in Language.allCases {
            #expect(TxnKind.allCases.allSatisfy { !$0.name(language).isEmpty })
            #expect(CardKind.allCases.allSatisfy { !$0.name(language).isEmpty })
            #expect(HoldKind.allCases.allSatisfy { !$0.name(language).isEmpty })
            #expect(PayoutItemKind.allCases.allSatisfy { !$0.name(language).isEmpty })
            #expect(AccountClass.allCases.allSatisfy { !$0.name(language).isEmpty })
        }
        #expect(CauseCode.receivingLimit.title(.zhHans) == CauseCode.receivingLimit.titleZH)
    }

    @Test func languageResolvesFromSettingThenEnvironment() {
        #expect(Language.resolve("en", environment: ["LANG": "zh_CN.UTF-8"]) == .en)
        #expect(Language.resolve("zh-Hans", environment: [:]) == .zhHans)
        #expect(Language.resolve("zh", environment: [:]) == .zhHans)
        #expect(Language.resolve("auto", environment: ["LANG": "zh_CN.UTF-8"]) == .zhHans)
        #expect(Language.resolve(nil, environment: ["LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"]) == .en)
        #expect(Language.resolve(nil, environment: ["LC_ALL": "", "LANG": "zh_TW.UTF-8"]) == .zhHans)
        #expect(Language.resolve(nil, environment: [:]) == .en)
        #expect(Language.en.toggled == .zhHans && Language.zhHans.toggled == .en)
    }

    // MARK: - Whole screens

    @Test func everyScreenKeepsItsBordersInPlaceWithChineseText() {
        for language in Language.allCases {
            for size in [Size(width: 80, height: 24), Size(width: 120, height: 36), Size(width: 200, height: 60)] {
                var state = Fixture.state(size: size, language: language)
                var screens: [MonitorState] = [state]
                _ = Fixture.press([.down, .down, .down, .down, .down, .enter], on: &state)
                screens.append(state)
                _ = Fixture.press([.escape, .char("2"), .down, .down, .enter], on: &state)
                screens.append(state)
                for screen in screens {
                    let grid = render(screen)
                    // Every body row ends in a border at the right edge: nothing pushed it.
                    for y in 2..<(size.height - 2) {
                        let edge = grid[size.width - 1, y].character
                        #expect("│┐┘┤".contains(edge), "row \(y) ends in \(edge) at \(size) \(language) \(screen.screen)")
                        #expect(grid.row(y, trimmingTrailingSpaces: false).displayWidth == size.width)
                    }
                }
            }
        }
    }

    @Test func renderIsPureAndSizedByItsArgument() {
        let state = Fixture.state(size: Size(width: 100, height: 30))
        #expect(render(state) == render(state))
        #expect(render(state, size: Size(width: 90, height: 25)).size == Size(width: 90, height: 25))
        #expect(render(state, size: Size(width: 0, height: 0)).text == "")
    }
}
