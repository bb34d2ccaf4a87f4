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
        guard let date = LocalDate(year: y1 * 1000 + y2 * 100 + y3 * 10 + y4, month: m1 * 10 + m2, day: d1 * 10 + d2)
        else { return n == 10 || timeShape(b) ? .invalid : .otherShape }
        if n == 10 { return .date(date) }
        guard timeShape(b) else { return .otherShape }
        let h = digit(b[11])! * 10 + digit(b[12])!
        let m = digit(b[14])! * 10 + digit(b[15])!
        let s = n == 19 ? digit(b[17])! * 10 + digit(b[18])! : 0
        guard h < 24, m < 60, s < 60 else { return .invalid }
        return .dateTime(LocalDateTime(date: date, secondOfDay: h * 3600 + m * 60 + s))
    }

    /// Bytes 10 and on are " HH:MM" or " HH:MM:SS" (or with "T").
    private static func timeShape(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        guard n == 16 || n == 19, b[10] == 0x20 || b[10] == 0x54,
              digit(b[11]) != nil, digit(b[12]) != nil, b[13] == 0x3A, digit(b[14]) != nil, digit(b[15]) != nil
        else { return false }
        return n == 16 || (b[16] == 0x3A && digit(b[17]) != nil && digit(b[18]) != nil)
    }

    @inline(__always)
    private static func digit(_ u: UInt8) -> Int? {
        u >= 0x30 && u <= 0x39 ? Int(u - 0x30) : nil
    }
}
