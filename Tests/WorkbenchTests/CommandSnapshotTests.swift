import Foundation
import TerminalUI
import Testing
import WandEngine
import WandTestSupport
@testable import Workbench

@Suite("Render snapshots: palette, session browser, comparison")
struct CommandSnapshotTests {
    static let sizes = [Size(width: 120, height: 40), Size(width: 80, height: 24)]
    let theme = Theme.fallback

    static func tag(_ size: Size) -> String { "\(size.width)x\(size.height)" }

    @Test("the command palette, filtered", arguments: sizes)
    func palette(size: Size) {
        var state = CommandStates.live(size)
        _ = Reducer.reduce(&state, .key(.control("p")))
        Snapshot.assertMatches(WorkbenchRenderer.render(state, theme: theme), named: "overlay-palette-\(Self.tag(size))")
        TestStates.type(&state, "st")
        let frame = WorkbenchRenderer.render(state, theme: theme)
        Snapshot.assertMatches(frame, named: "overlay-palette-filtered-\(Self.tag(size))")
        #expect(frame.cursor != nil, "the cursor sits after the filter")
    }

    @Test("the session browser, listing and filtering", arguments: sizes)
    func browser(size: Size) {
        var state = CommandStates.live(size)
        _ = CommandStates.submit(&state, "/sessions")
        _ = Reducer.reduce(&state, .sessionsListed(.success(BrowserFixtures.summaries)))
        _ = TestStates.press(&state, .selectNext)
        Snapshot.assertMatches(WorkbenchRenderer.render(state, theme: theme), named: "overlay-sessions-\(Self.tag(size))")
        TestStates.type(&state, "/code")
        Snapshot.assertMatches(WorkbenchRenderer.render(state, theme: theme), named: "overlay-sessions-filtered-\(Self.tag(size))")
    }

    @Test("a comparison replayed to its end, two columns", arguments: sizes)
    func compareEnd(size: Size) {
        let events = FixtureSessions.comparison()
        var state = ViewState(mode: .replay, size: size, themeNames: TestStates.themeNames)
        var replay = ReplayState(fileName: "compare.jsonl", events: events)
        state.session = replay.seek(to: events.count, from: state.session)
        state.replay = replay
        state.comparison = ComparisonState(events: events)
        state.comparison?.seek(in: events, to: events.count)
        Snapshot.assertMatches(WorkbenchRenderer.render(state, theme: theme), named: "compare-replay-end-\(Self.tag(size))")
    }

    @Test("a live comparison while its first side runs", arguments: sizes)
    func compareLive(size: Size) {
        var state = CommandStates.live(size)
        _ = CommandStates.submit(&state, "/compare codeact,pal")
        for record in FixtureSessions.comparison().prefix(13) { _ = Reducer.reduce(&state, .comparisonEvent(record)) }
        _ = Reducer.reduce(&state, .tick(FixtureSessions.start.addingTimeInterval(4)))
        Snapshot.assertMatches(WorkbenchRenderer.render(state, theme: theme), named: "compare-live-\(Self.tag(size))")
    }

    @Test("a refused command shows its reason on the prompt's border")
    func commandError() {
        var state = CommandStates.live(Size(width: 80, height: 24))
        _ = CommandStates.submit(&state, "/strategy pall")
        Snapshot.assertMatches(WorkbenchRenderer.renderPane(.prompt, state, theme: theme, size: Size(width: 80, height: 3)),
                               named: "pane-prompt-command-error-80x3")
    }
}
