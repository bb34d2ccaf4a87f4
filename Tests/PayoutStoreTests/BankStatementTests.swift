import PayoutTestSupport
import Foundation
import GRDB
import PayoutCore
import PayoutFormats
import PayoutDemo
import Testing
@testable import PayoutStore

/// A camt entry for the statements the tests write.
struct CamtEntry {
    var amount: String
    var credit = true
    var day: String
    var time: String? = nil
    var status = "BOOK"
    var ref: String? = nil
    var payer: String? = "拉卡拉支付股份有限公司"
    var remittance: String? = nil
    var reversal = false
}

/// Writes a camt.053 (or camt.052) document: one statement per element of `statements`.
func camt(_ message: String = "053", version: String = "02", account: String = "6222021001123453456",
          statements: [(id: String, from: String, to: String, opening: String?, closing: String?, entries: [CamtEntry])]) -> Data {
    let stmt = message == "053" ? "Stmt" : "Rpt"
    let root = message == "053" ? "BkToCstmrStmt" : "BkToCstmrAcctRpt"
    var x = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.\(message).001.\(version)">
        <\(root)>
        <GrpHdr><MsgId>T1</MsgId><CreDtTm>2026-12-01T06:00:00+08:00</CreDtTm></GrpHdr>

        """
    for s in statements {
        x += "<\(stmt)><Id>\(s.id)</Id><FrToDt><FrDtTm>\(s.from)T00:00:00+08:00</FrDtTm><ToDtTm>\(s.to)T23:59:59+08:00</ToDtTm></FrToDt>\n"
        x += "<Acct><Id><Othr><Id>\(account)</Id></Othr></Id><Ccy>CNY</Ccy></Acct>\n"
        for (code, amount) in [("OPBD", s.opening), ("CLBD", s.closing)] {
            guard let amount else { continue }
            x += "<Bal><Tp><CdOrPrtry><Cd>\(code)</Cd></CdOrPrtry></Tp><Amt Ccy=\"CNY\">\(amount)</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>\(s.to)</Dt></Dt></Bal>\n"
        }
        for e in s.entries {
            let date = e.time.map { "<DtTm>\(e.day)T\($0)+08:00</DtTm>" } ?? "<Dt>\(e.day)</Dt>"
            x += "<Ntry>\n<Amt Ccy=\"CNY\">\(e.amount)</Amt><CdtDbtInd>\(e.credit ? "CRDT" : "DBIT")</CdtDbtInd>"
            x += e.reversal ? "<RvslInd>true</RvslInd>" : ""
            x += "<Sts>\(e.status)</Sts><BookgDt>\(date)</BookgDt><ValDt><Dt>\(e.day)</Dt></ValDt>"
            x += e.ref.map { "<AcctSvcrRef>\($0)</AcctSvcrRef>" } ?? ""
            x += "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\n"
            x += "<NtryDtls><TxDtls><RltdPties>"
            x += e.payer.map { "<Dbtr><Nm>\($0)</Nm></Dbtr><DbtrAcct><Id><Othr><Id>110060149018000001234</Id></Othr></Id></DbtrAcct>" } ?? ""
            x += "</RltdPties>"
            x += e.remittance.map { "<RmtInf><Ustrd>\($0)</Ustrd></RmtInf>" } ?? ""
            x += "</TxDtls></NtryDtls>\n</Ntry>\n"
        }
        x += "</\(stmt)>\n"
    }
    x += "</\(root)>\n</Document>\n"
    return Data(x.utf8)
}

enum BankFixture {
    static let calendar = try! SettlementCalendar.parse(BuiltinCalendars.cn, name: "cn")
    static let rules = SettlementRules(policy: .demoDefault, calendar: calendar)
    static let now = at("2026-12-02 12:00")
    static let mid = "898440358120013"
    static var options: ImportOptions {
        ImportOptions(timeZone: shanghai, rules: rules, now: now)
    }

    static let merchants = """
        merchant_id,merchant_name,acquirer,bank_account,account_class,daily_inflow_limit,cycle,currency
        898440358120013,味道小馆(南山店),拉卡拉 Lakala,6222021001123453456,corporate,,,CNY

        """

    /// Payouts the acquirer reports paid, one per matching case.
    static let payouts = """
        merchant_id,payout_ref,cycle_date,expected_amount,paid_amount,currency,status,expected_arrival,credited_at,bank_ref,failure_code
        898440358120013,LKLP-A,2026-11-23,1000.00,1000.00,CNY,paid,2026-11-23 09:00:00,2026-11-23 10:00:00,,
        898440358120013,LKLP-B,2026-11-24,200.00,200.00,CNY,paid,2026-11-24 09:00:00,2026-11-24 10:00:00,,
        898440358120013,LKLP-C,2026-11-24,300.00,300.00,CNY,paid,2026-11-24 09:00:00,2026-11-24 10:00:00,,
        898440358120013,LKLP-D,2026-11-25,800.00,800.00,CNY,paid,2026-11-25 09:00:00,2026-11-25 10:00:00,,
        898440358120013,LKLP-E,2026-11-26,700.00,700.00,CNY,paid,2026-11-26 09:00:00,2026-11-26 10:00:00,,
        898440358120013,LKLP-F,2026-11-26,600.00,600.00,CNY,paid,2026-11-26 09:00:00,2026-11-26 10:00:00,B20261126000601,
        898440358120013,LKLP-G,2026-11-27,900.00,900.00,CNY,paid,2026-11-27 09:00:00,2026-11-27 10:00:00,,

        """

    /// The credits: A one-to-one, B+C merged, D split in two, E missing, F by reference
    /// for 10.00 less, G two candidates, and 123.45 nobody announced.
    static let entries: [CamtEntry] = [
        CamtEntry(amount: "1000.00", day: "2026-11-23", time: "10:30:00"),
        CamtEntry(amount: "500.00", day: "2026-11-24", time: "11:00:00"),
        CamtEntry(amount: "450.00", day: "2026-11-25", time: "11:00:00"),
        CamtEntry(amount: "350.00", day: "2026-11-25", time: "11:05:00"),
        CamtEntry(amount: "590.00", day: "2026-11-26", time: "12:00:00", ref: "B20261126000601"),
        CamtEntry(amount: "900.00", day: "2026-11-27", time: "10:10:00"),
        CamtEntry(amount: "900.00", day: "2026-11-27", time: "10:20:00"),
        CamtEntry(amount: "123.45", day: "2026-11-30", time: "09:00:00"),
        CamtEntry(amount: "55.00", credit: false, day: "2026-11-30", payer: nil, remittance: "电费"),
    ]

    /// 10,000.00 + 4,813.45 in - 55.00 out.
    static func statement(closing: String = "14758.45", message: String = "053", account: String = "6222021001123453456") -> Data {
        camt(message, account: account, statements: [(id: "STMT-2026-11", from: "2026-11-23", to: "2026-11-30", opening: "10000.00",
                                                       closing: closing, entries: entries)])
    }

    static func store(statement: Data?, name: String = "bank/camt053-2026-11.xml") throws -> WritableStore {
        let store = try memoryStore()
        _ = try store.importData(Data(merchants.utf8), name: "merchants.csv", options: options)
        _ = try store.importData(Data(payouts.utf8), name: "payouts.csv", options: options)
        if let statement { _ = try store.importData(statement, name: name, options: options) }
        return store
    }

    static func payoutStates(_ store: PayoutStore) throws -> [String: (state: String, cause: String?)] {
        try store.reader.read { db in
            var out: [String: (String, String?)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT p.ref, s.state, s.cause FROM payoutState s JOIN payout p ON p.id = s.payoutId") {
                out[row["ref"]] = (row["state"], row["cause"])
            }
            return out
        }
    }

    static func matches(_ store: PayoutStore) throws -> [String] {
        try store.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.ref, m.rule, m.ambiguous, m.differenceMinor, e.amountMinor FROM bankMatch m
                JOIN payout p ON p.id = m.payoutId JOIN bankEntry e ON e.id = m.entryId ORDER BY p.ref, e.id
                """).map { "\($0["ref"] as String) \($0["rule"] as String) \($0["ambiguous"] as Int) \($0["differenceMinor"] as Int64) \($0["amountMinor"] as Int64)" }
        }
    }
}

