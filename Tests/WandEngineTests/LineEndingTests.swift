import Testing
@testable import WandEngine

@Suite("CRLF line ends in plans, goals' asserts and test candidates")
struct LineEndingTests {
    static func crlf(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\r\n") }

    @Test("a plan written with CRLF line ends gives the same steps as with LF")
    func plan() {
        let reply = "Plan:\n1. Read the numbers\n2) Sum them\n- Print the sum\n"
        #expect(PlanStrategy.parsePlan(Self.crlf(reply)) == ["Read the numbers", "Sum them", "Print the sum"])
        #expect(PlanStrategy.parsePlan(Self.crlf(reply)) == PlanStrategy.parsePlan(reply))
    }

    @Test("asserts in a goal typed with CRLF line ends become the tests, one per line")
    func goalAsserts() throws {
        let goal = "Write f so that:\nassert f(1) == 2\n  assert f(2) == 3\n"
        let suite = try #require(TDDStrategy.suiteFromGoal(Self.crlf(goal)))
        #expect(suite.source == "assert f(1) == 2\nassert f(2) == 3")
        #expect(suite == TDDStrategy.suiteFromGoal(goal))
    }

    @Test("a candidate with CRLF line ends keeps its definitions and drops its own checks, as with LF")
    func candidate() {
        let candidate = "import math\ndef f(x):\n    return x + 1\n\nassert f(1) == 2\nprint(f(2))\n"
        #expect(TestSuite.implementation(of: Self.crlf(candidate)) == "import math\ndef f(x):\n    return x + 1")
        #expect(TestSuite.implementation(of: Self.crlf(candidate)) == TestSuite.implementation(of: candidate))
    }
}
