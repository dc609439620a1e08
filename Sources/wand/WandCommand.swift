import ArgumentParser
import Foundation

/// `wand`: the terminal workbench where code is what an LLM agent thinks and acts with.
@main
struct WandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wand",
        abstract: "A terminal workbench where an LLM agent plans, writes code, runs it in a sandbox and learns from what happened.",
        version: WandVersion.current,
        subcommands: [WorkbenchCommand.self, RunCommand.self, ReplayCommand.self, CompareCommand.self, ExportCommand.self, DemoCommand.self, EvalCommand.self,
                      SessionsCommand.self, SetupCommand.self, ModelsCommand.self, ToolsCommand.self, DoctorCommand.self, ExecCommand.self],
        defaultSubcommand: WorkbenchCommand.self
    )

    /// Parses and runs; usage errors exit with status 2, the shell convention, instead of 64. Messages
    /// are printed here rather than by ArgumentParser so they go through ``TerminalOutput``: an error
    /// can quote a session or task file.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if code == .success { TerminalOutput.out(message + "\n") } else { TerminalOutput.err(message + "\n") }
            }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// Wand's version, recorded in every session.
enum WandVersion {
    static let current = "0.1.0"
}
