import Foundation
import TerminalUI
import Testing
import WandEngine
import WandTestSupport
import Workbench

@Suite("Render snapshots")
struct RenderSnapshotTests {
    static let sizes = [Size(width: 40, height: 12), Size(width: 120, height: 40)]
    let theme = Theme.fallback

    static func tag(_ size: Size) -> String { "\(size.width)x\(size.height)" }

    @Test("the whole workbench, live and idle", arguments: sizes)
    func liveIdle(size: Size) {
        let frame = WorkbenchRenderer.render(TestStates.liveIdle(size), theme: theme)
        Snapshot.assertMatches(frame, named: "workbench-live-idle-\(Self.tag(size))")
        #expect(frame.cursor != nil, "the prompt has focus, so the cursor shows")
    }

    @Test("the whole workbench replaying the fixture to its end", arguments: sizes)
    func replayEnd(size: Size) {
        let state = TestStates.replay(size, position: FixtureSessions.fibonacci().count)
        Snapshot.assertMatches(WorkbenchRenderer.render(state, theme: theme), named: "workbench-replay-end-\(Self.tag(size))")
    }

    @Test("each pane alone, mid-run", arguments: [PaneID.plan, .code, .output], sizes)
    func pane(_ pane: PaneID, size: Size) {
        let state = TestStates.replay(size, position: 19)
        Snapshot.assertMatches(WorkbenchRenderer.renderPane(pane, state, theme: theme, size: size),
                               named: "pane-\(pane.rawValue)-\(Self.tag(size))")
    }

    @Test("the prompt pane with a multi-line Unicode goal", arguments: sizes)
    func promptPane(size: Size) {
        var state = TestStates.liveIdle(size)
        TestStates.type(&state, "Résumé: 計算 the sum of 1..100")
        _ = Reducer.reduce(&state, .action(.newline))
        TestStates.type(&state, "and print it")
        let frame = WorkbenchRenderer.renderPane(.prompt, state, theme: theme, size: size)
        Snapshot.assertMatches(frame, named: "pane-prompt-\(Self.tag(size))")
        #expect(frame.cursor == Point(x: 13, y: 2))
    }

