import Foundation
import PayoutCore

/// Reads canonical CSV rows into records and hands them to a `RecordSink`.
struct CanonicalImporter {
    let kind: CanonicalKind
    var reader: RowReader

    init(kind: CanonicalKind, file: String, header: [String], zone: TimeZone) throws(ImportError) {
        self.kind = kind
        self.reader = RowReader(file: file, header: header, zone: zone)
        let known = Set(kind.requiredColumns + kind.optionalColumns)
        for name in header where !known.contains(name) {
            throw ImportError(file: file, line: 1, column: name,
                              reason: "unknown column for a \(kind.rawValue) file (allowed: \((kind.requiredColumns + kind.optionalColumns).joined(separator: ", ")))")
        }
        var seen = Set<String>()
        for name in header where !seen.insert(name).inserted {
            throw ImportError(file: file, line: 1, column: name, reason: "column appears twice")
        }
    }

    mutating func row(_ record: CSVRecord, into sink: any ReportSink) throws {
        reader.fields = record.fields
        reader.line = record.line
        if record.fields.count != reader.columns.count {
            throw reader.fail(nil, "has \(record.fields.count) fields; the header has \(reader.columns.count)")
        }
        let r = reader
        do {
            switch kind {
            case .transactions: try sink.add(try transaction(r), line: r.line)
            case .payouts: try sink.add(try payout(r), line: r.line)
            case .payoutItems: try sink.add(try payoutItem(r), line: r.line)
            case .accountEvents: try sink.add(try accountEvent(r), line: r.line)
            case .holds: try sink.add(try hold(r), line: r.line)
            case .merchants: try sink.add(try merchant(r), line: r.line)
            }
        } catch let c as RecordConflict {
            throw r.fail(nil, c.reason)
        }
    }

    private func transaction(_ r: RowReader) throws(ImportError) -> Transaction {
        let currency = try r.currency()
        let kind = try r.enumValue("kind", TxnKind.self)
        let amount = try r.money("amount", currency)
        switch kind {
        case .sale, .preauthCompletion:
            if amount.isNegative { throw r.fail("amount", "a \(kind.rawValue) must not be negative") }
        case .refund, .void, .reversal:
            if amount.minor > 0 { throw r.fail("amount", "a \(kind.rawValue) takes money back: write it as a negative amount") }
        case .adjustment:
            break
        }
        let card: String
        do { card = try Values.maskCard(r.optional("card_number") ?? "") } catch { throw r.fail("card_number", error.reason) }
        let cardKind = try r.enumValue("card_kind", CardKind.self)
        if card.isEmpty && cardKind != .qr && cardKind != .other {
            throw r.fail("card_number", "value is missing (only qr and other payments may have no card)")
        }
        return Transaction(
            merchantId: try r.identifier("merchant_id", .merchantId),
            terminalId: try r.identifier("terminal_id", .terminalId),
            terminalName: r.optional("terminal_name"),
            batchNo: try r.identifier("batch_no", .batchNo),
            traceNo: try r.identifier("trace_no", .traceNo),
            rrn: try r.identifier("rrn", .rrn),
            authCode: r.optional("auth_code") ?? "",
            cardMasked: card,
            cardKind: cardKind,
            kind: kind,
            amount: amount,
            fee: try r.optionalMoney("fee", currency),
            occurredAt: try r.instant("occurred_at"),
            payoutRef: try r.optionalIdentifier("payout_ref", .payoutRef)
        )
    }

    private func payout(_ r: RowReader) throws(ImportError) -> Payout {
        let currency = try r.currency()
        return Payout(
            merchantId: try r.identifier("merchant_id", .merchantId),
            ref: try r.identifier("payout_ref", .payoutRef),
            cycleDate: try r.date("cycle_date"),
            expectedAmount: try r.money("expected_amount", currency),
            paidAmount: try r.optionalMoney("paid_amount", currency),
            status: try r.enumValue("status", PayoutStatus.self),
            expectedArrival: try r.optionalInstant("expected_arrival"),
            creditedAt: try r.optionalInstant("credited_at"),
            bankRef: r.optional("bank_ref"),
            failureCode: r.optional("failure_code")
        )
    }

    private func payoutItem(_ r: RowReader) throws(ImportError) -> PayoutItem {
        let currency = try r.currency()
        return PayoutItem(
            merchantId: try r.identifier("merchant_id", .merchantId),
            payoutRef: try r.identifier("payout_ref", .payoutRef),
            lineNo: try r.int("line_no"),
            kind: try r.enumValue("item_kind", PayoutItemKind.self),
            amount: try r.money("amount", currency),
            rrn: try r.optionalIdentifier("rrn", .rrn),
            note: r.optional("note")
        )
    }

    private func accountEvent(_ r: RowReader) throws(ImportError) -> AccountEvent {
        AccountEvent(
            merchantId: try r.identifier("merchant_id", .merchantId),
            state: try r.enumValue("state", AccountState.self),
            at: try r.instant("at"),
            reason: try r.required("reason")
        )
    }

    private func merchant(_ r: RowReader) throws(ImportError) -> Merchant {
        let currency = try r.currency()
        let account: String
        do { account = try CardNumber.mask(try r.required("bank_account")) } catch let e as CardNumber.Invalid {
            throw r.fail("bank_account", e.reason)
        } catch let e as ImportError { throw e } catch { throw r.fail("bank_account", "\(error)") }
        let limit = try r.optionalMoney("daily_inflow_limit", currency)
        if let limit, limit.minor <= 0 { throw r.fail("daily_inflow_limit", "must be more than zero") }
        return Merchant(
            merchantId: try r.identifier("merchant_id", .merchantId),
            name: try r.required("merchant_name"),
            acquirer: try r.required("acquirer"),
            bankAccountMasked: account,
            accountClass: try r.enumValue("account_class", AccountClass.self),
            dailyInflowLimit: limit,
            cycle: try cycle(r),
            currency: currency
        )
    }

    private func cycle(_ r: RowReader) throws(ImportError) -> String? {
        guard let v = r.optional("cycle") else { return nil }
        guard let c = SettlementPolicy.Cycle.parse(v) else { throw r.fail("cycle", "\(ImportLimits.quote(v)) is not a cycle like T+1, D+1 or D+0") }
        return c.description
    }

    private func hold(_ r: RowReader) throws(ImportError) -> Hold {
        let currency = try r.currency()
        let opened = try r.instant("opened_at")
        let released = try r.optionalInstant("released_at")
        if let released, released < opened { throw r.fail("released_at", "is before opened_at") }
        let amount = try r.money("amount", currency)
        if amount.isNegative { throw r.fail("amount", "a hold amount must not be negative") }
        return Hold(
            merchantId: try r.identifier("merchant_id", .merchantId),
            ref: try r.identifier("hold_ref", .payoutRef),
            kind: try r.enumValue("hold_kind", HoldKind.self),
            amount: amount,
            rrn: try r.optionalIdentifier("rrn", .rrn),
            payoutRef: try r.optionalIdentifier("payout_ref", .payoutRef),
            openedAt: opened,
            releasedAt: released,
            reason: try r.required("reason")
        )
    }
}
