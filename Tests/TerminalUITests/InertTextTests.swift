import Testing
import TerminalUI

@Suite("Inert text")
struct InertTextTests {
    @Test("escape sequences and controls become visible symbols; tabs, newlines and text stay")
    func controls() {
        #expect(InertText.make("\u{1B}]0;title\u{07}") == "␛]0;title␇")
        #expect(InertText.make("\u{1B}[2J") == "␛[2J")
        #expect(InertText.make("a\u{9B}31m") == "a\u{FFFD}31m")
        #expect(InertText.make("del\u{7F}") == "del␡")
        #expect(InertText.make("col1\tcol2\nnext") == "col1\tcol2\nnext")
        #expect(InertText.make("plain ünïcode ✓") == "plain ünïcode ✓")
    }

    @Test("a carriage return ending a line is dropped; one that would overwrite the line is shown")
    func carriageReturns() {
        #expect(InertText.make("line\r\nnext\r\n") == "line\nnext\n")
        #expect(InertText.make("safe\rspoof") == "safe␍spoof")
        #expect(InertText.make("end\r") == "end␍")
    }

    @Test("no control a terminal acts on survives, whatever the input")
    func property() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let scalars = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                Unicode.Scalar(UInt32.random(in: 0...0xA0, using: &generator))!
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            let inert = InertText.make(text)
            #expect(!inert.unicodeScalars.contains { scalar in
                scalar.value != 0x09 && scalar.value != 0x0A && (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
            }, "\(Array(text.unicodeScalars.map(\.value)))")
        }
    }
}
