import Foundation
import PayoutCore

/// The settlement rules the benchmark data is written for and reconciled with: the
/// documented defaults of config/payoutmon.toml (`SettlementPolicy.demoDefault`) and
/// the built-in `cn` calendar.
enum BenchRules {
    static let rules: SettlementRules = {
        let cal = (try? SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")) ?? .weekends
        return SettlementRules(policy: .demoDefault, calendar: cal)
    }()
    static let zone = SettlementPolicy.demoDefault.timeZone
    /// Asia/Shanghai has had no daylight saving time since 1991: local = UTC+8.
    static let utcOffsetSeconds: Int64 = 8 * 3600
}

/// One generated transaction (amounts in minor units, fen).
struct GenTxn {
    var terminal: Int
    var seq: Int
    var second: Int          // local second of day
    var cardKind: CardKind
    var cardTail: Int
    var isRefund: Bool
    var amount: Int64        // signed: refunds negative
    var fee: Int64
    var auth: Int
    var rrnPrefix: Int       // two "random" leading digits
}

/// One terminal's batch of one day, and the payout that carries it.
struct GenBatch {
    var day: Int             // LocalDate.dayNumber of the trade date
    var terminal: Int
    var txns: [GenTxn]
    var gross: Int64 { txns.reduce(0) { $0 + $1.amount } }
    var fees: Int64 { txns.reduce(0) { $0 + $1.fee } }
}

/// The shape of a generated data set, a pure function of (rows, seed, end date).
///
/// Like the demo's ordinary days, at scale: merchants of four terminals each; every
/// terminal closes one batch a day of 25 to 45 transactions (35 on average) between
/// 10:30 and 21:40; each batch is paid T+1 (cn calendar) as one payout of gross minus
/// fees. Ten years at most: beyond 35 x 3,650 x 3 rows the chain grows terminals.
/// A few payouts have problems, at fixed rates drawn from the seed: 0.2% short by
/// 200.00 with no explanation, 0.1% with one sale held for risk review (released after
/// 5 days by a release payout, unless that is after the end date), 0.05% returned by
/// the bank; the latest working day's first payout is stuck "processing" (late).
struct DataLayout {
    let rows: Int
    let seed: UInt64
    let end: LocalDate
    let terminalCount: Int
    static let terminalsPerMerchant = 4
    static let maxYears = 10

    init(rows: Int, seed: UInt64, end: LocalDate) {
        self.rows = rows
        self.seed = seed
        self.end = end
        let perTerminalDecade = 35 * 365 * Self.maxYears
        terminalCount = max(3, (rows + perTerminalDecade - 1) / perTerminalDecade)
    }

    var merchantCount: Int { (terminalCount + Self.terminalsPerMerchant - 1) / Self.terminalsPerMerchant }
    func merchantOf(terminal t: Int) -> Int { t / Self.terminalsPerMerchant }
    func mid(_ m: Int) -> String { "898440358" + String(format: "%06d", 300_001 + m * 7) }
    func tid(_ t: Int) -> String { "LKL" + String(format: "%05d", 50_001 + t) }
    func terminalName(_ t: Int) -> String { "门店\(merchantOf(terminal: t) + 1)-收银\(t % Self.terminalsPerMerchant + 1)号" }
    func merchantName(_ m: Int) -> String { "味道小馆(连锁\(m + 1)号店)" }
    /// The instant states are evaluated at: 20:00 on the end date.
    var now: Instant { instant(day: end.dayNumber, second: 20 * 3600) }

    func instant(day: Int, second: Int) -> Instant {
        Instant(epochMillis: (Int64(day) * 86_400 + Int64(second) - BenchRules.utcOffsetSeconds) * 1000)
    }

    /// Transactions terminal `t` takes on `day`.
    func count(day: Int, terminal t: Int) -> Int {
        var r = SeededRandom(mixing: seed, UInt64(bitPattern: Int64(day)), UInt64(t), 1)
        return r.int(25...45)
    }

