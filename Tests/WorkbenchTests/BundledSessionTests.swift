import Foundation
import TerminalUI
import Testing
import WandEngine
import WandResources
import Workbench

@Suite("Bundled demo sessions")
struct BundledSessionTests {
    static var files: [URL] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sessions")
        return ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "jsonl" }.sorted { $0.path < $1.path }
    }

    @Test("there is at least one demo per strategy, and the bundle holds the same files")
    func coverage() throws {
        let strategies = try Self.files.map { try SessionReader().load($0).started?.strategy ?? "" }
        #expect(Set(strategies).isSuperset(of: StrategyName.allCases.map(\.rawValue)))
        let bundled = try FileManager.default.contentsOfDirectory(atPath: BundledResources.sessionsDirectory.path)
            .filter { $0.hasSuffix(".jsonl") }.sorted()
        #expect(bundled == Self.files.map(\.lastPathComponent))
    }

    @Test("every bundled session loads cleanly, replays to an answer and renders at every step", arguments: files)
    func replays(file: URL) throws {
        let loaded = try SessionReader().load(file)
        #expect(loaded.problems.isEmpty)
        let final = SessionState(folding: loaded.events)
        #expect(final.runStatus == .answered)
        #expect(final.answer?.isEmpty == false)
        #expect(final.executionsFinished > 0, "a demo shows code running")
        #expect(!TranscriptPrinter.transcript(of: loaded.events).isEmpty)
        for size in [Size(width: 40, height: 12), Size(width: 120, height: 40)] {
            var state = ViewState(mode: .replay, size: size)
            state.replay = ReplayState(fileName: file.lastPathComponent, events: loaded.events)
            var steps = 0
            while state.replay?.isAtEnd == false {
                _ = Reducer.reduce(&state, .action(.replayNextStep))
                let frame = WorkbenchRenderer.render(state, theme: .fallback)
                #expect(frame.buffer.width == size.width && frame.buffer.height == size.height)
                steps += 1
            }
            #expect(state.session == final)
            #expect(steps > 3)
            // The plan pane shows the whole answer at its width here (on a small terminal, below its fold).
            let planWidth = try #require(WorkbenchRenderer.layout(for: state)).plan.width
            let pane = WorkbenchRenderer.renderPane(.plan, state, theme: .fallback, size: Size(width: planWidth, height: 400))
                .buffer.textLines().map { $0.dropFirst().dropLast() }
            let heading = try #require(pane.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "Answer" },
                                       "\(size.width)×\(size.height): no Answer heading in\n\(pane.joined(separator: "\n"))")
            let shown = pane[(heading + 1)...].joined().filter { !$0.isWhitespace }
            let answer = try #require(final.answer).filter { !$0.isWhitespace }
            #expect(shown.hasPrefix(answer), "\(size.width)×\(size.height): \(shown) does not start with \(answer)")
        }
    }
}
