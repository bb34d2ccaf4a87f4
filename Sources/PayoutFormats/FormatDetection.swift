import Foundation
import PayoutCore

/// How a cn-settlement header row maps onto a profile's fields.
struct ProfileHeaderMatch {
    let profile: FormatProfile
    /// Field -> column index.
    var columns: [FormatProfile.Field: Int] = [:]
    /// Amount units declared in the header ("交易金额(分)"), which win over the profile's.
    var units: [FormatProfile.Field: FormatProfile.AmountUnit] = [:]
    /// What is missing, as the profile's first header name for each field.
    var missing: [String] = []
    /// Columns recognised.
    var score = 0
    var ok: Bool { missing.isEmpty }
}

extension FormatProfile {
    func match(header: [String]) -> ProfileHeaderMatch {
        var m = ProfileHeaderMatch(profile: self)
        for (i, cell) in header.enumerated() {
            let (norm, unit) = Self.normalizeHeader(cell)
            guard let field = synonymIndex[norm], m.columns[field] == nil else { continue }
            m.columns[field] = i
            if let unit { m.units[field] = unit }
            m.score += 1
        }
        func label(_ f: Field) -> String { columns[f]?.first ?? f.rawValue }
        for f in required where m.columns[f] == nil { m.missing.append(label(f)) }
        if m.columns[.occurredAt] == nil && m.columns[.tradeDate] == nil && !required.contains(.occurredAt) && !required.contains(.tradeDate) {
            m.missing.append([Field.occurredAt, .tradeDate].filter { columns[$0] != nil }.map(label).joined(separator: " or "))
        }
        if m.columns[.amount] == nil && !required.contains(.amount) { m.missing.append(label(.amount)) }
        if m.columns[.type] == nil && m.columns[.fundFlow] == nil && !required.contains(.type) && !required.contains(.fundFlow) {
            m.missing.append([Field.type, .fundFlow].filter { columns[$0] != nil }.map(label).joined(separator: " or "))
        }
        if m.columns[.rrn] == nil && m.columns[.traceNo] == nil && !required.contains(.rrn) && !required.contains(.traceNo) {
            m.missing.append([Field.rrn, .traceNo].filter { columns[$0] != nil }.map(label).joined(separator: " or "))
        }
        return m
    }
}

/// What a file is, once its header has been found among its first records.
enum Detection {
    case canonical(CanonicalKind)
    case cn(ProfileHeaderMatch)
    case adyen
    case stripe
    case wechatBill
    case alipayStatement
}

/// Picks the format (and for cn-settlement the profile and header row) of a file from
/// its first records, or explains why none fits.
struct FormatDetector {
    let file: String
    let options: ImportOptions

    static let adyenSignature = ["merchant account", "psp reference", "type", "batch number", "net currency"]
    static let stripeSignature = ["balance_transaction_id", "reporting_category", "gross", "net", "currency"]

    static func lowered(_ header: [String]) -> Set<String> {
        Set(header.map { Values.trim($0).replacingOccurrences(of: "\u{FEFF}", with: "").lowercased() })
    }

    static func isAdyen(_ names: Set<String>) -> Bool { adyenSignature.allSatisfy(names.contains) }
    static func isStripe(_ names: Set<String>) -> Bool { stripeSignature.allSatisfy(names.contains) }

    /// The profiles a cn-settlement detection tries.
    func profiles() throws -> [FormatProfile] {
        if let name = options.profile {
            guard let p = options.profiles.first(where: { $0.name == name }) else {
                throw ImportError(file: file, line: 0, reason: "no format profile named \"\(name)\" (known: \(options.profiles.map(\.name).joined(separator: ", ")))")
            }
            return [p]
        }
        return options.format == .auto ? options.profiles.filter(\.autoDetect) : options.profiles
    }

    var searchLines: Int { max(1, (try? profiles())?.map(\.headerSearchLines).max() ?? 20) }

