import Testing
@testable import TerminalUI

@Suite("Terminal UI primitives")
struct TerminalUITests {
    @Test("display width follows wcwidth for ASCII, wide, combining and emoji")
    func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("計算") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("🙂") == 2)
        #expect(DisplayWidth.of("\u{200B}") == 0)
        #expect(DisplayWidth.of("ｱ") == 1, "halfwidth katakana is narrow")
        #expect(DisplayWidth.of("Ａ") == 2, "fullwidth latin is wide")
    }

    @Test("wide characters take two cells and never straddle the edge")
    func wideCharacters() {
        var buffer = Buffer(width: 5, height: 1)
        let used = buffer.put("a計算", x: 0, y: 0, style: .plain)
        #expect(used == 5)
        #expect(buffer.textLines() == ["a計算"])
        #expect(buffer[2, 0].isContinuation)
        var narrow = Buffer(width: 4, height: 1)
        narrow.put("a計算", x: 0, y: 0, style: .plain)
        #expect(narrow.textLines() == ["a計 "])
    }

    @Test("control characters are shown, not sent to the terminal")
    func controlCharacters() {
        var buffer = Buffer(width: 6, height: 1)
        buffer.put("a\u{1B}[2Jb", x: 0, y: 0, style: .plain)
        #expect(buffer.textLines() == ["a�[2Jb"])
    }

    @Test("writes outside the buffer are dropped")
    func clipping() {
        var buffer = Buffer(width: 3, height: 2)
        buffer.put("hello", x: -2, y: 0, style: .plain)
        buffer.put("zzz", x: 0, y: 5, style: .plain)
        buffer[7, 7] = Cell("x")
        #expect(buffer.textLines() == ["llo", "   "])
    }

    @Test("diff lists only changed cells, or all when the size changed")
    func diff() {
        var first = Buffer(width: 4, height: 2)
        first.put("abcd", x: 0, y: 0, style: .plain)
        var second = first
        second[1, 1] = Cell("x")
        let changes = second.changes(since: first)
        #expect(changes.count == 1)
        #expect(changes.first?.point == Point(x: 1, y: 1))
        #expect(second.changes(since: Buffer(width: 3, height: 2)).count == 8)
        #expect(second.changes(since: nil).count == 8)
    }

    @Test("split covers the rectangle exactly, shrinking fixed parts when there is no room")
    func split() {
        let rect = Rect(x: 0, y: 0, width: 10, height: 7)
        let rows = rect.split(.vertical, [.fill, .fixed(3), .fixed(1)])
        #expect(rows.map(\.height) == [3, 3, 1])
        #expect(rows.map(\.y) == [0, 3, 6])
        let tight = Rect(x: 0, y: 0, width: 2, height: 2).split(.vertical, [.fill, .fixed(3), .fixed(1)])
        #expect(tight.map(\.height).reduce(0, +) == 2)
        let columns = rect.split(.horizontal, [.percent(30), .fill, .fill])
        #expect(columns.map(\.width) == [3, 4, 3])
    }

    @Test("wrapping keeps wide characters whole")
    func wrapping() {
        let line = StyledLine("ab計算cd")
        #expect(line.wrapped(to: 3).map(\.text) == ["ab", "計", "算c", "d"])
    }

    @Test("key names parse and display")
    func keyNames() {
        #expect(Key(name: "ctrl-q") == .control("q"))
        #expect(Key(name: "shift-tab") == .backTab)
        #expect(Key(name: "F12") == .function(12))
        #expect(Key(name: "space") == .character(" "))
        #expect(Key(name: "G") == .character("G"))
        #expect(Key(name: "hyper-x") == nil)
        #expect(Key.control("q").displayName == "^Q")
    }
}
