import Foundation

/// The text of a dispute note (docs/ARCHITECTURE.md): what a merchant sends the acquirer about
/// late or short money, or, for an explained case, a record that no dispute is needed.
///
/// Pure: built from evidence, its diagnosis and "now"; writing the file is the
/// caller's job (`suggestedFileName` names it). Card numbers appear only masked as the
/// records hold them, and free text from reports is checked for full card numbers.
/// Control characters and bidi overrides are shown as visible escapes (`SafeText`).
public struct DisputeNote: Hashable, Sendable {
    /// How the note is written.
    public enum Format: String, Hashable, Sendable, CaseIterable {
        case markdown
        case plain

        /// "md" or "txt".
        public var fileExtension: String { self == .markdown ? "md" : "txt" }
    }

    public let language: Language
    public let format: Format
    /// The whole note.
    public let text: String
    /// "898440358120013-880000000201-2026-11-28.md": MID, reference (RRN or payout
    /// ref) and the local date of "now", with any character unsafe in a file name
    /// replaced by "_".
    public let suggestedFileName: String
    /// False for an explained case: the note says no dispute is needed.
    public let isDispute: Bool

    /// Writes the note for `diagnosis` of `evidence` at `now`.
    public init(evidence: Evidence, diagnosis: Diagnosis, now: Instant, language: Language, format: Format,
                sources: [ReportSource], revisions: [Revision] = []) {
        let writer = NoteWriter(e: evidence, d: diagnosis, now: now, language: language, sources: sources, revisions: revisions)
        let doc = writer.document()
        let raw = format == .markdown ? doc.markdown() : doc.plain()
        self.language = language
        self.format = format
        // Text from reports may hold escape sequences or bidi overrides; the note is
        // read in a terminal and an editor, so they are shown visibly (`SafeText`).
        self.text = SafeText.visible(CardNumber.redact(raw, keeping: writer.identifierDigits), keepingLineBreaks: true)
        self.isDispute = diagnosis.needsDispute
        let date = LocalDateTime(now, in: evidence.policy.timeZone).date.iso
        let name = [writer.mid, diagnosis.subject.reference, date].map(Self.fileSafe).joined(separator: "-")
        self.suggestedFileName = name + "." + format.fileExtension
    }

    static func fileSafe(_ s: String) -> String {
        let out = String(s.map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "_" || c == "-") ? c : "_"
        })
        return out.isEmpty ? "_" : out
    }
}

// MARK: - Writing

/// Builds the blocks of one note. Each cause's request and no-dispute clause is in its
/// file under Diagnosis/Causes/.
struct NoteWriter {
    let e: Evidence
    let d: Diagnosis
    let now: Instant
    let language: Language
    let sources: [ReportSource]
    let revisions: [Revision]
    let f: DiagnosisFormat

    init(e: Evidence, d: Diagnosis, now: Instant, language: Language, sources: [ReportSource], revisions: [Revision] = []) {
        self.e = e; self.d = d; self.now = now; self.language = language; self.sources = sources; self.revisions = revisions
        var ids = Set<String>()
        if let m = e.merchant { ids.insert(m.merchantId) }
        if let t = e.transaction { ids.insert(t.merchantId) }
        for p in e.payouts { ids.insert(p.payout.merchantId) }
        f = DiagnosisFormat(zone: e.policy.timeZone, knownIdentifiers: ids)
    }

    /// Chinese: amounts in 元, Chinese punctuation in the document.
    var zh: Bool { language == .zhHans }

    /// The English or the Chinese of a pair, by the note's language.
    func L(_ en: String, _ zhText: String) -> String { BilingualText(en: en, zh: zhText)(language) }
    func L(_ b: BilingualText) -> String { b(language) }

    var payout: Payout? { e.payouts.first?.payout }
    var mid: String { e.merchant?.merchantId ?? e.transaction?.merchantId ?? payout?.merchantId ?? "" }
    var currency: Currency { d.expectedNet.currency }

