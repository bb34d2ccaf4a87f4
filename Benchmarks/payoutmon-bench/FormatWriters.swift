import Foundation
import PayoutCore

/// One report file of `layout.rows` transactions in an acquirer's format, from the
/// same generated batches as the canonical files (so every format carries the same
/// money). Used for the import rows/s benchmark.
enum FormatFile {
    static let formats = ["canonical", "cn-settlement", "adyen-sdr", "stripe-payout-recon"]

    /// Writes the file and returns its number of data rows.
    @discardableResult
    static func write(format: String, layout: DataLayout, path: String) throws -> Int {
        let w = try ByteWriter(path: path)
        defer { w.close() }
        let settle = SettleDays()
        switch format {
        case "canonical":
            // The transactions kind: the same rows as transactions-001.csv of `generate`.
            w.row(CanonicalWriter.txnHeader)
            let chunk = ChunkWriterTxnsOnly(layout: layout, w: w)
            layout.forEachDay { _, batches in for b in batches { chunk.add(b) } }
        case "cn-settlement":
            cn(layout, w)
        case "adyen-sdr":
            adyen(layout, w, settle)
        case "stripe-payout-recon":
            stripe(layout, w, settle)
        default:
            throw BenchError("unknown format \(format) (one of \(formats.joined(separator: ", ")))")
        }
        w.flush()
        return w.rows - 1
    }

    /// The plain POS export (profile cn-pos-export), the layout `--format auto` must know:
    /// 商户号,终端号,交易时间,交易类型,批次号,凭证号,参考号,卡号,交易金额,手续费,结算金额; amounts in 元.
    static func cn(_ l: DataLayout, _ w: ByteWriter) {
        w.row(["商户号", "终端号", "交易时间", "交易类型", "批次号", "凭证号", "参考号", "卡号", "交易金额", "手续费", "结算金额"])
        l.forEachDay { day, batches in
            let date = LocalDate(dayNumber: day)
            for b in batches {
                let mid = l.mid(l.merchantOf(terminal: b.terminal)), tid = l.tid(b.terminal), batchNo = l.batchNo(b)
                for x in b.txns {
                    w.str(mid); w.comma(); w.str(tid); w.comma(); writeStamp(w, date, x.second); w.comma()
                    w.str(x.isRefund ? "退货" : "消费"); w.comma(); w.str(batchNo); w.comma(); w.str(l.trace(day, x)); w.comma()
                    w.str(l.rrn(day, x)); w.comma()
                    switch x.cardKind {
                    case .debit: w.str("622848******"); w.padded(x.cardTail, 4)
                    case .credit: w.str("625807******"); w.padded(x.cardTail, 4)
                    default: break
                    }
                    let gross = x.amount.magnitude
                    w.comma(); w.money(Int64(gross)); w.comma(); w.money(x.fee); w.comma(); w.money(Int64(gross) - x.fee)
                    w.endRow()
                }
            }
        }
    }

    /// Adyen's Settlement Details Report, classic 30 columns: a Settled (or Refunded)
    /// row per transaction with its commission, and one MerchantPayout row per batch.
    /// One merchant account per terminal; one batch per terminal and day.
    static func adyen(_ l: DataLayout, _ w: ByteWriter, _ settle: SettleDays) {
        w.row(["Company Account", "Merchant Account", "Psp Reference", "Merchant Reference", "Payment Method", "Creation Date",
               "TimeZone", "Type", "Modification Reference", "Gross Currency", "Gross Debit (GC)", "Gross Credit (GC)",
               "Exchange Rate", "Net Currency", "Net Debit (NC)", "Net Credit (NC)", "Commission (NC)", "Markup (NC)",
               "Scheme Fees (NC)", "Interchange (NC)", "Payment Method Variant", "Modification Merchant Reference",
               "Batch Number", "Reserved4", "Reserved5", "Reserved6", "Reserved7", "Reserved8", "Reserved9", "Reserved10"])
        let first = l.start().day
        l.forEachDay { day, batches in
            let date = LocalDate(dayNumber: day)
            for b in batches {
                let account = "WeidaoHK" + String(format: "%04d", b.terminal)
                let batchNo = day - first + 1
                var net: Int64 = 0
                for x in b.txns {
                    let psp = "88" + String(format: "%05d%04d%02d", day % 100_000, b.terminal % 10_000, x.seq) + "000"
                    let (method, variant) = x.cardKind == .debit ? ("visa", "visadebit") : x.cardKind == .credit ? ("mc", "mccredit") : ("alipay", "alipay")
                    w.str("WeidaoCompany"); w.comma(); w.str(account); w.comma(); w.str(psp); w.comma()
                    w.str("order-"); w.str(l.rrn(day, x)); w.comma(); w.str(method); w.comma(); writeStamp(w, date, x.second); w.comma()
                    w.str("HKT"); w.comma(); w.str(x.isRefund ? "Refunded" : "Settled"); w.comma()
                    w.str("88" + String(format: "%05d%04d%02d", day % 100_000, b.terminal % 10_000, x.seq) + "001"); w.comma()
                    w.str("HKD"); w.comma()
                    let g = x.amount.magnitude
                    if x.isRefund { w.money(Int64(g)); w.comma(); w.comma() } else { w.comma(); w.money(Int64(g)); w.comma() }
                    w.str("1"); w.comma(); w.str("HKD"); w.comma()
                    if x.isRefund {
                        w.money(Int64(g)); w.comma(); w.comma(); w.comma()
                        net -= Int64(g)
                    } else {
                        w.comma(); w.money(Int64(g) - x.fee); w.comma(); w.money(x.fee)
                        net += Int64(g) - x.fee
                        w.comma()
                    }
                    w.comma(); w.comma(); w.comma(); w.str(variant); w.comma(); w.comma(); w.int(batchNo)
                    for _ in 0..<7 { w.comma() }
                    w.endRow()
                }
                let s = settle.t1(day)
                w.str("WeidaoCompany"); w.comma(); w.str(account); w.comma(); w.comma(); w.comma(); w.comma()
                writeStamp(w, LocalDate(dayNumber: s), 2 * 3600); w.comma(); w.str("HKT"); w.comma(); w.str("MerchantPayout"); w.comma()
                w.str("TX" + String(format: "%06d%04d", s, b.terminal) + "XT"); w.comma(); w.str("HKD"); w.comma(); w.comma(); w.comma()
                w.comma(); w.str("HKD"); w.comma(); w.money(net); w.comma(); w.comma(); w.comma(); w.comma(); w.comma(); w.comma()
                w.comma(); w.comma(); w.int(batchNo)
                for _ in 0..<7 { w.comma() }
                w.endRow()
            }
        }
    }

