/// A key press, independent of the terminal library that read it.
public enum Key: Hashable, Sendable {
    /// A printable character.
    case character(Character)
    /// Ctrl with a letter (stored lowercase), e.g. Ctrl-Q is `.control("q")`.
    case control(Character)
    /// Alt (Meta) with a character.
    case alt(Character)
    case enter, altEnter, tab, backTab, escape, backspace, delete, insert
    case up, down, left, right, home, end, pageUp, pageDown
    /// A function key, F1 to F24.
    case function(Int)
    /// The terminal was resized.
    case resize

    /// Parses a key name as written in key files and shown in help: `ctrl-q`, `shift-tab`, `f1`, `space`, `?`.
    public init?(name: String) {
        let lower = name.lowercased()
        switch lower {
        case "enter", "return": self = .enter
        case "alt-enter", "meta-enter": self = .altEnter
        case "tab": self = .tab
        case "shift-tab", "backtab": self = .backTab
        case "esc", "escape": self = .escape
        case "backspace": self = .backspace
        case "delete", "del": self = .delete
        case "insert", "ins": self = .insert
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "home": self = .home
        case "end": self = .end
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        case "space": self = .character(" ")
        default:
            if lower.hasPrefix("ctrl-"), lower.count == 6, let letter = lower.last {
                self = .control(letter)
            } else if lower.hasPrefix("alt-"), name.count == 5, let character = name.last {
                self = .alt(character)
            } else if lower.hasPrefix("f"), let number = Int(lower.dropFirst()), (1...24).contains(number) {
                self = .function(number)
            } else if name.count == 1, let character = name.first {
                self = .character(character)
            } else {
                return nil
            }
        }
    }

    /// The name used in sentences ("Ctrl-C again to quit"), where the compact `^C` reads badly.
    public var spelledName: String {
        if case .control(let letter) = self { return "Ctrl-" + letter.uppercased() }
        return displayName
    }

    /// The name shown in help and the status bar.
    public var displayName: String {
        switch self {
        case .character(" "): "Space"
        case .character(let character): String(character)
        case .control(let letter): "^" + letter.uppercased()
        case .alt(let character): "Alt-" + String(character)
        case .enter: "Enter"
        case .altEnter: "Alt-Enter"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .insert: "Ins"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .function(let number): "F\(number)"
        case .resize: "resize"
        }
    }
}
