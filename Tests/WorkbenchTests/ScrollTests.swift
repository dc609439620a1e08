import Foundation
import TerminalUI
import Testing
import WandEngine
import WandTestSupport
@testable import Workbench

@Suite("Scrolling: positions in the reducer, clamping in the render")
struct ScrollTests {
    let size = Size(width: 80, height: 24)
    let theme = Theme.fallback

    // MARK: The reducer alone (no renderer runs in these tests)

    @Test("scroll keys move the output pane from the drawn extent; End and reaching the end follow")
    func outputPositionsWithoutRenderer() {
        var state = TestStates.liveIdle(size)
        state.focus = .output
        // The idle output pane holds one line; the extent says 50. The reducer goes by the frame it is
        // told about and never measures content itself.
        _ = Reducer.reduce(&state, .drawn([.output: ScrollExtent(lines: 50, rows: 10)]))
        #expect(state.scroll.output == .end, "a fresh output pane follows its end")
        var seen: [ScrollPosition] = []
        for action in [Action.scrollUp, .pageUp, .scrollTop, .scrollUp, .pageDown] {
            _ = TestStates.press(&state, action)
            seen.append(state.scroll.output)
        }
        #expect(seen == [.line(39), .line(30), .top, .top, .line(9)], "a page is the rows less one; the top stops")
        for _ in 0..<30 { _ = TestStates.press(&state, .scrollDown) }
        #expect(state.scroll.output == .line(39))
        _ = TestStates.press(&state, .scrollDown)
        #expect(state.scroll.output == .end, "reaching the last line follows again")
        _ = TestStates.press(&state, .pageDown)
        #expect(state.scroll.output == .end, "scrolling past the end stays at the end")
        _ = TestStates.press(&state, .scrollUp)
        #expect(state.scroll.output == .line(39), "and the first step back moves at once")
        _ = TestStates.press(&state, .scrollBottom)
        #expect(state.scroll.output == .end)
    }

    @Test("before any frame is drawn, line and page keys keep the position; Home and End still move")
    func nothingDrawnYet() {
        var state = TestStates.liveIdle(size)
        state.focus = .plan
        _ = TestStates.press(&state, .scrollDown)
        _ = TestStates.press(&state, .pageDown)
        #expect(state.scroll.plan == .top)
        _ = TestStates.press(&state, .scrollBottom)
        #expect(state.scroll.plan == .end)
        _ = TestStates.press(&state, .scrollTop)
        #expect(state.scroll.plan == .top)
    }

    @Test("content that fits its rows is at its end wherever a key moves it")
    func contentThatFits() {
        var state = TestStates.liveIdle(size)
        state.focus = .code
        _ = Reducer.reduce(&state, .drawn([.code: ScrollExtent(lines: 4, rows: 10)]))
        _ = TestStates.press(&state, .scrollDown)
        #expect(state.scroll.code == .end)
        _ = TestStates.press(&state, .scrollUp)
        #expect(state.scroll.code == .end, "offset 0 is also the end here")
    }

    @Test("the focused pane scrolls, the help while it is open, and the help opens at its top every time")
    func whichViewScrolls() {
        var state = TestStates.replay(size, position: 0)
        let extents: [ScrollArea: ScrollExtent] = [.plan: ScrollExtent(lines: 30, rows: 5),
                                                    .code: ScrollExtent(lines: 30, rows: 5),
                                                    .help: ScrollExtent(lines: 30, rows: 5)]
        _ = Reducer.reduce(&state, .drawn(extents))
        state.focus = .plan
        _ = TestStates.press(&state, .scrollDown)
        #expect(state.scroll.plan == .line(1))
        #expect(state.scroll.code == .top)
        _ = TestStates.press(&state, .help)
        _ = TestStates.press(&state, .pageDown)
        #expect(state.scroll.help == .line(4))
        #expect(state.scroll.plan == .line(1), "keys under the help do not reach the pane")
        _ = TestStates.press(&state, .help)
        _ = TestStates.press(&state, .help)
        #expect(state.scroll.help == .top)
    }

    @Test("a new run shows plan and code from the top and follows the output; a new attempt keeps a chosen one")
    func positionsFollowEvents() {
        let events = FixtureSessions.fibonacci()
        let secondProposal = events.firstIndex { $0.event.typeName == "code.proposed" && $0.seq > 10 }!
        var base = TestStates.live(size, events: secondProposal)
        base.scroll.plan = .line(3)
        base.scroll.code = .line(5)
        base.scroll.output = .line(2)

        var latest = base
        _ = Reducer.reduce(&latest, .event(events[secondProposal]))
        #expect(latest.scroll.code == .top && latest.scroll.output == .end)
        #expect(latest.scroll.plan == .line(3), "an attempt does not move the plan")

        var chosen = base
        chosen.selectedAttempt = 0
        _ = Reducer.reduce(&chosen, .event(events[secondProposal]))
        #expect(chosen.scroll.code == .line(5) && chosen.scroll.output == .line(2),
                "a new attempt leaves the earlier attempt the user is reading where it was")