    /// The first trade day and how many transactions of it are left out (from the
    /// start of its batches) so the set holds exactly `rows` transactions.
    func start() -> (day: Int, skip: Int) {
        var total = 0
        var day = end.dayNumber
        while true {
            for t in 0..<terminalCount { total += count(day: day, terminal: t) }
            if total >= rows { return (day, total - rows) }
            day -= 1
        }
    }

    /// The batch of terminal `t` on `day`, transactions `from..<to` of it (all by default).
    func batch(day: Int, terminal t: Int, from: Int = 0, to: Int? = nil) -> GenBatch {
        let n = count(day: day, terminal: t)
        var r = SeededRandom(mixing: seed, UInt64(bitPattern: Int64(day)), UInt64(t), 2)
        var txns: [GenTxn] = []
        txns.reserveCapacity(n)
        let upper = min(n, to ?? n)
        let fees = SettlementPolicy.demoDefault.fees
        for i in 0..<n {
            let minute = 10 * 60 + 30 + i * (11 * 60 / n) + r.int(0...9)
            let second = minute * 60 + r.int(0...59)
            let kind: CardKind = [.debit, .debit, .credit, .qr, .qr][r.int(0...4)]
            let refund = r.int(0...199) == 0
            let amount: Int64 = refund ? -Int64(r.int(1_000...20_000)) : Int64(r.int(1_800...68_000))
            var fee: Int64 = 0
            if !refund {
                let rule = fees[kind]
                fee = Self.applying(amount, ratePPM: rule.ratePPM)
                if let cap = rule.cap, fee > cap.minor { fee = cap.minor }
                if let fixed = rule.fixed { fee += fixed.minor }
            }
            let tail = kind == .qr ? 0 : r.int(0...9999)
            let auth = r.int(0...999_999)
            let prefix = r.int(10...99)
            if i >= from && i < upper {
                txns.append(GenTxn(terminal: t, seq: i, second: second, cardKind: kind, cardTail: tail, isRefund: refund,
                                   amount: amount, fee: fee, auth: auth, rrnPrefix: prefix))
            }
        }
        return GenBatch(day: day, terminal: t, txns: txns)
    }

    /// `Money.applying(ratePPM:)`: rounded half away from zero.
    static func applying(_ minor: Int64, ratePPM: Int64) -> Int64 {
        let p = minor * ratePPM
        let q = p / 1_000_000, r = p % 1_000_000
        return r.magnitude * 2 >= 1_000_000 ? q + (p < 0 ? -1 : 1) : q
    }

    /// Every batch of the data set in trade order, day by day.
    func forEachDay(_ body: (_ day: Int, _ batches: [GenBatch]) throws -> Void) rethrows {
        let (first, skip) = start()
        for day in first...end.dayNumber {
            var batches: [GenBatch] = []
            var toSkip = day == first ? skip : 0
            for t in 0..<terminalCount {
                let n = count(day: day, terminal: t)
                let s = min(n, toSkip)
                toSkip -= s
                if s == n { continue }
                batches.append(batch(day: day, terminal: t, from: s))
            }
            try body(day, batches)
        }
    }

    /// `rows` further transactions on the days after `lastDay`: whole batches in
    /// terminal order, the last one cut short.
    func continuation(after lastDay: Int, rows: Int) -> [(day: Int, batches: [GenBatch])] {
        var out: [(Int, [GenBatch])] = []
        var left = rows
        var day = lastDay + 1
        while left > 0 {
            var batches: [GenBatch] = []
            for t in 0..<terminalCount where left > 0 {
                let b = batch(day: day, terminal: t, to: left)
                left -= b.txns.count
                batches.append(b)
            }
            out.append((day, batches))
            day += 1
        }
        return out
    }

    // MARK: identifiers