    /// The transactions the note lists: the one examined, or those of the payout.
    var transactions: [Transaction] {
        if let t = e.transaction { return [t] }
        let ref = d.subject.reference
        return e.payoutTransactions.filter { t in t.payoutRef == ref || e.payouts.first?.items.contains(where: { $0.rrn == t.rrn }) == true }
            .sorted { ($0.occurredAt, $0.rrn) < ($1.occurredAt, $1.rrn) }
    }

    /// Digit runs of every identifier in the note (MID, RRNs, references): these are
    /// not card numbers, whatever the Luhn check says.
    var identifierDigits: Set<String> {
        var ids: [String] = [mid]
        for t in transactions + [e.transaction].compactMap({ $0 }) {
            ids += [t.merchantId, t.terminalId, t.batchNo, t.traceNo, t.rrn, t.authCode]
        }
        for p in e.payouts { ids += [p.payout.ref, p.payout.bankRef ?? ""] + p.items.compactMap(\.rrn) }
        for h in e.holds { ids.append(h.ref) }
        ids += sources.map(\.sha256)
        var out = Set<String>()
        for id in ids {
            var run = ""
            for ch in id + " " {
                if ch.isASCII && ch.isNumber { run.append(ch) } else { if !run.isEmpty { out.insert(run) }; run = "" }
            }
        }
        return out
    }

    /// "29,820.00 CNY" / "29,820.00 元".
    func money(_ m: Money) -> String {
        if zh && m.currency.code == "CNY" { return m.formatted() + " 元" }
        return m.formatted() + " " + m.currency.code
    }

    /// "2026-11-26 14:20:11".
    func seconds(_ i: Instant) -> String {
        let l = LocalDateTime(i, in: e.policy.timeZone)
        let s = l.secondOfDay % 60
        return l.description + ":" + (s < 10 ? "0" : "") + String(s)
    }

    var subjectText: String {
        switch d.subject {
        case .transaction(let rrn): return L("RRN \(rrn)", "参考号 \(rrn)")
        case .payout(let ref): return L("payout \(ref)", "结算单 \(ref)")
        }
    }

    var acquirer: String { e.merchant?.acquirer ?? L("the acquirer", "收单机构") }

    // MARK: Document

