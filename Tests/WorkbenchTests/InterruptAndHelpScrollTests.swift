import Foundation
import TerminalUI
import Testing
import WandEngine
import WandTestSupport
@testable import Workbench

@Suite("Ctrl-C, help scrolling and interrupted runs")
struct InterruptAndHelpScrollTests {
    let size = Size(width: 120, height: 40)
    let theme = Theme.fallback

    @Test("the interrupt key cancels a running generation, like Esc")
    func interruptCancelsRun() {
        var state = TestStates.live(size, events: 6)
        #expect(state.session.isGenerating)
        #expect(TestStates.press(&state, .interrupt) == [.cancelRun])
        #expect(state.message == "Cancelling…")
        #expect(!state.confirmingQuit, "a press that cancelled something never arms quitting")
    }

    @Test("at idle the interrupt key asks for a second press, which quits; anything between disarms it")
    func interruptTwiceQuits() {
        var state = TestStates.liveIdle(size)
        #expect(TestStates.press(&state, .interrupt).isEmpty)
        #expect(state.message == "Ctrl-C again or Ctrl-Q to quit")
        #expect(TestStates.press(&state, .interrupt) == [.quit])

        state = TestStates.liveIdle(size)
        _ = TestStates.press(&state, .interrupt)
        TestStates.type(&state, "x")
        #expect(!state.confirmingQuit)
        #expect(state.message == nil)
        #expect(TestStates.press(&state, .interrupt).isEmpty, "the next press asks again")
    }

    @Test("End, PgDn, Home and PgUp scroll the help, as the help lists them")
    func helpScrollKeys() throws {
        var state = TestStates.liveIdle(size)
        _ = TestStates.press(&state, .help)
        TestStates.draw(&state)
        let extent = try #require(state.drawnExtents[.help])
        let (total, visible) = (extent.lines, extent.rows)
        #expect(total > visible, "the help is longer than the screen at this size")
        let bottom = total - visible
        let page = visible - 1
        func press(_ key: Key) -> Int? {
            _ = Reducer.reduce(&state, .key(key))
            TestStates.draw(&state)
            return TestStates.shownOffset(.help, state)
        }
        #expect(press(.pageDown) == min(page, bottom))
        #expect(press(.end) == bottom)
        #expect(press(.down) == bottom, "scrolling stops at the end")
        #expect(press(.up) == bottom - 1, "and the first step back moves at once")
        #expect(press(.pageUp) == max(0, bottom - 1 - page))
        #expect(press(.home) == 0)
    }

    @Test("the help scrolled to its end with End")
    func helpAtEndSnapshot() {
        var state = TestStates.liveIdle(size)
        _ = TestStates.press(&state, .help)
        _ = Reducer.reduce(&state, .key(.end))
        Snapshot.assertMatches(WorkbenchRenderer.render(state, theme: theme), named: "overlay-help-end-120x40")
    }

    @Test("a replay of a file cut mid-run ends with the run interrupted and its output kept")
    func replayOfCutFile() {
        let all = FixtureSessions.fibonacci()
        let cut = Array(all.prefix(all.firstIndex { $0.event.typeName == "exec.output" }! + 1))
        var replay = ReplayState(fileName: "cut.jsonl", events: cut)
        var state = ViewState(mode: .replay, size: size, themeNames: TestStates.themeNames)
        state.session = replay.seek(to: cut.count - 1, from: state.session)
        #expect(state.session.isRunning, "before the end, the replay shows the run as it was then")
        state.session = replay.seek(to: cut.count, from: state.session)
        state.replay = replay
        #expect(state.session.runStatus == .interrupted)
        #expect(!state.session.isRunning)
        Snapshot.assertMatches(WorkbenchRenderer.render(state, theme: theme), named: "workbench-replay-interrupted-120x40")

        state.session = replay.seek(to: cut.count - 1, from: state.session)
        #expect(state.session.isRunning, "stepping back from the end shows the run under way again")
    }

    @Test("a resumed session whose run was interrupted shows the partial reply and accepts the next goal")
    func resumedInterruptedRun() {
        let all = FixtureSessions.fibonacci()
        var events = Array(all.prefix(all.firstIndex { $0.event.typeName == "model.delta" }! + 1))
        events.append(EventRecord(seq: events.count + 1, time: events.last!.time,
                                  event: .runFinished(InterruptedRun.closing(events)!)))
        var state = TestStates.liveIdle(size)
        state.session = SessionState(folding: events)
        let frame = WorkbenchRenderer.render(state, theme: theme).buffer.textLines().joined(separator: "\n")
        #expect(frame.contains("Code · model's reply, cut off (call 1)"))
        #expect(frame.contains("I will compute it"))
        #expect(frame.contains("Run interrupted: Wand"))
        #expect(!frame.contains("Thinking…") && !frame.contains("running, Esc cancels"))
        #expect(StatusBar.elapsed(state) == state.session.elapsedSeconds, "no ticking clock")
        TestStates.type(&state, "next")
        #expect(TestStates.press(&state, .submit) == [.recordHistory("next"), .startRun(goal: "next")])
    }
}
