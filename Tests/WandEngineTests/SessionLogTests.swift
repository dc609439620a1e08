import Foundation
import Glibc
import Testing
import WandEngine
import WandTestSupport

@Suite("Session log")
struct SessionLogTests {
    @Test("the writer appends numbered lines that the reader loads back")
    func writeAndRead() throws {
        let directory = try FixtureSessions.temporaryDirectory()
        let file = directory.appendingPathComponent("s.jsonl")
        let writer = try SessionWriter(url: file)
        let recorder = EventRecorder(writer: writer, clock: .fixed(FixtureSessions.start))
        for record in FixtureSessions.fibonacci() { recorder.emit(record.event) }
        let loaded = try SessionReader().load(file)
        #expect(loaded.problems.isEmpty)
        #expect(loaded.events.map(\.event) == FixtureSessions.fibonacci().map(\.event))
        #expect(loaded.events.map(\.seq) == Array(1...FixtureSessions.fibonacci().count))
        #expect(loaded.events.allSatisfy { $0.time == FixtureSessions.start }, "the recorder's clock stamps every event")
        writer.close()
    }

    @Test("each event is on disk as soon as append returns (no buffering)")
    func flushedPerEvent() throws {
        let file = try FixtureSessions.temporaryDirectory().appendingPathComponent("s.jsonl")
        let recorder = EventRecorder(writer: try SessionWriter(url: file))
        recorder.emit(.answer(AnswerGiven(text: "one")))
        #expect(try SessionReader().load(file).events.count == 1)
        recorder.emit(.answer(AnswerGiven(text: "two")))
        #expect(try SessionReader().load(file).events.count == 2)
    }

    @Test("a truncated last line is reported with its number and every earlier event kept")
    func truncatedLastLine() throws {
        let file = try FixtureSessions.temporaryDirectory().appendingPathComponent("cut.jsonl")
        let records = FixtureSessions.fibonacci()
        try FixtureSessions.write(records, to: file)
        var data = try Data(contentsOf: file)
        let lastLine = try EventLineCodec().encodeLine(records[0])
        data.append(lastLine.prefix(lastLine.count / 2))
        try data.write(to: file)
        let loaded = try SessionReader().load(file)
        #expect(loaded.events.count == records.count)
        #expect(loaded.problems.count == 1)
        #expect(loaded.problems[0].line == records.count + 1)
        #expect(loaded.problems[0].file == file.path)
        #expect(loaded.problems[0].reason.hasPrefix("truncated last line"))
        #expect(loaded.problems[0].description.hasPrefix("\(file.path):\(records.count + 1): truncated"))
    }

