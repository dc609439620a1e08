import Foundation
import Testing
import TerminalUI
import WandEngine
import WandExport
import WandTestSupport
import Workbench

/// The cast export: a replay drawn by the workbench, at the recorded timing, in asciicast v2.
@Suite("Asciicast export")
struct AsciicastRecordingTests {
    static let theme = Theme.fallback

    /// The fixture with a 10-second pause before the answer.
    static func withPause() -> [EventRecord] {
        FixtureSessions.fibonacci().map { record in
            var shifted = record
            if record.seq >= 23 { shifted.time = record.time.addingTimeInterval(10) }
            return shifted
        }
    }

    static func lines(_ data: Data) throws -> (header: [String: Any], events: [[Any]]) {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let events = try lines.dropFirst().map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [Any]) }
        return (header, events)
    }

    @Test("the file is asciicast v2 and its frames, played in order, leave the workbench's last frame on screen")
    func playsToTheEnd() throws {
        let events = FixtureSessions.fibonacci()
        let recording = AsciicastRecording(events: events, title: "fixture", theme: Self.theme,
                                           options: .init(size: Size(width: 100, height: 30)))
        let (header, lines) = try Self.lines(try recording.file())
        #expect(header["version"] as? Int == 2)
        #expect(header["width"] as? Int == 100)
        #expect(header["height"] as? Int == 30)
        #expect(header["title"] as? String == "fixture")
        #expect(header["timestamp"] as? Int == Int(FixtureSessions.start.timeIntervalSince1970))
        #expect(header["duration"] as? Double == lines.last?.first as? Double)
        var terminal = VTScreen(width: 100, height: 30)
        var previous = -1.0
        for line in lines {
            let time = try #require(line[0] as? Double)
            #expect(time >= previous)
            previous = time
            #expect(line[1] as? String == "o")
            terminal.write(try #require(line[2] as? String))
        }
        #expect(terminal.unknownSequences.isEmpty)
        // The end state as the workbench shows it after stepping to the last event.
        var replay = ReplayState(fileName: "fixture", events: events)
        var state = ViewState(mode: .replay, size: Size(width: 100, height: 30), themeName: "fallback", themeNames: ["fallback"])
        state.session = replay.seek(to: events.count, from: state.session)
        state.replay = replay
        let expected = WorkbenchRenderer.render(state, theme: Self.theme).buffer.textLines()
        #expect(terminal.textLines == expected)
        #expect(terminal.textLines.joined(separator: "\n").contains("832040"))
        #expect(terminal.textLines.contains { $0.contains("Answer") })
    }

    @Test("pauses are cut to --max-idle and --speed scales the timing")
    func timing() throws {
        let events = Self.withPause()
        let recorded = events.last!.time.timeIntervalSince(events.first!.time)
        #expect(recorded > 15)
        let normal = AsciicastRecording(events: events, title: "t", theme: Self.theme, options: .init(maxIdle: 2))
        let fast = AsciicastRecording(events: events, title: "t", theme: Self.theme, options: .init(speed: 2, maxIdle: 2))
        // 26 events 250 ms apart, the 10 s pause cut to 2 s.
        let expected = Double(events.count - 2) * 0.25 + 2
        #expect(abs(normal.frames.last!.time - expected) < 0.001)
        #expect(abs(fast.frames.last!.time - expected / 2) < 0.001)
        let gaps = zip(normal.frames.dropFirst(), normal.frames).map { $0.time - $1.time }
        #expect(gaps.allSatisfy { $0 <= 2.0001 })
        #expect(gaps.contains { $0 > 1.9 })
    }

    @Test("events closer than a frame interval are drawn as one frame")
    func coalescing() {
        let events = FixtureSessions.records(FixtureSessions.fibonacci().map(\.event), stepMs: 5)
        let recording = AsciicastRecording(events: events, title: "t", theme: Self.theme, options: .init())
        #expect(recording.frames.count < events.count / 2)
        let gaps = zip(recording.frames.dropFirst(), recording.frames).map { $0.time - $1.time }
        #expect(gaps.dropLast().allSatisfy { $0 >= 1.0 / 30 - 0.0001 })
    }
}
