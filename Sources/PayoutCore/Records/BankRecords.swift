/// The bank's side of the money: statements of the merchant's settlement account, as
/// plain values. Importers of every statement format (camt.053/052, MT940/942, OFX, the
/// Chinese online-banking exports) produce these; the store keeps them and matches
/// their credits to the acquirer's payouts.

/// What period a statement closes: a day's (or a period's) final statement, or an
/// intraday report that may still change.
public enum BankStatementKind: String, Sendable, Codable, CaseIterable {
    /// camt.053, MT940, an OFX statement, a Chinese bank export of finished days.
    case final
    /// camt.052, MT942: entries so far; never proves that a credit did not come.
    case intraday
}

/// Whether an entry is booked on the account or only announced.
public enum BankEntryStatus: String, Sendable, Codable, CaseIterable {
    case booked
    /// Pending or for information (camt `PDNG`/`INFO`, MT942 items not yet booked).
    case pending
}

/// One statement of one account: its period, balances and entries.
public struct BankStatement: Hashable, Sendable {
    /// The format as detected ("camt.053.001.02", "MT940", "OFX 2", "cn-bank:icbc" ...).
    public var format: String
    /// The bank's identification of the statement (camt `Stmt/Id`, MT940 `:20:`+`:28C:`,
    /// OFX none: built from account and period). With the account, its natural key.
    public var statementId: String
    /// The account as the statement names it, masked to its last four characters
    /// beyond what the statement already masks (`CardNumber.redact` keeps no full
    /// account number): "CN** **** **** 1234", "6222****1234".
    public var accountMasked: String
    /// The last four digits or characters of the account, for matching to a merchant's
    /// settlement account (`Merchant.bankAccountMasked`).
    public var accountTail: String
    /// The account owner's name when the statement gives one.
    public var accountName: String?
    /// The bank (BIC, bank name) when given.
    public var bank: String?
    public var currency: Currency
    public var kind: BankStatementKind
    /// The first and last day the statement covers (both inclusive), in the bank's
    /// local dates. A statement without a stated period covers its entries' booking days.
    public var periodStart: LocalDate
    public var periodEnd: LocalDate
    /// Booked balances when given: the one the period opened with and closed with.
    public var openingBalance: Money?
    public var closingBalance: Money?
    /// When the bank produced the statement, when given.
    public var createdAt: Instant?
    /// The line (1-based) where the statement starts in its file.
    public var line: Int
    public var entries: [BankEntry]

    public init(format: String, statementId: String, accountMasked: String, accountTail: String, accountName: String? = nil,
                bank: String? = nil, currency: Currency, kind: BankStatementKind, periodStart: LocalDate, periodEnd: LocalDate,
                openingBalance: Money? = nil, closingBalance: Money? = nil, createdAt: Instant? = nil, line: Int,
                entries: [BankEntry] = []) {
        self.format = format; self.statementId = statementId; self.accountMasked = accountMasked; self.accountTail = accountTail
        self.accountName = accountName; self.bank = bank; self.currency = currency; self.kind = kind
        self.periodStart = periodStart; self.periodEnd = periodEnd; self.openingBalance = openingBalance
        self.closingBalance = closingBalance; self.createdAt = createdAt; self.line = line; self.entries = entries
    }

    /// Opening balance plus the booked entries (reversals included with their sign),
    /// when the statement gives an opening balance.
    public var computedClosing: Money? {
        guard let opening = openingBalance else { return nil }
        var minor = opening.minor
        for e in entries where e.status == .booked { minor += e.amount.minor }
        return Money(minor: minor, currency: opening.currency)
    }
}

/// One entry (booking) on a bank statement.
public struct BankEntry: Hashable, Sendable {
    /// Signed from the account holder's side: a credit (money in) is positive, a debit
    /// negative. A reversal carries the sign of its effect on the balance.
    public var amount: Money
    /// True when the bank marks the entry as reversing an earlier one (camt `RvslInd`,
    /// MT940 `RC`/`RD`).
    public var reversal: Bool
    public var status: BankEntryStatus
    /// The day the bank booked it.
    public var bookingDate: LocalDate
    /// The booking time when the statement gives one (camt `BookgDt/DtTm`, a Chinese
    /// export's 交易时间); nil when only a date is known.
    public var bookedAt: Instant?
    public var valueDate: LocalDate?
    /// The bank's own reference of the entry (camt `AcctSvcrRef`, MT940 `//` bank
    /// reference, OFX `FITID`, 交易流水号). Unique within the statement when given.
    public var bankRef: String?
    /// The payer's reference (camt `EndToEndId`, MT940 reference for the account owner).
    public var endToEndId: String?
    /// The bank transaction code as written (camt domain/family/sub-family or
    /// proprietary, MT940 `N` code, OFX `TRNTYPE`).
    public var transactionCode: String?
    /// Remittance and other free text (camt `Ustrd`/`AddtlNtryInf`, MT940 `:86:`, OFX
    /// `NAME`+`MEMO`, 摘要/附言), as written; masked on its way out like all report text.
    public var remittance: String?
    /// The other party: for a credit, the payer (拉卡拉支付股份有限公司).
    public var counterpartyName: String?
    /// The other party's account, masked.
    public var counterpartyAccount: String?
    /// The balance after this entry when the statement gives one (余额).
    public var balanceAfter: Money?
    /// The line (1-based) of the entry in its file.
    public var line: Int

    public init(amount: Money, reversal: Bool = false, status: BankEntryStatus = .booked, bookingDate: LocalDate,
                bookedAt: Instant? = nil, valueDate: LocalDate? = nil, bankRef: String? = nil, endToEndId: String? = nil,
                transactionCode: String? = nil, remittance: String? = nil, counterpartyName: String? = nil,
                counterpartyAccount: String? = nil, balanceAfter: Money? = nil, line: Int) {
        self.amount = amount; self.reversal = reversal; self.status = status; self.bookingDate = bookingDate
        self.bookedAt = bookedAt; self.valueDate = valueDate; self.bankRef = bankRef; self.endToEndId = endToEndId
        self.transactionCode = transactionCode; self.remittance = remittance; self.counterpartyName = counterpartyName
        self.counterpartyAccount = counterpartyAccount; self.balanceAfter = balanceAfter; self.line = line
    }

    public var isCredit: Bool { amount.minor > 0 }
}
