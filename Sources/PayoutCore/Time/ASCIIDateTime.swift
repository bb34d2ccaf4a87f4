/// Byte-level reading of the one timestamp shape nearly every report row uses,
/// "YYYY-MM-DD", "YYYY-MM-DD HH:MM" and "YYYY-MM-DD HH:MM:SS" (or with "T"), so an
/// import of millions of rows does not walk them character by character. A value of
/// any other shape returns nil here and goes to the general parsers, whose rules and
/// answers are the reference: this only ever gives the answer they give.
enum ASCIIDateTime {
    /// The exact-shape parse of a date (10 bytes) or date and time (16 or 19 bytes).
    enum Parse {
        /// Not this shape: ask the general parser.
        case otherShape
        /// This shape, but no such date or time (2026-02-30, 24:00): nil for everyone.
        case invalid
        case date(LocalDate)
        case dateTime(LocalDateTime)
    }

    static func parse(_ text: String) -> Parse {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Parse {
        let n = b.count
        guard n == 10 || n == 16 || n == 19 else { return .otherShape }
        guard let y1 = digit(b[0]), let y2 = digit(b[1]), let y3 = digit(b[2]), let y4 = digit(b[3]), b[4] == 0x2D,
              let m1 = digit(b[5]), let m2 = digit(b[6]), b[7] == 0x2D, let d1 = digit(b[8]), let d2 = digit(b[9])
        else { return .otherShape }
        let time = n == 10 ? nil : clock(b)
        if n != 10 && time == nil { return .otherShape }
        guard let date = LocalDate(year: y1 * 1000 + y2 * 100 + y3 * 10 + y4, month: m1 * 10 + m2, day: d1 * 10 + d2)
        else { return .invalid }
        guard let (h, m, s) = time else { return .date(date) }
        guard h < 24, m < 60, s < 60 else { return .invalid }
        return .dateTime(LocalDateTime(date: date, secondOfDay: h * 3600 + m * 60 + s))
    }

    /// Bytes 10 and on as " HH:MM" or " HH:MM:SS" (or with "T"), read once; nil for
    /// any other shape.
    private static func clock(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        let n = b.count
        guard n == 16 || n == 19, b[10] == 0x20 || b[10] == 0x54,
              let h1 = digit(b[11]), let h2 = digit(b[12]), b[13] == 0x3A, let m1 = digit(b[14]), let m2 = digit(b[15])
        else { return nil }
        if n == 16 { return (h1 * 10 + h2, m1 * 10 + m2, 0) }
        guard b[16] == 0x3A, let s1 = digit(b[17]), let s2 = digit(b[18]) else { return nil }
        return (h1 * 10 + h2, m1 * 10 + m2, s1 * 10 + s2)
    }

    @inline(__always)
    private static func digit(_ u: UInt8) -> Int? {
        u >= 0x30 && u <= 0x39 ? Int(u - 0x30) : nil
    }
}
