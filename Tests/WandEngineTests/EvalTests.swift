import Foundation
import Testing
@testable import WandEngine
import WandTestSupport

@Suite("Eval", .serialized)
struct EvalTests {
    static func result(_ task: String, _ strategy: String, _ passed: Bool, attempts: Int = 1, tokens: Int = 100,
                       seconds: Double = 2) -> EvalResult {
        EvalResult(task: task, strategy: strategy, passed: passed, attempts: attempts, modelCalls: 1, tokens: tokens,
                   seconds: seconds, status: passed ? "answered" : "failed", session: "s")
    }

    @Test("report maths: pass@1, mean attempts, tokens per solved, time, and who solved what")
    func reportMaths() {
        let results = [
            Self.result("t1", "direct", true, attempts: 0, tokens: 100, seconds: 1),
            Self.result("t2", "direct", false, attempts: 0, tokens: 100, seconds: 1),
            Self.result("t3", "direct", true, attempts: 0, tokens: 100, seconds: 1),
            Self.result("t4", "direct", false, attempts: 0, tokens: 100, seconds: 1),
            Self.result("t1", "best", true, attempts: 1, tokens: 200, seconds: 3),
            Self.result("t2", "best", true, attempts: 3, tokens: 600, seconds: 5),
            Self.result("t3", "best", false, attempts: 4, tokens: 800, seconds: 6),
            Self.result("t4", "best", true, attempts: 2, tokens: 400, seconds: 4),
        ]
        let summaries = EvalReport.summaries(results)
        #expect(summaries.map(\.strategy) == ["direct", "best"])
        #expect(summaries[0].passAt1 == 50)
        #expect(summaries[1].passAt1 == 75)
        #expect(summaries[0].meanAttempts == 0)
        #expect(summaries[1].meanAttempts == 2.5)
        #expect(summaries[0].tokensPerSolved == 200)
        #expect(summaries[1].tokensPerSolved == 2000.0 / 3)
        #expect(summaries[1].seconds == 18)
        #expect(EvalReport.solvedOnlyBy("best", not: "direct", in: results) == ["t2", "t4"])
        #expect(EvalReport.solvedOnlyBy("direct", not: "best", in: results) == ["t3"])
        let markdown = EvalReport.markdown(title: "x", results: results, details: ["model": "m"])
        #expect(summaries[1].medianSeconds == 4.5)
        #expect(markdown.contains("| direct | 4 | 2 | 50.0% | 0.00 | 200 | 1.0 | 4s |"))
        #expect(markdown.contains("| best | 4 | 3 | 75.0% | 2.50 | 667 | 4.5 | 18s |"))
        #expect(markdown.contains("`best` against `direct`: +25.0 points of pass@1. Median time 4.5× `direct`'s."))
        #expect(markdown.contains("Solved by `best` but not `direct` (2): t2, t4"))
        #expect(EvalReport.summaries([]).isEmpty)
        #expect(EvalReport.summaries([Self.result("a", "direct", false)])[0].tokensPerSolved == nil)
    }

    @Test("the task-file parser reads good lines and reports every bad one with its number")
    func taskFile() {
        let text = """
            {"id": "add", "prompt": "Write add(a, b).", "tests": "assert add(1, 2) == 3", "visible_tests": "assert add(0, 0) == 0"}
            {"id": "q", "prompt": "What is 2**10?", "answer": 1024}
            not json
            {"id": "x", "tests": "assert True"}
            {"id": "y", "prompt": "p", "tests": "assert True", "answer": "1"}
            {"id": "add", "prompt": "again", "answer": "1"}
            {"id": "z", "prompt": "p", "answr": "1"}

            {"prompt": "no id", "answer": "1"}
            """
        let (tasks, errors) = TaskFile.parse(text, file: "tasks.jsonl")
        #expect(tasks.map(\.id) == ["add", "q"])
        #expect(tasks[0].check == .tests(source: "assert add(1, 2) == 3", entryPoint: nil))
        #expect(tasks[0].suite?.source == "assert add(0, 0) == 0")
        #expect(tasks[1].check == .answer("1024"))
        #expect(errors.map(\.line) == [3, 4, 5, 6, 7, 9])
        #expect(errors[0].description == "tasks.jsonl:3: not a JSON object")
        #expect(errors[1].reason == "missing field `prompt` (a string)")
        #expect(errors[2].reason.hasPrefix("give exactly one of `tests`"))
        #expect(errors[3].reason == "duplicate id `add`")
        #expect(errors[4].reason.hasPrefix("unknown field `answr`"))
        #expect(errors[5].reason == "missing field `id` (a string)")
    }

