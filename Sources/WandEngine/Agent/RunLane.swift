/// What one run uses in place of its session's own model or executor: the model of another profile
/// (after `/model`), or a comparison side's own kernel.
public struct RunLane: Sendable {
    /// The model to ask instead of the session's.
    public var model: (any LanguageModel)?
    /// That model's profile settings (temperature, …), recorded in place of the session's.
    public var profileSettings: [String: String]?
    /// That model's prices, when its profile has them.
    public var pricing: ModelPricing?
    /// The executor to run code in instead of the session's.
    public var executor: (any Executor)?

    /// Creates a lane; what is nil stays the session's (but a lane's model brings its own `pricing`).
    public init(model: (any LanguageModel)? = nil, profileSettings: [String: String]? = nil, pricing: ModelPricing? = nil,
                executor: (any Executor)? = nil) {
        self.model = model
        self.profileSettings = profileSettings
        self.pricing = pricing
        self.executor = executor
    }
}
