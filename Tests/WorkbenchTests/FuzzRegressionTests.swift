import Foundation
import Testing
import WandEngine
import WandTestSupport

/// The fuzzers' properties (`FuzzTarget`, run by `Fuzz/run.sh`) on every input that once broke a parser
/// (`Tests/Fixtures/fuzz/TARGET/`) and on the real files the fuzzers start from.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func files(in path: String) -> [URL] {
        let directory = repository.appendingPathComponent(path)
        return ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .sorted { $0.path < $1.path }
    }

    /// Inputs for a target taken from the repository: bundled sessions, their model replies, themes, the
    /// goal benchmark, and the hand-written seeds in `Fuzz/seeds/`.
    static func realInputs(_ target: FuzzTarget) throws -> [(name: String, bytes: [UInt8])] {
        func whole(_ urls: [URL]) throws -> [(name: String, bytes: [UInt8])] {
            try urls.map { ($0.lastPathComponent, [UInt8](try Data(contentsOf: $0))) }
        }
        switch target {
        case .sse, .keymap:
            return try whole(files(in: "Fuzz/seeds/\(target.rawValue)"))
        case .session:
            return try whole(files(in: "Sessions"))
        case .reply:
            return try files(in: "Sessions").flatMap { file in
                try SessionReader().load(file).events.compactMap { record -> (name: String, bytes: [UInt8])? in
                    guard case .modelFinished(let finished) = record.event else { return nil }
                    return ("\(file.lastPathComponent) seq \(record.seq)", Array(finished.text.utf8))
                }
            }
        case .theme:
            return try whole(files(in: "Themes"))
        case .tasks:
            return try whole([repository.appendingPathComponent("Benchmarks/goals/goals.jsonl")])
        }
    }

    @Test("inputs that once broke a parser now pass its checks", arguments: FuzzTarget.allCases)
    func savedInputs(target: FuzzTarget) throws {
        for file in Self.files(in: "Tests/Fixtures/fuzz/\(target.rawValue)") {
            let problems = target.problems(in: [UInt8](try Data(contentsOf: file)))
            #expect(problems.isEmpty, "\(target.rawValue)/\(file.lastPathComponent): \(problems)")
        }
    }

    @Test("the real files the fuzzers start from pass every check", arguments: FuzzTarget.allCases)
    func realFiles(target: FuzzTarget) throws {
        let inputs = try Self.realInputs(target)
        #expect(!inputs.isEmpty, "no real inputs found for \(target.rawValue)")
        for input in inputs {
            let problems = target.problems(in: input.bytes)
            #expect(problems.isEmpty, "\(target.rawValue) \(input.name): \(problems)")
        }
    }
}
