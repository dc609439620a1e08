import Foundation
import TerminalUI
import Testing
import WandEngine
import WandTestSupport
@testable import Workbench

@Suite("Reducer")
struct ReducerTests {
    let size = Size(width: 120, height: 40)

    @Test("typing and submitting a goal records history and asks to start a run")
    func submitGoal() {
        var state = TestStates.liveIdle(size)
        TestStates.type(&state, "Sum 1..10 ✓")
        #expect(TestStates.press(&state, .newline).isEmpty)
        TestStates.type(&state, "in Python")
        let effects = TestStates.press(&state, .submit)
        #expect(effects == [.recordHistory("Sum 1..10 ✓\nin Python"), .startRun(goal: "Sum 1..10 ✓\nin Python")])
        var expected = TestStates.liveIdle(size)
        expected.prompt = PromptEditor(history: ["print hello", "Sum 1..10 ✓\nin Python"])
        #expect(state == expected)
    }

    @Test("a blank goal does nothing, and a goal while running is refused with a message")
    func submitRefused() {
        var state = TestStates.liveIdle(size)
        #expect(TestStates.press(&state, .submit).isEmpty)
        state = TestStates.live(size, events: 6)
        TestStates.type(&state, "another")
        #expect(TestStates.press(&state, .submit).isEmpty)
        #expect(state.message == "A run is in progress; Esc cancels it")
        #expect(state.prompt.text == "another")
        #expect(TestStates.press(&state, .cancel) == [.cancelRun])
    }

    @Test("history recall walks back and returns to the draft")
    func history() {
        var state = TestStates.liveIdle(size)
        TestStates.type(&state, "draft")
        _ = TestStates.press(&state, .cursorUp)
        #expect(state.prompt.text == "print hello")
        _ = TestStates.press(&state, .cursorDown)
        #expect(state.prompt.text == "draft")
    }

    @Test("Tab and Shift-Tab cycle focus through the four panes")
    func focusCycle() {
        var state = TestStates.liveIdle(size)
        var seen: [PaneID] = []
        for _ in 0..<4 {
            _ = TestStates.press(&state, .focusNext)
            seen.append(state.focus)
        }
        #expect(seen == [.plan, .code, .output, .prompt])
        _ = TestStates.press(&state, .focusPrevious)
        #expect(state.focus == .output)
    }

    @Test("the help overlay opens, takes keys, and closes")
    func helpOverlay() {
        var state = TestStates.liveIdle(size)
        _ = TestStates.press(&state, .help)
        #expect(state.overlay == .help)
        #expect(state.scroll.help == .top)
        #expect(state.keyContexts == [.help])
        _ = Reducer.reduce(&state, .key(.character("x")))
        #expect(state.prompt.text.isEmpty, "keys do not reach the prompt under the overlay")
        _ = Reducer.reduce(&state, .key(.escape))
        #expect(state.overlay == nil)
    }

    @Test("the global quit keys quit over every overlay, as the help lists them under Everywhere, remapped too",
          arguments: ["ctrl-q", "f10"])
    func quitOverOverlays(quitKey: String) throws {
        let document = try TOMLDocument(source: "[global]\n\"app.quit\" = \"\(quitKey)\"\n", file: "keys.toml")
        let keymap = try Keymap.standard.overriding(with: document)
        let key = try #require(Key(name: quitKey))
        var live = CommandStates.live()
        live.keymap = keymap
        var replay = TestStates.replay(size, position: 3)
        replay.keymap = keymap

        var help = live
        _ = TestStates.press(&help, .help)
        var replayHelp = replay
        _ = TestStates.press(&replayHelp, .help)
        var palette = live
        _ = TestStates.press(&palette, .openPalette)
        var browsing = live
        _ = CommandStates.submit(&browsing, "/sessions")
        _ = Reducer.reduce(&browsing, .sessionsListed(.success(BrowserFixtures.summaries)))
        var filtering = browsing
        _ = TestStates.press(&filtering, .sessionFilter)
        var confirming = browsing
        _ = TestStates.press(&confirming, .sessionDelete)

        let overlays: [(String, ViewState)] = [("help", help), ("replay help", replayHelp), ("palette", palette),
                                               ("session browser", browsing), ("session filter", filtering),
                                               ("delete confirmation", confirming)]
        for (name, state) in overlays {
            #expect(state.overlay != nil, "\(name) is open")
            #expect(HelpOverlay.contexts(state).first == .global, "the help lists quitting under Everywhere")
            var pressed = state
            #expect(Reducer.reduce(&pressed, .key(key)) == [.quit], "\(quitKey) quits over the \(name)")
        }
    }

    @Test("the theme switches at run time through the list")
    func themeSwitch() {
        var state = TestStates.liveIdle(size)
        _ = TestStates.press(&state, .nextTheme)
        #expect(state.themeName == "light")
        _ = TestStates.press(&state, .nextTheme)
        _ = TestStates.press(&state, .nextTheme)
        #expect(state.themeName == "dark")
        #expect(state.message == "Theme: dark")
    }

