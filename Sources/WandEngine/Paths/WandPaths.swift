public import Foundation

/// Where Wand keeps its files, following the XDG base directory conventions.
public struct WandPaths: Sendable, Equatable {
    /// `$XDG_DATA_HOME/wand`, or `~/.local/share/wand`.
    public var data: URL
    /// `$XDG_CONFIG_HOME/wand`, or `~/.config/wand`.
    public var config: URL

    /// Resolves the directories from an environment (the process's by default).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory(), isDirectory: true)
        if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
            data = URL(fileURLWithPath: dataHome, isDirectory: true).appendingPathComponent("wand", isDirectory: true)
        } else {
            data = home.appendingPathComponent(".local/share/wand", isDirectory: true)
        }
        if let configHome = environment["XDG_CONFIG_HOME"], configHome.hasPrefix("/") {
            config = URL(fileURLWithPath: configHome, isDirectory: true).appendingPathComponent("wand", isDirectory: true)
        } else {
            config = home.appendingPathComponent(".config/wand", isDirectory: true)
        }
    }

    /// Creates paths rooted at explicit directories (tests).
    public init(data: URL, config: URL) {
        self.data = data
        self.config = config
    }

    /// Saved sessions.
    public var sessions: URL { data.appendingPathComponent("sessions", isDirectory: true) }
    /// The Python environment holding llama.cpp's server and the HumanEval data.
    public var runtime: URL { data.appendingPathComponent("runtime", isDirectory: true) }
    /// Model weights.
    public var models: URL { data.appendingPathComponent("models", isDirectory: true) }
    /// Logs (model server, setup).
    public var logs: URL { data.appendingPathComponent("logs", isDirectory: true) }
    /// Per-session sandbox workspaces.
    public var workspaces: URL { data.appendingPathComponent("workspaces", isDirectory: true) }
    /// Evaluation runs.
    public var evals: URL { data.appendingPathComponent("evals", isDirectory: true) }
    /// The prompt history of the workbench.
    public var promptHistory: URL { data.appendingPathComponent("prompt-history.jsonl") }
    /// The configuration file.
    public var configFile: URL { config.appendingPathComponent("config.toml") }
    /// User theme files, which may override the bundled ones.
    public var userThemes: URL { config.appendingPathComponent("themes", isDirectory: true) }
}
