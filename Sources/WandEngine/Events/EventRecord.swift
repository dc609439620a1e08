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
        let type = try envelope.decode(String.self, forKey: .type)
        event = try Self.decodePayload(type: type, from: decoder)
    }

    /// Encodes the envelope and the payload's fields into one flat object.
    public func encode(to encoder: any Encoder) throws {
        var envelope = encoder.container(keyedBy: EnvelopeKey.self)
        try envelope.encode(version, forKey: .v)
        try envelope.encode(seq, forKey: .seq)
        try envelope.encode(EventTime.format(time), forKey: .time)
        try envelope.encode(event.typeName, forKey: .type)
        switch event {
        case .sessionStarted(let payload): try payload.encode(to: encoder)
        case .runStarted(let payload): try payload.encode(to: encoder)
        case .planUpdated(let payload): try payload.encode(to: encoder)
        case .stepUpdated(let payload): try payload.encode(to: encoder)
        case .modelStarted(let payload): try payload.encode(to: encoder)
        case .modelDelta(let payload): try payload.encode(to: encoder)
        case .modelFinished(let payload): try payload.encode(to: encoder)
        case .codeProposed(let payload): try payload.encode(to: encoder)
        case .approvalRequested(let payload): try payload.encode(to: encoder)
        case .approvalDecided(let payload): try payload.encode(to: encoder)
        case .execStarted(let payload): try payload.encode(to: encoder)
        case .execOutput(let payload): try payload.encode(to: encoder)
        case .execFinished(let payload): try payload.encode(to: encoder)
        case .feedbackSent(let payload): try payload.encode(to: encoder)
        case .answer(let payload): try payload.encode(to: encoder)
        case .notice(let payload): try payload.encode(to: encoder)
        case .runFinished(let payload): try payload.encode(to: encoder)
        case .sessionFinished(let payload): try payload.encode(to: encoder)
        }
    }

    private static func decodePayload(type: String, from decoder: any Decoder) throws -> AgentEvent {
        switch type {
        case "session.started": .sessionStarted(try SessionStarted(from: decoder))
        case "run.started": .runStarted(try RunStarted(from: decoder))
        case "plan.updated": .planUpdated(try PlanUpdated(from: decoder))
        case "step.updated": .stepUpdated(try StepUpdated(from: decoder))
        case "model.started": .modelStarted(try ModelStarted(from: decoder))
        case "model.delta": .modelDelta(try ModelDelta(from: decoder))
        case "model.finished": .modelFinished(try ModelFinished(from: decoder))
        case "code.proposed": .codeProposed(try CodeProposed(from: decoder))
        case "approval.requested": .approvalRequested(try ApprovalRequested(from: decoder))
        case "approval.decided": .approvalDecided(try ApprovalDecided(from: decoder))
        case "exec.started": .execStarted(try ExecStarted(from: decoder))
        case "exec.output": .execOutput(try ExecOutput(from: decoder))
        case "exec.finished": .execFinished(try ExecFinished(from: decoder))
        case "feedback.sent": .feedbackSent(try FeedbackSent(from: decoder))
        case "answer": .answer(try AnswerGiven(from: decoder))
        case "notice": .notice(try Notice(from: decoder))
        case "run.finished": .runFinished(try RunFinished(from: decoder))
        case "session.finished": .sessionFinished(try SessionFinished(from: decoder))
        default: throw EventDecodingError("unknown event type `\(type)`")
        }
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
