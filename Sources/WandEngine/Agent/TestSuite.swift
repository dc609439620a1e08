public import Foundation

/// Tests a candidate must pass: Python asserts or pytest-style `test_*` functions.
public struct TestSuite: Sendable, Equatable {
    /// The Python source of the tests.
    public var source: String
    /// Where they came from (a file path, `goal`, `docstring`).
    public var origin: String
    /// Code every candidate starts with (imports, or a HumanEval prompt with its helper functions).
    public var preamble: String

    /// Creates a suite.
    public init(source: String, origin: String, preamble: String = "") {
        self.source = source
        self.origin = origin
        self.preamble = preamble
    }

    /// Loads a test file; a file with neither asserts nor test functions is an error.
    public static func load(_ url: URL) throws -> TestSuite {
        let source: String
        do {
            source = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ModelError.configuration("cannot read the test file \(url.path): \(error.localizedDescription)")
        }
        guard source.contains("assert") || source.contains("def test") else {
            throw ModelError.configuration("\(url.path) holds no tests: write Python `assert` lines or `def test_…():` functions")
        }
        return TestSuite(source: source, origin: url.path)
    }

    /// Where the suite is staged in the workspace: one file per distinct test source.
    public var stagedPath: String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in source.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return ".wand/tests-\(String(hash, radix: 16).prefix(8)).py"
    }

    /// The candidate followed by one line that runs the staged tests in the kernel's harness.
    public func program(candidate: String) -> String {
        withPreamble(Self.implementation(of: withoutPreamble(candidate)))
            + "\n\n# Wand: run the tests in \(stagedPath)\n__wand_run_tests(\"\(stagedPath)\", globals())\n"
    }

    /// The code with the preamble in front, unless it already starts with it. The preamble is kept
    /// whole (not merged line by line): for HumanEval it is the prompt, whose docstring lines a
    /// candidate may repeat, and whose helper functions the candidate may redefine (the later
    /// definition wins, as in `prompt + completion`).
    public func withPreamble(_ code: String) -> String {
        guard !preamble.isEmpty, !code.hasPrefix(preamble) else { return code }
        return (preamble.hasSuffix("\n") ? preamble : preamble + "\n") + "\n" + code
    }

    /// The code after the preamble, when it starts with it.
    func withoutPreamble(_ code: String) -> String {
        guard !preamble.isEmpty, code.hasPrefix(preamble) else { return code }
        return String(code.dropFirst(preamble.count))
    }

    /// The candidate's implementation: the top-level definitions, imports, decorators and simple
    /// assignments, with their bodies. Top-level calls, asserts, prints and `if __name__ == "__main__":`
    /// blocks are dropped: models add their own checks there, and a failing one would stop the program
    /// before the suite counts a single test.
    public static func implementation(of candidate: String) -> String {
        var lines: [Substring] = []
        var keeping = true
        for line in candidate.lines() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let continuation = trimmed.isEmpty || (line.first?.isWhitespace ?? true)
                || trimmed.first.map { ")]}".contains($0) } == true
            if !continuation { keeping = keepsTopLevel(trimmed) }
            if keeping { lines.append(line) }
        }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    private static let keptStatementStarts = ["def ", "async def ", "class ", "import ", "from ", "@", "#",
                                              "\"\"\"", "'''", "try:", "except", "finally:", "else:"]

    private static func keepsTopLevel(_ statement: String) -> Bool {
        if keptStatementStarts.contains(where: statement.hasPrefix) { return true }
        guard let equals = statement.firstIndex(of: "="),
              statement[statement.index(after: equals)...].first != "=" else { return false }
        let target = statement[..<equals].trimmingCharacters(in: .whitespaces)
        return !target.isEmpty && target.allSatisfy { $0.isLetter || $0.isNumber || "_, :[]".contains($0) }
    }

    /// The results of a run of ``program(candidate:)``, if the harness reported any.
    public static func results(of result: ExecFinished) -> TestResults? {
        result.tests.map { TestResults(cases: $0) }
    }
}

/// The outcome of running a test suite.
public struct TestResults: Sendable, Equatable {
    /// One test.
    public typealias Case = TestCaseResult

    /// Every case, in order.
    public var cases: [Case]

    /// Wraps cases.
    public init(cases: [Case]) { self.cases = cases }

    /// Cases that passed.
    public var passed: Int { cases.count(where: { $0.error == nil }) }
    /// Cases that failed.
    public var failed: [Case] { cases.filter { $0.error != nil } }
    /// Whether there was at least one case and all passed.
    public var allPassed: Bool { !cases.isEmpty && failed.isEmpty }

    /// A short report for the model: which tests failed and why.
    public var feedback: String {
        if allPassed { return "All \(cases.count) tests pass." }
        var lines = ["\(failed.count) of \(cases.count) tests fail:"]
        for failure in failed.prefix(6) {
            let error = failure.error ?? ""
            let assertion = failure.name.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if error.hasPrefix("AssertionError: "), !assertion.isEmpty, error.contains(assertion) {
                lines.append("- " + error.dropFirst("AssertionError: ".count))
            } else {
                lines.append("- \(failure.name): \(error)")
            }
        }
        if failed.count > 6 { lines.append("- … and \(failed.count - 6) more") }
        return lines.joined(separator: "\n")
    }
}
