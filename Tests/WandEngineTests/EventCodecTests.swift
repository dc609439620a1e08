import Foundation
import Testing
import WandEngine
import WandTestSupport

@Suite("Event codec")
struct EventCodecTests {
    let codec = EventLineCodec()

    @Test("every event type survives a round trip through one JSON line")
    func roundTrip() throws {
        let records = FixtureSessions.fibonacci() + FixtureSessions.records([
            .approvalRequested(ApprovalRequested(attempt: 3)),
            .approvalDecided(ApprovalDecided(attempt: 3, decision: .edit, source: "print(1)")),
            .toolCalled(ToolCalled(call: 1, attempt: 3, server: "time", tool: "get_current_time",
                                   arguments: .object(["timezone": .string("UTC")]), policy: .ask)),
            .approvalRequested(ApprovalRequested(attempt: 3, toolCall: 1)),
            .approvalDecided(ApprovalDecided(attempt: 3, decision: .run, toolCall: 1)),
            .toolResult(ToolReturned(call: 1, server: "time", tool: "get_current_time", outcome: .ok,
                                     result: ToolCallResult(text: "{}", structured: .object(["hour": .int(21)])), durationMs: 12)),
            .notice(Notice(level: .warning, message: "model server restarted")),
            .execFinished(ExecFinished(attempt: 3, exitStatus: nil, signal: 9, durationMs: 30_000, truncated: true,
                                       limit: .timeout, stateLost: true)),
            .execFinished(ExecFinished(attempt: 4, exitStatus: 0, durationMs: 80,
                                       files: [WorkspaceFile(path: "plot.png", size: 14_321),
                                               WorkspaceFile(path: "out/\u{1B}[2J\nnamé.csv", size: 0)], moreFiles: 3)),
            .settingsChanged(SettingsChanged(settings: ["samples": "3", "reflect": "true"],
                                             model: ModelDescriptor(profile: "fast", name: "fake", baseURL: "http://x/v1"))),
        ]) + FixtureSessions.comparison().prefix(1)
        var seen = Set<String>()
        for record in records {
            let line = try codec.encodeLine(record)
            #expect(line.last == 0x0A)
            #expect(!line.dropLast().contains(0x0A), "a record must stay on one line")
            let decoded = try codec.decodeLine(line.dropLast())
            #expect(decoded.event == record.event)
            #expect(decoded.seq == record.seq)
            #expect(abs(decoded.time.timeIntervalSince(record.time)) < 0.001)
            seen.insert(record.event.typeName)
        }
        #expect(seen.count == AgentEvent.types.count, "the fixtures cover every event type")
    }

    @Test("every event type in the table survives a round trip, with every field filled or every optional left out",
          arguments: AgentEvent.types.map(\.name), [true, false])
    func tableRoundTrip(typeName: String, optionalsPresent: Bool) throws {
        let type = try #require(AgentEvent.types.first { $0.name == typeName })
        let event = try type.decodeEvent(from: SampleDecoder(optionalsPresent: optionalsPresent))
        #expect(AgentEvent.types.filter { $0.matches(event) }.map(\.name) == [typeName], "exactly one row claims the event")
        #expect(event.typeName == typeName)
        let record = EventRecord(seq: 3, time: FixtureSessions.start, event: event)
        let line = try codec.encodeLine(record)
        let object = try JSONSerialization.jsonObject(with: line) as? [String: Any]
        #expect(object?["type"] as? String == typeName)
        #expect(try codec.decodeLine(line.dropLast()) == record)
    }

    @Test("event type names are unique")
    func typeNames() {
        let names = AgentEvent.types.map(\.name)
        #expect(Set(names).count == names.count)
    }

    @Test("a name a later version adds loads as unrecognized and is written back unchanged", arguments: [
        #"{"attempt":2,"kind":"critique","seq":4,"text":"t","time":"2026-11-25T10:00:00.000Z","type":"feedback.sent","v":1}"#,
        #"{"call":3,"purpose":"tool","seq":4,"time":"2026-11-25T10:00:00.000Z","type":"model.started","v":1}"#,
        #"{"attempt":1,"language":"python","runner":"wasm","seq":4,"time":"2026-11-25T10:00:00.000Z","type":"exec.started","v":1}"#,
        #"{"goal":"g","model":{"baseURL":"u","name":"m","profile":"p"},"sandbox":{"detail":"d","mode":"gvisor"},"seq":1,"session":"s","settings":{},"strategy":"auto","time":"2026-11-25T10:00:00.000Z","tools":{},"type":"session.started","v":1}"#,
    ])
    func unrecognizedNames(line: String) throws {
        let record = try codec.decodeLine(Data(line.utf8))
        let names: [Bool] = switch record.event {
        case .feedbackSent(let sent): [sent.kind.isRecognized]
        case .modelStarted(let started): [started.purpose.isRecognized]
        case .execStarted(let started): [started.runner.isRecognized]
        case .sessionStarted(let started): [started.sandbox.mode.isRecognized]
        default: []
        }
        #expect(names == [false])
        #expect(String(decoding: try codec.encodeLine(record), as: UTF8.self) == line + "\n")
    }