@Suite struct CamtParserTests {
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: repoRoot + "/Tests/PayoutStoreTests/Fixtures/public/bank/" + name))
    }

    /// genkgo/camt's camt.053.001.02 sample: two statements of one IBAN, every balance
    /// and entry to the cent.
    @Test func publicCamt053TwoStatements() throws {
        let file = try CamtParser().parse(try Self.fixture("genkgo-camt053.v2.multi.statement.xml"), file: "s.xml")
        #expect(file.statements.count == 2)
        let (a, b) = (file.statements[0], file.statements[1])
        #expect(a.format == "camt.053.001.02" && a.kind == .final)
        #expect(a.statementId == "253EURNL26VAYB8060476890" && b.statementId == "254EURNL26VAYB8060476890")
        #expect(a.accountMasked == "NL****6890" && a.accountTail == "6890" && a.currency == .EUR)
        #expect(a.openingBalance?.minor == 1815 && a.closingBalance?.minor == 2700)
        #expect(b.openingBalance?.minor == 2700 && b.closingBalance?.minor == 2000)
        #expect(a.entries.map(\.amount.minor) == [885] && b.entries.map(\.amount.minor) == [-700])
        #expect(a.computedClosing == a.closingBalance && b.computedClosing == b.closingBalance)
        let e = a.entries[0]
        #expect(e.bookingDate.iso == "2014-12-31" && e.valueDate?.iso == "2015-01-02" && e.status == .booked && !e.reversal)
        #expect(e.endToEndId == "000000001" && e.remittance == "Transaction Description 1" && e.transactionCode == "544")
        #expect(e.line == 66)
        // A debit's counterparty is its creditor, masked.
        #expect(b.entries[0].counterpartyName == "Company Name 2" && b.entries[0].counterpartyAccount == "NL****8421")
        #expect(a.periodStart.iso == "2007-10-18" && b.periodStart.iso == "2014-12-31")
    }

    /// genkgo/camt's camt.052.001.02 sample: intraday, a debit booked with a time.
    @Test func publicCamt052Intraday() throws {
        let file = try CamtParser().parse(try Self.fixture("genkgo-camt052.v2.xml"), file: "r.xml")
        let s = try #require(file.statements.first)
        #expect(file.statements.count == 1 && s.kind == .intraday && s.format == "camt.052.001.02")
        #expect(s.currency.code == "SEK" && s.openingBalance == nil && s.closingBalance == nil)
        #expect(s.accountMasked == "CH****6789" && s.accountName == "FINPETROL" && s.bank == "AAAA BANKEN")
        let e = try #require(s.entries.first)
        #expect(e.amount.minor == -20_000_000 && e.bankRef == "AAAASESS-FP-ACCR-01")
        #expect(e.bookedAt == at("2007-10-18 10:15", in: TimeZone(secondsFromGMT: 3600)!))
        #expect(e.transactionCode == "PAYM/0001/0003 (XXXX+000+0000+000)" && e.remittance == "Credit")
        #expect(e.counterpartyName == "Company Name" && e.counterpartyAccount == "NL****8421")
    }

    @Test func detectsByNamespaceVersion() {
        let p = CamtParser()
        #expect(p.detects(head: #"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">"#))
        #expect(p.detects(head: #"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02">"#))
        #expect(!p.detects(head: #"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.01">"#))
        #expect(!p.detects(head: #"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">"#))
        #expect(!p.detects(head: "merchant_id,payout_ref"))
    }

    /// Newer versions put the status in a code element and the party under Pty.
    @Test func version8StatusAndParty() throws {
        let x = """
            <?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt><Id>S</Id>
            <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
            <Ntry><Amt Ccy="EUR">12.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts><BookgDt><Dt>2026-11-02</Dt></BookgDt>
            <NtryDtls><TxDtls><Refs><EndToEndId>E2E-1</EndToEndId></Refs><RltdPties><Dbtr><Pty><Nm>ACME</Nm></Pty></Dbtr></RltdPties>
            <RmtInf><Ustrd>one</Ustrd></RmtInf></TxDtls><TxDtls><Refs><EndToEndId>E2E-2</EndToEndId></Refs><RmtInf><Ustrd>two</Ustrd></RmtInf></TxDtls></NtryDtls>
            </Ntry></Stmt></BkToCstmrStmt></Document>
            """
        let s = try #require(try CamtParser().parse(Data(x.utf8), file: "v8.xml").statements.first)
        let e = try #require(s.entries.first)
        #expect(s.entries.count == 1 && e.status == .pending && e.counterpartyName == "ACME")
        #expect(e.endToEndId == "E2E-1 E2E-2" && e.remittance == "one / two")
    }

    @Test func truncatedXMLNamesTheLine() throws {
        let whole = try Self.fixture("genkgo-camt053.v2.multi.statement.xml")
        let cut = whole.prefix(whole.count / 2)
        let error = try #require(throws: ImportError.self) { try CamtParser().parse(Data(cut), file: "cut.xml") }
        #expect(error.line > 1 && error.reason.contains("nothing was imported"))
    }
}

