import Foundation
import PayoutCore

/// The demo's bank statement: one camt.053.001.02 document with a statement of each
/// shop's settlement account for the days before today, holding a credit from
/// 拉卡拉支付股份有限公司 for every payout the acquirer reports paid in those days (booked
/// at the acquirer's credit time, its bank reference as the bank's), except story 12's:
/// the credit the acquirer says it made and the bank never booked.
public enum DemoBankStatement {
    public static let name = "demo/bank-statement.camt053.xml"
    public static let payer = "拉卡拉支付股份有限公司"
    /// Days the statements cover, ending yesterday.
    public static let days = 14

    public static func camt053(_ stories: DemoStories, today: LocalDate, zone: TimeZone) -> String {
        let from = today.adding(days: -days), to = today.adding(days: -1)
        let missing = DemoStories.payoutRef(12)
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        func stamp(_ i: Instant) -> String {
            let l = LocalDateTime(i, in: zone)
            let offset = zone.secondsFromGMT(for: i.date) / 60
            let sign = offset < 0 ? "-" : "+"
            return String(format: "%@T%02d:%02d:%02d%@%02d:%02d", l.date.iso, l.secondOfDay / 3600, (l.secondOfDay / 60) % 60,
                          l.secondOfDay % 60, sign, abs(offset) / 60, abs(offset) % 60)
        }
        var x = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
              <BkToCstmrStmt>
                <GrpHdr><MsgId>DEMO-\(today.iso)</MsgId><CreDtTm>\(today.iso)T06:00:00+08:00</CreDtTm></GrpHdr>

            """
        let all = stories.all
        for shop in DemoStories.shops {
            let credits = all.payouts.filter { p in
                p.merchantId == shop.merchantId && p.ref != missing && (p.status == .paid || p.status == .partial)
                    && p.paidAmount != nil && p.creditedAt.map { LocalDateTime($0, in: zone).date >= from && LocalDateTime($0, in: zone).date <= to } == true
            }.sorted { ($0.creditedAt!, $0.ref) < ($1.creditedAt!, $1.ref) }
            let opening: Int64 = 5_000_000
            let closing = credits.reduce(opening) { $0 + ($1.paidAmount?.minor ?? 0) }
            let cny = Currency.CNY
            x += """
                    <Stmt>
                      <Id>DEMO-\(shop.merchantId)-\(to.iso)</Id>
                      <FrToDt><FrDtTm>\(from.iso)T00:00:00+08:00</FrDtTm><ToDtTm>\(to.iso)T23:59:59+08:00</ToDtTm></FrToDt>
                      <Acct><Id><Othr><Id>\(shop.bankAccount)</Id></Othr></Id><Ccy>CNY</Ccy><Ownr><Nm>\(esc(shop.name))</Nm></Ownr></Acct>
                      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="CNY">\(Money(minor: opening, currency: cny).decimalString)</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>\(from.iso)</Dt></Dt></Bal>
                      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="CNY">\(Money(minor: closing, currency: cny).decimalString)</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>\(to.iso)</Dt></Dt></Bal>

                """
            for p in credits {
                let at = p.creditedAt!
                let day = LocalDateTime(at, in: zone).date.iso
                x += """
                          <Ntry>
                            <Amt Ccy="CNY">\(p.paidAmount!.decimalString)</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
                            <BookgDt><DtTm>\(stamp(at))</DtTm></BookgDt><ValDt><Dt>\(day)</Dt></ValDt>
                            \(p.bankRef.map { "<AcctSvcrRef>\(esc($0))</AcctSvcrRef>" } ?? "")
                            <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
                            <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>\(payer)</Nm></Dbtr></RltdPties><RmtInf><Ustrd>结算款 \(esc(p.ref))</Ustrd></RmtInf></TxDtls></NtryDtls>
                          </Ntry>

                    """
            }
            x += "    </Stmt>\n"
        }
        x += "  </BkToCstmrStmt>\n</Document>\n"
        return x
    }
}
