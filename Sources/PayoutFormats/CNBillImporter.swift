import Foundation
import PayoutCore

/// The helpers the importers of WeChat Pay and Alipay merchant bills share
/// (docs/report-formats.md, "wechat-bill" and "alipay-statement"); their headers are
/// recognised in FormatDetection.swift.
enum CNBills {
    /// A header cell as compared: no byte order mark, guard backtick or space, and for
    /// Alipay's money columns no unit in brackets ("收入金额（+元）" -> "收入金额").
    static func name(_ raw: String) -> String {
        var out = ""
        for ch in raw {
            switch ch {
            case "\u{FEFF}", "`", " ", "\t", "\u{3000}", "\u{00A0}": continue
            default: out.append(ch)
            }
        }
        if let open = out.firstIndex(where: { $0 == "(" || $0 == "（" }), out.hasPrefix("收入金额") || out.hasPrefix("支出金额") || out.hasPrefix("账户余额") {
            return String(out[..<open])
        }
        return out
    }

    /// Column indices by name; a name written twice is the error `FILE:LINE` of the header.
    static func index(_ header: [String], line: Int, _ s: ImportSession) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for (i, h) in header.enumerated() {
            let n = name(h)
            if n.isEmpty { continue }
            if let first = out[n] {
                throw s.error(line, n, "the header names this column twice (columns \(first + 1) and \(i + 1)): which one holds the figures cannot be told")
            }
            out[n] = i
        }
        return out
    }

    /// A decimal in units of 10^-digits ("0.00600" at 5 digits is 600), exactly; nil
    /// for anything else.
    static func scaled(_ raw: String, digits: Int) -> Int64? {
        var v = raw
        if v.hasPrefix("¥") || v.hasPrefix("￥") { v = String(v.dropFirst()) }
        v = v.replacingOccurrences(of: ",", with: "")
        return Values.fastMinor(Values.trim(v), minorDigits: digits)
    }

    /// `units` of 10^-5 as text with five decimals ("-0.27000").
    static func fiveDecimals(_ units: Int64) -> String {
        let sign = units < 0 ? "-" : ""
        let a = units.magnitude
        let frac = String(a % 100_000)
        return "\(sign)\(a / 100_000).\(String(repeating: "0", count: 5 - frac.count))\(frac)"
    }

    /// 10^-5 units rounded half away from zero to whole 分.
    static func roundToFen(_ units: Int64) -> Int64 {
        let a = units.magnitude
        let fen = Int64((a + 500) / 1000)
        return units < 0 ? -fen : fen
    }

    /// Bills give Beijing time.
    static let zone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
}

/// WeChat Pay's merchant trade bill (交易账单), the ALL, SUCCESS and REFUND kinds: one
/// header line, rows whose cells start with a backtick, then a summary trailer of two
/// lines (总交易单数,应结订单总金额,退款总金额 ... and their values).
///
/// - SUCCESS rows are sales at 应结订单金额 (the amount WeChat settles), RRN the
///   微信订单号, trace the 商户订单号; REFUND rows are refunds at 退款金额 with the
///   original 微信订单号 as RRN and the 微信退款单号 as trace.
/// - 手续费 is written with five decimals; it is stored rounded to the 分 half away
///   from zero, and a warning names each fee that had more than two decimals.
/// - Every figure of the trailer is checked against the sum of its column; a bill
///   without its trailer is refused as incomplete.
final class WeChatBillImporter: RowImporter {
    let header: [String]
    let headerLine: Int
    var kind: String { "wechat-bill" }

    private let cols: [String: Int]
    private let cTime, cMch, cSub, cDevice, cTxnId, cOrder, cStatus, cCurrency, cSettle, cRefundId, cRefund,
                cRefundStatus, cFee, cRefundDone: Int
    private let isRejectsFile: Bool
    private var clock = ZoneClock(zone: CNBills.zone)

