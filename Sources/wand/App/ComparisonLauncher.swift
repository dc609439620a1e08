import Foundation
import WandEngine
import Workbench

/// Sets up a comparison session: a new session file, and for each side its profile's model and an
/// executor of its own (a kernel and workspace per side, so the two runs' variables never mix).
enum ComparisonLauncher {
    /// The comparison, ready to run, with `listener` hearing every event; throws when a side's profile
    /// cannot be used or the session file cannot be created (then nothing is left running).
    static func prepare(_ request: ComparisonRequest, bootstrap: SessionBootstrap, models: ModelPool,
                        listener: @escaping @Sendable (EventRecord) -> Void) async throws -> Comparison {
        guard !request.sides.isEmpty else { throw ComparisonSetupError("a comparison needs two sides") }
        let id = SessionDirectory.newSessionID()
        var sides: [ComparisonSide] = []
        var executors: [SandboxExecutor] = []
        do {
            for (index, side) in request.sides.enumerated() {
                guard let runtime = models.runtime(side.profile) else {
                    throw ComparisonSetupError(
                        "profile \(side.profile) cannot be used: \(models.problems[side.profile] ?? "there is no such profile")")
                }
                let executor = try bootstrap.executor(sessionID: id, side: index + 1)
                executors.append(executor)
                try? await executor.warmUp()
                sides.append(ComparisonSide(strategy: side.strategy, model: runtime.model,
                                            profileSettings: runtime.profile.sessionSettings, executor: executor))
            }
            let writer = try SessionWriter(url: SessionDirectory(url: bootstrap.paths.sessions).file(for: id))
            let recorder = EventRecorder(writer: writer)
            recorder.listen(listener)
            let tools = await bootstrap.toolVersions(executor: executors[0])
            return Comparison(id: id, sides: sides, recorder: recorder, limits: bootstrap.limits, tools: tools)
        } catch {
            for executor in executors { await executor.shutdown() }
            throw error
        }
    }
}

/// Why a comparison could not start, in plain words.
struct ComparisonSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
