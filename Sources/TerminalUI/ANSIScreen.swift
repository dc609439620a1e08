/// Turns frames into the text a VT100/xterm-compatible terminal needs to show them: cursor moves and SGR
/// colours. Used where there is no terminal to draw on, such as a recording (asciicast) of the workbench.
///
/// Like the ncurses backend, it sends only the cells that changed since the frame before. Cells never hold
/// control characters (``Buffer/put(_:x:y:style:limit:)`` shows them as `�`), so the output holds no escape
/// sequences but its own.
public struct ANSIScreen: Sendable {
    /// How 24-bit colours are written: as they are, or reduced like a terminal of that depth would show them.
    public enum Colors: Sendable, Equatable {
        /// `38;2;r;g;b`, for players that show any colour.
        case trueColor
        /// Reduced to a palette (no colour at all for ``ColorDepth/none``).
        case reduced(ColorDepth)
    }

    private let colors: Colors
    private var shown: Buffer?
    private var current: Style?
    private var cursorVisible: Bool?

    /// Creates a screen that has shown nothing yet.
    public init(colors: Colors = .trueColor) {
        self.colors = colors
    }

    /// The text that brings the screen from the last frame to `frame` (all of it for the first frame or a
    /// new size); empty when nothing changed.
    public mutating func update(to frame: Frame) -> String {
        var out = ""
        let buffer = frame.buffer
        if shown == nil || shown?.width != buffer.width || shown?.height != buffer.height {
            out += "\u{1B}[0m\u{1B}[H\u{1B}[2J"
            current = Style.plain
        }
        var changed = Set(buffer.changes(since: shown).map { $0.point })
        // A wide character is written from its left half, so a changed right half rewrites the pair.
        for point in changed where buffer[point.x, point.y].isContinuation && point.x > 0 {
            changed.insert(Point(x: point.x - 1, y: point.y))
        }
        let ordered = changed.sorted { ($0.y, $0.x) < ($1.y, $1.x) }
        var next: Point?
        for point in ordered {
            let cell = buffer[point.x, point.y]
            // The left half, written just before, covers it.
            if cell.isContinuation { continue }
            if next != point { out += "\u{1B}[\(point.y + 1);\(point.x + 1)H" }
            if cell.style != current {
                out += sgr(cell.style)
                current = cell.style
            }
            out += cell.symbol
            next = Point(x: point.x + max(1, DisplayWidth.of(cell.symbol)), y: point.y)
        }
        let visible = frame.cursor != nil
        if let cursor = frame.cursor, !out.isEmpty || cursorVisible != true {
            out += "\u{1B}[\(cursor.y + 1);\(cursor.x + 1)H"
        }
        if visible != cursorVisible {
            out += visible ? "\u{1B}[?25h" : "\u{1B}[?25l"
            cursorVisible = visible
        }
        shown = buffer
        return out
    }

    /// The text that hands the terminal back after the last frame: default colours, the cursor shown at
    /// the start of the bottom row (a newline there would scroll the frame's top row away).
    public func finish() -> String {
        "\u{1B}[0m\u{1B}[\(shown?.height ?? 1);1H\u{1B}[?25h"
    }

    /// The SGR sequence that sets exactly this style.
    func sgr(_ style: Style) -> String {
        var codes = ["0"]
        if style.attributes.contains(.bold) { codes.append("1") }
        if style.attributes.contains(.dim) { codes.append("2") }
        if style.attributes.contains(.italic) { codes.append("3") }
        if style.attributes.contains(.underline) { codes.append("4") }
        if style.attributes.contains(.reverse) { codes.append("7") }
        codes += colorCodes(style.foreground, foreground: true)
        codes += colorCodes(style.background, foreground: false)
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    private func colorCodes(_ color: Color, foreground: Bool) -> [String] {
        let base = foreground ? 30 : 40
        if case .rgb(let red, let green, let blue) = color, colors == .trueColor {
            return ["\(base + 8);2;\(red);\(green);\(blue)"]
        }
        let depth: ColorDepth
        switch colors {
        case .trueColor: depth = .indexed256
        case .reduced(let reduced): depth = reduced
        }
        let (index, bold) = ColorMapper.map(color, depth: depth)
        guard let index else { return [] }
        var codes: [String]
        switch index {
        case 0..<8: codes = ["\(base + index)"]
        case 8..<16 where depth != .indexed256: codes = ["\(base + 60 + index - 8)"]
        default: codes = ["\(base + 8);5;\(index)"]
        }
        if bold, foreground { codes.insert("1", at: 0) }
        return codes
    }
}
