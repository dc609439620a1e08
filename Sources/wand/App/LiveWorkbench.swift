import Foundation
import WandEngine
import Workbench

/// Opens the live workbench: on a new session, a resumed one, a fork, or a re-run.
enum LiveWorkbench {
    static func open(bootstrap: SessionBootstrap, themes: ThemeSelection, agent: AgentOptions, resume: LoadedSession? = nil,
                     starting: StartingRun? = nil, model: (any LanguageModel)? = nil) async throws {
        let strategy = agent.strategy ?? bootstrap.config.defaultStrategy.flatMap(StrategyName.init) ?? .defaultStrategy
        let sandbox = bootstrap.capabilities.descriptor(limits: bootstrap.limits)
        let settings = agent.settings(sandboxed: sandbox.mode == .bubblewrap)
        let modelName = model?.descriptor.name ?? bootstrap.profile.model
        var state = ViewState(mode: .live, size: Size(width: 80, height: 24), keymap: KeymapLoading.load(paths: bootstrap.paths),
                              themeName: themes.name,
                              themeNames: themes.catalog.names, history: PromptHistory(url: bootstrap.paths.promptHistory).load(),
                              live: LiveSettings(model: modelName, strategy: strategy.rawValue, sandbox: sandbox.summary))
        if let resume {
            state.session = SessionState(folding: resume.events)
            let interrupted = state.session.runStatus == .interrupted
                ? " · run \(state.session.run) was interrupted; type the next goal" : ""
            state.message = "Continuing \(resume.url.deletingPathExtension().lastPathComponent)\(interrupted)"
        }
        if model == nil, !bootstrap.modelAvailable {
            state.canRun = false
            state.overlay = .welcome(message: "No model is configured and the embedded model is not installed. "
                + "Install it here (it is built on this machine), open a demo session, or configure a model server (see `wand models`).")
        } else if sandbox.mode != .bubblewrap {
            let asking = settings.approval == .ask ? "each run asks first" : "runs are not asked first (--approve)"
            state.message = "No sandbox (\(sandbox.fallbackReason ?? "bubblewrap unusable")): code runs with limits only; \(asking)"
        }
        let inbox = Inbox()
        let controller = LiveController(inbox: inbox, bootstrap: bootstrap, strategy: strategy, settings: settings,
                                        resumeFrom: resume, model: model)
        if let starting { controller.begin(starting, strategyOverride: agent.strategy) }
        let exit = await WorkbenchLoop.runOnOwnThread(state: state, themes: themes.catalog, noColor: ThemeSelection.noColor,
                                                      inbox: inbox, effects: WorkbenchEffects(live: controller))
        await controller.shutdown()
        if exit == .openDemo {
            try await DemoCommand.openFirst(themes: themes)
        }
    }
}
