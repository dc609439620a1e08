import CNcursesw

/// What terminfo says about a terminal type, without opening the terminal (for `wand doctor`).
public enum TerminalInfo {
    /// The number of colours of a terminal type, or nil when terminfo does not know it.
    public static func colorCount(term: String) -> Int? {
        let count = term.withCString { wand_terminfo_colors($0) }
        return count >= 0 ? Int(count) : nil
    }
}