    func document() -> NoteDocument {
        var doc = NoteDocument(chinese: zh)
        let dispute = d.needsDispute
        if dispute {
            doc.add(.title(L("Settlement enquiry: MID \(mid), \(subjectText)", "结算款查询函（商户号 \(mid)，\(subjectText)）")))
        } else {
            doc.add(.title(L("Settlement check: MID \(mid), \(subjectText): no dispute needed", "结算核对（商户号 \(mid)，\(subjectText)）：无需申诉")))
        }
        var head: [(String, String)] = []
        if dispute {
            head.append((L("To", "致"), L("\(acquirer), merchant services / settlement department", "\(acquirer) 商户服务中心 / 清算部")))
        } else {
            head.append((L("Acquirer", "收单机构"), acquirer))
        }
        let name = e.merchant?.name
        head.append((L("From", "发件商户"), name.map { L("\($0) (MID \(mid))", "\($0)（商户号 \(mid)）") } ?? L("MID \(mid)", "商户号 \(mid)")))
        head.append((L("Date", "日期"), L("\(f.dateTime(now)) (\(e.policy.timeZone.identifier))", "\(f.dateTime(now))（\(e.policy.timeZone.identifier)）")))
        head.append((L("Reference", "查询对象"), subjectText))
        doc.add(.fields(head))
        doc.add(.paragraph(opening()))

        doc.add(.heading(L("Merchant", "商户信息")))
        doc.add(.fields(merchantFields()))

        let txns = transactions
        if !txns.isEmpty {
            doc.add(.heading(L("Transactions", "交易明细")))
            doc.add(.table(headers: [L("Date and time", "交易时间"), L("Amount", "交易金额"), L("Card", "卡号"), L("Batch", "批次号"),
                                     L("Trace", "凭证号"), L("RRN", "参考号"), L("Auth code", "授权码"), L("Kind", "交易类型")]
                                    + (Set(txns.map(\.terminalId)).count > 1 ? [L("TID", "终端号")] : []),
                           rows: txns.map(txnRow(multiTerminal: Set(txns.map(\.terminalId)).count > 1))))
        }

        doc.add(.heading(L("Expected settlement", "应结算情况")))
        expected(&doc)

        doc.add(.heading(L("What happened", "实际到账情况")))
        doc.add(.bullets(happened()))

        let history = historyBullets()
        if !history.isEmpty {
            doc.add(.heading(L("Payout history", "结算单状态记录")))
            doc.add(.bullets(history))
        }

        doc.add(.heading(L("Difference", "差额")))
        doc.add(.paragraph(difference()))

        doc.add(.heading(L("Diagnosis", "原因分析")))
        if d.findings.isEmpty {
            doc.add(.paragraph(d.arrivedLateBy == nil ? L("Nothing to explain: the money arrived in full and on time.", "无异常：款项已按时足额到账。")
                                                      : L("The money arrived in full.", "款项已足额到账。")))
        }
        for x in d.findings {
            let title = x.code.rawValue + L(" — \(x.code.titleEN)", "（\(x.code.titleZH)）")
            doc.add(.finding(title: title, lines: x.evidence.map(L), next: (L("Next step", "处理建议"), L(x.nextStep))))
        }

        if !d.ruledOut.isEmpty {
            doc.add(.heading(L("Ruled out", "已排除的原因")))
            doc.add(.bullets(d.ruledOut.map { L($0.text) }))
        }

        if dispute {
            doc.add(.heading(L("Our request", "请求事项")))
            doc.add(.numbered(requests()))
            doc.add(.paragraph(L("Please reply quoting MID \(mid) and \(subjectText).", "回复时请注明商户号 \(mid) 及\(subjectText)。")))
            doc.add(.paragraph(L("\(name ?? "MID \(mid)")\nContact: ____________  Phone: ____________",
                                 "\(name ?? "商户号 \(mid)")\n联系人：____________  电话：____________")))
        } else {
            doc.add(.heading(L("No dispute needed", "无需申诉")))
            doc.add(.paragraph(noDisputeReason()))
        }

        if !revisions.isEmpty {
            doc.add(.heading(L("Revised by later reports", "对账文件前后不一致之处")))
            doc.add(.paragraph(L("The reports disagree on these values; the figures above use the later one.",
                                 "以下数值在不同对账文件中不一致；上文按较晚的文件计算。")))
            doc.add(.bullets(revisions.map { r in
                r.recordName(language) + (zh ? "，" : ", ") + r.sentence(in: e.policy.timeZone, language: language)
            }))
        }

        doc.add(.heading(L("Source reports", "依据的对账文件")))
        doc.add(.sources(sources.map { ($0.path, $0.sha256) }, none: L("none given", "未提供")))
        doc.add(.paragraph(L("Written by payoutmon on \(f.dateTime(now)) (\(e.policy.timeZone.identifier)) from the reports above.",
                             "本函由 payoutmon 根据上述对账文件于 \(f.dateTime(now))（\(e.policy.timeZone.identifier)）生成。")))
        return doc
    }

    // MARK: Sections