@Suite struct BankStoreTests {
    @Test func publicSampleStoredUnassigned() throws {
        let store = try memoryStore()
        let data = try CamtParserTests.fixture("genkgo-camt053.v2.multi.statement.xml")
        let s = try store.importData(data, name: "genkgo.xml", options: BankFixture.options)
        let bank = try #require(s.bank)
        #expect(s.format == .bankStatement && bank.statements == 2 && bank.entries == 2 && bank.unassigned == 2)
        #expect(bank.incomplete == 0 && bank.gaps == 0 && s.account.balanced && s.account.stored == 2)
        #expect(s.warnings.contains { $0.reason.contains("stored unassigned") })
        let again = try store.importData(data, name: "genkgo.xml", options: BankFixture.options)
        #expect(again.alreadyImported)
        let sums = try store.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT openingMinor, closingMinor, computedClosingMinor, merchantId FROM bankStatement ORDER BY id")
                .map { "\($0["openingMinor"] as Int64) \($0["closingMinor"] as Int64) \($0["computedClosingMinor"] as Int64) \($0["merchantId"] as String?)" }
        }
        #expect(sums == ["1815 2700 2700 nil", "2700 2000 2000 nil"])
    }

    /// Two Chinese bank exports without their 账号 title rows (public samples of two banks):
    /// each is stored unassigned, says it names no account, and the two are no chain.
    @Test func exportsThatNameNoAccountAreUnassignedAndUnchained() throws {
        let store = try memoryStore()
        var warnings: [String] = []
        for name in ["cn-cmb-debit.double-entry-generator.csv", "cn-abc-debit.double-entry-generator.csv"] {
            let s = try store.importData(try CamtParserTests.fixture(name), name: name, options: BankFixture.options)
            let bank = try #require(s.bank)
            #expect(bank.statements == 1 && bank.entries == 5 && bank.unassigned == 1 && bank.gaps == 0, "\(name)")
            warnings += s.warnings.map(\.reason)
        }
        #expect(warnings.filter { $0.contains("names no account") }.count == 2)
        #expect(!warnings.contains { $0.contains("chain") })
    }

    @Test func truncatedFileStoresNothing() throws {
        let store = try memoryStore()
        let whole = BankFixture.statement()
        #expect(throws: ImportError.self) {
            try store.importData(whole.prefix(whole.count - 40), name: "cut.xml", options: BankFixture.options)
        }
        let n = try store.reader.read { db in try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM reportFile) + (SELECT COUNT(*) FROM bankEntry)") }
        #expect(n == 0)
    }

    @Test func balanceMismatchWarnsAndMarksIncomplete() throws {
        let store = try memoryStore()
        let s = try store.importData(BankFixture.statement(closing: "14000.00"), name: "b.xml", options: BankFixture.options)
        #expect(s.bank?.incomplete == 1)
        #expect(s.warnings.contains { $0.reason.contains("= 14,758.45") && $0.reason.contains("closing balance is 14,000.00") })
    }

    @Test func chainGapIsStoredAndShown() throws {
        let store = try memoryStore()
        let first = camt(statements: [(id: "S1", from: "2026-11-23", to: "2026-11-23", opening: "100.00", closing: "150.00",
                                       entries: [CamtEntry(amount: "50.00", day: "2026-11-23")])])
        let second = camt(statements: [(id: "S2", from: "2026-11-24", to: "2026-11-24", opening: "160.00", closing: "160.00", entries: [])])
        let a = try store.importData(first, name: "s1.xml", options: BankFixture.options)
        let b = try store.importData(second, name: "s2.xml", options: BankFixture.options)
        #expect(a.bank?.gaps == 0 && b.bank?.gaps == 1)
        #expect(b.warnings.contains { $0.reason.contains("opens at 160.00") && $0.reason.contains("closed at 150.00") })
        let gap = try store.reader.read { db in try Int64.fetchOne(db, sql: "SELECT gapMinor FROM bankStatement WHERE statementRef = 'S2'") }
        #expect(gap == 1000)
    }

    @Test func sameStatementTwiceIsADuplicate() throws {
        let store = try memoryStore()
        _ = try store.importData(BankFixture.statement(), name: "a.xml", options: BankFixture.options)
        var other = BankFixture.statement()
        other.append(contentsOf: Array("\n".utf8))
        let s = try store.importData(other, name: "b.xml", options: BankFixture.options)
        #expect(s.bank?.duplicateStatements == 1 && s.bank?.entries == 0 && s.account.duplicates == 9 && s.account.balanced)
    }
}

