import ArgumentParser

/// `wand`: the terminal workbench where code is what an LLM agent thinks and acts with.
@main
struct WandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wand",
        abstract: "A terminal workbench where an LLM agent plans, writes code, runs it in a sandbox and learns from what happened.",
        version: WandVersion.current,
        subcommands: [ReplayCommand.self, SessionsCommand.self, SetupCommand.self, ModelsCommand.self, ExecCommand.self]
    )
}

/// Wand's version, recorded in every session.
enum WandVersion {
    static let current = "0.1.0"
}
