public import Foundation

/// A named way to reach a model: server, model name, key variable, sampling defaults and prices.
public struct ModelProfile: Sendable, Equatable {
    /// The profile's name (`local`, `openai`, or one from the config file).
    public var name: String
    /// The servers' base URLs, in order; empty for the embedded model, whose server Wand starts itself.
    /// With several, requests are spread over them (``BalancedModel``): replicas of one model.
    public var baseURLs: [URL]
    /// The model name sent to the server.
    public var model: String
    /// The environment variable holding the API key (the key itself is never stored).
    public var apiKeyEnv: String?
    /// Default temperature.
    public var temperature: Double
    /// Maximum tokens per reply.
    public var maxTokens: Int
    /// The model's context window in tokens, when known.
    public var contextWindow: Int?
    /// US dollars per million prompt tokens.
    public var pricePromptPerMillion: Double?
    /// US dollars per million completion tokens.
    public var priceCompletionPerMillion: Double?

    /// Creates a profile.
    public init(name: String, baseURL: URL?, model: String, apiKeyEnv: String? = nil, temperature: Double = 0.2,
                maxTokens: Int = 768, contextWindow: Int? = nil, pricePromptPerMillion: Double? = nil,
                priceCompletionPerMillion: Double? = nil) {
        self.name = name
        self.baseURLs = baseURL.map { [$0] } ?? []
        self.model = model
        self.apiKeyEnv = apiKeyEnv
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.contextWindow = contextWindow
        self.pricePromptPerMillion = pricePromptPerMillion
        self.priceCompletionPerMillion = priceCompletionPerMillion
    }

    /// The first server's base URL; nil for the embedded model. Setting it replaces every server.
    public var baseURL: URL? {
        get { baseURLs.first }
        set { baseURLs = newValue.map { [$0] } ?? [] }
    }

    /// Whether this is the embedded llama.cpp model that Wand installs and runs.
    public var isEmbedded: Bool { baseURLs.isEmpty }

    /// The embedded default: Qwen2.5-Coder-0.5B-Instruct served by llama.cpp on loopback. Greedy
    /// decoding (temperature 0): this small model is markedly more accurate and repeatable that way;
    /// the `sample` strategy sets its own temperature.
    public static let embedded = ModelProfile(name: "local", baseURL: nil, model: "qwen2.5-coder-0.5b-instruct",
                                              temperature: 0, maxTokens: 768, contextWindow: 8192)

    /// Profiles every installation has.
    public static let builtIn: [ModelProfile] = [
        .embedded,
        ModelProfile(name: "openai", baseURL: URL(string: "https://api.openai.com/v1"), model: "gpt-4o-mini",
                     apiKeyEnv: "OPENAI_API_KEY", maxTokens: 1024, contextWindow: 128_000,
                     pricePromptPerMillion: 0.15, priceCompletionPerMillion: 0.60),
        ModelProfile(name: "ollama", baseURL: URL(string: "http://127.0.0.1:11434/v1"), model: "qwen2.5-coder:0.5b",
                     contextWindow: 32_768),
    ]

    /// Settings recorded in `session.started`.
    public var sessionSettings: [String: String] {
        ["model.temperature": String(temperature), "model.max_tokens": String(maxTokens)]
    }

    /// The prices recorded in `session.started`, when both are set.
    public var pricing: ModelPricing? {
        guard let pricePromptPerMillion, let priceCompletionPerMillion else { return nil }
        return ModelPricing(promptPerMillion: pricePromptPerMillion, completionPerMillion: priceCompletionPerMillion)
    }
}

/// Wand's configuration file, `$XDG_CONFIG_HOME/wand/config.toml`.
public struct WandConfig: Sendable, Equatable {
    /// Profiles by name: built-in ones, replaced or extended by the file's.
    public var profiles: [String: ModelProfile]
    /// The profile used when none is named (from `default_profile`).
    public var defaultProfile: String?
    /// The default strategy (`default_strategy`).
    public var defaultStrategy: String?
    /// The default theme (`theme`).
    public var theme: String?
    /// The MCP servers and their tool policies (`[mcp]`).
    public var mcp: MCPConfig = .empty
    /// Packages `wand setup` adds to the code environment (`[python] extra_packages`), as pip requirements.
    public var pythonExtraPackages: [String] = []

    private static let topKeys: Set<String> = ["default_profile", "default_strategy", "theme", "profiles", "mcp", "python"]
    private static let profileKeys: Set<String> = [
        "base_url", "base_urls", "model", "api_key_env", "temperature", "max_tokens", "context_window",
        "price_prompt_per_million", "price_completion_per_million",
    ]

