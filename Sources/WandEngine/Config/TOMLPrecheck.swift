import Foundation

/// Invalid TOML that toml++ (inside TOMLKit) does not report but asserts on, found by fuzzing: a control
/// character, a table header with no key after its `[` (`[` then a newline), or a `}` where an array
/// expects a value (`["a", }`). A failed assertion aborts
/// Wand in a debug build, and in a release build (`NDEBUG`) toml++ assumes the condition holds, which is
/// undefined behaviour. So such text is refused here, with its line, before toml++ sees it.
enum TOMLPrecheck {
    /// The first such problem, with its 1-based line.
    static func problem(in source: String) -> (line: Int, message: String)? {
        let scalars = Array(source.unicodeScalars)
        return controlProblem(scalars) ?? structureProblem(scalars)
    }

    /// TOML allows no control character but tab, and a carriage return only before a newline.
    private static func controlProblem(_ scalars: [Unicode.Scalar]) -> (line: Int, message: String)? {
        var line = 1
        for (index, scalar) in scalars.enumerated() {
            switch scalar.value {
            case 0x09: continue
            case 0x0A: line += 1
            case 0x0D where index + 1 < scalars.count && scalars[index + 1] == "\n": continue
            case 0x00...0x1F, 0x7F:
                return (line, String(format: "control character U+%04X is not allowed in TOML (inside a string, write it as an escape)",
                                     scalar.value))
            default: continue
            }
        }
        return nil
    }

    /// A `[` that starts a table header with no key after it on its line, or a `}` inside an array that
    /// closes no inline table.
    private static func structureProblem(_ scalars: [Unicode.Scalar]) -> (line: Int, message: String)? {
        var line = 1
        // toml++ skips a byte-order mark, so a `[` right after one starts a header too.
        var index = scalars.first == "\u{FEFF}" ? 1 : 0
        // The `[` and `{` of values open here: a `[` at the start of a line is a table header only outside them.
        var openValues: [Unicode.Scalar] = []
        var atLineStart = true
        func skipBlanks(from start: Int) -> Int {
            var next = start
            while next < scalars.count, scalars[next] == " " || scalars[next] == "\t" { next += 1 }
            return next
        }
        func startsKey(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\"" || scalar == "'" || scalar == "_" || scalar == "-" || (scalar.isASCII && scalar.properties.isAlphabetic)
                || ("0"..."9").contains(scalar)
        }
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\n":
                line += 1
                atLineStart = true
                index += 1
            case " ", "\t", "\r":
                index += 1
            case "#":
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
            case "\"", "'":
                let triple = index + 2 < scalars.count && scalars[index + 1] == scalar && scalars[index + 2] == scalar
                index += triple ? 3 : 1
                while index < scalars.count {
                    let current = scalars[index]
                    if current == "\n" {
                        guard triple else { break }
                        line += 1
                    } else if current == "\\", scalar == "\"" {
                        index += 1
                        if index < scalars.count, scalars[index] == "\n" { line += 1 }
                    } else if current == scalar, !triple || (index + 2 < scalars.count && scalars[index + 1] == scalar && scalars[index + 2] == scalar) {
                        index += triple ? 3 : 1
                        break
                    }
                    index += 1
                }
                atLineStart = false
            case "[" where openValues.isEmpty && atLineStart:
                var next = index + 1
                if next < scalars.count, scalars[next] == "[" { next += 1 }
                next = skipBlanks(from: next)
                guard next < scalars.count, startsKey(scalars[next]) || scalars[next] == "]" else {
                    return (line, "a table header needs a name after `[`, on the same line")
                }
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
            case "[", "{":
                openValues.append(scalar)
                atLineStart = false
                index += 1
            case "}" where openValues.last == "[":
                return (line, "`}` where the array expects a value or `]`")
            case "]", "}":
                if !openValues.isEmpty { openValues.removeLast() }
                atLineStart = false
                index += 1
            default:
                atLineStart = false
                index += 1
            }
        }
        return nil
    }
}
