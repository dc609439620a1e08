public import Foundation

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
    /// The strategy of the first run.
    public var strategy: String
    /// How the last run ended; nil when it has not (a live run, or one a crash left open).
    public var status: RunStatus?
    /// Number of events read.
    public var eventCount: Int
    /// Number of unreadable lines.
    public var problemCount: Int
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

    /// Session files, newest first.
    public func sessionFiles() -> [URL] {
        let keys: [URLResourceKey] = [.contentModificationDateKey]
        let files = (try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: keys)) ?? []
        return files.filter { $0.pathExtension == "jsonl" }.sorted { lhs, rhs in
            let left = (try? lhs.resourceValues(forKeys: Set(keys)).contentModificationDate) ?? .distantPast
            let right = (try? rhs.resourceValues(forKeys: Set(keys)).contentModificationDate) ?? .distantPast
            return left != right ? left > right : lhs.lastPathComponent > rhs.lastPathComponent
        }
    }

    /// Summaries of every session, newest first; unreadable files are listed with what could be read.
    public func list() -> [SessionSummary] {
        sessionFiles().map(Self.summarize)
    }

    /// Summarizes one session file.
    public static func summarize(_ file: URL) -> SessionSummary {
        let data = (try? Data(contentsOf: file)) ?? Data()
        let loaded = SessionReader().decode(data, url: file)
        var status: RunStatus?
        for record in loaded.events {
            switch record.event {
            // A later run that has not finished makes the session unfinished again, whatever came before.
            case .runStarted: status = nil
            case .runFinished(let finished): status = finished.status
            default: break
            }
        }
        let started = loaded.started
        return SessionSummary(id: file.deletingPathExtension().lastPathComponent, url: file,
                              started: loaded.events.first?.time, goal: started?.goal ?? "",
                              strategy: started?.strategy ?? "", status: status,
                              eventCount: loaded.events.count, problemCount: loaded.problems.count)
    }
}
