extension AccountClass {
    /// Parses a config value: "I", "II", "class1", "classII", "corporate", "一类", "二类", "对公" (case-insensitive).
    ///
    /// Class III (三类户) is not accepted here: its balance cap makes it unfit to
    /// receive settlements, so a config naming it is more likely a mistake.
    public static func parse(_ raw: String) -> AccountClass? {
        switch raw.trimmingSpaces().lowercased() {
        case "i", "1", "class1", "classi", "class i", "一类", "一类户": return .classI
        case "ii", "2", "class2", "classii", "class ii", "二类", "二类户": return .classII
        case "corporate", "对公", "对公账户": return .corporate
        default: return nil
        }
    }

    /// The class as a merchant writes it: "Class II" / "二类户".
    public var titleEN: String {
        switch self {
        case .classI: return "Class I"
        case .classII: return "Class II"
        case .classIII: return "Class III"
        case .corporate: return "corporate"
        }
    }

    /// The class in Chinese: "二类户", "对公账户".
    public var titleZH: String {
        switch self {
        case .classI: return "一类户"
        case .classII: return "二类户"
        case .classIII: return "三类户"
        case .corporate: return "对公账户"
        }
    }
}