@Suite struct BankMatchingTests {
    @Test func matchesOneToOneMergedSplitReferenceAndAmbiguous() throws {
        let store = try BankFixture.store(statement: BankFixture.statement())
        #expect(try BankFixture.matches(store) == [
            "LKLP-A amount-date 0 0 100000",
            "LKLP-B merged 0 0 50000",
            "LKLP-C merged 0 0 50000",
            "LKLP-D split 0 0 45000",
            "LKLP-D split 0 0 35000",
            "LKLP-F reference 0 -1000 59000",
            "LKLP-G amount-date 1 0 90000",
            "LKLP-G amount-date 1 0 90000",
        ])
    }

    @Test func findingsFromTheBankSide() throws {
        let store = try BankFixture.store(statement: BankFixture.statement())
        let states = try BankFixture.payoutStates(store)
        #expect(states["LKLP-A"]?.state == "settled")
        #expect(states["LKLP-E"]?.state == "short" && states["LKLP-E"]?.cause == "NOT_CREDITED")
        #expect(states["LKLP-F"]?.state == "short" && states["LKLP-F"]?.cause == "CREDITED_DIFFERENT")
        // Ambiguous: nothing is claimed either way.
        #expect(states["LKLP-G"]?.state == "settled")
    }

    /// The statement imported before the payouts: the report import runs the matching.
    @Test func statementBeforePayouts() throws {
        let store = try memoryStore()
        _ = try store.importData(Data(BankFixture.merchants.utf8), name: "m.csv", options: BankFixture.options)
        _ = try store.importData(BankFixture.statement(), name: "b.xml", options: BankFixture.options)
        _ = try store.importData(Data(BankFixture.payouts.utf8), name: "p.csv", options: BankFixture.options)
        #expect(try BankFixture.matches(store).count == 8)
        #expect(try BankFixture.payoutStates(store)["LKLP-E"]?.cause == "NOT_CREDITED")
    }

    @Test func noStatementClaimsNothing() throws {
        let store = try BankFixture.store(statement: nil)
        #expect(try BankFixture.payoutStates(store)["LKLP-E"]?.state == "settled")
        // A statement that ends before the window's last day covers nothing either.
        let short = camt(statements: [(id: "S", from: "2026-11-23", to: "2026-11-27", opening: "0.00", closing: "0.00", entries: [])])
        let store2 = try BankFixture.store(statement: short)
        #expect(try BankFixture.payoutStates(store2)["LKLP-E"]?.state == "settled")
    }

    @Test func incompleteStatementClaimsNothing() throws {
        let store = try BankFixture.store(statement: BankFixture.statement(closing: "1.00"))
        #expect(try BankFixture.payoutStates(store)["LKLP-E"]?.state == "settled")
    }

    @Test func intradayReportNeverProvesAbsence() throws {
        let store = try BankFixture.store(statement: BankFixture.statement(message: "052"))
        #expect(try BankFixture.payoutStates(store)["LKLP-E"]?.state == "settled")
        #expect(try BankFixture.matches(store).contains("LKLP-A amount-date 0 0 100000"))
    }

    @Test func unassignedAccountIsNeverMatched() throws {
        let store = try BankFixture.store(statement: BankFixture.statement(account: "6222021001123459999"))
        #expect(try BankFixture.matches(store).isEmpty)
        #expect(try BankFixture.payoutStates(store)["LKLP-E"]?.state == "settled")
    }

    @Test func caseFileCarriesTheBankEvidence() throws {
        let store = try BankFixture.store(statement: BankFixture.statement())
        let d = try store.read(rules: BankFixture.rules) { r in
            try r.payoutLine(merchantId: BankFixture.mid, ref: "LKLP-E").map { try r.caseFile(forPayout: $0, now: BankFixture.now) }
        }
        let finding = try #require(d?.diagnosis.findings.first)
        #expect(finding.code == .notCredited)
        let text = finding.evidence.map(\.en).joined(separator: "\n")
        #expect(text.contains("bank/camt053-2026-11.xml") && text.contains("2026-11-23 to 2026-11-30") && text.contains("sha256 "))
        #expect(text.contains("payouts.csv:6"))
    }
}

