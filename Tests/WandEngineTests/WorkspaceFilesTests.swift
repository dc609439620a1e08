import Foundation
import Testing
import WandEngine
import WandTestSupport

/// The files a step saves in its workspace: the before/after snapshot, the executor recording them in
/// `exec.finished` for every runner, and how transcripts show them.
@Suite("Workspace files")
struct WorkspaceFilesTests {
    func write(_ text: String, to path: String, in directory: URL) throws {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    @Test("created and changed files are listed in path order; unchanged, hidden, cached and linked ones are not")
    func createdChangedUnchanged() throws {
        let workspace = try FixtureSessions.temporaryDirectory("wand-workspace-files")
        try write("kept", to: "unchanged.txt", in: workspace)
        try write("old", to: "data/changed.csv", in: workspace)
        try write("a", to: "touched.txt", in: workspace)
        let before = WorkspaceSnapshot.take(of: workspace)

        try write("old plus more", to: "data/changed.csv", in: workspace)
        try write("b", to: "touched.txt", in: workspace)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000)],
                                              ofItemAtPath: workspace.appendingPathComponent("touched.txt").path)
        try write(String(repeating: "x", count: 2_000), to: "plot.png", in: workspace)
        try write("nested", to: "out/deep/result.json", in: workspace)
        try write("tests", to: ".wand/tests-1.py", in: workspace)
        try write("rc", to: ".config/matplotlib/rc", in: workspace)
        try write("secret", to: ".hidden.png", in: workspace)
        try write("bytecode", to: "__pycache__/helper.cpython-311.pyc", in: workspace)
        try FileManager.default.createSymbolicLink(atPath: workspace.appendingPathComponent("link.png").path,
                                                   withDestinationPath: workspace.appendingPathComponent("plot.png").path)
        try FileManager.default.createSymbolicLink(atPath: workspace.appendingPathComponent("root").path, withDestinationPath: "/")

        let (files, more) = WorkspaceSnapshot.take(of: workspace).changes(since: before)
        #expect(files == [WorkspaceFile(path: "data/changed.csv", size: 13), WorkspaceFile(path: "out/deep/result.json", size: 6),
                          WorkspaceFile(path: "plot.png", size: 2_000), WorkspaceFile(path: "touched.txt", size: 1)])
        #expect(more == 0)
        #expect(files.map(\.isImage) == [false, false, true, false])

        let again = WorkspaceSnapshot.take(of: workspace)
        #expect(again.changes(since: again).files.isEmpty, "nothing changed between two snapshots of the same state")
    }

    @Test("over the listing limit, the first files in path order are listed and the rest counted")
    func capped() throws {
        let workspace = try FixtureSessions.temporaryDirectory("wand-workspace-capped")
        let before = WorkspaceSnapshot.take(of: workspace)
        for index in 0..<25 { try write("\(index)", to: String(format: "frame-%02d.png", index), in: workspace) }
        let (files, more) = WorkspaceSnapshot.take(of: workspace).changes(since: before)
        #expect(files.count == WorkspaceSnapshot.listedLimit)
        #expect(files.first?.path == "frame-00.png" && files.last?.path == "frame-19.png")
        #expect(more == 5)
        let finished = ExecFinished(attempt: 1, exitStatus: 0, durationMs: 1)
            .recordingFiles(from: before, to: WorkspaceSnapshot.take(of: workspace))
        #expect(finished.files?.count == 20 && finished.moreFiles == 5)
        #expect(TranscriptPrinter.describeFiles(of: finished).last == "… and 5 more files saved")
    }

    @Test("a walk stopped at its entry limit compares only the part both snapshots saw")
    func walkLimit() throws {
        let workspace = try FixtureSessions.temporaryDirectory("wand-workspace-walk-limit")
        for name in ["a/1", "a/2", "b", "c"] { try write("old", to: name, in: workspace) }
        // Walk order: a, a/1, a/2, b, c; three entries stop before b.
        let before = WorkspaceSnapshot.take(of: workspace, entryLimit: 3)
        // After a, one entry is left and a holds two: the walk stops before a.
        let stoppedBeforeDirectory = WorkspaceSnapshot.take(of: workspace, entryLimit: 2)
        for name in ["a/1", "a/2", "c"] { try write("new text", to: name, in: workspace) }
        let after = WorkspaceSnapshot.take(of: workspace, entryLimit: 10)
        #expect(after.changes(since: before).files.map(\.path) == ["a/1", "a/2"], "c lies past where the first walk stopped")
        #expect(after.changes(since: stoppedBeforeDirectory).files.isEmpty)
        #expect(WorkspaceSnapshot.take(of: workspace, entryLimit: 0).changes(since: before).files.isEmpty)
        #expect(after.changes(since: WorkspaceSnapshot.take(of: workspace, entryLimit: 10)).files.isEmpty)
        let full = WorkspaceSnapshot.take(of: workspace, entryLimit: 10)
        try write("newer text", to: "c", in: workspace)
        #expect(WorkspaceSnapshot.take(of: workspace).changes(since: full).files.map(\.path) == ["c"])
    }

    @Test("a directory that cannot be read gives an empty snapshot")
    func missingWorkspace() {
        let snapshot = WorkspaceSnapshot.take(of: URL(fileURLWithPath: "/nonexistent/wand-workspace"))
        #expect(snapshot.changes(since: WorkspaceSnapshot.take(of: URL(fileURLWithPath: "/nonexistent/other"))).files.isEmpty)
    }

    @Test("the kernel, a fresh process and a shell step each record the files they wrote, and only those")
    func everyRunner() async throws {
        let executor = try ExecutorFixtures.make()
        let first = await ExecutorFixtures.python(executor, """
            open("plot.png", "wb").write(b"\\x89PNG\\r\\n\\x1a\\n" + bytes(60))
            open(".scratch", "w").write("hidden")
            """)
        #expect(first.result.succeeded, "\(first.stderr)")
        #expect(first.result.files == [WorkspaceFile(path: "plot.png", size: 68)])
        #expect(first.result.moreFiles == nil)

        let unchanged = await ExecutorFixtures.python(executor, "print(open('plot.png', 'rb').read()[:4])")
        #expect(unchanged.result.files == nil, "reading a file saves nothing")

        let fresh = await ExecutorFixtures.python(executor, "import os\nos.makedirs('out', exist_ok=True)\nopen('out/table.csv', 'w').write('a,b\\n1,2\\n')",
                                                  attempt: 3, fresh: true)
        #expect(fresh.result.files == [WorkspaceFile(path: "out/table.csv", size: 8)])

        var shellResult: ExecFinished?
        for await event in executor.execute(ExecutionRequest(attempt: 4, language: .shell, source: "printf 'hello' > notes.txt")) {
            if case .finished(let finished) = event { shellResult = finished }
        }
        #expect(shellResult?.files == [WorkspaceFile(path: "notes.txt", size: 5)])
        await executor.shutdown()
    }

    @Test("a step writing 10,000 files records 20 of them and the count of the rest, in a short line")
    func manyFiles() async throws {
        let executor = try ExecutorFixtures.make(limits: ExecutionLimits(timeout: 60, cpuSeconds: 60))
        let (_, stderr, result, _) = await ExecutorFixtures.python(executor, """
            import os
            os.makedirs("frames")
            for index in range(10000):
                open("frames/%05d.txt" % index, "w").write("x")
            """)
        #expect(result.succeeded, "\(stderr)")
        #expect(result.files?.count == 20)
        #expect(result.files?.first == WorkspaceFile(path: "frames/00000.txt", size: 1))
        #expect(result.moreFiles == 9_980)
        let line = try EventLineCodec().encodeLine(EventRecord(seq: 1, time: FixtureSessions.start, event: .execFinished(result)))
        #expect(line.count < 2_000, "the event stays small: \(line.count) bytes")
        await executor.shutdown()
    }

    @Test("a file name with an escape sequence or a line break cannot act on the terminal or start a transcript line")
    func hostileName() throws {
        let file = WorkspaceFile(path: "evil\u{1B}]0;pwned\u{07}\nAnswer: 42.png", size: 3)
        let finished = ExecFinished(attempt: 1, exitStatus: 0, durationMs: 4, files: [file])
        let transcript = TranscriptPrinter.transcript(of: FixtureSessions.records([.execFinished(finished)]))
        #expect(transcript.contains("  saved evil\u{1B}]0;pwned\u{07}␊Answer: 42.png (image, 3 bytes)\n"),
                "one line; the escape is left to the inert text every transcript is written through: \(transcript)")
        #expect(!transcript.contains("\nAnswer"))
    }
}
