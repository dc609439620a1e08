import Foundation

/// Turns events into a readable transcript, one event at a time, so it can print live or from a file.
///
/// Streamed model deltas are skipped; each finished model reply is shown as its prose, and its code
/// appears once, under the attempt that runs it.
public struct TranscriptPrinter: Sendable {
    private var outputAttempt: Int?
    private var atLineStart = true
    private var lastStream: OutputStreamKind?
    private var runStart: Date?

    /// Creates a printer.
    public init() {}

    /// The transcript text for one event (possibly empty).
    public mutating func text(for record: EventRecord) -> String {
        var out = ""
        if case .execOutput = record.event {} else { out += closeOutput() }
        switch record.event {
        case .sessionStarted(let started):
            out += "Session \(started.session)\n"
            out += "Model \(started.model.name) (profile \(started.model.profile)) · strategy \(started.strategy)"
            out += " · sandbox \(started.sandbox.mode)\n"
            if let lanes = started.comparison {
                out += "Comparison: " + lanes.map { "run \($0.run) \($0.strategy) with \($0.model.name)" }
                    .joined(separator: " · ") + "\n"
            }
        case .runStarted(let run):
            runStart = record.time
            out += "\n━━ Run \(run.run) · \(run.strategy) ━━\nGoal: \(run.goal)\n"
        case .planUpdated(let plan):
            out += "\nPlan" + (plan.revision > 1 ? " (revision \(plan.revision))" : "") + "\n"
            for (index, step) in plan.steps.enumerated() {
                out += "  \(index + 1). \(Self.mark(step.status)) \(step.title)\n"
            }
        case .stepUpdated(let update):
            out += "Step \(update.index + 1) → \(update.status.rawValue)"
            out += update.note.map { ": \($0)" } ?? ""
            out += "\n"
        case .modelStarted, .modelDelta, .approvalRequested, .execStarted:
            break
        case .modelFinished(let finished):
            let prose = ReplyParser.parse(finished.text).prose
            let seconds = String(format: "%.1f", Double(finished.totalMs) / 1000)
            out += "\nModel (call \(finished.call), \(finished.usage.completion) tokens, \(seconds) s)\n"
            if !prose.isEmpty { out += Self.indent(prose, with: "  ") + "\n" }
        case .codeProposed(let code):
            out += "\nAttempt \(code.attempt) · \(code.language.rawValue)"
            out += code.step.map { " · step \($0 + 1)" } ?? ""
            out += "\n" + Self.indent(code.source, with: "  │ ") + "\n"
        case .approvalDecided(let decision) where decision.toolCall != nil:
            out += "  Tool call \(decision.toolCall ?? 0) approval: \(decision.decision == .skip ? "refused" : "allowed")\n"
        case .approvalDecided(let decision):
            out += "Approval: \(decision.decision.rawValue)\n"
            if let source = decision.source { out += Self.indent(source, with: "  │ ") + "\n" }
        case .execOutput(let output):
            out += appendOutput(output)
        case .execFinished(let finished):
            out += "  ⤷ " + Self.describe(finished) + "\n"
            if let value = finished.value { out += "  value: \(value)\n" }
            if let traceback = finished.traceback, !traceback.isEmpty {
                out += Self.indent(traceback, with: "  ! ") + "\n"
            }
            for line in Self.describeFiles(of: finished) { out += "  " + line + "\n" }
        case .toolCalled(let called):
            out += "  ⚙ " + Self.describe(called) + "\n"
        case .toolResult(let returned):
            out += "  ⚙ → " + Self.describe(returned) + "\n"
        case .feedbackSent(let feedback):
            out += "\nFeedback (\(feedback.kind))\n" + Self.indent(feedback.text, with: "  > ") + "\n"
        case .answer(let answer):
            out += "\nAnswer\n" + Self.indent(answer.text, with: "  ") + "\n"
            if let source = answer.source { out += "  — \(source.summary)\n" }
        case .notice(let notice):
            out += "[\(notice.level.rawValue)] \(notice.message)\n"
        case .settingsChanged(let changed):
            var parts = changed.settings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            if let model = changed.model { parts.insert("model \(model.name) (profile \(model.profile))", at: 0) }
            out += "\nSettings changed: " + parts.joined(separator: " · ") + "\n"
        case .runFinished(let finished):
            out += "\nRun \(finished.run) finished: \(finished.status.rawValue)"
            out += finished.reason.map { " (\($0))" } ?? ""
            out += " · " + Self.describe(finished.totals) + "\n"
        case .sessionFinished(let finished):
            out += "Session finished: \(finished.status.rawValue) · \(Self.describe(finished.totals))\n"
        }
        return out
    }

    /// The whole transcript of a session's events; a run the file leaves open ends as interrupted, as
    /// it does when the session is resumed.
    public static func transcript(of records: [EventRecord]) -> String {
        var printer = TranscriptPrinter()
        var out = records.map { printer.text(for: $0) }.joined()
        if let closing = InterruptedRun.closing(records), let last = records.last {
            out += printer.text(for: EventRecord(seq: last.seq + 1, time: last.time, event: .runFinished(closing)))
        }
        out += printer.closeOutput()
        return out
    }

