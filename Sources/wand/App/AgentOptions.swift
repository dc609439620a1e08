public import ArgumentParser
import Foundation
import WandEngine

/// Which model to use: `--model`, `--base-url`, `--api-key-env`.
struct ModelOptions: ParsableArguments {
    @Option(help: "A model profile (see `wand models`), or a model name for the selected server.")
    var model: String?

    @Option(help: "An OpenAI-compatible server's base URL, e.g. http://127.0.0.1:11434/v1.")
    var baseURL: String?

    @Option(help: ArgumentHelp("An OpenAI-compatible server of the model; repeat it for several replicas (requests go to the least busy, a failing one is skipped for a while).",
                               valueName: "url"))
    var endpoint: [String] = []

    @Option(help: "The environment variable holding the API key.")
    var apiKeyEnv: String?

    /// The model profile these options and the configuration select.
    func profile(config: WandConfig) throws -> ModelProfile {
        do {
            return try ModelSelection(model: model, baseURL: baseURL, endpoints: endpoint, apiKeyEnv: apiKeyEnv)
                .resolve(config: config, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

/// Options shared by the commands that run the agent: model, strategy, budgets, approvals, sandbox limits.
struct AgentOptions: ParsableArguments {
    @OptionGroup var models: ModelOptions

    @Option(help: "auto (default), vote, codeact, pal, plan, tdd or sample.")
    var strategy: StrategyName?

    @Option(help: "Most model calls per run.")
    var maxSteps: Int = 10

    @Option(help: "Most tokens per run.")
    var maxTokens: Int = 40_000

    @Option(help: "Most seconds per run.")
    var maxSeconds: Double = 600

    @Option(help: "Repairs after a failed attempt (pal, plan, tdd).")
    var maxRepairs: Int = 3

    @Option(help: "Candidates drawn by `sample`.")
    var samples: Int = 5

    @Option(help: "auto (run code), ask (approve each run), never (run nothing). Default: auto where bubblewrap works, ask where it does not.")
    var approve: AgentSettings.ApprovalMode?

    @Flag(help: "After a failed attempt, have the model write a short lesson it sees on the next attempt.")
    var reflect = false

    @Option(help: "How the model acts: fenced (code blocks) or native (tool calls).")
    var tools: AgentSettings.ActionFormat = .fenced

    @Option(help: "Sampling temperature (default: the profile's).")
    var temperature: Double?

    @Option(help: "A sampling seed, where the server supports it.")
    var seed: Int?

    @OptionGroup var sandbox: LimitOptions

    /// The execution limits.
    var limits: ExecutionLimits { sandbox.limits }

    /// The agent settings; approval defaults to `auto` only when bubblewrap confines the code (it passed its probe).
    func settings(sandboxed: Bool) -> AgentSettings {
        AgentSettings(maxSteps: maxSteps, maxTokens: maxTokens, maxSeconds: maxSeconds, maxRepairs: maxRepairs, samples: samples,
                      temperature: temperature, reflect: reflect, approval: approve ?? (sandboxed ? .auto : .ask),
                      actions: tools, seed: seed)
    }

    /// The model profile these options and the configuration select.
    func profile(config: WandConfig) throws -> ModelProfile {
        try models.profile(config: config)
    }
}

/// The sandbox's limits per code step, shared by every command that runs code.
struct LimitOptions: ParsableArguments {
    @Option(help: "Seconds each code step may run.")
    var timeout: Double = 30

    @Option(help: "Memory per code step, in MiB.")
    var memory: Int = 1024

    @Option(help: "CPU seconds per code step (default: twice --timeout).")
    var cpu: Int?

    @Option(help: "Processes a code step may have at once.")
    var processes: Int = 64

    @Option(help: "Largest file a code step may write, in MiB.")
    var fileSize: Int = 100

    @Option(help: "Output kept per code step, in bytes (its head and tail).")
    var outputBytes: Int = 65_536

    @Flag(help: "Let executed code use the network.")
    var allowNetwork = false

    /// The execution limits.
    var limits: ExecutionLimits {
        ExecutionLimits(timeout: timeout, cpuSeconds: cpu ?? max(2, Int((timeout * 2).rounded(.up))), memoryMB: memory,
                        processes: processes, fileSizeMB: fileSize, outputBytes: outputBytes, allowNetwork: allowNetwork)
    }
}

extension StrategyName: ExpressibleByArgument {}
extension AgentSettings.ApprovalMode: ExpressibleByArgument {}
extension AgentSettings.ActionFormat: ExpressibleByArgument {}
