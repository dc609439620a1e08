public import Foundation
public import TerminalUI
public import WandEngine

/// Work the reducer asks the outside world to do; it never does I/O itself.
public enum Effect: Sendable, Equatable {
    /// Leave the workbench.
    case quit
    /// Run the agent on a goal.
    case startRun(goal: String)
    /// Cancel the current generation or execution.
    case cancelRun
    /// Answer a pending approval.
    case decideApproval(attempt: Int, decision: ApprovalDecision, source: String?)
    /// Append a goal to the saved prompt history.
    case recordHistory(String)
    /// Install the embedded model (welcome offer).
    case installModel
    /// Open the demo sessions (welcome offer).
    case openDemo
    /// Start a live run that continues the replayed session from the given number of events.
    case fork(eventCount: Int)
    /// Re-run the recorded model outputs against the live executor.
    case rerun
}

/// Everything that can change the workbench: engine events, keys, and outside facts.
public enum WorkbenchInput: Sendable, Equatable {
    /// An engine event (live) — replayed events come from the replay state instead.
    case event(EventRecord)
    /// A key press.
    case key(Key)
    /// A named action, as a key bound to it would trigger.
    case action(Action)
    /// Text pasted or typed into the prompt.
    case text(String)
    /// The terminal's new size.
    case resize(Size)
    /// The scrolling views as the frame just drawn showed them (``RenderedWorkbench/scrollExtents``), so
    /// that scroll keys move from what is on the screen; the loop sends it after every frame.
    case drawn([ScrollArea: ScrollExtent])
    /// The clock advanced (drives replay playback and live elapsed time).
    case tick(Date)
    /// A message to show in the status bar.
    case message(String?)
    /// Whether runs may start (false while no model is available).
    case runsEnabled(Bool)
    /// Show the welcome offer with a message.
    case showWelcome(String)
}
