/// The few fields a session listing shows from `session.started` and the run events, read straight
/// from the line's bytes.
///
/// Foundation's `JSONDecoder` builds a map of the whole line before anything is read, and a
/// `session.started` line carries settings, tools and models a listing never shows: two such decodes per
/// file were most of the time of listing 10,000 sessions. This scanner walks the top-level object once,
/// reads the wanted fields and skips every other value without building anything. It reads only what
/// it is sure of: a line it cannot read (not an object, a wanted field of another type, a number that
/// is not a plain integer, a wanted key twice, nesting deeper than 32) is `nil`, and the caller then decodes the line whole.
public struct ListingLine: Equatable, Sendable {
    /// The format version.
    public var v: Int
    /// The event's position.
    public var seq: Int
    /// The `time` field as written.
    public var time: String
    /// The event type.
    public var type: String
    /// `session.started`'s or `run.started`'s goal.
    public var goal: String?
    /// `session.started`'s or `run.started`'s strategy.
    public var strategy: String?
    /// The `status` field (`run.finished`'s is a ``RunStatus``; `step.updated` has its own).
    public var status: String?
    /// The strategy of each side, when `session.started` describes a comparison.
    public var comparison: [String]?

    /// Creates the fields of a line.
    public init(v: Int, seq: Int, time: String, type: String, goal: String?, strategy: String?, status: String?,
                comparison: [String]?) {
        self.v = v
        self.seq = seq
        self.time = time
        self.type = type
        self.goal = goal
        self.strategy = strategy
        self.status = status
        self.comparison = comparison
    }

    /// Reads a line; with `expected`, only a line of that type that names a goal and a strategy.
    public static func read(_ bytes: UnsafeRawBufferPointer, type expected: String? = nil) -> ListingLine? {
        var scanner = Scanner(bytes: bytes)
        guard let line = scanner.line(), line.v == EventRecord.currentVersion, EventTime.parse(line.time) != nil
        else { return nil }
        if let expected {
            guard line.type == expected, line.goal != nil, line.strategy != nil else { return nil }
        }
        return line
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        private mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        private mutating func consume(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard current == byte else { return false }
            index += 1
            return true
        }

        mutating func line() -> ListingLine? {
            var v: Int?, seq: Int?, time: String?, type: String?
            var goal: String?, strategy: String?, status: String?, comparison: [String]?
            // A repeated wanted key: JSON leaves which one counts to the reader, so this reader gives up.
            var seen = 0
            let complete = object { key, scanner in
                if let bit = Self.wantedKeys.firstIndex(of: key) {
                    guard seen & (1 << bit) == 0 else { return false }
                    seen |= 1 << bit
                }
                switch key {
                case "v": v = scanner.integer(); return v != nil
                case "seq": seq = scanner.integer(); return seq != nil
                case "time": time = scanner.string(); return time != nil
                case "type": type = scanner.string(); return type != nil
                case "goal": return scanner.optional { goal = $0.string(); return goal != nil }
                case "strategy": return scanner.optional { strategy = $0.string(); return strategy != nil }
                case "status": return scanner.optional { status = $0.string(); return status != nil }
                case "comparison": return scanner.optional { comparison = $0.strategies(); return comparison != nil }
                default: return scanner.skipValue(depth: 1)
                }
            }
            skipWhitespace()
            guard complete, index == bytes.count, let v, let seq, let time, let type else { return nil }
            return ListingLine(v: v, seq: seq, time: time, type: type, goal: goal, strategy: strategy,
                               status: status, comparison: comparison)
        }

        /// The keys read, by their bit in the set of keys seen on a line (a set of strings per line would
        /// allocate on the listing's hot path).
        private static let wantedKeys = ["v", "seq", "time", "type", "goal", "strategy", "status", "comparison"]

        /// `null`, or a value read by `read`.
        private mutating func optional(_ read: (inout Scanner) -> Bool) -> Bool {
            skipWhitespace()
            if literal("null") { return true }
            return read(&self)
        }

        /// An object, calling `field` at each key with the scanner before its value.
        private mutating func object(_ field: (String, inout Scanner) -> Bool) -> Bool {
            guard consume(0x7B) else { return false }
            if consume(0x7D) { return true }
            repeat {
                skipWhitespace()
                guard let key = string(), consume(0x3A) else { return false }
                skipWhitespace()
                guard field(key, &self) else { return false }
            } while consume(0x2C)
            return consume(0x7D)
        }

        /// `[{"strategy": "…", …}, …]`: the comparison's sides.
        private mutating func strategies() -> [String]? {
            guard consume(0x5B) else { return nil }
            var names: [String] = []
            if consume(0x5D) { return names }
            repeat {
                var name: String?
                guard object({ key, scanner in
                    if key == "strategy" {
                        guard name == nil else { return false }
                        name = scanner.string()
                        return name != nil
                    }
                    return scanner.skipValue(depth: 3)
                }), let name else { return nil }
                names.append(name)
            } while consume(0x2C)
            return consume(0x5D) ? names : nil
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        /// A plain integer as JSON writes one: an optional minus, no leading zero, nothing after the
        /// digits that makes a fraction.
        private mutating func integer() -> Int? {
            let start = index
            guard skipNumber(), let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            else { return nil }
            return Int(text)
        }

        /// Skips a number of JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        private mutating func skipNumber() -> Bool {
            func digits(_ scanner: inout Scanner) -> Int {
                var count = 0
                while let byte = scanner.current, (0x30...0x39).contains(byte) {
                    scanner.index += 1
                    count += 1
                }
                return count
            }
            if current == 0x2D { index += 1 }
            if current == 0x30 {
                index += 1
            } else {
                guard let first = current, (0x31...0x39).contains(first) else { return false }
                _ = digits(&self)
            }
            if current == 0x2E {
                index += 1
                guard digits(&self) > 0 else { return false }
            }
            if current == 0x65 || current == 0x45 {
                index += 1
                if current == 0x2B || current == 0x2D { index += 1 }
                guard digits(&self) > 0 else { return false }
            }
            return true
        }

        /// A string, its escapes decoded; nil for anything JSON does not allow in one.
        private mutating func string() -> String? {
            guard current == 0x22 else { return nil }
            index += 1
            let start = index
            // Most strings have no escape: they are taken as they are.
            while let byte = current, byte != 0x22, byte != 0x5C {
                guard byte >= 0x20 else { return nil }
                index += 1
            }
            guard let stop = current else { return nil }
            if stop == 0x22 {
                index += 1
                return String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self)
            }
            var utf8 = Array(bytes[start..<index])
            while let byte = current {
                index += 1
                switch byte {
                case 0x22:
                    return String(validating: utf8, as: UTF8.self)
                case 0x5C:
                    guard let escaped = current else { return nil }
                    index += 1
                    switch escaped {
                    case 0x22, 0x5C, 0x2F: utf8.append(escaped)
                    case 0x62: utf8.append(0x08)
                    case 0x66: utf8.append(0x0C)
                    case 0x6E: utf8.append(0x0A)
                    case 0x72: utf8.append(0x0D)
                    case 0x74: utf8.append(0x09)
                    case 0x75:
                        guard let scalar = unicodeEscape() else { return nil }
                        utf8.append(contentsOf: String(Character(scalar)).utf8)
                    default: return nil
                    }
                case ..<0x20:
                    return nil
                default:
                    utf8.append(byte)
                }
            }
            return nil
        }