    /// The 商户号 of the file and the line that set it.
    private var fileMerchant: (id: String, line: Int)?
    private var dataRows = 0
    private var lastLine = 0
    /// The money columns the trailer may total, and the sums of their cells in 10^-5
    /// units; a column with a cell that did not read is in `unsummable`.
    private var sumColumns: [Int] = []
    private var sums: [Int: Int64] = [:]
    private var unsummable: Set<Int> = []
    /// Per-row fees rounded to the 分, summed, in 分.
    private var roundedFeeSum: Int64 = 0
    private var subFen: [(line: Int, exact: String, rounded: Int64)] = []
    private var subFenCount = 0
    private var skipped = SkipTally()
    private var trailerLabels: (fields: [String], line: Int)?
    private var trailerValues: (fields: [String], line: Int)?

    static let moneyColumns = ["应结订单金额", "总金额", "代金券金额", "代金券或立减优惠金额", "退款金额", "充值券退款金额",
                               "代金券或立减优惠退款金额", "企业红包金额", "企业红包退款金额", "手续费", "订单金额", "申请退款金额"]
    /// Statuses that are in a bill but move no money.
    static let skippedStatuses: [String: String] = [
        "REVOKED": "revoked (已撤销): the payment was cancelled",
        "NOTPAY": "not paid (未支付)", "CLOSED": "closed (已关闭)", "USERPAYING": "still being paid (用户支付中)",
        "PAYERROR": "payment failed (支付失败)",
    ]

    init(headerRecord: CSVRecord, session: ImportSession, rejectsFile: Bool) throws {
        header = headerRecord.fields.map { Values.trim($0) }
        headerLine = headerRecord.line
        isRejectsFile = rejectsFile
        let c = try CNBills.index(header, line: headerLine, session)
        cols = c
        func col(_ names: String...) -> Int { names.lazy.compactMap { c[$0] }.first ?? -1 }
        cTime = col("交易时间"); cMch = col("商户号"); cSub = col("特约商户号", "子商户号"); cDevice = col("设备号")
        cTxnId = col("微信订单号"); cOrder = col("商户订单号"); cStatus = col("交易状态"); cCurrency = col("货币种类")
        cSettle = col("应结订单金额", "总金额"); cRefundId = col("微信退款单号"); cRefund = col("退款金额")
        cRefundStatus = col("退款状态"); cFee = col("手续费"); cRefundDone = col("退款成功时间")
        if cSettle < 0 && cRefund < 0 {
            throw session.error(headerLine, nil, "the bill has neither 应结订单金额 nor 退款金额: no amounts to read")
        }
        sumColumns = Self.moneyColumns.compactMap { c[$0] }
        for i in sumColumns { sums[i] = 0 }
    }

    func merchantIds(_ fields: [String]) -> Set<String> {
        var ids: Set<String> = []
        for c in [cMch, cSub] where c >= 0 && c < fields.count { ids.insert(Values.clean(fields[c], prefixes: ["`"])) }
        return ids
    }

    func scrub(_ fields: [String], keeping: Set<String>) -> [String] {
        let keep = keeping.union(merchantIds(fields))
        return fields.enumerated().map { i, f in i == cMch || i == cSub ? f : PANScrubber.scrub(f, keeping: keep) }
    }

    private func cell(_ fields: [String], _ c: Int) -> String? {
        guard c >= 0, c < fields.count else { return nil }
        let v = Values.clean(fields[c], prefixes: ["`"])
        return v.isEmpty ? nil : v
    }

