/// The language payoutmon writes in: English or Simplified Chinese. The monitor's
/// screen and dispute notes both take it.
public enum Language: String, Sendable, Hashable, CaseIterable {
    case en = "en"
    case zhHans = "zh-Hans"

    /// The other language: what the monitor's `L` key switches to.
    public var toggled: Language { self == .en ? .zhHans : .en }

    /// The language a setting names, or the environment's when the setting is nil,
    /// empty or "auto".
    ///
    /// "en" is English; "zh", "zh-Hans", "zh_CN" (any "zh" prefix) is Chinese. With no
    /// setting the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set and non-empty
    /// decides: a value starting with "zh" picks Chinese, anything else English.
    public static func resolve(_ setting: String?, environment: [String: String]) -> Language {
        if let setting, !setting.isEmpty, setting.lowercased() != "auto" {
            return setting.lowercased().hasPrefix("zh") ? .zhHans : .en
        }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            return value.lowercased().hasPrefix("zh") ? .zhHans : .en
        }
        return .en
    }
}
