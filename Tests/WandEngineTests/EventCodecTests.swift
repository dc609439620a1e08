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
            .notice(Notice(level: .warning, message: "model server restarted")),
            .execFinished(ExecFinished(attempt: 3, exitStatus: nil, signal: 9, durationMs: 30_000, truncated: true,
                                       limit: .timeout, stateLost: true)),
        ])
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
        #expect(seen.count == 18, "the fixtures cover every event type")
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
    }
}
