import Foundation
import Testing
@testable import WandEngine
import WandTestSupport

/// HumanEval's standard protocol: `prompt + completion` is scored, and only a run that reaches the end
/// of the hidden tests passes.
@Suite("Eval protocol", .serialized)
struct EvalProtocolTests {
    /// HumanEval/38 in miniature: the prompt defines a helper the hidden check calls.
    static let cyclic = EvalTask(
        id: "C/38",
        prompt: """
            def encode_cyclic(s: str):
                \"\"\"Rotates each group of three characters left by one.\"\"\"
                groups = [s[(3 * i):min((3 * i + 3), len(s))] for i in range((len(s) + 2) // 3)]
                groups = [(group[1:] + group[0]) if len(group) == 3 else group for group in groups]
                return "".join(groups)


            def decode_cyclic(s: str):
                \"\"\"Takes a string encoded with encode_cyclic and returns the decoded string.\"\"\"

            """,
        check: .tests(source: """
            def check(candidate):
                for word in ["abcdef", "hello world", "xy"]:
                    assert candidate(encode_cyclic(word)) == word
            """, entryPoint: "decode_cyclic"),
        visibleTests: "assert decode_cyclic(encode_cyclic('abc')) == 'abc'")

    /// The model's reply defines only the entry point; it calls the prompt's helper.
    static let cyclicReply = """
        ```python
        def decode_cyclic(s: str):
            return encode_cyclic(encode_cyclic(s))
        ```
        """

    struct FixedReplyModel: LanguageModel {
        let descriptor = ModelDescriptor(profile: "scripted", name: "scripted", baseURL: "memory")
        let reply: String

