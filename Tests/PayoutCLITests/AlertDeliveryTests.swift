import Foundation
import PayoutTestSupport
import PayoutCore
import Testing
@testable import payoutmon

/// `AlertDelivery` with a scripted runner and a recording sleeper: retries, backoff and
/// reporting without running a process or waiting.
struct AlertDeliveryTests {
    /// Fails each command the number of times given, then succeeds; records every run.
    final class ScriptedRunner: AlertCommandRunner, @unchecked Sendable {
        let lock = NSLock()
        var failuresLeft: [String: Int]
        var runs: [(command: String, input: String)] = []
        init(failures: [String: Int]) { failuresLeft = failures }

        func run(_ command: String, input: Data, timeoutSeconds: Int) -> CommandResult {
            lock.withLock {
                runs.append((command, String(decoding: input, as: UTF8.self)))
                let left = failuresLeft[command, default: 0]
                if left > 0 {
                    failuresLeft[command] = left - 1
                    return CommandResult(succeeded: false, detail: "exit 1: down")
                }
                return CommandResult(succeeded: true, detail: "")
            }
        }
    }

    final class RecordingClock: AlertClock, @unchecked Sendable {
        let lock = NSLock()
        var slept: [Double] = []
        func now() -> Instant { Instant(epochMillis: 0) }
        func sleep(seconds: Double) { lock.withLock { slept.append(seconds) } }
        var stopped = false
    }

    func settings(_ commands: [String], retries: Int = 3, delay: Int = 5) -> AlertSettings {
        var s = AlertSettings()
        s.commands = commands
        s.retries = retries
        s.retryDelaySeconds = delay
        return s
    }

    @Test func aFailingCommandIsRetriedWithDoublingWaitsAndReported() {
        let runner = ScriptedRunner(failures: ["hook-a": 10])
        let clock = RecordingClock()
        let outcomes = AlertDelivery(settings: settings(["hook-a", "hook-b"]), runner: runner, clock: clock).deliver(["{\"n\":1}"])
        #expect(outcomes.count == 2)
        let a = outcomes[0], b = outcomes[1]
        #expect(a.destination.hasPrefix("command 1 (hook-a)") && !a.delivered && a.attempts == 4 && a.lastError == "exit 1: down")
        #expect(b.destination.hasPrefix("command 2 (hook-b)") && b.delivered && b.attempts == 1)
        #expect(clock.slept == [5, 10, 20])
        #expect(runner.runs.filter { $0.command == "hook-a" }.count == 4)
        #expect(runner.runs.filter { $0.command == "hook-b" }.map(\.input) == ["{\"n\":1}\n"])
    }

    @Test func aCommandThatRecoversWithinItsRetriesDeliversAndSaysAfterHowMany() {
        let runner = ScriptedRunner(failures: ["hook": 2])
        let clock = RecordingClock()
        let outcomes = AlertDelivery(settings: settings(["hook"], delay: 1), runner: runner, clock: clock).deliver(["{}", "{}"])
        #expect(outcomes.map(\.delivered) == [true, true])
        #expect(outcomes.map(\.attempts) == [3, 1])
        #expect(outcomes[0].lastError == "exit 1: down")
        #expect(clock.slept == [1, 2])
    }

    @Test func noRetriesMeansOneAttemptAndNoWait() {
        let clock = RecordingClock()
        let outcomes = AlertDelivery(settings: settings(["x"], retries: 0),
                                     runner: ScriptedRunner(failures: ["x": 1]), clock: clock).deliver(["{}"])
        #expect(outcomes.map(\.attempts) == [1] && outcomes.map(\.delivered) == [false])
        #expect(clock.slept.isEmpty)
    }

    @Test func theShellRunnerPassesStdinAndReportsTheExitAndLastLine() throws {
        let r = ShellCommandRunner()
        let ok = r.run("read line; test \"$line\" = '{\"a\":1}'", input: Data("{\"a\":1}\n".utf8), timeoutSeconds: 30)
        #expect(ok.succeeded)
        let bad = r.run("echo first; echo 'no route to host' >&2; exit 4", input: Data(), timeoutSeconds: 30)
        #expect(!bad.succeeded)
        #expect(bad.detail == "exit 4: no route to host")
    }

    @Test func alertsSettingsAreReadAndCheckedFromTheConfig() throws {
        let c = try AppConfig.parse("""
            [alerts]
            commands = ["notify-send payoutmon", "curl -sf -d @- https://example.invalid/hook"]
            log = "/tmp/alerts.log"
            interval = 60
            timeout_seconds = 10
            retries = 1
            retry_delay_seconds = 2
            """, source: "t.toml")
        #expect(c.alerts.commands == ["notify-send payoutmon", "curl -sf -d @- https://example.invalid/hook"])
        #expect(c.alerts.log == "/tmp/alerts.log")
        #expect(c.alerts.intervalSeconds == 60 && c.alerts.timeoutSeconds == 10 && c.alerts.retries == 1 && c.alerts.retryDelaySeconds == 2)
        #expect(try AppConfig.build(values: [:], source: nil).alerts == AlertSettings())
        #expect(throws: ConfigError.self) { try AppConfig.parse("[alerts]\ninterval = 0", source: "t.toml") }
        #expect(throws: ConfigError.self) { try AppConfig.parse("[alerts]\ncommands = [1]", source: "t.toml") }
        #expect(throws: ConfigError.self) { try AppConfig.parse("[alerts]\ncommands = [\" \"]", source: "t.toml") }
    }
}

@Test func theDocumentedAlertsSettingsAreTheBuiltInDefaults() throws {
    let text = try String(contentsOfFile: repoRoot + "/config/payoutmon.toml", encoding: .utf8)
    let file = try AppConfig.parse(text, source: "payoutmon.toml")
    #expect(file.alerts == AlertSettings())
    #expect(AlertSettings().intervalSeconds == 300 && AlertSettings().retries == 3)
}