    func opening() -> String {
        let exp = money(d.expectedNet), got = money(d.received), short = money(d.shortBy)
        let what = e.transaction == nil ? L("payout \(d.subject.reference)", "结算单 \(d.subject.reference)") : L("the transaction below", "下列交易")
        let whatZH = e.transaction == nil ? "结算单 \(d.subject.reference)" : "我店下列交易"
        if !d.needsDispute {
            switch d.state {
            case .pending:
                return L("This note records a check of \(what). Its settlement is not due yet; no dispute is needed now.",
                         "本函记录对\(whatZH)结算情况的核对：结算款尚未到期，目前无需申诉。")
            case .awaitingReport:
                return L("This note records a check of \(what). No settlement report covering the day it settles on has been imported yet, so the reports cannot say whether it was paid; no dispute is needed now.",
                         "本函记录对\(whatZH)结算情况的核对：尚未导入覆盖其结算日的对账单，无法判断是否已结算，目前无需申诉。")
            default:
                return L("This note records a check of \(what). The money arrived as the contract and the settlement calendar say: no dispute is needed.",
                         "本函记录对\(whatZH)结算情况的核对：款项已按合同约定及结算日历到账，无需申诉。")
            }
        }
        switch d.state {
        case .late where d.received.isZero:
            let due = (e.expectation?.dueBy ?? d.shares.first.map { $0.lateAfter.adding(minutes: -Int64(e.policy.graceMinutes)) })
                .map(f.dateTime) ?? "—"
            return L("The settlement of \(what) (\(exp)) was due by \(due) and has not reached our account. The details and our request follow.",
                     "\(whatZH)的结算款 \(exp)应于 \(due) 前到账，至今未收到。详情及请求事项如下，烦请核查。")
        case .failed:
            let returned = d.shares.contains { $0.status == .returned }
            return L("The settlement of \(what) (\(exp)) did not reach our account: the payout was \(returned ? "returned by the bank" : "rejected at the bank"). The details and our request follow.",
                     "\(whatZH)的结算款 \(exp)未能到账（\(returned ? "出款退汇" : "出款失败")）。详情及请求事项如下，烦请核查。")
        case .held where d.received.isZero:
            return L("The settlement of \(what) (\(exp)) is held and has not reached our account. The details and our request follow.",
                     "\(whatZH)的结算款 \(exp)被暂扣，至今未到账。详情及请求事项如下，烦请核查。")
        case .otherCurrency:
            return L("The settlement of \(what) (\(exp)) was paid in another currency; payoutmon does not convert currencies, so it cannot check the amount. The details and our request follow.",
                     "\(whatZH)的结算款 \(exp)以其他币种结算，本工具不做币种换算，无法核对金额。详情及请求事项如下，烦请核查。")
        default:
            if d.shortBy.isZero {
                return L("We ask you to look into the settlement of \(what). The details and our request follow.",
                         "请协助核查\(whatZH)的结算情况。详情及请求事项如下。")
            }
            return L("We expected \(exp) for \(what) and have received \(got); \(short) has not reached our account. The details and our request follow.",
                     "\(whatZH)应结算 \(exp)，实际到账 \(got)，尚有 \(short)未到账。详情及请求事项如下，烦请核查。")
        }
    }

    func merchantFields() -> [(String, String)] {
        var out: [(String, String)] = []
        if let m = e.merchant { out.append((L("Merchant name", "商户名称"), m.name)) }
        out.append((L("MID", "商户号"), mid))
        var tids: [String] = []
        for t in transactions {
            let s = t.terminalName.map { L("\(t.terminalId) (\($0))", "\(t.terminalId)（\($0)）") } ?? t.terminalId
            if !tids.contains(s) { tids.append(s) }
        }
        if !tids.isEmpty { out.append((L("TID", "终端号"), tids.joined(separator: L(", ", "，")))) }
        if let m = e.merchant {
            let limit = m.dailyInflowLimit ?? SettlementPolicy.defaultInflowLimit(for: m.accountClass, currency: m.currency)
            let cls = limit.map { L("\(m.accountClass.titleEN), \($0.formatted()) a day inflow limit", "\(m.accountClass.titleZH)，单日入金限额 \($0.formatted())") }
                ?? L(m.accountClass.titleEN, m.accountClass.titleZH)
            out.append((L("Settlement account", "结算账户"), L("\(m.bankAccountMasked) (\(cls))", "\(m.bankAccountMasked)（\(cls)）")))
        } else {
            out.append((L("Settlement account", "结算账户"), L("not in the reports", "对账文件未提供")))
        }
        return out
    }

    func txnRow(multiTerminal: Bool) -> (Transaction) -> [String] {
        { t in
            let card = t.cardMasked.isEmpty ? L(t.cardKind.wordEN, t.cardKind.zhName)
                : "\(t.cardMasked) " + L("(\(t.cardKind.wordEN))", t.cardKind.zhName)
            return [seconds(t.occurredAt), t.amount.formatted(), card, t.batchNo, t.traceNo, t.rrn, t.authCode,
                    L(t.kind.wordEN, t.kind.wordZH)] + (multiTerminal ? [t.terminalId] : [])
        }
    }

