public import TerminalUI

/// A drawn workbench: the frame, and how far each scrolling view in it could scroll.
public struct RenderedWorkbench: Sendable, Equatable {
    /// The cells and cursor.
    public var frame: Frame
    /// The content length and rows of each scrolling view the frame shows (none when the terminal is too small).
    public var scrollExtents: [ScrollArea: ScrollExtent]
}

/// Renders the whole workbench: a pure function from state and theme to a frame.
///
/// Scroll positions are clamped here, to the content being drawn (ratatui's stateful widgets); what
/// the clamping found goes back to the reducer only as ``RenderedWorkbench/scrollExtents``.
public enum WorkbenchRenderer {
    /// The frame for a state, at the state's size.
    public static func render(_ state: ViewState, theme: Theme) -> Frame {
        draw(state, theme: theme).frame
    }

    /// The frame for a state and the extents of its scrolling views.
    public static func draw(_ state: ViewState, theme: Theme) -> RenderedWorkbench {
        var buffer = Buffer(width: state.size.width, height: state.size.height, fill: Cell(" ", style: theme.style("text")))
        guard let layout = layout(for: state) else {
            TooSmallNotice.draw(state, theme: theme, on: &buffer)
            return RenderedWorkbench(frame: Frame(buffer: buffer, cursor: nil), scrollExtents: [:])
        }
        var extents: [ScrollArea: ScrollExtent] = [:]
        if let comparison = state.comparison {
            CompareLayout.draw(comparison, state, theme: theme, in: layout.panes, on: &buffer)
        } else {
            extents[.plan] = PlanPane.draw(state, theme: theme, in: layout.plan, on: &buffer)
            extents[.code] = CodePane.draw(state, theme: theme, in: layout.code, on: &buffer)
            extents[.output] = OutputPane.draw(state, theme: theme, in: layout.output, on: &buffer)
        }
        var cursor = PromptPane.draw(state, theme: theme, in: layout.prompt, on: &buffer)
        CommandLineHint.draw(state, theme: theme, in: layout.prompt, on: &buffer)
        StatusBar.draw(state, theme: theme, in: layout.status, on: &buffer)
        switch state.overlay {
        case .help:
            extents[.help] = HelpOverlay.draw(state, theme: theme, in: buffer.area, on: &buffer)
            cursor = nil
        case .welcome(let message):
            WelcomeOverlay.draw(state, message: message, theme: theme, in: buffer.area, on: &buffer)
            cursor = nil
        case .palette(let palette):
            cursor = palette.draw(state, theme: theme, in: buffer.area, on: &buffer)
        case .sessions(let browser):
            cursor = browser.draw(state, theme: theme, in: buffer.area, on: &buffer)
        case nil:
            break
        }
        return RenderedWorkbench(frame: Frame(buffer: buffer, cursor: cursor), scrollExtents: extents)
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
        case .plan: _ = PlanPane.draw(state, theme: theme, in: area, on: &buffer)
        case .code: _ = CodePane.draw(state, theme: theme, in: area, on: &buffer)
        case .output: _ = OutputPane.draw(state, theme: theme, in: area, on: &buffer)
        case .prompt:
            cursor = PromptPane.draw(state, theme: theme, in: area, on: &buffer)
            CommandLineHint.draw(state, theme: theme, in: area, on: &buffer)
        }
        return Frame(buffer: buffer, cursor: cursor)
    }

    /// Renders the status bar alone in one row of the given width.
    public static func renderStatusBar(_ state: ViewState, theme: Theme, width: Int) -> Frame {
        var buffer = Buffer(width: width, height: 1)
        StatusBar.draw(state, theme: theme, in: buffer.area, on: &buffer)
        return Frame(buffer: buffer)
    }
}
