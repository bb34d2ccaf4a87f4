import PayoutDemo
import PayoutTestSupport
import Foundation
import Testing

/// One language setting for the monitor and the command line: `--lang` when given, else
/// the config's `monitor.language`, else $LANG (README, "Language").
@Suite struct LanguageSettingTests {
    /// The note `note --rrn` (story 1) writes, and what `eta` prints, under `env`.
    static func outputs(env: [String: String], config: String? = nil) throws -> (note: String, eta: String) {
        let dir = TempDir()
        let db = dir.path + "/demo.sqlite"
        #expect(try run(["demo", "--db", db], home: dir.path).status == 0)
        var extra = env
        if let config { extra["PAYOUTMON_CONFIG"] = dir.file("config.toml", config) }
        let note = try run(["note", "--db", db, "--rrn", DemoStories.rrn(1), "--format", "txt", "--out", dir.path + "/"],
                           home: dir.path, env: extra)
        #expect(note.status == 0, "\(note.stderr)")
        let text = try String(contentsOfFile: note.stdout.trimmingCharacters(in: .whitespacesAndNewlines), encoding: .utf8)
        let eta = try run(["eta", "--at", "2026-09-30 22:30"], home: dir.path, env: extra)
        #expect(eta.status == 0, "\(eta.stderr)")
        return (text, eta.stdout)
    }

    static func isChinese(_ s: String) -> Bool { s.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }

    @Test func theCommandLineFollowsLangLikeTheMonitor() throws {
        let zh = try Self.outputs(env: ["LANG": "zh_CN.UTF-8"])
        #expect(zh.note.contains("商户号"))
        #expect(zh.eta.contains("预计到账"))
        let en = try Self.outputs(env: ["LANG": "C.UTF-8"])
        #expect(en.note.contains("MID") && !en.note.contains("商户号"))
        #expect(!Self.isChinese(en.eta))
    }

    @Test func theConfigWinsOverLang() throws {
        let r = try Self.outputs(env: ["LANG": "zh_CN.UTF-8"], config: "[monitor]\nlanguage = \"en\"\n")
        #expect(r.note.contains("MID") && !r.note.contains("商户号"))
        #expect(!Self.isChinese(r.eta))
    }
}
