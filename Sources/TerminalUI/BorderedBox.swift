/// A box with a single-line border, a title on the top edge and an optional note on the bottom edge.
public struct BorderedBox: Sendable {
    /// The title, drawn on the top border.
    public var title: String
    /// Text drawn right-aligned on the bottom border (a scroll position, for instance).
    public var footer: String
    /// The border and title style.
    public var borderStyle: Style
    /// The title's style.
    public var titleStyle: Style
    /// The style the inside is cleared with.
    public var fillStyle: Style

    /// Creates a box.
    public init(title: String, footer: String = "", borderStyle: Style, titleStyle: Style, fillStyle: Style = .plain) {
        self.title = title
        self.footer = footer
        self.borderStyle = borderStyle
        self.titleStyle = titleStyle
        self.fillStyle = fillStyle
    }

    /// Draws the border and returns the inner area (empty when the box is too small to have one).
    @discardableResult
    public func draw(in rect: Rect, on buffer: inout Buffer) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else {
            buffer.fill(rect, with: Cell(" ", style: fillStyle))
            return Rect(x: rect.x, y: rect.y, width: 0, height: 0)
        }
        let right = rect.maxX - 1
        let bottom = rect.maxY - 1
        for x in (rect.x + 1)..<right {
            buffer[x, rect.y] = Cell("─", style: borderStyle)
            buffer[x, bottom] = Cell("─", style: borderStyle)
        }
        for y in (rect.y + 1)..<bottom {
            buffer[rect.x, y] = Cell("│", style: borderStyle)
            buffer[right, y] = Cell("│", style: borderStyle)
        }
        buffer[rect.x, rect.y] = Cell("┌", style: borderStyle)
        buffer[right, rect.y] = Cell("┐", style: borderStyle)
        buffer[rect.x, bottom] = Cell("└", style: borderStyle)
        buffer[right, bottom] = Cell("┘", style: borderStyle)
        if !title.isEmpty, rect.width > 4 {
            buffer.put(" " + title + " ", x: rect.x + 1, y: rect.y, style: titleStyle, limit: rect.width - 2)
        }
        if !footer.isEmpty, rect.width > 4 {
            let text = " " + footer + " "
            let columns = min(DisplayWidth.of(text), rect.width - 2)
            buffer.put(text, x: right - columns, y: bottom, style: borderStyle, limit: columns)
        }
        let inner = rect.inset(by: 1)
        buffer.fill(inner, with: Cell(" ", style: fillStyle))
        return inner
    }
}
