import Foundation
import PayoutCore

/// The report formats payoutmon reads.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// Pick the format from the file's header.
    case auto
    /// payoutmon's own CSV kinds (see the README's report format section).
    case canonical
    /// Chinese acquirer exports (交易明细, 结算明细, 对账单), read through a mapping profile.
    case cnSettlement = "cn-settlement"
    /// Adyen's Settlement Details Report.
    case adyenSdr = "adyen-sdr"
    /// Stripe's itemized payout reconciliation report.
    case stripePayoutRecon = "stripe-payout-recon"
    /// WeChat Pay's merchant trade bill (交易账单: all, success or refund).
    case wechatBill = "wechat-bill"
    /// Alipay's merchant account statement (账务明细).
    case alipayStatement = "alipay-statement"
    /// A bank statement of the settlement account (camt.053/camt.052 and the formats of
    /// `BankFormats.parsers`); the store reads it, not the report importers.
    case bankStatement = "bank-statement"
}

/// How far an import has read: rows, and bytes of the file's size (the bytes are counted
/// a block at a time, so they may run a block ahead of the rows).
public struct ImportProgress: Sendable, Equatable {
    public var rows: Int
    public var bytes: Int
    public var totalBytes: Int
    /// What the import is doing: reading the file, then reconciling what it touched.
    public var phase: Phase = .reading

    public enum Phase: Sendable, Equatable {
        case reading
        /// The transactions reconciled so far, of how many the file touched.
        case transactions(done: Int, total: Int)
        /// Then the payouts.
        case payouts(done: Int, total: Int)
    }

    public init(rows: Int, bytes: Int, totalBytes: Int) {
        self.rows = rows; self.bytes = bytes; self.totalBytes = totalBytes
    }
}

/// Whether a write takes the store's bulk path: the table's secondary indexes and
/// running-total triggers set aside for the load and rebuilt once, in the same
/// transaction. The result is the same either way; only the speed differs.
public enum BulkMode: String, Sendable, CaseIterable {
    /// When the new rows are many (20,000 or more) and at least a quarter of the store's.
    case auto
    case always
    case never
}

/// How to import a file.
public struct ImportOptions: Sendable {
    public var format: ReportFormat
    /// The zone of timestamps written without an offset.
    public var timeZone: TimeZone
    /// Called now and then with the rows read so far and the bytes read of the file's size.
    public var progress: (@Sendable (ImportProgress) -> Void)?
    /// Rows between progress calls.
    public var progressEvery: Int
    /// The settlement rules reconciliation uses; nil skips reconciliation (states are
    /// then computed by a later import or `PayoutStore.recomputeStates`).
    public var rules: SettlementRules?
    /// The instant states are evaluated at; nil means the current time.
    public var now: Instant?
    /// The instant the store records as the file's import time (`status --at` leaves out
    /// files imported after its time); nil means the current time. Tests and replays set it.
    public var importedAt: Instant?
    /// Forces one cn-settlement profile by name (implies `format` cn-settlement).
    public var profile: String?
    /// The cn-settlement profiles known: the built-in ones unless the caller loaded more.
    public var profiles: [FormatProfile]
    /// Import the good rows of a file and set the bad ones aside (in the summary, and
    /// in `rejectsPath`) instead of refusing the whole file.
    public var skipBad: Bool
    /// The merchant id for files that do not name one (Stripe reports, exports with no
    /// 商户号 column).
    public var merchantId: String?
    /// Where `--skip-bad` writes the rejected rows. `importFile` defaults it to the
    /// input's path with `.rejects.csv` in place of its extension.
    public var rejectsPath: String?
    /// Store a row that changes a stored record (a revision: same natural key, another
    /// amount, state or date) as the record's new version, the old values kept in the
    /// store's revision history. Without it such a file is refused.
    public var acceptRevisions: Bool
    /// Whether a large import takes the store's bulk path (indexes set aside and rebuilt
    /// once); `auto` decides by the file's size against the store's.
    public var bulk: BulkMode = .auto

    public init(format: ReportFormat = .auto, timeZone: TimeZone, rules: SettlementRules? = nil, now: Instant? = nil,
                progress: (@Sendable (ImportProgress) -> Void)? = nil, progressEvery: Int = 50_000,
                profile: String? = nil, profiles: [FormatProfile] = FormatProfiles.builtin, skipBad: Bool = false,
                merchantId: String? = nil, rejectsPath: String? = nil, acceptRevisions: Bool = false) {
        self.format = format
        self.timeZone = timeZone
        self.progress = progress
        self.progressEvery = progressEvery
        self.rules = rules
        self.now = now
        self.profile = profile
        self.profiles = profiles
        self.skipBad = skipBad
        self.merchantId = merchantId
        self.rejectsPath = rejectsPath
        self.acceptRevisions = acceptRevisions
    }
}
