import Foundation
import MCP

/// A tool as its server describes it.
public struct MCPToolInfo: Sendable, Equatable, Codable {
    /// The server's configured name.
    public var server: String
    /// The tool's name as the server spells it (used in calls).
    public var name: String
    /// The server's description of the tool, if any.
    public var description: String?
    /// The JSON schema of its arguments (an object schema).
    public var inputSchema: JSONValue

    /// Creates a tool description.
    public init(server: String, name: String, description: String?, inputSchema: JSONValue) {
        self.server = server
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }
}

/// What a tool call returned, capped to a size that can go into a prompt, a session file and the
/// sandbox's channel.
public struct ToolCallResult: Sendable, Equatable, Codable {
    /// The text blocks joined by newlines; other content is described in brackets. Ends with a note
    /// when part of it was cut.
    public var text: String
    /// The structured result, when the server sent one that fits under the cap.
    public var structured: JSONValue?
    /// Whether the server marked the result as an error (the tool ran and failed).
    public var isError: Bool
    /// Bytes of the server's answer that were not kept (0 when nothing was cut).
    public var cutBytes: Int

    /// Creates a result.
    public init(text: String, structured: JSONValue? = nil, isError: Bool = false, cutBytes: Int = 0) {
        self.text = text
        self.structured = structured
        self.isError = isError
        self.cutBytes = cutBytes
    }

    /// The most kept of a result's text, and separately of its structured content, in UTF-8 bytes.
    public static let defaultLimitBytes = 65_536

    /// Builds a result from the SDK's, keeping at most `limitBytes` of text and of structured content.
    init(content: [Tool.Content], structured: Value?, isError: Bool, limitBytes: Int) {
        let parts = content.map(Self.describe)
        var text = parts.joined(separator: "\n")
        var cut = 0
        var notes: [String] = []
        if text.utf8.count > limitBytes {
            let kept = Self.prefix(of: text, bytes: limitBytes)
            cut += text.utf8.count - kept.utf8.count
            notes.append("\(Self.grouped(text.utf8.count - kept.utf8.count)) of \(Self.grouped(text.utf8.count)) bytes of text")
            text = kept
        }
        var keptStructured = structured.map(JSONValue.init)
        if let value = keptStructured {
            let size = value.compactText.utf8.count
            if size > limitBytes {
                keptStructured = nil
                cut += size
                notes.append("the structured result (\(Self.grouped(size)) bytes)")
            }
        }
        if !notes.isEmpty {
            text += "\n[… cut by Wand: " + notes.joined(separator: " and ") + " over the \(Self.grouped(limitBytes))-byte limit …]"
        }
        self.init(text: text, structured: keptStructured, isError: isError, cutBytes: cut)
    }

    /// The result with every secret replaced, in the text and in the structured result's strings and keys.
    func redacted(by redactor: SecretRedactor) -> ToolCallResult {
        var copy = self
        copy.text = redactor.redact(text)
        copy.structured = structured?.redacted(by: redactor)
        return copy
    }

    private static func describe(_ content: Tool.Content) -> String {
        switch content {
        case .text(let text, _, _):
            return text
        case .image(let data, let mimeType, _, _):
            return "[image \(mimeType), \(grouped(data.utf8.count)) bytes of base64, not kept]"
        case .audio(let data, let mimeType, _, _):
            return "[audio \(mimeType), \(grouped(data.utf8.count)) bytes of base64, not kept]"
        case .resource(let resource, _, _):
            if let text = resource.text { return text }
            return "[resource \(resource.uri)\(resource.mimeType.map { ", \($0)" } ?? ""), binary, not kept]"
        case .resourceLink(let uri, let name, _, _, _, _):
            return "[resource link \(name): \(uri)]"
        }
    }

    /// The longest prefix of `text` whose UTF-8 form fits in `bytes`, cut between Unicode scalars.
    static func prefix(of text: String, bytes: Int) -> String {
        let utf8 = text.utf8
        var end = utf8.index(utf8.startIndex, offsetBy: bytes, limitedBy: utf8.endIndex) ?? utf8.endIndex
        while end != utf8.endIndex, end != utf8.startIndex, utf8[end] & 0xC0 == 0x80 {
            end = utf8.index(before: end)
        }
        return String(decoding: utf8[..<end], as: UTF8.self)
    }

    private static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}

extension JSONValue {
    /// The value with `redactor` applied to every string and key.
    func redacted(by redactor: SecretRedactor) -> JSONValue {
        switch self {
        case .string(let text): .string(redactor.redact(text))
        case .array(let items): .array(items.map { $0.redacted(by: redactor) })
        case .object(let members):
            .object(Dictionary(members.map { (redactor.redact($0.key), $0.value.redacted(by: redactor)) }) { first, _ in first })
        default: self
        }
    }

    /// Converts the SDK's value; bytes become a `data:` URL string.
    init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .data(let mimeType, let data):
            self = .string("data:\(mimeType ?? "application/octet-stream");base64,\(data.base64EncodedString())")
        case .array(let items): self = .array(items.map(JSONValue.init))
        case .object(let members): self = .object(members.mapValues(JSONValue.init))
        }
    }

    /// The SDK's value for this one.
    var mcpValue: Value {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(\.mcpValue))
        case .object(let members): .object(members.mapValues(\.mcpValue))
        }
    }
}