    @Test("each closed set's names are distinct and read back as their own case")
    func recordedNames() {
        func check<Name: RecordedName>(_: Name.Type) {
            let names = Name.allCases.map(\.rawValue)
            #expect(Set(names).count == names.count, "\(Name.self)")
            for value in Name.allCases {
                #expect(Name(rawValue: value.rawValue) == value)
                #expect(value.isRecognized)
            }
            #expect(Name(rawValue: "from-a-later-version") == .unrecognized("from-a-later-version"))
        }
        check(FeedbackKind.self)
        check(ModelPurpose.self)
        check(ExecutionRunner.self)
        check(SandboxMode.self)
        #expect(FeedbackKind.allCases.count == 9 && ModelPurpose.allCases.count == 9)
    }

    @Test("the envelope has v, seq, time and type at the top level")
    func envelopeFields() throws {
        let record = FixtureSessions.fibonacci()[0]
        let object = try JSONSerialization.jsonObject(with: codec.encodeLine(record)) as? [String: Any]
        #expect(object?["v"] as? Int == 1)
        #expect(object?["seq"] as? Int == 1)
        #expect(object?["type"] as? String == "session.started")
        #expect(object?["time"] as? String == "2026-11-25T10:00:00.000Z")
        #expect(object?["goal"] as? String != nil)
    }

    @Test("decoding errors name what is wrong", arguments: [
        ("{\"v\":1,\"seq\":1,\"time\":\"2026-11-25T10:00:00.000Z\",\"type\":\"martian\"}", "unknown event type `martian`"),
        ("{\"v\":1,\"seq\":1,\"time\":\"yesterday\",\"type\":\"answer\",\"text\":\"x\"}", "field `time` is not an ISO 8601 UTC time: yesterday"),
        ("{\"v\":1,\"time\":\"2026-11-25T10:00:00.000Z\",\"type\":\"answer\",\"text\":\"x\"}", "missing field `seq`"),
        ("{\"v\":1,\"seq\":1,\"time\":\"2026-11-25T10:00:00.000Z\",\"type\":\"answer\"}", "missing field `text`"),
        ("{\"v\":1,\"seq\":\"one\",\"time\":\"2026-11-25T10:00:00.000Z\",\"type\":\"answer\",\"text\":\"x\"}", "field `seq` has the wrong type"),
        ("{\"v\":1,\"seq\":1,\"ti", "not valid JSON"),
    ])
    func decodingErrors(line: String, reason: String) {
        #expect(throws: EventDecodingError(reason)) { try codec.decodeLine(Data(line.utf8)) }
    }

    @Test("event times format and parse exactly, with fallbacks refused")
    func eventTime() {
        let date = Date(timeIntervalSince1970: 1_795_600_800.123)
        #expect(EventTime.format(date) == "2026-11-25T10:00:00.123Z")
        #expect(EventTime.parse("2026-11-25T10:00:00.123Z").map { abs($0.timeIntervalSince(date)) < 0.0005 } == true)
        #expect(EventTime.parse("2026-11-25T10:00:00Z") == Date(timeIntervalSince1970: 1_795_600_800))
        #expect(EventTime.parse("1999-02-28T23:59:59.5Z") == Date(timeIntervalSince1970: 920_246_399.5))
        #expect(EventTime.parse("2026-13-25T10:00:00Z") == nil)
        #expect(EventTime.parse("2026-11-25 10:00:00Z") == nil)
        #expect(EventTime.parse("") == nil)
        let long = "2026-11-25T10:00:00." + String(repeating: "7", count: 120) + "Z"
        #expect(EventTime.parse(long).map { abs($0.timeIntervalSince1970 - 1_795_600_800.777_777_777) < 0.000_001 } == true,
                "digits past nanoseconds are read, not overflowed (this crashed the session reader)")
        #expect(EventTime.parse("2026-11-25T10:00:00.12x4Z") == nil)
    }
}
