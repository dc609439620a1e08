import Foundation
import TerminalUI
import WandEngine

/// The two sides of a comparison in two columns, each with its plan, code, output and answer, and the
/// run's tokens and time; drawn where the plan, code and output panes go.
enum CompareLayout {
    /// Where one column's boxes go: a pure function of the column's rectangle.
    struct Column: Equatable {
        var plan: Rect
        var code: Rect
        var output: Rect
        var answer: Rect

        init(_ rect: Rect) {
            let answerHeight = rect.height >= 16 ? 4 : 3
            let planHeight = max(3, rect.height / 5)
            let parts = rect.split(.vertical, [.fixed(planHeight), .fill, .percent(30), .fixed(answerHeight)])
            plan = parts[0]
            code = parts[1]
            output = parts[2]
            answer = parts[3]
        }
    }

    /// The columns for an area, side by side.
    static func columns(in area: Rect, count: Int) -> [Rect] {
        area.split(.horizontal, Array(repeating: .fill, count: max(1, count)))
    }

    /// Draws every side.
    static func draw(_ comparison: ComparisonState, _ state: ViewState, theme: Theme, in area: Rect, on buffer: inout Buffer) {
        for (index, rect) in columns(in: area, count: comparison.sides.count).enumerated() {
            drawSide(comparison.sides[index], number: index + 1, state, theme: theme, in: Column(rect), on: &buffer)
        }
    }

    /// A view of the workbench showing one side, so the panes' own line builders draw it.
    static func view(of side: ComparisonState.Side, number: Int, _ state: ViewState) -> ViewState {
        var view = state
        view.session = side.session
        view.comparisonSide = number
        view.selectedAttempt = nil
        view.scroll = ScrollPositions()
        view.overlay = nil
        view.focus = .prompt
        view.editingApproval = nil
        return view
    }

    /// `412 tok · 3.1 s`.
    static func metrics(_ side: ComparisonState.Side, now: Date?) -> String {
        let tokens = StatusBar.formatCount(side.session.usage.total)
        let milliseconds = Int((side.seconds(now: side.isRunning ? now : nil) * 1000).rounded())
        return "\(tokens) tok · \(TranscriptPrinter.formatDuration(ms: milliseconds))"
    }

    private static func drawSide(_ side: ComparisonState.Side, number: Int, _ state: ViewState, theme: Theme, in column: Column,
                                 on buffer: inout Buffer) {
        var view = view(of: side, number: number, state)
        let header = "\(number) · \(side.lane.strategy) · \(side.lane.model.name)"
        let waiting = side.runStart == nil
        var planView = view
        planView.session.answer = nil
        let planLines = waiting
            ? StyledLine(number == 1 ? "Starting…" : "Waits for side \(number - 1) to finish.", style: theme.style("text.muted"))
                .wrapped(to: max(1, column.plan.width - 2))
            : PlanPane.lines(planView, theme: theme, width: column.plan.width - 2)
        box(header, lines: planLines, followEnd: true, theme: theme, in: column.plan, on: &buffer)

        if waiting { view.session.modelText = "" }
        let codeLines = waiting ? [] : CodePane.lines(view, theme: theme, width: column.code.width - 2)
        box(waiting ? "Code" : CodePane.title(view), lines: codeLines, followEnd: CodePane.showsStream(view), theme: theme,
            in: column.code, on: &buffer)

        let outputLines = waiting ? [] : OutputPane.lines(view, theme: theme, width: column.output.width - 2)
        box("Output", lines: outputLines, followEnd: true, theme: theme, in: column.output, on: &buffer)

        box(answerTitle(side, now: state.now), lines: answerLines(side, theme: theme, width: column.answer.width - 2),
            followEnd: false, theme: theme, in: column.answer, on: &buffer)
    }

    /// `Answer · answered · 412 tok · 3.1 s`.
    static func answerTitle(_ side: ComparisonState.Side, now: Date?) -> String {
        guard side.runStart != nil else { return "Answer · waiting" }
        let status: String
        if let runStatus = side.session.runStatus {
            status = runStatus.rawValue
        } else {
            status = "running"
        }
        return "Answer · \(status) · \(metrics(side, now: now))"
    }

    static func answerLines(_ side: ComparisonState.Side, theme: Theme, width: Int) -> [StyledLine] {
        let width = max(1, width)
        if let answer = side.session.answer {
            let text = answer.replacingOccurrences(of: "\n", with: " ⏎ ")
            var lines = StyledLine(text, style: theme.style("plan.answer")).wrapped(to: width)
            if let source = side.session.answerSource {
                lines += StyledLine("— " + source.summary, style: theme.style("text.muted")).wrapped(to: width)
            }
            return lines
        }
        if let status = side.session.runStatus {
            let reason = side.session.runReason.map { ": \($0)" } ?? ""
            return StyledLine("No answer (\(status.rawValue)\(reason))", style: theme.style("plan.status.failed")).wrapped(to: width)
        }
        return [StyledLine(side.runStart == nil ? "" : "…", style: theme.style("text.muted"))]
    }

    private static func box(_ title: String, lines: [StyledLine], followEnd: Bool, theme: Theme, in rect: Rect,
                            on buffer: inout Buffer) {
        let inner = rect.inset(by: 1)
        let offset = followEnd ? ScrollExtent(lines: lines.count, rows: inner.height).maximumOffset : 0
        let area = PaneChrome.frame(title: title, footer: PaneChrome.position(offset: offset, visible: inner.height, total: lines.count),
                                    focused: false, in: rect, theme: theme, on: &buffer)
        PaneChrome.content(lines, offset: offset, in: area, on: &buffer)
    }
}
