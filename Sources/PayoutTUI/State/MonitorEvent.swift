import PayoutCore
import PayoutModel

/// What a dispute note is written about.
public enum ExportTarget: Sendable, Hashable {
    /// One transaction, by its store id.
    case transaction(id: Int64)
    /// One payout, by merchant and acquirer ref.
    case payout(merchantId: String, ref: String)
    /// One merchant account, by MID.
    case account(merchantId: String)
}

/// Something that happened to the monitor: input, time, or new data.
public enum MonitorEvent: Sendable, Hashable {
    /// A key press.
    case key(Key)
    /// The terminal is now this size.
    case resize(Size)
    /// A new snapshot from the provider.
    case snapshot(Snapshot)
    /// The provider's sync status changed.
    case sync(SyncStatus)
    /// The clock moved.
    case tick(Instant)
    /// A dispute note was written at this path.
    case noteWritten(path: String)
    /// Writing a dispute note failed.
    case noteFailed(message: String)
}

/// Work `reduce` asks the run loop to do: the only way state changes reach the world.
public enum MonitorEffect: Sendable, Hashable {
    /// Ask the provider for a snapshot now, even if nothing seems to have changed.
    case pollNow
    /// Write a dispute note about `target` in the current language.
    case exportNote(ExportTarget)
    /// Leave the monitor.
    case quit
    /// Suspend the process (Ctrl-Z).
    case suspend
    /// Draw the whole screen again (Ctrl-L): the terminal's copy may be wrong.
    case repaint
}
