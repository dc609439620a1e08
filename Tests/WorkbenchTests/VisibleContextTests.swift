import Foundation
import TerminalUI
import Testing
import WandEngine
import WandTestSupport
import Workbench

/// What stays in sight in the live workbench: the run's goal during and after the run, the model's
/// thought with its code, and where the answer came from.
@Suite("Visible context")
struct VisibleContextTests {
    let theme = Theme.fallback
    static let sizes = [Size(width: 40, height: 12), Size(width: 120, height: 40)]
    static let goal = "What is the 30th Fibonacci number (F1 = F2 = 1)? Use code."

    /// A live workbench whose goal was typed and submitted, with the fixture's first `count` events.
    static func submitted(_ size: Size, events count: Int) -> ViewState {
        var state = TestStates.liveIdle(size)
        TestStates.type(&state, goal)
        #expect(TestStates.press(&state, .submit) == [.recordHistory(goal), .startRun(goal: goal)])
        #expect(state.prompt.isBlank)
        let events = FixtureSessions.fibonacci(answerSource: AnswerSource(kind: .program, attempt: 2))
        for record in events.prefix(count) { _ = Reducer.reduce(&state, .event(record)) }
        return state
    }

    @Test("the whole workbench mid-run: the goal above the plan, the model's thought above its code", arguments: sizes)
    func duringRun(size: Size) {
        let frame = WorkbenchRenderer.render(Self.submitted(size, events: 19), theme: theme)
        Snapshot.assertMatches(frame, named: "workbench-live-running-\(RenderSnapshotTests.tag(size))")
        let text = frame.buffer.textLines().joined(separator: "\n")
        #expect(text.contains("Goal"))
        #expect(text.contains("The parenthesis"))
    }

    @Test("after the run: the goal, the answer and where it came from", arguments: sizes)
    func afterRun(size: Size) {
        let state = Self.submitted(size, events: FixtureSessions.fibonacci().count)
        let frame = WorkbenchRenderer.renderPane(.plan, state, theme: theme, size: size)
        Snapshot.assertMatches(frame, named: "pane-plan-answered-\(RenderSnapshotTests.tag(size))")
        let text = frame.buffer.textLines().joined(separator: "\n")
        #expect(text.contains("832040"))
        // At 40×12 the source line is one scroll below.
        if size.height >= 24 { #expect(text.contains("printed by attempt 2")) }
    }

    @Test("a long goal is cut to four lines in the Plan pane, ending with …")
    func longGoal() {
        let lines = PlanPaneProbe.goalLines(String(repeating: "word ", count: 40), width: 20)
        #expect(lines.count == 4)
        #expect(lines.last?.hasSuffix("…") == true)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 20 })
    }
}

/// The Plan pane's goal lines, read from a rendered pane.
enum PlanPaneProbe {
    static func goalLines(_ goal: String, width: Int) -> [String] {
        var state = TestStates.liveIdle(Size(width: width + 2, height: 12))
        _ = Reducer.reduce(&state, .event(EventRecord(seq: 1, time: FixtureSessions.start,
                                                      event: .runStarted(RunStarted(run: 1, goal: goal, strategy: "auto")))))
        let rows = WorkbenchRenderer.renderPane(.plan, state, theme: .fallback, size: Size(width: width + 2, height: 12))
            .buffer.textLines().dropFirst(2).map { String($0.dropFirst().dropLast()) }
        return Array(rows.prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }).map {
            String($0.reversed().drop(while: { $0 == " " }).reversed())
        }
    }
}