    /// Returns the detection and the index of the header among `records`, nil when more
    /// records are needed, or throws when the file fits no format.
    func decide(_ records: [CSVRecord], final: Bool) throws -> (Detection, Int)? {
        guard let first = records.first else {
            if final { throw ImportError(file: file, line: 0, reason: "the file has no header") }
            return nil
        }
        let format: ReportFormat = options.profile != nil && options.format == .auto ? .cnSettlement : options.format
        let header = first.fields.map { Values.trim($0) }
        let names = Self.lowered(header)
        switch format {
        case .canonical:
            switch CanonicalKind.detect(header: header) {
            case .success(let kind): return (.canonical(kind), 0)
            case .failure(let problem): throw ImportError(file: file, line: first.line, reason: problem.reason + otherFormatHint(records, not: .canonical))
            }
        case .adyenSdr:
            if Self.isAdyen(names) { return (.adyen, 0) }
            let missing = Self.adyenSignature.filter { !names.contains($0) }
            throw ImportError(file: file, line: first.line,
                              reason: "not an Adyen settlement details report: the header lacks \(missing.map(Self.adyenTitle).joined(separator: ", "))" + otherFormatHint(records, not: .adyenSdr))
        case .stripePayoutRecon:
            if Self.isStripe(names) { return (.stripe, 0) }
            let missing = Self.stripeSignature.filter { !names.contains($0) }
            throw ImportError(file: file, line: first.line,
                              reason: "not a Stripe payout reconciliation report: the header lacks \(missing.joined(separator: ", "))" + otherFormatHint(records, not: .stripePayoutRecon))
        case .wechatBill, .alipayStatement:
            if let found = CNBills.find(records, searchLines: 30) {
                switch (found.0, format) {
                case (.wechatBill, .wechatBill), (.alipayStatement, .alipayStatement): return found
                default: break
                }
            }
            if !final && records.count < 30 { return nil }
            throw ImportError(file: file, line: records.first?.line ?? 0,
                              reason: "not a \(format == .wechatBill ? "WeChat Pay trade bill: no header with 交易时间, 商户号, 微信订单号, 商户订单号, 交易状态" : "Alipay account statement: no header with 账务流水号, 业务流水号, 发生时间, 收入金额, 支出金额, 业务类型") in the first 30 lines")
        case .bankStatement:
            throw ImportError(file: file, line: first.line, reason: "not a bank statement payoutmon reads (\(BankFormats.parsers.map(\.name).joined(separator: ", ")))")
        case .cnSettlement:
            if let found = try findCN(records) { return found }
            if !final && records.count < searchLines { return nil }
            throw cnFailure(records, forced: true)
        case .auto:
            if Self.isStripe(names) { return (.stripe, 0) }
            if Self.isAdyen(names) { return (.adyen, 0) }
            if case .success(let kind) = CanonicalKind.detect(header: header) { return (.canonical(kind), 0) }
            if let found = CNBills.find(records, searchLines: 30) { return found }
            if let found = try findCN(records) { return found }
            if !final && records.count < max(searchLines, 30) { return nil }
            if let summary = CNBills.alipaySummaryLine(records) {
                throw ImportError(file: file, line: summary,
                                  reason: "an Alipay 账务汇总 (totals by business type) holds no transactions: import the 账务明细 file of the same period")
            }
            if let near = CNBills.nearMiss(records) {
                throw ImportError(file: file, line: near.line,
                                  reason: "the header looks like \(near.what) but lacks \(near.missing.joined(separator: ", "))")
            }
            throw autoFailure(records)
        }
    }

    private func findCN(_ records: [CSVRecord]) throws -> (Detection, Int)? {
        let candidates = try profiles()
        for (i, r) in records.enumerated() where i < searchLines {
            var best: ProfileHeaderMatch?
            for p in candidates where i < p.headerSearchLines {
                let m = p.match(header: r.fields)
                if m.ok && m.score > (best?.score ?? 0) { best = m }
            }
            if let best { return (.cn(best), i) }
        }
        return nil
    }