    func row(_ r: CSVRecord, _ s: ImportSession) throws -> Bool {
        let first = r.fields.first.map { CNBills.name($0) } ?? ""
        if trailerLabels != nil {
            if trailerValues == nil && r.fields.contains(where: { !Values.trim($0).isEmpty }) { trailerValues = (r.fields, r.line) }
            else if r.fields.contains(where: { !Values.trim($0).isEmpty }) {
                throw FileLevelError(error: s.error(r.line, nil, "a line after the bill's summary trailer (line \(trailerLabels!.line)): two bills in one file?"))
            }
            return false
        }
        if first.hasPrefix("总交易单数") || first.hasPrefix("总交易额") { trailerLabels = (r.fields, r.line); return false }
        if r.fields.allSatisfy({ Values.trim($0).isEmpty }) { return false }
        dataRows += 1
        lastLine = r.line
        try s.checkFieldCountOrCut(r, header: header)
        accumulate(r.fields)
        let f = r.fields
        func fail(_ c: Int, _ reason: String) -> ImportError { s.error(r.line, c >= 0 ? CNBills.name(header[c]) : nil, reason) }
        func required(_ c: Int, _ what: String) throws -> String {
            if let v = cell(f, c) { return v }
            throw c < 0 ? s.error(r.line, nil, "\(what) is not in the bill") : fail(c, "value is missing")
        }
        func ident(_ c: Int, _ v: String, _ kind: IdentifierKind) throws -> String {
            if let p = Values.identifierProblem(v, kind) { throw fail(c, "\(ImportLimits.quote(v)) \(p)") }
            return v
        }

        // The account: one 商户号 a bill; a service provider's bill names the shop in 特约商户号.
        let mch = try ident(cMch, try required(cMch, "商户号"), .merchantId)
        if let m = fileMerchant, m.id != mch {
            throw fail(cMch, "\(mch) is not the bill's merchant \(m.id) (line \(m.line)): a bill is one merchant account's; two bills in one file?")
        }
        if fileMerchant == nil { fileMerchant = (mch, r.line) }
        var merchantId = mch
        if let sub = cell(f, cSub), sub != "0" { merchantId = try ident(cSub, sub, .merchantId) }

        let status = try required(cStatus, "交易状态").uppercased()
        let refund: Bool
        switch status {
        case "SUCCESS": refund = false
        case "REFUND": refund = true
        default:
            guard let why = Self.skippedStatuses[status] else {
                throw fail(cStatus, "\(ImportLimits.quote(status)) is not a 交易状态 payoutmon knows (SUCCESS, REFUND, \(Self.skippedStatuses.keys.sorted().joined(separator: ", ")))")
            }
            skip(s, status, why, r.line)
            return true
        }
        if refund, let rs = cell(f, cRefundStatus), rs.uppercased() != "SUCCESS" {
            skip(s, "REFUND \(rs)", "a refund whose 退款状态 is \(rs), not SUCCESS: no money has moved yet", r.line)
            return true
        }

        var currency = Currency.CNY
        if let cc = cell(f, cCurrency) {
            guard let c = Currency(code: cc.uppercased()) else { throw fail(cCurrency, "unknown currency \(ImportLimits.quote(cc))") }
            currency = c
        }
        let amountCol = refund ? cRefund : cSettle
        let amountText = try required(amountCol, refund ? "退款金额" : "应结订单金额")
        var amount: Money
        do { amount = try Values.money(amountText, currency) } catch { throw fail(amountCol, error.description) }
        if amount.isNegative { throw fail(amountCol, "\(ImportLimits.quote(amountText)) must not be negative") }
        if refund { amount = Money(minor: -amount.minor, currency: currency) }

        var fee: Money?
        if let ft = cell(f, cFee) {
            guard let units = CNBills.scaled(ft, digits: 5) else { throw fail(cFee, "\(ImportLimits.quote(ft)) is not an amount (up to five decimals)") }
            let fen = CNBills.roundToFen(units)
            if units % 1000 != 0 {
                subFenCount += 1
                if subFen.count < ImportSession.maxWarnings { subFen.append((r.line, ft, fen)) }
            }
            fee = Money(minor: fen, currency: currency)
        }

        let timeText: String
        if refund, let done = cell(f, cRefundDone) { timeText = done } else { timeText = try required(cTime, "交易时间") }
        guard let dt = Values.localDateTime(date: timeText, time: nil), dt.hasTime else {
            throw fail(refund && cell(f, cRefundDone) != nil ? cRefundDone : cTime, "\(ImportLimits.quote(timeText)) is not a date and time")
        }
        let rrn = try ident(cTxnId, try required(cTxnId, "微信订单号"), .rrn)
        let trace = refund ? try ident(cRefundId, try required(cRefundId, "微信退款单号"), .traceNo)
                           : try cell(f, cOrder).map { try ident(cOrder, $0, .traceNo) } ?? ""
        let terminal = try cell(f, cDevice).map { try ident(cDevice, $0, .terminalId) } ?? ""
        let t = Transaction(merchantId: merchantId, terminalId: terminal, batchNo: "", traceNo: trace, rrn: rrn, authCode: "",
                            cardMasked: "", cardKind: .qr, kind: refund ? .refund : .sale, amount: amount, fee: fee,
                            occurredAt: clock.instant(dt.0))
        switch try s.sink.addTransactionChecked(t, line: r.line) {
        case .inserted, .duplicate, .attached, .revised: break
        case .repeatInFile(let first):
            s.warn(r.line, nil, "repeats line \(first) (same order, refund number and type); counted once")
        case .conflictInFile(let first):
            throw s.error(r.line, nil, "has the same 微信订单号, number and type as line \(first) but another amount, fee or time")
        }
        return true
    }

