import ArgumentParser
import Foundation
import Subprocess
import TerminalUI
import WandEngine
import WandTestSupport
import Workbench

/// `wand-bench ui`: frame render and diff at 200x60, and loading and folding a 100,000-event session.
///
/// Every case runs in its own child process (`wand-bench case NAME`) so each peak-memory figure is its own.
struct UIBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ui", abstract: "Render, diff and session-load benchmarks.")

    @Option(help: "Events in the generated session.")
    var events = 100_000

    func run() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wand-bench-\(events).jsonl")
        try? FileManager.default.removeItem(at: file)
        try FixtureSessions.write(SyntheticSessions.longRun(eventCount: events), to: file)
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        print("Session file: \(events) events, \(size / 1_048_576) MiB\n")
        let cases: [(name: String, label: String)] = [
            ("baseline-fill", "baseline: write every cell of a 200x60 buffer and compare it whole"),
            ("render", "Wand: render the full workbench at 200x60"),
            ("render-diff", "Wand: render and diff against the previous frame (one line changed)"),
            ("baseline-json", "baseline: JSONSerialization per line, no fold"),
            ("load-fold", "Wand: SessionReader + SessionState fold"),
        ]
        var results: [String: (seconds: Double, memory: Double)] = [:]
        for entry in cases {
            let result = try await Subprocess.run(
                .path(.init(CommandLine.arguments[0])), arguments: ["case", entry.name, file.path],
                output: .string(limit: 1 << 16), error: .string(limit: 1 << 16))
            let fields = result.standardOutput.split(separator: " ")
            guard result.terminationStatus.isSuccess, fields.count == 2, let seconds = Double(fields[0]),
                  let memory = Double(fields[1].trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw ValidationError("case \(entry.name) failed: \(result.standardError)")
            }
            results[entry.name] = (seconds, memory)
        }
        func row(_ name: String, _ label: String, baseline: String) -> [String] {
            let value = results[name]!
            let ratio = value.seconds / results[baseline]!.seconds
            return [label, Measure.format(seconds: value.seconds), String(format: "%.2f×", ratio),
                    String(format: "%.0f MiB", value.memory)]
        }
        Measure.printTable(["case", "median", "vs baseline", "peak memory"], [
            row("baseline-fill", cases[0].label, baseline: "baseline-fill"),
            row("render", cases[1].label, baseline: "baseline-fill"),
            row("render-diff", cases[2].label, baseline: "baseline-fill"),
            row("baseline-json", cases[3].label, baseline: "baseline-json"),
            row("load-fold", cases[4].label, baseline: "baseline-json"),
        ])
    }
}

/// `wand-bench case NAME FILE`: runs one case and prints `seconds peakMiB` (used by the benchmarks).
struct BenchCase: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "case", abstract: "Run one benchmark case (internal).",
                                                    shouldDisplay: false)

    @Argument var name: String
    @Argument var file: String

    func run() throws {
        let size = Size(width: 200, height: 60)
        var seconds = 0.0
        switch name {
        case "baseline-fill":
            var previous = Buffer(width: size.width, height: size.height)
            var identical = 0
            seconds = Measure.median(repetitions: 200) {
                var buffer = Buffer(width: size.width, height: size.height)
                for y in 0..<size.height {
                    for x in 0..<size.width { buffer[x, y] = Cell("x", style: .plain) }
                }
                if buffer == previous { identical += 1 }
                previous = buffer
            }
            precondition(identical > 0)
        case "render", "render-diff":
            var state = ViewState(mode: .replay, size: size)
            var replay = ReplayState(fileName: "bench", events: SyntheticSessions.longRun(eventCount: 2_000))
            state.session = replay.seek(to: 2_000, from: state.session)
            state.replay = replay
            let theme = Theme.fallback
            var previous = WorkbenchRenderer.render(state, theme: theme).buffer
            var tick = 0
            seconds = Measure.median(repetitions: 200) {
                tick += 1
                state.message = "frame \(tick)"
                let frame = WorkbenchRenderer.render(state, theme: theme)
                if name == "render-diff" {
                    let changes = frame.buffer.changes(since: previous)
                    precondition(!changes.isEmpty)
                    previous = frame.buffer
                }
            }
        case "baseline-json":
            let url = URL(fileURLWithPath: file)
            seconds = try Measure.median(repetitions: 3) {
                let data = try Data(contentsOf: url)
                var count = 0
                for line in data.split(separator: 0x0A) where !line.isEmpty {
                    if (try? JSONSerialization.jsonObject(with: line)) != nil { count += 1 }
                }
                precondition(count > 0)
            }
        case "load-fold":
            let url = URL(fileURLWithPath: file)
            seconds = try Measure.median(repetitions: 3) {
                let loaded = try SessionReader().load(url)
                let state = SessionState(folding: loaded.events)
                precondition(state.eventCount == loaded.events.count)
            }
        default:
            throw ValidationError("unknown case \(name)")
        }
        print(String(format: "%.9f %.1f", seconds, Measure.peakMemoryMiB))
    }
}