@Suite struct DemoBankStoryTests {
    /// Story 12: the demo's camt.053 leaves its credit out; every other paid payout of the
    /// statements' days is matched, at the bank's booking time.
    @Test func story12IsNotCreditedAndTheOthersMatch() throws {
        let store = try DemoStore.make()
        let rules = ReconcileTests.rules
        try store.read(rules: rules) { r in
            let twelve = try #require(try r.payoutLine(merchantId: DemoStories.mainMID, ref: DemoStories.payoutRef(12)))
            #expect(twelve.storedState == .short && twelve.cause == .notCredited)
            #expect(try r.bankState(of: twelve.payout)?.state == .notCredited)
            let one = try #require(try r.payoutLine(merchantId: DemoStories.mainMID, ref: DemoStories.payoutRef(1)))
            let bank = try #require(try r.bankState(of: one.payout))
            #expect(bank.state == .matched && bank.bookedAt == one.payout.creditedAt)
            #expect(one.storedState == .settled)
            #expect(try r.unannouncedCredits().isEmpty)
        }
    }
}

@Suite struct BankPolishTests {
    /// Two credits of LKLP-G's amount on its day, neither from a built-in payer name: the
    /// matching cannot tell them apart until the config names one credit's payer.
    static func tiedStatement() -> Data {
        camt(statements: [(id: "S-G", from: "2026-11-27", to: "2026-12-01", opening: "0.00", closing: "1800.00", entries: [
            CamtEntry(amount: "900.00", day: "2026-11-27", time: "10:10:00", payer: "深圳市汇聚通支付科技有限公司"),
            CamtEntry(amount: "900.00", day: "2026-11-27", time: "10:20:00", payer: "张三"),
        ])])
    }