    /// Counts a row left out on purpose under `key` (one warning per key at the end) and
    /// tells the session why, for the import's accounting.
    private func skip(_ s: ImportSession, _ key: String, _ why: String, _ line: Int) { skipped.note(s, key, why, line) }

    /// Adds the row's money cells to their columns' sums, as written.
    private func accumulate(_ fields: [String]) {
        for c in sumColumns {
            guard let v = cell(fields, c) else { continue }
            if let u = CNBills.scaled(v, digits: 5) { sums[c, default: 0] &+= u } else { unsummable.insert(c) }
        }
        if let ft = cell(fields, cFee), let u = CNBills.scaled(ft, digits: 5) { roundedFeeSum += CNBills.roundToFen(u) }
    }

    /// The column a trailer label totals: 应结订单总金额 -> 应结订单金额, 手续费总金额 -> 手续费.
    private func column(forTotal label: String) -> Int? {
        if label == "总交易额" { return cSettle >= 0 ? cSettle : nil }
        let plain = label.replacingOccurrences(of: "总", with: "")
        if let c = cols[plain] { return c }
        if plain.hasSuffix("金额"), let c = cols[String(plain.dropLast(2))] { return c }
        return nil
    }

    func finish(_ s: ImportSession) throws {
        skipped.warn(s, column: "交易状态", of: "")
        if isRejectsFile {
            warnSubFen(s, how: "; stored rounded half up to the 分 (a rejects file has no totals to compare)")
            return
        }
        guard let labels = trailerLabels, let values = trailerValues else {
            throw FileLevelError(error: s.incomplete(trailerLabels?.line ?? lastLine,
                "no summary trailer (总交易单数, 应结订单总金额 ...) after the rows: the bill looks truncated"))
        }
        var feeHow = "; stored rounded half up to the 分 (the bill has no 手续费 total to compare)"
        for (i, raw) in labels.fields.enumerated() {
            let label = CNBills.name(raw)
            guard !label.isEmpty else { continue }
            let vText = i < values.fields.count ? Values.clean(values.fields[i], prefixes: ["`"]) : ""
            if label == "总交易单数" {
                guard let n = Int(vText) else { throw FileLevelError(error: s.error(values.line, label, "\(ImportLimits.quote(vText)) is not a count")) }
                if n != dataRows {
                    throw FileLevelError(error: s.incomplete(values.line, "the bill's 总交易单数 is \(n) but the file has \(dataRows) rows (a truncated or edited file?)"))
                }
                continue
            }
            guard let total = CNBills.scaled(vText, digits: 5) else {
                throw FileLevelError(error: s.error(values.line, label, "\(ImportLimits.quote(vText)) is not an amount"))
            }
            guard let c = column(forTotal: label) else {
                // A SUCCESS bill has no refund columns and totals them 0.00.
                if total != 0 { s.warn(values.line, label, "a total of a column the bill does not have; not checked") }
                continue
            }
            let colName = CNBills.name(header[c])
            guard let sum = sums[c], !unsummable.contains(c) else {
                s.warn(values.line, label, "not checked: a \(colName) cell did not read as an amount")
                continue
            }
            if c == cFee {
                if total == sum && sum % 1000 != 0 {
                    feeHow = "; the bill's 手续费总金额 \(vText) sums the exact fees, and each fee is stored rounded half up to the 分"
                } else if total == sum || total == roundedFeeSum * 1000 {
                    feeHow = " as the bill's totals do (手续费总金额 \(vText))"
                } else {
                    throw FileLevelError(error: s.incomplete(values.line,
                        "the bill's 手续费总金额 is \(vText) but the rows' 手续费 add up to \(CNBills.fiveDecimals(sum)) (\(Money(minor: roundedFeeSum, currency: .CNY).decimalString) rounded per row)"))
                }
                continue
            }
            if total != sum {
                throw FileLevelError(error: s.incomplete(values.line,
                    "the bill's \(label) is \(vText) but the rows' \(colName) add up to \(CNBills.fiveDecimals(sum).dropLast(3)) (a truncated or edited file, or amounts in the wrong unit?)"))
            }
        }
        warnSubFen(s, how: feeHow)
    }

