public import Foundation
import TerminalUI
public import WandEngine

/// Sessions as chat-format training examples: per run, the conversation that produced its outcome,
/// exactly as the model was sent it (recorded in `model.started`, or re-enacted for older sessions).
public enum ChatTrainingExport {
    /// A session to take examples from, with an eval's verdict on it when it comes from `wand eval`.
    public struct Source: Sendable {
        /// The session.
        public var session: LoadedSession
        /// Whether an eval's hidden check passed its answer; nil outside an eval run.
        public var verdict: Bool?

        /// Creates a source.
        public init(session: LoadedSession, verdict: Bool? = nil) {
            self.session = session
            self.verdict = verdict
        }
    }

    /// A run that was chosen but gave no example, and why.
    public struct Skipped: Sendable, Equatable, CustomStringConvertible {
        /// The session's file.
        public var file: String
        /// The run number.
        public var run: Int
        /// Why.
        public var reason: String

        /// `file run N: reason`.
        public var description: String { "\(file) run \(run): \(reason)" }
    }

    /// The examples and an account of the runs.
    public struct Report: Sendable {
        /// The examples, in session and run order.
        public var examples: [ChatExample] = []
        /// Runs seen in all sessions.
        public var runs = 0
        /// Runs chosen (accepted, or all with `includeAll`).
        public var chosen = 0
        /// Chosen runs whose messages were recovered by re-enactment rather than read from the session.
        public var reenacted = 0
        /// Chosen runs that gave no example.
        public var skipped: [Skipped] = []
    }

    /// Which runs count as accepted: in an eval run, those whose answer passed the hidden check; elsewhere,
    /// those that ended with an answer (for `tdd`, code that passes the tests).
    static func isAccepted(_ run: RecordedRun, verdict: Bool?) -> Bool {
        verdict ?? (run.status == .answered)
    }

    /// The examples of accepted runs (every run with `includeAll`) of the sources, in order. Runs recorded
    /// before sessions kept what the model was sent are re-enacted when `reenact` is set
    /// (``PromptReenactment``: their prompts are this build's, which may differ from what the model saw then)
    /// and skipped otherwise.
    public static func examples(from sources: [Source], includeAll: Bool, reenact: Bool) async -> Report {
        var report = Report()
        for source in sources {
            var runs = RecordedRun.runs(in: source.session.events)
            report.runs += runs.count
            let chosen = Set(runs.filter { includeAll || isAccepted($0, verdict: source.verdict) }.map(\.number))
            report.chosen += chosen.count
            var unrecovered: [Int: String] = [:]
            let lacking = Set(runs.filter { chosen.contains($0.number) && !$0.hasMessages }.map(\.number))
            if !lacking.isEmpty {
                if reenact {
                    unrecovered = await PromptReenactment.recover(source.session, runs: &runs)
                } else {
                    for number in lacking {
                        unrecovered[number] = "it was recorded before sessions kept the messages; --reenact rebuilds them with this build's prompts"
                    }
                }
            }
            for run in runs where chosen.contains(run.number) {
                switch run.example() {
                case .success(let example):
                    report.examples.append(example)
                    if lacking.contains(run.number) { report.reenacted += 1 }
                case .failure(let reason):
                    let why = reason == .notRecorded ? unrecovered[run.number].map { "\(reason): \($0)" } ?? "\(reason)" : "\(reason)"
                    report.skipped.append(Skipped(file: source.session.url.path, run: run.number, reason: why))
                }
            }
        }
        return report
    }

    /// The examples as JSON Lines: one object per line, keys sorted, DEL and C1 controls escaped as `\u`
    /// so a line shown on a terminal cannot act on it.
    public static func jsonLines(_ examples: [ChatExample]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for example in examples {
            data.append(Data(InertText.escapingControls(json: String(decoding: try encoder.encode(example), as: UTF8.self)).utf8))
            data.append(0x0A)
        }
        return data
    }
}
