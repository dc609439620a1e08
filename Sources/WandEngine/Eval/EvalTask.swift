public import Foundation

/// One benchmark problem.
public struct EvalTask: Sendable, Equatable {
    /// What is judged.
    public enum Check: Sendable, Equatable {
        /// Hidden tests (Python asserts, or HumanEval's `check(candidate)` with an entry point).
        case tests(source: String, entryPoint: String?)
        /// An expected answer, matched after normalising white space, case and number formats.
        case answer(String)
    }

    /// The task's identifier.
    public var id: String
    /// The prompt the model gets.
    public var prompt: String
    /// How the result is scored (never shown to the agent).
    public var check: Check
    /// Tests the agent may see and use (from the prompt's examples, or the task file's `visible_tests`).
    public var visibleTests: String?
    /// Code every candidate starts with, in the sandbox and when scored: a HumanEval prompt whole (its
    /// imports and helper functions), or a task file's `preamble`.
    public var preamble: String
    /// A category for the report's per-kind breakdown (`dates`, `geometry`, …), if the file gives one.
    public var kind: String?

    /// Creates a task.
    public init(id: String, prompt: String, check: Check, visibleTests: String? = nil, preamble: String = "", kind: String? = nil) {
        self.id = id
        self.prompt = prompt
        self.check = check
        self.visibleTests = visibleTests
        self.preamble = preamble
        self.kind = kind
    }

    /// Whether the answer is code judged by tests (rather than an answer judged by matching).
    public var isCode: Bool { if case .tests = check { true } else { false } }

    /// The goal given to the agent.
    public var goal: String {
        guard isCode else { return prompt }
        return "Complete this Python function. Reply with the whole function (and the imports it needs) in one ```python code block.\n```python\n\(prompt.trimmingCharacters(in: .newlines))\n```"
    }

    /// A fingerprint (FNV-1a, 64 bits, hex) of the tasks' content: ids, prompts, checks, visible tests,
    /// preambles and kinds, in order. It tells copies of a benchmark apart by accident, not by design:
    /// it is no defence against a file crafted to collide.
    public static func digest(_ tasks: [EvalTask]) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        func mix(_ text: String) {
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
            hash = (hash ^ 0xFF) &* 1_099_511_628_211
        }
        for task in tasks {
            mix(task.id)
            mix(task.prompt)
            switch task.check {
            case .tests(let source, let entryPoint):
                mix("tests")
                mix(source)
                mix(entryPoint ?? "")
            case .answer(let expected):
                mix("answer")
                mix(expected)
            }
            mix(task.visibleTests ?? "")
            mix(task.preamble)
            mix(task.kind ?? "")
        }
        return String(hash, radix: 16)
    }

    /// The visible tests as a suite, if there are any.
    public var suite: TestSuite? {
        guard let visibleTests, !visibleTests.isEmpty else { return nil }
        return TestSuite(source: visibleTests, origin: "examples in the prompt", preamble: preamble)
    }
}

/// A task file line could not be used.
public struct TaskFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The 1-based line.
    public var line: Int
    /// What is wrong.
    public var reason: String

    /// `file:line: reason`.
    public var description: String { "\(file):\(line): \(reason)" }
}

/// Reads benchmark tasks: Wand's generic JSON Lines format (docs/EVAL_FORMAT.md), or HumanEval.
public enum TaskFile {
    /// Parses the generic format; every bad line is reported with its number (all of them, not just the first).
    public static func parse(_ text: String, file: String) -> (tasks: [EvalTask], errors: [TaskFileError]) {
        var tasks: [EvalTask] = []
        var errors: [TaskFileError] = []
        var seen: Set<String> = []
        for (index, line) in text.lines().enumerated() {
            let number = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("//") { continue }
            func fail(_ reason: String) { errors.append(TaskFileError(file: file, line: number, reason: reason)) }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                fail("not a JSON object")
                continue
            }
            let known: Set<String> = ["id", "prompt", "tests", "answer", "entry_point", "visible_tests", "preamble", "kind"]
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                fail("unknown field `\(unknown)`; fields are \(known.sorted().joined(separator: ", "))")
                continue
            }
            guard let id = object["id"] as? String ?? (object["id"] as? Int).map(String.init), !id.isEmpty else {
                fail("missing field `id` (a string)")
                continue
            }
            guard let prompt = object["prompt"] as? String, !prompt.isEmpty else {
                fail("missing field `prompt` (a string)")
                continue
            }
            guard seen.insert(id).inserted else {
                fail("duplicate id `\(id)`")
                continue
            }
            let tests = object["tests"] as? String
            let answer = object["answer"].flatMap { value -> String? in
                if let text = value as? String { return text }
                if let number = value as? NSNumber { return number.stringValue }
                return nil
            }
            if (tests == nil) == (answer == nil) {
                fail("give exactly one of `tests` (Python asserts that score the answer) or `answer` (the expected answer)")
                continue
            }
            let check: EvalTask.Check = tests.map { .tests(source: $0, entryPoint: object["entry_point"] as? String) }
                ?? .answer(answer!)
            tasks.append(EvalTask(id: id, prompt: prompt, check: check, visibleTests: object["visible_tests"] as? String,
                                  preamble: object["preamble"] as? String ?? "", kind: object["kind"] as? String))
        }
        return (tasks, errors)
    }

    /// Loads HumanEval through `wand_humaneval.py` (which extracts each prompt's examples as visible tests).
    public static func humanEval(data: URL, python: String = "python3") async throws -> [EvalTask] {
        let script = WandResourcesLocator.python.appendingPathComponent("wand_humaneval.py")
        let output = try await ChildProcess.collect(ChildCommand(executable: python, arguments: [script.path, data.path],
                                                                 environment: ProcessInfo.processInfo.environment))
        guard output.succeeded else {
            throw ModelError.configuration("cannot read HumanEval from \(data.path): \(output.stderr.suffix(400))")
        }
        return Data(output.stdout.utf8).split(separator: 0x0A).compactMap { line -> EvalTask? in
            guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any],
                  let id = object["task_id"] as? String, let prompt = object["prompt"] as? String,
                  let entry = object["entry_point"] as? String, let test = object["test"] as? String else { return nil }
            let visible = (object["visible_tests"] as? [String] ?? []).joined(separator: "\n")
            // The standard protocol scores `prompt + completion`: the whole prompt stays in front of
            // every candidate, so helpers it defines (`poly`, `encode_cyclic`, …) exist for the tests.
            return EvalTask(id: id, prompt: prompt, check: .tests(source: test, entryPoint: entry),
                            visibleTests: visible.isEmpty ? nil : visible, preamble: prompt)
        }
    }
}
