public import Foundation
import Glibc

/// A line of a session file that could not be used.
public struct SessionLineProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The 1-based line number.
    public var line: Int
    /// Why the line was skipped.
    public var reason: String

    /// Creates a problem report.
    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `file:line: reason`, the shape compilers use, so editors can jump to it.
    public var description: String { "\(file):\(line): \(reason)" }
}

/// The events read from a session file, and the lines that had to be skipped.
public struct LoadedSession: Sendable, Equatable {
    /// The file read.
    public var url: URL
    /// Every event that decoded, in file order.
    public var events: [EventRecord]
    /// Every line that did not, with its reason.
    public var problems: [SessionLineProblem]

    /// Creates a loaded session.
    public init(url: URL, events: [EventRecord], problems: [SessionLineProblem]) {
        self.url = url
        self.events = events
        self.problems = problems
    }

    /// The `session.started` payload, if the file has one.
    public var started: SessionStarted? {
        for record in events {
            if case .sessionStarted(let started) = record.event { return started }
        }
        return nil
    }
}

/// Loads session files, keeping every good event and reporting each bad line with its number.
public struct SessionReader: Sendable {
    /// Creates a reader.
    public init() {}

    /// Reads a whole session file. Throws ``SessionFileError`` only when the file cannot be read or holds
    /// no event at all.
    public func load(_ url: URL) throws -> LoadedSession {
        let data = try Self.contents(of: url)
        let loaded = decode(data, url: url)
        if loaded.events.isEmpty {
            if let first = loaded.problems.first {
                throw SessionFileError(url: url, reason: "no readable event; line \(first.line): \(first.reason)")
            }
            throw SessionFileError(url: url, reason: "the file is empty; it holds no session events")
        }
        return loaded
    }

    /// The file's bytes. A directory, a FIFO or a device, and a failed open or read are each named in
    /// plain words: Foundation reports all of them as "NSCocoaErrorDomain error 256", which tells a user nothing.
    static func contents(of url: URL) throws(SessionFileError) -> Data {
        // O_NONBLOCK, so that opening a FIFO nobody writes to fails the type check below instead of hanging.
        let descriptor = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw SessionFileError(url: url, reason: "cannot read: \(Self.lastError)") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SessionFileError(url: url, reason: "cannot read: \(Self.lastError)") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw SessionFileError(url: url, reason: "is a directory; give a session file or id")
        default: throw SessionFileError(url: url, reason: "is not a regular file (a FIFO, socket or device); give a session file or id")
        }
        var data = Data(count: Int(info.st_size))
        var filled = 0
        while true {
            if filled == data.count { data.count += 64 << 10 }
            let count = data.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw SessionFileError(url: url, reason: "cannot read: \(Self.lastError)") }
            if count == 0 { break }
            filled += count
        }
        data.count = filled
        return data
    }

    private static var lastError: String { String(cString: strerror(errno)) }

    /// Decodes session data; never throws, so callers decide what an empty result means.
    public func decode(_ data: Data, url: URL) -> LoadedSession {
        let codec = EventLineCodec()
        var events: [EventRecord] = []
        var problems: [SessionLineProblem] = []
        let file = url.path
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            let bytes = buffer.bindMemory(to: UInt8.self)
            // One record per line: sized once, the array is not copied as it grows (`wand-bench ui`'s
            // 100,000-event session peaked at 66 MiB without this, 60 MiB with it).
            events.reserveCapacity(bytes.count { $0 == 0x0A } + 1)
            var lineStart = 0
            var lineNumber = 0
            while lineStart < bytes.count {
                lineNumber += 1
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                let isLast = lineEnd >= bytes.count
                let slice = UnsafeRawBufferPointer(rebasing: buffer[lineStart..<lineEnd])
                lineStart = lineEnd + 1
                if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                do throws(EventDecodingError) {
                    let record = try codec.decodeLine(Data(slice))
                    if record.version > EventRecord.currentVersion {
                        problems.append(SessionLineProblem(
                            file: file, line: lineNumber,
                            reason: "written by a newer Wand (format v\(record.version), this build reads v\(EventRecord.currentVersion)); read as v\(EventRecord.currentVersion)"))
                    }
                    events.append(record)
                } catch {
                    let reason = isLast
                        ? "truncated last line (the session was probably interrupted while writing): \(error.reason)"
                        : error.reason
                    problems.append(SessionLineProblem(file: file, line: lineNumber, reason: reason))
                }
            }
        }
        return LoadedSession(url: url, events: events, problems: problems)
    }
}
