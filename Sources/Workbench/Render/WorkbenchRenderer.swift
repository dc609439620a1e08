public import TerminalUI

/// Renders the whole workbench: a pure function from state and theme to a frame.
public enum WorkbenchRenderer {
    /// The frame for a state, at the state's size.
    public static func render(_ state: ViewState, theme: Theme) -> Frame {
        var buffer = Buffer(width: state.size.width, height: state.size.height, fill: Cell(" ", style: theme.style("text")))
        guard let layout = layout(for: state) else {
            TooSmallNotice.draw(state, theme: theme, on: &buffer)
            return Frame(buffer: buffer, cursor: nil)
        }
        PlanPane.draw(state, theme: theme, in: layout.plan, on: &buffer)
        CodePane.draw(state, theme: theme, in: layout.code, on: &buffer)
        OutputPane.draw(state, theme: theme, in: layout.output, on: &buffer)
        var cursor = PromptPane.draw(state, theme: theme, in: layout.prompt, on: &buffer)
        StatusBar.draw(state, theme: theme, in: layout.status, on: &buffer)
        switch state.overlay {
        case .help(let scroll):
            HelpOverlay.draw(state, scroll: scroll, theme: theme, in: buffer.area, on: &buffer)
            cursor = nil
        case .welcome(let message):
            WelcomeOverlay.draw(state, message: message, theme: theme, in: buffer.area, on: &buffer)
            cursor = nil
        case nil:
            break
        }
        return Frame(buffer: buffer, cursor: cursor)
    }

    /// The layout for the state's size and prompt, or nil when the terminal is too small.
    public static func layout(for state: ViewState) -> WorkbenchLayout? {
        let promptLines = PromptPane.lineCount(state, width: state.size.width)
        return WorkbenchLayout.compute(size: state.size, promptLines: promptLines)
    }

    /// Renders one pane alone, filling a buffer of the given size (for pane snapshots).
    public static func renderPane(_ pane: PaneID, _ state: ViewState, theme: Theme, size: Size) -> Frame {
        var buffer = Buffer(width: size.width, height: size.height, fill: Cell(" ", style: theme.style("text")))
        let area = buffer.area
        var cursor: Point?
        switch pane {
        case .plan: PlanPane.draw(state, theme: theme, in: area, on: &buffer)
        case .code: CodePane.draw(state, theme: theme, in: area, on: &buffer)
        case .output: OutputPane.draw(state, theme: theme, in: area, on: &buffer)
        case .prompt: cursor = PromptPane.draw(state, theme: theme, in: area, on: &buffer)
        }
        return Frame(buffer: buffer, cursor: cursor)
    }

    /// Renders the status bar alone in one row of the given width.
    public static func renderStatusBar(_ state: ViewState, theme: Theme, width: Int) -> Frame {
        var buffer = Buffer(width: width, height: 1)
        StatusBar.draw(state, theme: theme, in: buffer.area, on: &buffer)
        return Frame(buffer: buffer)
    }

    /// Content line count and visible rows of a scrolling pane at the state's size (for the reducer).
    static func measure(_ pane: PaneID, _ state: ViewState) -> (total: Int, visible: Int)? {
        guard let layout = layout(for: state) else { return nil }
        let inner = layout.rect(of: pane).inset(by: 1)
        let theme = Theme.fallback
        let total: Int
        switch pane {
        case .plan: total = PlanPane.lines(state, theme: theme, width: inner.width).count
        case .code: total = CodePane.lines(state, theme: theme, width: inner.width).count
        case .output: total = OutputPane.lines(state, theme: theme, width: inner.width).count
        case .prompt: return nil
        }
        return (total, inner.height)
    }

    /// Content line count and visible rows of the help overlay at the state's size (for the reducer).
    static func measureHelp(_ state: ViewState) -> (total: Int, visible: Int) {
        let width = HelpOverlay.width(screenWidth: state.size.width)
        let total = HelpOverlay.lines(state, theme: .fallback, width: max(1, width - 2)).count
        return (total, max(0, HelpOverlay.height(screenHeight: state.size.height, lineCount: total) - 2))
    }
}
