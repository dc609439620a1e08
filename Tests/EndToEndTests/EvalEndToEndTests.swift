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
}