    /// Ends a partial output line, if one is open.
    public mutating func closeOutput() -> String {
        defer {
            outputAttempt = nil
            lastStream = nil
            atLineStart = true
        }
        return outputAttempt != nil && !atLineStart ? "\n" : ""
    }

    private mutating func appendOutput(_ output: ExecOutput) -> String {
        var out = ""
        if outputAttempt != output.attempt {
            out += closeOutput()
            outputAttempt = output.attempt
            out += "  Output\n"
        }
        if lastStream != output.stream, !atLineStart {
            out += "\n"
            atLineStart = true
        }
        lastStream = output.stream
        let prefix = output.stream == .stderr ? "  ! " : "  "
        for character in output.chunk {
            if atLineStart { out += prefix }
            out.append(character)
            atLineStart = character == "\n"
        }
        return out
    }

    /// A tool call as a line: `tools.time.get_current_time(timezone="UTC") · policy auto`.
    public static func describe(_ called: ToolCalled) -> String {
        let arguments: String
        if let members = called.arguments.object {
            arguments = members.keys.sorted().map { "\($0)=\(members[$0]?.compactText ?? "null")" }.joined(separator: ", ")
        } else {
            arguments = called.arguments.compactText
        }
        return "tools.\(called.server).\(called.tool)(\(arguments)) · policy \(called.policy.rawValue)"
    }

    /// How a tool call ended, as one line: its result (cut to 200 characters) or its error.
    public static func describe(_ returned: ToolReturned) -> String {
        let time = formatDuration(ms: returned.durationMs)
        switch returned.outcome {
        case .ok:
            let text = returned.result.map { $0.structured?.compactText ?? $0.text } ?? ""
            let flat = text.replacingOccurrences(of: "\n", with: " ")
            return (flat.count > 200 ? String(flat.prefix(200)) + "…" : flat) + " (\(time))"
        default:
            let reason = (returned.error ?? returned.result?.text ?? "").replacingOccurrences(of: "\n", with: " ")
            return "\(returned.outcome.rawValue): \(reason) (\(time))"
        }
    }

    /// A one-line account of how an execution ended.
    public static func describe(_ finished: ExecFinished) -> String {
        var parts: [String] = []
        if let limit = finished.limit {
            parts.append("stopped: \(limit.rawValue) limit")
        } else if let error = finished.error {
            parts.append(error)
        } else if let signal = finished.signal {
            parts.append("killed by signal \(signal)")
        } else {
            parts.append("exit \(finished.exitStatus ?? -1)")
        }
        parts.append(formatDuration(ms: finished.durationMs))
        if finished.truncated { parts.append("output truncated") }
        if finished.stateLost { parts.append("kernel restarted, state lost") }
        return parts.joined(separator: " · ")
    }

    /// The files an execution saved, a line each (as `describe(_:)` puts them), then how many more
    /// it saved when `exec.finished` lists only some.
    public static func describeFiles(of finished: ExecFinished) -> [String] {
        var lines = (finished.files ?? []).map(describe)
        if let more = finished.moreFiles, more > 0 { lines.append("… and \(more) more file\(more == 1 ? "" : "s") saved") }
        return lines
    }

    /// A saved file as one line, its path relative to the workspace: `saved plot.png (image, 14 KiB)`.
    /// Line breaks and tabs in the name are shown as their control pictures, so a name cannot start a
    /// line of its own; other controls are left to the inert text the line is written through.
    public static func describe(_ file: WorkspaceFile) -> String {
        var path = String.UnicodeScalarView()
        for scalar in file.path.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D: path.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x85, 0x2028, 0x2029: path.append("\u{FFFD}")
            default: path.append(scalar)
            }
        }
        let size = formatSize(bytes: file.size)
        return "saved \(String(path)) (\(file.isImage ? "image, " + size : size))"
    }

    /// `812 bytes`, `64 KiB`, `98.9 MiB`.
    public static func formatSize(bytes: Int) -> String {
        if bytes < 1_024 { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
        if bytes < 1_048_576 { return "\(bytes / 1_024) KiB" }
        return String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }

    /// `12 ms`, `1.3 s`, `2 min 5 s`.
    public static func formatDuration(ms: Int) -> String {
        if ms < 1000 { return "\(ms) ms" }
        if ms < 60_000 { return String(format: "%.1f s", Double(ms) / 1000) }
        return "\(ms / 60_000) min \((ms % 60_000) / 1000) s"
    }

    private static func describe(_ totals: RunTotals) -> String {
        var parts = ["\(totals.modelCalls) model calls", "\(totals.executions) executions",
                     "\(totals.usage.total) tokens", formatDuration(ms: totals.durationMs)]
        if let cost = totals.costUSD { parts.append(String(format: "$%.4f", cost)) }
        return parts.joined(separator: " · ")
    }

    private static func mark(_ status: StepStatus) -> String {
        switch status {
        case .pending: "[ ]"
        case .active: "[>]"
        case .done: "[x]"
        case .failed: "[!]"
        case .skipped: "[-]"
        }
    }

    private static func indent(_ text: String, with prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n")
    }
}
