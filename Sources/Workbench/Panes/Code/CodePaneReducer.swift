import WandEngine

extension CodePane {
    /// The code pane's part of folding a live event: a new run shows its latest attempt, and a new
    /// attempt shows from its top unless the user chose an earlier one to look at.
    static func apply(_ event: AgentEvent, to state: inout ViewState) {
        switch event {
        case .runStarted:
            state.selectedAttempt = nil
            state.scroll.code = .top
        case .codeProposed where state.selectedAttempt == nil:
            state.scroll.code = .top
        default:
            break
        }
    }

    /// Shows the attempt before or after the shown one (choosing the last means following the latest
    /// again); its code shows from the top and its output, in the output pane, from the end.
    static func showAttempt(_ direction: Action, _ state: inout ViewState) {
        guard let current = state.shownAttemptIndex else { return }
        let target = direction == .previousAttempt ? current - 1 : current + 1
        guard state.session.attempts.indices.contains(target) else { return }
        state.selectedAttempt = target == state.session.attempts.count - 1 ? nil : target
        state.scroll.code = .top
        state.scroll.output = .end
    }
}
