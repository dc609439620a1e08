
/// How many colours the terminal can show, and so how theme colours are reduced.
public enum ColorDepth: Sendable, Equatable {
    /// No colour: `NO_COLOR` is set or the terminal has none; attributes only.
    case none
    /// The 8 ANSI colours (bright ones become bold).
    case ansi8
    /// The 16 ANSI colours.
    case ansi16
    /// The xterm 256-colour palette.
    case indexed256

    /// The depth for a colour count and the `NO_COLOR` convention.
    public init(colors: Int, noColor: Bool) {
        if noColor || colors < 8 {
            self = .none
        } else if colors < 16 {
            self = .ansi8
        } else if colors < 256 {
            self = .ansi16
        } else {
            self = .indexed256
        }
    }
}

/// Reduces theme colours to what a terminal can show. Pure, so it is tested without a terminal.
public enum ColorMapper {
    /// A colour reduced to a palette index (nil for the terminal default) and whether it needs bold.
    public static func map(_ color: Color, depth: ColorDepth) -> (index: Int?, bold: Bool) {
        switch (color, depth) {
        case (_, .none), (.default, _):
            return (nil, false)
        case (.indexed(let index), .indexed256):
            return (Int(index), false)
        case (.indexed(let index), .ansi16) where index < 16:
            return (Int(index), false)
        case (.indexed(let index), .ansi8) where index < 16:
            return (Int(index % 8), index >= 8)
        case (.indexed(let index), _):
            return map(rgb(ofIndexed: index), depth: depth)
        case (.rgb(let red, let green, let blue), .indexed256):
            return (nearest256(red, green, blue), false)
        case (.rgb(let red, let green, let blue), .ansi16):
            return (nearestANSI(red, green, blue, count: 16), false)
        case (.rgb(let red, let green, let blue), .ansi8):
            let index = nearestANSI(red, green, blue, count: 16)
            return (index % 8, index >= 8)
        }
    }

    private static let ansiRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
        (255, 255, 255),
    ]

    private static func nearestANSI(_ red: UInt8, _ green: UInt8, _ blue: UInt8, count: Int) -> Int {
        var best = 0
        var bestDistance = Int.max
        for index in 0..<count {
            let (r, g, b) = ansiRGB[index]
            let distance = sq(Int(red) - r) + sq(Int(green) - g) + sq(Int(blue) - b)
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return best
    }

    private static func nearest256(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func level(_ value: UInt8) -> Int {
            levels.indices.min(by: { abs(levels[$0] - Int(value)) < abs(levels[$1] - Int(value)) })!
        }
        let (r, g, b) = (level(red), level(green), level(blue))
        let cube = 16 + 36 * r + 6 * g + b
        let cubeDistance = sq(levels[r] - Int(red)) + sq(levels[g] - Int(green)) + sq(levels[b] - Int(blue))
        let average = (Int(red) + Int(green) + Int(blue)) / 3
        let grayIndex = max(0, min(23, (average - 8) / 10))
        let gray = 8 + grayIndex * 10
        let grayDistance = sq(gray - Int(red)) + sq(gray - Int(green)) + sq(gray - Int(blue))
        return grayDistance < cubeDistance ? 232 + grayIndex : cube
    }

    private static func rgb(ofIndexed index: UInt8) -> Color {
        if index < 16 {
            let (r, g, b) = ansiRGB[Int(index)]
            return .rgb(UInt8(r), UInt8(g), UInt8(b))
        }
        if index >= 232 {
            let level = UInt8(8 + (Int(index) - 232) * 10)
            return .rgb(level, level, level)
        }
        let cube = Int(index) - 16
        let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
        return .rgb(levels[cube / 36], levels[cube / 6 % 6], levels[cube % 6])
    }

    private static func sq(_ value: Int) -> Int { value * value }
}
