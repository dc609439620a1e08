public import Foundation
public import WandEngine

/// The session files a training export reads: a session file or id, a directory of sessions, or an eval
/// run directory, whose results say which answers passed the hidden check.
public enum TrainingInputs {
    /// One session file, with an eval's verdict when it belongs to an eval run.
    public struct Input: Sendable, Equatable {
        /// The session file.
        public var url: URL
        /// Whether its answer passed the eval's hidden check; nil outside an eval run.
        public var verdict: Bool?
    }

    /// The session files `reference` names. Throws ``SessionFileError`` when it names nothing usable.
    public static func resolve(_ reference: String, sessions: SessionDirectory) throws -> [Input] {
        let url = URL(fileURLWithPath: reference)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [Input(url: try sessions.resolve(reference), verdict: nil)]
        }
        let run = EvalRunDirectory(url: url)
        if FileManager.default.fileExists(atPath: run.results.path) {
            let results = run.loadResults()
            guard !results.isEmpty else {
                throw SessionFileError(url: run.results, reason: "an eval run's results file with no readable result")
            }
            return results.map { Input(url: url.appendingPathComponent($0.session), verdict: $0.passed) }
        }
        let files = SessionDirectory(url: url).sessionFiles().sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !files.isEmpty else {
            throw SessionFileError(url: url, reason: "a directory with no session files (*.jsonl) and no eval results (results.jsonl)")
        }
        return files.map { Input(url: $0, verdict: nil) }
    }
}
