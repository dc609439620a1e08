import TerminalUI

/// Shown instead of the panes when the terminal is below the minimum size: a clear notice, clipped to
/// whatever room there is, never garbage and never a crash.
enum TooSmallNotice {
    /// The notice's words for a size.
    static func message(for size: Size, quitKey: String) -> String {
        let minimum = WorkbenchLayout.minimumSize
        return "Terminal too small: \(size.width)x\(size.height). Wand needs \(minimum.width)x\(minimum.height). "
            + "Enlarge the window, or press \(quitKey) to quit."
    }

    /// Draws the notice, word-wrapped and centred.
    static func draw(_ state: ViewState, theme: Theme, on buffer: inout Buffer) {
        let area = buffer.area
        guard !area.isEmpty else { return }
        buffer.fill(area, with: Cell(" ", style: theme.style("text")))
        let quit = state.keymap.firstKey(for: .quit, in: [.global])?.displayName ?? "^Q"
        let words = message(for: state.size, quitKey: quit).split(separator: " ")
        let minimum = WorkbenchLayout.minimumSize
        let compact = ["Too small", "\(state.size.width)x\(state.size.height)<\(minimum.width)x\(minimum.height)", "\(quit) quits"]
        var lines: [String] = []
        var current = ""
        for word in words {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if DisplayWidth.of(candidate) <= area.width || current.isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > area.height || lines.contains(where: { DisplayWidth.of($0) > area.width }) { lines = compact }
        let top = max(0, (area.height - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < area.height {
            let style = theme.style(index == 0 ? "notice.warning" : "text")
            let x = max(0, (area.width - DisplayWidth.of(line)) / 2)
            buffer.put(line, x: x, y: top + index, style: style, limit: area.width - x)
        }
    }
}
