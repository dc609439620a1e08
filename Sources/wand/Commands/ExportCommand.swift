import ArgumentParser
import Foundation
import TerminalUI
import WandEngine
import WandExport
import Workbench

/// What `wand export` writes.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case markdown
    case cast
    case chatJSONL = "chat-jsonl"
}

/// `wand export SESSION --format …`: a session as a Markdown transcript, an asciicast of its replay, or
/// chat-format training examples.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export sessions: a Markdown transcript, an asciicast of the replay, or chat-format training examples.",
        discussion: """
            markdown: a readable transcript (goal, plan, the model's words, code, output, the answer and where it came from, totals).

            cast: an asciicast v2 file of the replay as the workbench draws it, at the recorded timing; play it with `asciinema play FILE`.

            chat-jsonl: OpenAI chat-format training examples (JSON Lines), one per run whose answer was accepted or whose tests passed (in an eval run, whose hidden check passed), from sessions, directories of sessions and eval run directories; --all takes every run. See docs/EXPORTS.md.
            """
    )

    @Argument(help: "Session files or ids (or unique id prefixes); for chat-jsonl also directories of sessions and eval run directories.")
    var sessions: [String]

    @Option(help: "What to write.")
    var format: ExportFormat

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "cast: playback speed relative to the recording (default 1).")
    var speed: Double?

    @Option(help: "cast: the longest pause between two frames, in seconds of the recording (default 2).")
    var maxIdle: Double?

    @Option(help: "cast: the screen's width in columns (default 120).")
    var cols: Int?

    @Option(help: "cast: the screen's height in rows (default 40).")
    var rows: Int?

    @Option(help: "cast: the theme (see Themes/).")
    var theme: String?

    @Flag(help: "chat-jsonl: every run, not only those whose answer was accepted or whose tests passed.")
    var all = false

    @Flag(help: "chat-jsonl: for sessions recorded before Wand kept what the model was sent, rebuild it by re-enacting the run over its recorded replies and results, with this build's prompts (which may differ from the ones the model saw).")
    var reenact = false

    func validate() throws {
        if format != .cast {
            let castOnly = [("--speed", speed != nil), ("--max-idle", maxIdle != nil), ("--cols", cols != nil),
                            ("--rows", rows != nil), ("--theme", theme != nil)]
            if let (name, _) = castOnly.first(where: \.1) {
                throw ValidationError("\(name) applies to --format cast only")
            }
        }
        if all || reenact, format != .chatJSONL {
            throw ValidationError("\(all ? "--all" : "--reenact") applies to --format chat-jsonl only")
        }
        if format != .chatJSONL, sessions.count != 1 {
            throw ValidationError("--format \(format.rawValue) exports one session; \(sessions.count) were given")
        }
        if let speed, !(speed > 0 && speed.isFinite) { throw ValidationError("--speed must be a number above 0, such as 2 or 0.5") }
        if let maxIdle, !(maxIdle > 0 && maxIdle.isFinite) { throw ValidationError("--max-idle must be a number of seconds above 0") }
        if let cols, !(WorkbenchLayout.minimumSize.width...1000).contains(cols) {
            throw ValidationError("--cols must be between \(WorkbenchLayout.minimumSize.width) and 1000; below \(WorkbenchLayout.minimumSize.width) the workbench shows no panes")
        }
        if let rows, !(WorkbenchLayout.minimumSize.height...500).contains(rows) {
            throw ValidationError("--rows must be between \(WorkbenchLayout.minimumSize.height) and 500; below \(WorkbenchLayout.minimumSize.height) the workbench shows no panes")
        }
    }

    func run() async throws {
        let paths = WandPaths()
        switch format {
        case .markdown:
            try write(SessionExport.markdown(try load(sessions[0], paths: paths)), inert: true)
        case .cast:
            let loaded = try load(sessions[0], paths: paths)
            let themes = try ThemeSelection(requested: theme, paths: paths)
            let options = AsciicastRecording.Options(size: Size(width: cols ?? 120, height: rows ?? 40), speed: speed ?? 1,
                                                     maxIdle: maxIdle ?? 2)
            try write(try SessionExport.cast(loaded, theme: try themes.catalog.theme(named: themes.name), options: options),
                      inert: false)
        case .chatJSONL:
            try await exportChat(paths: paths)
        }
    }

    private func exportChat(paths: WandPaths) async throws {
        var sources: [ChatTrainingExport.Source] = []
        var unreadable = 0
        for reference in sessions {
            let inputs = try TrainingInputs.resolve(reference, sessions: SessionDirectory(url: paths.sessions))
            for input in inputs {
                do {
                    let loaded = try SessionReader().load(input.url)
                    for problem in loaded.problems { TerminalOutput.err("warning: skipped \(problem)\n") }
                    sources.append(ChatTrainingExport.Source(session: loaded, verdict: input.verdict))
                } catch {
                    // One unreadable file of many must not lose the rest; a single named session must load.
                    guard inputs.count > 1 else { throw error }
                    unreadable += 1
                    TerminalOutput.err("warning: skipped \(error)\n")
                }
            }
        }
        let report = await ChatTrainingExport.examples(from: sources, includeAll: all, reenact: reenact)
        for skipped in report.skipped { TerminalOutput.err("skipped \(skipped)\n") }
        var summary = "\(report.examples.count) example(s) from \(report.chosen) \(all ? "" : "accepted ")run(s) of \(report.runs)"
        summary += " in \(sources.count) session(s)"
        if report.reenacted > 0 { summary += "; \(report.reenacted) re-enacted with this build's prompts" }
        if !report.skipped.isEmpty { summary += "; \(report.skipped.count) run(s) skipped" }
        if unreadable > 0 { summary += "; \(unreadable) file(s) unreadable" }
        guard !report.examples.isEmpty else {
            let hint = report.chosen == 0 && !all ? " (no run was accepted; --all takes every run)" : ""
            throw ExportFailure("nothing to export: \(summary)\(hint)")
        }
        try write(try ChatTrainingExport.jsonLines(report.examples), inert: false)
        TerminalOutput.err(summary + "\n")
    }

    private func load(_ reference: String, paths: WandPaths) throws -> LoadedSession {
        let url = try SessionDirectory(url: paths.sessions).resolve(reference)
        let loaded = try SessionReader().load(url)
        for problem in loaded.problems { TerminalOutput.err("warning: skipped \(problem)\n") }
        return loaded
    }

    /// Writes to `--output` or standard output; `inert` text goes through ``TerminalOutput`` on its way to a
    /// terminal, and JSON has the DEL and C1 controls that JSONEncoder leaves raw escaped.
    private func write(_ data: Data, inert: Bool) throws {
        guard let output else {
            if inert {
                TerminalOutput.out(String(decoding: data, as: UTF8.self))
            } else {
                FileHandle.standardOutput.write(TerminalOutput.escapingControls(json: data))
            }
            return
        }
        let url = URL(fileURLWithPath: output)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw ExportFailure("cannot write \(url.path): \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
        }
    }
}

/// An export that could not be made, with the reason for the user.
struct ExportFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