        /// The scalar of `\uXXXX` (the `\u` read), joining a surrogate pair; nil for a lone surrogate.
        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let high = hex4() else { return nil }
            if (0xD800...0xDBFF).contains(high) {
                guard literal("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            }
            return Unicode.Scalar(high)
        }

        private mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else { return nil }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// Skips a string without building it.
        private mutating func skipString() -> Bool {
            index += 1
            while let byte = current {
                index += 1
                switch byte {
                case 0x22:
                    return true
                case 0x5C:
                    guard let escaped = current else { return false }
                    index += 1
                    switch escaped {
                    case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: break
                    case 0x75: guard hex4() != nil else { return false }
                    default: return false
                    }
                case ..<0x20:
                    return false
                default:
                    break
                }
            }
            return false
        }

        /// Skips one value of any kind, checking its shape as far as skipping needs.
        private mutating func skipValue(depth: Int) -> Bool {
            guard depth <= 32 else { return false }
            skipWhitespace()
            switch current {
            case 0x22:
                return skipString()
            case 0x7B:
                return object { _, scanner in scanner.skipValue(depth: depth + 1) }
            case 0x5B:
                index += 1
                if consume(0x5D) { return true }
                repeat {
                    guard skipValue(depth: depth + 1) else { return false }
                } while consume(0x2C)
                return consume(0x5D)
            case 0x74: return literal("true")
            case 0x66: return literal("false")
            case 0x6E: return literal("null")
            case .some(let byte) where byte == 0x2D || (0x30...0x39).contains(byte):
                return skipNumber()
            default:
                return false
            }
        }
    }
}
