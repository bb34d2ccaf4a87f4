import Foundation

/// Parses the timestamps reports use into instants.
public enum InstantParser {
    /// Accepts "YYYY-MM-DD HH:MM[:SS]" (local time in `zone`), the same with "T", and
    /// either with a trailing "Z" or "+HH:MM"/"-HH:MM" offset, which then wins over
    /// `zone`. Returns nil for anything else, including impossible dates.
    public static func parse(_ raw: String, zone: TimeZone) -> Instant? {
        // The common shape, no offset and no fraction, read byte by byte.
        switch ASCIIDateTime.parse(raw) {
        case .dateTime(let local): return local.instant(in: zone)
        case .invalid, .date: return nil
        case .otherShape: break
        }
        return parseGeneral(raw, zone: zone)
    }

    /// Every accepted shape, character by character (the reference for the fast path).
    static func parseGeneral(_ raw: String, zone: TimeZone) -> Instant? {
        var text = raw.trimmingSpaces()
        var offsetSeconds: Int? = nil
        if text.hasSuffix("Z") {
            text.removeLast()
            offsetSeconds = 0
        } else if text.count > 19 || (text.count > 16 && (text.dropFirst(16).contains("+") || text.dropFirst(16).contains("-"))) {
            // Look for an offset after the time part.
            if let signIndex = text.lastIndex(where: { $0 == "+" || $0 == "-" }),
               text.distance(from: text.startIndex, to: signIndex) >= 16 {
                let off = text[text.index(after: signIndex)...]
                let parts = off.split(separator: ":")
                let hm: (Int, Int)?
                if parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), parts[0].count == 2, parts[1].count == 2 {
                    hm = (h, m)
                } else if parts.count == 1, off.count == 4, let v = Int(off) {
                    hm = (v / 100, v % 100)
                } else { hm = nil }
                guard let (h, m) = hm, h <= 14, m < 60 else { return nil }
                offsetSeconds = (h * 3600 + m * 60) * (text[signIndex] == "-" ? -1 : 1)
                text = String(text[..<signIndex])
            }
        }
        // Fractional seconds are dropped to the millisecond.
        var millis = 0
        if let dot = text.lastIndex(of: "."), text.distance(from: text.startIndex, to: dot) == 19 {
            let frac = text[text.index(after: dot)...]
            guard !frac.isEmpty, frac.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            millis = Int(String(frac.prefix(3)).padding(toLength: 3, withPad: "0", startingAt: 0)) ?? 0
            text = String(text[..<dot])
        }
        guard let local = LocalDateTime.parseGeneral(text) else { return nil }
        let base: Instant
        if let offsetSeconds {
            let naive = Int64(local.date.dayNumber) * 86_400 + Int64(local.secondOfDay)
            base = Instant(epochMillis: (naive - Int64(offsetSeconds)) * 1000)
        } else {
            base = local.instant(in: zone)
        }
        return Instant(epochMillis: base.epochMillis + Int64(millis))
    }
}
