import Foundation

/// Generates the Python source of the `tools` module that sandboxed code calls MCP tools through:
/// `tools.time.convert_time(source_timezone="UTC", time="12:00", target_timezone="Asia/Tokyo")`.
///
/// Each server is a class of static methods; each tool a function whose signature and docstring
/// come from its JSON schema: required parameters first (in the schema's `required` order), without
/// defaults; optional ones after them (sorted), defaulting to `None` and left out of the call when
/// `None`. Names are made valid Python identifiers (dashes and dots become `_`, keywords get a
/// trailing `_`) while the call uses the server's own names. Every function calls `_wand_call(server,
/// tool, arguments)`, a global the kernel binds before running the module; nothing a server sends
/// can escape the string literals it is written into.
public enum PythonToolModule {
    /// A tool's parameter as written in Python.
    struct Parameter: Equatable {
        /// The name in the schema (sent to the server).
        var schemaName: String
        /// The Python identifier.
        var identifier: String
        var required: Bool
        /// The type in words, for the docstring (`str`, `int`, `list`, `str | None`, …).
        var typeText: String?
        var description: String?
        var defaultText: String?
        var choices: [String]
    }

    /// Python's keywords, which cannot be identifiers.
    static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    /// A valid Python identifier for `name`: characters other than ASCII letters, digits and `_`
    /// become `_`, a leading digit gets a `_` before it, a keyword gets one after it, and a leading
    /// `__` (which Python mangles inside classes) becomes `tool__`.
    public static func identifier(_ name: String) -> String {
        var result = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
        if result.isEmpty { result = "_" }
        if result.first?.isNumber == true { result = "_" + result }
        if keywords.contains(result) { result += "_" }
        if result.hasPrefix("__") { result = "tool" + result }
        return result
    }

