/// A view that scrolls: the plan, code and output panes and the help overlay.
public enum ScrollArea: String, Sendable, Hashable, CaseIterable {
    case plan, code, output, help

    /// The area of a pane; nil for the prompt, which keeps its cursor in view instead.
    public init?(_ pane: PaneID) {
        switch pane {
        case .plan: self = .plan
        case .code: self = .code
        case .output: self = .output
        case .prompt: return nil
        }
    }
}

/// Where a scrolling view is: a first line counted from the top, or the end (following what arrives).
///
/// The reducer moves positions by intent; the render clamps them to the content it draws
/// (``ScrollExtent/offset(of:)``), so a line offset may point past the content without harm.
public enum ScrollPosition: Sendable, Equatable {
    /// The first line shown, counted from 0 at the top of the content.
    case line(Int)
    /// The last lines are shown, however long the content grows.
    case end

    /// The top of the content.
    public static let top = ScrollPosition.line(0)

    /// The position after a motion. `Top` and `End` need nothing else; line and page steps start
    /// from what the last frame showed and stop at its ends, so they need its extent (without one,
    /// nothing has been drawn to scroll and the position stays).
    public func moved(_ motion: ScrollMotion, in extent: ScrollExtent?) -> ScrollPosition {
        switch motion {
        case .top: return .top
        case .end: return .end
        case .lineUp, .lineDown, .pageUp, .pageDown:
            guard let extent else { return self }
            let page = max(1, extent.rows - 1)
            let step: Int
            switch motion {
            case .lineUp: step = -1
            case .lineDown: step = 1
            case .pageUp: step = -page
            default: step = page
            }
            let maximum = extent.maximumOffset
            let target = max(0, min(maximum, extent.offset(of: self) + step))
            return target >= maximum ? .end : .line(target)
        }
    }
}

/// A scroll intent, from the keys bound to the scroll actions.
public enum ScrollMotion: Sendable, Equatable {
    case lineUp, lineDown, pageUp, pageDown, top, end

    /// The motion of a scroll action; nil for other actions.
    public init?(_ action: Action) {
        switch action {
        case .scrollUp: self = .lineUp
        case .scrollDown: self = .lineDown
        case .pageUp: self = .pageUp
        case .pageDown: self = .pageDown
        case .scrollTop: self = .top
        case .scrollBottom: self = .end
        default: return nil
        }
    }
}

/// How long a scrolling view's content was and how many rows showed it, as one frame drew it.
public struct ScrollExtent: Sendable, Equatable, Hashable {
    /// Content lines (after wrapping to the view's width).
    public var lines: Int
    /// Rows the view showed them in.
    public var rows: Int

    /// Creates an extent.
    public init(lines: Int, rows: Int) {
        self.lines = lines
        self.rows = rows
    }

    /// The largest useful offset: the one that shows the last line on the last row.
    public var maximumOffset: Int { max(0, lines - max(0, rows)) }

    /// The first line drawn for a position: the position clamped to the content.
    public func offset(of position: ScrollPosition) -> Int {
        switch position {
        case .line(let line): max(0, min(line, maximumOffset))
        case .end: maximumOffset
        }
    }
}

/// The scroll position of every scrolling view.
public struct ScrollPositions: Sendable, Equatable {
    /// The plan pane, from its top.
    public var plan = ScrollPosition.top
    /// The code pane, from its top (while the model streams, the pane shows the end whatever this says).
    public var code = ScrollPosition.top
    /// The output pane, following its end.
    public var output = ScrollPosition.end
    /// The help overlay, from its top each time it opens.
    public var help = ScrollPosition.top

    /// Creates the positions of a fresh workbench.
    public init() {}

    /// The position of an area.
    public subscript(area: ScrollArea) -> ScrollPosition {
        get {
            switch area {
            case .plan: plan
            case .code: code
            case .output: output
            case .help: help
            }
        }
        set {
            switch area {
            case .plan: plan = newValue
            case .code: code = newValue
            case .output: output = newValue
            case .help: help = newValue
            }
        }
    }
}
