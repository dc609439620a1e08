/// Every prompt Wand sends, in one place. Written for small local models: short, concrete, and
/// always asking for one fenced code block, which they produce reliably.
enum Prompts {
    static let codeActSystem = """
        You solve tasks by writing and running Python code, one step at a time.
        In each reply, write one short sentence, then exactly one ```python code block.
        The code runs in a persistent Python session: variables and imports are kept between steps.
        Always print() the values you need to see; you will get the output back.
        When the output answers the task, reply with one line: Final Answer: <the answer>
        """

    static func codeActObservation(_ observation: String, succeeded: Bool) -> String {
        let next = succeeded
            ? "If this output answers the task, reply with `Final Answer: <answer>`. Otherwise write the next ```python block."
            : "Find the mistake and reply with a corrected ```python block."
        return "Observation:\n\(observation)\n\n\(next)"
    }

    static let formatReminder = "Reply with one ```python code block, or with `Final Answer: <answer>` when you know it."

    static let codeActKickoff = "\n\nStart with one ```python code block that computes what you need and prints it."

    static func repeatedFailure(_ error: String) -> String {
        "You sent the same code again, and it fails the same way (\(error)). Do not repeat it: change the code to fix that error."
    }

    static let palSystem = """
        Write one complete Python program that computes the answer to the question and prints it with print().
        Reply with only the program in one ```python code block.
        """

    /// For programs that vote: the answer alone on the last line, so answers of several programs compare.
    /// The request is repeated in the user turn (``programTask(_:)``): asked only in the system prompt,
    /// the 0.5B model answered short questions in words (a guess) instead of code in 1 of 3 cases, and
    /// solved 14 of 48 development goals against 20 of 48 with the request in both (docs/STRATEGIES.md).
    static let programSystem = """
        Write one complete Python program that computes the answer to the question.
        Put any data given in the question into the program itself; use only the Python standard library.
        The program must print the final answer alone on its last line with print().
        Reply with only the program in one ```python code block.
        """

    static func programTask(_ goal: String) -> String {
        "\(goal)\n\nWrite a Python program that computes the answer and prints it."
    }

    static func programRepair(_ feedback: String) -> String {
        "It failed:\n\(feedback)\n\nReply with the corrected complete program in one ```python code block."
    }

    static func palRepair(_ feedback: String) -> String {
        "The program did not work:\n\(feedback)\n\nReply with the corrected complete program in one ```python code block."
    }

    static let planSystem = """
        Break the task into 2 to 5 short, concrete steps that can each be done with a little Python code.
        Reply with a numbered list only: one step per line, no code.
        """

    static func planStep(goal: String, plan: [PlanStep], index: Int, results: [String]) -> String {
        var text = "Task: \(goal)\n\nPlan:\n"
        for (number, step) in plan.enumerated() { text += "\(number + 1). \(step.title)\n" }
        if !results.isEmpty {
            text += "\nDone so far (the Python session keeps their variables):\n" + results.joined(separator: "\n") + "\n"
        }
        text += "\nNow do step \(index + 1): \(plan[index].title)\nWrite one ```python code block for this step and print its result."
        return text
    }

    static func planRevision(goal: String, failedStep: String, failure: String) -> String {
        "Task: \(goal)\n\nThe step \"\(failedStep)\" failed:\n\(failure)\n\nWrite a new plan for the rest of the task as a numbered list, one step per line, no code."
    }

    static func planAnswer(goal: String, results: [String]) -> String {
        "Task: \(goal)\n\nResults of the steps:\n" + results.joined(separator: "\n")
            + "\n\nReply with one line: Final Answer: <the answer to the task>"
    }

    static let tddSystem = """
        Write Python code that makes the given tests pass.
        Reply with the complete code (functions and imports, no tests) in one ```python code block.
        """

    static func tddTask(goal: String, tests: TestSuite) -> String {
        "\(goal)\n\nThese tests must pass:\n```python\n\(tests.source.trimmingCharacters(in: .whitespacesAndNewlines))\n```"
    }

    static func tddRepair(goal: String, tests: TestSuite, code: String, feedback: String) -> String {
        tddTask(goal: goal, tests: tests)
            + "\n\nThis code does not pass them yet:\n```python\n\(code)\n```\n\(feedback)\n\n"
            + "Change the code so that every test passes. Reply with the complete corrected code in one ```python code block."
    }

    /// The temperature for repairs: a little randomness keeps small models from resubmitting the same code.
    static let repairTemperature = 0.7

    static let testWriterSystem = """
        Write 3 to 5 Python assert statements that check a correct solution of the task.
        Use the function names the task gives. Reply with only the asserts in one ```python code block.
        """

    static let reflectionSystem = "You review a failed attempt at a programming task and state the lesson in one or two sentences."

    static func reflectionTask(goal: String, failure: String) -> String {
        "Task: \(goal)\n\nWhat happened:\n\(failure)\n\nIn one or two sentences: what went wrong, and what will you do differently next time?"
    }

    /// Lessons from reflection as a paragraph appended to a prompt (empty when there are none).
    static func lessons(_ learned: [String]) -> String {
        guard !learned.isEmpty else { return "" }
        return "\n\nLessons from your earlier attempts:\n" + learned.map { "- " + $0 }.joined(separator: "\n")
    }

    /// The goal as the first user message; the last three runs of the session come first, since the
    /// Python session still holds what they computed.
    static func goal(_ goal: String, earlierRuns: [(goal: String, answer: String)]) -> String {
        guard !earlierRuns.isEmpty else { return goal }
        let history = earlierRuns.suffix(3).map { "- \($0.goal) → \($0.answer)" }.joined(separator: "\n")
        return "Earlier in this session (the Python session still holds their variables):\n\(history)\n\nNew task: \(goal)"
    }

    /// The MCP tools the code can call, appended to a system prompt; empty without tools, so the
    /// prompts small models get stay exactly as they are.
    static func tools(_ signatures: [String]) -> String {
        guard !signatures.isEmpty else { return "" }
        return "\n\nThe code can also call these tools (`import tools` first); each returns its result, "
            + "or raises tools.ToolError:\n" + signatures.map { "- " + $0 }.joined(separator: "\n")
    }

    static let skippedByUser = "The user did not allow this code to run. Try a different approach or answer without it."

    static let printedNothing = "The program ran but printed nothing. It must print the answer with print()."

    /// A fresh prompt to repair a program drawn for a vote: the goal, the code, and why it failed.
    static func programRepairTask(goal: String, code: String, feedback: String) -> String {
        "\(goal)\n\nThis program does not work:\n```python\n\(code)\n```\n" + programRepair(feedback)
    }
}
