import PayoutDemo

/// The demo stories' stable identifiers by story number, for tests that name them.
public extension DemoStories {
    /// Story `number`'s RRN (every story has one).
    static func rrn(_ number: Int) -> String {
        guard let rrn = story(number).rrn else { fatalError("demo story \(number) has no RRN") }
        return rrn
    }

    /// Story `number`'s payout ref.
    static func payoutRef(_ number: Int) -> String { story(number).payoutRef }
}