    /// Stripe's itemized payout reconciliation report: one charge (or refund) row per
    /// transaction, one automatic payout per terminal and day, paid T+1.
    static func stripe(_ l: DataLayout, _ w: ByteWriter, _ settle: SettleDays) {
        w.row(["automatic_payout_id", "automatic_payout_effective_at", "balance_transaction_id", "created_utc", "created",
               "available_on_utc", "available_on", "currency", "gross", "fee", "net", "reporting_category", "source_id",
               "description", "customer_facing_amount", "customer_facing_currency", "customer_id", "customer_email",
               "charge_id", "payment_intent_id", "charge_created", "card_brand", "card_funding", "card_country",
               "payment_method_type"])
        l.forEachDay { day, batches in
            let date = LocalDate(dayNumber: day)
            let s = settle.t1(day)
            let sDate = LocalDate(dayNumber: s)
            for b in batches {
                let po = "po_" + String(format: "%06d%04d", day, b.terminal)
                for x in b.txns {
                    let id = String(format: "%06d%04d%02d", day, b.terminal, x.seq)
                    let utc = x.second - 8 * 3600
                    let utcDate = utc < 0 ? LocalDate(dayNumber: day - 1) : date
                    let utcSecond = utc < 0 ? utc + 86_400 : utc
                    w.str(po); w.comma(); writeStamp(w, sDate, 0); w.comma(); w.str("txn_"); w.str(id); w.comma()
                    writeStamp(w, utcDate, utcSecond); w.comma(); writeStamp(w, date, x.second); w.comma()
                    writeStamp(w, LocalDate(dayNumber: s - 1), 16 * 3600); w.comma(); writeStamp(w, sDate, 0); w.comma()
                    w.str("usd"); w.comma(); w.money(x.amount); w.comma(); w.money(x.fee); w.comma(); w.money(x.amount - x.fee); w.comma()
                    w.str(x.isRefund ? "refund" : "charge"); w.comma(); w.str(x.isRefund ? "re_" : "ch_"); w.str(id); w.comma()
                    w.str("order "); w.str(l.rrn(day, x)); w.comma(); w.money(x.amount); w.comma(); w.str("usd"); w.comma()
                    w.str("cus_"); w.padded(x.auth, 6); w.comma(); w.comma(); w.str("ch_"); w.str(id); w.comma(); w.str("pi_"); w.str(id); w.comma()
                    writeStamp(w, date, x.second); w.comma()
                    switch x.cardKind {
                    case .debit: w.str("visa,debit,US,card")
                    case .credit: w.str("mastercard,credit,US,card")
                    default: w.str("visa,prepaid,US,card")
                    }
                    w.endRow()
                }
            }
        }
    }
}

/// Transactions rows only, to one writer (the canonical format file).
struct ChunkWriterTxnsOnly {
    let layout: DataLayout
    let w: ByteWriter

    func add(_ b: GenBatch) {
        let l = layout
        let mid = l.mid(l.merchantOf(terminal: b.terminal)), tid = l.tid(b.terminal), tname = l.terminalName(b.terminal)
        let batchNo = l.batchNo(b), ref = l.payoutRef(day: b.day, terminal: b.terminal)
        let date = LocalDate(dayNumber: b.day)
        for x in b.txns {
            w.str(mid); w.comma(); w.str(tid); w.comma(); w.str(tname); w.comma(); w.str(batchNo); w.comma()
            w.str(l.trace(b.day, x)); w.comma(); w.str(l.rrn(b.day, x)); w.comma(); w.padded(x.auth, 6); w.comma()
            switch x.cardKind {
            case .debit: w.str("622848******"); w.padded(x.cardTail, 4)
            case .credit: w.str("625807******"); w.padded(x.cardTail, 4)
            default: break
            }
            w.comma(); w.str(x.cardKind.rawValue); w.comma(); w.str(x.isRefund ? "refund" : "sale"); w.comma()
            w.money(x.amount); w.comma(); w.money(x.fee); w.comma(); w.str("CNY"); w.comma()
            writeStamp(w, date, x.second); w.comma(); w.str(ref)
            w.endRow()
        }
    }
}