    func batchNo(_ b: GenBatch) -> String { String(format: "%06d", b.day % 1_000_000) }
    func payoutRef(day: Int, terminal t: Int) -> String {
        let d = LocalDate(dayNumber: day)
        return "LKLP" + String(format: "%04d%02d%02d", d.year, d.month, d.day) + "-" + tid(t).suffix(5)
    }
    /// 12 digits: 2 scattered digits, the day (5), the terminal (3), the sequence (2): unique.
    func rrn(_ day: Int, _ x: GenTxn) -> String {
        String(format: "%02d%05d%03d%02d", x.rrnPrefix, day % 100_000, x.terminal % 1000, x.seq)
    }
    func trace(_ day: Int, _ x: GenTxn) -> String { String(format: "%06d", (day * 50 + x.seq) % 1_000_000) }

    /// The problem a batch's payout has, drawn from the seed.
    enum Problem { case none, short, riskHold, returned, processing }
    func problem(_ b: GenBatch, lastWorkingDay: Int) -> Problem {
        if b.day == lastWorkingDay && b.terminal == 0 { return .processing }
        var r = SeededRandom(mixing: seed, UInt64(bitPattern: Int64(b.day)), UInt64(b.terminal), 3)
        switch r.int(0...9999) {
        case 0..<20: return .short
        case 20..<30: return .riskHold
        case 30..<35: return .returned
        default: return .none
        }
    }
}

/// Settlement dates of the cn calendar, memoised per trade day.
final class SettleDays {
    private var cache: [Int: Int] = [:]
    func t1(_ day: Int) -> Int {
        if let d = cache[day] { return d }
        let d = BenchRules.rules.calendar.addingWorkingDays(1, to: LocalDate(dayNumber: day)).dayNumber
        cache[day] = d
        return d
    }
}

// MARK: - Canonical CSV

/// Writes canonical report files: merchants, account_events, and per chunk of about
/// `chunkRows` transactions (whole days) transactions-NNN, payouts-NNN, payout_items-NNN
/// and holds-NNN.
struct CanonicalWriter {
    let layout: DataLayout
    let dir: String
    let chunkRows: Int

    static let txnHeader = ["merchant_id", "terminal_id", "terminal_name", "batch_no", "trace_no", "rrn", "auth_code",
                            "card_number", "card_kind", "kind", "amount", "fee", "currency", "occurred_at", "payout_ref"]
    static let payoutHeader = ["merchant_id", "payout_ref", "cycle_date", "expected_amount", "paid_amount", "currency",
                               "status", "expected_arrival", "credited_at", "bank_ref", "failure_code"]
    static let itemHeader = ["merchant_id", "payout_ref", "line_no", "item_kind", "amount", "currency", "rrn", "note"]
    static let holdHeader = ["merchant_id", "hold_ref", "hold_kind", "amount", "currency", "rrn", "payout_ref",
                             "opened_at", "released_at", "reason"]

    /// Writes everything; returns the chunk file groups written, in import order.
    @discardableResult
    func writeAll() throws -> [ChunkFiles] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try writeMerchants()
        var chunks: [ChunkFiles] = []
        var current: ChunkWriter?
        let settle = SettleDays()
        let cal = BenchRules.rules.calendar
        // Traded two working days back: its payout's window and grace are over by `now`.
        let lastWorking = cal.previousWorkingDay(before: cal.previousWorkingDay(before: layout.end)).dayNumber
        try layout.forEachDay { day, batches in
            if current == nil || current!.txnRows >= chunkRows {
                if let c = current { chunks.append(try c.finish()) }
                current = try ChunkWriter(layout: layout, dir: dir, index: chunks.count + 1, settle: settle)
            }
            for b in batches { current!.add(b, problem: layout.problem(b, lastWorkingDay: lastWorking)) }
        }
        if let c = current { chunks.append(try c.finish()) }
        return chunks
    }