    @Test("a garbage line in the middle is reported and the events after it are kept too")
    func garbageInTheMiddle() throws {
        let file = try FixtureSessions.temporaryDirectory().appendingPathComponent("garbage.jsonl")
        let codec = EventLineCodec()
        let records = FixtureSessions.fibonacci()
        var data = Data()
        for record in records.prefix(5) { data.append(try codec.encodeLine(record)) }
        data.append(Data("this is \u{0} not json\n".utf8))
        data.append(Data("{\"v\":1,\"seq\":6,\"time\":\"2026-11-25T10:00:01.000Z\",\"type\":\"answer\"}\n".utf8))
        for record in records.dropFirst(5) { data.append(try codec.encodeLine(record)) }
        try data.write(to: file)
        let loaded = try SessionReader().load(file)
        #expect(loaded.events.map(\.event) == records.map(\.event))
        #expect(loaded.problems == [
            SessionLineProblem(file: file.path, line: 6, reason: "not valid JSON"),
            SessionLineProblem(file: file.path, line: 7, reason: "missing field `text`"),
        ])
    }

    @Test("an empty file is an error naming the file")
    func emptyFile() throws {
        let file = try FixtureSessions.temporaryDirectory().appendingPathComponent("empty.jsonl")
        try Data().write(to: file)
        #expect(throws: SessionFileError(url: file, reason: "the file is empty; it holds no session events")) {
            try SessionReader().load(file)
        }
    }

    @Test("a missing file is an error naming the file")
    func missingFile() throws {
        let file = try FixtureSessions.temporaryDirectory().appendingPathComponent("absent.jsonl")
        let error = try #require(throws: SessionFileError.self) { try SessionReader().load(file) }
        #expect(error.description.hasPrefix(file.path + ": cannot read"))
    }

    @Test("a file of 100,000 events loads completely and folds")
    func hundredThousandEvents() async throws {
        let file = try FixtureSessions.temporaryDirectory().appendingPathComponent("big.jsonl")
        // Tens of seconds of work in a debug build: on a thread of its own, so that the tests running
        // beside it keep the task pool (and their deadlines) meanwhile.
        try await onOwnThread {
            let records = SyntheticSessions.longRun(eventCount: 100_000)
            try FixtureSessions.write(records, to: file)
            let loaded = try SessionReader().load(file)
            #expect(loaded.problems.isEmpty)
            #expect(loaded.events.count == 100_000)
            #expect(loaded.events.last?.seq == 100_000)
            let state = SessionState(folding: loaded.events)
            #expect(state.eventCount == 100_000)
            #expect(state.attempts.count == SessionState(folding: records).attempts.count)
        }
    }

    @Test("a session killed mid-write still loads, and writing can continue after it")
    func killedMidWrite() throws {
        let file = try FixtureSessions.temporaryDirectory().appendingPathComponent("killed.jsonl")
        let records = FixtureSessions.fibonacci()
        try FixtureSessions.write(Array(records.prefix(10)), to: file)
        let handle = try FileHandle(forWritingTo: file)
        handle.seekToEndOfFile()
        handle.write(Data("{\"v\":1,\"seq\":11,\"time\":\"2026-11-25T1".utf8))
        try handle.close()
        var loaded = try SessionReader().load(file)
        #expect(loaded.events.count == 10)
        #expect(loaded.problems.count == 1)
        try EventRecorder(continuing: loaded).emit(.answer(AnswerGiven(text: "after the crash")))
        loaded = try SessionReader().load(file)
        #expect(loaded.events.count == 11, "the new event starts its own line instead of joining the broken one")
        #expect(loaded.events.last?.event == .answer(AnswerGiven(text: "after the crash")))
        #expect(loaded.problems.count == 1)
        #expect(loaded.problems[0].line == 11)
        #expect(loaded.problems[0].reason == "not valid JSON", "the broken line is no longer the last one")
    }

    @Test("sessions are listed newest first and resolved by id prefix")
    func directoryListing() throws {
        let directory = SessionDirectory(url: try FixtureSessions.temporaryDirectory())
        try FixtureSessions.write(FixtureSessions.fibonacci(), to: directory.file(for: "20261125-100000-aaaa"))
        Thread.sleep(forTimeInterval: 0.02)
        try FixtureSessions.write(Array(FixtureSessions.fibonacci().prefix(4)), to: directory.file(for: "20261125-110000-bbbb"))
        let list = directory.list()
        #expect(list.map(\.id) == ["20261125-110000-bbbb", "20261125-100000-aaaa"])
        #expect(list[1].status == .answered)
        #expect(list[0].status == nil)
        #expect(list[1].goal.hasPrefix("What is the 30th Fibonacci"))
        #expect(try directory.resolve("20261125-11") == directory.file(for: "20261125-110000-bbbb"))
        #expect(throws: SessionFileError.self) { try directory.resolve("20261125") }
        #expect(throws: SessionFileError.self) { try directory.resolve("nothing") }
    }

    @Test("a listing counts every line, reads the goal from the first and the status from the last run event")
    func listingSummary() throws {
        let directory = SessionDirectory(url: try FixtureSessions.temporaryDirectory())
        let file = directory.file(for: "20261125-120000-cccc")
        var records = FixtureSessions.fibonacci()
        records.append(EventRecord(seq: records.count + 1, time: FixtureSessions.start.addingTimeInterval(30),
                                   event: .runStarted(RunStarted(run: 2, goal: "Now F31", strategy: "codeact"))))
        try FixtureSessions.write(records, to: file)
        var summary = SessionDirectory.summarize(file)
        #expect(summary.eventCount == records.count)
        #expect(summary.problemCount == 0)
        #expect(summary.status == nil, "a later run that has not finished makes the session unfinished")
        #expect(summary.goal.hasPrefix("What is the 30th Fibonacci") && summary.strategy == "plan")
        #expect(summary.started == records[0].time)

        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        let finished = EventRecord(seq: records.count + 1, time: FixtureSessions.start.addingTimeInterval(40),
                                   event: .runFinished(RunFinished(run: 2, status: .answered, totals: RunTotals())))
        try handle.write(contentsOf: EventLineCodec().encodeLine(finished) + Data("{\"v\":1,\"seq\":100,\"ty".utf8))
        try handle.close()
        summary = SessionDirectory.summarize(file)
        #expect(summary.eventCount == records.count + 1)
        #expect(summary.problemCount == 1, "the cut last line")
        #expect(summary.status == .answered)
        #expect(summary.listingLine.contains("plan  answered  \(records.count + 1) events (1 unreadable lines)  What is the 30th"))
    }

    @Test("a FIFO named like a session is listed as empty instead of hanging the listing")
    func listingSkipsFIFO() throws {
        let directory = SessionDirectory(url: try FixtureSessions.temporaryDirectory())
        #expect(mkfifo(directory.file(for: "20261125-130000-dddd").path, 0o600) == 0)
        try FixtureSessions.write(FixtureSessions.fibonacci(), to: directory.file(for: "20261125-100000-aaaa"))
        let list = directory.list()
        #expect(Set(list.map(\.id)) == ["20261125-130000-dddd", "20261125-100000-aaaa"])
        #expect(list.first { $0.id == "20261125-130000-dddd" }?.eventCount == 0)
    }
}