    static func adyenTitle(_ lowered: String) -> String {
        lowered.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    /// " (it looks like a stripe-payout-recon file)" when another format fits.
    private func otherFormatHint(_ records: [CSVRecord], not: ReportFormat) -> String {
        guard let first = records.first else { return "" }
        let names = Self.lowered(first.fields)
        var other: String?
        if not != .stripePayoutRecon && Self.isStripe(names) { other = ReportFormat.stripePayoutRecon.rawValue }
        else if not != .adyenSdr && Self.isAdyen(names) { other = ReportFormat.adyenSdr.rawValue }
        else if not != .canonical, case .success(let k) = CanonicalKind.detect(header: first.fields.map { Values.trim($0) }) {
            other = "canonical \(k.rawValue)"
        } else if not != .cnSettlement {
            for (i, r) in records.enumerated() where i < 20 {
                if let p = options.profiles.first(where: { i < $0.headerSearchLines && $0.match(header: r.fields).ok }) {
                    other = "cn-settlement (profile \(p.name))"
                    break
                }
            }
        }
        guard let other else { return "" }
        let article = other.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        return " (it looks like \(article) \(other) file; try --format auto)"
    }

    /// The closest profile and the header row it nearly matched.
    private func closest(_ records: [CSVRecord], among profiles: [FormatProfile]) -> (ProfileHeaderMatch, CSVRecord)? {
        var best: (ProfileHeaderMatch, CSVRecord)?
        for (i, r) in records.enumerated() where i < searchLines {
            for p in profiles where i < p.headerSearchLines {
                let m = p.match(header: r.fields)
                if m.score > 0 && m.score > (best?.0.score ?? 0) { best = (m, r) }
            }
        }
        return best
    }

    private func cnFailure(_ records: [CSVRecord], forced: Bool) -> Error {
        let candidates = (try? profiles()) ?? []
        let which = options.profile.map { "profile \($0)" } ?? "any cn-settlement profile (\(candidates.map(\.name).joined(separator: ", ")))"
        if let (m, r) = closest(records, among: candidates) {
            var reason = "header does not match \(which): closest is profile \(m.profile.name), missing \(m.missing.joined(separator: ", "))"
            // A forced profile that another profile fits: say which.
            if options.profile != nil,
               let other = options.profiles.first(where: { p in
                   p.name != m.profile.name && records.prefix(p.headerSearchLines).contains(where: { rec in p.match(header: rec.fields).ok })
               }) {
                reason += " (profile \(other.name) fits this file)"
            } else {
                reason += otherFormatHint(records, not: .cnSettlement)
            }
            return ImportError(file: file, line: r.line, reason: reason)
        }
        return ImportError(file: file, line: records.first?.line ?? 0,
                           reason: "no header row for \(which) in the first \(searchLines) lines" + otherFormatHint(records, not: .cnSettlement))
    }

    private func autoFailure(_ records: [CSVRecord]) -> Error {
        let first = records[0]
        let names = Self.lowered(first.fields)
        if names.contains("psp reference") || names.contains("merchant account") {
            let missing = Self.adyenSignature.filter { !names.contains($0) }
            return ImportError(file: file, line: first.line,
                               reason: "header looks like an Adyen settlement details report but lacks \(missing.map(Self.adyenTitle).joined(separator: ", "))")
        }
        if names.contains("balance_transaction_id") || names.contains("reporting_category") || names.contains("automatic_payout_id") {
            let missing = Self.stripeSignature.filter { !names.contains($0) }
            return ImportError(file: file, line: first.line,
                               reason: "header looks like a Stripe payout reconciliation report but lacks \(missing.joined(separator: ", "))")
        }
        let chinese = records.prefix(searchLines).contains { r in r.fields.contains { $0.utf8.contains { $0 >= 0xE0 } } }
        if chinese { return cnFailure(records, forced: false) }
        // Everything else is measured against payoutmon's own format, as before.
        let header = first.fields.map { Values.trim($0) }
        if case .failure(let problem) = CanonicalKind.detect(header: header) {
            return ImportError(file: file, line: first.line, reason: problem.reason)
        }
        return ImportError(file: file, line: first.line, reason: "header matches no known format")
    }
}

/// The headers of WeChat Pay trade bills and Alipay account statements.
extension CNBills {
    static let wechatSignature = ["交易时间", "商户号", "微信订单号", "商户订单号", "交易状态"]
    static let alipaySignature = ["账务流水号", "业务流水号", "发生时间", "收入金额", "支出金额", "业务类型"]

    /// The bill's header among the first records, and which bill it is.
    static func find(_ records: [CSVRecord], searchLines: Int) -> (Detection, Int)? {
        for (i, r) in records.enumerated() where i < searchLines {
            let names = Set(r.fields.map(name))
            if wechatSignature.allSatisfy(names.contains) { return (.wechatBill, i) }
            if alipaySignature.allSatisfy(names.contains) { return (.alipayStatement, i) }
        }
        return nil
    }

    /// A header that has most of a bill's columns but not all: the line and what it lacks.
    static func nearMiss(_ records: [CSVRecord]) -> (line: Int, what: String, missing: [String])? {
        for r in records.prefix(30) {
            let names = Set(r.fields.map(name))
            // The column that only such a bill has, and at most two others missing.
            for (what, signature, own) in [("a WeChat Pay trade bill", wechatSignature, "微信订单号"),
                                           ("an Alipay account statement", alipaySignature, "账务流水号")] where names.contains(own) {
                let missing = signature.filter { !names.contains($0) }
                if missing.count <= 2 { return (r.line, what, missing) }
            }
        }
        return nil
    }

    /// The line of an Alipay 账务汇总 title (`#支付宝账务汇总查询`) among the first records.
    static func alipaySummaryLine(_ records: [CSVRecord]) -> Int? {
        records.prefix(10).first { ($0.fields.first.map(name) ?? "").hasPrefix("#支付宝账务汇总") }?.line
    }
}
