import ArgumentParser
import Foundation
import PayoutCore
import PayoutStore

/// `--db PATH`, shared by every command that uses the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("The store (default: $PAYOUTMON_DB, else $XDG_DATA_HOME/payoutmon/payouts.sqlite).", valueName: "path"))
    var path: String?

    /// The store path: this flag, else $PAYOUTMON_DB, else the config's store.path, else XDG.
    func resolved(config: AppConfig) -> String {
        Paths.store(flag: path, configured: config.storePath).path
    }

    func openForWriting(config: AppConfig, quiet: Bool = false) throws -> WritableStore {
        let (p, isDefault) = Paths.store(flag: path, configured: config.storePath)
        if isDefault { try Paths.ensureParent(of: p) }
        let store = try PayoutStore.openForWriting(path: p)
        // An upgraded store gets the states its new tables derive, once (in chunks that
        // each commit, so an interrupted one goes on where it stopped).
        let meter = ProgressOutput(label: "recomputing the upgraded store's states", unit: "transactions", quiet: quiet)
        defer { meter.finish() }
        try store.recomputeIfUpgraded(rules: config.rules, now: Instant(Date())) { done, total in
            meter.update(ProgressMeter.Point(done: done, total: total))
        }
        return store
    }

    /// Opens the store to read it; a store that does not exist is an error saying what to
    /// do: the demo store's path when the default store is missing and the demo's is there
    /// (`payoutmon --demo` writes it), else how to make one.
    func openReadOnly(config: AppConfig) throws -> PayoutStore {
        let (p, isDefault) = Paths.store(flag: path, configured: config.storePath)
        if !FileManager.default.fileExists(atPath: p) {
            throw CLIError(Self.missingStoreMessage(path: p, isDefault: isDefault,
                                                    demoExists: FileManager.default.fileExists(atPath: Paths.demoStore)))
        }
        return try PayoutStore.openReadOnly(path: p)
    }

    static func missingStoreMessage(path: String, isDefault: Bool, demoExists: Bool) -> String {
        if isDefault && demoExists {
            return "no store at \(path); the demo store is at \(Paths.demoStore): pass --db \(Paths.demoStore)"
        }
        let importCommand = isDefault ? "payoutmon import FILE..." : "payoutmon import FILE... --db \(path)"
        return "no store at \(path): import your acquirer's reports first (\(importCommand)), or pass --db PATH"
    }
}

/// `--config PATH`, shared by every command that reads the settlement rules.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("The config file (default: $PAYOUTMON_CONFIG, else $XDG_CONFIG_HOME/payoutmon/config.toml).", valueName: "path"))
    var path: String?

    func load() throws -> AppConfig {
        let (p, explicit) = Paths.config(flag: path)
        return try AppConfig.load(path: p, mustExist: explicit)
    }
}
