import Foundation

/// Judges an answer against a task's hidden check. Runs outside the agent's session: nothing of the
/// hidden tests ever reaches the model or the session's feedback.
public enum EvalScoring {
    /// Seconds the hidden tests may run.
    public static let timeout = 15.0

    /// Whether the answer passes.
    public static func passes(_ answer: String?, task: EvalTask, executor: any Executor) async -> Bool {
        guard let answer, !answer.isEmpty else { return false }
        switch task.check {
        case .answer(let expected):
            return matches(answer, expected: expected)
        case .tests:
            let token = completionToken()
            let (output, result) = await executor.run(ExecutionRequest(attempt: 0, language: .python,
                                                                       source: program(answer, task: task, token: token),
                                                                       fresh: true, timeout: timeout))
            let stdout = output.filter { $0.stream == .stdout }.map(\.text).joined()
            return testsPassed(result, stdout: stdout, token: token)
        }
    }

    /// The program that scores a code answer: the task's preamble (for HumanEval, the whole prompt, so
    /// the helper functions it defines exist; later definitions override earlier ones), the answer, the
    /// hidden tests, the call of `check` when there is an entry point, and last a line printing `token`.
    public static func program(_ answer: String, task: EvalTask, token: String) -> String {
        guard case .tests(let source, let entryPoint) = task.check else { return answer }
        var program = TestSuite(source: "", origin: "", preamble: task.preamble).withPreamble(answer) + "\n\n" + source + "\n"
        if let entryPoint { program += "\ncheck(\(entryPoint))\n" }
        return program + "\nprint(\"\(token)\")\n"
    }

    /// Whether a run of ``program(_:task:token:)`` passed: it ended with status 0 and printed the
    /// token, which only happens when every test before it ran to the end. An exit status alone is not
    /// enough: `exit()` or `SystemExit(0)` raised anywhere (in the answer, or inside `check`) ends the
    /// program with status 0 before the remaining asserts run.
    public static func testsPassed(_ result: ExecFinished, stdout: String, token: String) -> Bool {
        result.succeeded && stdout.contains(token)
    }

    /// A fresh random token: the answer cannot print it by chance or by knowing it in advance.
    static func completionToken() -> String {
        "wand-tests-completed-" + (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 16) }.joined()
    }

    /// Whether an answer matches the expected one: equal after folding case and white space, numbers
    /// compared as numbers (so `80.0` matches `80`), or the expected value standing alone in the
    /// answer's last line ("The answer is 42"). Only the last line counts, and a number must be the
    /// only number in it, so output that lists several values does not pass by containing the right one.
    public static func matches(_ answer: String, expected: String) -> Bool {
        let lines = answer.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let last = lines.last else { return false }
        if matchesLine(answer, expected: expected) { return true }
        return lines.count > 1 && matchesLine(last, expected: expected)
    }

    private static func matchesLine(_ answer: String, expected: String) -> Bool {
        let normalize = { (text: String) -> String in
            text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
                .trimmingCharacters(in: CharacterSet(charactersIn: ".。"))
        }
        let given = normalize(answer)
        let wanted = normalize(expected)
        if given == wanted { return true }
        if let left = Double(given.replacingOccurrences(of: ",", with: "")),
           let right = Double(wanted.replacingOccurrences(of: ",", with: "")) {
            return abs(left - right) <= 1e-9 * max(1, abs(right))
        }
        guard !given.contains("\n"), given.count <= 200 else { return false }
        let tokens = given.replacingOccurrences(of: ",", with: "")
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "." && $0 != "-" })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
        guard let wantedNumber = Double(wanted.replacingOccurrences(of: ",", with: "")) else {
            return tokens.contains(wanted) || " \(given) ".contains(" \(wanted) ")
        }
        let numbers = tokens.compactMap(Double.init)
        return numbers.count == 1 && abs(numbers[0] - wantedNumber) <= 1e-9 * max(1, abs(wantedNumber))
    }
}