    @Test("replay steps forward and back one event; back equals a refold from the start")
    func replayStepping() {
        var state = TestStates.replay(size, position: 0)
        for _ in 0..<12 { _ = TestStates.press(&state, .replayForward) }
        #expect(state.replay?.position == 12)
        #expect(state.session == SessionState(folding: FixtureSessions.fibonacci().prefix(12)))
        _ = TestStates.press(&state, .replayBack)
        #expect(state.replay?.position == 11)
        #expect(state.session == SessionState(folding: FixtureSessions.fibonacci().prefix(11)))
        _ = TestStates.press(&state, .replayEnd)
        #expect(state.session == SessionState(folding: FixtureSessions.fibonacci()))
        _ = TestStates.press(&state, .replayStart)
        #expect(state.session == SessionState())
        _ = TestStates.press(&state, .replayBack)
        #expect(state.replay?.position == 0, "stepping back at the start stays there")
    }

    @Test("replay's next step skips streamed text and output")
    func replayNextStep() {
        var state = TestStates.replay(size, position: 4)
        _ = TestStates.press(&state, .replayNextStep)
        #expect(state.replay?.position == 5)
        _ = TestStates.press(&state, .replayNextStep)
        #expect(state.replay?.position == 8, "both model.delta events are passed over")
        _ = TestStates.press(&state, .replayPreviousStep)
        #expect(state.replay?.position == 5)
    }

    @Test("playback follows recorded time scaled by speed and stops at the end")
    func playback() {
        var state = TestStates.replay(size, position: 0)
        let start = Date(timeIntervalSince1970: 100)
        _ = Reducer.reduce(&state, .tick(start))
        _ = TestStates.press(&state, .replayPlayPause)
        #expect(state.replay?.isPlaying == true)
        _ = Reducer.reduce(&state, .tick(start.addingTimeInterval(0.5)))
        #expect(state.replay?.position == 3, "events are 250 ms apart: 0.5 s plays the first three")
        _ = TestStates.press(&state, .replayFaster)
        #expect(state.replay?.speed == 2)
        _ = Reducer.reduce(&state, .tick(start.addingTimeInterval(1.0)))
        #expect(state.replay?.position == 7)
        _ = Reducer.reduce(&state, .tick(start.addingTimeInterval(60)))
        #expect(state.replay?.isAtEnd == true)
        #expect(state.replay?.isPlaying == false)
        #expect(state.session == SessionState(folding: FixtureSessions.fibonacci()))
    }

    @Test("code attempts page back and forth; new events keep a chosen earlier attempt")
    func attemptPaging() {
        var state = TestStates.replay(size, position: FixtureSessions.fibonacci().count)
        state.focus = .code
        #expect(state.shownAttempt?.number == 2)
        _ = Reducer.reduce(&state, .key(.character("[")))
        #expect(state.shownAttempt?.number == 1)
        #expect(state.selectedAttempt == 0)
        _ = Reducer.reduce(&state, .key(.character("[")))
        #expect(state.shownAttempt?.number == 1, "no attempt before the first")
        _ = Reducer.reduce(&state, .key(.character("]")))
        #expect(state.selectedAttempt == nil, "the last attempt means following again")
    }

    @Test("output scrolling stops following and End follows again")
    func outputScrolling() throws {
        var state = TestStates.replay(Size(width: 40, height: 12), position: FixtureSessions.fibonacci().count)
        state.focus = .output
        TestStates.draw(&state)
        let maximum = try #require(state.drawnExtents[.output]).maximumOffset
        #expect(state.scroll.output == .end)
        _ = Reducer.reduce(&state, .key(.up))
        #expect(state.scroll.output != .end)
        let scrolled = state.scroll.output
        _ = Reducer.reduce(&state, .key(.home))
        #expect(state.scroll.output == .line(0))
        #expect(scrolled == .line(maximum - 1) && maximum - 1 > 0)
        _ = Reducer.reduce(&state, .key(.end))
        #expect(state.scroll.output == .end)
    }

    @Test("approval keys turn into decisions; edit moves the code into the prompt")
    func approvals() {
        var state = TestStates.live(size, events: 9)
        _ = Reducer.reduce(&state, .event(EventRecord(seq: 10, time: FixtureSessions.start,
                                                      event: .approvalRequested(ApprovalRequested(attempt: 1)))))
        #expect(state.keyContexts.first == .approval)
        var run = state
        #expect(Reducer.reduce(&run, .key(.character("y"))) == [.decideApproval(attempt: 1, decision: .run, source: nil)])
        _ = Reducer.reduce(&state, .key(.character("e")))
        #expect(state.editingApproval == 1)
        #expect(state.prompt.text.hasPrefix("def fib(n):"))
        _ = Reducer.reduce(&state, .key(.backspace))
        let effects = Reducer.reduce(&state, .key(.enter))
        #expect(effects == [.decideApproval(attempt: 1, decision: .edit, source: String(state.session.attempts[0].source.dropLast()))])
        #expect(state.editingApproval == nil)
    }

    @Test("replay's fork and re-run keys ask for the matching effects at the current position")
    func forkAndRerunEffects() {
        var state = TestStates.replay(size, position: 12)
        #expect(Reducer.reduce(&state, .key(.character("F"))) == [.fork(eventCount: 12)])
        #expect(Reducer.reduce(&state, .key(.character("R"))) == [.rerun])
        var live = TestStates.liveIdle(size)
        live.focus = .plan
        #expect(Reducer.reduce(&live, .action(.replayFork)).isEmpty, "no fork outside a replay")
    }

    @Test("resizing changes the size and nothing else")
    func resize() {
        var state = TestStates.liveIdle(size)
        let before = state
        _ = Reducer.reduce(&state, .resize(Size(width: 10, height: 4)))
        #expect(state.size == Size(width: 10, height: 4))
        state.size = before.size
        #expect(state == before)
    }
}
