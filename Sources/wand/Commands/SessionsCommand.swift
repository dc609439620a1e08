import ArgumentParser
import Foundation
import WandEngine

/// `wand sessions`: saved sessions.
struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "Work with saved sessions.",
        subcommands: [List.self]
    )

    /// `wand sessions list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List saved sessions, newest first ($XDG_DATA_HOME/wand/sessions or ~/.local/share/wand/sessions)."
        )

        @Option(help: "List this directory instead of the default one.")
        var directory: String?

        func run() throws {
            let url = directory.map { URL(fileURLWithPath: $0) } ?? WandPaths().sessions
            let summaries = SessionDirectory(url: url).list()
            guard !summaries.isEmpty else {
                TerminalOutput.line("No sessions in \(url.path).")
                return
            }
            TerminalOutput.line("Sessions in \(url.path):")
            for summary in summaries {
                let date = summary.started.map { EventTime.format($0).prefix(16).replacingOccurrences(of: "T", with: " ") } ?? "?"
                let status = summary.status?.rawValue ?? "unfinished"
                var line = "\(summary.id)  \(date)  \(summary.strategy.isEmpty ? "-" : summary.strategy)  \(status)  "
                line += "\(summary.eventCount) events"
                if summary.problemCount > 0 { line += " (\(summary.problemCount) unreadable lines)" }
                let goal = summary.goal.replacingOccurrences(of: "\n", with: " ")
                line += "  " + (goal.count > 60 ? String(goal.prefix(59)) + "…" : goal)
                TerminalOutput.line(line)
            }
        }
    }
}
