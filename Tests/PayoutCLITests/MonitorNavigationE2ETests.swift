import PayoutTestSupport
import Foundation
import PayoutDemo
import Testing

/// The real binary in tmux: getting around the demo as a map (issue 18's path).
@Suite(.serialized) struct MonitorNavigationE2ETests {
    func environment(home: String) -> [String: String] {
        ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config", "LANG": "C.UTF-8",
         "TERM": "xterm-256color", "PATH": "/usr/bin:/bin"]
    }

    @Test func searchASettledPayoutFollowItBackAndWriteTheFrozenAccountsNote() throws {
        try #require(TmuxSession.isAvailable, "tmux is required: .ci/run installs it")
        let home = TempDir()
        let tmux = try TmuxSession(command: [payoutmonBinary, "--demo"], width: 160, height: 44, env: environment(home: home.path))
        var screen = try tmux.waitFor("Pending payouts", timeout: 60)
        // Story 1's payout is settled: the search finds it all the same, in the payouts pane.
        let ref = DemoStories.payoutRef(1)
        let rrn = DemoStories.rrn(1)
        try tmux.send("/")
        try tmux.send(ref, literal: true)
        try tmux.send("Enter")
        screen = try tmux.waitFor("/ \(ref): 0 transactions · 1 payout · 0 shops")
        #expect(screen.contains("✓ paid"))
        // Open it: the breadcrumb starts at the overview.
        try tmux.send("Enter")
        screen = try tmux.waitFor("Overview › Payout · \(ref)")
        // Its first transaction (the first linked row, selected).
        try tmux.send("Enter")
        screen = try tmux.waitFor("Overview › \(ref) › Transaction · RRN \(rrn)")
        // Back twice to the overview, the search still on.
        try tmux.send("Escape")
        screen = try tmux.waitFor("Overview › Payout · \(ref)")
        try tmux.send("Escape")
        screen = try tmux.waitFor("Pending payouts")
        #expect(screen.contains("/ \(ref):"))
        // Esc on the overview clears the search; the account of the frozen shop; its note.
        try tmux.send("Escape")
        screen = try waitUntil(tmux) { !$0.contains("/ \(ref):") && $0.contains("Account status") }
        let frozen = try #require(DemoStories.shop(DemoStories.frozenMID))
        let index = try #require(DemoStories.shops.map(\.merchantId).sorted().firstIndex(of: DemoStories.frozenMID))
        try tmux.send("3")
        for _ in 0..<index { try tmux.send("j") }
        try tmux.send("Enter")
        screen = try tmux.waitFor("Overview › Account · \(frozen.name)")
        #expect(screen.contains("frozen"))
        #expect(screen.contains(DemoStories.payoutRef(5)))
        try tmux.send("e")
        screen = try tmux.waitFor("note written:")
        let folder = home.path + "/data/payoutmon/notes"
        let notes = try FileManager.default.contentsOfDirectory(atPath: folder)
        let name = try #require(notes.first { $0.hasPrefix("\(DemoStories.frozenMID)-account-") && $0.hasSuffix(".md") })
        let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        #expect(text.contains("# Account enquiry: MID \(DemoStories.frozenMID), account frozen"))
        #expect(text.contains(DemoStories.payoutRef(5)))
        try tmux.send("Escape")
        try tmux.send("q")
        screen = try tmux.waitFor("[exit 0]")
    }

    /// Waits until `done` holds for the screen (or 20 s pass); returns the last capture.
    func waitUntil(_ tmux: TmuxSession, _ done: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(20)
        var screen = ""
        while Date() < deadline {
            screen = try tmux.capture()
            if done(screen) { return screen }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("timed out; the screen was:\n\(screen)")
        return screen
    }

    @Test func homeAndEndInTheEncodingsTerminalsSend() throws {
        try #require(TmuxSession.isAvailable)
        let home = TempDir()
        // A store no feed writes to, so the rows stay where they are.
        let db = home.path + "/demo.sqlite"
        _ = try run(["demo", "--db", db], home: home.path)
        let tmux = try TmuxSession(command: [payoutmonBinary, "--db", db], width: 120, height: 36, env: environment(home: home.path))
        var screen = try tmux.waitFor("Pending payouts", timeout: 60)
        // The Transactions pane's position ("1/N") on its top border.
        func position(_ screen: String) -> String? {
            guard let line = screen.split(separator: "\n").first(where: { $0.contains("1 Transactions") }),
                  let slash = line.lastIndex(of: "/") else { return nil }
            var start = slash
            while start > line.startIndex, line[line.index(before: start)].isNumber || line[line.index(before: start)] == "," {
                start = line.index(before: start)
            }
            return String(line[start..<slash])
        }
        let total: String = try {
            let line = try #require(screen.split(separator: "\n").first { $0.contains("1 Transactions") })
            let after = line[line.index(after: try #require(line.lastIndex(of: "/")))...]
            return String(after.prefix { $0.isNumber || $0 == "," })
        }()
        for (end, homeKey) in [("\u{1b}[4~", "\u{1b}[1~"), ("\u{1b}[F", "\u{1b}[H"), ("\u{1b}OF", "\u{1b}OH"), ("\u{1b}[8~", "\u{1b}[7~")] {
            try tmux.send(end, literal: true)
            screen = try tmux.waitFor("\(total)/\(total) ")
            #expect(position(screen) == total)
            try tmux.send(homeKey, literal: true)
            screen = try tmux.waitFor(" 1/\(total) ")
        }
        // An unknown key says where help is; Ctrl-L repaints and the screen is whole.
        try tmux.send("Z")
        screen = try tmux.waitFor("? for help")
        try tmux.send("C-l")
        screen = try tmux.waitFor("Pending payouts")
        #expect(screen.contains("Account status"))
        try tmux.send("q")
        _ = try tmux.waitFor("[exit 0]")
    }
}
