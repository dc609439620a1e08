import ArgumentParser
import Foundation
import Glibc
import WandEngine

/// `wand demo`: the demo sessions bundled with Wand, recorded from real runs with the embedded model.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "List the bundled demo sessions, or play one: `wand demo NAME` (add --print for a transcript)."
    )

    @Argument(help: "A demo's name (as listed).")
    var name: String?

    @Flag(help: "Write a transcript instead of opening the workbench.")
    var print = false

    @Option(help: "The theme.")
    var theme: String?

    static var demoFiles: [URL] {
        let directory = WandResourcesLocator.sessions
        return ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "jsonl" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    func run() async throws {
        let files = Self.demoFiles
        guard let name else {
            TerminalOutput.line("Demo sessions (play one with `wand demo NAME`):")
            for file in files {
                let summary = SessionDirectory.summarize(file)
                let demo = file.deletingPathExtension().lastPathComponent
                TerminalOutput.line("  \(demo.padding(toLength: 18, withPad: " ", startingAt: 0)) \(summary.strategy.padding(toLength: 8, withPad: " ", startingAt: 0)) \(summary.status?.rawValue ?? "unfinished")  \(summary.goal)")
            }
            return
        }
        guard let file = files.first(where: { $0.deletingPathExtension().lastPathComponent == name }) else {
            throw ValidationError("no demo named `\(name)`; run `wand demo` to list them")
        }
        let loaded = try SessionReader().load(file)
        if print {
            TerminalOutput.out(TranscriptPrinter.transcript(of: loaded.events))
            return
        }
        guard isatty(0) == 1, isatty(1) == 1 else { throw ValidationError("playing a demo needs a terminal; add --print") }
        await ReplayWorkbench.open(loaded, themes: try ThemeSelection(requested: theme, paths: WandPaths()), play: true)
    }

    /// Opens the first demo (the welcome offer's choice).
    static func openFirst(themes: ThemeSelection) async throws {
        guard let file = demoFiles.first else { throw ValidationError("no demo sessions are bundled") }
        await ReplayWorkbench.open(try SessionReader().load(file), themes: themes, play: true)
    }
}
