import Foundation
import TerminalUI
import WandEngine
import WandTestSupport
import Workbench

/// States used across the workbench tests.
enum TestStates {
    static let themeNames = ["dark", "light", "high-contrast"]

    /// A live workbench before any run.
    static func liveIdle(_ size: Size) -> ViewState {
        ViewState(mode: .live, size: size, themeNames: themeNames, history: ["print hello"],
                  live: LiveSettings(model: "qwen2.5-coder-0.5b-instruct", strategy: "codeact", sandbox: .bubblewrap))
    }

    /// A live workbench with the fixture's events applied up to `count`.
    static func live(_ size: Size, events count: Int) -> ViewState {
        var state = liveIdle(size)
        for record in FixtureSessions.fibonacci().prefix(count) { _ = Reducer.reduce(&state, .event(record)) }
        return state
    }

    /// A replay of the fixture positioned after `position` events.
    static func replay(_ size: Size, position: Int) -> ViewState {
        var replay = ReplayState(fileName: "fixture.jsonl", events: FixtureSessions.fibonacci())
        var state = ViewState(mode: .replay, size: size, themeNames: themeNames)
        state.session = replay.seek(to: position, from: state.session)
        state.replay = replay
        return state
    }

    static func press(_ state: inout ViewState, _ action: Action) -> [Effect] {
        let key = state.keymap.firstKey(for: action, in: state.keyContexts)
        guard let key else { return Reducer.reduce(&state, .action(action)) }
        return Reducer.reduce(&state, .key(key))
    }

    /// Draws the state and tells the reducer what the frame showed, as the terminal loop does after each frame.
    static func draw(_ state: inout ViewState) {
        _ = Reducer.reduce(&state, .drawn(WorkbenchRenderer.draw(state, theme: .fallback).scrollExtents))
    }

    /// The first line a scrolling view shows: its position clamped to the extent of the last frame drawn.
    static func shownOffset(_ area: ScrollArea, _ state: ViewState) -> Int? {
        state.drawnExtents[area]?.offset(of: state.scroll[area])
    }

    static func type(_ state: inout ViewState, _ text: String) {
        for character in text { _ = Reducer.reduce(&state, .key(.character(character))) }
    }
}
