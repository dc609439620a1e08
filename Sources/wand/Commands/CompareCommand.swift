import ArgumentParser
import Foundation
import Glibc
import Synchronization
import WandEngine
import Workbench

/// `wand compare GOAL --strategies A,B` (or `--models P,Q`): one goal run twice, shown side by side.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run one goal with two strategies (or two model profiles) and show the runs side by side; both are saved as one session."
    )

    @Argument(help: "The goal.")
    var goal: String

    @Option(help: "Two strategies, comma-separated, e.g. codeact,pal (default: --strategy for both).")
    var strategies: String?

    @Option(help: "Two model profiles, comma-separated (see `wand models`; default: --model for both).")
    var models: String?

    @Flag(help: "Print both runs and a summary instead of opening the workbench.")
    var print = false

    @Option(help: "The theme (see Themes/).")
    var theme: String?

    @OptionGroup var agent: AgentOptions

    func run() async throws {
        let bootstrap = try SessionBootstrap(options: agent)
        let pool = ModelPool(bootstrap: bootstrap)
        let request = try comparisonRequest(choices: pool.commandChoices, profile: bootstrap.profile.name)
        guard print || (isatty(0) == 1 && isatty(1) == 1) else {
            throw ValidationError("the side-by-side view needs a terminal; add --print for the runs and a summary")
        }
        if print {
            try await printComparison(request, bootstrap: bootstrap, models: pool)
            return
        }
        let themes = try ThemeSelection(requested: theme ?? bootstrap.config.theme, paths: bootstrap.paths)
        try await WorkbenchNavigator(bootstrap: bootstrap, themes: themes, agent: agent)
            .run(from: .live(resume: nil, starting: .compare(request), model: nil, message: nil))
    }

    /// The sides as `/compare` would read them, so the flags and the command share their checks and messages.
    func comparisonRequest(choices: CommandChoices, profile: String) throws -> ComparisonRequest {
        let strategy = agent.strategy ?? .defaultStrategy
        func pair(_ list: String?, _ flag: String, default value: String) throws -> [String] {
            guard let list else { return [value, value] }
            let items = list.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard items.count == 2, !items.contains(where: \.isEmpty) else {
                throw ValidationError("--\(flag) takes two names separated by a comma, got `\(list)`")
            }
            return items
        }
        guard strategies != nil || models != nil else {
            throw ValidationError("name what differs: --strategies A,B (such as codeact,pal) or --models P,Q")
        }
        let strategyPair = try pair(strategies, "strategies", default: strategy.rawValue)
        let profilePair = try pair(models, "models", default: profile)
        let sides = zip(strategyPair, profilePair).map { "\($0)@\($1)" }.joined(separator: ",")
        let context = CommandContext(choices: choices, strategy: strategy, profile: profile)
        switch CommandParser.parse("/compare \(sides) \(goal)", in: context) {
        case .success(.compare(let request)): return request
        case .failure(let error): throw ValidationError(error.message)
        case .success: throw ValidationError("not a comparison: \(sides)")
        }
    }

    private func printComparison(_ request: ComparisonRequest, bootstrap: SessionBootstrap, models: ModelPool) async throws {
        let settings = agent.settings(sandboxed: bootstrap.capabilities.bubblewrap != nil)
        guard settings.approval != .ask else {
            throw ValidationError("--print cannot ask before running code; pass --approve auto (or never)")
        }
        let printer = OutputPrinter(json: false)
        let collected = Mutex<[EventRecord]>([])
        let comparison = try await ComparisonLauncher.prepare(request, bootstrap: bootstrap, models: models) { record in
            printer.print(record)
            collected.withLock { $0.append(record) }
        }
        let results = await comparison.run(goal: request.goal, settings: settings)
        await models.shutdown()
        printer.finish()
        let events = collected.withLock { $0 }
        var state = ComparisonState(events: events)
        state?.seek(in: events, to: events.count)
        TerminalOutput.line("\nSide by side (\(comparison.session.recorder.url?.path ?? "not saved")):")
        for side in state?.sides ?? [] {
            let answer = side.session.answer.map { $0.replacingOccurrences(of: "\n", with: " ") } ?? "no answer"
            let seconds = String(format: "%.1f s", side.seconds(now: nil))
            TerminalOutput.line("  \(side.lane.run). \(side.lane.strategy) with \(side.lane.model.name): "
                + "\(side.session.runStatus?.rawValue ?? "not run") · \(side.session.usage.total) tokens · \(seconds) · \(answer)")
        }
        if results.contains(where: { $0.status != .answered }) { throw ExitCode(1) }
    }
}
