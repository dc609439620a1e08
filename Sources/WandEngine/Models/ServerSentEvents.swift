/// Splits a byte stream of server-sent events into `data:` payloads.
///
/// Follows the SSE rules that matter for chat completions: lines end in LF or CRLF, lines starting
/// with `:` are comments, `event:`/`id:`/`retry:` fields are ignored, and the `data:` lines of one
/// event (ended by a blank line) are joined with newlines. Pure: feed it bytes in any chunking.
public struct ServerSentEventParser: Sendable {
    private var buffer: [UInt8] = []
    private var data: [String] = []

    /// Creates a parser.
    public init() {}

    /// Feeds bytes; returns the payloads of the events completed by them.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        var events: [String] = []
        for byte in bytes {
            if byte == 0x0A {
                if buffer.last == 0x0D { buffer.removeLast() }
                if let event = processLine(buffer) { events.append(event) }
                buffer.removeAll(keepingCapacity: true)
            } else {
                buffer.append(byte)
            }
        }
        return events
    }

    /// Ends the stream; returns a last event left without its blank line, if any.
    public mutating func finish() -> [String] {
        var events: [String] = []
        if !buffer.isEmpty, let event = processLine(buffer) { events.append(event) }
        buffer.removeAll()
        if !data.isEmpty {
            events.append(data.joined(separator: "\n"))
            data.removeAll()
        }
        return events
    }

    private mutating func processLine(_ line: [UInt8]) -> String? {
        if line.isEmpty {
            guard !data.isEmpty else { return nil }
            defer { data.removeAll() }
            return data.joined(separator: "\n")
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("data:") else { return nil }
        var value = text.dropFirst(5)
        if value.first == " " { value = value.dropFirst() }
        data.append(String(value))
        return nil
    }
}
