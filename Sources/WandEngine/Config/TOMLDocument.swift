public import Foundation
import TOMLKit

/// A TOML value as a plain, sendable tree.
public indirect enum TOMLNode: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([TOMLNode])
    case table([String: TOMLNode])
    /// Dates and times, kept as their text.
    case other(String)

    /// The string value, if this is a string.
    public var string: String? { if case .string(let value) = self { value } else { nil } }
    /// The number value, if this is an integer or a float.
    public var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .float(let value): value
        default: nil
        }
    }
    /// The integer value, if this is an integer.
    public var integer: Int? { if case .integer(let value) = self { value } else { nil } }
    /// The boolean value, if this is a boolean.
    public var boolean: Bool? { if case .boolean(let value) = self { value } else { nil } }
    /// The elements, if this is an array.
    public var array: [TOMLNode]? { if case .array(let value) = self { value } else { nil } }
    /// The table, if this is a table.
    public var table: [String: TOMLNode]? { if case .table(let value) = self { value } else { nil } }

    /// The TOML type's name, for error messages.
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .array: "array"
        case .table: "table"
        case .other: "date/time"
        }
    }
}

/// A configuration or theme file could not be used; names the file and, when known, the line.
public struct ConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path.
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`.
    public var description: String {
        line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
    }
}

/// A parsed TOML file that can say on which line a key was written.
public struct TOMLDocument: Sendable {
    /// The top-level table.
    public let root: [String: TOMLNode]
    /// The file's path, for messages.
    public let file: String
    private let lines: [String]

    /// Parses TOML text; a syntax error is reported with its line.
    public init(source: String, file: String) throws(ConfigFileError) {
        self.file = file
        lines = source.lines().map(String.init)
        if let (line, message) = TOMLPrecheck.problem(in: source) {
            throw ConfigFileError(file: file, line: line, message: message)
        }
        do {
            let table = try TOMLTable(string: source)
            root = Self.convert(table)
        } catch let error as TOMLParseError {
            throw ConfigFileError(file: file, line: error.source.begin.line, message: error.description)
        } catch {
            throw ConfigFileError(file: file, line: nil, message: "not valid TOML: \(error)")
        }
    }

    /// Reads and parses a file.
    public init(contentsOf url: URL) throws(ConfigFileError) {
        let source: String
        do {
            source = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ConfigFileError(file: url.path, line: nil, message: "cannot read: \(error.localizedDescription)")
        }
        try self.init(source: source, file: url.path)
    }

    /// An error about the key at `path`, located on its line.
    public func error(at path: [String], _ message: String) -> ConfigFileError {
        ConfigFileError(file: file, line: line(of: path), message: message)
    }

    /// The line on which the key at `path` is written (for a key inside an inline table, that table's line).
    public func line(of path: [String]) -> Int? {
        var table: [String] = []
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("[") {
                let inner = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                    .split(separator: "#").first.map(String.init) ?? ""
                table = Self.splitKey(inner.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")))
                if table == path { return index + 1 }
                continue
            }
            guard let equals = Self.assignmentIndex(in: line) else { continue }
            let key = table + Self.splitKey(String(line[..<equals]))
            if key == path { return index + 1 }
            if path.count > key.count, Array(path.prefix(key.count)) == key,
               line.contains(path[key.count]) {
                return index + 1
            }
        }
        if path.count > 1 { return line(of: Array(path.dropLast())) }
        return nil
    }

    private static func assignmentIndex(in line: String) -> String.Index? {
        var inQuotes: Character?
        for index in line.indices {
            let character = line[index]
            if let quote = inQuotes {
                if character == quote { inQuotes = nil }
            } else if character == "\"" || character == "'" {
                inQuotes = character
            } else if character == "=" {
                return index
            }
        }
        return nil
    }

    private static func splitKey(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var inQuotes: Character?
        for character in text {
            if let quote = inQuotes {
                if character == quote { inQuotes = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                inQuotes = character
            } else if character == "." {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts.filter { !$0.isEmpty }
    }

    private static func convert(_ table: TOMLTable) -> [String: TOMLNode] {
        var result: [String: TOMLNode] = [:]
        for (key, value) in table { result[key] = convert(value.tomlValue) }
        return result
    }

    private static func convert(_ value: TOMLValue) -> TOMLNode {
        switch value.type {
        case .table: .table(value.table.map(convert) ?? [:])
        case .array: .array(value.array.map { $0.map { convert($0.tomlValue) } } ?? [])
        case .string: .string(value.string ?? "")
        case .int: .integer(value.int ?? 0)
        case .double: .float(value.double ?? 0)
        case .bool: .boolean(value.bool ?? false)
        default: .other(value.debugDescription)
        }
    }
}
