import WandEngine

extension OutputPane {
    /// The output pane's part of folding a live event: the output of a new run, or of a new attempt
    /// while the latest is shown, is followed from its end as it arrives.
    static func apply(_ event: AgentEvent, to state: inout ViewState) {
        switch event {
        case .runStarted:
            state.scroll.output = .end
        case .codeProposed where state.selectedAttempt == nil:
            state.scroll.output = .end
        default:
            break
        }
    }
}
