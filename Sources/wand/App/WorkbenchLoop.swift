import Dispatch
import Foundation
import Glibc
import NcursesBackend
import TerminalUI
import Workbench

/// Runs the workbench on the terminal: reads keys and inbox inputs, reduces, renders, performs effects.
///
/// After each frame the loop tells the reducer how far each scrolling view could scroll in it
/// (`.drawn`), so scroll keys move from what the user sees without the reducer measuring anything.
///
/// All ncurses calls happen here, on the calling thread. Engine work runs in tasks that post their
/// events to the inbox.
final class WorkbenchLoop {
    private(set) var state: ViewState
    private let themes: ThemeCatalog
    private let inbox: Inbox
    private let noColor: Bool
    private var signalSources: [any DispatchSourceSignal] = []
    private let effects: WorkbenchEffects

    init(state: ViewState, themes: ThemeCatalog, noColor: Bool, inbox: Inbox, effects: WorkbenchEffects) {
        self.state = state
        self.themes = themes
        self.noColor = noColor
        self.inbox = inbox
        self.effects = effects
    }

    /// Creates and runs a loop on a thread of its own (all ncurses calls stay on it), so the blocking
    /// terminal loop never occupies one of the few threads that run the engine's tasks.
    static func runOnOwnThread(state: ViewState, themes: ThemeCatalog, noColor: Bool, inbox: Inbox,
                               effects: WorkbenchEffects) async -> WorkbenchExit {
        await withCheckedContinuation { (continuation: CheckedContinuation<WorkbenchExit, Never>) in
            let thread = Thread {
                let loop = WorkbenchLoop(state: state, themes: themes, noColor: noColor, inbox: inbox, effects: effects)
                continuation.resume(returning: loop.run())
            }
            thread.name = "wand-terminal"
            thread.start()
        }
    }

    /// Runs until an effect ends the workbench; returns that ending. Inputs after it are dropped.
    func run() -> WorkbenchExit {
        let terminal = NcursesTerminal(noColor: noColor)
        TerminalRestorer.install()
        defer {
            // A later loop (after a fork or a replay) watches the signals anew; this one's sources must
            // not keep taking them for an inbox nobody reads.
            for source in signalSources { source.cancel() }
            signalSources = []
            terminal.close()
            TerminalRestorer.uninstall()
        }
        watchSignals()
        state.size = Size(width: terminal.size.width, height: terminal.size.height)
        var pacer = FramePacer()
        var keyPressed = true
        while true {
            let now = ContinuousClock.now
            let terminalGone: Bool
            let delay = pacer.delay(at: now)
            if keyPressed || delay == .zero {
                let theme = themes.themes[state.themeName] ?? Theme.fallback
                let rendered = WorkbenchRenderer.draw(state, theme: theme)
                terminal.draw(rendered.frame)
                _ = Reducer.reduce(&state, .drawn(rendered.scrollExtents))
                pacer.drew(at: now)
                keyPressed = false
                terminalGone = waitForInput(timeoutMs: tickInterval(), inbox: true)
            } else {
                // Drawn too recently for background updates: until the next frame is due, only a key wakes
                // the loop, and what the engine posts meanwhile is taken in one batch before that frame.
                let (seconds, attoseconds) = delay.components
                terminalGone = waitForInput(timeoutMs: Int32(seconds * 1_000 + attoseconds / 1_000_000_000_000_000 + 1), inbox: false)
            }
            var inputs: [WorkbenchInput] = []
            while let key = terminal.readKey() {
                keyPressed = true
                if key == .resize {
                    inputs.append(.resize(Size(width: terminal.size.width, height: terminal.size.height)))
                    terminal.invalidate()
                } else {
                    inputs.append(.key(key))
                }
            }
            inputs += inbox.drain()
            // The terminal hung up (its window closed, its tmux server killed) without a SIGHUP reaching
            // Wand: end as if told to quit, instead of waking at once forever and drawing for no one.
            if terminalGone { inputs.append(.action(.quit)) }
            inputs.append(.tick(Date()))
            for input in inputs {
                for effect in Reducer.reduce(&state, input) {
                    if let exit = effects.perform(effect) { return exit }
                }
            }
        }
    }

    private func tickInterval() -> Int32 {
        if state.replay?.isPlaying == true { return 30 }
        if state.isBusy { return 250 }
        return 1000
    }

    /// Waits for a key, the inbox or the timeout; true when the terminal has hung up.
    private func waitForInput(timeoutMs: Int32, inbox wakeOnInbox: Bool) -> Bool {
        var descriptors = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
        guard poll(&descriptors, wakeOnInbox ? 2 : 1, timeoutMs) > 0 else { return false }
        return descriptors[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// SIGTERM and SIGHUP end the loop cleanly (restoring the terminal, stopping child processes).
    private func watchSignals() {
        for number in [SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let inbox = self.inbox
            source.setEventHandler { inbox.post(.action(.quit)) }
            source.resume()
            signalSources.append(source)
        }
    }
}
