#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Foundation

/// The text encodings report files arrive in.
///
/// Chinese acquirers' portals export CSV as GB18030 (or its subset GBK) more often than
/// UTF-8; Excel's "CSV UTF-8" writes a byte order mark. Everything else is UTF-8.
public enum SourceEncoding: String, Sendable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 with BOM"
    case gb18030 = "GB18030"
}

/// Why the bytes of a file are not text payoutmon can read.
struct EncodingProblem: Error {
    /// 1-based line, or 0 for the whole file.
    let line: Int
    let reason: String
}

/// Where a report's bytes come from: memory, or a file read a block at a time so that
/// memory stays flat however large the file is. Every pass over the file (checksum,
/// encoding check, reading, a second reading for `--skip-bad`) reads it again.
struct ReportBytes {
    enum Storage {
        case memory(Data)
        case file(String)
    }

    let storage: Storage
    static let blockSize = 1 << 20

    /// Calls `body` with successive blocks of the bytes; returns how many there were.
    @discardableResult
    func forEachBlock(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        switch storage {
        case .memory(let data):
            try data.withUnsafeBytes { try body($0) }
            return data.count
        case .file(let path):
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw ReportFileError("\(path): cannot be read (\(String(cString: strerror(errno))))") }
            defer { close(fd) }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.blockSize, alignment: 16)
            defer { buffer.deallocate() }
            var total = 0
            while true {
                let n = read(fd, buffer.baseAddress, Self.blockSize)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ReportFileError("\(path): cannot be read (\(String(cString: strerror(errno))))")
                }
                if n == 0 { break }
                total += n
                try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            }
            return total
        }
    }
}

/// A UTF-8 validator fed one byte at a time, so a sequence may span two blocks.
struct UTF8Step {
    private var remaining = 0
    private var length = 0
    private var lo: UInt8 = 0x80
    private var hi: UInt8 = 0xBF

    enum Result { case ascii, partial, complete(Int), invalid }

    var inSequence: Bool { remaining > 0 }

    mutating func reset() { remaining = 0 }

    @inline(__always)
    mutating func step(_ c: UInt8) -> Result {
        if remaining == 0 {
            switch c {
            case 0x00...0x7F: return .ascii
            case 0xC2...0xDF: remaining = 1; lo = 0x80; hi = 0xBF
            case 0xE0: remaining = 2; lo = 0xA0; hi = 0xBF
            case 0xE1...0xEC, 0xEE...0xEF: remaining = 2; lo = 0x80; hi = 0xBF
            case 0xED: remaining = 2; lo = 0x80; hi = 0x9F
            case 0xF0: remaining = 3; lo = 0x90; hi = 0xBF
            case 0xF1...0xF3: remaining = 3; lo = 0x80; hi = 0xBF
            case 0xF4: remaining = 3; lo = 0x80; hi = 0x8F
            default: return .invalid
            }
            length = remaining + 1
            return .partial
        }
        guard c >= lo && c <= hi else { remaining = 0; return .invalid }
        remaining -= 1
        lo = 0x80; hi = 0xBF
        return remaining == 0 ? .complete(length) : .partial
    }
}

/// Picks the encoding of a report from its bytes, fed block by block, while the same
/// pass computes the file's sha256.
///
/// - UTF-16 (either byte order mark) is refused with advice; a NUL in the first 64 KiB
///   is a binary file.
/// - A UTF-8 byte order mark means UTF-8.
/// - Else, if the first non-ASCII bytes (and the 64 KiB after them) are valid UTF-8,
///   UTF-8: a later invalid byte fails the CSV reader at its line.
/// - Else GB18030, once `MixedEncodingCheck` has found no line of the file that is
///   clearly UTF-8 Chinese (part of the file saved one way, part the other).
struct EncodingSniffer {
    static let window = 64 * 1024

    private var offset = 0
    private var line = 1
    private var firstNonASCII = -1
    private var utf8 = UTF8Step()
    private var decided: SourceEncoding?
    private var problem: EncodingProblem?
    private var hasher = SHA256()

    /// Reads one block (hashing all of it, sniffing while undecided).
    /// The first bytes, for the byte order marks.
    private var head: [UInt8] = []

    private mutating func checkHead() {
        if head.count >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)) {
            problem = EncodingProblem(line: 0, reason: "the file is UTF-16 text; save it as CSV in UTF-8 or GB18030 (Excel: \"CSV UTF-8\")")
        } else if head.count >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF {
            decided = .utf8BOM
        }
    }

    mutating func feed(_ b: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: b)
        if head.count < 3 {
            head.append(contentsOf: b.prefix(3 - head.count))
            if head.count == 3 { checkHead() }
        }
        guard decided == nil && problem == nil else { offset += b.count; return }
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            let global = offset + i
            if global < Self.window {
                if c == 0 {
                    problem = EncodingProblem(line: line, reason: "not a text file (binary data)")
                    break
                }
                if c == 10 { line += 1 }
            } else if decided != nil || (firstNonASCII >= 0 && global >= firstNonASCII + Self.window) {
                if decided == nil { decided = .utf8 }
                break
            }
            if decided == nil {
                if firstNonASCII < 0 {
                    if c >= 0x80 { firstNonASCII = global } else { i += 1; continue }
                }
                if case .invalid = utf8.step(c) { decided = .gb18030 }
            }
            i += 1
        }
        offset += n
    }

    /// After the last block: the encoding (or why the bytes are not text) and the sha256.
    mutating func finish() -> (Result<SourceEncoding, EncodingProblem>, sha256: String) {
        let sha = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        if head.count < 3 { checkHead() }
        if let problem { return (.failure(problem), sha) }
        // A sequence cut off by the end of the file: UTF-8 all the same; the reader
        // reports the broken last line.
        return (.success(decided ?? .utf8), sha)
    }
}