@Suite("Session directory listing")
struct SessionListingTests {
    @Test("the quick summary agrees with a full fold: goal, strategy, last run's outcome, events and unreadable lines")
    func summaryMatchesFold() throws {
        let directory = try FixtureSessions.temporaryDirectory("wand-summary")
        let sessions = SessionDirectory(url: directory)
        let fibonacci = directory.appendingPathComponent("a.jsonl")
        try FixtureSessions.write(FixtureSessions.fibonacci(), to: fibonacci)
        let handle = try FileHandle(forWritingTo: fibonacci)
        handle.seekToEndOfFile()
        handle.write(Data("not json\n{\"v\":1,\"seq\":28,\"time\":\"2026-11-25T10:00:09.000Z\",\"type\":\"run.started\",\"run\":2,\"goal\":\"next\",\"strategy\":\"pal\"}\n".utf8))
        handle.closeFile()
        let summary = SessionDirectory.summarize(fibonacci)
        #expect(summary.goal == "What is the 30th Fibonacci number (F1 = F2 = 1)? Use code.")
        #expect(summary.strategy == "plan")
        #expect(summary.status == nil, "a later run that has not finished makes the session unfinished")
        #expect(summary.eventCount == 27)
        #expect(summary.problemCount == 1)
        #expect(summary.started == FixtureSessions.start)

        let comparison = directory.appendingPathComponent("b.jsonl")
        try FixtureSessions.write(FixtureSessions.comparison(), to: comparison)
        let compared = SessionDirectory.summarize(comparison)
        #expect(compared.strategy == "codeact vs pal")
        #expect(compared.isComparison)
        #expect(compared.status == .answered)
        #expect(compared.eventCount == FixtureSessions.comparison().count)

        // A line written by another tool, with `type` first, is decoded whole rather than skipped.
        let reordered = directory.appendingPathComponent("c.jsonl")
        var lines = try FixtureSessions.comparison().map { String(decoding: try EventLineCodec().encodeLine($0), as: UTF8.self) }
        lines[lines.count - 2] = #"{"type":"run.finished","v":1,"seq":28,"time":"2026-11-25T10:00:07.000Z","run":2,"status":"failed","totals":{"modelCalls":1,"executions":1,"usage":{"prompt":1,"completion":1},"durationMs":5}}"# + "\n"
        try lines.joined().write(to: reordered, atomically: true, encoding: .utf8)
        #expect(SessionDirectory.summarize(reordered).status == .failed)
        #expect(sessions.list().count == 3)
    }

    @Test("delete removes a session file of the directory and refuses anything else")
    func delete() throws {
        let directory = try FixtureSessions.temporaryDirectory("wand-delete")
        let sessions = SessionDirectory(url: directory)
        let file = sessions.file(for: "20261125-100000-abcd")
        try FixtureSessions.write(FixtureSessions.fibonacci(), to: file)
        let outside = try FixtureSessions.temporaryDirectory("wand-outside").appendingPathComponent("x.jsonl")
        try FixtureSessions.write(FixtureSessions.fibonacci(), to: outside)
        #expect(throws: SessionFileError.self) { try sessions.delete(outside) }
        #expect(FileManager.default.fileExists(atPath: outside.path))
        try sessions.delete(file)
        #expect(sessions.list().isEmpty)
        #expect(throws: SessionFileError.self) { try sessions.delete(file) }
    }
}