    func expected(_ doc: inout NoteDocument) {
        if let exp = e.expectation, e.policy.contractApplies {
            let window = e.policy.creditWindow
            var fields: [(String, String)] = [(L("Cycle", "结算周期"), exp.cycle.description)]
            let days = exp.portions.map { p -> String in
                let part = exp.portions.count > 1 ? L("\(p.route == .d0 ? "D+0" : "T+1") part \(p.gross.formatted()): ", "\(p.route == .d0 ? "秒到" : "T+1")部分 \(p.gross.formatted())：") : ""
                if p.route == .d0 {
                    return part + L("\(p.settlementDay.iso), due by \(f.dateTime(p.dueBy))", "\(p.settlementDay.iso)，最晚 \(f.dateTime(p.dueBy))")
                }
                return part + L("\(p.settlementDay.iso), credit window \(window)", "\(p.settlementDay.iso) \(window) 入账")
            }
            fields.append((L("Settlement date", "结算日（出款日）"), days.joined(separator: L("; ", "；"))))
            fields.append((L("Late after", "逾期时点"), f.dateTime(exp.lateAfter)))
            fields.append((L("Expected net", "应结净额"), L(FeeText.arithmetic(exp))))
            doc.add(.fields(fields))
            let why = exp.steps.filter { $0.kind != .fee && $0.kind != .net && $0.kind != .reserve }.map { L($0.en, $0.zh) }
            if !why.isEmpty {
                doc.add(.paragraph(L("How the date was computed:", "推算依据：")))
                doc.add(.bullets(why))
            }
        } else if let t = e.transaction {
            let fee = t.fee ?? .zero(t.amount.currency)
            let net = (try? t.amount.subtracting(fee)) ?? t.amount
            if !e.policy.contractApplies {
                let cur = t.amount.currency.code
                doc.add(.paragraph(L("The configured contract (cycle, fees) is not for \(cur) money: the acquirer's own payout schedule and the fee its report states apply.",
                                     "配置中的结算合同（周期、费率）不适用于 \(cur) 款项：以收单机构自己的出款安排及对账单所列手续费为准。")))
            }
            doc.add(.fields([(L("Expected net", "应结净额"), L("\(t.amount.formatted()) − \(fee.formatted()) fee (as reported) = \(net.formatted())",
                                                          "\(t.amount.formatted()) − 手续费 \(fee.formatted())（对账单所列）= \(net.formatted())"))]))
        }
        if e.transaction == nil, let pe = e.payouts.first {
            let p = pe.payout
            var fields: [(String, String)] = [
                (L("Payout", "结算单"), L("\(p.ref), cycle date \(p.cycleDate.iso)", "\(p.ref)，结算日 \(p.cycleDate.iso)")),
                (L("Expected amount", "应结金额"), money(p.expectedAmount)),
            ]
            if let a = p.expectedArrival {
                fields.append((L("Expected arrival", "预计到账"), L("\(f.dateTime(a)); late after \(d.lateAfter.map(f.dateTime) ?? "—")",
                                                               "\(f.dateTime(a))；逾期时点 \(d.lateAfter.map(f.dateTime) ?? "—")")))
            }
            doc.add(.fields(fields))
            let items = pe.items.sorted { $0.lineNo < $1.lineNo }
            if !items.isEmpty {
                doc.add(.table(headers: [L("Line", "行号"), L("Kind", "类型"), L("Amount", "金额"), L("RRN", "参考号"), L("Note", "备注")],
                               rows: items.map { [String($0.lineNo), L($0.kind.wordEN, $0.kind.wordZH), f.signed($0.amount), $0.rrn ?? "", f.safe($0.note ?? "")] }))
            }
            if let c = d.checks.first, let balances = c.balances {
                doc.add(.paragraph(balances
                    ? L("Check: the lines other than holds and carry-overs sum to \(c.settlementTotal.formatted()), the expected amount.",
                        "核对：除暂扣及顺延外的明细合计 \(c.settlementTotal.formatted())，与应结金额一致。")
                    : L("Check: the lines other than holds and carry-overs sum to \(c.settlementTotal.formatted()), not the expected \(c.expectedAmount.formatted()).",
                        "核对：除暂扣及顺延外的明细合计 \(c.settlementTotal.formatted())，与应结金额 \(c.expectedAmount.formatted()) 不符。")))
            }
        }
    }

