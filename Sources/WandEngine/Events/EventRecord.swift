public import Foundation

/// One line of a session file: the envelope (`v`, `seq`, `time`, `type`) around an ``AgentEvent``.
public struct EventRecord: Sendable, Equatable {
    /// The session format version this build writes.
    public static let currentVersion = 1

    /// The format version of this line.
    public var version: Int
    /// Position in the session, from 1, without gaps.
    public var seq: Int
    /// When the event happened.
    public var time: Date
    /// The event.
    public var event: AgentEvent

    /// Creates a record.
    public init(version: Int = EventRecord.currentVersion, seq: Int, time: Date, event: AgentEvent) {
        self.version = version
        self.seq = seq
        self.time = time
        self.event = event
    }
}

/// Why a line could not be decoded as an event.
public struct EventDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A short reason, naming the field at fault.
    public var reason: String

    /// Creates an error.
    public init(_ reason: String) { self.reason = reason }

    /// The reason.
    public var description: String { reason }
}

extension EventRecord: Codable {
    private enum EnvelopeKey: String, CodingKey {
        case v, seq, time, type
    }

    /// Decodes the envelope, then the payload named by `type` from the same object.
    public init(from decoder: any Decoder) throws {
        let envelope = try decoder.container(keyedBy: EnvelopeKey.self)
        version = try envelope.decode(Int.self, forKey: .v)
        seq = try envelope.decode(Int.self, forKey: .seq)
        let timeText = try envelope.decode(String.self, forKey: .time)
        guard let parsed = EventTime.parse(timeText) else {
            throw EventDecodingError("field `time` is not an ISO 8601 UTC time: \(timeText)")
        }
        time = parsed
        let typeName = try envelope.decode(String.self, forKey: .type)
        guard let type = AgentEvent.typesByName[typeName] else {
            throw EventDecodingError("unknown event type `\(typeName)`")
        }
        event = try type.decodeEvent(from: decoder)
    }

    /// Encodes the envelope and the payload's fields into one flat object.
    public func encode(to encoder: any Encoder) throws {
        var envelope = encoder.container(keyedBy: EnvelopeKey.self)
        try envelope.encode(version, forKey: .v)
        try envelope.encode(seq, forKey: .seq)
        try envelope.encode(EventTime.format(time), forKey: .time)
        let type = event.eventType
        try envelope.encode(type.name, forKey: .type)
        try type.encodePayload(of: event, to: encoder)
    }
}

/// Encodes and decodes event records as single JSON lines.
public struct EventLineCodec: Sendable {
    private let encoder: JSONEncoder
    private let decoder = JSONDecoder()

    /// Creates a codec with stable key order so session files diff cleanly.
    public init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// The record as one line of JSON, ending in a newline.
    public func encodeLine(_ record: EventRecord) throws -> Data {
        var data = try encoder.encode(record)
        data.append(0x0A)
        return data
    }

    /// Decodes one line (without its newline), explaining what was wrong when it fails.
    public func decodeLine(_ line: Data) throws(EventDecodingError) -> EventRecord {
        do {
            return try decoder.decode(EventRecord.self, from: line)
        } catch let error as EventDecodingError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw EventDecodingError("missing field `\(Self.path(context.codingPath + [key]))`")
        } catch let DecodingError.typeMismatch(_, context) {
            throw EventDecodingError("field `\(Self.path(context.codingPath))` has the wrong type")
        } catch let DecodingError.valueNotFound(_, context) {
            throw EventDecodingError("field `\(Self.path(context.codingPath))` is null")
        } catch let DecodingError.dataCorrupted(context) {
            if context.codingPath.isEmpty {
                throw EventDecodingError("not valid JSON")
            }
            throw EventDecodingError("field `\(Self.path(context.codingPath))` is invalid")
        } catch {
            throw EventDecodingError("not valid JSON")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
