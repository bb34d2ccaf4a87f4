import Foundation
import PayoutStore

/// Opens the monitor on a store.
enum MonitorLauncher {
    static func run(storePath: String, config: AppConfig) throws {
        guard FileManager.default.fileExists(atPath: storePath) else {
            Output.err("""
                no store at \(storePath)
                import your acquirer's reports:   payoutmon import FILE...
                or try the demo:                  payoutmon --demo
                """)
            throw ExitStatus.failure
        }
        let store = try PayoutStore.openReadOnly(path: storePath)
        _ = store
        Output.err("the monitor is not part of this build yet; use `payoutmon status --db \(storePath)`")
        throw ExitStatus.failure
    }
}

enum ExitStatus: Error { case failure }
