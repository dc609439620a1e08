import Foundation
import TerminalUI
import Testing
import WandEngine
import WandTestSupport
import Workbench

/// The Output pane's inline tool calls and its approval prompt for an `ask` tool call, as text snapshots.
@Suite("Tool calls in the Output pane")
struct ToolCallSnapshotTests {
    static let sizes = [Size(width: 40, height: 12), Size(width: 120, height: 40)]
    let theme = Theme.fallback

    static func tag(_ size: Size) -> String { "\(size.width)x\(size.height)" }

    /// The fixture's second attempt running, its first output line shown, and its code calling
    /// `tools.time.convert_time` under the `ask` policy.
    static func askingState(_ size: Size) -> ViewState {
        var state = TestStates.live(size, events: 18)
        let arguments: JSONValue = .object(["source_timezone": .string("UTC"), "time": .string("12:00"),
                                            "target_timezone": .string("Asia/Tokyo")])
        for (offset, event) in [
            AgentEvent.toolCalled(ToolCalled(call: 1, attempt: 2, server: "time", tool: "convert_time", arguments: arguments, policy: .ask)),
            .approvalRequested(ApprovalRequested(attempt: 2, toolCall: 1)),
        ].enumerated() {
            _ = Reducer.reduce(&state, .event(EventRecord(seq: 19 + offset, time: FixtureSessions.start, event: event)))
        }
        return state
    }

    @Test("an ask tool call waits inline, and the pane's bottom edge asks to allow it", arguments: sizes)
    func asking(size: Size) {
        let state = Self.askingState(size)
        Snapshot.assertMatches(WorkbenchRenderer.renderPane(.output, state, theme: theme, size: size),
                               named: "pane-output-tool-approval-\(Self.tag(size))")
    }

    @Test("y, n and a decide the tool call, not the attempt; with no pending call the keys decide nothing")
    func approvalKeys() {
        let size = Size(width: 120, height: 40)
        for (action, decision) in [(Action.approveRun, ApprovalDecision.run), (.approveSkip, .skip), (.approveAlways, .always)] {
            var state = Self.askingState(size)
            #expect(TestStates.press(&state, action) == [.decideToolCall(call: 1, decision: decision)])
        }
        var decided = Self.askingState(size)
        _ = Reducer.reduce(&decided, .event(EventRecord(seq: 21, time: FixtureSessions.start,
                                                        event: .approvalDecided(ApprovalDecided(attempt: 2, decision: .run, toolCall: 1)))))
        #expect(decided.session.pendingToolApproval == nil)
        #expect(Reducer.reduce(&decided, .action(.approveRun)).isEmpty)
    }

    @Test("an answered tool call shows its result inline, before the output that followed it", arguments: sizes)
    func answered(size: Size) {
        var state = Self.askingState(size)
        let result = ToolCallResult(text: "{\"target\": {\"datetime\": \"2026-12-04T21:00:00+09:00\"}}",
                                    structured: .object(["target": .object(["datetime": .string("2026-12-04T21:00:00+09:00")])]))
        for (offset, event) in [
            AgentEvent.approvalDecided(ApprovalDecided(attempt: 2, decision: .run, toolCall: 1)),
            .toolResult(ToolReturned(call: 1, server: "time", tool: "convert_time", outcome: .ok, result: result, durationMs: 14)),
            .toolCalled(ToolCalled(call: 2, attempt: 2, server: "time", tool: "get_current_time",
                                   arguments: .object(["timezone": .string("Asia/Tokyo")]), policy: .never)),
            .toolResult(ToolReturned(call: 2, server: "time", tool: "get_current_time", outcome: .refused,
                                     error: "tools.time.get_current_time is not allowed: its policy is `never` (mcp.servers.time.tools.get_current_time in config.toml)",
                                     durationMs: 0)),
            .execOutput(ExecOutput(attempt: 2, stream: .stdout, chunk: "21:00\n")),
        ].enumerated() {
            _ = Reducer.reduce(&state, .event(EventRecord(seq: 21 + offset, time: FixtureSessions.start, event: event)))
        }
        Snapshot.assertMatches(WorkbenchRenderer.renderPane(.output, state, theme: theme, size: size),
                               named: "pane-output-tool-calls-\(Self.tag(size))")
    }
}
