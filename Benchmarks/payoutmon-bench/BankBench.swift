import Foundation
import PayoutCore
import PayoutFormats
import PayoutStore

/// `bank-match`: a year of one shop's payouts (`--payouts`, default 10,000) against a
/// year of camt.053 statements holding twice as many entries (a credit for each payout
/// and as many debits), in a fresh store. Times the import of the statements (without
/// matching) and the matching pass on its own, `--runs` times each.
func bankMatchBench(payouts n: Int, runs: Int) throws {
    let start = LocalDate(year: 2025, month: 11, day: 28)!
    let mid = "898440358300777", account = "6222021001123457777"
    let days = 365
    func day(_ i: Int) -> LocalDate { start.adding(days: i * days / n) }
    // Amounts spread so most are unique, some repeat (the ambiguous and merged paths run too).
    func amount(_ i: Int) -> Int64 { 50_000 + Int64((i &* 7919) % 9_000_000) }
    var payouts = "merchant_id,payout_ref,cycle_date,expected_amount,paid_amount,currency,status,expected_arrival,credited_at,bank_ref,failure_code\n"
    for i in 0..<n {
        let d = day(i).iso, a = Money(minor: amount(i), currency: .CNY).decimalString
        payouts += "\(mid),BENCH-\(i),\(d),\(a),\(a),CNY,paid,\(d) 09:00:00,\(d) 10:00:00,,\n"
    }
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>\n"
    var balance: Int64 = 100_000_000
    var i = 0
    for k in 0..<days {
        let d = start.adding(days: k).iso
        var entries = ""
        let opening = balance
        while i < n && day(i) == start.adding(days: k) {
            let a = amount(i)
            balance += a
            entries += "<Ntry><Amt Ccy=\"CNY\">\(Money(minor: a, currency: .CNY).decimalString)</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><DtTm>\(d)T10:05:00+08:00</DtTm></BookgDt><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>拉卡拉支付股份有限公司</Nm></Dbtr></RltdPties><RmtInf><Ustrd>结算款</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n"
            let fee = 1_000 + a % 5_000
            balance -= fee
            entries += "<Ntry><Amt Ccy=\"CNY\">\(Money(minor: fee, currency: .CNY).decimalString)</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>\(d)</Dt></BookgDt><AddtlNtryInf>代发工资</AddtlNtryInf></Ntry>\n"
            i += 1
        }
        xml += "<Stmt><Id>B-\(d)</Id><FrToDt><FrDtTm>\(d)T00:00:00+08:00</FrDtTm><ToDtTm>\(d)T23:59:59+08:00</ToDtTm></FrToDt><Acct><Id><Othr><Id>\(account)</Id></Othr></Id><Ccy>CNY</Ccy></Acct>"
        xml += "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"CNY\">\(Money(minor: opening, currency: .CNY).decimalString)</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>\(d)</Dt></Dt></Bal>"
        xml += "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"CNY\">\(Money(minor: balance, currency: .CNY).decimalString)</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>\(d)</Dt></Dt></Bal>\n"
        xml += entries + "</Stmt>\n"
    }
    xml += "</BkToCstmrStmt></Document>\n"
    let merchants = "merchant_id,merchant_name,acquirer,bank_account,account_class,daily_inflow_limit,cycle,currency\n\(mid),基准店,拉卡拉 Lakala,\(account),corporate,,,CNY\n"
    let now = LocalDateTime(date: start.adding(days: days + 5), secondOfDay: 12 * 3600).instant(in: BenchRules.zone)
    var importTimes: [Double] = [], matchTimes: [Double] = [], importCPU: [Double] = [], matchCPU: [Double] = []
    var entries = 0, matches = 0
    for _ in 0..<runs {
        let path = NSTemporaryDirectory() + "payoutmon-bench-bank-\(getpid()).sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try PayoutStore.openForWriting(path: path)
        _ = try store.importData(Data(merchants.utf8), name: "merchants.csv", options: importOptions(rules: false, now: now))
        _ = try store.importData(Data(payouts.utf8), name: "payouts.csv", options: importOptions(rules: false, now: now))
        let cpu0 = cpuSeconds()
        let (summary, importSecs) = try timed {
            try store.importData(Data(xml.utf8), name: "statements.xml", options: importOptions(rules: false, now: now))
        }
        entries = summary.bank?.entries ?? 0
        let cpu1 = cpuSeconds()
        let (m, matchSecs) = try timed { try store.matchBankStatements(rules: BenchRules.rules) }
        importCPU.append(cpu1 - cpu0)
        matchCPU.append(cpuSeconds() - cpu1)
        matches = m
        importTimes.append(importSecs)
        matchTimes.append(matchSecs)
    }
    let imp = Stats(samples: importTimes), mat = Stats(samples: matchTimes)
    print("{\"command\":\"bank-match\",\"payouts\":\(n),\"entries\":\(entries),\"matches\":\(matches),\"bytes\":\(xml.utf8.count),"
          + "\"importSeconds\":\(fmt(imp.median)),\"importRange\":[\(fmt(imp.min)),\(fmt(imp.max))],"
          + "\"matchSeconds\":\(fmt(mat.median)),\"matchRange\":[\(fmt(mat.min)),\(fmt(mat.max))],"
          + "\"importCPUSeconds\":\(fmt(Stats(samples: importCPU).median)),\"matchCPUSeconds\":\(fmt(Stats(samples: matchCPU).median)),\"runs\":\(runs)}")
}

/// User plus system CPU time of this process, in seconds: on a shared machine it grows
/// with the work done, not with the other processes' load.
func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}
