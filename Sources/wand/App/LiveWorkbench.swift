import Foundation
import WandEngine
import Workbench

/// Opens the live workbench: on a new session, a resumed one, a fork, a re-run or a comparison.
enum LiveWorkbench {
    /// Runs the live workbench until it is left; returns how it ended and what the next goal would run with.
    static func open(bootstrap: SessionBootstrap, models: ModelPool, themes: ThemeSelection, selection: LiveSelection,
                     resume: LoadedSession? = nil, starting: StartingRun? = nil, strategyOverride: StrategyName? = nil,
                     model: (any LanguageModel)? = nil, message: String? = nil) async -> (WorkbenchExit, LiveSelection) {
        let sandbox = bootstrap.capabilities.descriptor(limits: bootstrap.limits)
        let modelName = model?.descriptor.name ?? models.profiles[selection.profile]?.model ?? bootstrap.profile.model
        var state = ViewState(mode: .live, size: Size(width: 80, height: 24), keymap: KeymapLoading.load(paths: bootstrap.paths),
                              themeName: themes.name,
                              themeNames: themes.catalog.names, history: PromptHistory(url: bootstrap.paths.promptHistory).load(),
                              live: LiveSettings(model: modelName, strategy: selection.strategy.rawValue, sandbox: sandbox.summary,
                                                 profile: selection.profile, reflect: selection.settings.reflect,
                                                 approval: selection.settings.approval, samples: selection.settings.samples,
                                                 choices: models.commandChoices))
        state.workspaceRoot = SandboxExecutor.workspaceRoot(paths: bootstrap.paths, capabilities: bootstrap.capabilities).path
        if let resume {
            state.session = SessionState(folding: resume.events)
            let interrupted = state.session.runStatus == .interrupted
                ? " · run \(state.session.run) was interrupted; type the next goal" : ""
            state.message = "Continuing \(resume.url.deletingPathExtension().lastPathComponent)\(interrupted)"
        }
        if case .compare(let request) = starting {
            state.comparison = ComparisonState(request: request, profiles: models.profileChoices)
        }
        if model == nil, !bootstrap.modelAvailable {
            state.canRun = false
            state.overlay = .welcome(message: "No model is configured and the embedded model is not installed. "
                + "Install it here (it is built on this machine), open a demo session, or configure a model server (see `wand models`).")
        } else if sandbox.mode != .bubblewrap {
            let asking = selection.settings.approval == .ask ? "each run asks first" : "runs are not asked first (--approve)"
            state.message = "No sandbox (\(sandbox.fallbackReason ?? "bubblewrap unusable")): code runs with limits only; \(asking)"
        }
        if let message { state.message = message }
        let inbox = Inbox()
        let controller = LiveController(inbox: inbox, bootstrap: bootstrap, models: models, selection: selection,
                                        resumeFrom: resume, model: model)
        if let starting { controller.begin(starting, strategyOverride: strategyOverride) }
        let exit = await WorkbenchLoop.runOnOwnThread(state: state, themes: themes.catalog, noColor: ThemeSelection.noColor,
                                                      inbox: inbox, effects: WorkbenchEffects(live: controller))
        await controller.shutdown()
        return (exit, controller.selection)
    }
}
