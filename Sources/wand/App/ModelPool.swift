import Foundation
import Synchronization
import WandEngine
import Workbench

/// The model profiles the workbench may switch to (`/model`, `/compare`), and their runtimes, started
/// on first use and kept until the workbench closes, so switching back does not restart a local server.
final class ModelPool: Sendable {
    /// Every profile by name, resolved against the configuration and the environment.
    let profiles: [String: ModelProfile]
    /// Why a profile cannot be used now (no API key, model not installed), by name.
    let problems: [String: String]
    /// The names in the order the workbench lists them: the one in use first, then the others sorted.
    let names: [String]
    private let paths: WandPaths
    private let runtimes: Mutex<[String: ModelRuntime]>

    /// Creates the pool around the bootstrap's runtime, which serves the profile chosen at launch.
    init(bootstrap: SessionBootstrap, environment: [String: String] = ProcessInfo.processInfo.environment) {
        paths = bootstrap.paths
        var profiles: [String: ModelProfile] = [bootstrap.profile.name: bootstrap.profile]
        var problems: [String: String] = [:]
        for name in bootstrap.config.profiles.keys where name != bootstrap.profile.name {
            do {
                let profile = try ModelSelection(model: name).resolve(config: bootstrap.config, environment: environment)
                profiles[name] = profile
                if profile.isEmbedded, !EmbeddedModelLayout(paths: bootstrap.paths).isInstalled {
                    problems[name] = "the embedded model is not installed (run `wand setup`)"
                }
            } catch {
                profiles[name] = bootstrap.config.profiles[name]
                problems[name] = "\(error)"
            }
        }
        self.profiles = profiles
        self.problems = problems
        names = [bootstrap.profile.name] + profiles.keys.filter { $0 != bootstrap.profile.name }.sorted()
        runtimes = Mutex([bootstrap.profile.name: bootstrap.runtime])
    }

    /// The profiles as commands offer them.
    var profileChoices: [CommandChoices.Profile] {
        names.compactMap { name in
            profiles[name].map { CommandChoices.Profile(name: name, model: $0.model, problem: problems[name]) }
        }
    }

    /// What commands may name here: these profiles, and the formats of `wand export`.
    var commandChoices: CommandChoices {
        CommandChoices(profiles: profileChoices, exportFormats: ExportFormat.allCases.map(\.rawValue))
    }

    /// The runtime of a profile, created on first use; nil for a name that is not a usable profile.
    func runtime(_ name: String) -> ModelRuntime? {
        guard let profile = profiles[name], problems[name] == nil else { return nil }
        return runtimes.withLock { runtimes in
            if let existing = runtimes[name] { return existing }
            let runtime = ModelRuntime(profile: profile, paths: paths)
            runtimes[name] = runtime
            return runtime
        }
    }

    /// Stops every local model server the pool started.
    func shutdown() async {
        for runtime in runtimes.withLock({ Array($0.values) }) { await runtime.shutdown() }
    }
}

/// What the next goal runs with; commands change it, and it carries over when the workbench moves to
/// another session.
struct LiveSelection: Sendable {
    var strategy: StrategyName
    var settings: AgentSettings
    var profile: String

    /// Applies a command's change.
    mutating func apply(_ change: SettingChange) {
        switch change {
        case .strategy(let strategy): self.strategy = strategy
        case .model(let profile): self.profile = profile
        case .reflect(let on): settings.reflect = on
        case .approval(let mode): settings.approval = mode
        case .samples(let count): settings.samples = count
        }
    }
}
