import Foundation

/// The note about a merchant account (docs/ARCHITECTURE.md, "Note"): its state and the
/// history of states, its holds, the payouts it affects and what to ask the acquirer,
/// written from an `AccountCaseFile` in English or Chinese.
///
/// Pure like `DisputeNote`: the caller writes the file under `suggestedFileName`. Text
/// from reports goes through `CardNumber.redact` and `SafeText.visible`.
public struct AccountNote: Hashable, Sendable {
    public let language: Language
    public let format: DisputeNote.Format
    public let text: String
    /// "898440358120013-account-2026-10-14.md".
    public let suggestedFileName: String
    /// False when the account is active with nothing withheld: the note records that.
    public let isDispute: Bool

    public init(caseFile c: AccountCaseFile, now: Instant, zone: TimeZone, language: Language, format: DisputeNote.Format) {
        let w = AccountNoteWriter(c: c, now: now, zone: zone, language: language)
        let doc = w.document()
        let raw = format == .markdown ? doc.markdown() : doc.plain()
        self.language = language
        self.format = format
        self.text = SafeText.visible(CardNumber.redact(raw, keeping: w.identifierDigits), keepingLineBreaks: true)
        self.isDispute = w.needsEnquiry
        let date = LocalDateTime(now, in: zone).date.iso
        self.suggestedFileName = [c.merchant.merchantId, "account", date].map(DisputeNote.fileSafe).joined(separator: "-")
            + "." + format.fileExtension
    }
}

struct AccountNoteWriter {
    let c: AccountCaseFile
    let now: Instant
    let zone: TimeZone
    let language: Language

    var zh: Bool { language == .zhHans }
    func L(_ en: String, _ zhText: String) -> String { BilingualText(en: en, zh: zhText)(language) }
    var mid: String { c.merchant.merchantId }
    var stateWord: String { zh ? c.state.wordZH : c.state.wordEN }
    var openHolds: [Hold] { c.openHolds(at: now).filter { !$0.amount.isZero } }
    var affected: [PayoutLine] { c.affected(at: now) }
    var needsEnquiry: Bool { c.state != .active || !openHolds.isEmpty || !affected.isEmpty }

    func money(_ m: Money) -> String {
        if zh && m.currency.code == "CNY" { return m.formatted() + " 元" }
        return m.formatted() + " " + m.currency.code
    }

    func time(_ i: Instant) -> String { LocalDateTime(i, in: zone).description }

    /// A payout's money state in the note's words.
    func stateWord(_ s: MoneyState) -> String {
        switch s {
        case .pending: return L("pending", "待结算")
        case .settled: return L("settled", "已结算")
        case .short: return L("short", "短款")
        case .late: return L("late", "逾期")
        case .held: return L("held", "暂扣")
        case .reversed: return L("reversed", "已冲正")
        case .failed: return L("failed", "失败")
        case .awaitingReport: return L("awaiting report", "待对账单")
        case .otherCurrency: return L("other currency", "币种不符")
        }
    }

    /// Sums per currency, never across currencies: "20,000.00 元 + 100.00 USD".
    func totals(_ amounts: [Money]) -> String {
        var byCode: [String: Money] = [:]
        var order: [String] = []
        for m in amounts {
            if let sum = byCode[m.currency.code] {
                byCode[m.currency.code] = Money(minor: sum.minor &+ m.minor, currency: m.currency)
            } else {
                byCode[m.currency.code] = m
                order.append(m.currency.code)
            }
        }
        return order.compactMap { byCode[$0].map(money) }.joined(separator: " + ")
    }

    var identifierDigits: Set<String> {
        var ids = [mid] + c.holds.flatMap { [$0.ref, $0.rrn ?? "", $0.payoutRef ?? ""] }
        ids += c.payouts.flatMap { [$0.payout.ref, $0.payout.bankRef ?? ""] }
        ids += c.sources.map(\.sha256)
        var out = Set<String>()
        for id in ids {
            var run = ""
            for ch in id + " " {
                if ch.isASCII && ch.isNumber { run.append(ch) } else { if !run.isEmpty { out.insert(run) }; run = "" }
            }
        }
        return out
    }

