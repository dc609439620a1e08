public import Foundation
import Synchronization

/// Where an eval run keeps its files: `config.json`, `results.jsonl`, `report.md`, `sessions/`.
public struct EvalRunDirectory: Sendable {
    /// The run's directory.
    public let url: URL

    /// Creates a view of a run directory.
    public init(url: URL) { self.url = url }

    /// The results file.
    public var results: URL { url.appendingPathComponent("results.jsonl") }
    /// The report.
    public var report: URL { url.appendingPathComponent("report.md") }
    /// The saved configuration.
    public var config: URL { url.appendingPathComponent("config.json") }

    /// The name a run directory starts with: `humaneval`, or the task file's name without extension.
    public static func benchmarkName(_ benchmark: String) -> String {
        benchmark.lowercased() == "humaneval" ? "humaneval" : URL(fileURLWithPath: benchmark).deletingPathExtension().lastPathComponent
    }

    /// The session file of one task and strategy.
    public func session(task: String, strategy: String) -> String {
        "sessions/\(strategy)/\(task.replacingOccurrences(of: "/", with: "-")).jsonl"
    }

    /// The saved configuration.
    public func loadConfiguration() throws(EvalRunError) -> EvalConfiguration {
        guard let data = FileManager.default.contents(atPath: config.path) else {
            throw EvalRunError("\(url.path) is not an eval run directory (it has no config.json)")
        }
        do {
            return try JSONDecoder().decode(EvalConfiguration.self, from: data)
        } catch {
            throw EvalRunError("\(config.path) cannot be read: \(error)")
        }
    }

    /// Saves the configuration.
    public func save(_ configuration: EvalConfiguration) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(configuration).write(to: config)
    }

    /// Writes `report.md` for these results and returns its text.
    @discardableResult
    public func writeReport(configuration: EvalConfiguration, results: [EvalResult]) throws -> String {
        let text = EvalReport.markdown(configuration: configuration, results: results)
        try text.write(to: report, atomically: true, encoding: .utf8)
        return text
    }

    /// Results recorded so far (lines that do not decode are skipped: a run killed mid-write).
    public func loadResults() -> [EvalResult] {
        guard let text = try? String(contentsOf: results, encoding: .utf8) else { return [] }
        let decoder = JSONDecoder()
        return text.split(separator: "\n").compactMap { try? decoder.decode(EvalResult.self, from: Data($0.utf8)) }
    }
}

/// What an eval run compares; saved in `config.json` so `--resume` continues the same run, and
/// compared by `wand eval merge` so that only shards of one run are joined.
public struct EvalConfiguration: Codable, Sendable, Equatable {
    /// `humaneval` or a task file's path.
    public var benchmark: String
    /// The strategies, `direct` first.
    public var strategies: [String]
    /// The task ids this directory runs, in order (for a shard, its slice).
    public var tasks: [String]
    /// The model profile's name and model.
    public var model: String
    /// Repair attempts (`--attempts`).
    public var attempts: Int
    /// Samples (`--samples`).
    public var samples: Int
    /// How candidates and hidden tests were confined (`bubblewrap`, `limits only`); nil in runs
    /// recorded before it was kept.
    public var sandbox: String?
    /// Tasks run at once by the latest invocation (`--parallel`).
    public var parallel: Int?
    /// The slice of the run this directory holds, when the run is sharded.
    public var shard: EvalShard?
    /// Every task id of the sharded run, in order; nil when not sharded (then it is `tasks`).
    public var allTasks: [String]?
    /// A fingerprint of the content of every task of the run (prompts, checks, visible tests,
    /// preambles), so that shards run on different copies of a task file are told apart.
    public var taskDigest: String?
    /// The command that runs the whole benchmark again (without `--shard`, `--out`, `--resume`).
    public var command: String?

    /// Creates a configuration.
    public init(benchmark: String, strategies: [String], tasks: [String], model: String, attempts: Int, samples: Int,
                sandbox: String? = nil, parallel: Int? = nil, shard: EvalShard? = nil, allTasks: [String]? = nil,
                taskDigest: String? = nil, command: String? = nil) {
        self.benchmark = benchmark
        self.strategies = strategies
        self.tasks = tasks
        self.model = model
        self.attempts = attempts
        self.samples = samples
        self.sandbox = sandbox
        self.parallel = parallel
        self.shard = shard
        self.allTasks = allTasks
        self.taskDigest = taskDigest
        self.command = command
    }

