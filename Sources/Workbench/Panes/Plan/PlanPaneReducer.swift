import WandEngine

extension PlanPane {
    /// The plan pane's part of folding a live event: a new run's plan shows from its top.
    static func apply(_ event: AgentEvent, to state: inout ViewState) {
        if case .runStarted = event { state.scroll.plan = .top }
    }
}