    @Test("a task file with CRLF line ends reads like one with LF")
    func crlfTaskFile() {
        let text = "{\"id\": \"a\", \"prompt\": \"p\", \"answer\": \"1\"}\r\nnot json\r\n{\"id\": \"b\", \"prompt\": \"q\", \"answer\": 2}\r\n"
        let (tasks, errors) = TaskFile.parse(text, file: "tasks.jsonl")
        #expect(tasks.map(\.id) == ["a", "b"])
        #expect(errors.map(\.line) == [2])
    }

    @Test("answers match across number formats and white space, not by accident")
    func answerMatching() {
        #expect(EvalScoring.matches("80.0", expected: "80"))
        #expect(EvalScoring.matches(" Paris. ", expected: "paris"))
        #expect(EvalScoring.matches("The answer is 832040", expected: "832040"))
        #expect(EvalScoring.matches("1,024", expected: "1024"))
        #expect(!EvalScoring.matches("8320400", expected: "832040"))
        #expect(!EvalScoring.matches("81", expected: "80"))
    }

    static let tasks = [
        EvalTask(id: "T/0", prompt: "def double(x):\n    \"\"\"Twice x.\n    >>> double(2)\n    4\n    \"\"\"\n",
                 check: .tests(source: "def check(candidate):\n    assert candidate(3) == 6  # HIDDEN-MARKER-0\n", entryPoint: "double"),
                 visibleTests: "assert double(2) == 4"),
        EvalTask(id: "T/1", prompt: "def inc(x):\n    \"\"\"x plus one.\"\"\"\n",
                 check: .tests(source: "def check(candidate):\n    assert candidate(1) == 2  # HIDDEN-MARKER-1\n", entryPoint: "inc")),
        EvalTask(id: "T/2", prompt: "def neg(x):\n    \"\"\"Minus x.\n    >>> neg(1)\n    -1\n    \"\"\"\n",
                 check: .tests(source: "def check(candidate):\n    assert candidate(5) == -5  # HIDDEN-MARKER-2\n", entryPoint: "neg"),
                 visibleTests: "assert neg(1) == -1"),
    ]

    func runner(_ directory: URL, model: any LanguageModel) -> EvalRunner {
        EvalRunner(directory: EvalRunDirectory(url: directory), model: model,
                   settings: AgentSettings(maxSteps: 12, maxRepairs: 1, samples: 2), limits: ExecutionLimits(timeout: 10),
                   parallel: 2) { _ in try ExecutorFixtures.make() }
    }

    static let replies = [
        "```python\ndef double(x):\n    return x * 2\n```",
        "```python\ndef inc(x):\n    return x + 1\n```",
        "```python\ndef neg(x):\n    return x\n```",
    ]

    /// A model that answers each task with its scripted reply (by the function named in the prompt).
    struct TaskModel: LanguageModel {
        let descriptor = ModelDescriptor(profile: "scripted", name: "scripted", baseURL: "memory")
        let delay: Duration

