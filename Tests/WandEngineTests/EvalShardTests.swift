import Foundation
import Testing
@testable import WandEngine
import WandTestSupport

@Suite("Eval shards", .serialized)
struct EvalShardTests {
    @Test("the shards of a run are disjoint, cover every task once, and keep the run's order")
    func slices() throws {
        for total in [0, 1, 5, 23, 164] {
            let ids = (0..<total).map { "T/\($0)" }
            for count in 1...7 {
                let slices = try (0..<count).map { try EvalShard(index: $0, count: count).slice(ids) }
                #expect(slices.flatMap { $0 }.sorted() == ids.sorted(), "\(total) tasks in \(count) shards")
                #expect(Set(slices.flatMap { $0 }).count == total, "no task is in two shards")
                for slice in slices {
                    #expect(slice == ids.filter(slice.contains), "each slice keeps the run's order")
                    #expect(slice.count >= total / count && slice.count <= total / count + 1, "shards are balanced")
                }
            }
        }
        #expect(try EvalShard(parsing: "2/4") == EvalShard(index: 2, count: 4))
        #expect(try EvalShard(parsing: "1/3").slice(Array(0..<10)) == [1, 4, 7])
    }

    @Test("a --shard value that cannot be used says what is wrong")
    func badShards() {
        #expect(throws: EvalShardError(text: "4/4", reason: "the index must be from 0 to 3")) { try EvalShard(parsing: "4/4") }
        #expect(throws: EvalShardError(text: "-1/3", reason: "the index must be from 0 to 2")) { try EvalShard(parsing: "-1/3") }
        #expect(throws: EvalShardError(text: "0/0", reason: "the shard count must be at least 1")) { try EvalShard(parsing: "0/0") }
        #expect(throws: EvalShardError.self) { try EvalShard(parsing: "first") }
        #expect(throws: EvalShardError.self) { try EvalShard(parsing: "1/2/3") }
        #expect((try? EvalShard(parsing: "1of4")) == nil)
    }

    /// Five small HumanEval-style tasks; the scripted model passes three and fails two.
    static let tasks: [EvalTask] = [
        ("double", "x * 2", "assert candidate(3) == 6"),
        ("inc", "x + 1", "assert candidate(1) == 2"),
        ("neg", "x", "assert candidate(5) == -5"),
        ("square", "x * x", "assert candidate(4) == 16"),
        ("half", "x // 3", "assert candidate(8) == 4"),
    ].enumerated().map { index, entry in
        EvalTask(id: "S/\(index)", prompt: "def \(entry.0)(x):\n    \"\"\"Computes \(entry.0) of x.\"\"\"\n",
                 check: .tests(source: "def check(candidate):\n    \(entry.2)\n", entryPoint: entry.0),
                 visibleTests: index.isMultiple(of: 2) ? "assert \(entry.0)(0) == 0" : nil)
    }

    /// Answers each task with its scripted body, found by the function named in the prompt.
    struct ScriptedModel: LanguageModel {
        let descriptor = ModelDescriptor(profile: "scripted", name: "scripted", baseURL: "memory")

