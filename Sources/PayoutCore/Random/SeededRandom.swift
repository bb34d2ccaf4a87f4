/// Deterministic pseudo-random numbers (SplitMix64): small, fast, and the same on every
/// machine for a seed, so a demo, a feed, a benchmark data set or a fuzz case can be
/// made again exactly.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator seeded from several numbers (a data set's seed, a day, a terminal, a
    /// purpose), so each combination has its own independent stream.
    public init(mixing parts: UInt64...) {
        var s: UInt64 = 0x243F_6A88_85A3_08D3
        for p in parts { s = Self.mix(s ^ p &+ 0x9E37_79B9_7F4A_7C15) }
        state = s
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A number in `range`, uniform enough for test data (a modulo, not rejection sampling).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
}
