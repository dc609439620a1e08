import ArgumentParser
import Foundation
import Glibc
import WandEngine
import Workbench

/// `wand replay FILE`: plays a saved session in the workbench, or prints it as a transcript.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a saved session step by step in the workbench, or print it with --print."
    )

    @Argument(help: "A session file, or the id (or unique id prefix) of a session in the sessions directory.")
    var session: String

    @Flag(help: "Write a readable transcript to standard output instead of opening the workbench.")
    var print = false

    @Flag(help: "Start playing at once instead of waiting at the first event.")
    var play = false

    @Option(help: "The theme to use (see Themes/).")
    var theme: String?

    func run() throws {
        let paths = WandPaths()
        let url = try SessionDirectory(url: paths.sessions).resolve(session)
        let loaded = try SessionReader().load(url)
        for problem in loaded.problems {
            FileHandle.standardError.write(Data("warning: skipped \(problem)\n".utf8))
        }
        if print {
            FileHandle.standardOutput.write(Data(TranscriptPrinter.transcript(of: loaded.events).utf8))
            return
        }
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw ValidationError("`wand replay` needs a terminal; use `wand replay \(session) --print` for a transcript")
        }
        let themes = try ThemeSelection(requested: theme, paths: paths)
        let exitStatus = ReplayWorkbench.open(loaded, themes: themes, play: play)
        if exitStatus != 0 { throw ExitCode(exitStatus) }
    }
}

/// Opens the workbench on a loaded session in replay mode.
enum ReplayWorkbench {
    static func open(_ loaded: LoadedSession, themes: ThemeSelection, play: Bool) -> Int32 {
        var replay = ReplayState(fileName: loaded.url.lastPathComponent, events: loaded.events, problems: loaded.problems)
        var state = ViewState(mode: .replay, size: Size(width: 80, height: 24), themeName: themes.name,
                              themeNames: themes.catalog.names)
        state.session = replay.seek(to: 1, from: state.session)
        if play { _ = replay.togglePlaying(now: Date()) }
        state.replay = replay
        if let first = loaded.problems.first {
            state.message = "Skipped \(loaded.problems.count) unreadable line(s); first: line \(first.line)"
        }
        let loop = WorkbenchLoop(state: state, themes: themes.catalog, noColor: ThemeSelection.noColor)
        loop.onEffect = { effect, loop in
            switch effect {
            case .fork, .rerun:
                loop.send(.message("Fork and re-run need a model; see `wand --help`"))
            default:
                break
            }
        }
        return loop.run()
    }
}
