import PayoutTestSupport
import Foundation

/// The built `payoutmon` binary, next to the test bundle.
let payoutmonBinary: String = {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [dir, dir.deletingLastPathComponent()] {
        let p = candidate.appendingPathComponent("payoutmon").path
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return repoRoot + "/.build/debug/payoutmon"
}()


struct RunResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs payoutmon with `args` in a clean environment whose XDG folders are inside `home`.
/// `asNobody` runs it as the user nobody (through setpriv), for permission tests run as root.
func run(_ args: [String], home: String, env extra: [String: String] = [:], asNobody: Bool = false) throws -> RunResult {
    let p = Process()
    if asNobody {
        p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        p.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", payoutmonBinary] + args
    } else {
        p.executableURL = URL(fileURLWithPath: payoutmonBinary)
        p.arguments = args
    }
    var env = ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
    env.merge(extra) { _, new in new }
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return RunResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