    func writeMerchants() throws {
        let accounts = ["6222021001123453456", "6217002000012347788", "6228480012345679012", "6225880198765432109"]
        let m = try ByteWriter(path: dir + "/merchants.csv")
        m.row(["merchant_id", "merchant_name", "acquirer", "bank_account", "account_class", "daily_inflow_limit", "cycle", "currency"])
        for i in 0..<layout.merchantCount {
            m.row([layout.mid(i), layout.merchantName(i), "拉卡拉 Lakala", accounts[i % accounts.count], "corporate", nil, nil, "CNY"])
        }
        m.close()
        let e = try ByteWriter(path: dir + "/account_events.csv")
        e.row(["merchant_id", "state", "at", "reason"])
        let (first, _) = layout.start()
        for i in 0..<layout.merchantCount {
            e.row([layout.mid(i), "active", stamp(first - 30, 9 * 3600), "商户入网审核通过 onboarding approved"])
        }
        e.close()
    }
}

/// The files of one chunk, in import order.
struct ChunkFiles {
    var transactions: String
    var payouts: String
    var items: String
    var holds: String
    var txnRows: Int
    var payoutRows: Int
    var itemRows: Int
    var holdRows: Int
}

func stamp(_ day: Int, _ second: Int) -> String {
    let d = LocalDate(dayNumber: day)
    return String(format: "%04d-%02d-%02d %02d:%02d:%02d", d.year, d.month, d.day, second / 3600, (second / 60) % 60, second % 60)
}

/// Appends "YYYY-MM-DD HH:MM:SS" without Foundation formatting (the hot path).
func writeStamp(_ w: ByteWriter, _ d: LocalDate, _ second: Int) {
    w.padded(d.year, 4); w.byte(45); w.padded(d.month, 2); w.byte(45); w.padded(d.day, 2); w.byte(32)
    w.padded(second / 3600, 2); w.byte(58); w.padded((second / 60) % 60, 2); w.byte(58); w.padded(second % 60, 2)
}

final class ChunkWriter {
    let layout: DataLayout
    let settle: SettleDays
    let txns: ByteWriter, payouts: ByteWriter, items: ByteWriter, holds: ByteWriter
    var txnRows: Int { txns.rows - 1 }

    init(layout: DataLayout, dir: String, index: Int, settle: SettleDays) throws {
        self.layout = layout
        self.settle = settle
        let n = String(format: "%03d", index)
        txns = try ByteWriter(path: "\(dir)/transactions-\(n).csv")
        payouts = try ByteWriter(path: "\(dir)/payouts-\(n).csv")
        items = try ByteWriter(path: "\(dir)/payout_items-\(n).csv")
        holds = try ByteWriter(path: "\(dir)/holds-\(n).csv")
        txns.row(CanonicalWriter.txnHeader)
        payouts.row(CanonicalWriter.payoutHeader)
        items.row(CanonicalWriter.itemHeader)
        holds.row(CanonicalWriter.holdHeader)
    }

    func finish() throws -> ChunkFiles {
        for w in [txns, payouts, items, holds] { w.close() }
        return ChunkFiles(transactions: txns.path, payouts: payouts.path, items: items.path, holds: holds.path,
                          txnRows: txns.rows - 1, payoutRows: payouts.rows - 1, itemRows: items.rows - 1, holdRows: holds.rows - 1)
    }

    /// One batch: its transactions, its payout, the payout's items, and any hold.
    func add(_ b: GenBatch, problem: DataLayout.Problem) {
        addTransactions(b)
        addSettlement(b, problem: problem)
    }

    func addTransactions(_ b: GenBatch) {
        ChunkWriterTxnsOnly(layout: layout, w: txns).add(b)
    }

