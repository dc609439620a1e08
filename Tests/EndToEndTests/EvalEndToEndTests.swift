import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("End to end: wand eval")
struct EvalEndToEndTests {
    @Test("wand eval humaneval --limit 10 runs with the embedded model and writes results, sessions and a report", .requires(.humanEval))
    func humanEvalSmoke() async throws {
        let data = try WandProcess.isolatedDataHome()
        let out = data.appendingPathComponent("eval-run")
        let result = try await WandProcess.run(["eval", "humaneval", "--limit", "10", "--out", out.path],
                                               environment: ["XDG_DATA_HOME": data.path])
        #expect(result.status == 0, "\(result.stderr.suffix(2_000))")
        let results = EvalRunDirectory(url: out).loadResults()
        #expect(results.count == 20, "10 problems × direct and best")
        #expect(Set(results.map(\.strategy)) == ["direct", "best"])
        #expect(results.filter { $0.strategy == "direct" }.allSatisfy { $0.attempts == 0 }, "direct executes nothing")
        for row in results {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(row.session).path))
        }
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("| direct | 10 |"))
        #expect(report.contains("| best | 10 |"))
        #expect(result.stderr.contains("[20/20]"), "progress lines are printed when stderr is not a terminal")
    }

    @Test("a task file with bad lines is refused with every line number, and nothing runs")
    func badTaskFile() async throws {
        let file = try FixtureSessions.temporaryDirectory("eval-file").appendingPathComponent("tasks.jsonl")
        try "{\"id\": \"a\", \"prompt\": \"p\", \"answer\": 1}\n{oops\n{\"id\": \"b\"}\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try await WandProcess.run(["eval", file.path, "--base-url", "http://127.0.0.1:9/v1", "--model", "m"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("tasks.jsonl:2: not a JSON object"))
        #expect(result.stderr.contains("tasks.jsonl:3: missing field `prompt`"))
    }

    @Test("wand eval --shard runs a slice, and wand eval merge joins the shards or refuses shards of different runs")
    func shardAndMerge() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.stop() } }
        let root = try FixtureSessions.temporaryDirectory("eval-shards-e2e")
        let file = root.appendingPathComponent("sixes.jsonl")
        try (0..<4).map { "{\"id\": \"six-\($0)\", \"prompt\": \"What is 6 times 7? (\($0))\", \"answer\": \"42\"}" }
            .joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let data = try WandProcess.isolatedDataHome()
        func eval(_ arguments: [String]) async throws -> WandProcess.Result {
            try await WandProcess.run(["eval", file.path, "--base-url", server.baseURL("agent").absoluteString, "--model", "m"] + arguments,
                                      environment: ["XDG_DATA_HOME": data.path])
        }
        let shards = [root.appendingPathComponent("s0"), root.appendingPathComponent("s1")]
        for (index, shard) in shards.enumerated() {
            let result = try await eval(["--strategy", "pal", "--shard", "\(index)/2", "--out", shard.path])
            #expect(result.status == 0, "\(result.stderr.suffix(2_000))")
            #expect(result.stdout.contains("shard \(index)/2 of 4 tasks"))
        }
        #expect(EvalRunDirectory(url: shards[1]).loadResults().map(\.task).sorted() == ["six-1", "six-1", "six-1", "six-3", "six-3", "six-3"])

        let merged = root.appendingPathComponent("all")
        let merge = try await WandProcess.run(["eval", "merge", shards[1].path, shards[0].path, "--out", merged.path],
                                              environment: ["XDG_DATA_HOME": data.path])
        #expect(merge.status == 0, "\(merge.stderr)")
        let results = EvalRunDirectory(url: merged).loadResults()
        #expect(results.map(\.task) == ["six-0", "six-0", "six-0", "six-1", "six-1", "six-1", "six-2", "six-2", "six-2", "six-3", "six-3", "six-3"])
        #expect(results.map(\.strategy).prefix(3) == ["direct", "naive", "pal"])
        let report = try String(contentsOf: merged.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("| naive | 4 | 4 | 100.0% |"))
        #expect(report.contains("- reproduce: wand eval \(file.path) --strategy direct,naive,pal"))

        let other = root.appendingPathComponent("other")
        #expect(try await eval(["--strategy", "vote", "--shard", "1/2", "--out", other.path]).status == 0)
        let refused = try await WandProcess.run(["eval", "merge", shards[0].path, other.path, "--out", root.appendingPathComponent("x").path],
                                                environment: ["XDG_DATA_HOME": data.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("are shards of different runs: their `command` differs")
                || refused.stderr.contains("are shards of different runs: their `strategies` differs"), "\(refused.stderr)")

        let reused = try await eval(["--strategy", "vote", "--shard", "0/2", "--out", shards[0].path])
        #expect(reused.status == 2, "a used --out holding another run is refused")
        #expect(reused.stderr.contains("holds another run"))
        let again = try await eval(["--strategy", "pal", "--shard", "0/2", "--out", shards[0].path])
        #expect(again.status == 0 && again.stdout.contains("Continuing the run"), "the same command continues its run")
        #expect(EvalRunDirectory(url: shards[0]).loadResults().count == 6, "and redoes nothing")
    }
}
