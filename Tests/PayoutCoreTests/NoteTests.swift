import Foundation
import Testing
@testable import PayoutCore

/// Dispute notes: golden files for the demo stories in both languages and formats,
/// and the rules every note keeps.
///
/// The golden files live in Tests/PayoutCoreTests/Golden/notes/. To rewrite them after
/// a deliberate change, run the tests with PAYOUTMON_UPDATE_GOLDEN=1 and review the diff.
@Suite struct NoteTests {
    typealias F = DiagnosisFixtures

    static var goldenDir: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/notes")
    }

    static var updating: Bool { ProcessInfo.processInfo.environment["PAYOUTMON_UPDATE_GOLDEN"] == "1" }

    /// The stories with golden notes: both "30,000 swiped, 10,000 arrived" causes,
    /// frozen account, bank return, backlog, and the explained fee case.
    static let goldenStories: [(String, @Sendable () throws -> Evidence)] = [
        ("story2-receiving-limit", { try F.story2() }),
        ("story3-risk-review", { try F.story3() }),
        ("story5-account-frozen", { try F.story5() }),
        ("story6-bank-return", { try F.story6() }),
        ("story7-backlog", { try F.story7() }),
        ("story9-fees-explained", { try F.story9() }),
    ]

    static let cases: [(String, Language, DisputeNote.Format)] = goldenStories.flatMap { story in
        Language.allCases.flatMap { lang in DisputeNote.Format.allCases.map { (story.0, lang, $0) } }
    }

    func note(_ e: Evidence, _ lang: Language = .en, _ format: DisputeNote.Format = .markdown) throws -> DisputeNote {
        let now = try F.now()
        return DisputeNote(evidence: e, diagnosis: Diagnosis.diagnose(e, now: now), now: now, language: lang, format: format,
                           sources: F.sources)
    }

    @Test(arguments: 0..<cases.count)
    func golden(_ index: Int) throws {
        let (name, lang, format) = Self.cases[index]
        let make = try #require(Self.goldenStories.first { $0.0 == name }?.1)
        let n = try note(make(), lang, format)
        let url = Self.goldenDir.appendingPathComponent("\(name).\(lang.rawValue).\(format.fileExtension)")
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.goldenDir, withIntermediateDirectories: true)
            try n.text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file \(url.path): run the tests with PAYOUTMON_UPDATE_GOLDEN=1 to write it")
            return
        }
        expectSameText(n.text, expected, url.lastPathComponent)
    }

    /// Removes the identifiers that are not card numbers but may pass the Luhn check
    /// (the Bao'an shop's MID 898440358120031 does), then looks for a full card number.
    func hasFullPAN(_ text: String) -> Bool {
        var t = text
        for mid in [F.mainMID, F.classIIMID, F.frozenMID, F.d0MID] { t = t.replacingOccurrences(of: mid, with: "MID") }
        return CardNumber.containsFullPAN(t)
    }

    @Test func noNoteHasAFullCardNumber() throws {
        let all = try [F.story1(), F.story2(), F.story3(), F.story4(), F.story5(), F.story6(), F.story7(), F.story8(), F.story9(),
                       F.story10(), F.story11(), F.story9Payout()]
        for e in all {
            for lang in Language.allCases {
                for format in DisputeNote.Format.allCases {
                    let n = try note(e, lang, format)
                    #expect(!hasFullPAN(n.text), "\(n.suggestedFileName) \(lang) \(format)")
                }
            }
        }
    }

    @Test func cardNumberInReportTextIsMasked() throws {
        var e = try F.story3()
        e.holds[0].reason = "请提供卡号 6228480012345678903 的签购单"
        let n = try note(e, .zhHans)
        #expect(!CardNumber.containsFullPAN(n.text))
        #expect(n.text.contains("请提供卡号 622848*********8903 的签购单"))
        // The MID stays whole even though it passes the Luhn check.
        let frozen = try note(F.story5())
        #expect(frozen.text.contains(F.frozenMID))
    }

    @Test func fileNames() throws {
        #expect(try note(F.story2()).suggestedFileName == "\(F.classIIMID)-\(F.rrn(2))-2026-11-28.md")
        #expect(try note(F.story3(), .zhHans, .plain).suggestedFileName == "\(F.mainMID)-\(F.rrn(3))-2026-11-28.txt")
        #expect(try note(F.story9Payout()).suggestedFileName == "\(F.mainMID)-\(F.ref(9))-2026-11-28.md")
        #expect(DisputeNote.fileSafe("po_1/2 x") == "po_1_2_x")
    }

    @Test func explainedCasesSayNoDisputeIsNeeded() throws {
        for e in try [F.story1(), F.story4(), F.story8(), F.story9(), F.story10(), F.story9Payout()] {
            let en = try note(e)
            #expect(!en.isDispute)
            #expect(en.text.contains("No dispute is needed: "))
            #expect(!en.text.contains("## Our request"))
            #expect(!en.text.contains("\nTo:") && !en.text.contains("**To:**"))
            let zh = try note(e, .zhHans)
            #expect(zh.text.contains("无需申诉："))
            #expect(!zh.text.contains("请求事项"))
        }
        let fee = try note(F.story9())
        #expect(fee.text.contains("No dispute is needed: the 36.00 CNY less than the 6,000.00 CNY swiped is the fee at the contracted rate (0.60%)"))
        let holiday = try note(F.story4())
        #expect(holiday.text.contains("the settlement day moved from 2026-10-01 to 2026-10-08 with the weekends and holidays"))
    }

    @Test func disputesCarryEveryIdentifier() throws {
        for e in try [F.story2(), F.story3(), F.story5(), F.story6(), F.story7(), F.story11()] {
            let t = try #require(e.transaction)
            for lang in Language.allCases {
                let n = try note(e, lang)
                #expect(n.isDispute)
                for id in [t.merchantId, t.terminalId, t.batchNo, t.traceNo, t.rrn, t.authCode, t.cardMasked,
                           e.merchant?.bankAccountMasked ?? "", e.payouts[0].payout.ref] {
                    #expect(n.text.contains(id), "\(id) missing from \(n.suggestedFileName) \(lang)")
                }
                for s in F.sources { #expect(n.text.contains(s.sha256)) }
            }
        }
    }

    @Test func unexplainedShortfallAsksForAStatement() throws {
        let n = try note(F.story11())
        #expect(n.text.contains("Send us an itemised statement of payout \(F.ref(11)) that accounts for the 200.00 CNY"))
        let zh = try note(F.story11(), .zhHans)
        #expect(zh.text.contains("请按差错处理流程核查结算单 \(F.ref(11))：提供逐笔明细，说明差额 200.00 元的原因代码"))
    }

    @Test func ruledOutOnlyWhatTheEvidenceShows() throws {
        // Story 3: the risk hold is the cause, so holds are not ruled out; refunds are.
        let n = try note(F.story3())
        #expect(n.text.contains("- no refund is netted in payout \(F.ref(3))"))
        #expect(!n.text.contains("no risk review or retrieval request"))
        // Without account events the account state is not ruled out.
        var e = try F.story11()
        e.accountEvents = []
        #expect(!(try note(e)).text.contains("the merchant account has been active"))
    }

    @Test func payoutNoteListsItsLinesAndTransactions() throws {
        let e = try F.story9Payout()
        let n = try note(e, .en, .plain)
        #expect(n.text.contains("== Transactions =="))
        #expect(n.text.contains("RRN: \(F.rrn(9))"))
        #expect(n.text.contains("RRN: 880000000902"))
        #expect(n.text.contains("Check: the lines other than holds and carry-overs sum to 9,940.00, the expected amount."))
    }
}
