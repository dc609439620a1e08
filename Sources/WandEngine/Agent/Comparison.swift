/// One side of a comparison: the strategy and model it runs with, and its own executor.
public struct ComparisonSide: Sendable {
    /// The strategy.
    public var strategy: StrategyName
    /// The model.
    public var model: any LanguageModel
    /// The model's profile settings (temperature, …), recorded with its run.
    public var profileSettings: [String: String]
    /// The model's prices, when its profile has them.
    public var pricing: ModelPricing?
    /// The side's own executor: its kernel, so the two sides' variables never mix.
    public var executor: any Executor

    /// Creates a side.
    public init(strategy: StrategyName, model: any LanguageModel, profileSettings: [String: String],
                pricing: ModelPricing? = nil, executor: any Executor) {
        self.strategy = strategy
        self.model = model
        self.profileSettings = profileSettings
        self.pricing = pricing
        self.executor = executor
    }
}

/// The same goal run once per side, one side after the other, in one session whose `session.started`
/// marks it as a comparison, so a replay shows the runs side by side.
///
/// The sides run in turn rather than at once, so each side's time is its own and not shared with the
/// other on a small machine; each has its own executor, and neither sees the other's answer.
public struct Comparison: Sendable {
    /// The session holding both runs.
    public let session: AgentSession
    /// The sides, in run order.
    public let sides: [ComparisonSide]

    /// Creates a comparison session writing through `recorder`; nothing runs until ``run(goal:settings:)``.
    public init(id: String, sides: [ComparisonSide], recorder: EventRecorder, limits: ExecutionLimits?,
                tools: [String: String] = [:]) {
        precondition(!sides.isEmpty, "a comparison needs sides")
        self.sides = sides
        session = AgentSession(id: id, recorder: recorder, model: sides[0].model, executor: sides[0].executor, limits: limits,
                               tools: tools, settings: sides[0].profileSettings, pricing: sides[0].pricing,
                               comparison: Self.lanes(of: sides))
    }

    /// The lanes recorded for the sides: side N is run N.
    public static func lanes(of sides: [ComparisonSide]) -> [ComparisonLane] {
        sides.enumerated().map { ComparisonLane(run: $0.offset + 1, strategy: $0.element.strategy.rawValue,
                                                model: $0.element.model.descriptor) }
    }

    /// Runs every side on the goal, in order, then closes the session and every side's executor. A
    /// cancelled side ends the comparison: the sides after it do not start.
    public func run(goal: String, settings: AgentSettings) async -> [RunFinished] {
        var results: [RunFinished] = []
        for side in sides {
            if Task.isCancelled { break }
            let lane = RunLane(model: side.model, profileSettings: side.profileSettings, pricing: side.pricing,
                               executor: side.executor)
            results.append(await session.run(goal: goal, strategy: side.strategy, settings: settings, on: lane))
        }
        await session.finish()
        for side in sides.dropFirst() { await side.executor.shutdown() }
        return results
    }
}