        var newRun = chosen
        _ = Reducer.reduce(&newRun, .event(events[1]))
        #expect(newRun.scroll.plan == .top && newRun.scroll.code == .top && newRun.scroll.output == .end)
        #expect(newRun.selectedAttempt == nil)
    }

    @Test("the drawn extents replace the previous ones and change nothing else")
    func drawnChangesOnlyExtents() {
        var state = TestStates.replay(size, position: 12)
        let before = state
        _ = Reducer.reduce(&state, .drawn([.output: ScrollExtent(lines: 9, rows: 3)]))
        _ = Reducer.reduce(&state, .drawn([.plan: ScrollExtent(lines: 2, rows: 3)]))
        #expect(state.drawnExtents == [.plan: ScrollExtent(lines: 2, rows: 3)])
        state.drawnExtents = before.drawnExtents
        #expect(state == before)
    }

    // MARK: Clamping at render time

    /// A live run whose second attempt has printed `count` numbered lines.
    func runWithOutput(lines count: Int) -> ViewState {
        let events = FixtureSessions.fibonacci()
        let secondExec = events.lastIndex { $0.event.typeName == "exec.started" }!
        var state = TestStates.live(size, events: secondExec + 1)
        appendOutput(&state, lines: 1...count)
        state.focus = .output
        return state
    }

    func appendOutput(_ state: inout ViewState, lines: ClosedRange<Int>) {
        for line in lines {
            let record = EventRecord(seq: 1000 + line, time: FixtureSessions.start,
                                     event: .execOutput(ExecOutput(attempt: 2, stream: .stdout, chunk: "output line \(line)\n")))
            _ = Reducer.reduce(&state, .event(record))
        }
    }

    func outputRows(_ state: ViewState) -> [String] {
        let layout = WorkbenchRenderer.layout(for: state)!
        let lines = WorkbenchRenderer.render(state, theme: theme).buffer.textLines()
        let inner = layout.output.inset(by: 1)
        return (inner.y..<inner.maxY).map { y in
            String(lines[y].dropFirst(inner.x).prefix(inner.width)).trimmingCharacters(in: .whitespaces)
        }
    }

    @Test("the render reports each scrolling view's lines and rows; a too-small terminal reports none")
    func extentsOfAFrame() {
        var state = runWithOutput(lines: 40)
        let rendered = WorkbenchRenderer.draw(state, theme: theme)
        let layout = WorkbenchRenderer.layout(for: state)!
        let rows = layout.output.inset(by: 1).height
        #expect(rendered.scrollExtents[.output] == ScrollExtent(lines: 41, rows: rows), "40 lines and the running line")
        #expect(Set(rendered.scrollExtents.keys) == [.plan, .code, .output])
        #expect(rendered.frame == WorkbenchRenderer.render(state, theme: theme))
        _ = Reducer.reduce(&state, .action(.help))
        #expect(WorkbenchRenderer.draw(state, theme: theme).scrollExtents[.help] != nil)
        state.size = Size(width: 10, height: 4)
        #expect(WorkbenchRenderer.draw(state, theme: theme).scrollExtents.isEmpty)
    }

    @Test("a position past the end is drawn at the end, and a following pane shows new output as it arrives")
    func clampingAndFollowing() {
        var state = runWithOutput(lines: 40)
        let following = WorkbenchRenderer.render(state, theme: theme)
        state.scroll.output = .line(10_000)
        #expect(WorkbenchRenderer.render(state, theme: theme) == following, "clamped to the last line")
        #expect(outputRows(state).last == "▶ running…")
        #expect(following.buffer.textLines().joined().contains("/41"), "the footer counts every line")

        state.scroll.output = .end
        appendOutput(&state, lines: 41...45)
        #expect(outputRows(state).suffix(2) == ["output line 45", "▶ running…"])

        state.scroll.output = .line(3)
        let firstShown = outputRows(state).first
        #expect(firstShown == "output line 4")
        appendOutput(&state, lines: 46...50)
        #expect(outputRows(state).first == firstShown, "a pane scrolled back stays put as output arrives")
    }

    @Test("a line position in content that fits is drawn from the top")
    func shortContent() {
        var state = TestStates.replay(Size(width: 120, height: 40), position: FixtureSessions.fibonacci().count)
        let rendered = WorkbenchRenderer.draw(state, theme: theme)
        #expect(rendered.scrollExtents[.plan]?.maximumOffset == 0 && rendered.scrollExtents[.code]?.maximumOffset == 0)
        let top = rendered.frame
        state.scroll.plan = .line(50)
        state.scroll.code = .line(50)
        #expect(WorkbenchRenderer.render(state, theme: theme) == top)
    }

    @Test("while the model streams, the code pane shows the end of the text whatever its position")
    func streamingPinsCode() {
        var state = TestStates.live(Size(width: 40, height: 12), events: 7)
        state.scroll.code = .top
        let rendered = WorkbenchRenderer.draw(state, theme: theme)
        let extent = rendered.scrollExtents[.code]!
        #expect(extent.lines > extent.rows, "the streamed text is longer than the pane")
        #expect(CodePane.showsStream(state))
        let atTop = rendered.frame
        state.scroll.code = .end
        #expect(WorkbenchRenderer.render(state, theme: theme) == atTop)
    }
}
