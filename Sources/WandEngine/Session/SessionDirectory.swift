public import Foundation
import Glibc

/// A one-line account of a saved session, for listings.
public struct SessionSummary: Sendable, Equatable {
    /// The session identifier (the file's base name).
    public var id: String
    /// The file.
    public var url: URL
    /// When the session started, if known.
    public var started: Date?
    /// The first goal.
    public var goal: String
    /// The strategy of the first run (for a comparison, its sides' strategies: `codeact vs pal`).
    public var strategy: String
    /// Whether the session is a comparison (its runs shown side by side).
    public var isComparison: Bool
    /// How the last run ended; nil when it has not (a live run, or one a crash left open).
    public var status: RunStatus?
    /// Number of events: lines that name an event type (only the lines the summary needs are fully decoded).
    public var eventCount: Int
    /// Number of lines that are not events.
    public var problemCount: Int

    /// Creates a summary.
    public init(id: String, url: URL, started: Date?, goal: String, strategy: String, isComparison: Bool, status: RunStatus?,
                eventCount: Int, problemCount: Int) {
        self.id = id
        self.url = url
        self.started = started
        self.goal = goal
        self.strategy = strategy
        self.isComparison = isComparison
        self.status = status
        self.eventCount = eventCount
        self.problemCount = problemCount
    }

    /// The line `wand sessions list` prints: id, start, strategy, status, events and the goal (cut to 60
    /// characters). Not yet made inert: the caller writes it through the terminal's sanitizer.
    public var listingLine: String {
        let date = started.map { EventTime.format($0).prefix(16).replacingOccurrences(of: "T", with: " ") } ?? "?"
        var line = "\(id)  \(date)  \(strategy.isEmpty ? "-" : strategy)  \(status?.rawValue ?? "unfinished")  "
        line += "\(eventCount) events"
        if problemCount > 0 { line += " (\(problemCount) unreadable lines)" }
        let goal = goal.replacingOccurrences(of: "\n", with: " ")
        return line + "  " + (goal.count > 60 ? String(goal.prefix(59)) + "…" : goal)
    }
}

/// The directory of saved sessions, `<data>/sessions/<id>.jsonl`.
public struct SessionDirectory: Sendable {
    /// The directory.
    public var url: URL

    /// Creates a view of a sessions directory.
    public init(url: URL) { self.url = url }

