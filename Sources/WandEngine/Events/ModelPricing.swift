/// What a model's tokens cost, recorded in `session.started` so a session's cost can be told from its file.
public struct ModelPricing: Codable, Sendable, Equatable {
    /// US dollars per million prompt tokens.
    public var promptPerMillion: Double
    /// US dollars per million generated tokens.
    public var completionPerMillion: Double

    /// Creates a pricing.
    public init(promptPerMillion: Double, completionPerMillion: Double) {
        self.promptPerMillion = promptPerMillion
        self.completionPerMillion = completionPerMillion
    }

    /// The cost of `usage` in US dollars.
    public func cost(of usage: TokenUsage) -> Double {
        (Double(usage.prompt) * promptPerMillion + Double(usage.completion) * completionPerMillion) / 1_000_000
    }

    /// The prices Wand 0.1.0 wrote into `session.started`'s `settings` (as `price.prompt_per_million` and
    /// `price.completion_per_million`) before `pricing` existed; nil when they are not both there.
    public static func recordedInSettings(_ settings: [String: String]) -> ModelPricing? {
        guard let prompt = settings["price.prompt_per_million"].flatMap(Double.init),
              let completion = settings["price.completion_per_million"].flatMap(Double.init)
        else { return nil }
        return ModelPricing(promptPerMillion: prompt, completionPerMillion: completion)
    }
}
