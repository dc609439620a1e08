import ArgumentParser
import Foundation
import Glibc
import WandEngine

/// `wand` (the default command): the live workbench.
struct WorkbenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workbench",
        abstract: "Open the live workbench (the default): type a goal, watch the agent plan, code, run and answer."
    )

    @Flag(help: "Continue a saved session (the newest, or the one named after --resume).")
    var resume = false

    @Argument(help: "With --resume: the session's id (or a unique prefix) or file.")
    var session: String?

    @Option(help: "The theme (see Themes/).")
    var theme: String?

    @OptionGroup var agent: AgentOptions

    func validate() throws {
        if let session, !resume {
            throw ValidationError("`\(session)` is not a wand command (see `wand --help`); to continue a session: wand --resume \(session)")
        }
    }

    func run() async throws {
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw ValidationError("the workbench needs a terminal; use `wand run GOAL` to run headless")
        }
        let bootstrap = try SessionBootstrap(options: agent)
        let themes = try ThemeSelection(requested: theme ?? bootstrap.config.theme, paths: bootstrap.paths)
        var resumed: LoadedSession?
        if resume {
            let directory = SessionDirectory(url: bootstrap.paths.sessions)
            guard let file = try session.map({ try directory.resolve($0) }) ?? directory.sessionFiles().first else {
                throw ValidationError("there is no saved session to resume in \(directory.url.path)")
            }
            // A run the file leaves open died with the process that ran it: record that before continuing.
            resumed = try InterruptedRun.close(SessionReader().load(file))
        }
        try await WorkbenchNavigator(bootstrap: bootstrap, themes: themes, agent: agent)
            .run(from: .live(resume: resumed, starting: nil, model: nil, message: nil))
    }
}
