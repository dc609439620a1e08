import ArgumentParser

/// `wand-bench`: Wand's benchmarks. Each prints a table whose ratios compare Wand with a baseline
/// measured in the same run, so results from different machines stay comparable.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wand-bench",
        abstract: "Benchmarks with same-run baselines: ui (render, diff, session load), flood (frame time under floods of output and events), sessions (listing many sessions), model (client against curl), kernel (round trips).",
        subcommands: [UIBenchmark.self, FloodBenchmark.self, SessionsBenchmark.self, ModelBenchmark.self, KernelBenchmark.self,
                      BenchCase.self]
    )
}