        func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
            let text = request.messages.map(\.content).joined()
            let bodies = ["double": "x * 2", "inc": "x + 1", "neg": "x", "square": "x * x", "half": "x // 3"]
            let reply = bodies.sorted { $0.key < $1.key }.first { text.contains("def \($0.key)(") }
                .map { "```python\ndef \($0.key)(x):\n    return \($0.value)\n```" } ?? "no code"
            return AsyncThrowingStream { continuation in
                continuation.yield(.delta(reply))
                continuation.yield(.finished(GenerationResult(text: reply, usage: TokenUsage(prompt: 20, completion: 12),
                                                              firstTokenMs: 1, totalMs: 1, finishReason: "stop")))
                continuation.finish()
            }
        }
    }

    static func configuration(shard: EvalShard?) -> EvalConfiguration {
        EvalConfiguration(benchmark: "small.jsonl", strategies: ["direct", "tdd"], selection: tasks, shard: shard,
                          model: "scripted", attempts: 2, samples: 2, sandbox: "test", parallel: 1,
                          command: "wand eval small.jsonl --strategy direct,tdd")
    }

    /// Runs one directory the way `wand eval` does: save the configuration, run, write the report.
    static func run(into url: URL, shard: EvalShard?) async throws -> EvalRunDirectory {
        let directory = EvalRunDirectory(url: url)
        let configuration = Self.configuration(shard: shard)
        try directory.save(configuration)
        let runner = EvalRunner(directory: directory, model: ScriptedModel(),
                                settings: AgentSettings(maxSteps: 6, maxRepairs: 1, samples: 2), limits: ExecutionLimits(timeout: 10),
                                parallel: 1) { _ in try ExecutorFixtures.make() }
        let selected = configuration.tasks.compactMap { id in tasks.first { $0.id == id } }
        let results = try await runner.run(tasks: selected, strategies: [.direct, .tdd]) { _ in }
        try directory.writeReport(configuration: configuration, results: results)
        return directory
    }

    static func timeless(_ results: [EvalResult]) -> [EvalResult] {
        results.map { result in
            var result = result
            result.seconds = 0
            return result
        }
    }

    @Test("joining two shards gives the unsharded run's results.jsonl, configuration and report")
    func mergeEqualsUnsharded() async throws {
        let root = try FixtureSessions.temporaryDirectory("eval-merge")
        let whole = try await Self.run(into: root.appendingPathComponent("whole"), shard: nil)
        let second = try await Self.run(into: root.appendingPathComponent("shard-1"), shard: EvalShard(index: 1, count: 2))
        let first = try await Self.run(into: root.appendingPathComponent("shard-0"), shard: EvalShard(index: 0, count: 2))
        #expect(second.loadResults().map(\.task) == ["S/1", "S/1", "S/3", "S/3"])

        let joined = try EvalMerge.join([second, first])
        let merged = EvalRunDirectory(url: root.appendingPathComponent("merged"))
        let report = try EvalMerge.write(joined, to: merged)

        let wholeResults = whole.loadResults()
        #expect(wholeResults.count == 10)
        #expect(wholeResults.count(where: \.passed) == 6, "double, inc, square pass with both strategies")
        #expect(Self.timeless(merged.loadResults()) == Self.timeless(wholeResults), "the same lines in the same order")
        let lines = { (directory: EvalRunDirectory) in
            try String(contentsOf: directory.results, encoding: .utf8).split(separator: "\n")
                .map { $0.replacingOccurrences(of: #""seconds":[0-9.e-]+"#, with: "\"seconds\":0", options: .regularExpression) }
        }
        #expect(try lines(merged) == lines(whole), "results.jsonl is byte for byte the same, but for the seconds")
        #expect(try merged.loadConfiguration() == whole.loadConfiguration())
        #expect(report == EvalReport.markdown(configuration: try merged.loadConfiguration(), results: merged.loadResults()))
        #expect(try String(contentsOf: merged.report, encoding: .utf8) == report)
        #expect(EvalReport.markdown(configuration: try merged.loadConfiguration(), results: Self.timeless(merged.loadResults()))
                == EvalReport.markdown(configuration: try whole.loadConfiguration(), results: Self.timeless(wholeResults)),
                "the report is the unsharded run's, but for the measured seconds")
        #expect(report.contains("| direct | 5 | 3 | 60.0% |"))
        for result in merged.loadResults() {
            #expect(FileManager.default.fileExists(atPath: merged.url.appendingPathComponent(result.session).path),
                    "\(result.session) is copied, so every session replays from the joined directory")
        }
        #expect(throws: EvalRunError.self, "a joined directory is not overwritten") { try EvalMerge.write(joined, to: merged) }
    }

    /// A shard directory with a configuration and, optionally, results (none are run).
    static func shardDirectory(_ root: URL, _ name: String, _ configuration: EvalConfiguration,
                               results: [EvalResult] = []) throws -> EvalRunDirectory {
        let directory = EvalRunDirectory(url: root.appendingPathComponent(name))
        try directory.save(configuration)
        let writer = try ResultWriter(url: directory.results)
        for result in results { try writer.append(result) }
        return directory
    }

    static func results(for configuration: EvalConfiguration) -> [EvalResult] {
        configuration.tasks.flatMap { task in
            configuration.strategies.map { strategy in
                EvalResult(task: task, strategy: strategy, passed: true, attempts: 1, modelCalls: 1, tokens: 10, seconds: 1,
                           status: "answered", session: "sessions/\(strategy)/\(task).jsonl")
            }
        }
    }

    @Test("merging refuses shards of different runs, a repeated or missing shard, an unfinished shard, and a run that is not sharded")
    func mergeRefusals() throws {
        let root = try FixtureSessions.temporaryDirectory("eval-merge-refused")
        let zero = Self.configuration(shard: try EvalShard(index: 0, count: 2))
        let one = Self.configuration(shard: try EvalShard(index: 1, count: 2))
        let a = try Self.shardDirectory(root, "a", zero, results: Self.results(for: zero))
        let b = try Self.shardDirectory(root, "b", one, results: Self.results(for: one))
        #expect(try EvalMerge.join([a, b]).results.count == 10)

        func refusal(_ directories: [EvalRunDirectory]) -> String {
            do {
                _ = try EvalMerge.join(directories)
                return "accepted"
            } catch {
                return error.description
            }
        }
        var otherStrategies = one
        otherStrategies.strategies = ["direct", "best"]
        let c = try Self.shardDirectory(root, "c", otherStrategies, results: Self.results(for: otherStrategies))
        #expect(refusal([a, c]).contains("are shards of different runs: their `strategies` differs"))

        var otherModel = one
        otherModel.model = "another model"
        let d = try Self.shardDirectory(root, "d", otherModel, results: Self.results(for: otherModel))
        #expect(refusal([a, d]).contains("their `model` differs (\"scripted\" and \"another model\")"))

        var otherData = one
        otherData.taskDigest = "0"
        let e = try Self.shardDirectory(root, "e", otherData, results: Self.results(for: otherData))
        #expect(refusal([a, e]).contains("their `taskDigest` differs"))

        var otherParallel = one
        otherParallel.parallel = 8
        let f = try Self.shardDirectory(root, "f", otherParallel, results: Self.results(for: otherParallel))
        #expect(try EvalMerge.join([a, f]).configuration.parallel == nil, "shards may run with different --parallel")

        #expect(refusal([a, a]).contains("shard 0/2 is given twice"))
        #expect(refusal([a]).contains("shard 1/2 of the run is missing"))
        let three = Self.configuration(shard: try EvalShard(index: 1, count: 3))
        let g = try Self.shardDirectory(root, "g", three, results: Self.results(for: three))
        #expect(refusal([a, g]).contains("they split the run differently"))

        let unfinished = try Self.shardDirectory(root, "h", one, results: Array(Self.results(for: one).prefix(3)))
        #expect(refusal([a, unfinished]).contains("is unfinished: 3 of 4 results"))

        let whole = try Self.shardDirectory(root, "whole", Self.configuration(shard: nil))
        #expect(refusal([whole, b]).contains("is not a shard"))
        #expect(refusal([EvalRunDirectory(url: root.appendingPathComponent("nothing"))]).contains("has no config.json"))
    }
}
