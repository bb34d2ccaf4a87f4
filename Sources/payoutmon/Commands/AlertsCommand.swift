import ArgumentParser
import Foundation
import PayoutCore
import PayoutStore

/// `payoutmon alerts`: tells the configured commands and log when money goes wrong, once
/// per change, and when it recovers.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Fire alerts when a payout, a transaction or an account goes wrong or recovers.",
        discussion: """
            Evaluates the store as `status` does (late, short, held, failed, paid in another \
            currency; accounts frozen, limited, under review or closed) and fires one alert per \
            change: a subject turning to a problem, its state or cause changing, or its \
            recovery. Each alert goes as one JSON object (schema payoutmon.alert/1, see \
            docs/cli.md) on standard input to every command under [alerts] commands, and as one \
            line to [alerts] log; it is also printed. A failing command is retried with backoff \
            ([alerts] retries, retry_delay_seconds) and killed after timeout_seconds; its \
            failure is reported and never holds up the other commands. Alerts sent are \
            remembered in the store, so a restart does not send them again; alerts writes \
            nothing else. Without --once, evaluates every [alerts] interval seconds until \
            Ctrl-C. Exit status with --once: 0 when nothing fired and nothing needs attention, \
            1 when alerts fired or something needs attention, 2 when it could not run.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var configOptions: ConfigOptions

    @Flag(help: "Evaluate once and exit.")
    var once = false

    @Flag(help: "Print what would fire; run no command, write no log, remember nothing.")
    var dryRun = false

    @Flag(help: "Print each alert as one JSON object per line (schema payoutmon.alert/1, see docs/cli.md).")
    var json = false

    /// For tests and replays: evaluate at this local time instead of the clock's.
    @Option(help: .hidden)
    var now: String?

    func run() throws {
        let config = try configOptions.load()
        var fixedNow: Instant?
        if let now {
            guard let t = InstantParser.parse(now, zone: config.timeZone) else {
                throw ValidationError("--now \"\(now)\" is not a time like \"2026-11-28 15:00\"")
            }
            fixedNow = t
        }
        let (path, isDefault) = Paths.store(flag: store.path, configured: config.storePath)
        if !FileManager.default.fileExists(atPath: path) {
            throw CLIError(StoreOptions.missingStoreMessage(path: path, isDefault: isDefault,
                                                            demoExists: FileManager.default.fileExists(atPath: Paths.demoStore)))
        }
        // Ctrl-C ends the loop between evaluations, and cuts short the waits between retries.
        let stop = once ? nil : StopSignal()
        let runner = AlertRunner(store: try AlertStore.open(path: path), config: config, dryRun: dryRun, json: json,
                                 clock: SystemAlertClock(stop: stop), commandRunner: ShellCommandRunner())
        if config.alerts.commands.isEmpty && config.alerts.log == nil && !dryRun {
            Output.err("warning: no [alerts] commands or log in the config: alerts are only printed")
        }
        if once {
            let r = try runner.evaluate(now: fixedNow ?? runner.clock.now())
            if r.fired > 0 || r.needsAttention { throw ExitCode.needsAttention }
            return
        }
        guard let stop else { return }
        Output.err("evaluating alerts every \(config.alerts.intervalSeconds) s on \(path); Ctrl-C stops")
        while !stop.requested {
            do {
                _ = try runner.evaluate(now: fixedNow ?? runner.clock.now())
            } catch let e as StoreError where e.code == .locked {
                Output.err("warning: \(e.description); trying again in \(config.alerts.intervalSeconds) s")
            }
            stop.wait(seconds: Double(config.alerts.intervalSeconds))
        }
    }
}

/// One evaluation of alerts: read the findings, work out the changes (`Alerts.changes`),
/// print them, deliver them, remember what was delivered. Shared by `alerts` and
/// `watch --alerts`.
struct AlertRunner {
    let store: AlertStore
    let config: AppConfig
    var dryRun = false
    var json = false
    let clock: any AlertClock
    let commandRunner: any AlertCommandRunner
    /// Most subjects of each kind read per evaluation (beyond it a warning says so).
    var limit = 5_000

    struct Result {
        var fired: Int
        var needsAttention: Bool
        var outcomes: [DeliveryOutcome] = []
    }

    func evaluate(now: Instant) throws -> Result {
        let remembered = try store.remembered()
        let (changes, documents, attention, truncated, stale) = try store.read(rules: config.rules) { r in
            let (findings, truncated) = try r.alertFindings(now: now, remembered: remembered, limit: limit)
            let changes = Alerts.changes(remembered: remembered, current: findings, now: now)
            let documents = try changes.alerts.map { try AlertJSON($0, now: now, reader: r, storePath: store.path) }
            return (changes, documents, findings.contains(where: \.alerting), truncated, try r.statesNeedRecompute())
        }
        if stale {
            Output.err("warning: the store was upgraded and its states are not yet recomputed: lateness may be stale; run `payoutmon import FILE` on it (any report file; one imported before adds nothing) to recompute them")
        }
        if truncated {
            Output.err("warning: more than \(Output.grouped(limit)) transactions or payouts need attention; alerts judged the first \(Output.grouped(limit)) of each, the rest at a later evaluation")
        }
        let payloads = documents.map { Output.encodeJSON($0) }
        for (i, a) in changes.alerts.enumerated() {
            Output.out(json ? payloads[i] : SafeText.visible((dryRun ? "would fire: " : "") + Self.describe(a, zone: config.timeZone)))
        }
        guard !dryRun, !changes.alerts.isEmpty else {
            return Result(fired: changes.alerts.count, needsAttention: attention)
        }
        let outcomes = AlertDelivery(settings: config.alerts, runner: commandRunner, clock: clock).deliver(payloads)
        let hasDestinations = !config.alerts.commands.isEmpty || config.alerts.log != nil
        var sent = Set<String>()
        for (i, a) in changes.alerts.enumerated() {
            let mine = outcomes.filter { $0.alertIndex == i }
            for o in mine where !o.delivered || o.attempts > 1 {
                let what = "alert \(a.kind) \(Self.subjectText(a.finding))"
                if o.delivered {
                    Output.err(SafeText.visible("warning: \(what): \(o.destination) took it at attempt \(o.attempts) (before: \(o.lastError ?? "-"))"))
                } else {
                    Output.err(SafeText.visible("warning: \(what): \(o.destination) failed \(o.attempts) time\(o.attempts == 1 ? "" : "s"), last: \(o.lastError ?? "-")"))
                }
            }
            if !hasDestinations || mine.contains(where: \.delivered) {
                sent.formUnion(a.covers)
            } else {
                Output.err(SafeText.visible("warning: alert \(a.kind) \(Self.subjectText(a.finding)) reached no command or log: not remembered, it fires again at the next evaluation"))
            }
        }
        try store.record(remember: changes.remember.filter { sent.contains($0.key) },
                         forget: changes.forget.filter { sent.contains($0) })
        return Result(fired: changes.alerts.count, needsAttention: attention, outcomes: outcomes)
    }

    /// "payout LKLP-S1 mid 898440358120013", "transaction rrn 626000700001 mid ...", "account mid ...".
    static func subjectText(_ f: AlertFinding) -> String {
        switch f.subject {
        case .payout: return "payout \(f.payoutRef ?? "-") mid \(f.merchantId)"
        case .transaction: return "transaction rrn \(f.rrn ?? "-") mid \(f.merchantId)"
        case .account: return "account mid \(f.merchantId)"
        }
    }

    /// One line: "ALERT late payout LKLP-S1 mid 898440358120013 (味道小馆) expected 994.00 CNY cause UNEXPLAINED".
    static func describe(_ a: Alert, zone: TimeZone) -> String {
        let f = a.finding
        var line = (a.isRecovery ? "RECOVERED " : "ALERT \(a.kind) ") + subjectText(f)
        if let shop = f.shop { line += " (\(shop))" }
        if let e = f.expected { line += " expected \(e.formatted()) \(e.currency.code)" }
        if let r = f.received { line += " received \(r.formatted()) \(r.currency.code)" }
        if a.isRecovery {
            line += " now \(f.state)" + (f.cause.map { " \($0)" } ?? "")
        } else if let c = f.cause {
            line += " cause \(c)"
        }
        if let p = a.previous { line += " (was \(p.state)" + (p.cause.map { " \($0)" } ?? "") + ")" }
        if a.rrns.count > 1 || (f.subject == .payout && !a.rrns.isEmpty) {
            line += " rrn \(a.rrns.joined(separator: ", "))"
        }
        if f.subject == .account, let since = f.since { line += " since \(LocalDateTime(since, in: zone))" }
        return line
    }
}

/// `payoutmon.alert/1`: one alert, as commands get it on stdin and `--json` prints it
/// (docs/cli.md). Every key is present, null when it does not apply.
struct AlertJSON: Encodable {
    var schema = "payoutmon.alert/1"
    let at: String
    let kind: String
    let subject: String
    let state: String
    let cause: String?
    let causeTitle: String?
    let previous: Previous?
    let merchantId: String
    let shop: String?
    let payoutRef: String?
    let rrn: String?
    let rrns: [String]
    let expected: String?
    let received: String?
    let currency: String?
    let lateAfter: String?
    let since: String?
    let evidence: String
    let note: String?
    let store: String

    struct Previous: Encodable {
        let state: String
        let cause: String?
        let alertedAt: String

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(state, forKey: .state); try c.encode(cause, forKey: .cause); try c.encode(alertedAt, forKey: .alertedAt)
        }
        enum CodingKeys: String, CodingKey { case state, cause, alertedAt }
    }

    init(_ a: Alert, now: Instant, reader r: LedgerReader, storePath: String) throws {
        let f = a.finding
        at = now.description
        kind = a.kind
        subject = f.subject.rawValue
        state = f.state
        cause = f.cause
        causeTitle = f.cause.flatMap(CauseCode.init(rawValue:))?.titleEN
        previous = a.previous.map { Previous(state: $0.state, cause: $0.cause, alertedAt: $0.firedAt.description) }
        merchantId = f.merchantId
        shop = f.shop
        payoutRef = f.payoutRef
        rrn = f.subject == .transaction ? f.rrn : nil
        rrns = a.rrns
        expected = f.expected?.decimalString
        received = f.received?.decimalString
        currency = (f.expected ?? f.received)?.currency.code
        lateAfter = f.lateAfter?.description
        since = f.since?.description
        // The note command runs elsewhere: it names the store by its full path.
        store = URL(fileURLWithPath: storePath).standardizedFileURL.path
        let db = Self.quoted(store)
        switch f.subject {
        case .payout:
            let line = try f.payoutRef.flatMap { try r.payoutLine(merchantId: f.merchantId, ref: $0) }
            evidence = try line.map { Self.summary(try r.caseFile(forPayout: $0, now: now).diagnosis) } ?? ""
            note = f.payoutRef.map { "payoutmon note --db \(db) --payout \(Self.quoted($0)) --mid \(Self.quoted(f.merchantId))" }
        case .transaction:
            let line = try f.transactionId.flatMap { try r.transactionLine(id: $0) }
            evidence = try line.map { Self.summary(try r.caseFile(forTransaction: $0, now: now).diagnosis) } ?? ""
            note = f.rrn.map { "payoutmon note --db \(db) --rrn \(Self.quoted($0)) --mid \(Self.quoted(f.merchantId))" }
        case .account:
            evidence = CardNumber.redact("account \(f.state)" + (f.reason.map { ": " + $0 } ?? ""))
            note = nil
        }
    }

    /// The main finding's title and its first evidence lines, in English, card numbers redacted.
    static func summary(_ d: Diagnosis) -> String {
        guard let f = d.findings.first else { return "state \(d.state.rawValue)" }
        let text = ([f.code.rawValue + ": " + f.code.titleEN] + f.evidence.prefix(3).map(\.en)).joined(separator: "; ")
        return CardNumber.redact(text.count > 1_000 ? String(text.prefix(999)) + "…" : text)
    }

    /// A shell word: as is when it is plainly safe, else in single quotes.
    static func quoted(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_./:@+,=".unicodeScalars.contains($0)) }
        return plain ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    enum CodingKeys: String, CodingKey {
        case schema, at, kind, subject, state, cause, causeTitle, previous, merchantId, shop, payoutRef, rrn, rrns
        case expected, received, currency, lateAfter, since, evidence, note, store
    }

    /// Every key is present (null when it does not apply).
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema); try c.encode(at, forKey: .at); try c.encode(kind, forKey: .kind)
        try c.encode(subject, forKey: .subject); try c.encode(state, forKey: .state); try c.encode(cause, forKey: .cause)
        try c.encode(causeTitle, forKey: .causeTitle); try c.encode(previous, forKey: .previous)
        try c.encode(merchantId, forKey: .merchantId); try c.encode(shop, forKey: .shop); try c.encode(payoutRef, forKey: .payoutRef)
        try c.encode(rrn, forKey: .rrn); try c.encode(rrns, forKey: .rrns); try c.encode(expected, forKey: .expected)
        try c.encode(received, forKey: .received); try c.encode(currency, forKey: .currency)
        try c.encode(lateAfter, forKey: .lateAfter); try c.encode(since, forKey: .since)
        try c.encode(evidence, forKey: .evidence); try c.encode(note, forKey: .note); try c.encode(store, forKey: .store)
    }
}
