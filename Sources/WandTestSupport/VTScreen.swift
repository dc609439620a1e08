import TerminalUI

/// A minimal terminal screen for tests: it understands exactly the sequences ``ANSIScreen`` writes
/// (cursor position, home, clear, SGR, cursor visibility, CR LF) and records every other escape sequence,
/// so a test can check that a recording draws what the renderer drew and nothing more.
public struct VTScreen: Sendable {
    /// Rows of cells.
    public private(set) var rows: [[String]]
    /// Escape sequences it did not understand, in order.
    public private(set) var unknownSequences: [String] = []
    private var x = 0
    private var y = 0

    /// A blank screen.
    public init(width: Int, height: Int) {
        rows = Array(repeating: Array(repeating: " ", count: width), count: height)
    }

    /// Each row as text, wide characters once.
    public var textLines: [String] { rows.map { $0.joined() } }

    /// Interprets terminal output.
    public mutating func write(_ text: String) {
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            switch character {
            case "\u{1B}":
                var sequence = "\u{1B}"
                guard characters.first == "[" else {
                    unknownSequences.append(sequence + (characters.popFirst().map(String.init) ?? ""))
                    continue
                }
                sequence.append(characters.removeFirst())
                while let next = characters.popFirst() {
                    sequence.append(next)
                    if let scalar = next.unicodeScalars.first, (0x40...0x7E).contains(scalar.value) { break }
                }
                apply(sequence)
            case "\r":
                x = 0
            case "\n":
                y = min(rows.count - 1, y + 1)
            default:
                let width = max(1, DisplayWidth.of(character))
                guard rows.indices.contains(y), x + width <= rows[y].count else { continue }
                rows[y][x] = String(character)
                if width == 2 { rows[y][x + 1] = "" }
                x += width
            }
        }
    }

    private mutating func apply(_ sequence: String) {
        let body = sequence.dropFirst(2).dropLast()
        switch sequence.last {
        case "H":
            let parts = body.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 1 }
            y = max(0, (parts.first ?? 1) - 1)
            x = max(0, (parts.count > 1 ? parts[1] : 1) - 1)
        case "J" where body == "2":
            for row in rows.indices { rows[row] = Array(repeating: " ", count: rows[row].count) }
        case "m" where body.allSatisfy({ $0.isNumber || $0 == ";" }):
            break
        case "h" where body == "?25", "l" where body == "?25":
            break
        default:
            unknownSequences.append(sequence)
        }
    }
}