    private func warnSubFen(_ s: ImportSession, how: String) {
        for e in subFen {
            s.warn(e.line, "手续费", "fee \(e.exact) rounded to \(Money(minor: e.rounded, currency: .CNY).decimalString)\(how)")
        }
        if subFenCount > subFen.count {
            s.warn(subFen.last?.line ?? lastLine, "手续费", "\(subFenCount - subFen.count) more fees with more than two decimals rounded the same way")
        }
    }
}

/// Alipay's merchant account statement (账务明细): `#` title lines (#支付宝账务明细查询,
/// #账号：[...], #起始日期 ...), one header line, rows whose cells may end in a tab,
/// then `#---账务明细列表结束---` and the totals (#支出合计：N笔，共X元, #收入合计 ...).
///
/// - Payments received (在线支付, 交易付款 ...) are sales at 收入金额, RRN the 业务流水号
///   (the Alipay trade number), trace the 账务流水号; refunds (交易退款) are refunds at
///   支出金额, RRN the 业务基础订单号 when given (the original trade), else the 业务流水号.
/// - Service fees (收费, 服务费) become the fee of the sale or refund of the same trade in
///   the file; the transactions are written at the end, once every fee row is read.
/// - Other rows (提现, 转账 ...) move money that is not a sale or refund: counted as
///   skipped with their 业务类型.
/// - The totals are checked against the rows; a statement without them is refused as
///   incomplete.
final class AlipayStatementImporter: RowImporter {
    let header: [String]
    let headerLine: Int
    var kind: String { "alipay-statement" }

    private let cFlow, cBiz, cOrder, cTime, cIn, cOut, cType, cNote, cBase: Int
    private let isRejectsFile: Bool
    private let account: String?
    private var clock = ZoneClock(zone: CNBills.zone)

    private var dataRows = 0
    private var lastLine = 0
    private var inCount = 0, outCount = 0
    private var inSum: Int64 = 0, outSum: Int64 = 0
    private var endLine = 0
    private var totals: [String: (count: Int, amount: Int64, line: Int, text: String)] = [:]
    private var pending: [(t: Transaction, line: Int)] = []
    /// Index in `pending` -> the lines of the fee rows folded into that transaction: they
    /// are stored with it, and counted so.
    private var feeLines: [Int: [Int]] = [:]
    /// Trade number -> index in `pending` of its sale and refund.
    private var saleOf: [String: Int] = [:], refundOf: [String: Int] = [:]
    private var skipped = SkipTally()

