public import Foundation

/// Builds the ``LanguageModel`` for a profile, owning the local server when the profile is embedded.
public struct ModelRuntime: Sendable {
    /// The model to generate with.
    public let model: any LanguageModel
    /// The profile it came from.
    public let profile: ModelProfile
    /// The local server, for the embedded profile.
    public let server: LocalModelServer?

    /// Creates the runtime for a profile; the API key is read from the environment here and kept in memory only.
    public init(profile: ModelProfile, paths: WandPaths, environment: [String: String] = ProcessInfo.processInfo.environment,
                parallel: Int = 4, policy: RequestPolicy = RequestPolicy()) {
        self.profile = profile
        if !profile.baseURLs.isEmpty {
            let key = profile.apiKeyEnv.flatMap { environment[$0] }
            // With several servers the balancer retries across them, so each client tries once: a dead
            // server is then skipped in milliseconds instead of after its own backoff.
            var serverPolicy = policy
            if profile.baseURLs.count > 1 { serverPolicy.maxAttempts = 1 }
            let clients = profile.baseURLs.map { baseURL in
                OpenAICompatibleModel(
                    endpoint: ModelEndpoint(profile: profile.name, baseURL: baseURL, model: profile.model, apiKey: key,
                                            temperature: profile.temperature, maxTokens: profile.maxTokens),
                    policy: serverPolicy)
            }
            model = clients.count == 1 ? clients[0] : BalancedModel(servers: clients, maximumAttempts: max(policy.maxAttempts, 2 * clients.count))
            server = nil
        } else {
            let server = LocalModelServer(layout: EmbeddedModelLayout(paths: paths), contextSize: 8_192 * max(1, parallel),
                                          parallel: max(1, parallel), environment: environment)
            model = EmbeddedModel(server: server, profile: profile, policy: policy)
            self.server = server
        }
    }

    /// Stops the local server, if any.
    public func shutdown() async {
        await server?.stop()
    }
}
