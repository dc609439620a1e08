import Glibc

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
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { feed(chunk: $0, into: &events) }
        if contiguous == nil {
            Array(bytes).withUnsafeBufferPointer { feed(chunk: $0, into: &events) }
        }
        return events
    }

    /// Splits a chunk at its newlines with `memchr` and copies whole runs, not single bytes: an MCP
    /// server may send a 10 MB event, which a byte-at-a-time loop takes seconds over.
    private mutating func feed(chunk: UnsafeBufferPointer<UInt8>, into events: inout [String]) {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        while start < chunk.count {
            guard let found = memchr(base + start, 0x0A, chunk.count - start) else {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[start...]))
                return
            }
            let newline = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[start..<newline]))
            if buffer.last == 0x0D { buffer.removeLast() }
            if let event = processLine(buffer) { events.append(event) }
            buffer.removeAll(keepingCapacity: true)
            start = newline + 1
        }
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
