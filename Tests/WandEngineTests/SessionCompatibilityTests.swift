import Foundation
import Testing
import WandEngine
import WandTestSupport

/// Files written by earlier builds must keep loading, folding and reading the same.
@Suite("Session compatibility")
struct SessionCompatibilityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The bundled demo sessions.
    static var bundled: [URL] {
        let directory = root.appendingPathComponent("Sessions")
        return ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "jsonl" }.sorted { $0.path < $1.path }
    }

    /// A session written by Wand 0.1.0 (see `Tests/Fixtures/sessions/README.md`).
    static let release = root.appendingPathComponent("Tests/Fixtures/sessions/wand-0.1.0.jsonl")

    @Test("every bundled session and the release session load, fold and read back byte for byte",
          arguments: bundled + [release])
    func loadsAndFolds(file: URL) throws {
        let loaded = try SessionReader().load(file)
        #expect(loaded.problems.isEmpty)
        let state = SessionState(folding: loaded.events)
        #expect(state.started != nil)
        #expect(state.isFinished)
        #expect(state.runStatus == .answered)
        #expect(state.eventCount == loaded.events.count)
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == loaded.events.count)
        let codec = EventLineCodec()
        for (line, record) in zip(lines, loaded.events) {
            let written = String(decoding: try codec.encodeLine(record).dropLast(), as: UTF8.self)
            #expect(written == String(line), "line \(record.seq) is written back as it was read")
        }
    }

    /// Event types added since 0.1.0 wrote the release session; the round-trip test covers them.
    static let addedSinceRelease: Set<String> = ["settings.changed", "tool.called", "tool.result"]

    @Test("the release session holds every event type of its version, with names this build knows")
    func releaseCoversEveryType() throws {
        let events = try SessionReader().load(Self.release).events
        #expect(Set(events.map(\.event.typeName)) == Set(AgentEvent.types.map(\.name)).subtracting(Self.addedSinceRelease))
        for record in events {
            switch record.event {
            case .sessionStarted(let started): #expect(started.sandbox.mode.isRecognized)
            case .modelStarted(let started): #expect(started.purpose.isRecognized)
            case .execStarted(let started): #expect(started.runner.isRecognized)
            case .feedbackSent(let sent): #expect(sent.kind.isRecognized)
            default: break
            }
        }
    }
}
