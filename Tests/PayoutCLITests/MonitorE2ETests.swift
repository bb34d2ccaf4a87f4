import PayoutTestSupport
import Foundation
import PayoutDemo
import Testing

/// The real binary in tmux: what a merchant does, key by key.
@Suite(.serialized) struct MonitorE2ETests {
    func environment(home: String) -> [String: String] {
        ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config", "LANG": "C.UTF-8",
         "TERM": "xterm-256color", "PATH": "/usr/bin:/bin"]
    }

    @Test func demoWalkThrough() throws {
        try #require(TmuxSession.isAvailable, "tmux is required: .ci/run installs it")
        let home = TempDir()
        let tmux = try TmuxSession(command: [payoutmonBinary, "--demo"], width: 120, height: 36, env: environment(home: home.path))
        // The overview: header, three panes, footer from the key table.
        var screen = try tmux.waitFor("Pending payouts", timeout: 60)
        #expect(screen.contains("MID \(DemoStories.mainMID)"))
        #expect(screen.contains("Account status"))
        #expect(screen.contains("? help"))
        // Move down and up.
        try tmux.send("j"); try tmux.send("j"); try tmux.send("k")
        // Filter on the Class II story's RRN and open it.
        try tmux.send("/")
        try tmux.send(DemoStories.rrn(2), literal: true)
        try tmux.send("Enter")
        screen = try tmux.waitFor(DemoStories.rrn(2))
        try tmux.send("Enter")
        // The list shows the cause in full too: wait for the drill-down's own title.
        screen = try tmux.waitFor("RRN \(DemoStories.rrn(2))")
        #expect(screen.contains("RRN \(DemoStories.rrn(2))"))
        #expect(screen.contains("Settlement account inflow limit"))
        // A dispute note from the drill-down.
        try tmux.send("e")
        screen = try tmux.waitFor("note written:")
        let notes = try FileManager.default.contentsOfDirectory(atPath: home.path + "/data/payoutmon/notes")
        #expect(notes.contains { $0.hasPrefix("\(DemoStories.classIIMID)-\(DemoStories.rrn(2))-") && $0.hasSuffix(".md") })
        // Back to the list.
        try tmux.send("Escape")
        screen = try tmux.waitFor("Pending payouts")
        // Too small, then big again.
        try tmux.resize(width: 60, height: 15)
        screen = try tmux.waitFor("80")
        #expect(!screen.contains("Pending payouts"))
        try tmux.resize(width: 120, height: 36)
        screen = try tmux.waitFor("Pending payouts")
        // Quit: the shell gets a restored terminal back.
        try tmux.send("Escape")
        try tmux.send("q")
        screen = try tmux.waitFor("[stty]")
        #expect(screen.contains("[exit 0]"))
        let stty = screen.split(separator: "\n").first { $0.hasPrefix("[stty]") }.map(String.init) ?? ""
        #expect(stty == "[stty] icanon echo", "terminal not restored: \(stty)")
    }

    @Test func ctrlCQuitsAndRestores() throws {
        try #require(TmuxSession.isAvailable)
        let home = TempDir()
        let tmux = try TmuxSession(command: [payoutmonBinary, "--demo", "--lang", "zh-Hans"], width: 120, height: 36,
                                   env: environment(home: home.path))
        let screen = try tmux.waitFor("交易", timeout: 60)
        #expect(screen.contains("商户号") || screen.contains(DemoStories.mainMID))
        try tmux.send("C-c")
        let after = try tmux.waitFor("[stty]")
        #expect(after.contains("[exit 0]"))
        #expect(after.contains("[stty] icanon echo"))
    }

    @Test func noTerminalPointsToStatus() throws {
        let home = TempDir()
        let db = home.path + "/demo.sqlite"
        _ = try run(["demo", "--db", db], home: home.path)
        let r = try run(["--db", db], home: home.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("payoutmon status"))
        let none = try run(["--db", home.path + "/none.sqlite"], home: home.path)
        #expect(none.stderr.contains("payoutmon --demo"))
    }
}
