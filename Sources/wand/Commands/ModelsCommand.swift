import ArgumentParser
import Foundation
import WandEngine

/// `wand models`: the model profiles and which one is used by default.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List model profiles (built in and from config.toml); * marks the default."
    )

    func run() throws {
        let paths = WandPaths()
        let config = try WandConfig.load(from: paths.configFile)
        let environment = ProcessInfo.processInfo.environment
        let active = try? ModelSelection().resolve(config: config, environment: environment)
        TerminalOutput.line("Profiles (config: \(paths.configFile.path)\(FileManager.default.fileExists(atPath: paths.configFile.path) ? "" : ", not present")):")
        var names = config.profiles.keys.sorted()
        if let active, config.profiles[active.name] == nil { names.insert(active.name, at: 0) }
        for name in names {
            let profile = config.profiles[name] ?? active!
            let mark = active?.name == name ? "*" : " "
            var line = "\(mark) \(name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(profile.model)"
            if !profile.baseURLs.isEmpty {
                line += "  at " + profile.baseURLs.map(\.absoluteString).joined(separator: ", ")
            } else {
                line += EmbeddedModelLayout(paths: paths).isInstalled ? "  (embedded llama.cpp, installed)"
                    : "  (embedded llama.cpp, not installed: run `wand setup`)"
            }
            if let variable = profile.apiKeyEnv {
                line += "  key $\(variable) " + ((environment[variable] ?? "").isEmpty ? "(not set)" : "(set)")
            }
            if let prompt = profile.pricePromptPerMillion, let completion = profile.priceCompletionPerMillion {
                line += String(format: "  $%.2f/$%.2f per M tokens", prompt, completion)
            }
            TerminalOutput.line(line)
        }
        if active == nil, let error = Result(catching: { try ModelSelection().resolve(config: config, environment: environment) })
            .failureDescription {
            TerminalOutput.line("No usable default: \(error)")
        }
    }
}

extension Result {
    /// The failure's description, if this is a failure.
    var failureDescription: String? {
        if case .failure(let error) = self { return "\(error)" }
        return nil
    }
}
