import Foundation

/// Where payoutmon keeps its files, following the XDG base directory rules.
///
/// Flags beat environment variables (`PAYOUTMON_DB`, `PAYOUTMON_CONFIG`), which beat
/// the XDG defaults.
enum Paths {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    static var home: String { environment["HOME"] ?? NSHomeDirectory() }

    static var dataHome: String {
        if let x = environment["XDG_DATA_HOME"], x.hasPrefix("/") { return x }
        return home + "/.local/share"
    }

    static var configHome: String {
        if let x = environment["XDG_CONFIG_HOME"], x.hasPrefix("/") { return x }
        return home + "/.config"
    }

    static var defaultStore: String { dataHome + "/payoutmon/payouts.sqlite" }
    static var defaultConfig: String { configHome + "/payoutmon/config.toml" }
    /// Where `payoutmon --demo` writes its store.
    static var demoStore: String { dataHome + "/payoutmon/demo.sqlite" }
    static var notesFolder: String { dataHome + "/payoutmon/notes" }

    /// The store path: the flag, else `PAYOUTMON_DB`, else the config file's, else the XDG default.
    static func store(flag: String?, configured: String? = nil) -> (path: String, isDefault: Bool) {
        if let flag, !flag.isEmpty { return (flag, false) }
        if let env = environment["PAYOUTMON_DB"], !env.isEmpty { return (env, false) }
        if let configured, !configured.isEmpty { return (configured, false) }
        return (defaultStore, true)
    }

    /// The config path and whether it was asked for explicitly (then it must exist).
    static func config(flag: String?) -> (path: String, explicit: Bool) {
        if let flag, !flag.isEmpty { return (flag, true) }
        if let env = environment["PAYOUTMON_CONFIG"], !env.isEmpty { return (env, true) }
        return (defaultConfig, false)
    }

    /// Creates the folder (mode 0700) for a default path; an explicit path's folder must exist.
    static func ensureParent(of path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }
}
