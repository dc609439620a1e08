import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("Session fold")
struct SessionStateTests {
    @Test("folding the fixture gives the whole expected state")
    func foldFixture() {
        let records = FixtureSessions.fibonacci()
        let state = SessionState(folding: records)
        var expected = SessionState()
        expected.started = FixtureSessions.started(goal: "What is the 30th Fibonacci number (F1 = F2 = 1)? Use code.")
        expected.model = expected.started!.model
        expected.settings = expected.started!.settings
        expected.run = 1
        expected.goal = expected.started!.goal
        expected.strategy = "plan"
        expected.plan = [PlanStep(title: "Write a function for Fibonacci numbers", status: .done),
                         PlanStep(title: "Print the 30th number and answer", status: .done)]
        expected.planRevision = 1
        // The proposed code and the first result as the fixture recorded them (not as the fold kept them).
        let proposed = records.compactMap { if case .codeProposed(let code) = $0.event { code.source } else { nil } }
        let firstResult = records.lazy.compactMap { if case .execFinished(let finished) = $0.event { finished } else { nil } }.first
        #expect(proposed.count == 2)
        var first = AttemptState(number: 1, run: 1, language: .python, source: proposed[0], step: 0)
        first.result = firstResult
        first.startedAt = records[9].time
        first.thought = "I will compute it iteratively."
        var second = AttemptState(number: 2, run: 1, language: .python, source: proposed[1], step: 0)
        second.appendOutput(.stdout, "F30 = 832040\n")
        second.appendOutput(.stderr, "note: computed in 30 steps\n")
        second.result = ExecFinished(attempt: 2, exitStatus: 0, value: "832040", durationMs: 9)
        second.startedAt = records[16].time
        second.thought = "The parenthesis was not closed."
        expected.attempts = [first, second]
        expected.modelCall = 2
        expected.modelPurpose = .act
        if case .modelFinished(let finished) = records[14].event { expected.modelText = finished.text }
        expected.modelCallsFinished = 2
        expected.runReplies = records.compactMap { if case .modelFinished(let finished) = $0.event { finished.text } else { nil } }
        expected.feedback = records.compactMap { if case .feedbackSent(let feedback) = $0.event { feedback } else { nil } }
        expected.answer = "832040"
        expected.usage = TokenUsage(prompt: 540, completion: 144)
        expected.totals = SessionTotals(folding: records)
        expected.startTime = records.first?.time
        expected.lastTime = records.last?.time
        expected.runStatus = .answered
        expected.isFinished = true
        expected.eventCount = records.count
        #expect(state == expected)
        #expect(state.attempts[0].result?.error == "SyntaxError: '(' was never closed")
        #expect(!state.isRunning)
    }

    @Test("mid-run the state says what is running")
    func midRun() {
        let records = FixtureSessions.fibonacci()
        let streaming = SessionState(folding: records.prefix(6))
        #expect(streaming.isGenerating)
        #expect(streaming.modelText == "I will compute it ")
        #expect(streaming.isRunning)
        let executing = SessionState(folding: records.prefix(18))
        #expect(executing.activeAttempt?.number == 2)
        #expect(executing.activeAttempt?.output == [OutputChunk(stream: .stdout, text: "F30 = 832040\n")])
    }

    @Test("a new run resets the plan and answer but keeps attempts and usage")
    func secondRun() {
        var records = FixtureSessions.fibonacci()
        records.append(EventRecord(seq: records.count + 1, time: FixtureSessions.start.addingTimeInterval(20),
                                   event: .runStarted(RunStarted(run: 2, goal: "Now F31", strategy: "codeact"))))
        let state = SessionState(folding: records)
        #expect(state.run == 2)
        #expect(state.goal == "Now F31")
        #expect(state.plan.isEmpty)
        #expect(state.answer == nil)
        #expect(state.isRunning)
        #expect(state.attempts.count == 2)
        #expect(state.usage.total == 684)
    }

    @Test("the transcript shows plan, each attempt, its output, feedback and the answer")
    func transcript() {
        let text = TranscriptPrinter.transcript(of: FixtureSessions.fibonacci())
        #expect(text.contains("Goal: What is the 30th Fibonacci number"))
        #expect(text.contains("  1. [ ] Write a function for Fibonacci numbers"))
        #expect(text.contains("Attempt 1 · python · step 1\n  │ def fib(n):"))
        #expect(text.contains("  ⤷ SyntaxError: '(' was never closed · 12 ms"))
        #expect(text.contains("  Output\n  F30 = 832040\n  ! note: computed in 30 steps\n  ⤷ exit 0 · 9 ms\n  value: 832040"))
        #expect(text.contains("Feedback (error)\n  > SyntaxError"))
        #expect(text.contains("Answer\n  832040"))
        #expect(text.contains("Run 1 finished: answered · 2 model calls · 2 executions · 684 tokens · 6.0 s"))
        #expect(!text.contains("```"), "code fences are shown once, as attempts")
    }

    @Test("an attempt holds its latest output, from the start of a line, and counts what it dropped")
    func outputBound() {
        var attempt = AttemptState(number: 1, run: 1, language: .python, source: "", step: nil)
        var written = 0
        var last = ""
        for index in 0..<20_000 {
            last = "line \(index) " + String(repeating: "x", count: index % 97) + "\n"
            attempt.appendOutput(index % 500 == 499 ? .stderr : .stdout, last)
            written += last.utf8.count
            #expect(attempt.outputBytes <= 2 * AttemptState.outputKept)
        }
        #expect(attempt.outputBytes >= AttemptState.outputKept)
        #expect(attempt.outputDropped + attempt.outputBytes == written, "every byte is held or counted as dropped")
        #expect(attempt.output.map(\.text).joined().utf8.count == attempt.outputBytes)
        #expect(attempt.output.first?.text.hasPrefix("line ") == true, "the held output starts at a line")
        #expect(attempt.output.last?.text.hasSuffix(last) == true)

        var withCall = AttemptState(number: 3, run: 1, language: .python, source: "", step: nil)
        withCall.appendOutput(.stdout, "before the call\n")
        withCall.toolCalls.append(ToolCallState(called: ToolCalled(call: 1, attempt: 3, server: "time", tool: "now", arguments: .null,
                                                                   policy: .auto), outputIndex: withCall.output.count))
        withCall.appendOutput(.stdout, "after the call\n")
        #expect(withCall.output.count == 2, "output after a tool call starts a new chunk")
        for _ in 0..<3 { withCall.appendOutput(.stderr, String(repeating: "e", count: AttemptState.outputKept) + "\n") }
        #expect(withCall.outputDropped > 0)
        #expect(withCall.toolCalls[0].outputIndex == 0, "a call among dropped output shows before what is held")

        var single = AttemptState(number: 2, run: 1, language: .python, source: "", step: nil)
        single.appendOutput(.stdout, String(repeating: "é", count: AttemptState.outputKept * 2))
        #expect(single.outputBytes <= 2 * AttemptState.outputKept, "one line with no newline is cut too")
        #expect(single.output[0].text.unicodeScalars.allSatisfy { $0 == "é" }, "cut on a character boundary")
    }
}