    static let saleWords: Set<String> = ["在线支付", "交易付款", "交易", "交易收款", "即时到账交易", "当面付", "收款", "订单收款"]
    static let refundWords: Set<String> = ["交易退款", "退款", "在线支付退款", "交易付款退款"]
    static let feeWords: Set<String> = ["收费", "服务费", "交易服务费", "技术服务费", "手续费", "软件服务费"]

    init(headerRecord: CSVRecord, preamble: [CSVRecord], session: ImportSession, rejectsFile: Bool) throws {
        header = headerRecord.fields.map { Values.trim($0) }
        headerLine = headerRecord.line
        isRejectsFile = rejectsFile
        let c = try CNBills.index(header, line: headerLine, session)
        func col(_ names: String...) -> Int { names.lazy.compactMap { c[$0] }.first ?? -1 }
        cFlow = col("账务流水号"); cBiz = col("业务流水号"); cOrder = col("商户订单号"); cTime = col("发生时间")
        cIn = col("收入金额"); cOut = col("支出金额"); cType = col("业务类型"); cNote = col("备注")
        cBase = col("业务基础订单号")
        var acct: String?
        for r in preamble {
            let line = r.fields.joined(separator: ",")
            if let v = Self.account(in: line) {
                if let a = acct, a != v {
                    throw session.error(r.line, nil, "a second 账号 \(v) (the first is \(a)): the statement mixes two merchants")
                }
                acct = v
            }
        }
        account = acct ?? session.options.merchantId
    }

    /// The account of a `#账号：[2088...]` line.
    static func account(in line: String) -> String? {
        guard line.hasPrefix("#账号") || line.hasPrefix("账号") else { return nil }
        guard let sep = line.firstIndex(where: { $0 == "：" || $0 == ":" }) else { return nil }
        var v = Values.trim(String(line[line.index(after: sep)...]))
        if let open = v.firstIndex(of: "["), let close = v.firstIndex(of: "]"), open < close {
            v = String(v[v.index(after: open)..<close])
        } else if let comma = v.firstIndex(of: ",") {
            v = String(v[..<comma])
        }
        v = Values.trim(v)
        return v.isEmpty ? nil : v
    }

    func merchantIds(_ fields: [String]) -> Set<String> { account.map { [$0] } ?? [] }

    private func cell(_ fields: [String], _ c: Int) -> String? {
        guard c >= 0, c < fields.count else { return nil }
        let v = Values.clean(fields[c], prefixes: ["`", "'", "\t"])
        return v.isEmpty ? nil : v
    }

