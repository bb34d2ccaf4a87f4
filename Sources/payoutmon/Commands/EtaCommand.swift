import ArgumentParser
import Foundation
import PayoutCore

/// `payoutmon eta`: when a sale made at a given time should be credited, and why.
struct EtaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eta",
        abstract: "Compute the expected credit date and time of a sale, with the reasoning.",
        discussion: "Uses the config's settlement rules; --cycle and --calendar override them for this question."
    )

    @Option(help: ArgumentHelp("The sale's local time: \"2026-09-30 22:30\".", valueName: "time"))
    var at: String

    @Option(help: ArgumentHelp("Settlement cycle: T+N, D+N or D+0.", valueName: "cycle"))
    var cycle: String?

    @Option(help: ArgumentHelp("Calendar: cn, weekends, or a calendar file.", valueName: "name"))
    var calendar: String?

    @Option(help: ArgumentHelp("Gross amount, to show the fee and net (default: \(Self.defaultAmount), said so in the answer).", valueName: "amount"))
    var amount: String?

    @Option(help: ArgumentHelp("Card kind: debit, credit, qr, other (default: \(Self.defaultCard), said so in the answer).", valueName: "kind"))
    var card: String?

    /// What `eta` assumes when --amount or --card is not given.
    static let defaultAmount = "1000.00"
    static let defaultCard = "debit"

    @Option(help: ArgumentHelp("Answer in en or zh-Hans. Default: the config's monitor.language, else $LANG, as the monitor.", valueName: "lang"))
    var lang: String?

    @Flag(help: "Print JSON for scripts.")
    var json = false

    @OptionGroup var configOptions: ConfigOptions

    func run() throws {
        var config = try configOptions.load()
        if let cycle {
            guard let c = SettlementPolicy.Cycle.parse(cycle) else {
                throw ValidationError("--cycle \"\(cycle)\" is not a cycle like T+1, D+1 or D+0")
            }
            config.policy.cycle = c
        }
        if let calendar {
            config = try AppConfig.withCalendar(calendar, base: config)
        }
        guard let local = LocalDateTime(parsing: at) else {
            throw ValidationError("--at \"\(at)\" is not a local time like \"2026-09-30 22:30\"")
        }
        let card = self.card ?? Self.defaultCard
        let amount = self.amount ?? Self.defaultAmount
        guard let kind = CardKind(rawValue: card) else {
            throw ValidationError("--card \"\(card)\" is not one of \(CardKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let gross: Money
        do { gross = try Money.parse(amount, currency: config.policy.currency) } catch {
            throw ValidationError("--amount: \(error)")
        }
        let e = try SettlementExpectation.compute(occurredAt: local.instant(in: config.timeZone), amount: gross, cardKind: kind,
                                                  policy: config.policy, calendar: config.calendar)
        let zone = config.timeZone
        let assumed = (self.amount == nil ? ["amount"] : []) + (self.card == nil ? ["card"] : [])
        let zh = Language.resolve(lang ?? config.language, environment: ProcessInfo.processInfo.environment) == .zhHans
        if json {
            struct Out: Encodable {
                let tradedAt: String, tradeDate: String, cycle: String, settlementDay: String, expectedCredit: String
                let dueBy: String, lateAfter: String, gross: String, fee: String, net: String, currency: String
                let flags: [String], steps: [String], yearsWithoutData: [Int]
                let card: String
                /// The inputs not given and assumed: "amount", "card".
                let assumed: [String]
                var schema = "payoutmon.eta/1"
            }
            let out = Out(tradedAt: local.description, tradeDate: e.tradeDate.iso, cycle: e.cycle.description,
                          settlementDay: e.settlementDay.iso, expectedCredit: LocalDateTime(e.expectedCredit, in: zone).description,
                          dueBy: LocalDateTime(e.dueBy, in: zone).description, lateAfter: LocalDateTime(e.lateAfter, in: zone).description,
                          gross: e.gross.decimalString, fee: e.fee.total.decimalString, net: e.net.decimalString,
                          currency: e.gross.currency.code, flags: e.flags.map(\.rawValue).sorted(),
                          steps: e.steps.map { zh ? $0.zh : $0.en }, yearsWithoutData: e.yearsWithoutData,
                          card: kind.rawValue, assumed: assumed)
            Output.out(Output.encodeJSON(out, pretty: true))
            return
        }
        let credit = LocalDateTime(e.expectedCredit, in: zone)
        let due = LocalDateTime(e.dueBy, in: zone)
        if zh {
            Output.out("预计到账 \(credit.date.iso) \(credit.time)–\(due.time)（\(e.cycle)）")
        } else {
            Output.out("expected credit \(credit.date.iso) between \(credit.time) and \(due.time) (\(e.cycle))")
        }
        // The net is one of the steps (gross - fee - reserve = net); it is not printed again.
        let sale = "\(e.gross.formatted()) \(e.gross.currency.code)"
        if zh {
            Output.out("  金额 \(sale)，卡类 \(kind.rawValue)" + (assumed.isEmpty ? "" : "（未指定，按默认值计算：--amount、--card 可改）"))
        } else {
            Output.out("  for \(sale) on a \(kind.rawValue) card" + (assumed.isEmpty ? "" : " (assumed \(assumed.joined(separator: " and ")): give --amount and --card for your sale)"))
        }
        for step in e.steps { Output.out("  - " + (zh ? step.zh : step.en)) }
    }
}