    func happened() -> [String] {
        var out: [String] = []
        for s in d.shares {
            var en = "", zhs = ""
            if s.isCredited, let paid = s.paidAmount {
                let at = s.creditedAt.map(f.dateTime) ?? s.cycleDate.iso
                en = "payout \(s.ref): \(paid.formatted()) credited \(at) (\(s.status.wordEN))"
                zhs = "结算单 \(s.ref)：\(at) 到账 \(paid.formatted())（\(s.status.wordZH)）"
                if let b = s.bankRef {
                    en += ", bank reference \(b)"
                    zhs += "，银行流水号 \(b)"
                }
                if s.shared && e.transaction != nil {
                    en += "; this transaction's part \(s.received.formatted())"
                    zhs += "；其中本笔 \(s.received.formatted())"
                }
            } else {
                en = "payout \(s.ref) \(s.expectedAmount.formatted()): not received (\(s.status.wordEN))"
                zhs = "结算单 \(s.ref) \(s.expectedAmount.formatted())：未到账（\(s.status.wordZH)）"
                if s.status == .scheduled || s.status == .processing || s.status == .inTransit, let a = s.expectedArrival {
                    en += ", expected from \(f.dateTime(a))"
                    zhs += "，预计 \(f.dateTime(a)) 起到账"
                }
                if let code = s.failureCode {
                    en += ", failure code \(f.safe(code))"
                    zhs += "，\(s.status == .returned ? "退汇原因" : s.status == .failed ? "失败原因" : "原因") \(f.safe(code))"
                }
                if let b = s.bankRef {
                    en += ", bank reference \(b)"
                    zhs += "，银行流水号 \(b)"
                }
            }
            out.append(L(en, zhs))
        }
        if out.isEmpty && d.state == .awaitingReport {
            out.append(L("No payout in the imported reports carries this transaction yet: no report covering its settlement day has been imported.",
                         "已导入的对账文件中暂无包含该笔交易的结算单：尚未导入覆盖其结算日的对账单。"))
        } else if out.isEmpty {
            out.append(L("Not received: no payout in the reports carries this transaction.", "未到账：对账文件中没有包含该笔交易的结算单。"))
        } else {
            out.append(L("Received in all: \(money(d.received))", "合计到账：\(money(d.received))"))
        }
        return out
    }

    func difference() -> String {
        let exp = money(d.expectedNet), got = money(d.received), short = money(d.shortBy)
        switch d.state {
        case .settled, .reversed:
            var s = L("Expected \(exp), received \(got): nothing is outstanding.", "应结 \(exp)，已到账 \(got)：无未到账款项。")
            if let t = e.transaction, t.amount.minor > 0, d.received.minor < t.amount.minor,
               let diff = try? t.amount.subtracting(d.received) {
                s += L(" The \(money(diff)) less than the \(money(t.amount)) swiped is accounted for below.",
                       "与交易金额 \(money(t.amount))相差的 \(money(diff))说明如下。")
            } else if e.transaction == nil, let pe = e.payouts.first {
                let sales = pe.items.filter { $0.kind == .transaction }.reduce(Int64(0)) { $0 + $1.amount.minor }
                if sales > d.received.minor {
                    let diff = Money(minor: sales - d.received.minor, currency: currency)
                    s += L(" The \(money(diff)) less than the \(money(Money(minor: sales, currency: currency))) in sales is accounted for below.",
                           "与交易金额 \(money(Money(minor: sales, currency: currency)))相差的 \(money(diff))说明如下。")
                }
            }
            return s
        case .pending:
            let due = d.lateAfter.map(f.dateTime) ?? "—"
            return L("Expected \(exp), received \(got): \(short) still to come, not late before \(due).",
                     "应结 \(exp)，已到账 \(got)：尚有 \(short)待到账，\(due) 前不算逾期。")
        case .late:
            let due = d.lateAfter.map(f.dateTime) ?? "—"
            return L("Expected \(exp), received \(got): \(short) outstanding, late since \(due).",
                     "应结 \(exp)，已到账 \(got)：差额 \(short)，自 \(due) 起逾期。")
        case .awaitingReport:
            return L("Expected \(exp); no settlement report covering its day has been imported yet.",
                     "应结 \(exp)；尚未导入覆盖其结算日的对账单。")
        case .otherCurrency:
            return L("Expected \(exp); paid in another currency (see below): the amount in \(currency.code) cannot be checked.",
                     "应结 \(exp)；以其他币种结算（见下文）：无法核对 \(currency.code) 金额。")
        default:
            return L("Expected \(exp), received \(got): \(short) outstanding.", "应结 \(exp)，已到账 \(got)：差额 \(short)。")
        }
    }

