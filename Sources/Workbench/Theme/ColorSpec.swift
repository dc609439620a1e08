import TerminalUI

/// Parses colour values written in theme files.
enum ColorSpec {
    private static let names: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "gray": 8, "grey": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// `default`, an ANSI name (`red`, `bright-blue`), `#rgb`, `#rrggbb`, or a palette index `0`–`255`.
    static func parse(_ text: String) -> Color? {
        let lower = text.lowercased()
        if lower == "default" || lower == "none" { return .default }
        if let index = names[lower] { return .indexed(index) }
        if let index = UInt8(lower) { return .indexed(index) }
        guard lower.hasPrefix("#") else { return nil }
        let hex = Array(lower.dropFirst())
        let digits: [Character]
        switch hex.count {
        case 3: digits = hex.flatMap { [$0, $0] }
        case 6: digits = hex
        default: return nil
        }
        var components: [UInt8] = []
        for pair in stride(from: 0, to: 6, by: 2) {
            guard let value = UInt8(String(digits[pair...pair + 1]), radix: 16) else { return nil }
            components.append(value)
        }
        return .rgb(components[0], components[1], components[2])
    }
}