    func row(_ r: CSVRecord, _ s: ImportSession) throws -> Bool {
        let joined = r.fields.joined(separator: ",")
        let first = Values.trim(r.fields.first ?? "")
        if first.hasPrefix("#") {
            if first.contains("账务明细列表结束") { endLine = r.line; return false }
            if let a = Self.account(in: first), let mine = account, a != mine {
                throw FileLevelError(error: s.error(r.line, nil, "a second 账号 \(a) (the statement's is \(mine)): the file mixes two merchants"))
            }
            if let t = Self.total(in: joined) { totals[t.label] = (t.count, t.amount, r.line, t.text) }
            return false
        }
        if r.fields.allSatisfy({ Values.trim($0).isEmpty }) { return false }
        if endLine > 0 {
            throw FileLevelError(error: s.error(r.line, nil, "a row after the end of the list (line \(endLine)): two statements in one file?"))
        }
        dataRows += 1
        lastLine = r.line
        try s.checkFieldCountOrCut(r, header: header)
        let f = r.fields
        func fail(_ c: Int, _ reason: String) -> ImportError { s.error(r.line, c >= 0 ? CNBills.name(header[c]) : nil, reason) }
        func money(_ c: Int) throws -> Int64 {
            guard let v = cell(f, c) else { return 0 }
            guard let m = CNBills.scaled(v, digits: 2) else { throw fail(c, "\(ImportLimits.quote(v)) is not an amount in 元") }
            return m
        }
        let income = try money(cIn)
        let spent = (try money(cOut)).magnitude
        if income != 0 { inCount += 1; inSum += income }
        if spent != 0 { outCount += 1; outSum += Int64(spent) }
        guard let merchantId = account else {
            throw s.error(r.line, nil, "no 账号 line (#账号：[...]) above the header: pass the merchant with the import's merchant option")
        }
        if let p = Values.identifierProblem(merchantId, .merchantId) { throw s.error(r.line, nil, "账号 \(ImportLimits.quote(merchantId)) \(p)") }
        let type = cell(f, cType) ?? ""
        if income == 0 && spent == 0 {
            skip(s, type.isEmpty ? "(none)" : type, "moves no money", r.line)
            return true
        }
        let isFee = Self.feeWords.contains(type)
        let isSale = income > 0 && spent == 0 && Self.saleWords.contains(type)
        let isRefund = spent > 0 && income == 0 && Self.refundWords.contains(type)
        guard isFee || isSale || isRefund else {
            skip(s, type.isEmpty ? "(none)" : type,
                 type == "提现" ? "a withdrawal to the bank (提现): not a sale or refund" : "not a sale, refund or fee (业务类型 \(type.isEmpty ? "empty" : type))", r.line)
            return true
        }
        guard let trade = cell(f, cBase) ?? cell(f, cBiz) else { throw fail(cBiz, "value is missing (a row needs its trade number)") }
        if let p = Values.identifierProblem(trade, .rrn) { throw fail(cBiz, "\(ImportLimits.quote(trade)) \(p)") }
        if isFee {
            // A fee paid goes with the sale of its trade; a fee given back with the refund.
            let key = pendingKey(trade, note: cell(f, cNote))
            let target = spent > 0 ? key.flatMap { saleOf[$0] } : key.flatMap { refundOf[$0] }
            guard let i = target else {
                skip(s, "\(type) (no transaction)", "a fee whose trade is not a sale or refund in this file: not stored", r.line)
                return true
            }
            let delta = spent > 0 ? Int64(spent) : -income
            pending[i].t.fee = Money(minor: (pending[i].t.fee?.minor ?? 0) + delta, currency: .CNY)
            feeLines[i, default: []].append(r.line)
            return true
        }
        let timeText = cell(f, cTime) ?? ""
        guard let dt = Values.localDateTime(date: timeText, time: nil), dt.hasTime else {
            throw fail(cTime, "\(ImportLimits.quote(timeText)) is not a date and time")
        }
        guard let flow = cell(f, cFlow) else { throw fail(cFlow, "value is missing") }
        if let p = Values.identifierProblem(flow, .traceNo) { throw fail(cFlow, "\(ImportLimits.quote(flow)) \(p)") }
        let t = Transaction(merchantId: merchantId, terminalId: "", batchNo: "", traceNo: flow, rrn: trade, authCode: "",
                            cardMasked: "", cardKind: .qr, kind: isRefund ? .refund : .sale,
                            amount: Money(minor: isRefund ? -Int64(spent) : income, currency: .CNY), fee: nil,
                            occurredAt: clock.instant(dt.0))
        pending.append((t, r.line))
        if isRefund { refundOf[trade] = pending.count - 1 } else { saleOf[trade] = pending.count - 1 }
        return true
    }

    /// The trade a fee row is about: its trade number when a sale or refund has it, else
    /// the number in brackets in its 备注 (服务费[2016...]).
    private func pendingKey(_ trade: String, note: String?) -> String? {
        if saleOf[trade] != nil || refundOf[trade] != nil { return trade }
        if let n = note, let open = n.firstIndex(of: "["), let close = n.firstIndex(of: "]"), open < close {
            return String(n[n.index(after: open)..<close])
        }
        return trade
    }