        func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
            let reply = self.reply
            return AsyncThrowingStream { continuation in
                continuation.yield(.delta(reply))
                continuation.yield(.finished(GenerationResult(text: reply, usage: TokenUsage(prompt: 10, completion: 10),
                                                              firstTokenMs: 1, totalMs: 1, finishReason: "stop")))
                continuation.finish()
            }
        }
    }

    @Test("a problem whose hidden check calls a helper the prompt defines scores with the whole prompt kept")
    func helperFromPrompt() async throws {
        var task = Self.cyclic
        task.preamble = task.prompt
        let directory = try FixtureSessions.temporaryDirectory("eval-helper")
        let runner = EvalRunner(directory: EvalRunDirectory(url: directory), model: FixedReplyModel(reply: Self.cyclicReply),
                                settings: AgentSettings(maxSteps: 8, maxRepairs: 1, samples: 2), limits: ExecutionLimits(timeout: 10),
                                parallel: 1) { _ in try ExecutorFixtures.make() }
        let results = try await runner.run(tasks: [task], strategies: [.direct, .best]) { _ in }
        #expect(results.map(\.passed) == [true, true], "\(results)")
        let best = try SessionReader().load(directory.appendingPathComponent(results[1].session)).events
        let firstRun = best.compactMap { record -> ExecFinished? in
            if case .execFinished(let finished) = record.event { return finished }
            return nil
        }.first
        #expect(firstRun?.succeeded == true, "the examples pass on the first try: no NameError for the repair loop to fix")

        let program = EvalScoring.program("def decode_cyclic(s):\n    return s\n", task: task, token: "T")
        #expect(program.hasPrefix(task.prompt), "the prompt comes first")
        #expect(program.hasSuffix("check(decode_cyclic)\n\nprint(\"T\")\n"))
    }

    @Test("without the prompt in front, the same answer fails: the helper is missing")
    func helperMissingWithoutPrompt() async throws {
        var task = Self.cyclic
        task.preamble = ""
        let executor = try ExecutorFixtures.make()
        let answer = "def decode_cyclic(s: str):\n    return encode_cyclic(encode_cyclic(s))\n"
        #expect(await !EvalScoring.passes(answer, task: task, executor: executor))
        task.preamble = task.prompt
        #expect(await EvalScoring.passes(answer, task: task, executor: executor))
        await executor.shutdown()
    }

    static let increment = EvalTask(
        id: "I/1", prompt: "def inc(x):\n    \"\"\"x plus one.\"\"\"\n",
        check: .tests(source: "def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(5) == 99\n", entryPoint: "inc"))

    @Test("exit() inside check fails, although the program ends with status 0")
    func exitInsideCheck() async throws {
        let executor = try ExecutorFixtures.make()
        let exits = "def inc(x):\n    if x == 5:\n        exit()\n    return x + 1\n"
        let token = "wand-token-for-this-test"
        let (output, result) = await executor.run(ExecutionRequest(
            attempt: 0, language: .python, source: EvalScoring.program(exits, task: Self.increment, token: token), fresh: true))
        #expect(result.exitStatus == 0, "SystemExit from exit() ends the run with status 0")
        #expect(!output.map(\.text).joined().contains(token))
        #expect(await !EvalScoring.passes(exits, task: Self.increment, executor: executor))
        #expect(await !EvalScoring.passes("def inc(x):\n    raise SystemExit(0)\n", task: Self.increment, executor: executor))
        let passing = EvalTask(id: "I/2", prompt: Self.increment.prompt,
                               check: .tests(source: "def check(candidate):\n    assert candidate(1) == 2\n", entryPoint: "inc"))
        #expect(await EvalScoring.passes("def inc(x):\n    return x + 1\n", task: passing, executor: executor))
        #expect(await !EvalScoring.passes("def inc(x):\n    exit(0)\n", task: passing, executor: executor))
        await executor.shutdown()
    }

    @Test("the completion token is required: a run that exits before the tests end, or never prints it, fails")
    func sentinelRequired() async throws {
        let finished = ExecFinished(attempt: 0, exitStatus: 0, error: nil, durationMs: 5)
        #expect(EvalScoring.testsPassed(finished, stdout: "noise\nTOKEN\n", token: "TOKEN"))
        #expect(!EvalScoring.testsPassed(finished, stdout: "noise\n", token: "TOKEN"), "status 0 without the token")
        #expect(!EvalScoring.testsPassed(ExecFinished(attempt: 0, exitStatus: 1, error: "AssertionError", durationMs: 5),
                                         stdout: "TOKEN\n", token: "TOKEN"))
        #expect(EvalScoring.completionToken() != EvalScoring.completionToken())

        // Task-file tests (plain asserts, no entry point) are scored the same way.
        let asserts = EvalTask(id: "add", prompt: "Write add(a, b).",
                               check: .tests(source: "assert add(1, 2) == 3\nassert add(2, 2) == 5\n", entryPoint: nil))
        let executor = try ExecutorFixtures.make()
        #expect(await !EvalScoring.passes("import sys\nsys.exit(0)\ndef add(a, b):\n    return a + b\n", task: asserts, executor: executor),
                "the answer exits with status 0 before any assert")
        #expect(await !EvalScoring.passes("def add(a, b):\n    if (a, b) == (2, 2):\n        raise SystemExit\n    return a + b\n",
                                          task: asserts, executor: executor))
        let fair = EvalTask(id: "add", prompt: "Write add(a, b).", check: .tests(source: "assert add(1, 2) == 3\n", entryPoint: nil))
        #expect(await EvalScoring.passes("def add(a, b):\n    return a + b\n", task: fair, executor: executor))
        await executor.shutdown()
    }

    @Test("HumanEval/32, /38 and /50 pass with their canonical solutions written as the entry point alone", .requires(.humanEval))
    func humanEvalHelpers() async throws {
        let data = try #require(Requirement.modelLayout.humanEvalData)
        let tasks = try await TaskFile.humanEval(data: data)
        let script = WandResourcesLocator.python.appendingPathComponent("wand_humaneval.py")
        let output = try await ChildProcess.collect(ChildCommand(executable: "python3", arguments: [script.path, data.path, "--with-canonical"],
                                                                 environment: ProcessInfo.processInfo.environment))
        let canonical = Dictionary(uniqueKeysWithValues: Data(output.stdout.utf8).split(separator: 0x0A).compactMap { line -> (String, String)? in
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
                  let id = object["task_id"] as? String, let body = object["canonical_solution"] as? String else { return nil }
            return (id, body)
        })
        let executor = try ExecutorFixtures.make()
        for id in ["HumanEval/32", "HumanEval/38", "HumanEval/50"] {
            let task = try #require(tasks.first { $0.id == id })
            #expect(task.preamble == task.prompt)
            guard case .tests(_, let entryPoint?) = task.check else { Issue.record("\(id) has no entry point"); continue }
            // The entry point's own signature line from the prompt, then the canonical body: a reply
            // that defines only the function asked for, and calls the prompt's helper.
            let signature = try #require(task.prompt.split(separator: "\n").first { $0.hasPrefix("def \(entryPoint)(") })
            let reply = "```python\n\(signature)\n\(try #require(canonical[id]))```"
            let candidate = task.candidate(from: reply)
            #expect(await EvalScoring.passes(candidate, task: task, executor: executor), "\(id)")
            let withoutPrompt = TestSuite.implementation(of: task.completion(in: candidate))
            var bare = task
            bare.preamble = ""
            #expect(await !EvalScoring.passes(withoutPrompt, task: bare, executor: executor), "\(id) needs the prompt's helper")
        }
        await executor.shutdown()
    }
}