        func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
            let text = request.messages.map(\.content).joined()
            let reply = EvalTests.replies.first { reply in
                ["double", "inc", "neg"].contains { name in text.contains("def \(name)(") && reply.contains("def \(name)(") }
            } ?? "no code"
            let delay = self.delay
            return AsyncThrowingStream { continuation in
                let task = Task {
                    try await Task.sleep(for: delay)
                    continuation.yield(.delta(reply))
                    continuation.yield(.finished(GenerationResult(text: reply, usage: TokenUsage(prompt: 10, completion: 10),
                                                                  firstTokenMs: 1, totalMs: 1, finishReason: "stop")))
                    continuation.finish()
                }
                continuation.onTermination = { _ in task.cancel() }
            }
        }
    }

    @Test("hidden tests score the answers but never appear in any feedback of any eval session")
    func hiddenTestsStayHidden() async throws {
        let directory = try FixtureSessions.temporaryDirectory("eval-hidden")
        let results = try await runner(directory, model: TaskModel(delay: .zero))
            .run(tasks: Self.tasks, strategies: [.direct, .best]) { _ in }
        #expect(results.count == 6)
        let passed = Dictionary(results.map { ("\($0.strategy) \($0.task)", $0.passed) }, uniquingKeysWith: { $1 })
        #expect(passed["direct T/0"] == true)
        #expect(passed["best T/1"] == true)
        #expect(passed["direct T/2"] == false, "neg returns x: the hidden test catches it")
        #expect(passed["best T/2"] == false)
        let sessions = try FileManager.default.subpathsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jsonl") && $0.hasPrefix("sessions/") }
        #expect(sessions.count == 6)
        for path in sessions {
            let events = try SessionReader().load(directory.appendingPathComponent(path)).events
            for record in events {
                switch record.event {
                case .feedbackSent(let feedback): #expect(!feedback.text.contains("HIDDEN-MARKER"), "\(path)")
                case .modelStarted, .modelDelta, .modelFinished, .codeProposed, .execOutput:
                    let line = String(decoding: try EventLineCodec().encodeLine(record), as: UTF8.self)
                    #expect(!line.contains("HIDDEN-MARKER"), "\(path): \(record.event.typeName)")
                default: break
                }
            }
        }
        let report = EvalReport.markdown(title: "t", results: results, details: [:])
        #expect(report.contains("| direct | 3 | 2 |"))
    }

    @Test("an interrupted run keeps its finished results, and resuming redoes none of them")
    func resume() async throws {
        let directory = try FixtureSessions.temporaryDirectory("eval-resume")
        let slow = runner(directory, model: TaskModel(delay: .milliseconds(400)))
        let first = Task { try await slow.run(tasks: Self.tasks, strategies: [.direct, .tdd]) { _ in } }
        while EvalRunDirectory(url: directory).loadResults().count < 2 { try await Task.sleep(for: .milliseconds(50)) }
        first.cancel()
        _ = try? await first.value
        let kept = EvalRunDirectory(url: directory).loadResults()
        #expect(kept.count >= 2 && kept.count < 6)
        let all = try await runner(directory, model: TaskModel(delay: .zero)).run(tasks: Self.tasks, strategies: [.direct, .tdd]) { _ in }
        #expect(all.count == 6)
        let saved = EvalRunDirectory(url: directory).loadResults()
        #expect(saved.count == 6, "no pair was run twice")
        #expect(Set(saved.map { "\($0.strategy) \($0.task)" }).count == 6)
        #expect(Array(saved.prefix(kept.count)) == kept, "earlier results are untouched")
    }

    @Test("the examples extracted from HumanEval's docstrings agree with its canonical solutions", .requires(.humanEval))
    func humanEvalExamples() async throws {
        let data = try #require(Requirement.modelLayout.humanEvalData)
        let script = WandResourcesLocator.python.appendingPathComponent("wand_humaneval.py")
        let process = try await ChildProcess.launch(ChildCommand(executable: "python3", arguments: [script.path, data.path, "--with-canonical"],
                                                                 environment: ProcessInfo.processInfo.environment))
        process.closeInput()
        var text = Data()
        for await chunk in process.output { if case .stdout(let bytes) = chunk { text.append(contentsOf: bytes) } }
        let problems = text.split(separator: 0x0A).compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        #expect(problems.count == 164)
        let executor = try ExecutorFixtures.make()
        var disagreeing: [String] = []
        var withExamples = 0
        for problem in problems {
            let tests = problem["visible_tests"] as? [String] ?? []
            guard !tests.isEmpty else { continue }
            withExamples += 1
            let program = (problem["prompt"] as! String) + (problem["canonical_solution"] as! String) + "\n" + tests.joined(separator: "\n")
            let (_, result) = await executor.run(ExecutionRequest(attempt: 0, language: .python, source: program, fresh: true))
            if !result.succeeded { disagreeing.append(problem["task_id"] as! String) }
        }
        await executor.shutdown()
        #expect(withExamples >= 130, "most problems get visible tests")
        // These three docstrings in HumanEval itself show examples that contradict the canonical solution;
        // the agent sees them as a user would.
        #expect(disagreeing == ["HumanEval/47", "HumanEval/116", "HumanEval/148"])
    }
}
