/// `settings.changed`: the user changed how the next runs work (in the workbench: `/model`, `/reflect`,
/// `/approve`, `/samples`); written just before the first run that uses the change. A strategy change
/// needs no event of its own: every `run.started` names its strategy.
public struct SettingsChanged: Codable, Sendable, Equatable {
    /// The settings whose values changed, with their new values (the keys of `session.started`'s `settings`).
    public var settings: [String: String]
    /// The model now used, when it changed.
    public var model: ModelDescriptor?
    /// With a new `model`: its prices, when its profile has them (absent: its cost is unknown).
    public var pricing: ModelPricing?

    /// Creates the payload.
    public init(settings: [String: String], model: ModelDescriptor? = nil, pricing: ModelPricing? = nil) {
        self.settings = settings
        self.model = model
        self.pricing = pricing
    }
}

/// One side of a comparison session: which run it is and what it ran with.
public struct ComparisonLane: Codable, Sendable, Equatable {
    /// The run number of this side within the session.
    public var run: Int
    /// The strategy it runs.
    public var strategy: String
    /// The model it asks.
    public var model: ModelDescriptor

    /// Creates a lane.
    public init(run: Int, strategy: String, model: ModelDescriptor) {
        self.run = run
        self.strategy = strategy
        self.model = model
    }
}
