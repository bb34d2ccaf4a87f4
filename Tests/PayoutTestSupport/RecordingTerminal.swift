import PayoutTUI

/// A terminal for tests: keys come from a script, frames are recorded.
///
/// The script is a list of `Input`s consumed one per `readKey` call: a key, a resize
/// (which changes `size` and yields `.resize`), or a timeout (which yields nil, as a
/// real terminal does when no key comes in time). When the script runs out,
/// `readKey` returns `keyWhenExhausted` (nil by default), so a test can end an event
/// loop by setting it to, say, `.ctrlC`.
public final class RecordingTerminal: TerminalBackend {
    /// One scripted event.
    public enum Input: Sendable, Hashable {
        /// `readKey` returns this key.
        case key(Key)
        /// `size` becomes this size and `readKey` returns `.resize`.
        case resize(Size)
        /// `readKey` returns nil.
        case timeout
    }

    /// The current size.
    public private(set) var size: Size
    /// Every grid passed to `draw`, in order.
    public private(set) var frames: [Grid] = []
    /// For each `draw`, the runs a diff-flushing backend would have sent.
    public private(set) var flushes: [[Grid.Run]] = []
    /// The timeouts `readKey` was called with, in order.
    public private(set) var readTimeouts: [Int] = []
    /// What is left of the script.
    public private(set) var pending: [Input]
    /// Returned by `readKey` once the script is used up.
    public var keyWhenExhausted: Key?

    /// A terminal of `size` that will deliver `script` in order.
    public init(size: Size, script: [Input] = [], keyWhenExhausted: Key? = nil) {
        self.size = size
        self.pending = script
        self.keyWhenExhausted = keyWhenExhausted
    }

    /// A terminal of `size` that will deliver `keys` in order.
    public convenience init(size: Size, keys: [Key], keyWhenExhausted: Key? = nil) {
        self.init(size: size, script: keys.map { .key($0) }, keyWhenExhausted: keyWhenExhausted)
    }

    /// True when the script is used up.
    public var isExhausted: Bool { pending.isEmpty }

    /// The last frame drawn, if any.
    public var lastFrame: Grid? { frames.last }

    /// The last frame's `text` ("" before the first draw).
    public var screenText: String { frames.last?.text ?? "" }

    /// Appends inputs to the script.
    public func enqueue(_ inputs: [Input]) {
        pending.append(contentsOf: inputs)
    }

    /// Appends keys to the script.
    public func enqueue(keys: [Key]) {
        pending.append(contentsOf: keys.map { .key($0) })
    }

    /// Records `grid` and the runs that differ from the previous frame (all rows for
    /// the first frame or after a size change).
    public func draw(_ grid: Grid) {
        if let previous = frames.last, previous.size == grid.size {
            flushes.append(grid.diff(from: previous))
        } else {
            flushes.append(grid.fullRuns())
        }
        frames.append(grid)
    }

    /// Returns the next scripted input, ignoring the timeout except to record it.
    public func readKey(timeoutMillis: Int) -> Key? {
        readTimeouts.append(timeoutMillis)
        guard !pending.isEmpty else { return keyWhenExhausted }
        switch pending.removeFirst() {
        case .key(let key):
            return key
        case .resize(let newSize):
            size = newSize
            return .resize
        case .timeout:
            return nil
        }
    }
}
