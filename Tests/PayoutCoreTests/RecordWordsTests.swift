import Testing
@testable import PayoutCore

/// The word tables: notes and the screen share a word where they agree, and keep their
/// own where they differ (see `RecordWords`).
@Suite struct RecordWordsTests {
    @Test func notesAndScreenDifferOnlyWhereTheyDid() {
        // Note reading (diagnosis, dispute notes) vs label reading (the monitor).
        #expect(PayoutItemKind.chargeback.words.note.zh == "退单" && PayoutItemKind.chargeback.words.label.zh == "拒付")
        #expect(PayoutItemKind.transaction.words.note.en == "sale" && PayoutItemKind.transaction.words.label.en == "transaction")
        #expect(PayoutItemKind.carryOver.words.note.zh == "顺延" && PayoutItemKind.carryOver.words.label.zh == "限额顺延")
        #expect(PayoutItemKind.adjustment.words.note.zh == "调账" && PayoutItemKind.adjustment.words.label.zh == "调整")
        #expect(PayoutStatus.inTransit.words.note.zh == "银行在途" && PayoutStatus.inTransit.words.label.zh == "在途")
        #expect(PayoutStatus.partial.words.note.en == "partly paid" && PayoutStatus.partial.words.label.en == "partial")
        #expect(PayoutStatus.held.words.note.zh == "暂停出款" && PayoutStatus.held.words.label.zh == "暂扣")
        #expect(AccountState.closed.words.note.zh == "已注销" && AccountState.closed.words.label.zh == "已关闭")
        #expect(HoldKind.retrievalRequest.words.note.zh == "调单（单据调阅）" && HoldKind.retrievalRequest.words.label.zh == "调单")
        #expect(HoldKind.receivingLimit.words.note.en == "receiving limit" && HoldKind.receivingLimit.words.label.en == "inflow limit")
        #expect(TxnKind.preauthCompletion.words.note.en == "pre-auth completion" && TxnKind.preauthCompletion.words.label.en == "preauth")
        // One word everywhere else.
        #expect(PayoutItemKind.fee.words.note == PayoutItemKind.fee.words.label)
        #expect(AccountState.frozen.words.note == AccountState.frozen.words.label)
        #expect(HoldKind.riskReview.wordEN == "risk review" && HoldKind.riskReview.wordZH == "风控调单")
    }

    @Test func everyWordIsGivenInBothLanguages() {
        var all: [RecordWords] = PayoutStatus.allCases.map(\.words) + HoldKind.allCases.map(\.words)
        all += PayoutItemKind.allCases.map(\.words) + AccountState.allCases.map(\.words) + TxnKind.allCases.map(\.words)
        for w in all {
            #expect(!w.note.en.isEmpty && !w.note.zh.isEmpty && !w.label.en.isEmpty && !w.label.zh.isEmpty)
        }
    }

    @Test func bilingualTextPicksByLanguage() {
        let b = BilingualText(en: "held", zh: "暂扣")
        #expect(b(.en) == "held" && b(.zhHans) == "暂扣")
        #expect(b.text(in: .zhHans) == "暂扣" && b.description == "held")
    }
}