/// Refuses a GB18030 file in which one line is clearly UTF-8 Chinese (two or more valid
/// three-byte sequences and nothing invalid) while another is not UTF-8.
struct MixedEncodingCheck {
    private var line = 1
    private var firstUTF8Line = 0
    private var firstOtherLine = 0
    private var threeByte = 0
    private var invalid = false
    private var utf8 = UTF8Step()

    private mutating func endLine() {
        if invalid || utf8.inSequence { if firstOtherLine == 0 { firstOtherLine = line } }
        else if threeByte >= 2 { if firstUTF8Line == 0 { firstUTF8Line = line } }
        threeByte = 0
        invalid = false
        utf8.reset()
    }

    mutating func feed(_ b: UnsafeRawBufferPointer) {
        for c in b {
            if c == 10 { endLine(); line += 1; continue }
            if invalid { continue }
            switch utf8.step(c) {
            case .invalid: invalid = true
            case .complete(let n): if n == 3 { threeByte += 1 }
            case .ascii, .partial: break
            }
        }
    }

    mutating func finish() throws(EncodingProblem) {
        endLine()
        if firstUTF8Line > 0 && firstOtherLine > 0 {
            throw EncodingProblem(line: max(firstUTF8Line, firstOtherLine),
                                  reason: "mixed encodings: line \(firstUTF8Line) is UTF-8 but line \(firstOtherLine) is not (GB18030?); export the whole file again in one encoding")
        }
    }
}

/// Converts GB18030 (and so GBK and GB2312) to UTF-8 with the C library's iconv, a
/// block at a time: a character split between two input blocks is carried over.
final class GB18030Decoder {
    private let cd: iconv_t
    private let out: UnsafeMutableRawBufferPointer
    private var carry: [UInt8] = []
    /// The line of the next input byte (GB18030 never uses 0x0A inside a character).
    private var line = 1
    static let blockSize = 1 << 20

    init() throws(EncodingProblem) {
        let handle: iconv_t? = iconv_open("UTF-8", "GB18030")
        guard let handle, Int(bitPattern: handle) != -1 else {
            throw EncodingProblem(line: 0, reason: "the file looks like GB18030 but this system cannot convert GB18030 (iconv)")
        }
        cd = handle
        out = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.blockSize, alignment: 16)
    }

    deinit {
        iconv_close(cd)
        out.deallocate()
    }

    private var invalid: EncodingProblem {
        EncodingProblem(line: line, reason: "bytes that are neither UTF-8 nor GB18030 text (a damaged file, or mixed encodings)")
    }

    /// Converts one block, calling `body` with blocks of UTF-8.
    func feed(_ input: UnsafeRawBufferPointer, body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var start = 0
        if !carry.isEmpty {
            // Complete the character the last block ended inside (at most 4 bytes long).
            let k = min(input.count, 4)
            let carried = carry.count
            let joined = carry + Array(UnsafeRawBufferPointer(rebasing: input[0..<k]))
            carry = []
            let used = try joined.withUnsafeBytes { j in try convert(j, body: body).used }
            if used < carried {
                if k == input.count { carry = Array(joined[used...]); return }
                throw invalid
            }
            start = used - carried
        }
        guard start < input.count else { return }
        let rest = UnsafeRawBufferPointer(rebasing: input[start...])
        let (used, incomplete) = try convert(rest, body: body)
        if incomplete { carry = Array(UnsafeRawBufferPointer(rebasing: rest[used...])) }
    }

    /// The end of the input: a character left incomplete is a truncated file.
    func finish() throws {
        if !carry.isEmpty {
            throw EncodingProblem(line: line, reason: "the file ends inside a GB18030 character (truncated file?)")
        }
    }

    /// Converts as much of `input` as forms whole characters. Returns the bytes used and
    /// whether it stopped at an incomplete character at the end.
    private func convert(_ input: UnsafeRawBufferPointer, body: (UnsafeRawBufferPointer) throws -> Void) throws -> (used: Int, incomplete: Bool) {
        guard let base = input.baseAddress, input.count > 0 else { return (0, false) }
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: CChar.self))
        var inLeft = input.count
        while true {
            var outPtr: UnsafeMutablePointer<CChar>? = out.baseAddress!.assumingMemoryBound(to: CChar.self)
            var outLeft = out.count
            let before = input.count - inLeft
            let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            let err = r == -1 ? errno : 0
            let used = input.count - inLeft
            var i = before
            while i < used { if input[i] == 10 { line += 1 }; i += 1 }
            let produced = out.count - outLeft
            if produced > 0 { try body(UnsafeRawBufferPointer(rebasing: out[0..<produced])) }
            if r != -1 { return (used, false) }
            switch err {
            case E2BIG: continue
            case EINVAL: return (used, true)
            default: throw invalid
            }
        }
    }
}
