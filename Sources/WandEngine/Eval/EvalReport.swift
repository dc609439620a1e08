import Foundation

/// One line of `results.jsonl`: how one strategy did on one task.
public struct EvalResult: Codable, Sendable, Equatable {
    /// The task.
    public var task: String
    /// The strategy.
    public var strategy: String
    /// Whether the hidden check passed.
    public var passed: Bool
    /// Code executions the strategy made.
    public var attempts: Int
    /// Model calls it made.
    public var modelCalls: Int
    /// Tokens it used.
    public var tokens: Int
    /// Wall-clock seconds.
    public var seconds: Double
    /// How the agent's run ended.
    public var status: String
    /// The session file, relative to the run directory.
    public var session: String
    /// The task's kind, when the task file gives one.
    public var kind: String?
    /// For code tasks: whether any candidate the strategy ran (or answered) passes the hidden check,
    /// scored after the run and outside its session.
    public var oracle: Bool?
    /// For code tasks: how many distinct candidates the strategy ran or answered.
    public var candidates: Int?

    /// Creates a result.
    public init(task: String, strategy: String, passed: Bool, attempts: Int, modelCalls: Int, tokens: Int, seconds: Double,
                status: String, session: String, kind: String? = nil, oracle: Bool? = nil, candidates: Int? = nil) {
        self.kind = kind
        self.oracle = oracle
        self.candidates = candidates
        self.task = task
        self.strategy = strategy
        self.passed = passed
        self.attempts = attempts
        self.modelCalls = modelCalls
        self.tokens = tokens
        self.seconds = seconds
        self.status = status
        self.session = session
    }
}

/// The report's figures for one strategy.
public struct StrategySummary: Sendable, Equatable {
    /// The strategy.
    public var strategy: String
    /// Tasks with a result.
    public var tasks: Int
    /// Tasks passed.
    public var passed: Int
    /// pass@1 in percent.
    public var passAt1: Double { tasks == 0 ? 0 : Double(passed) * 100 / Double(tasks) }
    /// Mean code executions per task.
    public var meanAttempts: Double
    /// Tokens spent per solved task (all tokens over solved count).
    public var tokensPerSolved: Double?
    /// Total wall-clock seconds.
    public var seconds: Double
    /// The median of the tasks' wall-clock seconds.
    public var medianSeconds: Double
}

/// Summaries, comparisons and the Markdown report of an eval run.
public enum EvalReport {
    /// Summaries in the order the strategies first appear.
    public static func summaries(_ results: [EvalResult]) -> [StrategySummary] {
        var order: [String] = []
        for result in results where !order.contains(result.strategy) { order.append(result.strategy) }
        return order.map { strategy in
            let rows = results.filter { $0.strategy == strategy }
            let passed = rows.count(where: \.passed)
            let tokens = rows.reduce(0) { $0 + $1.tokens }
            return StrategySummary(strategy: strategy, tasks: rows.count, passed: passed,
                                   meanAttempts: rows.isEmpty ? 0 : Double(rows.reduce(0) { $0 + $1.attempts }) / Double(rows.count),
                                   tokensPerSolved: passed == 0 ? nil : Double(tokens) / Double(passed),
                                   seconds: rows.reduce(0) { $0 + $1.seconds }, medianSeconds: median(rows.map(\.seconds)))
        }
    }

    /// Tasks `a` passed and `b` did not (among tasks both attempted), sorted.
    public static func solvedOnlyBy(_ a: String, not b: String, in results: [EvalResult]) -> [String] {
        let passedByB = Dictionary(results.filter { $0.strategy == b }.map { ($0.task, $0.passed) }, uniquingKeysWith: { $1 })
        return results.filter { $0.strategy == a && $0.passed && passedByB[$0.task] == false }.map(\.task)
            .sorted { $0.localizedStandardCompare($1) == .orderedAscending }
    }

    /// The report of a run: its configuration's details, then the tables. `wand eval` and
    /// `wand eval merge` both write it, so joined shards give the report of the unsharded run.
    public static func markdown(configuration: EvalConfiguration, results: [EvalResult]) -> String {
        var details = ["model": configuration.model, "tasks": String(configuration.tasks.count),
                       "attempts": String(configuration.attempts), "samples": String(configuration.samples)]
        if let sandbox = configuration.sandbox { details["sandbox"] = sandbox }
        if let parallel = configuration.parallel { details["parallel"] = String(parallel) }
        if let shard = configuration.shard {
            details["shard"] = "\(shard) (\(configuration.tasks.count) of the run's \(configuration.allTasks?.count ?? 0) tasks)"
        }
        if let command = configuration.command { details["reproduce"] = command }
        return markdown(title: "Wand eval: \(configuration.benchmark)", results: results, details: details)
    }