    func addSettlement(_ b: GenBatch, problem: DataLayout.Problem) {
        guard !b.txns.isEmpty else { return }
        let l = layout
        let mid = l.mid(l.merchantOf(terminal: b.terminal)), ref = l.payoutRef(day: b.day, terminal: b.terminal)
        let s = settle.t1(b.day)
        let sDate = LocalDate(dayNumber: s)
        var r = SeededRandom(mixing: l.seed, UInt64(bitPattern: Int64(b.day)), UInt64(b.terminal), 4)
        let creditSecond = 10 * 3600 + r.int(0...50) * 60
        let due = l.instant(day: s, second: creditSecond) <= l.now
        let gross = b.gross, fees = b.fees
        let expected = gross - fees
        var lineNo = 1
        func item(_ kind: String, _ amount: Int64, rrn: String?, note: String?) {
            let w = items
            w.str(mid); w.comma(); w.str(ref); w.comma(); w.int(lineNo); w.comma(); w.str(kind); w.comma(); w.money(amount)
            w.comma(); w.str("CNY"); w.comma(); if let rrn { w.str(rrn) }; w.comma(); if let note { w.field(note) }
            w.endRow()
            lineNo += 1
        }
        for x in b.txns {
            item(x.isRefund ? "refund" : "transaction", x.amount, rrn: l.rrn(b.day, x), note: nil)
        }
        item("fee", -fees, rrn: nil, note: "手续费 fees")
        var paid: Int64? = due ? expected : nil
        var status = due ? "paid" : "scheduled"
        var failure: String?
        var credited: String? = due ? stamp(s, creditSecond) : nil
        var bankRef: String? = due ? "B" + String(format: "%04d%02d%02d", sDate.year, sDate.month, sDate.day) + String(format: "%06d", b.terminal) : nil
        switch problem {
        case .none:
            break
        case .short:
            if due && expected > 20_000 { paid = expected - 20_000 }
        case .riskHold:
            if let sale = b.txns.first(where: { !$0.isRefund }) {
                let held = sale.amount
                let rrn = l.rrn(b.day, sale)
                item("hold", -held, rrn: rrn, note: "风控调单 risk review")
                if due { paid = expected - held; status = "partial" }
                let holdRef = "HOLD-" + ref
                let releaseDay = s + 5
                let released = l.instant(day: releaseDay, second: 11 * 3600) <= l.now
                holds.row([mid, holdRef, "riskReview", money(held), "CNY", rrn, ref, stamp(s, 8 * 3600 + 30 * 60),
                           released ? stamp(releaseDay, 11 * 3600) : nil, "风控调单：大额交易，请提供交易小票 risk review: provide receipt"])
                if released {
                    let rref = ref + "-R"
                    let rs = settle.t1(releaseDay)
                    let paidR = l.instant(day: rs, second: creditSecond) <= l.now
                    payouts.row([mid, rref, LocalDate(dayNumber: rs).iso, money(held), paidR ? money(held) : nil, "CNY",
                                 paidR ? "paid" : "scheduled", stamp(rs, 9 * 3600), paidR ? stamp(rs, creditSecond) : nil,
                                 paidR ? "BR" + String(format: "%08d%04d", rs, b.terminal) : nil, nil])
                    let w = items
                    w.str(mid); w.comma(); w.str(rref); w.comma(); w.int(1); w.comma(); w.str("release"); w.comma(); w.money(held)
                    w.comma(); w.str("CNY"); w.comma(); w.str(rrn); w.comma(); w.field("解冻 released from " + ref); w.endRow()
                }
            }
        case .returned:
            if due { paid = nil; status = "returned"; credited = nil; failure = "R03 收款账户已销户 account closed" }
        case .processing:
            paid = nil; status = "processing"; credited = nil; bankRef = nil
        }
        payouts.row([mid, ref, sDate.iso, money(expected), paid.map(money), "CNY", status, stamp(s, 9 * 3600), credited, bankRef, failure])
    }
}

func money(_ minor: Int64) -> String {
    let m = minor.magnitude
    return (minor < 0 ? "-" : "") + String(m / 100) + "." + String(format: "%02d", Int(m % 100))
}