    static func store(rules: SettlementRules) throws -> WritableStore {
        let store = try memoryStore()
        let options = ImportOptions(timeZone: shanghai, rules: rules, now: BankFixture.now)
        _ = try store.importData(Data(BankFixture.merchants.utf8), name: "merchants.csv", options: options)
        _ = try store.importData(Data(BankFixture.payouts.utf8), name: "payouts.csv", options: options)
        _ = try store.importData(tiedStatement(), name: "bank/s-g.xml", options: options)
        return store
    }

    @Test func configuredPayerBreaksATieTheBuiltInNamesDoNot() throws {
        let builtIn = try Self.store(rules: BankFixture.rules)
        #expect(try BankFixture.matches(builtIn).filter { $0.hasPrefix("LKLP-G") }
                == ["LKLP-G amount-date 1 0 90000", "LKLP-G amount-date 1 0 90000"])

        var rules = BankFixture.rules
        rules.bankPayers += ["汇聚通支付"]
        let configured = try Self.store(rules: rules)
        #expect(try BankFixture.matches(configured).filter { $0.hasPrefix("LKLP-G") } == ["LKLP-G amount-date 0 0 90000"])
        let payer = try configured.reader.read { db in
            try String.fetchOne(db, sql: """
                SELECT e.counterpartyName FROM bankMatch m JOIN payout p ON p.id = m.payoutId JOIN bankEntry e ON e.id = m.entryId
                WHERE p.ref = 'LKLP-G'
                """)
        }
        #expect(payer == "深圳市汇聚通支付科技有限公司")
    }

    /// A camt date-time without an offset is read in the import's time zone, not Beijing's.
    @Test func camtTimeWithoutOffsetIsInTheConfiguredZone() throws {
        let text = String(decoding: camt(statements: [(id: "S-Z", from: "2026-11-23", to: "2026-11-23", opening: "0.00",
                                                       closing: "1000.00", entries: [
            CamtEntry(amount: "1000.00", day: "2026-11-23", time: "10:30:00"),
        ])]), as: UTF8.self).replacingOccurrences(of: "T10:30:00+08:00", with: "T10:30:00")
        #expect(text.contains("<DtTm>2026-11-23T10:30:00</DtTm>"))
        for zone in [shanghai, TimeZone(identifier: "Europe/Berlin")!] {
            let store = try memoryStore()
            let options = ImportOptions(timeZone: zone, rules: BankFixture.rules, now: BankFixture.now)
            _ = try store.importData(Data(text.utf8), name: "bank/z.xml", options: options)
            let booked = try store.reader.read { db in try Int64.fetchOne(db, sql: "SELECT bookedAt FROM bankEntry") }
            #expect(booked == at("2026-11-23 10:30", in: zone).epochMillis)
        }
        // An offset written in the file wins over the zone.
        let store = try memoryStore()
        let options = ImportOptions(timeZone: TimeZone(identifier: "Europe/Berlin")!, rules: BankFixture.rules, now: BankFixture.now)
        _ = try store.importData(camt(statements: [(id: "S-O", from: "2026-11-23", to: "2026-11-23", opening: "0.00", closing: "1000.00",
                                                    entries: [CamtEntry(amount: "1000.00", day: "2026-11-23", time: "10:30:00")])]),
                                 name: "bank/o.xml", options: options)
        let booked = try store.reader.read { db in try Int64.fetchOne(db, sql: "SELECT bookedAt FROM bankEntry") }
        #expect(booked == at("2026-11-23 10:30").epochMillis)
    }
}

@Suite struct BankHeaderCountTests {
    /// The header's figure: open payouts stored as NOT_CREDITED; nil without a statement.
    @Test func countsTheOpenPayoutsNotCredited() throws {
        let store = try BankFixture.store(statement: BankFixture.statement())
        #expect(try store.read(rules: BankFixture.rules) { try $0.notCreditedOpenPayouts() } == 1)
        let none = try BankFixture.store(statement: nil)
        #expect(try none.read(rules: BankFixture.rules) { try $0.notCreditedOpenPayouts() } == nil)
        // An intraday report proves no absence: statements exist, nothing is missing.
        let intraday = try BankFixture.store(statement: BankFixture.statement(message: "052"))
        #expect(try intraday.read(rules: BankFixture.rules) { try $0.notCreditedOpenPayouts() } == 0)
    }
}
