/// What the monitor needs from a terminal: its size, a way to show a frame, and keys.
///
/// `NcursesTerminal` is the real one; `RecordingTerminal` is the deterministic one
/// for tests (scripted keys in, frames recorded). Backends are single-threaded
/// resource owners: use one from one thread or actor only.
public protocol TerminalBackend: AnyObject {
    /// The current size in cells. Changes after a `.resize` key.
    var size: Size { get }

    /// Shows `grid`, sending only what changed since the previous frame. A grid whose
    /// size differs from the previous frame's is drawn in full.
    func draw(_ grid: Grid)

    /// Waits up to `timeoutMillis` for a key (a negative timeout waits for ever);
    /// nil when none came in time.
    func readKey(timeoutMillis: Int) -> Key?
}
