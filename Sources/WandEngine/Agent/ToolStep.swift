import Foundation

/// Answers the MCP tool calls of the agent's code: records the call, applies its policy (`never`
/// refuses it naming the setting, `ask` waits at the approval gate, `auto` goes ahead), calls the
/// server and records the result. Every call goes through here, including one forged by code writing
/// to the kernel's channel itself.
struct ToolStep: Sendable {
    let toolbox: Toolbox
    let gate: ApprovalGate
    let recorder: EventRecorder
    let counters: SessionCounters

    /// Access to the tools for one execution.
    var access: ToolAccess {
        ToolAccess(moduleSource: toolbox.moduleSource) { request in await answer(request) }
    }

    func answer(_ request: ToolCallRequest) async -> ToolCallReply {
        let started = ContinuousClock.now
        func elapsedMs() -> Int {
            let elapsed = ContinuousClock.now - started
            return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        }
        let call = counters.nextToolCall()
        let returned: ToolReturned
        var unanswered: RerunMismatch?
        switch toolbox.answers {
        case .recorded(let recording):
            switch recording.answer(server: request.server, tool: request.tool) {
            case .success(let recorded):
                emitCalled(call, request, arguments: recorded.called.arguments, policy: recorded.called.policy)
                returned = ToolReturned(call: call, server: request.server, tool: request.tool, outcome: recorded.returned.outcome,
                                        result: recorded.returned.result, error: recorded.returned.error,
                                        durationMs: recorded.returned.durationMs)
            case .failure(let mismatch):
                emitCalled(call, request, arguments: Self.recordable(.object(request.arguments)), policy: .auto)
                returned = ToolReturned(call: call, server: request.server, tool: request.tool, outcome: .failed,
                                        error: "not in the recording: \(mismatch.message)", durationMs: 0)
                unanswered = mismatch
            }
        case .live(let servers):
            returned = await live(call, request, servers: servers, elapsedMs: elapsedMs)
        }
        recorder.emit(.toolResult(returned))
        if let unanswered {
            // Said as a notice too: the failure reaches only the code, and a run that goes on past it
            // (code catching the error, a model told of it) would otherwise not show why it differs.
            recorder.emit(.notice(Notice(level: .warning, message: "Re-run: the recording has no answer for this call of "
                + "tools.\(request.server).\(request.tool) (\(unanswered.message)); the call fails and the run goes on.")))
        }
        return returned.reply
    }

    private func live(_ call: Int, _ request: ToolCallRequest, servers: ToolServers, elapsedMs: () -> Int) async -> ToolReturned {
        let policies = servers.config.policies
        let policy = policies.resolve(server: request.server, tool: request.tool)
        emitCalled(call, request, arguments: Self.recordable(servers.redact(.object(request.arguments), server: request.server)),
                   policy: policy)
        func ended(_ outcome: ToolOutcome, result: ToolCallResult? = nil, error: String? = nil) -> ToolReturned {
            ToolReturned(call: call, server: request.server, tool: request.tool, outcome: outcome, result: result, error: error,
                         durationMs: elapsedMs())
        }
        switch policy {
        case .never:
            let setting = policies.source(server: request.server, tool: request.tool)
            return ended(.refused, error: "tools.\(request.server).\(request.tool) is not allowed: its policy is `never` (\(setting) in config.toml)")
        case .ask where !gate.allowsToolsAlways:
            recorder.emit(.approvalRequested(ApprovalRequested(attempt: request.attempt, toolCall: call)))
            let decision = await gate.decision(forToolCall: call)
            recorder.emit(.approvalDecided(ApprovalDecided(attempt: request.attempt, decision: decision == .skip ? .skip : decision,
                                                           toolCall: call)))
            if decision == .skip {
                return ended(.declined, error: "the user did not allow the call of tools.\(request.server).\(request.tool)")
            }
        default:
            break
        }
        do {
            let result = try await servers.call(server: request.server, tool: request.tool, arguments: request.arguments)
            return result.isError ? ended(.toolError, result: result, error: "\(request.server).\(request.tool) failed: \(result.text)")
                : ended(.ok, result: result)
        } catch {
            return ended(.failed, error: error.description)
        }
    }

    private func emitCalled(_ call: Int, _ request: ToolCallRequest, arguments: JSONValue, policy: ToolPolicy) {
        recorder.emit(.toolCalled(ToolCalled(call: call, attempt: request.attempt, server: request.server, tool: request.tool,
                                             arguments: arguments, policy: policy)))
    }

    /// Arguments as recorded: over the limit, a note of their size instead.
    static func recordable(_ arguments: JSONValue) -> JSONValue {
        let size = arguments.compactText.utf8.count
        guard size > ToolCalled.argumentLimitBytes else { return arguments }
        return .string("[… \(size) bytes of arguments, over the \(ToolCalled.argumentLimitBytes)-byte limit, not kept …]")
    }
}
