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
        case .tests(let source, let entryPoint):
            var program = answer + "\n\n" + source + "\n"
            if let entryPoint { program += "\ncheck(\(entryPoint))\n" }
            let (_, result) = await executor.run(ExecutionRequest(attempt: 0, language: .python, source: program,
                                                                  fresh: true, timeout: timeout))
            return result.succeeded
        }
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
