import Testing
@testable import TerminalUI

@Suite("Colour reduction")
struct ColorMapperTests {
    @Test("the depth follows the terminal's colour count and NO_COLOR")
    func depth() {
        #expect(ColorDepth(colors: 256, noColor: false) == .indexed256)
        #expect(ColorDepth(colors: 16, noColor: false) == .ansi16)
        #expect(ColorDepth(colors: 8, noColor: false) == .ansi8)
        #expect(ColorDepth(colors: 2, noColor: false) == .none)
        #expect(ColorDepth(colors: 256, noColor: true) == .none, "NO_COLOR wins")
    }

    @Test("with no colour every colour is the terminal's default")
    func noColor() {
        for color in [Color.indexed(1), .rgb(255, 0, 0), .default] {
            #expect(ColorMapper.map(color, depth: .none).index == nil)
            #expect(ColorMapper.map(color, depth: .none).bold == false)
        }
    }

    @Test("on 8 colours the bright ANSI colours become their base colour in bold")
    func eightColors() {
        #expect(ColorMapper.map(.indexed(9), depth: .ansi8) == (1, true))
        #expect(ColorMapper.map(.indexed(2), depth: .ansi8) == (2, false))
        #expect(ColorMapper.map(.rgb(255, 255, 0), depth: .ansi8) == (3, true))
        #expect(ColorMapper.map(.rgb(0, 0, 0), depth: .ansi8) == (0, false))
    }

    @Test("on 16 colours RGB goes to the nearest ANSI colour; 256-palette entries too")
    func sixteenColors() {
        #expect(ColorMapper.map(.rgb(250, 10, 10), depth: .ansi16).index == 9)
        #expect(ColorMapper.map(.rgb(200, 0, 0), depth: .ansi16).index == 1)
        #expect(ColorMapper.map(.indexed(12), depth: .ansi16).index == 12)
        #expect(ColorMapper.map(.indexed(196), depth: .ansi16).index == 9, "xterm 196 is bright red")
    }

    @Test("on 256 colours RGB goes to the colour cube or the grey ramp")
    func twoFiftySix() {
        #expect(ColorMapper.map(.rgb(255, 0, 0), depth: .indexed256).index == 196)
        #expect(ColorMapper.map(.rgb(128, 128, 128), depth: .indexed256).index == 244)
        #expect(ColorMapper.map(.indexed(33), depth: .indexed256).index == 33)
        #expect(ColorMapper.map(.default, depth: .indexed256).index == nil)
    }
}
