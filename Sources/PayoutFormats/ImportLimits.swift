import PayoutCore

/// The size limits of what an import reads, in one place (docs/report-formats.md,
/// "Sizes and card numbers"). The CSV reader refuses a field or a record larger than
/// its byte limit before holding more of it.
public enum ImportLimits {
    /// One CSV field, in bytes as read (a 500-character Chinese text is 1500 bytes).
    public static let fieldBytes = 8 * 1024
    /// One CSV record, in bytes as read.
    public static let recordBytes = 64 * 1024
    /// How much of a value an error message quotes.
    public static let quotedPrefix = 40

    /// `value` in double quotes for a message: at most `quotedPrefix` characters, then "…".
    public static func quote(_ value: String) -> String {
        "\"" + shorten(value) + "\""
    }

    /// At most `quotedPrefix` characters of `value`, then "…" when it was longer.
    public static func shorten(_ value: String) -> String {
        value.count <= quotedPrefix ? value : String(value.prefix(quotedPrefix)) + "…"
    }
}
