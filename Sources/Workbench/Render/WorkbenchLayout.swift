public import TerminalUI

/// Where each pane goes for a terminal size: a pure function of the size and the prompt's height.
public struct WorkbenchLayout: Sendable, Equatable {
    /// The smallest terminal the workbench draws panes in; below it shows a notice instead.
    public static let minimumSize = Size(width: 32, height: 10)

    /// The plan pane.
    public var plan: Rect
    /// The code pane.
    public var code: Rect
    /// The output pane.
    public var output: Rect
    /// The prompt pane.
    public var prompt: Rect
    /// The status bar (one row).
    public var status: Rect

    /// The area of the plan, code and output panes together (where a comparison's columns go).
    public var panes: Rect {
        Rect(x: plan.x, y: plan.y, width: code.maxX - plan.x, height: plan.height)
    }

    /// The rectangle of a pane.
    public func rect(of pane: PaneID) -> Rect {
        switch pane {
        case .prompt: prompt
        case .plan: plan
        case .code: code
        case .output: output
        }
    }

    /// The most prompt lines shown at once for a height.
    public static func maximumPromptLines(height: Int) -> Int { max(1, min(6, (height - 1) / 6)) }

    /// The layout for a size, or nil when the terminal is below ``minimumSize``.
    public static func compute(size: Size, promptLines: Int) -> WorkbenchLayout? {
        guard size.width >= minimumSize.width, size.height >= minimumSize.height else { return nil }
        let screen = Rect(x: 0, y: 0, width: size.width, height: size.height)
        let promptHeight = min(max(1, promptLines), maximumPromptLines(height: size.height)) + 2
        let rows = screen.split(.vertical, [.fill, .fixed(promptHeight), .fixed(1)])
        let planWidth = size.width >= 70 ? min(40, max(22, size.width / 4)) : max(12, size.width / 3)
        let columns = rows[0].split(.horizontal, [.fixed(planWidth), .fill])
        let right = columns[1].split(.vertical, [.percent(55), .fill])
        return WorkbenchLayout(plan: columns[0], code: right[0], output: right[1], prompt: rows[1], status: rows[2])
    }
}
