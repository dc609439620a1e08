import ArgumentParser
import Foundation
import Subprocess
import TerminalUI
import WandEngine
import WandTestSupport
import Workbench

/// `wand-bench flood`: the live workbench's frame time while a run floods it, through the real reducer,
/// renderer and frame diff at 200x60: a program printing `--output-mb` MB (as the kernel streams it, a
/// line per event, with the output limit raised that far), and `--events-per-second` small events.
///
/// Frames are drawn at most 60 times a second, so a frame reduces what arrived since the last one,
/// then renders and diffs. Each case runs in its own process so its peak memory is its own.
struct FloodBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "flood", abstract: "Frame time under floods of output and events.")

    @Option(help: "Megabytes the program prints.")
    var outputMb = 100

    @Option(help: "Lines of output arriving per frame (600,000 lines a second at 60 frames a second).")
    var linesPerFrame = 10_000

    @Option(help: "Small events arriving per second.")
    var eventsPerSecond = 10_000

    @Option(help: "Seconds of the event stream.")
    var seconds = 10

    @Option(help: .hidden)
    var only: String?

    static let size = Size(width: 200, height: 60)
    static let framesPerSecond = 60

    /// One case's figures, printed by the child as JSON.
    struct Result: Codable {
        var frames: [Double]
        var lastFrame: Double
        var foldSeconds: Double
        var peakMiB: Double
    }

    func run() async throws {
        if let only {
            let result: Result = switch only {
            case "baseline": Self.baseline()
            case "output": Self.output(megabytes: outputMb, linesPerFrame: linesPerFrame)
            case "events": Self.events(perSecond: eventsPerSecond, seconds: seconds)
            default: throw ValidationError("unknown case \(only)")
            }
            print(String(decoding: try JSONEncoder().encode(result), as: UTF8.self))
            return
        }
        var results: [String: Result] = [:]
        for name in ["baseline", "output", "events"] {
            let outcome = try await Subprocess.run(
                .path(.init(CommandLine.arguments[0])),
                arguments: ["flood", "--only", name, "--output-mb", String(outputMb), "--lines-per-frame", String(linesPerFrame),
                            "--events-per-second", String(eventsPerSecond), "--seconds", String(seconds)],
                output: .string(limit: 1 << 24), error: .string(limit: 1 << 16))
            guard outcome.terminationStatus.isSuccess,
                  let result = try? JSONDecoder().decode(Result.self, from: Data(outcome.standardOutput.utf8)) else {
                throw ValidationError("case \(name) failed: \(outcome.standardError)")
            }
            results[name] = result
        }
        let baseline = results["baseline"]!.frames.median
        func row(_ label: String, _ result: Result, frames: [Double]? = nil) -> [String] {
            let frames = frames ?? result.frames
            return [label, String(frames.count), Measure.format(seconds: frames.median), Measure.format(seconds: frames.percentile(0.99)),
                    Measure.format(seconds: frames.max() ?? 0), String(format: "%.2f×", frames.median / baseline),
                    String(format: "%.0f MiB", result.peakMiB)]
        }
        let output = results["output"]!
        let events = results["events"]!
        Measure.printTable(["case (200x60)", "frames", "median", "p99", "max", "median vs baseline", "peak memory"], [
            row("baseline: write every cell of the buffer and compare it whole", results["baseline"]!),
            row("Wand: a program printing \(outputMb) MB, \(linesPerFrame) lines a frame", output),
            row("Wand: the frame after all \(outputMb) MB arrived", output, frames: [output.lastFrame]),
            row("Wand: \(eventsPerSecond) small events a second, \(seconds) s", events),
        ])
        print(String(format: "\nFolding alone: %@ for the %d MB (%.0f MB/s); %@ for the %d events (%.0f%% of the stream's time).",
                     Measure.format(seconds: output.foldSeconds), outputMb, Double(outputMb) / output.foldSeconds,
                     Measure.format(seconds: events.foldSeconds), eventsPerSecond * seconds,
                     events.foldSeconds / Double(seconds) * 100))
    }

    /// The floor of a frame: every cell written and the buffer compared with the previous one.
    static func baseline() -> Result {
        var previous = Buffer(width: size.width, height: size.height)
        var frames: [Double] = []
        for index in 0..<300 {
            let start = ContinuousClock.now
            var buffer = Buffer(width: size.width, height: size.height)
            let symbol = index % 2 == 0 ? "x" : "y"
            for y in 0..<size.height {
                for x in 0..<size.width { buffer[x, y] = Cell(symbol, style: .plain) }
            }
            precondition(buffer != previous)
            previous = buffer
            frames.append(Measure.seconds(since: start))
        }
        return Result(frames: frames, lastFrame: frames.last ?? 0, foldSeconds: 0, peakMiB: Measure.peakMemoryMiB)
    }

    /// A program printing `megabytes` MB in lines of 80 bytes, one `exec.output` event per line as the
    /// kernel sends them, `linesPerFrame` lines reduced before each frame.
    static func output(megabytes: Int, linesPerFrame: Int) -> Result {
        var driver = FrameDriver()
        let source = "for i in range(10**7):\n    print(f\"line {i:09d} \" + \"x\" * 64)"
        driver.reduce(opening(source: source))
        let lineCount = megabytes * 1_048_576 / 80
        var frames: [Double] = []
        var foldSeconds = 0.0
        var line = 0
        while line < lineCount {
            let batch = (line..<min(lineCount, line + linesPerFrame)).map { index in
                driver.record(.execOutput(ExecOutput(attempt: 1, stream: .stdout,
                                                     chunk: "line " + String(index).leftPadded(to: 9) + " " + String(repeating: "x", count: 64) + "\n")))
            }
            line += batch.count
            let (frame, fold) = driver.frame(batch)
            frames.append(frame)
            foldSeconds += fold
        }
        let (last, _) = driver.frame([driver.record(.execFinished(ExecFinished(attempt: 1, exitStatus: 0, durationMs: 9_000)))])
        return Result(frames: frames, lastFrame: last, foldSeconds: foldSeconds, peakMiB: Measure.peakMemoryMiB)
    }

    /// Think–code–run turns of small events (tokens, output lines), `perSecond / 60` reduced before each frame.
    static func events(perSecond: Int, seconds: Int) -> Result {
        var driver = FrameDriver()
        let stream = SyntheticSessions.longRun(eventCount: perSecond * seconds + 2)
        driver.reduce(Array(stream.prefix(2)))
        let perFrame = max(1, perSecond / framesPerSecond)
        var frames: [Double] = []
        var foldSeconds = 0.0
        var start = 2
        while start < stream.count {
            let (frame, fold) = driver.frame(Array(stream[start..<min(stream.count, start + perFrame)]))
            frames.append(frame)
            foldSeconds += fold
            start += perFrame
        }
        return Result(frames: frames, lastFrame: frames.last ?? 0, foldSeconds: foldSeconds, peakMiB: Measure.peakMemoryMiB)
    }

    /// The events of a run up to the start of its program's execution.
    static func opening(source: String) -> [EventRecord] {
        let goal = "Print a lot of output"
        return FixtureSessions.records([
            .sessionStarted(FixtureSessions.started(goal: goal, strategy: "codeact")),
            .runStarted(RunStarted(run: 1, goal: goal, strategy: "codeact")),
            .codeProposed(CodeProposed(attempt: 1, language: .python, source: source)),
            .execStarted(ExecStarted(attempt: 1, language: .python, runner: .kernel)),
        ])
    }

    /// The live workbench's state, fed events in frames, each frame rendered and diffed as the loop does.
    struct FrameDriver {
        var state = ViewState(mode: .live, size: FloodBenchmark.size,
                              live: LiveSettings(model: "bench", strategy: "codeact", sandbox: "bubblewrap"))
        var previous: Buffer?
        var seq = 0

        mutating func record(_ event: AgentEvent) -> EventRecord {
            seq += 1
            return EventRecord(seq: seq, time: FixtureSessions.start.addingTimeInterval(Double(seq) / 1000), event: event)
        }

        mutating func reduce(_ records: [EventRecord]) {
            for record in records { _ = Reducer.reduce(&state, .event(record)) }
            seq = max(seq, records.last?.seq ?? 0)
        }

        /// Reduces a frame's events, renders and diffs; returns the frame's seconds and the fold's share.
        mutating func frame(_ records: [EventRecord]) -> (frame: Double, fold: Double) {
            let start = ContinuousClock.now
            reduce(records)
            let fold = Measure.seconds(since: start)
            _ = Reducer.reduce(&state, .tick(FixtureSessions.start.addingTimeInterval(Double(seq) / 1000)))
            let rendered = WorkbenchRenderer.render(state, theme: .fallback)
            let changes = rendered.buffer.changes(since: previous)
            precondition(!changes.isEmpty || previous != nil)
            previous = rendered.buffer
            return (Measure.seconds(since: start), fold)
        }
    }
}

extension [Double] {
    var median: Double { isEmpty ? 0 : sorted()[count / 2] }

    func percentile(_ fraction: Double) -> Double {
        isEmpty ? 0 : sorted()[Swift.min(count - 1, Int(Double(count) * fraction))]
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
