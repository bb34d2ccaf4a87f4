import Foundation

/// One value of a record a later row changed: the old value and the new one, and the
/// report file and line each came from. The store keeps every revision it accepted
/// (`payoutmon import --accept-revisions`); the drill-down and the dispute note show
/// them, so a reader sees that the reports disagree and where (docs/report-formats.md,
/// "Duplicates, updates and revisions").
public struct Revision: Hashable, Sendable {
    /// A field's value as the store keeps it.
    public enum Value: Hashable, Sendable {
        case money(Money)
        case instant(Instant)
        case date(LocalDate)
        case word(String)
        /// No value (a fee the earlier report did not give).
        case none

        /// The stored text: a kind letter, a colon and the value ("m:128800 CNY",
        /// "t:1763612285000", "d:2026-11-20", "w:sale"); nil for `none`.
        public var stored: String? {
            switch self {
            case .money(let m): return "m:\(m.minor) \(m.currency.code)"
            case .instant(let i): return "t:\(i.epochMillis)"
            case .date(let d): return "d:\(d.iso)"
            case .word(let w): return "w:" + w
            case .none: return nil
            }
        }

        /// The value `stored` wrote; text it cannot read is kept as a word.
        public init(stored: String?) {
            guard let s = stored else { self = .none; return }
            let body = String(s.dropFirst(2))
            switch s.prefix(2) {
            case "m:":
                let parts = body.split(separator: " ")
                if parts.count == 2, let minor = Int64(parts[0]), let c = Currency(code: String(parts[1])) {
                    self = .money(Money(minor: minor, currency: c)); return
                }
            case "t:":
                if let ms = Int64(body) { self = .instant(Instant(epochMillis: ms)); return }
            case "d:":
                if let d = LocalDate(iso: body) { self = .date(d); return }
            case "w:":
                self = .word(body); return
            default: break
            }
            self = .word(s)
        }

        /// "1,288.00 CNY", "2026-11-20 12:18:05", "2026-11-20", the word; "none".
        public func text(in zone: TimeZone, language: Language = .en) -> String {
            switch self {
            case .money(let m): return m.formatted() + " " + m.currency.code
            case .instant(let i):
                let l = LocalDateTime(i, in: zone)
                let s = l.secondOfDay % 60
                return l.description + ":" + (s < 10 ? "0" : "") + String(s)
            case .date(let d): return d.iso
            case .word(let w): return w
            case .none: return BilingualText(en: "none", zh: "无")(language)
            }
        }
    }

    /// Where a value was read: the report file's path (as imported) and its line.
    public struct Place: Hashable, Sendable {
        public var path: String
        public var line: Int
        public init(path: String, line: Int) { self.path = path; self.line = line }
    }

    /// The record's table: "txn", "payout", "payoutItem", "hold" or "accountEvent".
    public var table: String
    /// Which record of it: an RRN, a payout ref, "3 of PO-1" for an item, a hold ref.
    public var recordRef: String
    /// The field that changed: amount, fee, time, expected amount, cycle date, kind, opened, state.
    public var field: String
    public var old: Value
    public var new: Value
    public var oldPlace: Place
    public var newPlace: Place

    public init(table: String, recordRef: String, field: String, old: Value, new: Value, oldPlace: Place, newPlace: Place) {
        self.table = table; self.recordRef = recordRef; self.field = field; self.old = old; self.new = new
        self.oldPlace = oldPlace; self.newPlace = newPlace
    }

    /// The record in words: "transaction RRN 880000000201", "payout PO-1", "item 3 of payout PO-1".
    public func recordName(_ language: Language) -> String {
        let r = recordRef
        switch table {
        case "txn": return BilingualText(en: "transaction RRN \(r)", zh: "交易（参考号 \(r)）")(language)
        case "payout": return BilingualText(en: "payout \(r)", zh: "结算单 \(r)")(language)
        case "payoutItem": return BilingualText(en: "item \(r)", zh: "结算明细 \(r)")(language)
        case "hold": return BilingualText(en: "hold \(r)", zh: "暂扣单 \(r)")(language)
        default: return BilingualText(en: "account event \(r)", zh: "账户事件 \(r)")(language)
        }
    }

    /// The field's name in `language`.
    public func fieldName(_ language: Language) -> String {
        let zh: [String: String] = ["amount": "金额", "fee": "手续费", "time": "交易时间", "expected amount": "应结金额",
                                    "cycle date": "结算日", "kind": "类型", "opened": "暂扣时间", "state": "账户状态"]
        return language == .zhHans ? zh[field] ?? field : field
    }

    /// "amount 1,288.00 CNY in a.csv (line 12), 1,208.00 CNY in b.csv (line 7)".
    public func sentence(in zone: TimeZone, language: Language) -> String {
        let o = old.text(in: zone, language: language), n = new.text(in: zone, language: language)
        return BilingualText(
            en: "\(fieldName(.en)) \(o) in \(oldPlace.path) (line \(oldPlace.line)), \(n) in \(newPlace.path) (line \(newPlace.line))",
            zh: "\(fieldName(.zhHans))：\(oldPlace.path) 第 \(oldPlace.line) 行为 \(o)，\(newPlace.path) 第 \(newPlace.line) 行为 \(n)")(language)
    }
}