    /// The configuration when there is no file.
    public static let empty = WandConfig(
        profiles: Dictionary(uniqueKeysWithValues: ModelProfile.builtIn.map { ($0.name, $0) }),
        defaultProfile: nil, defaultStrategy: nil, theme: nil)

    /// Loads the file if it exists; problems are reported with file and line.
    public static func load(from url: URL) throws(ConfigFileError) -> WandConfig {
        guard FileManager.default.fileExists(atPath: url.path) else { return .empty }
        return try parse(TOMLDocument(contentsOf: url))
    }

    /// Parses a configuration document.
    public static func parse(_ document: TOMLDocument) throws(ConfigFileError) -> WandConfig {
        var config = WandConfig.empty
        for key in document.root.keys.sorted() where !topKeys.contains(key) {
            throw document.error(at: [key], "unknown key `\(key)`; known keys are \(topKeys.sorted().joined(separator: ", "))")
        }
        func string(_ key: String) throws(ConfigFileError) -> String? {
            guard let node = document.root[key] else { return nil }
            guard let value = node.string else { throw document.error(at: [key], "`\(key)` must be a string") }
            return value
        }
        config.defaultProfile = try string("default_profile")
        config.defaultStrategy = try string("default_strategy")
        config.theme = try string("theme")
        if let profilesNode = document.root["profiles"] {
            guard let profiles = profilesNode.table else {
                throw document.error(at: ["profiles"], "`profiles` must be a table of [profiles.NAME] sections")
            }
            for (name, node) in profiles.sorted(by: { $0.key < $1.key }) {
                config.profiles[name] = try parseProfile(name, node, document: document, base: config.profiles[name])
            }
        }
        if let mcp = document.root["mcp"] {
            config.mcp = try MCPConfig.parse(mcp, document: document)
        }
        if let python = document.root["python"] {
            config.pythonExtraPackages = try parsePython(python, document: document)
        }
        if let name = config.defaultProfile, config.profiles[name] == nil {
            throw document.error(at: ["default_profile"], "default_profile `\(name)` is not a profile; profiles are "
                + config.profiles.keys.sorted().joined(separator: ", "))
        }
        return config
    }

    private static func parsePython(_ node: TOMLNode, document: TOMLDocument) throws(ConfigFileError) -> [String] {
        guard let table = node.table else { throw document.error(at: ["python"], "`python` must be a table ([python])") }
        for key in table.keys.sorted() where key != "extra_packages" {
            throw document.error(at: ["python", key], "unknown key `\(key)` in [python]; the known key is extra_packages")
        }
        guard let packagesNode = table["extra_packages"] else { return [] }
        guard let items = packagesNode.array else {
            throw document.error(at: ["python", "extra_packages"], "`extra_packages` must be an array of pip requirements, "
                + "for example [\"scipy\", \"networkx==3.3\"]")
        }
        var packages: [String] = []
        for item in items {
            guard let text = item.string?.trimmingCharacters(in: .whitespaces), !text.isEmpty, !text.hasPrefix("-"),
                  CodeEnvironmentRecord.distributionName(of: text) != nil else {
                throw document.error(at: ["python", "extra_packages"], "`extra_packages` holds pip requirements such as \"scipy\" "
                    + "(not options or empty strings)")
            }
            packages.append(text)
        }
        return packages
    }

