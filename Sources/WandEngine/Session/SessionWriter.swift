public import Foundation
import Glibc
import Synchronization

/// Appends stamped records to a session file, one JSON line each, written through to the file as they
/// happen. It numbers and times nothing: ``EventRecorder`` stamps every record it is given.
///
/// Each line goes to the kernel with a single `write(2)` so that a process killed mid-session leaves
/// at worst one truncated last line, which ``SessionReader`` reports and skips.
public final class SessionWriter: Sendable {
    /// The file being written.
    public let url: URL
    private let codec = EventLineCodec()
    /// The file's descriptor, -1 once closed.
    private let file: Mutex<Int32>

    /// Opens (creating if needed) a session file for appending.
    public init(url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SessionFileError(url: url, reason: "cannot open for writing: \(String(cString: strerror(errno)))")
        }
        self.url = url
        file = Mutex(descriptor)
        try startOnFreshLine(descriptor)
    }

    /// A session cut off mid-line (a crash while writing) gets a newline first, so the next event is
    /// not glued to the broken line and lost with it.
    private func startOnFreshLine(_ descriptor: Int32) throws {
        let size = lseek(descriptor, 0, SEEK_END)
        guard size > 0 else { return }
        let reader = open(url.path, O_RDONLY | O_CLOEXEC)
        guard reader >= 0 else { return }
        defer { Glibc.close(reader) }
        var last: UInt8 = 0
        guard pread(reader, &last, 1, size - 1) == 1, last != 0x0A else { return }
        var newline: UInt8 = 0x0A
        guard Glibc.write(descriptor, &newline, 1) == 1 else {
            throw SessionFileError(url: url, reason: "write failed: \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        file.withLock { descriptor in
            if descriptor >= 0 { Glibc.close(descriptor) }
        }
    }

    /// Writes a stamped record as one line.
    public func append(record: EventRecord) throws {
        try file.withLock { descriptor in
            let line = try codec.encodeLine(record)
            guard descriptor >= 0 else { throw SessionFileError(url: url, reason: "the session file is closed") }
            try line.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw SessionFileError(url: url, reason: "write failed: \(String(cString: strerror(errno)))")
                    }
                    offset += written
                }
            }
        }
    }

    /// Forces written events to stable storage.
    public func sync() {
        file.withLock { descriptor in
            if descriptor >= 0 { _ = fsync(descriptor) }
        }
    }

    /// Syncs and closes the file; later appends fail.
    public func close() {
        file.withLock { descriptor in
            if descriptor >= 0 {
                _ = fsync(descriptor)
                _ = Glibc.close(descriptor)
                descriptor = -1
            }
        }
    }
}

/// A session file could not be opened, written or read.
public struct SessionFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file concerned.
    public var url: URL
    /// What went wrong.
    public var reason: String

    /// Creates an error.
    public init(url: URL, reason: String) {
        self.url = url
        self.reason = reason
    }

    /// `path: reason`.
    public var description: String { "\(url.path): \(reason)" }
}
