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

    func openForWriting(config: AppConfig) throws -> WritableStore {
        let (p, isDefault) = Paths.store(flag: path, configured: config.storePath)
        if isDefault { try Paths.ensureParent(of: p) }
        let store = try PayoutStore.openForWriting(path: p)
        // An upgraded store gets the states its new tables derive, once.
        try store.recomputeIfUpgraded(rules: config.rules, now: Instant(Date()))
        return store
    }

    func openReadOnly(config: AppConfig) throws -> PayoutStore {
        try PayoutStore.openReadOnly(path: resolved(config: config))
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
