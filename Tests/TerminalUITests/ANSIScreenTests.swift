import Testing
@testable import TerminalUI
import WandTestSupport

/// Frames as terminal text: what a terminal shows after the text is the frame, and only changes are sent.
@Suite("ANSI screen")
struct ANSIScreenTests {
    static let red = Style(foreground: .rgb(255, 0, 0), attributes: .bold)

    @Test("the first frame clears and draws every cell; a later one sends only what changed")
    func diffs() {
        var screen = ANSIScreen()
        var terminal = VTScreen(width: 12, height: 3)
        var buffer = Buffer(width: 12, height: 3)
        buffer.put("hello", x: 0, y: 0, style: .plain)
        buffer.put("界 wide", x: 2, y: 2, style: Self.red)
        let first = screen.update(to: Frame(buffer: buffer))
        #expect(first.hasPrefix("\u{1B}[0m\u{1B}[H\u{1B}[2J"))
        terminal.write(first)
        #expect(terminal.textLines == buffer.textLines())
        buffer.put("J", x: 0, y: 0, style: .plain)
        buffer.put("ab", x: 2, y: 2, style: Self.red)
        let second = screen.update(to: Frame(buffer: buffer))
        #expect(second == "\u{1B}[1;1HJ\u{1B}[3;3H\u{1B}[0;1;38;2;255;0;0mab")
        terminal.write(second)
        #expect(terminal.textLines == buffer.textLines())
        #expect(screen.update(to: Frame(buffer: buffer)).isEmpty)
        #expect(terminal.unknownSequences.isEmpty)
    }

    @Test("styles become SGR codes: attributes, palette and 24-bit colours, reduced on request")
    func styles() {
        let screen = ANSIScreen()
        #expect(screen.sgr(.plain) == "\u{1B}[0m")
        #expect(screen.sgr(Style(foreground: .indexed(2), background: .indexed(12), attributes: [.dim, .underline]))
            == "\u{1B}[0;2;4;32;48;5;12m")
        #expect(screen.sgr(Style(foreground: .rgb(1, 2, 3), attributes: [.italic, .reverse])) == "\u{1B}[0;3;7;38;2;1;2;3m")
        #expect(ANSIScreen(colors: .reduced(.ansi16)).sgr(Style(background: .indexed(9))) == "\u{1B}[0;101m")
        #expect(ANSIScreen(colors: .reduced(.none)).sgr(Self.red) == "\u{1B}[0;1m")
    }

    @Test("the cursor is shown where the frame puts it, hidden when it has none, and restored at the end")
    func cursor() {
        var screen = ANSIScreen()
        var buffer = Buffer(width: 4, height: 2)
        #expect(screen.update(to: Frame(buffer: buffer)).hasSuffix("\u{1B}[?25l"))
        buffer.put("x", x: 0, y: 0, style: .plain)
        let shown = screen.update(to: Frame(buffer: buffer, cursor: Point(x: 1, y: 1)))
        #expect(shown.hasSuffix("\u{1B}[2;2H\u{1B}[?25h"))
        #expect(screen.finish() == "\u{1B}[0m\u{1B}[2;1H\u{1B}[?25h")
    }
}