    /// A new, unique session identifier: UTC time plus a random suffix, e.g. `20261125-001530-3fa2`.
    public static func newSessionID(now: Date = Date()) -> String {
        let stamp = EventTime.format(now)
        let compact = stamp.prefix(19).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: "T", with: "-")
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return compact + "-" + String(repeating: "0", count: 4 - suffix.count) + suffix
    }

    /// The file for a session identifier.
    public func file(for id: String) -> URL { url.appendingPathComponent(id + ".jsonl") }

    /// Resolves what a user typed: a path to a file, or an identifier (or unique prefix) in this directory.
    public func resolve(_ reference: String) throws -> URL {
        let asPath = URL(fileURLWithPath: reference)
        if FileManager.default.fileExists(atPath: asPath.path) { return asPath }
        let files = sessionFiles()
        if let exact = files.first(where: { $0.deletingPathExtension().lastPathComponent == reference }) { return exact }
        let matches = files.filter { $0.deletingPathExtension().lastPathComponent.hasPrefix(reference) }
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty {
            throw SessionFileError(url: asPath, reason: "no such file, and no session with that id in \(url.path)")
        }
        throw SessionFileError(url: asPath, reason: "\(matches.count) sessions start with that id; give more of it")
    }

    /// Session files, newest first (by modification time, then by name).
    public func sessionFiles() -> [URL] {
        // One stat per file: asking Foundation for the date inside the comparison did it twice per comparison.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        let files: [(url: URL, modified: timespec)] = names.filter { $0.hasSuffix(".jsonl") }.map { name in
            let file = url.appendingPathComponent(name)
            var info = stat()
            return (file, stat(file.path, &info) == 0 ? info.st_mtim : timespec())
        }
        return files.sorted { lhs, rhs in
            if lhs.modified.tv_sec != rhs.modified.tv_sec { return lhs.modified.tv_sec > rhs.modified.tv_sec }
            if lhs.modified.tv_nsec != rhs.modified.tv_nsec { return lhs.modified.tv_nsec > rhs.modified.tv_nsec }
            return lhs.url.lastPathComponent > rhs.url.lastPathComponent
        }.map(\.url)
    }

    /// Summaries of every session, newest first; unreadable files are listed with what could be read.
    public func list() -> [SessionSummary] {
        sessionFiles().map(Self.summarize)
    }

    /// Deletes a session file; throws ``SessionFileError`` naming the file when it cannot.
    public func delete(_ file: URL) throws(SessionFileError) {
        guard file.deletingLastPathComponent().standardizedFileURL.path == url.standardizedFileURL.path,
              file.pathExtension == "jsonl" else {
            throw SessionFileError(url: file, reason: "is not a session file of \(url.path); not deleted")
        }
        guard unlink(file.path) == 0 else {
            throw SessionFileError(url: file, reason: "cannot delete: \(String(cString: strerror(errno)))")
        }
    }

    /// Summarizes one session file without decoding events: a listing of thousands of sessions of
    /// thousands of streamed deltas each must open at once. Wand writes keys sorted, so most lines end
    /// `"type":"NAME","v":1}` and are counted from those bytes; other lines, `session.started` and the
    /// last run event are read by ``ListingLine``, which takes only the fields a listing shows. Only a
    /// line that scanner cannot read is decoded whole, to tell an event from a problem: a line of the
    /// right shape whose payload the full decoder would refuse counts as an event here.
    public static func summarize(_ file: URL) -> SessionSummary {
        let data = (try? SessionReader.contents(of: file)) ?? Data()
        let codec = EventLineCodec()
        var first: EventRecord?
        var firstLean: ListingLine?
        var lastRunStatus: RunStatus?
        var lastRunKnown = false
        var lastRunEvent: EventRecord?
        var lastRunLine: Range<Int>?
        var eventCount = 0
        var problemCount = 0
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            while start < buffer.count {
                let end = memchr(base + start, 0x0A, buffer.count - start).map { base.distance(to: UnsafeRawPointer($0)) }
                    ?? buffer.count
                let line = start..<end
                start = end + 1
                // Lines start with `{`; only another first byte needs the look for a blank line.
                guard !line.isEmpty, buffer[line.lowerBound] == 0x7B
                        || buffer[line].contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
                if first == nil, eventCount == 0 {
                    if let lean = ListingLine.read(UnsafeRawBufferPointer(rebasing: buffer[line]), type: "session.started") {
                        firstLean = lean
                        eventCount += 1
                        continue
                    }
                    if let record = try? codec.decodeLine(Data(buffer[line])) {
                        first = record
                        eventCount += 1
                        continue
                    }
                }
                switch lineKind(base + line.lowerBound, count: line.count) {
                case .event:
                    eventCount += 1
                case .runEvent:
                    eventCount += 1
                    lastRunLine = line
                    lastRunEvent = nil
                case .other:
                    // Keys after `type` (`usage` in model.finished) hide the type from `lineKind`; the
                    // listing's scanner reads it without decoding the line.
                    if let lean = ListingLine.read(UnsafeRawBufferPointer(rebasing: buffer[line])) {
                        eventCount += 1
                        if lean.type == "run.started" || lean.type == "run.finished" {
                            lastRunLine = line
                            lastRunEvent = nil
                        }
                        continue
                    }
                    guard let record = try? codec.decodeLine(Data(buffer[line])) else {
                        problemCount += 1
                        continue
                    }
                    eventCount += 1
                    switch record.event {
                    case .runStarted, .runFinished:
                        lastRunLine = nil
                        lastRunEvent = record
                    default: break
                    }
                }
            }
            if let lastRunLine {
                if let lean = ListingLine.read(UnsafeRawBufferPointer(rebasing: buffer[lastRunLine]), type: nil) {
                    lastRunStatus = lean.type == "run.finished" ? lean.status.flatMap(RunStatus.init(rawValue:)) : nil
                    lastRunKnown = lean.type == "run.finished" && lastRunStatus != nil || lean.type == "run.started"
                }
                if !lastRunKnown { lastRunEvent = try? codec.decodeLine(Data(buffer[lastRunLine])) }
            }
        }
        var started: SessionStarted?
        if case .sessionStarted(let payload)? = first?.event { started = payload }
        var status: RunStatus? = lastRunKnown ? lastRunStatus : nil
        // A later run that has not finished makes the session unfinished again, whatever came before.
        if !lastRunKnown, case .runFinished(let finished)? = lastRunEvent?.event { status = finished.status }
        let comparison = firstLean?.comparison ?? started?.comparison?.map(\.strategy)
        let strategy = comparison?.joined(separator: " vs ") ?? firstLean?.strategy ?? started?.strategy ?? ""
        return SessionSummary(id: file.deletingPathExtension().lastPathComponent, url: file,
                              started: firstLean.flatMap { EventTime.parse($0.time) } ?? first?.time,
                              goal: firstLean?.goal ?? started?.goal ?? "",
                              strategy: strategy, isComparison: comparison != nil, status: status,
                              eventCount: eventCount, problemCount: problemCount)
    }

    /// What a line is, judged from its last bytes without decoding it.
    private enum LineKind {
        /// An event as Wand writes it.
        case event
        /// A `run.started` or `run.finished` as Wand writes it.
        case runEvent
        /// Not written the way Wand writes events: decode it to know.
        case other
    }

    /// Reads the `"type":"NAME","v":N}` end of a line with C string functions: listing touches every
    /// line of every session, so this must not allocate.
    private static func lineKind(_ line: UnsafeRawPointer, count: Int) -> LineKind {
        var length = count
        while length > 0, line.load(fromByteOffset: length - 1, as: UInt8.self) == 0x0D { length -= 1 }
        guard length > 0, line.load(fromByteOffset: length - 1, as: UInt8.self) == 0x7D else { return .other }
        let tailLength = min(length, 64)
        let tail = line + (length - tailLength)
        // JSON escapes quotes inside strings, so these bytes can only be the `type` key itself.
        var found: UnsafeRawPointer?
        var searched = 0
        while found == nil, searched + typeMarker.count <= tailLength,
              let quote = memchr(tail + searched, 0x22, tailLength - searched) {
            let candidate = UnsafeRawPointer(quote)
            let offset = tail.distance(to: candidate)
            if offset + typeMarker.count <= tailLength,
               typeMarker.withUnsafeBytes({ memcmp(candidate, $0.baseAddress!, $0.count) }) == 0 {
                found = candidate
            }
            searched = offset + 1
        }
        guard let found else { return .other }
        let name = found + typeMarker.count
        let nameRoom = line.distance(to: line + length) - line.distance(to: name)
        guard let quote = memchr(name, 0x22, nameRoom).map({ UnsafeRawPointer($0) }) else { return .other }
        let afterName = name.distance(to: quote)
        let rest = quote.distance(to: line + length)
        let followsWell = versionMarker.withUnsafeBytes { marker in
            rest > marker.count && memcmp(quote, marker.baseAddress!, marker.count) == 0
        }
        guard followsWell else { return .other }
        guard name.load(as: UInt8.self) == 0x72 else { return .event }
        let isRun = [runStarted, runFinished].contains { runName in
            runName.count == afterName && runName.withUnsafeBytes { memcmp(name, $0.baseAddress!, afterName) == 0 }
        }
        return isRun ? .runEvent : .event
    }

    private static let typeMarker = Array(#""type":""#.utf8)
    private static let versionMarker = Array(#"","v":"#.utf8)
    private static let runStarted = Array("run.started".utf8)
    private static let runFinished = Array("run.finished".utf8)
}