    @Test("the empty prompt names the keys to run a goal, start a command, open the palette and get help, from the keymap")
    func promptPlaceholder() throws {
        func placeholder(_ state: ViewState, width: Int) -> String {
            let frame = WorkbenchRenderer.renderPane(.prompt, state, theme: theme, size: Size(width: width, height: 3))
            return frame.buffer.textLines()[1].dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        }
        let state = TestStates.liveIdle(Size(width: 120, height: 40))
        #expect(placeholder(state, width: 120)
            == "Type a goal and press Enter · / or Ctrl-P for commands · F1 help · Alt-Enter new line")
        #expect(placeholder(state, width: 80) == "Type a goal and press Enter · / or Ctrl-P for commands · F1 help",
                "a part that does not fit whole is left out, not cut")
        #expect(placeholder(state, width: 40) == "Type a goal and press Enter")

        var remapped = state
        remapped.keymap = try Keymap.standard.overriding(with: TOMLDocument(
            source: "[live]\n\"palette.open\" = \"f3\"\n[prompt]\n\"prompt.submit\" = \"ctrl-s\"\n", file: "keys.toml"))
        #expect(placeholder(remapped, width: 120).hasPrefix("Type a goal and press Ctrl-S · / or F3 for commands · "))
    }

    @Test("the code pane while the model streams", arguments: sizes)
    func streaming(size: Size) {
        let state = TestStates.live(size, events: 6)
        Snapshot.assertMatches(WorkbenchRenderer.renderPane(.code, state, theme: theme, size: size),
                               named: "pane-code-streaming-\(Self.tag(size))")
    }

    @Test("the code pane asking for approval", arguments: sizes)
    func approval(size: Size) {
        var state = TestStates.live(size, events: 9)
        _ = Reducer.reduce(&state, .event(EventRecord(seq: 10, time: FixtureSessions.start,
                                                      event: .approvalRequested(ApprovalRequested(attempt: 1)))))
        Snapshot.assertMatches(WorkbenchRenderer.renderPane(.code, state, theme: theme, size: size),
                               named: "pane-code-approval-\(Self.tag(size))")
    }

    @Test("the status bar, live and in replay", arguments: sizes)
    func statusBar(size: Size) {
        let live = TestStates.live(size, events: 19)
        let replay = TestStates.replay(size, position: 19)
        var buffer = Buffer(width: size.width, height: 2)
        for (row, state) in [live, replay].enumerated() {
            let line = WorkbenchRenderer.renderStatusBar(state, theme: theme, width: size.width).buffer
            for x in 0..<size.width { buffer[x, row] = line[x, 0] }
        }
        Snapshot.assertMatches(Frame(buffer: buffer), named: "status-bar-\(Self.tag(size))")
    }

    @Test("without bubblewrap the status bar says why code runs with limits only, live and in a recorded session")
    func statusBarFallback() {
        let size = Size(width: 120, height: 30)
        var live = TestStates.liveIdle(size)
        live.live?.sandbox = SandboxDescriptor(mode: .limitsOnly, detail: "", fallbackReason: "user namespaces unavailable").summary
        var recorded = TestStates.live(size, events: 19)
        recorded.session.started?.sandbox = SandboxDescriptor(mode: .limitsOnly, detail: "", fallbackReason: "bubblewrap not installed")
        for (state, shown) in [(live, "limits-only (user namespaces unavailable)"), (recorded, "limits-only (bubblewrap not installed)")] {
            let text = WorkbenchRenderer.renderStatusBar(state, theme: theme, width: size.width).buffer.textLines().joined()
            #expect(text.contains(shown), "\(text)")
        }
    }

    @Test("the help overlay, generated from the keymap", arguments: sizes)
    func help(size: Size) {
        var state = TestStates.liveIdle(size)
        _ = Reducer.reduce(&state, .action(.help))
        let frame = WorkbenchRenderer.render(state, theme: theme)
        Snapshot.assertMatches(frame, named: "overlay-help-\(Self.tag(size))")
        #expect(frame.cursor == nil)
    }

    @Test("the replay help lists the replay keys", arguments: sizes)
    func replayHelp(size: Size) {
        var state = TestStates.replay(size, position: 3)
        _ = Reducer.reduce(&state, .action(.help))
        Snapshot.assertMatches(WorkbenchRenderer.render(state, theme: theme), named: "overlay-help-replay-\(Self.tag(size))")
    }

    @Test("the welcome offer when no model is installed", arguments: sizes)
    func welcome(size: Size) {
        var state = TestStates.liveIdle(size)
        _ = Reducer.reduce(&state, .showWelcome("No model is configured and the embedded model is not installed."))
        Snapshot.assertMatches(WorkbenchRenderer.render(state, theme: theme), named: "overlay-welcome-\(Self.tag(size))")
    }

    @Test("below the minimum size a notice replaces the panes", arguments: [
        Size(width: 10, height: 4), Size(width: 31, height: 9), Size(width: 40, height: 12), Size(width: 1, height: 1),
    ])
    func tooSmall(size: Size) {
        var state = TestStates.liveIdle(Size(width: 120, height: 40))
        _ = Reducer.reduce(&state, .resize(size))
        let frame = WorkbenchRenderer.render(state, theme: theme)
        #expect(frame.buffer.width == size.width && frame.buffer.height == size.height)
        if size.width < WorkbenchLayout.minimumSize.width || size.height < WorkbenchLayout.minimumSize.height {
            Snapshot.assertMatches(frame, named: "too-small-\(Self.tag(size))")
            #expect(frame.cursor == nil)
        } else {
            #expect(frame.buffer.textLines().joined().contains("Prompt"))
        }
    }

    @Test("a zero-sized terminal renders an empty frame without crashing")
    func zeroSize() {
        let state = TestStates.liveIdle(Size(width: 0, height: 0))
        #expect(WorkbenchRenderer.render(state, theme: theme).buffer.cells.isEmpty)
    }

    @Test("rendering every replay position at both sizes never crashes and keeps the frame size")
    func everyPosition() {
        for size in Self.sizes + [Size(width: 33, height: 10), Size(width: 200, height: 60)] {
            var state = TestStates.replay(size, position: 0)
            for _ in 0...FixtureSessions.fibonacci().count {
                let frame = WorkbenchRenderer.render(state, theme: theme)
                #expect(frame.buffer.width == size.width && frame.buffer.height == size.height)
                _ = Reducer.reduce(&state, .action(.replayForward))
            }
        }
    }

    /// A live state whose only attempt has printed `chunks`.
    static func printing(_ chunks: [String], size: Size) -> ViewState {
        var state = TestStates.live(size, events: 2)
        var seq = 2
        func apply(_ event: AgentEvent) {
            seq += 1
            _ = Reducer.reduce(&state, .event(EventRecord(seq: seq, time: FixtureSessions.start, event: event)))
        }
        apply(.codeProposed(CodeProposed(attempt: 1, language: .python, source: "print('lots')")))
        apply(.execStarted(ExecStarted(attempt: 1, language: .python, runner: .kernel)))
        for chunk in chunks { apply(.execOutput(ExecOutput(attempt: 1, stream: .stdout, chunk: chunk))) }
        return state
    }

    @Test("output with CRLF line ends shows one line per line, with no control character")
    func crlfOutput() {
        let state = Self.printing(["first\r\nsecond\r\n", "third\r\n"], size: Size(width: 60, height: 30))
        let rows = WorkbenchRenderer.renderPane(.output, state, theme: theme, size: Size(width: 40, height: 8)).buffer.textLines()
        #expect(rows[1].hasPrefix("│  first ") && rows[2].hasPrefix("│  second ") && rows[3].hasPrefix("│  third "), "\(rows)")
        #expect(!rows.joined().contains("�"))
    }

    @Test("a flood of output shows its latest part and says how much earlier output the pane does not hold")
    func floodedOutput() throws {
        let line = String(repeating: "x", count: 99) + "\n"
        let lines = (0..<3_000).map { "\(String($0).leftPadded(to: 5)) \(line)" }
        let state = Self.printing(lines, size: Size(width: 120, height: 40))
        let attempt = try #require(state.session.attempts.first)
        #expect(attempt.outputDropped > 0)
        let size = Size(width: 120, height: 40)
        var scrolled = state
        scrolled.focus = .output
        _ = Reducer.reduce(&scrolled, .action(.scrollTop))
        let top = WorkbenchRenderer.renderPane(.output, scrolled, theme: theme, size: size).buffer.textLines()
        #expect(top[1].contains("KiB of earlier output not shown; the session file has all of it"), "\(top[1])")
        #expect(top[2].hasPrefix("│  0"), "the pane starts at the start of a line: \(top[2])")
        let bottom = WorkbenchRenderer.renderPane(.output, state, theme: theme, size: size).buffer.textLines()
        #expect(bottom.contains { $0.contains("02999 xxx") }, "following, the last line shows")
    }

    @Test("roles reach the cells: stderr, a keyword and the focused border use the theme's styles")
    func styledCells() throws {
        let catalog = ThemeCatalog(directories: [ThemeTests.themesDirectory])
        let dark = try catalog.theme(named: "dark")
        let state = TestStates.replay(Size(width: 120, height: 40), position: 19)
        let code = WorkbenchRenderer.renderPane(.code, state, theme: dark, size: Size(width: 60, height: 14)).buffer
        let lines = code.textLines()
        let row = try #require(lines.firstIndex { $0.contains("def fib") })
        let column = try #require(lines[row].range(of: "def")).lowerBound.utf16Offset(in: lines[row])
        #expect(code[column, row].style == dark.style("code.keyword"))
        #expect(state.focus == .code)
        #expect(code[0, 0].style == dark.style("pane.border.focused"))
        let plan = WorkbenchRenderer.renderPane(.plan, state, theme: dark, size: Size(width: 30, height: 8)).buffer
        #expect(plan[0, 0].style == dark.style("pane.border"))
        let output = WorkbenchRenderer.renderPane(.output, state, theme: dark, size: Size(width: 60, height: 8)).buffer
        let stderrRow = try #require(output.textLines().firstIndex { $0.contains("note: computed") })
        #expect(output[1, stderrRow].symbol == "┃")
        #expect(output[3, stderrRow].style == dark.style("output.stderr"))
        #expect(dark.style("output.stderr") != dark.style("output.stdout"))
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