    func document() -> NoteDocument {
        var doc = NoteDocument(chinese: zh)
        let m = c.merchant
        if needsEnquiry {
            doc.add(.title(L("Account enquiry: MID \(mid), account \(stateWord)", "商户账户查询函（商户号 \(mid)，账户\(stateWord)）")))
        } else {
            doc.add(.title(L("Account check: MID \(mid), account active: no enquiry needed", "商户账户核对（商户号 \(mid)，账户正常）：无需查询")))
        }
        var head: [(String, String)] = []
        head.append(needsEnquiry ? (L("To", "致"), L("\(m.acquirer), merchant services / risk department", "\(m.acquirer) 商户服务中心 / 风控部"))
                                 : (L("Acquirer", "收单机构"), m.acquirer))
        head.append((L("From", "发件商户"), L("\(m.name) (MID \(mid))", "\(m.name)（商户号 \(mid)）")))
        head.append((L("Date", "日期"), L("\(time(now)) (\(zone.identifier))", "\(time(now))（\(zone.identifier)）")))
        var stateText = stateWord
        if let since = c.since { stateText += L(" since \(time(since))", "（自 \(time(since)) 起）") }
        if let reason = c.reason, !reason.isEmpty { stateText += L(": \(reason)", "：\(reason)") }
        head.append((L("Account state", "账户状态"), stateText))
        head.append((L("Settlement account", "结算账户"), m.bankAccountMasked.isEmpty ? L("not in the reports", "对账文件未提供") : m.bankAccountMasked))
        doc.add(.fields(head))

        doc.add(.heading(L("State history", "账户状态记录")))
        if c.events.isEmpty {
            doc.add(.paragraph(L("The reports give no change of state: the account counts as active.", "对账文件未记录状态变化，视为正常。")))
        } else {
            doc.add(.bullets(c.events.map { e in
                let word = zh ? e.state.wordZH : e.state.wordEN
                return time(e.at) + " " + word + (e.reason.isEmpty ? "" : L(": \(e.reason)", "：\(e.reason)"))
            }))
        }

        doc.add(.heading(L("Holds", "暂扣与保证金")))
        if c.holds.isEmpty {
            doc.add(.paragraph(L("The reports name no hold on this account.", "对账文件未记录该账户的暂扣。")))
        } else {
            doc.add(.table(headers: [L("Ref", "编号"), L("Kind", "类型"), L("Amount", "金额"), L("Held back", "暂扣对象"),
                                     L("Opened", "开始"), L("Released", "释放"), L("Reason", "原因")],
                           rows: c.holds.map { h in
                               let what = [h.payoutRef.map { L("payout \($0)", "结算单 \($0)") }, h.rrn.map { L("RRN \($0)", "参考号 \($0)") }]
                                   .compactMap { $0 }.joined(separator: L(", ", "，"))
                               return [h.ref, zh ? h.kind.wordZH : h.kind.wordEN, money(h.amount), what.isEmpty ? "—" : what,
                                       time(h.openedAt), h.releasedAt.map(time) ?? L("still held", "未释放"), h.reason]
                           }))
            let open = openHolds
            if !open.isEmpty {
                doc.add(.paragraph(L("Still withheld: \(totals(open.map(\.amount))).", "仍被暂扣：\(totals(open.map(\.amount)))。")))
            }
        }

        doc.add(.heading(L("Payouts it affects", "受影响的结算单")))
        let hit = affected
        if hit.isEmpty {
            doc.add(.paragraph(L("No payout of this account is held, short, failed or late.", "该账户没有被暂扣、短款、失败或逾期的结算单。")))
        } else {
            doc.add(.table(headers: [L("Payout", "结算单"), L("Cycle date", "结算日"), L("Expected", "应结金额"), L("Paid", "实付金额"),
                                     L("State", "状态"), L("Cause", "原因")],
                           rows: hit.map { line in
                               let p = line.payout
                               let st = line.state(at: now)
                               return [p.ref, p.cycleDate.iso, money(p.expectedAmount), p.paidAmount.map(money) ?? "—",
                                       stateWord(st), line.cause.map { $0.rawValue + L(" (\($0.titleEN))", "（\($0.titleZH)）") } ?? "—"]
                           }))
            let unpaid = hit.map { l -> Money in
                let paid = l.payout.paidAmount?.currency == l.payout.expectedAmount.currency ? l.payout.paidAmount!.minor : 0
                return Money(minor: max(0, l.payout.expectedAmount.minor - paid), currency: l.payout.expectedAmount.currency)
            }.filter { !$0.isZero }
            if !unpaid.isEmpty {
                doc.add(.paragraph(L("Not yet paid of these: \(totals(unpaid)).", "其中尚未到账：\(totals(unpaid))。")))
            }
        }

        if needsEnquiry {
            doc.add(.heading(L("What we ask", "请求事项")))
            doc.add(.numbered(requests()))
            doc.add(.paragraph(L("Please reply quoting MID \(mid).", "回复时请注明商户号 \(mid)。")))
            doc.add(.paragraph(L("\(m.name)\nContact: ____________  Phone: ____________", "\(m.name)\n联系人：____________  电话：____________")))
        } else {
            doc.add(.heading(L("No enquiry needed", "无需查询")))
            doc.add(.paragraph(L("The account is active and the reports show nothing withheld.", "账户状态正常，对账文件未显示任何暂扣。")))
        }

        doc.add(.heading(L("Source reports", "依据的对账文件")))
        doc.add(.sources(c.sources.map { ($0.path, $0.sha256) }, none: L("none given", "未提供")))
        doc.add(.paragraph(L("Written by payoutmon on \(time(now)) (\(zone.identifier)) from the reports above.",
                             "本函由 payoutmon 根据上述对账文件于 \(time(now))（\(zone.identifier)）生成。")))
        return doc
    }

    func requests() -> [String] {
        var out: [String] = []
        if c.state != .active {
            let since = c.since.map { L(" since \(time($0))", "自 \(time($0)) 起") } ?? ""
            out.append(L("State why the account is \(stateWord)\(since), which documents you need from us, and when it will be active again.",
                         "请说明账户\(since)\(stateWord)的原因、需要我方提供的材料，以及恢复正常的时间。"))
        }
        for h in openHolds {
            let kind = zh ? h.kind.wordZH : h.kind.wordEN
            out.append(L("Hold \(h.ref) (\(kind), \(money(h.amount))): state its reason and the date it will be released.",
                         "暂扣 \(h.ref)（\(kind)，\(money(h.amount))）：请说明原因及释放日期。"))
        }
        let hit = affected
        if !hit.isEmpty {
            let refs = hit.map(\.payout.ref).joined(separator: L(", ", "、"))
            out.append(L("Payouts \(refs): state when each will be paid, and to which account.",
                         "结算单 \(refs)：请说明各笔的到账日期及收款账户。"))
        }
        return out
    }
}