    private static func parseProfile(_ name: String, _ node: TOMLNode, document: TOMLDocument,
                                     base: ModelProfile?) throws(ConfigFileError) -> ModelProfile {
        let path = ["profiles", name]
        guard let table = node.table else { throw document.error(at: path, "profile `\(name)` must be a table") }
        for key in table.keys.sorted() where !profileKeys.contains(key) {
            throw document.error(at: path + [key], "unknown key `\(key)` in profile `\(name)`; known keys are "
                + profileKeys.sorted().joined(separator: ", "))
        }
        var profile = base ?? ModelProfile(name: name, baseURL: nil, model: "")
        profile.name = name
        for (key, value) in table {
            switch key {
            case "base_url":
                guard let text = value.string, let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
                    throw document.error(at: path + [key], "`base_url` must be an http(s) URL")
                }
                profile.baseURL = url
            case "base_urls":
                guard case .array(let items) = value else {
                    throw document.error(at: path + [key], "`base_urls` must be a non-empty list of http(s) URLs")
                }
                let urls = items.compactMap { $0.string.flatMap(URL.init(string:)) }
                    .filter { ($0.scheme == "http" || $0.scheme == "https") && $0.host != nil }
                guard !items.isEmpty, urls.count == items.count else {
                    throw document.error(at: path + [key], "`base_urls` must be a non-empty list of http(s) URLs")
                }
                profile.baseURLs = urls
            case "model", "api_key_env":
                guard let text = value.string, !text.isEmpty else {
                    throw document.error(at: path + [key], "`\(key)` must be a non-empty string")
                }
                if key == "model" { profile.model = text } else { profile.apiKeyEnv = text }
            case "max_tokens", "context_window":
                guard let number = value.integer, number > 0 else {
                    throw document.error(at: path + [key], "`\(key)` must be a positive integer")
                }
                if key == "max_tokens" { profile.maxTokens = number } else { profile.contextWindow = number }
            default:
                guard let number = value.number, number >= 0 else {
                    throw document.error(at: path + [key], "`\(key)` must be a non-negative number")
                }
                switch key {
                case "temperature": profile.temperature = number
                case "price_prompt_per_million": profile.pricePromptPerMillion = number
                default: profile.priceCompletionPerMillion = number
                }
            }
        }
        if table["base_url"] != nil, table["base_urls"] != nil {
            throw document.error(at: path + ["base_urls"], "profile `\(name)` gives both `base_url` and `base_urls`; keep one")
        }
        if profile.model.isEmpty { throw document.error(at: path, "profile `\(name)` needs a `model`") }
        if profile.baseURL == nil, name != ModelProfile.embedded.name {
            throw document.error(at: path, "profile `\(name)` needs a `base_url` (or `base_urls`)")
        }
        return profile
    }
}

/// Picks the model profile from flags, environment and configuration.
///
/// Precedence: `--base-url` and `--endpoint` (an ad-hoc profile of those servers), then `--model` naming a profile, then
/// `OPENAI_BASE_URL`, then the config file's `default_profile`, then the embedded model.
public struct ModelSelection: Sendable {
    /// `--model`: a profile name, or a model name for the selected server.
    public var model: String?
    /// `--base-url`.
    public var baseURL: String?
    /// `--endpoint`, repeatable: servers of one model, requests spread over them.
    public var endpoints: [String]
    /// `--api-key-env`: the variable holding the key.
    public var apiKeyEnv: String?

    /// Creates a selection from flags.
    public init(model: String? = nil, baseURL: String? = nil, endpoints: [String] = [], apiKeyEnv: String? = nil) {
        self.model = model
        self.baseURL = baseURL
        self.endpoints = endpoints
        self.apiKeyEnv = apiKeyEnv
    }

    /// The profile to use.
    public func resolve(config: WandConfig, environment: [String: String]) throws(ModelError) -> ModelProfile {
        var profile: ModelProfile
        let servers = (baseURL.map { [("--base-url", $0)] } ?? []) + endpoints.map { ("--endpoint", $0) }
        if !servers.isEmpty {
            var urls: [URL] = []
            for (flag, text) in servers {
                guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                    throw .configuration("\(flag) `\(text)` is not an http(s) URL")
                }
                urls.append(url)
            }
            profile = ModelProfile(name: "custom", baseURL: nil, model: model ?? environment["OPENAI_MODEL"] ?? "default",
                                   apiKeyEnv: environment["OPENAI_API_KEY"] != nil ? "OPENAI_API_KEY" : nil)
            profile.baseURLs = urls
        } else if let model, let named = config.profiles[model] {
            profile = named
        } else if let envURL = environment["OPENAI_BASE_URL"], !envURL.isEmpty {
            guard let url = URL(string: envURL), url.scheme == "http" || url.scheme == "https" else {
                throw .configuration("OPENAI_BASE_URL `\(envURL)` is not an http(s) URL")
            }
            profile = ModelProfile(name: "env", baseURL: url, model: model ?? environment["OPENAI_MODEL"] ?? "default",
                                   apiKeyEnv: environment["OPENAI_API_KEY"] != nil ? "OPENAI_API_KEY" : nil)
        } else {
            let name = config.defaultProfile ?? ModelProfile.embedded.name
            profile = config.profiles[name] ?? .embedded
            if let model {
                guard !profile.isEmbedded else {
                    throw .configuration("no profile named `\(model)`; profiles are "
                        + config.profiles.keys.sorted().joined(separator: ", ") + " (see `wand models`)")
                }
                profile.model = model
            }
        }
        if let apiKeyEnv { profile.apiKeyEnv = apiKeyEnv }
        if let variable = profile.apiKeyEnv, (environment[variable] ?? "").isEmpty,
           profile.baseURLs.contains(where: { $0.host != "127.0.0.1" && $0.host != "localhost" }) {
            throw .configuration("profile `\(profile.name)` reads its API key from $\(variable), which is not set")
        }
        return profile
    }
}