    /// The configuration of a run over `selection`, or of one shard of it.
    public init(benchmark: String, strategies: [String], selection: [EvalTask], shard: EvalShard?, model: String,
                attempts: Int, samples: Int, sandbox: String, parallel: Int, command: String) {
        let ids = selection.map(\.id)
        self.init(benchmark: benchmark, strategies: strategies, tasks: shard?.slice(ids) ?? ids, model: model, attempts: attempts,
                  samples: samples, sandbox: sandbox, parallel: parallel, shard: shard, allTasks: shard == nil ? nil : ids,
                  taskDigest: EvalTask.digest(selection), command: command)
    }

    /// The configuration of the whole run this one is part of (itself when not sharded), without the
    /// invocation's `parallel`: what shards of one run share.
    public var wholeRun: EvalConfiguration {
        var whole = self
        whole.tasks = allTasks ?? tasks
        whole.allTasks = nil
        whole.shard = nil
        whole.parallel = nil
        return whole
    }
}

/// Progress of an eval run.
public struct EvalProgress: Sendable, Equatable {
    /// Task–strategy pairs done (including those done before a resume).
    public var done: Int
    /// All pairs.
    public var total: Int
    /// Passed and done per strategy.
    public var perStrategy: [String: (passed: Int, done: Int)]
    /// Seconds since this invocation started.
    public var elapsed: Double
    /// Pairs done in this invocation (for the ETA).
    public var doneHere: Int
    /// The result just recorded.
    public var latest: EvalResult?

    /// Seconds left, estimated from this invocation's pace.
    public var eta: Double? { doneHere == 0 ? nil : elapsed / Double(doneHere) * Double(total - done) }

    public static func == (lhs: EvalProgress, rhs: EvalProgress) -> Bool {
        lhs.done == rhs.done && lhs.total == rhs.total && lhs.latest == rhs.latest
    }
}

/// Runs tasks × strategies through the agent, `parallel` at a time, saving every session, scoring each
/// answer with the hidden check, and appending a result line as each pair finishes. Cancelling stops
/// cleanly: finished pairs are kept, so `--resume` redoes nothing.
public struct EvalRunner: Sendable {
    /// The run directory.
    public let directory: EvalRunDirectory
    /// The model.
    public let model: any LanguageModel
    /// Builds an executor for a worker (each worker has its own sandbox).
    public let makeExecutor: @Sendable (Int) throws -> any Executor
    /// Agent settings (budgets, attempts, samples).
    public let settings: AgentSettings
    /// Execution limits (recorded in sessions).
    public let limits: ExecutionLimits
    /// Pairs run at once.
    public let parallel: Int

    /// Creates a runner.
    public init(directory: EvalRunDirectory, model: any LanguageModel, settings: AgentSettings, limits: ExecutionLimits,
                parallel: Int, makeExecutor: @escaping @Sendable (Int) throws -> any Executor) {
        self.directory = directory
        self.model = model
        self.settings = settings
        self.limits = limits
        self.parallel = max(1, parallel)
        self.makeExecutor = makeExecutor
    }

