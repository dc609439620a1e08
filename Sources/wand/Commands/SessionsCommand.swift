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
            // One write for the whole list, not a write(2) per line: a listing may have thousands.
            TerminalOutput.out(summaries.map { $0.listingLine + "\n" }.joined())
        }
    }
}