    /// One request per cause that is not explained, in the order of the findings.
    func requests() -> [String] {
        var out: [String] = []
        for x in d.findings where !x.explained {
            if let request = x.code.descriptor.request(self, x) { out.append(request) }
        }
        if out.isEmpty {
            out.append(creditDateRequest(money(d.shortBy)))
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }

    /// The amount a request names: the finding's, else what is short.
    func requestAmount(_ x: Finding) -> String { x.amount.map(money) ?? money(d.shortBy) }

    /// The first payout not credited, else the first payout.
    var firstRef: String? { d.shares.first { !$0.isCredited }?.ref ?? d.shares.first?.ref }

    /// "Tell us when the 200.00 CNY will be credited, and a ticket number for this enquiry."
    func creditDateRequest(_ amount: String) -> String {
        L("Tell us when the \(amount) will be credited, and a ticket number for this enquiry.",
          "请告知 \(amount)的到账时间，并提供本次查询的工单号。")
    }

    /// Why no dispute is needed, from the explained findings.
    func noDisputeReason() -> String {
        var clauses: [String] = []
        if d.state == .pending {
            let due = d.lateAfter.map(f.dateTime) ?? "—"
            clauses.append(L("the money is not due yet: it is late only after \(due)", "款项尚未到期，\(due) 之后仍未到账才算逾期"))
        }
        for x in d.findings where x.explained {
            if let clause = x.code.descriptor.noDisputeClause?(self, x) { clauses.append(clause) }
        }
        if clauses.isEmpty {
            clauses.append(d.arrivedLateBy == nil ? L("the money arrived in full and on time", "款项已按时足额到账")
                                                  : L("the money arrived in full", "款项已足额到账"))
        }
        return L("No dispute is needed: " + clauses.joined(separator: "; ") + ". Keep this note with the reports below in case of a later question.",
                 "无需申诉：" + clauses.joined(separator: "；") + "。请将本记录与下列对账文件一并留存备查。")
    }
}

extension NoteWriter {
    /// Every state the reports gave each payout, with its file and line, when a payout
    /// went through more than one (or the note is about the payout itself).
    func historyBullets() -> [String] {
        var out: [String] = []
        for pe in e.payouts where pe.history.count > 1 || (e.transaction == nil && !pe.history.isEmpty) {
            for h in pe.history {
                let paid = h.paidAmount.map { " " + $0.formatted() } ?? ""
                let code = h.failureCode.map { " (\(SafeText.visible(f.safe($0))))" } ?? ""
                let when = h.creditedAt.map { L("credited \(f.dateTime($0))", "到账 \(f.dateTime($0))") }
                    ?? L("read \(f.dateTime(h.seenAt))", "读入 \(f.dateTime(h.seenAt))")
                out.append(L("payout \(pe.payout.ref): \(h.status.wordEN)\(paid)\(code), \(when) — \(SafeText.visible(f.safe(h.sourcePath))):\(h.line)",
                             "结算单 \(pe.payout.ref)：\(h.status.wordZH)\(paid)\(code)，\(when) — \(SafeText.visible(f.safe(h.sourcePath))):\(h.line)"))
            }
        }
        return out
    }
}