    /// The Markdown report: the side-by-side table and the solved-by-one-not-the-other lists.
    public static func markdown(title: String, results: [EvalResult], details: [String: String]) -> String {
        let summaries = summaries(results)
        var text = "# \(title)\n\n"
        for key in details.keys.sorted() { text += "- \(key): \(details[key]!)\n" }
        text += "\n| strategy | tasks | passed | pass@1 | mean attempts | tokens per solved | median s per task | time |\n"
        text += "|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for summary in summaries {
            let tokens = summary.tokensPerSolved.map { String(format: "%.0f", $0) } ?? "–"
            text += "| \(summary.strategy) | \(summary.tasks) | \(summary.passed) | \(String(format: "%.1f%%", summary.passAt1)) | "
                + "\(String(format: "%.2f", summary.meanAttempts)) | \(tokens) | \(String(format: "%.1f", summary.medianSeconds)) | "
                + "\(formatDuration(summary.seconds)) |\n"
        }
        for baselineName in ["direct", "naive"] {
            guard let baseline = summaries.first(where: { $0.strategy == baselineName }) else { continue }
            text += "\n"
            for other in summaries where other.strategy != baselineName && other.strategy != "direct" {
                let delta = other.passAt1 - baseline.passAt1
                let speed = baseline.medianSeconds > 0
                    ? String(format: " Median time %.1f× `%@`'s.", other.medianSeconds / baseline.medianSeconds, baselineName) : ""
                text += "`\(other.strategy)` against `\(baselineName)`: \(String(format: "%+.1f", delta)) points of pass@1.\(speed)\n"
            }
        }
        let names = summaries.map(\.strategy)
        text += oracleTable(results, strategies: names)
        text += kindTable(results, strategies: names)
        for (index, a) in names.enumerated() {
            for b in names[(index + 1)...] {
                for (first, second) in [(a, b), (b, a)] {
                    let only = solvedOnlyBy(first, not: second, in: results)
                    text += "\nSolved by `\(first)` but not `\(second)` (\(only.count)): "
                        + (only.isEmpty ? "none" : only.joined(separator: ", ")) + "\n"
                }
            }
        }
        return text
    }

    /// How much of its ceiling each strategy's selection reaches, when the results were scored for it:
    /// the oracle counts tasks where some candidate the strategy ran passes the hidden tests.
    static func oracleTable(_ results: [EvalResult], strategies: [String]) -> String {
        guard results.contains(where: { $0.oracle != nil }) else { return "" }
        var text = "\nThe oracle: tasks where at least one candidate a strategy ran passes the hidden tests (each candidate "
            + "scored after the run, never shown to the agent), and how many of those its answer passes.\n"
        text += "\n| strategy | mean candidates | oracle | passed | of the oracle |\n|---|---:|---:|---:|---:|\n"
        for name in strategies {
            let rows = results.filter { $0.strategy == name && $0.oracle != nil }
            guard !rows.isEmpty else { continue }
            let oracle = rows.count { $0.oracle == true }
            let passed = rows.count { $0.passed }
            let candidates = Double(rows.reduce(0) { $0 + ($1.candidates ?? 0) }) / Double(rows.count)
            let share = oracle == 0 ? "–" : String(format: "%.1f%%", Double(passed) * 100 / Double(oracle))
            text += "| \(name) | \(String(format: "%.2f", candidates)) | \(oracle) | \(passed) | \(share) |\n"
        }
        return text
    }

    /// Solved per kind of task and strategy, when the tasks have kinds: whether a gain is broad or
    /// comes from one kind.
    static func kindTable(_ results: [EvalResult], strategies: [String]) -> String {
        var kinds: [String] = []
        for result in results { if let kind = result.kind, !kinds.contains(kind) { kinds.append(kind) } }
        guard !kinds.isEmpty else { return "" }
        var text = "\n| kind | tasks | " + strategies.joined(separator: " | ") + " |\n"
        text += "|---|---:|" + String(repeating: "---:|", count: strategies.count) + "\n"
        for kind in kinds.sorted() {
            let rows = results.filter { $0.kind == kind }
            let tasks = Set(rows.map(\.task)).count
            let cells = strategies.map { name in String(rows.count { $0.strategy == name && $0.passed }) }
            text += "| \(kind) | \(tasks) | " + cells.joined(separator: " | ") + " |\n"
        }
        return text
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func formatDuration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%dh%02dm", total / 3600, total / 60 % 60)
            : total >= 60 ? String(format: "%dm%02ds", total / 60, total % 60) : "\(total)s"
    }
}
