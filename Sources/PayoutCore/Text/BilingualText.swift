/// A text in English and Simplified Chinese: a line of a diagnosis written for a
/// merchant, a cause's title, a word for a record, a key's help on screen.
public struct BilingualText: Hashable, Sendable, CustomStringConvertible {
    public let en: String
    public let zh: String

    public init(en: String, zh: String) {
        self.en = en
        self.zh = zh
    }

    /// The text in `language`.
    public func text(in language: Language) -> String { language == .en ? en : zh }

    /// The text in `language`: `title(.zhHans)`.
    public func callAsFunction(_ language: Language) -> String { text(in: language) }

    public var description: String { en }
}