    /// The module's source for these tools (of any number of servers, in the order given).
    public static func source(for tools: [MCPToolInfo]) -> String {
        var lines = [
            "\"\"\"Tools of the MCP servers configured for Wand, as plain functions.",
            "",
            "Call one like any function, for example `tools.SERVER.TOOL(name=value)`; `help(tools.SERVER)` lists a",
            "server's tools. Each call goes through Wand, which applies the tool's policy, calls the server and",
            "returns its result (or raises with the server's error).",
            "\"\"\"",
            "",
        ]
        var servers: [(name: String, tools: [MCPToolInfo])] = []
        for tool in tools {
            if let index = servers.firstIndex(where: { $0.name == tool.server }) {
                servers[index].tools.append(tool)
            } else {
                servers.append((tool.server, [tool]))
            }
        }
        var classNames = Set<String>()
        var exported: [String] = []
        for server in servers {
            let className = unique(identifier(server.name), in: &classNames)
            exported.append(className)
            lines.append("")
            lines.append("class \(className):")
            lines.append("    \(docstring("Tools of the MCP server `\(server.name)`.", indent: "    "))")
            var methodNames = Set<String>()
            for tool in server.tools {
                lines.append("")
                lines += function(for: tool, name: unique(identifier(tool.name), in: &methodNames))
            }
            lines.append("")
        }
        lines.append("")
        lines.append("__all__ = [" + exported.map(stringLiteral).joined(separator: ", ") + "]")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line per tool for a prompt or `wand tools`:
    /// `tools.time.convert_time(source_timezone, time, target_timezone=None)`, or with `typed`,
    /// `tools.time.convert_time(source_timezone: str, time: str, target_timezone: str = None)`.
    public static func signature(of tool: MCPToolInfo, typed: Bool = false) -> String {
        let parameters = parameters(of: tool.inputSchema).map { parameter in
            let name = typed ? parameter.identifier + (parameter.typeText.map { ": \($0)" } ?? "") : parameter.identifier
            return parameter.required ? name : name + (typed ? " = None" : "=None")
        }
        return "tools.\(identifier(tool.server)).\(identifier(tool.name))(\(parameters.joined(separator: ", ")))"
    }

    private static func function(for tool: MCPToolInfo, name: String) -> [String] {
        let parameters = parameters(of: tool.inputSchema)
        let signature = parameters.map { $0.required ? $0.identifier : "\($0.identifier)=None" }.joined(separator: ", ")
        var doc: [String] = []
        let description = (tool.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        doc.append(description.isEmpty ? "Calls `\(tool.name)` on the MCP server `\(tool.server)`." : description)
        if !parameters.isEmpty {
            doc.append("")
            doc.append("Args:")
            for parameter in parameters {
                var entry = "    \(parameter.identifier)"
                var details: [String] = []
                if let typeText = parameter.typeText { details.append(typeText) }
                if !parameter.required { details.append("optional") }
                if !details.isEmpty { entry += " (\(details.joined(separator: ", ")))" }
                entry += ":"
                if let text = parameter.description { entry += " " + text }
                if !parameter.choices.isEmpty { entry += " One of " + parameter.choices.joined(separator: ", ") + "." }
                if let defaultText = parameter.defaultText { entry += " The server's default: \(defaultText)." }
                if parameter.identifier != parameter.schemaName { entry += " (Sent as `\(parameter.schemaName)`.)" }
                doc.append(entry)
            }
        }
        doc.append("")
        doc.append("Returns the tool's result: its structured content when the server sends one, else its text.")
        var lines = [
            "    @staticmethod",
            "    def \(name)(\(signature)):",
            "        \(docstring(doc.joined(separator: "\n"), indent: "        "))",
        ]
        let required = parameters.filter(\.required).map { "\(stringLiteral($0.schemaName)): \($0.identifier)" }
        lines.append("        arguments = {\(required.joined(separator: ", "))}")
        for parameter in parameters where !parameter.required {
            lines.append("        if \(parameter.identifier) is not None:")
            lines.append("            arguments[\(stringLiteral(parameter.schemaName))] = \(parameter.identifier)")
        }
        lines.append("        return _wand_call(\(stringLiteral(tool.server)), \(stringLiteral(tool.name)), arguments)")
        return lines
    }

    /// The parameters of an object schema: required ones in `required` order, then the others by name.
    static func parameters(of schema: JSONValue) -> [Parameter] {
        let properties = schema.object?["properties"]?.object ?? [:]
        let requiredNames = (schema.object?["required"]?.array ?? []).compactMap(\.string)
        var ordered: [(String, Bool)] = []
        for name in requiredNames where properties[name] != nil && !ordered.contains(where: { $0.0 == name }) {
            ordered.append((name, true))
        }
        for name in properties.keys.sorted() where !requiredNames.contains(name) { ordered.append((name, false)) }
        // The function's own local and the global it calls; a parameter may not take their names.
        var taken: Set<String> = ["arguments", "_wand_call"]
        return ordered.map { name, required in
            let property = properties[name]?.object ?? [:]
            return Parameter(schemaName: name, identifier: unique(identifier(name), in: &taken), required: required,
                             typeText: typeText(of: property),
                             description: (property["description"]?.string).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                                 .flatMap { $0.isEmpty ? nil : $0 },
                             defaultText: property["default"].map(pythonLiteral),
                             choices: (property["enum"]?.array ?? []).map(pythonLiteral))
        }
    }

    private static func typeText(of property: [String: JSONValue]) -> String? {
        if let type = property["type"]?.string { return pythonType(type, items: property["items"]) }
        if let types = property["type"]?.array {
            let names = types.compactMap(\.string).map { pythonType($0, items: property["items"]) }
            return names.isEmpty ? nil : names.joined(separator: " | ")
        }
        for key in ["anyOf", "oneOf"] {
            if let options = property[key]?.array {
                let names = options.compactMap { $0.object.flatMap(typeText) }
                if !names.isEmpty { return names.joined(separator: " | ") }
            }
        }
        return nil
    }

    private static func pythonType(_ type: String, items: JSONValue?) -> String {
        switch type {
        case "string": return "str"
        case "integer": return "int"
        case "number": return "float"
        case "boolean": return "bool"
        case "null": return "None"
        case "object": return "dict"
        case "array":
            if let item = items?.object.flatMap(typeText) { return "list[\(item)]" }
            return "list"
        default: return type
        }
    }

    /// A JSON value written as a Python literal, for docstrings.
    static func pythonLiteral(_ value: JSONValue) -> String {
        switch value {
        case .null: "None"
        case .bool(let flag): flag ? "True" : "False"
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): stringLiteral(text)
        case .array(let items): "[" + items.map(pythonLiteral).joined(separator: ", ") + "]"
        case .object(let members):
            "{" + members.keys.sorted().map { "\(stringLiteral($0)): \(pythonLiteral(members[$0] ?? .null))" }.joined(separator: ", ") + "}"
        }
    }

    /// A double-quoted Python string literal holding exactly `text`, in ASCII.
    static func stringLiteral(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value >= 0x20 && scalar.value < 0x7F {
                    result.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFFFF {
                    result += "\\u" + hex(scalar.value, width: 4)
                } else {
                    result += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return result + "\""
    }

    /// A triple-quoted docstring holding `text`: quotes and backslashes escaped, control characters
    /// other than newlines dropped, continuation lines indented.
    static func docstring(_ text: String, indent: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\n"
            case "\t": escaped += "    "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                    || scalar == "\u{2028}" || scalar == "\u{2029}" { continue }
                escaped.unicodeScalars.append(scalar)
            }
        }
        let lines = escaped.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingTrailingWhitespace() }
        let body = lines.enumerated().map { index, line in index == 0 || line.isEmpty ? line : indent + line }
        return "\"\"\"" + body.joined(separator: "\n") + (lines.count > 1 ? "\n" + indent : "") + "\"\"\""
    }

    private static func unique(_ name: String, in taken: inout Set<String>) -> String {
        var candidate = name
        var counter = 2
        while taken.contains(candidate) {
            candidate = "\(name)_\(counter)"
            counter += 1
        }
        taken.insert(candidate)
        return candidate
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Substring {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " { end = index(before: end) }
        return String(self[startIndex..<end])
    }
}
