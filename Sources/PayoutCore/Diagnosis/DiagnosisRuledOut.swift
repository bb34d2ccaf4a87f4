import Foundation

/// What the merchant can rule out: each cause not found is checked against the evidence
/// and listed only when the reports show it is not behind the problem. Absence of
/// evidence is not enough where the reports would not show it (no account events:
/// account state is not ruled out). Each cause's check is in its file under Causes/.
extension Diagnoser {
    func ruledOutChecks(_ c: Context, codes: Set<CauseCode>) throws -> [RuledOut] {
        var out: [RuledOut] = []
        for (code, check) in Causes.ruledOutOrder where !codes.contains(code) {
            out += try check.check(self, c)
        }
        return out
    }

    /// One ruled-out sentence.
    func ruledOut(_ topic: RuledOut.Topic, _ en: String, _ zh: String) -> RuledOut { RuledOut(topic: topic, text: t(en, zh)) }
}

/// The payouts whose lines the reports give, as ruled-out sentences name them.
struct LinedPayouts {
    let facts: [PayoutFacts]
    /// "LKLP-1, LKLP-2".
    let refs: String
    /// "LKLP-1、LKLP-2".
    let refsZH: String
    /// "payout" or "payouts".
    let word: String
}

extension Context {
    var linedPayouts: LinedPayouts {
        let withLines = facts.filter { !$0.items.isEmpty }
        return LinedPayouts(facts: withLines, refs: withLines.map(\.ref).joined(separator: ", "),
                            refsZH: withLines.map(\.ref).joined(separator: "、"), word: withLines.count > 1 ? "payouts" : "payout")
    }
}
