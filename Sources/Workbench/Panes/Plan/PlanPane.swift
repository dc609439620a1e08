import TerminalUI
import WandEngine

/// The Plan pane: the plan's steps with their status marks, or the attempts so far, then the answer.
enum PlanPane {
    /// The mark drawn before a step.
    static func mark(_ status: StepStatus) -> String {
        switch status {
        case .pending: "○"
        case .active: "▶"
        case .done: "✓"
        case .failed: "✗"
        case .skipped: "–"
        }
    }

    /// Lines of the goal shown above the plan at most; a longer goal ends with `…` (the prompt's history
    /// holds it whole).
    static let goalLineLimit = 4

    /// The pane's content lines for a width.
    static func lines(_ state: ViewState, theme: Theme, width: Int) -> [StyledLine] {
        let session = state.session
        var lines: [StyledLine] = []
        let text = theme.style("text")
        // Live, the prompt is cleared for the next goal, so the run's goal stays in sight here (a replay
        // shows it in the Goal pane).
        if state.mode == .live, session.run > 0 {
            lines.append(StyledLine("Goal", style: theme.style("plan.heading")))
            lines += goalLines(session.goal, style: text, width: width)
            lines.append(StyledLine())
        }
        if !session.plan.isEmpty {
            for (index, step) in session.plan.enumerated() {
                let role = "plan.step.\(step.status.rawValue)"
                let line = StyledLine([Span("\(mark(step.status)) \(index + 1). ", style: theme.style(role)),
                                       Span(step.title, style: step.status == .active ? theme.style(role) : text)])
                lines += PaneChrome.wrap(line, width: width, indent: 5)
            }
        } else {
            let attempts = session.attempts.filter { $0.run == session.run }
            if attempts.isEmpty {
                let hint: String
                if state.mode == .replay {
                    hint = session.run == 0 ? "Press Space to play, → to step." : "No plan in this run."
                } else {
                    hint = session.run == 0 ? "Type a goal below and press Enter."
                        : session.isRunning ? "Thinking…" : "No code ran in this run."
                }
                lines += StyledLine(hint, style: theme.style("text.muted")).wrapped(to: width)
            }
            for attempt in attempts {
                let status: StepStatus
                let detail: String
                if attempt.isRunning {
                    status = .active
                    detail = "running"
                } else if attempt.awaitingApproval {
                    status = .active
                    detail = "awaiting approval"
                } else if let result = attempt.result {
                    status = result.succeeded ? .done : .failed
                    detail = result.limit.map { "\($0.rawValue) limit" } ?? result.error.map { Self.shortError($0) }
                        ?? "exit \(result.exitStatus ?? -1)"
                } else if attempt.approval == .skip {
                    status = .skipped
                    detail = "skipped"
                } else if attempt.startedAt != nil {
                    // Started, never finished, and no longer running: the run was interrupted under it.
                    status = .failed
                    detail = "interrupted"
                } else {
                    status = .pending
                    detail = "proposed"
                }
                let role = "plan.step.\(status.rawValue)"
                let line = StyledLine([Span("\(mark(status)) #\(attempt.number) ", style: theme.style(role)),
                                       Span("\(attempt.language.rawValue) · \(detail)", style: text)])
                lines += PaneChrome.wrap(line, width: width, indent: 3)
            }
        }
        if let answer = session.answer {
            lines.append(StyledLine())
            lines.append(StyledLine("Answer", style: theme.style("plan.heading")))
            for part in answer.split(separator: "\n", omittingEmptySubsequences: false) {
                lines += StyledLine(String(part), style: theme.style("plan.answer")).wrapped(to: width)
            }
            if let source = session.answerSource {
                lines += StyledLine("— " + source.summary, style: theme.style("text.muted")).wrapped(to: width)
            }
        }
        if let status = session.runStatus, status != .answered {
            lines.append(StyledLine())
            let reason = session.runReason.map { ": \($0)" } ?? ""
            lines += StyledLine("Run \(status.rawValue)\(reason)", style: theme.style("plan.status.failed"))
                .wrapped(to: width)
        }
        for notice in session.notices.suffix(3) where notice.level != .info {
            lines += StyledLine("⚠ " + notice.message, style: theme.style("notice.\(notice.level.rawValue)"))
                .wrapped(to: width)
        }
        return lines
    }

    /// The goal wrapped to the width, cut to ``goalLineLimit`` lines.
    static func goalLines(_ goal: String, style: Style, width: Int) -> [StyledLine] {
        let wrapped = goal.split(separator: "\n", omittingEmptySubsequences: false).flatMap {
            StyledLine(String($0), style: style).expandingTabs().wrapped(to: max(1, width))
        }
        guard wrapped.count > goalLineLimit else { return wrapped }
        var kept = Array(wrapped.prefix(goalLineLimit))
        var last = kept[goalLineLimit - 1].text
        while !last.isEmpty, DisplayWidth.of(last) > width - 1 { last.removeLast() }
        kept[goalLineLimit - 1] = StyledLine(last + "…", style: style)
        return kept
    }

    /// The first line of an exception summary, shortened.
    static func shortError(_ error: String) -> String {
        let first = error.split(separator: "\n").first.map(String.init) ?? error
        return first.count > 60 ? String(first.prefix(59)) + "…" : first
    }

    /// Draws the pane at its scroll position clamped to the content; returns the content's extent.
    static func draw(_ state: ViewState, theme: Theme, in rect: Rect, on buffer: inout Buffer) -> ScrollExtent {
        let focused = state.focus == .plan && state.overlay == nil
        let inner = rect.inset(by: 1)
        let content = lines(state, theme: theme, width: inner.width)
        let extent = ScrollExtent(lines: content.count, rows: inner.height)
        let offset = extent.offset(of: state.scroll.plan)
        var title = PaneID.plan.title
        if state.session.planRevision > 1 { title += " · rev \(state.session.planRevision)" }
        let box = PaneChrome.frame(title: title,
                                   footer: PaneChrome.position(offset: offset, visible: inner.height, total: content.count),
                                   focused: focused, in: rect, theme: theme, on: &buffer)
        PaneChrome.content(content, offset: offset, in: box, on: &buffer)
        return extent
    }
}
