import Foundation
import Glibc
import Testing
import WandEngine
import WandTestSupport

/// A session file that ends inside a run: what a SIGKILL, a crash or a closed terminal leaves.
@Suite("Interrupted runs", .serialized)
struct InterruptedRunTests {
    /// Where the fixture is cut: after the event named, which is the last one the file keeps.
    enum Cut: String, CaseIterable, CustomTestStringConvertible {
        case modelStarted = "model.started"
        case execStarted = "exec.started"
        case execOutput = "exec.output"

        var testDescription: String { "cut after \(rawValue)" }

        /// The fixture's first events up to and including the cut.
        var events: [EventRecord] {
            let all = FixtureSessions.fibonacci()
            let index: Int
            switch self {
            case .modelStarted: index = all.firstIndex { $0.event.typeName == "model.started" }!
            case .execStarted: index = all.firstIndex { $0.event.typeName == "exec.started" }!
            case .execOutput: index = all.firstIndex { $0.event.typeName == "exec.output" }!
            }
            return Array(all.prefix(index + 1))
        }
    }

    func write(_ cut: Cut) throws -> URL {
        let file = try FixtureSessions.temporaryDirectory("interrupted").appendingPathComponent("cut.jsonl")
        try FixtureSessions.write(cut.events, to: file)
        return file
    }

    @Test("resuming closes the open run in the file as interrupted, keeping what it produced", arguments: Cut.allCases)
    func closeOnResume(cut: Cut) throws {
        let file = try write(cut)
        let loaded = try SessionReader().load(file)
        #expect(SessionState(folding: loaded.events).isRunning, "the events alone are a run under way")
        #expect(SessionDirectory.summarize(file).status == nil, "listed as unfinished before it is resumed")

        let closed = try InterruptedRun.close(loaded)
        let reread = try SessionReader().load(file)
        #expect(reread == closed, "what is returned is what the file now holds")
        #expect(reread.problems.isEmpty)
        #expect(reread.events.map(\.seq) == Array(1...reread.events.count))
        guard case .runFinished(let finished) = reread.events.last?.event else {
            Issue.record("the file does not end with run.finished")
            return
        }
        #expect(finished.run == 1)
        #expect(finished.status == .interrupted)
        #expect(finished.reason == InterruptedRun.reason)
        #expect(finished.totals.modelCalls == cut.events.count(where: { $0.event.typeName == "model.started" }))
        #expect(finished.totals.executions == cut.events.count(where: { $0.event.typeName == "exec.started" }))
        #expect(reread.events.last?.time == loaded.events.last?.time, "stamped with the last known moment of the run")

        let state = SessionState(folding: reread.events)
        #expect(!state.isRunning)
        #expect(!state.isGenerating)
        #expect(state.runStatus == .interrupted)
        #expect(state.activeAttempt == nil)
        #expect(state.attempts.allSatisfy { !$0.isRunning })
        switch cut {
        case .modelStarted:
            #expect(state.interruptedReply == "", "the call had streamed nothing yet")
            #expect(state.attempts.isEmpty)
        case .execStarted:
            #expect(state.interruptedReply == nil)
            #expect(state.attempts.last?.startedAt != nil)
            #expect(state.attempts.last?.result == nil)
        case .execOutput:
            #expect(state.attempts.last?.output == [OutputChunk(stream: .stdout, text: "F30 = 832040\n")])
        }
        #expect(SessionDirectory.summarize(file).status == .interrupted)
        #expect(try InterruptedRun.close(reread) == reread, "a closed run is not closed twice")
        #expect(try SessionReader().load(file).events.count == reread.events.count)
    }

    @Test("folding to the end of a cut file shows the state the closed file shows", arguments: Cut.allCases)
    func foldAtEnd(cut: Cut) throws {
        var open = SessionState(folding: cut.events)
        open.closeInterruptedRun()
        let closed = SessionState(folding: try InterruptedRun.close(SessionReader().load(try write(cut))).events)
        #expect(open.runStatus == closed.runStatus)
        #expect(open.runReason == closed.runReason)
        #expect(open.isGenerating == closed.isGenerating)
        #expect(open.interruptedReply == closed.interruptedReply)
        #expect(open.attempts == closed.attempts)
        #expect(open.modelText == closed.modelText)

        let transcript = TranscriptPrinter.transcript(of: cut.events)
        let lastLine = transcript.split(separator: "\n").last.map(String.init) ?? ""
        #expect(lastLine.hasPrefix("Run 1 finished: interrupted (\(InterruptedRun.reason)) · "),
                "the transcript ends the way a resumed file's does")
    }

    @Test("a finished session is left alone")
    func finishedSession() throws {
        #expect(InterruptedRun.closing(FixtureSessions.fibonacci()) == nil)
        var state = SessionState(folding: FixtureSessions.fibonacci())
        let before = state
        state.closeInterruptedRun()
        #expect(state == before)
    }

    @Test("a session resumed after a crash runs the next goal to its answer")
    func resumeAndRun() async throws {
        let file = try write(.execOutput)
        let closed = try InterruptedRun.close(SessionReader().load(file))
        let session = AgentSession(resuming: closed, recorder: try EventRecorder(continuing: closed),
                                   model: ScriptedModel(["```python\nprint(6 * 7)\n```", "Final Answer: 42"]),
                                   executor: try ExecutorFixtures.make(), limits: nil)
        let finished = await session.run(goal: "6*7", strategy: .codeact, settings: AgentSettings())
        await session.finish()
        #expect(finished.run == 2)
        #expect(finished.status == .answered)
        let all = try SessionReader().load(file)
        #expect(all.problems.isEmpty)
        #expect(all.events.map(\.seq) == Array(1...all.events.count))
        let statuses = all.events.compactMap { record -> RunStatus? in
            if case .runFinished(let finished) = record.event { return finished.status } else { return nil }
        }
        #expect(statuses == [.interrupted, .answered])
        #expect(SessionState(folding: all.events).answer == "42")
    }
}

/// Reading a path that is not a readable session file says what is wrong, in plain words.
@Suite("Session files that cannot be read")
struct UnreadableSessionTests {
    func message(_ url: URL) -> String {
        do {
            _ = try SessionReader().load(url)
            return "loaded"
        } catch {
            return "\(error)"
        }
    }

    @Test("a directory, a FIFO, a path under a file and an empty file are each named, with no Foundation text")
    func messages() throws {
        let directory = try FixtureSessions.temporaryDirectory("unreadable")
        let fifo = directory.appendingPathComponent("pipe.jsonl")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let empty = directory.appendingPathComponent("empty.jsonl")
        #expect(FileManager.default.createFile(atPath: empty.path, contents: Data()))
        let underFile = empty.appendingPathComponent("s.jsonl")

        let cases: [(URL, String)] = [
            (directory, "\(directory.path): is a directory; give a session file or id"),
            (fifo, "\(fifo.path): is not a regular file (a FIFO, socket or device); give a session file or id"),
            (underFile, "\(underFile.path): cannot read: Not a directory"),
            (empty, "\(empty.path): the file is empty; it holds no session events"),
        ]
        for (url, expected) in cases {
            let text = message(url)
            #expect(text == expected)
            #expect(!text.contains("NSCocoaErrorDomain") && !text.contains("could not be completed"))
        }
    }
}
