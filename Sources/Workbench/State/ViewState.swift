public import Foundation
import TerminalUI
public import WandEngine

/// The panes of the workbench, in focus order.
public enum PaneID: String, CaseIterable, Sendable, Hashable {
    case prompt, plan, code, output

    /// The title drawn on the pane's border.
    public var title: String {
        switch self {
        case .prompt: "Prompt"
        case .plan: "Plan"
        case .code: "Code"
        case .output: "Output"
        }
    }
}

/// A window over the workbench, shown above the panes.
public enum Overlay: Sendable, Equatable {
    /// The key help (its scroll position is ``ScrollPositions/help``).
    case help
    /// First run with no model: offer to install the embedded one or open a demo.
    case welcome(message: String)
    /// The command palette.
    case palette(CommandPalette)
    /// The saved sessions.
    case sessions(SessionBrowser)
}

/// Whether the workbench drives a live agent or plays a saved session.
public enum WorkbenchMode: Sendable, Equatable {
    case live
    case replay
}

/// What the live workbench shows before any run says otherwise.
public struct LiveSettings: Sendable, Equatable {
    /// The model's display name.
    public var model: String
    /// The default strategy.
    public var strategy: String
    /// The sandbox mode (`bubblewrap`, `limits-only`), with why bubblewrap is not used when it is not.
    public var sandbox: String
    /// The model profile's name.
    public var profile: String
    /// Whether a failed attempt is followed by a written lesson.
    public var reflect: Bool
    /// The approval mode.
    public var approval: AgentSettings.ApprovalMode
    /// Programs drawn by `vote` and `sample`.
    public var samples: Int
    /// The values commands may take.
    public var choices: CommandChoices

    /// Creates live settings; commands change them for the next goal.
    public init(model: String, strategy: String, sandbox: String, profile: String = "", reflect: Bool = false,
                approval: AgentSettings.ApprovalMode = .auto, samples: Int = 5, choices: CommandChoices = CommandChoices()) {
        self.model = model
        self.strategy = strategy
        self.sandbox = sandbox
        self.profile = profile
        self.reflect = reflect
        self.approval = approval
        self.samples = samples
        self.choices = choices
    }
}

/// The whole state of the workbench; rendering is a pure function of this, a theme and nothing else.
public struct ViewState: Sendable, Equatable {
    /// Live or replay.
    public var mode: WorkbenchMode
    /// The fold of the session's events.
    public var session = SessionState()
    /// Terminal size.
    public var size: Size
    /// The focused pane.
    public var focus: PaneID = .prompt
    /// Where each scrolling view is; the render clamps these to the content it draws.
    public var scroll = ScrollPositions()
    /// Each scrolling view's content length and rows in the last frame drawn (``WorkbenchInput/drawn(_:)``):
    /// line and page steps start from what that frame showed and stop at its ends.
    public var drawnExtents: [ScrollArea: ScrollExtent] = [:]
    /// The attempt shown in the code and output panes (index into `session.attempts`); nil follows the latest.
    public var selectedAttempt: Int?
    /// The goal editor.
    public var prompt: PromptEditor
    /// An open overlay.
    public var overlay: Overlay?
    /// The key bindings.
    public var keymap: Keymap
    /// The current theme's name and the names to cycle through.
    public var themeName: String
    /// Themes available for switching.
    public var themeNames: [String]
    /// The replay, in replay mode.
    public var replay: ReplayState?
    /// Settings shown before the first run, in live mode.
    public var live: LiveSettings?
    /// The current time, for elapsed time while live (injected by ticks).
    public var now: Date?
    /// A short message for the status line (errors, hints).
    public var message: String?
    /// Whether the workbench may start runs (false while the model is unavailable).
    public var canRun = true
    /// The attempt whose code is being edited in the prompt before it runs (`ask` mode's edit).
    public var editingApproval: Int?
    /// Whether the interrupt key was just pressed with nothing to cancel, so pressing it again quits.
    public var confirmingQuit = false
    /// Why the command in the prompt was refused, shown under it until the text changes.
    public var commandError: String?
    /// Two runs of one goal side by side (live `/compare`, or the replay of a comparison session).
    public var comparison: ComparisonState?
    /// The directory holding the session's workspace on this machine, set by the app (in a replay, only
    /// when the workspace is still there), so the Output pane can say where a step's saved files are.
    public var workspaceRoot: String?
    /// The side of a comparison a view of one side shows (each side has a workspace of its own).
    var comparisonSide: Int?

    /// Creates a state.
    public init(mode: WorkbenchMode, size: Size, keymap: Keymap = .standard, themeName: String = "dark",
                themeNames: [String] = ["dark"], history: [String] = [], replay: ReplayState? = nil,
                live: LiveSettings? = nil) {
        self.mode = mode
        self.size = size
        self.keymap = keymap
        self.themeName = themeName
        self.themeNames = themeNames
        self.prompt = PromptEditor(history: history)
        self.replay = replay
        self.live = live
        if mode == .replay { focus = .code }
    }

    /// Where the shown session's code runs (ran): its workspace under ``workspaceRoot``.
    public var workspace: String? {
        guard let workspaceRoot, let session = session.started?.session,
              let name = SandboxExecutor.workspaceName(session: session, side: comparisonSide) else { return nil }
        return URL(fileURLWithPath: workspaceRoot, isDirectory: true).appendingPathComponent(name, isDirectory: true).path
    }

    /// Whether a run or a comparison is under way.
    public var isBusy: Bool { session.isRunning || comparison?.isRunning == true }

    /// The attempt the code and output panes show.
    public var shownAttempt: AttemptState? {
        if let selectedAttempt, session.attempts.indices.contains(selectedAttempt) {
            return session.attempts[selectedAttempt]
        }
        return session.attempts.last
    }

    /// The index of the shown attempt.
    public var shownAttemptIndex: Int? {
        if let selectedAttempt, session.attempts.indices.contains(selectedAttempt) { return selectedAttempt }
        return session.attempts.isEmpty ? nil : session.attempts.count - 1
    }

    /// The contexts keys are looked up in, most specific first.
    public var keyContexts: [KeyContext] {
        switch overlay {
        case .help: return [.help]
        case .welcome: return [.welcome]
        case .palette: return [.palette]
        case .sessions(let browser): return browser.keyContexts
        case nil: break
        }
        var contexts: [KeyContext] = []
        if session.activeAttempt?.awaitingApproval == true || session.pendingToolApproval != nil, mode == .live,
           editingApproval == nil {
            contexts.append(.approval)
        }
        if mode == .replay { contexts.append(.replay) }
        if mode == .live, focus == .prompt, CommandParser.isCommand(prompt.text) { contexts.append(.command) }
        switch focus {
        case .prompt: if mode == .live { contexts.append(.prompt) } else { contexts.append(.pane) }
        case .code: contexts += [.code, .pane]
        case .plan, .output: contexts.append(.pane)
        }
        if mode == .live { contexts.append(.live) }
        contexts.append(.global)
        return contexts
    }

    /// The action a key triggers: looked up in ``keyContexts``, most specific first. An overlay takes
    /// every key of the panes it covers, but the global quit keys still quit, as the help lists them
    /// under "Everywhere".
    func action(for key: Key) -> Action? {
        if let action = keymap.action(for: key, in: keyContexts) { return action }
        guard overlay != nil, keymap.keys(for: .quit, in: .global).contains(key) else { return nil }
        return .quit
    }
}

/// A terminal size in cells.
public struct Size: Sendable, Equatable, Hashable {
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// Creates a size.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}
