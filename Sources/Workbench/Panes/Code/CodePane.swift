import TerminalUI
import WandEngine

/// The Code pane: the shown attempt, after the model's thought that came with it, with line numbers and
/// highlighting; or the model's text as it streams.
enum CodePane {
    /// Whether the pane shows the streaming model text (or the reply an interruption cut off) rather than an attempt.
    static func showsStream(_ state: ViewState) -> Bool {
        (state.session.isGenerating || state.session.interruptedReply != nil) && state.selectedAttempt == nil
    }

    /// The pane's content lines for a width.
    static func lines(_ state: ViewState, theme: Theme, width: Int) -> [StyledLine] {
        if showsStream(state) {
            let streamed = state.session.interruptedReply ?? state.session.modelText
            let text = streamed.isEmpty ? "…" : streamed
            return text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line in
                StyledLine(String(line), style: theme.style("code.streaming")).expandingTabs().wrapped(to: max(1, width))
            }
        }
        guard let attempt = state.shownAttempt else {
            let hint = state.mode == .replay ? "No code yet at this point of the replay." : "No code yet."
            return StyledLine(hint, style: theme.style("text.muted")).wrapped(to: max(1, width))
        }
        var lines: [StyledLine] = []
        // The model's thought before its code, so a reader sees why it wrote it, not only what.
        if let thought = attempt.thought {
            for line in thought.split(separator: "\n", omittingEmptySubsequences: false) {
                lines += StyledLine(String(line), style: theme.style("code.thought")).expandingTabs().wrapped(to: max(1, width))
            }
            lines.append(StyledLine())
        }
        let tokens = SyntaxHighlighter.highlight(attempt.source, language: attempt.language)
        let gutter = String(tokens.count).count
        let numberStyle = theme.style("code.line-number")
        for (index, lineTokens) in tokens.enumerated() {
            let number = String(index + 1)
            let prefix = Span(String(repeating: " ", count: gutter - number.count) + number + " ", style: numberStyle)
            let body = StyledLine(lineTokens.map { Span($0.text, style: theme.style($0.role)) }).expandingTabs()
            let line = StyledLine([prefix] + body.spans)
            lines += PaneChrome.wrap(line, width: max(1, width), indent: gutter + 1)
        }
        return lines
    }

    /// The title: attempt number among all, language and plan step.
    static func title(_ state: ViewState) -> String {
        if showsStream(state) {
            return state.session.isGenerating ? "Code · model writing (call \(state.session.modelCall))"
                : "Code · model's reply, cut off (call \(state.session.modelCall))"
        }
        guard let attempt = state.shownAttempt, let index = state.shownAttemptIndex else { return PaneID.code.title }
        var title = "Code · attempt \(index + 1)/\(state.session.attempts.count) · \(attempt.language.rawValue)"
        if let step = attempt.step { title += " · step \(step + 1)" }
        if attempt.approval == .edit { title += " · edited" }
        return title
    }

    /// Draws the pane, with the approval question on its bottom edge when code waits for approval;
    /// returns the content's extent.
    static func draw(_ state: ViewState, theme: Theme, in rect: Rect, on buffer: inout Buffer) -> ScrollExtent {
        let focused = state.focus == .code && state.overlay == nil
        let inner = rect.inset(by: 1)
        let content = lines(state, theme: theme, width: inner.width)
        let extent = ScrollExtent(lines: content.count, rows: inner.height)
        let offset = extent.offset(of: showsStream(state) ? .end : state.scroll.code)
        var footer = PaneChrome.position(offset: offset, visible: inner.height, total: content.count)
        if state.session.attempts.count > 1, footer.isEmpty { footer = "[ ] attempts" }
        let box = PaneChrome.frame(title: title(state), footer: footer, focused: focused, in: rect, theme: theme,
                                   on: &buffer)
        PaneChrome.content(content, offset: offset, in: box, on: &buffer)
        if state.mode == .live, state.editingApproval == nil, state.session.activeAttempt?.awaitingApproval == true {
            var question = " Run it? " + approvalHints(state.keymap) + " "
            if DisplayWidth.of(question) > rect.width - 2 {
                let keys = [Action.approveRun, .approveSkip, .approveEdit, .approveAlways]
                    .compactMap { state.keymap.keys(for: $0, in: .approval).first?.displayName }
                question = " Run? " + keys.joined(separator: "/") + " "
            }
            let width = min(DisplayWidth.of(question), max(0, rect.width - 2))
            buffer.put(question, x: rect.maxX - 1 - width, y: rect.maxY - 1, style: theme.style("notice.warning"),
                       limit: width)
        }
        return extent
    }

    /// `y run · n skip · e edit · a always`, from the keymap.
    static func approvalHints(_ keymap: Keymap) -> String {
        let actions: [(Action, String)] = [(.approveRun, "run"), (.approveSkip, "skip"), (.approveEdit, "edit"),
                                           (.approveAlways, "always")]
        return actions.compactMap { action, label in
            keymap.keys(for: action, in: .approval).first.map { "\($0.displayName) \(label)" }
        }.joined(separator: " · ")
    }
}