    /// `#支出合计：2笔，共-0.02元` -> 支出合计, 2, 2 (in 分, unsigned).
    static func total(in line: String) -> (label: String, count: Int, amount: Int64, text: String)? {
        let body = line.drop { $0 == "#" }
        guard let sep = body.firstIndex(where: { $0 == "：" || $0 == ":" }) else { return nil }
        let label = Values.trim(String(body[..<sep]))
        guard label == "支出合计" || label == "收入合计" else { return nil }
        let rest = String(body[body.index(after: sep)...])
        guard let bi = rest.firstIndex(of: "笔"), let n = Int(Values.trim(String(rest[..<bi]))) else { return nil }
        // "2笔，共-0.02元", also written "2笔-0.02元".
        var amount = String(rest[rest.index(after: bi)...].drop { $0 == "，" || $0 == "," || $0 == " " || $0 == "共" })
        if let yuan = amount.firstIndex(of: "元") { amount = String(amount[..<yuan]) }
        amount = Values.trim(amount.replacingOccurrences(of: ",", with: ""))
        guard let m = CNBills.scaled(amount, digits: 2) else { return nil }
        return (label, n, Int64(m.magnitude), "\(n)笔，共\(amount)元")
    }

    /// Counts a row left out on purpose under `key` (one warning per key at the end) and
    /// tells the session why, for the import's accounting.
    private func skip(_ s: ImportSession, _ key: String, _ why: String, _ line: Int) { skipped.note(s, key, why, line) }

    func finish(_ s: ImportSession) throws {
        skipped.warn(s, column: "业务类型", of: "of ")
        if !isRejectsFile {
            if endLine == 0 {
                throw FileLevelError(error: s.incomplete(lastLine, "no end of the list (#---账务明细列表结束---) after the rows: the statement looks truncated"))
            }
            for (label, count, sum) in [("收入合计", inCount, inSum), ("支出合计", outCount, outSum)] {
                guard let t = totals[label] else {
                    throw FileLevelError(error: s.incomplete(endLine, "no #\(label) line after the list: the statement looks truncated"))
                }
                if t.count != count || t.amount != sum {
                    throw FileLevelError(error: s.incomplete(t.line,
                        "the statement's #\(label) is \(t.text) but the rows give \(count)笔，共\(Money(minor: sum, currency: .CNY).decimalString)元 (a truncated or edited file?)"))
                }
            }
        }
        for (i, p) in pending.enumerated() {
            defer { for f in feeLines[i] ?? [] { s.tally.copyOutcome(from: p.line, to: f) } }
            switch try s.sink.addTransactionChecked(p.t, line: p.line) {
            case .inserted, .duplicate, .attached, .revised: break
            case .repeatInFile(let first):
                s.warn(p.line, nil, "repeats line \(first) (same 账务流水号, trade and type); counted once")
            case .conflictInFile(let first):
                throw FileLevelError(error: s.error(p.line, nil, "has the same 账务流水号, trade and type as line \(first) but another amount, fee or time"))
            }
        }
    }
}

/// Rows a bill leaves out on purpose, counted by key (a status, a 业务类型): each is
/// told to the session for the import's accounting, and one warning per key is given at
/// the end, at the key's first line.
struct SkipTally {
    private var byKey: [String: (count: Int, line: Int, why: String)] = [:]

    mutating func note(_ s: ImportSession, _ key: String, _ why: String, _ line: Int) {
        if let e = byKey[key] { byKey[key] = (e.count + 1, e.line, why) } else { byKey[key] = (1, line, why) }
        s.skip(line, "\(key): \(why)")
    }

    /// "2 rows \"REVOKED\" skipped: why" (`of` = "of " gives "1 row of \"提现\" skipped").
    func warn(_ s: ImportSession, column: String, of: String) {
        for (key, e) in byKey.sorted(by: { $0.value.line < $1.value.line }) {
            s.warn(e.line, column, "\(e.count) row\(e.count == 1 ? "" : "s") \(of)\(ImportLimits.quote(key)) skipped: \(e.why)")
        }
    }
}
