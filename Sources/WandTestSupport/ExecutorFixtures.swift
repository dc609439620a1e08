import Foundation
public import WandEngine

/// Executors for tests, each in its own temporary workspace.
public enum ExecutorFixtures {
    /// A sandboxed executor with the given limits (bubblewrap when installed, unless `sandboxed` is false).
    public static func make(limits: ExecutionLimits = ExecutionLimits(timeout: 10, cpuSeconds: 10),
                            sandboxed: Bool = true) throws -> SandboxExecutor {
        var environment = ProcessInfo.processInfo.environment
        if !sandboxed { environment["WAND_NO_BWRAP"] = "1" }
        let capabilities = SandboxCapabilities.detect(environment: environment)
        let root = SandboxExecutor.workspaceRoot(paths: WandPaths(data: FileManager.default.temporaryDirectory
            .appendingPathComponent("wand-test-data"), config: FileManager.default.temporaryDirectory), capabilities: capabilities)
        let workspace = root.appendingPathComponent("test-\(UUID().uuidString.prefix(8))", isDirectory: true)
        return try SandboxExecutor(capabilities: capabilities, limits: limits, workspace: workspace)
    }

    /// Runs Python in the persistent kernel and returns stdout, stderr and the result.
    public static func python(_ executor: some Executor, _ code: String, attempt: Int = 1,
                              fresh: Bool = false) async -> (stdout: String, stderr: String, result: ExecFinished, events: [ExecutionEvent]) {
        var stdout = ""
        var stderr = ""
        var events: [ExecutionEvent] = []
        var result = ExecFinished(attempt: attempt, exitStatus: nil, error: "no result", durationMs: 0)
        for await event in executor.execute(ExecutionRequest(attempt: attempt, language: .python, source: code, fresh: fresh)) {
            events.append(event)
            switch event {
            case .output(.stdout, let text): stdout += text
            case .output(.stderr, let text): stderr += text
            case .notice: break
            case .finished(let finished): result = finished
            }
        }
        return (stdout, stderr, result, events)
    }
}
