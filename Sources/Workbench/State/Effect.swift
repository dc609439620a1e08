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
    /// Answer a tool call waiting for approval (`run` allows it, `skip` refuses it, `always` allows later ones too).
    case decideToolCall(call: Int, decision: ApprovalDecision)
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
    /// Use a setting from the next goal on (`/strategy`, `/model`, `/reflect`, `/approve`, `/samples`).
    case changeSetting(SettingChange)
    /// Read the saved sessions for the browser.
    case listSessions
    /// Leave the live session for a saved one: replay it, resume it, or fork it at its end.
    case openSession(URL, SessionOpening)
    /// Delete a saved session, then list the sessions again.
    case deleteSession(URL)
    /// Continue this session in a new one: from its end, or after an attempt.
    case forkSession(attempt: Int?)
    /// Run a goal once per side and show the runs side by side.
    case startComparison(ComparisonRequest)
    /// Close this session and start a fresh one for the next goal.
    case clearSession
    /// Export this session as `wand export` does, to a file (nil: `ID.EXT` in the working directory).
    case export(format: String, file: String?)
}

/// A setting a command changes for the goals that follow.
public enum SettingChange: Sendable, Equatable {
    case strategy(StrategyName)
    case model(profile: String)
    case reflect(Bool)
    case approval(AgentSettings.ApprovalMode)
    case samples(Int)
}

/// What to do with a saved session picked in the browser.
public enum SessionOpening: String, Sendable, Equatable {
    /// Play it back.
    case replay
    /// Continue it live in its own file.
    case resume
    /// Copy it into a new live session and continue there.
    case fork
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
    /// The saved sessions, newest first, for the browser; or why they could not be read.
    case sessionsListed(Result<[SessionSummary], SessionListingError>)
    /// An event of the live comparison's session.
    case comparisonEvent(EventRecord)
    /// The live comparison ended; with the reason when it could not run.
    case comparisonEnded(error: String?)
}

/// Why the saved sessions could not be listed or changed.
public struct SessionListingError: Error, Sendable, Equatable {
    /// What went wrong, naming the file or directory.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }
}
