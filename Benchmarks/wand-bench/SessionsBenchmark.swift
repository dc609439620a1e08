import ArgumentParser
import Foundation
import Glibc
import Subprocess
import TerminalUI
import WandEngine
import WandTestSupport

/// `wand-bench sessions`: listing a directory of many saved sessions (`wand sessions list`), against
/// reading every file whole and counting its lines, the least any listing that counts events must do.
struct SessionsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sessions", abstract: "Session listing benchmark.")

    @Option(help: "Session files in the generated directory.")
    var count = 10_000

    @Option(help: "Events per session (the bundled demo sessions have 50 to 500).")
    var events = 250

    @Option(help: "Timed repetitions of each case (the median is reported).")
    var repetitions = 5

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wand-bench-sessions-\(count)x\(events)")
        try? FileManager.default.removeItem(at: directory)
        let bytes = try Self.generate(count: count, events: events, in: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        print("Directory: \(count) sessions of \(events) events, \(bytes / 1_048_576) MiB (in the page cache: just written)\n")

        let sessions = SessionDirectory(url: directory)
        var listed = 0
        let list = Measure.median(repetitions: repetitions) {
            let text = sessions.list().map { InertText.make($0.listingLine) + "\n" }.joined()
            listed = text.count
        }
        precondition(listed > 0)
        let baseline = try Measure.median(repetitions: repetitions) {
            var lines = 0
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
                let data = try Data(contentsOf: directory.appendingPathComponent(name))
                lines += data.withUnsafeBytes { Self.countNewlines($0) }
            }
            precondition(lines >= count)
        }
        var rows: [[String]] = [
            ["baseline: read every file whole and count its lines", Measure.format(seconds: baseline), "1.00×"],
            ["Wand: SessionDirectory.list() and the listing lines", Measure.format(seconds: list),
             String(format: "%.2f×", list / baseline)],
        ]
        let wand = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wand")
        if FileManager.default.isExecutableFile(atPath: wand.path) {
            let command = try await Measure.median(repetitions: repetitions) {
                let result = try await Subprocess.run(.path(.init(wand.path)), arguments: ["sessions", "list", "--directory", directory.path],
                                                      output: .discarded, error: .discarded)
                precondition(result.terminationStatus.isSuccess)
            }
            rows.append(["Wand: `wand sessions list` (a process, output discarded)", Measure.format(seconds: command),
                         String(format: "%.2f×", command / baseline)])
        } else {
            print("(no `wand` beside wand-bench at \(wand.path); build it to time the command itself)\n")
        }
        Measure.printTable(["case (median of \(repetitions))", "time", "vs baseline"], rows)
        print(String(format: "\npeak memory %.0f MiB", Measure.peakMemoryMiB))
    }

    /// Writes `count` sessions of `events` events, newest last; returns the bytes written. Every tenth
    /// session is left unfinished and every fiftieth ends in a line a crash cut short, as real
    /// directories have.
    static func generate(count: Int, events: Int, in directory: URL) throws -> Int {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let codec = EventLineCodec()
        let records = SyntheticSessions.longRun(eventCount: max(3, events - 2))
        var body = Data()
        for record in records.dropFirst() { body += try codec.encodeLine(record) }
        let closing = FixtureSessions.records([
            .runFinished(RunFinished(run: 1, status: .answered, totals: RunTotals())),
            .sessionFinished(SessionFinished(status: .answered, totals: RunTotals())),
        ], start: records.last?.time ?? FixtureSessions.start)
        var ending = Data()
        for record in closing { ending += try codec.encodeLine(record) }
        var total = 0
        for index in 0..<count {
            var first = records[0]
            if case .sessionStarted(var started) = first.event {
                started.goal = "Generated session \(index): what is the sum of the first \(index) squares?"
                first.event = .sessionStarted(started)
            }
            var data = try codec.encodeLine(first) + body
            if index % 10 != 9 { data += ending }
            if index % 50 == 49 { data += Data(#"{"seq":9999,"type":"exec.output","chunk":"cut"#.utf8) }
            let file = directory.appendingPathComponent(String(format: "20261201-%06d-%04x.jsonl", index, index & 0xFFFF))
            try data.write(to: file)
            var times = [timespec(tv_sec: 1_795_600_800 + index, tv_nsec: 0), timespec(tv_sec: 1_795_600_800 + index, tv_nsec: 0)]
            utimensat(AT_FDCWD, file.path, &times, 0)
            total += data.count
        }
        return total
    }

    static func countNewlines(_ buffer: UnsafeRawBufferPointer) -> Int {
        guard var cursor = buffer.baseAddress else { return 0 }
        let end = cursor + buffer.count
        var lines = 0
        while cursor < end, let found = memchr(cursor, 0x0A, end - cursor) {
            lines += 1
            cursor = UnsafeRawPointer(found) + 1
        }
        return lines
    }
}
