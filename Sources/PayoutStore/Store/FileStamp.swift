#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a file is at one moment, compared between two looks to tell whether it
/// changed: the same device and inode (not replaced), size and modification time
/// (not written). The poller uses it on the store's file, the inbox on report files.
public struct FileStamp: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64
    public let size: Int64
    public let mtimeSeconds: Int64
    public let mtimeNanos: Int64
    /// A plain file (not a folder, a link's target counts).
    public let isRegularFile: Bool

    /// The stamp of the file at `path`, or nil when nothing is there.
    public static func of(_ path: String) -> FileStamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if canImport(Darwin)
        let mtime = st.st_mtimespec
        #else
        let mtime = st.st_mtim
        #endif
        return FileStamp(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
                         mtimeSeconds: Int64(mtime.tv_sec), mtimeNanos: Int64(mtime.tv_nsec),
                         isRegularFile: (st.st_mode & S_IFMT) == S_IFREG)
    }
}
