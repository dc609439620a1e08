public import Foundation
import Glibc
import Synchronization

/// Appends events to a session file, one JSON line each, written through to the file as they happen.
///
/// Each line goes to the kernel with a single `write(2)` so that a process killed mid-session leaves
/// at worst one truncated last line, which ``SessionReader`` reports and skips.
public final class SessionWriter: Sendable {
    /// The file being written.
    public let url: URL
    private let state: Mutex<State>
    private let codec = EventLineCodec()
    private let clock: @Sendable () -> Date

    private struct State {
        var descriptor: Int32
        var nextSeq: Int
    }

    /// Opens (creating if needed) a session file for appending; `nextSeq` continues an existing session.
    public init(url: URL, nextSeq: Int = 1, clock: @escaping @Sendable () -> Date = Date.init) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SessionFileError(url: url, reason: "cannot open for writing: \(String(cString: strerror(errno)))")
        }
        self.url = url
        self.clock = clock
        self.state = Mutex(State(descriptor: descriptor, nextSeq: nextSeq))
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
        state.withLock { state in
            if state.descriptor >= 0 { Glibc.close(state.descriptor) }
        }
    }

    /// Stamps an event with the next sequence number and the current time, writes it, and returns the record.
    @discardableResult
    public func append(_ event: AgentEvent) throws -> EventRecord {
        try state.withLock { state in
            let record = EventRecord(seq: state.nextSeq, time: clock(), event: event)
            try write(record, to: &state)
            return record
        }
    }

    /// Writes an already stamped record (used when copying or continuing sessions).
    public func append(record: EventRecord) throws {
        try state.withLock { state in try write(record, to: &state) }
    }

    /// Forces written events to stable storage.
    public func sync() {
        state.withLock { state in
            if state.descriptor >= 0 { _ = fsync(state.descriptor) }
        }
    }

    /// Syncs and closes the file; later appends fail.
    public func close() {
        state.withLock { state in
            if state.descriptor >= 0 {
                _ = fsync(state.descriptor)
                _ = Glibc.close(state.descriptor)
                state.descriptor = -1
            }
        }
    }

    private func write(_ record: EventRecord, to state: inout State) throws {
        guard state.descriptor >= 0 else { throw SessionFileError(url: url, reason: "the session file is closed") }
        let line = try codec.encodeLine(record)
        try line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(state.descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SessionFileError(url: url, reason: "write failed: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
        state.nextSeq = record.seq + 1
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