    /// Runs every pair not yet in `results.jsonl`; returns all results (old and new).
    public func run(tasks: [EvalTask], strategies: [EvalStrategyName],
                    progress: @escaping @Sendable (EvalProgress) -> Void) async throws -> [EvalResult] {
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        let existing = directory.loadResults()
        let done = Set(existing.map { "\($0.strategy)\u{0}\($0.task)" })
        var pending: [(EvalTask, EvalStrategyName)] = []
        for task in tasks {
            for strategy in strategies where !done.contains("\(strategy.rawValue)\u{0}\(task.id)") {
                pending.append((task, strategy))
            }
        }
        let total = tasks.count * strategies.count
        let started = ContinuousClock.now
        let state = Locked((results: existing, doneHere: 0))
        let writer = try ResultWriter(url: directory.results)
        let report: @Sendable (EvalResult?) -> Void = { latest in
            let (results, doneHere) = state.withLock { ($0.results, $0.doneHere) }
            var per: [String: (passed: Int, done: Int)] = [:]
            for result in results {
                let entry = per[result.strategy] ?? (0, 0)
                per[result.strategy] = (entry.passed + (result.passed ? 1 : 0), entry.done + 1)
            }
            let elapsed = ContinuousClock.now - started
            progress(EvalProgress(done: results.count, total: total, perStrategy: per,
                                  elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                                  doneHere: doneHere, latest: latest))
        }
        report(nil)
        let queue = Locked(pending[...])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<min(parallel, max(1, pending.count)) {
                let executor = try makeExecutor(worker)
                group.addTask {
                    defer { Task { await executor.shutdown() } }
                    while let (task, strategy) = queue.withLock({ $0.popFirst() }) {
                        try Task.checkCancellation()
                        guard let result = try await runPair(task, strategy, executor: executor) else { return }
                        try writer.append(result)
                        state.withLock {
                            $0.results.append(result)
                            $0.doneHere += 1
                        }
                        report(result)
                    }
                }
            }
            try await group.waitForAll()
        }
        return state.withLock { $0.results }
    }

    /// Runs one task with one strategy in its own session; nil when cancelled (nothing is recorded then).
    private func runPair(_ task: EvalTask, _ strategy: EvalStrategyName, executor: any Executor) async throws -> EvalResult? {
        let relative = directory.session(task: task.id, strategy: strategy.rawValue)
        let file = directory.url.appendingPathComponent(relative)
        try? FileManager.default.removeItem(at: file)
        let recorder = EventRecorder(writer: try SessionWriter(url: file))
        let collected = EventCollector(listeningTo: recorder)
        let session = AgentSession(id: "\(strategy.rawValue)-\(task.id)", recorder: recorder, model: model, executor: executor,
                                   limits: limits, settings: ["eval.task": task.id, "eval.strategy": strategy.rawValue])
        let start = ContinuousClock.now
        let finished = await session.run(goal: task.goal, strategy: strategy.strategy(for: task), settings: settings,
                                         tests: task.suite)
        recorder.sync()
        if finished.status == .cancelled, Task.isCancelled { return nil }
        let records = collected.records
        let answer = records.lazy.compactMap { record -> String? in
            if case .answer(let answer) = record.event { return answer.text }
            return nil
        }.last ?? finished.candidate ?? bestEffortAnswer(records, task: task)
        let passed = await EvalScoring.passes(answer, task: task, executor: executor)
        let elapsed = ContinuousClock.now - start
        var oracle: Bool?
        var candidates: Int?
        if task.isCode {
            let tried = Self.candidates(records, answer: answer)
            candidates = tried.count
            oracle = passed
            for candidate in tried where oracle == false && candidate != answer {
                oracle = await EvalScoring.passes(candidate, task: task, executor: executor)
            }
        }
        recorder.emit(.notice(Notice(level: .info, message: "Scored with the hidden check: \(passed ? "passed" : "failed")."
            + (oracle.map { " Some candidate passes it: \($0 ? "yes" : "no")." } ?? ""))))
        recorder.sync()
        return EvalResult(task: task.id, strategy: strategy.rawValue, passed: passed, attempts: finished.totals.executions,
                          modelCalls: finished.totals.modelCalls, tokens: finished.totals.usage.total,
                          seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                          status: finished.status.rawValue, session: relative, kind: task.kind, oracle: oracle,
                          candidates: candidates)
    }

    /// The distinct candidates of a code run: every program it ran (without the line that runs the
    /// tests), and its answer.
    static func candidates(_ records: [EventRecord], answer: String?) -> [String] {
        var seen: [String] = []
        let proposed = records.compactMap { record -> String? in
            if case .codeProposed(let code) = record.event { return code.source }
            return nil
        }
        for source in proposed + [answer].compactMap({ $0 }) {
            let candidate = source.components(separatedBy: testRunMarker).first ?? source
            if !candidate.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, !seen.contains(candidate) { seen.append(candidate) }
        }
        return seen
    }

    /// What ``TestSuite/program(candidate:)`` puts between a candidate and the call of the tests.
    static let testRunMarker = "\n\n# Wand: run the tests"

    /// For a failed code run with no judged candidate, its last proposed code still gets scored (it
    /// can pass hidden tests the visible ones did not cover).
    private func bestEffortAnswer(_ records: [EventRecord], task: EvalTask) -> String? {
        guard task.isCode else { return nil }
        let sources = records.compactMap { record -> String? in
            if case .codeProposed(let code) = record.event { return code.source }
            return nil
        }
        return sources.last.map { source in
            source.components(separatedBy: Self.testRunMarker).first ?? source
        }
    }
}

/// An eval run directory cannot be used; says which and why.
public struct EvalRunError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

/// Appends result lines, one `write` each, so a killed run loses at most the line being written.
final class ResultWriter: Sendable {
    private let handle: Mutex<FileHandle>
    private let encoder: JSONEncoder

    init(url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: url)
        handle.seekToEndOfFile()
        self.handle = Mutex(handle)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.encoder = encoder
    }

    func append(_ result: EvalResult) throws {
        var data = try encoder.encode(result)
        data.append(0x0A)
        try handle.withLock { try $0.write(contentsOf: data) }
    }
}
