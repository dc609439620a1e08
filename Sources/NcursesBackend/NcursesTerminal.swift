import CNcursesw
import Glibc
public import TerminalUI

/// The terminal, through ncurses: draws frames by sending only changed cells, and reads keys.
///
/// The only type in Wand that calls ncurses. Not thread-safe by design: create it, draw and read
/// keys on one thread (the workbench's main loop).
public final class NcursesTerminal {
    /// The colour depth in use.
    public let depth: ColorDepth
    private var previous: Buffer?
    private var pairs: [PairKey: Int16] = [:]
    private var isOpen = true

    private struct PairKey: Hashable {
        var foreground: Int
        var background: Int
    }

    /// Starts ncurses on the controlling terminal: raw keys, no echo, keypad, short Esc delay.
    public init(noColor: Bool) {
        setlocale(LC_ALL, "")
        initscr()
        raw()
        noecho()
        nonl()
        keypad(wand_stdscr(), true)
        set_escdelay(25)
        meta(wand_stdscr(), true)
        var colors = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colors = Int(wand_colors())
        }
        depth = ColorDepth(colors: colors, noColor: noColor)
        curs_set(0)
    }

    deinit { close() }

    /// Restores the terminal; safe to call twice.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        endwin()
    }

    /// The terminal's current size.
    public var size: (width: Int, height: Int) { (Int(wand_cols()), Int(wand_lines())) }

    /// Draws a frame, sending only the cells that changed since the last one.
    public func draw(_ frame: Frame) {
        let changes = frame.buffer.changes(since: previous)
        if previous?.width != frame.buffer.width || previous?.height != frame.buffer.height {
            wclear(wand_stdscr())
        }
        for change in changes where !change.cell.isContinuation {
            put(change.cell, at: change.point)
        }
        previous = frame.buffer
        if let cursor = frame.cursor {
            curs_set(1)
            wmove(wand_stdscr(), Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wrefresh(wand_stdscr())
    }

    /// Forgets the last frame so the next draw repaints everything.
    public func invalidate() { previous = nil }

    private func put(_ cell: Cell, at point: Point) {
        var attributes = attr_t(0)
        let style = cell.style
        if style.attributes.contains(.bold) { attributes |= wand_attr_bold() }
        if style.attributes.contains(.dim) { attributes |= wand_attr_dim() }
        if style.attributes.contains(.italic) { attributes |= wand_attr_italic() }
        if style.attributes.contains(.underline) { attributes |= wand_attr_underline() }
        if style.attributes.contains(.reverse) { attributes |= wand_attr_reverse() }
        let foreground = ColorMapper.map(style.foreground, depth: depth)
        let background = ColorMapper.map(style.background, depth: depth)
        if foreground.bold { attributes |= wand_attr_bold() }
        let pair = pairNumber(foreground: foreground.index ?? -1, background: background.index ?? -1)
        var scalars = cell.symbol.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
        if scalars.isEmpty { scalars = [wchar_t(32)] }
        scalars.append(0)
        _ = wand_put_cell(Int32(point.y), Int32(point.x), scalars, attributes, pair)
    }

    private func pairNumber(foreground: Int, background: Int) -> Int16 {
        if depth == .none || (foreground == -1 && background == -1) { return 0 }
        let key = PairKey(foreground: foreground, background: background)
        if let existing = pairs[key] { return existing }
        let next = Int16(pairs.count + 1)
        guard Int32(next) < wand_color_pairs() else { return 0 }
        init_pair(next, Int16(foreground), Int16(background))
        pairs[key] = next
        return next
    }

    /// Reads one key if one is waiting (never blocks).
    public func readKey() -> Key? {
        wtimeout(wand_stdscr(), 0)
        var value: wint_t = 0
        let result = wget_wch(wand_stdscr(), &value)
        if result == KEY_CODE_YES { return special(Int32(value)) }
        guard result == OK else { return nil }
        switch value {
        case 27:
            var next: wint_t = 0
            let follow = wget_wch(wand_stdscr(), &next)
            guard follow == OK else { return .escape }
            if next == 13 || next == 10 { return .altEnter }
            guard let scalar = Unicode.Scalar(UInt32(next)) else { return .escape }
            return .alt(Character(scalar))
        case 13: return .enter
        case 9: return .tab
        case 127, 8: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(value) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(value)) else { return nil }
            return .character(Character(scalar))
        }
    }

    private func special(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BACKSPACE: return .backspace
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_RESIZE: return .resize
        default:
            for number in 1...24 where code == wand_key_f(Int32(number)) { return .function(number) }
            return nil
        }
    }
}
