import Foundation
import TerminalUI
import WandEngine

/// The Output pane: stdout and stderr of the shown attempt (stderr marked in the gutter), the final
/// expression's value, the traceback, and how the run ended.
enum OutputPane {
    /// The pane's content lines for a width.
    static func lines(_ state: ViewState, theme: Theme, width: Int) -> [StyledLine] {
        let width = max(1, width)
        guard let attempt = state.shownAttempt else {
            return StyledLine("No output yet.", style: theme.style("text.muted")).wrapped(to: width)
        }
        var lines: [StyledLine] = []
        let stdoutGutter = Span("  ", style: theme.style("output.stdout"))
        let stderrGutter = Span("┃ ", style: theme.style("output.marker"))
        if attempt.outputDropped > 0 {
            lines += StyledLine("… \(TranscriptPrinter.formatSize(bytes: attempt.outputDropped)) of earlier output not shown; the session file has all of it",
                                style: theme.style("text.muted")).wrapped(to: width)
        }
        for (index, chunk) in attempt.output.enumerated() {
            lines += toolLines(attempt.toolCalls.filter { $0.outputIndex == index }, theme: theme, width: width)
            // Split on the newline byte: as Characters, "\r\n" is one character and never equals "\n",
            // so output with CRLF line ends would show as a single line.
            var text = chunk.text.utf8[...]
            if text.last == 0x0A { text = text.dropLast() }
            let style = theme.style(chunk.stream == .stderr ? "output.stderr" : "output.stdout")
            let gutter = chunk.stream == .stderr ? stderrGutter : stdoutGutter
            for part in text.split(separator: 0x0A, omittingEmptySubsequences: false) {
                let content = part.contains(0x0D) ? String(Substring(part).unicodeScalars.filter { $0 != "\r" }) : String(Substring(part))
                let line = StyledLine([gutter, Span(content, style: style)]).expandingTabs()
                lines += PaneChrome.wrap(line, width: width, indent: 2)
            }
        }
        lines += toolLines(attempt.toolCalls.filter { $0.outputIndex >= attempt.output.count }, theme: theme, width: width)
        if let result = attempt.result {
            if let traceback = result.traceback, !traceback.isEmpty {
                for part in traceback.split(separator: "\n", omittingEmptySubsequences: false) {
                    let line = StyledLine([stderrGutter, Span(String(part), style: theme.style("output.stderr"))])
                    lines += PaneChrome.wrap(line, width: width, indent: 2)
                }
            }
            if let value = result.value {
                for (index, part) in value.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let line = StyledLine([Span(index == 0 ? "→ " : "  ", style: theme.style("output.value")),
                                           Span(String(part), style: theme.style("output.value"))])
                    lines += PaneChrome.wrap(line, width: width, indent: 2)
                }
            }
            let ok = result.succeeded
            let status = StyledLine((ok ? "✓ " : "✗ ") + TranscriptPrinter.describe(result),
                                    style: theme.style(ok ? "output.status.ok" : "output.status.error"))
            lines += status.wrapped(to: width)
            lines += fileLines(result, workspace: state.workspace, theme: theme, width: width)
        } else if attempt.isRunning {
            var text = "▶ running…"
            if state.mode == .live, let now = state.now, let started = attempt.startedAt {
                text += " " + TranscriptPrinter.formatDuration(ms: max(0, Int(now.timeIntervalSince(started) * 1000)))
            }
            lines.append(StyledLine(text, style: theme.style("output.status.running")))
        } else if attempt.awaitingApproval {
            lines.append(StyledLine("Waiting for approval.", style: theme.style("notice.warning")))
        } else if attempt.approval == .skip {
            lines.append(StyledLine("Skipped by the user.", style: theme.style("text.muted")))
        } else if attempt.startedAt != nil {
            lines += StyledLine("✗ interrupted: the run ended before this execution did", style: theme.style("output.status.error"))
                .wrapped(to: width)
        }
        return lines
    }

    /// Tool calls as they happened between the output: the call, then its result or why it failed.
    static func toolLines(_ calls: [ToolCallState], theme: Theme, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        for call in calls {
            let gutter = Span("⚙ ", style: theme.style("output.value"))
            lines += PaneChrome.wrap(StyledLine([gutter, Span(TranscriptPrinter.describe(call.called), style: theme.style("output.value"))]),
                                     width: width, indent: 2)
            let outcome: String
            let style: String
            if let result = call.result {
                outcome = "→ " + TranscriptPrinter.describe(result)
                style = result.outcome == .ok ? "output.value" : "output.status.error"
            } else if call.awaitingApproval {
                outcome = "waiting for your approval"
                style = "notice.warning"
            } else {
                outcome = "calling…"
                style = "output.status.running"
            }
            lines += PaneChrome.wrap(StyledLine([Span("  ", style: theme.style(style)), Span(outcome, style: theme.style(style))]),
                                     width: width, indent: 2)
        }
        return lines
    }

    /// The files the attempt saved, then the workspace they are in, when the app knows where that is.
    static func fileLines(_ result: ExecFinished, workspace: String?, theme: Theme, width: Int) -> [StyledLine] {
        let described = TranscriptPrinter.describeFiles(of: result)
        guard !described.isEmpty else { return [] }
        var lines: [StyledLine] = []
        for (index, text) in described.enumerated() {
            let listed = index < result.files?.count ?? 0
            let style = theme.style(listed ? "output.file" : "text.muted")
            lines += PaneChrome.wrap(StyledLine([Span(listed ? "▤ " : "  ", style: style), Span(InertText.make(text), style: style)]),
                                     width: width, indent: 2)
        }
        if let workspace {
            lines += PaneChrome.wrap(StyledLine([Span("  in ", style: theme.style("text.muted")),
                                                 Span(InertText.make(workspace), style: theme.style("text.muted"))]),
                                     width: width, indent: 2)
        }
        return lines
    }

    /// Draws the pane at its scroll position clamped to the content (at the end while following);
    /// returns the content's extent.
    static func draw(_ state: ViewState, theme: Theme, in rect: Rect, on buffer: inout Buffer) -> ScrollExtent {
        let focused = state.focus == .output && state.overlay == nil
        let inner = rect.inset(by: 1)
        let content = lines(state, theme: theme, width: inner.width)
        let extent = ScrollExtent(lines: content.count, rows: inner.height)
        let offset = extent.offset(of: state.scroll.output)
        var title = PaneID.output.title
        if let index = state.shownAttemptIndex { title += " · attempt \(index + 1)" }
        let box = PaneChrome.frame(title: title,
                                   footer: PaneChrome.position(offset: offset, visible: inner.height, total: content.count),
                                   focused: focused, in: rect, theme: theme, on: &buffer)
        PaneChrome.content(content, offset: offset, in: box, on: &buffer)
        if state.mode == .live, let pending = state.session.pendingToolApproval {
            let keys = [Action.approveRun, .approveSkip, .approveAlways]
                .compactMap { state.keymap.keys(for: $0, in: .approval).first?.displayName }
            let question = " Allow tools.\(pending.called.server).\(pending.called.tool)? " + keys.joined(separator: "/") + " "
            let width = min(DisplayWidth.of(question), max(0, rect.width - 2))
            buffer.put(question, x: rect.maxX - 1 - width, y: rect.maxY - 1, style: theme.style("notice.warning"), limit: width)
        }
        return extent
    }
}
