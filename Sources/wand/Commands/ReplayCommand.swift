import ArgumentParser
import Foundation
import Glibc
import WandEngine
import Workbench

/// `wand replay FILE`: plays a saved session in the workbench, or prints it as a transcript.
struct ReplayCommand: AsyncParsableCommand {
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

    @Flag(help: "Re-run the recorded model replies against the live executor (headless) and report where results differ; exits 1 if any does.")
    var rerun = false

    @Option(help: "Fork a new live run after this many events (headless): same goal and conversation, possibly another --model or --strategy.")
    var forkAt: Int?

    @Flag(help: "With --rerun or --fork-at: print events as JSON Lines.")
    var json = false

    @OptionGroup var agent: AgentOptions

    func run() async throws {
        let paths = WandPaths()
        let url = try SessionDirectory(url: paths.sessions).resolve(session)
        let loaded = try SessionReader().load(url)
        for problem in loaded.problems {
            TerminalOutput.err("warning: skipped \(problem)\n")
        }
        if print {
            TerminalOutput.out(TranscriptPrinter.transcript(of: loaded.events))
            return
        }
        if rerun || forkAt != nil {
            try await runHeadless(loaded)
            return
        }
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw ValidationError("`wand replay` needs a terminal; use `wand replay \(session) --print` for a transcript")
        }
        let themes = try ThemeSelection(requested: theme, paths: paths)
        switch await ReplayWorkbench.open(loaded, themes: themes, play: play) {
        case .quit, .open, .forkSession:
            return
        case .openDemo:
            try await DemoCommand.openFirst(themes: themes)
        case .fork(let count):
            let navigator = WorkbenchNavigator(bootstrap: try SessionBootstrap(options: agent), themes: themes, agent: agent)
            try await navigator.run(from: navigator.fork(loaded, eventCount: count, continueRun: true))
        case .rerun:
            let navigator = WorkbenchNavigator(bootstrap: try SessionBootstrap(options: agent), themes: themes, agent: agent)
            try await navigator.run(from: .live(resume: nil, starting: .rerun(loaded), model: SessionRerun.model(for: loaded),
                                                message: nil))
        }
    }

    /// `--rerun` and `--fork-at` without the workbench.
    private func runHeadless(_ loaded: LoadedSession) async throws {
        let printer = OutputPrinter(json: json)
        if rerun {
            let bootstrap = try SessionBootstrap(options: agent)
            let session = try await bootstrap.newSession(model: SessionRerun.model(for: loaded), rerunOf: loaded)
            session.recorder.listen { printer.print($0) }
            let report = await SessionRerun.run(loaded, in: session)
            await session.finish()
            printer.finish()
            TerminalOutput.err((report.summary + "\n"))
            if !report.isIdentical { throw ExitCode(1) }
            return
        }
        let count = forkAt!
        guard count >= 1, count <= loaded.events.count else {
            throw ValidationError("--fork-at must be between 1 and \(loaded.events.count), the number of events")
        }
        let bootstrap = try SessionBootstrap(options: agent)
        guard bootstrap.modelAvailable else { throw ValidationError(bootstrap.modelUnavailableReason) }
        let id = SessionDirectory.newSessionID()
        let fork = SessionFork(source: loaded, upTo: count, newSessionID: id)
        let copied = try fork.write(to: SessionDirectory(url: bootstrap.paths.sessions).file(for: id))
        let session = try await bootstrap.resumedSession(copied)
        session.recorder.listen { printer.print($0) }
        await session.restoreKernel(fork.restore)
        let strategy = agent.strategy ?? StrategyName(rawValue: fork.strategy) ?? .codeact
        let finished = await session.run(goal: fork.goal, strategy: strategy,
                                         settings: agent.settings(sandboxed: bootstrap.capabilities.bubblewrap != nil),
                                         seedMessages: strategy == .codeact ? fork.messages : [])
        await session.finish()
        await bootstrap.runtime.shutdown()
        printer.finish()
        if finished.status == .budgetExhausted { throw ExitCode(3) }
        if finished.status != .answered { throw ExitCode(1) }
    }
}

/// Opens the workbench on a loaded session in replay mode.
enum ReplayWorkbench {
    /// Opens the replay; returns how the user left it (a fork or re-run request, or quitting).
    @discardableResult
    static func open(_ loaded: LoadedSession, themes: ThemeSelection, play: Bool) async -> WorkbenchExit {
        var replay = ReplayState(fileName: loaded.url.lastPathComponent, events: loaded.events, problems: loaded.problems)
        var state = ViewState(mode: .replay, size: Size(width: 80, height: 24), keymap: KeymapLoading.load(paths: WandPaths()),
                              themeName: themes.name,
                              themeNames: themes.catalog.names)
        state.session = replay.seek(to: 1, from: state.session)
        if play { _ = replay.togglePlaying(now: Date()) }
        state.replay = replay
        if let id = loaded.started?.session {
            state.workspaceRoot = SandboxExecutor.existingWorkspaceRoot(of: id, paths: WandPaths())?.path
        }
        // A comparison session replays side by side, as it ran.
        state.comparison = ComparisonState(events: loaded.events)
        state.comparison?.seek(in: loaded.events, to: replay.position)
        if let first = loaded.problems.first {
            state.message = "Skipped \(loaded.problems.count) unreadable line(s); first: line \(first.line)"
        }
        return await WorkbenchLoop.runOnOwnThread(state: state, themes: themes.catalog, noColor: ThemeSelection.noColor,
                                                  inbox: Inbox(), effects: WorkbenchEffects(live: nil))
    }
}
