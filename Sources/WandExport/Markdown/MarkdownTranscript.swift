import Foundation
public import WandEngine

/// A session as a Markdown document for issues and docs: each run's goal, plan, the model's words, code,
/// output, feedback, the answer with where it came from, and the totals.
///
/// Everything a model, program or user wrote goes through ``MarkdownText`` (code and output in fences
/// longer than any backtick run they hold, the rest escaped), so no content can reshape the document.
public enum MarkdownTranscript {
    /// The document for a session's events; `name` titles a session that has no goal. A run the file
    /// leaves open ends as interrupted, as it does when the session is resumed.
    public static func document(_ records: [EventRecord], name: String) -> String {
        var events = records.map(\.event)
        if let closing = InterruptedRun.closing(records) { events.append(.runFinished(closing)) }
        var writer = Writer(events: events)
        writer.header(name: name)
        for index in events.indices { writer.write(index) }
        writer.flushOutput()
        writer.totals()
        return writer.text
    }

    private struct Writer {
        let events: [AgentEvent]
        var text = ""
        var purposes: [Int: ModelPurpose] = [:]
        var output: (attempt: Int, chunks: [OutputChunk])?
        var sessionTotals: SessionFinished?

        init(events: [AgentEvent]) { self.events = events }

        mutating func header(name: String) {
            let started = events.lazy.compactMap { if case .sessionStarted(let started) = $0 { started } else { nil } }.first
            let goal = started?.goal.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            text += "# " + MarkdownText.cell(goal.isEmpty ? "Wand session \(name)" : goal) + "\n\n"
            guard let started else { return }
            text += "| | |\n|---|---|\n"
            text += "| session | \(MarkdownText.cell(started.session)) |\n"
            text += "| model | \(MarkdownText.cell("\(started.model.name) (profile \(started.model.profile))")) |\n"
            text += "| strategy | \(MarkdownText.cell(started.strategy)) |\n"
            text += "| sandbox | \(MarkdownText.cell(started.sandbox.mode.rawValue)) |\n"
            if let wand = started.tools["wand"] { text += "| Wand | \(MarkdownText.cell(wand)) |\n" }
            text += "\n"
        }

        mutating func write(_ index: Int) {
            let event = events[index]
            if case .execOutput = event {} else { flushOutput() }
            switch event {
            case .sessionStarted, .modelDelta, .approvalRequested, .execStarted, .stepUpdated:
                break
            case .runStarted(let run):
                text += "## Run \(run.run) · \(MarkdownText.cell(run.strategy))\n\n**Goal**\n\n" + MarkdownText.quoted(run.goal) + "\n"
                if let tests = run.tests { text += "Tests given:\n\n" + MarkdownText.fenced(tests, info: "python") + "\n" }
            case .planUpdated(let plan):
                text += "**Plan**" + (plan.revision > 1 ? " (revision \(plan.revision))" : "") + ", as it ended:\n\n"
                for (number, step) in finalSteps(of: index, plan.steps).enumerated() {
                    text += "\(number + 1). \(Self.mark(step.status)) \(MarkdownText.cell(step.title))\n"
                }
                text += "\n"
            case .modelStarted(let started):
                purposes[started.call] = started.purpose
            case .modelFinished(let finished):
                var line = "**Model** · call \(finished.call)"
                if let purpose = purposes[finished.call] { line += " · \(MarkdownText.cell(purpose.rawValue))" }
                line += " · \(finished.usage.completion) tokens · \(TranscriptPrinter.formatDuration(ms: finished.totalMs))"
                if let reason = finished.finishReason, reason == "cancelled" || reason == "error" || reason == "length" {
                    line += " · ended: \(MarkdownText.cell(reason))"
                }
                text += line + "\n\n"
                let prose = ReplyParser.parse(finished.text).prose
                if !prose.isEmpty { text += MarkdownText.quoted(prose) + "\n" }
            case .codeProposed(let code):
                text += "**Attempt \(code.attempt)** · \(code.language.rawValue)"
                text += code.step.map { " · plan step \($0 + 1)" } ?? ""
                text += "\n\n" + MarkdownText.fenced(code.source, info: Self.info(code.language)) + "\n"
            case .approvalDecided(let decided):
                text += "Approval: \(decided.decision.rawValue)\n\n"
                if let source = decided.source { text += MarkdownText.fenced(source, info: "python") + "\n" }
            case .execOutput(let chunk):
                if output?.attempt != chunk.attempt {
                    flushOutput()
                    output = (chunk.attempt, [])
                }
                if let last = output?.chunks.indices.last, output?.chunks[last].stream == chunk.stream {
                    output?.chunks[last].text += chunk.chunk
                } else {
                    output?.chunks.append(OutputChunk(stream: chunk.stream, text: chunk.chunk))
                }
            case .execFinished(let finished):
                text += "Result: " + MarkdownText.cell(TranscriptPrinter.describe(finished)) + "\n\n"
                if let value = finished.value { text += "Value:\n\n" + MarkdownText.fenced(value, info: "text") + "\n" }
                if let traceback = finished.traceback, !traceback.isEmpty {
                    text += "Traceback:\n\n" + MarkdownText.fenced(traceback, info: "text") + "\n"
                }
                if let tests = finished.tests {
                    let passed = tests.count(where: { $0.error == nil })
                    text += "Tests: \(passed) of \(tests.count) pass\n\n"
                    for test in tests where test.error != nil {
                        text += "- ✗ " + MarkdownText.cell(test.name) + ": " + MarkdownText.cell(test.error ?? "") + "\n"
                    }
                    if passed < tests.count { text += "\n" }
                }
                let files = TranscriptPrinter.describeFiles(of: finished)
                if !files.isEmpty {
                    text += "Files in the workspace:\n\n" + files.map { "- " + MarkdownText.cell($0) + "\n" }.joined() + "\n"
                }
            case .toolCalled(let called):
                text += "Tool call \(called.call): " + MarkdownText.cell(TranscriptPrinter.describe(called)) + "\n\n"
            case .toolResult(let returned):
                text += "Tool result \(returned.call): " + MarkdownText.cell(TranscriptPrinter.describe(returned)) + "\n\n"
            case .feedbackSent(let feedback):
                text += "**Feedback to the model** (\(MarkdownText.cell(feedback.kind.rawValue)))\n\n" + MarkdownText.fenced(feedback.text, info: "text") + "\n"
            case .answer(let answer):
                text += "### Answer\n\n" + MarkdownText.quoted(answer.text) + "\n"
                if let source = answer.source { text += "— " + MarkdownText.cell(source.summary) + "\n\n" }
            case .notice(let notice):
                text += MarkdownText.quoted("\(notice.level.rawValue): \(notice.message)") + "\n"
            case .settingsChanged(let changed):
                var parts = changed.settings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                if let model = changed.model { parts.insert("model \(model.name) (profile \(model.profile))", at: 0) }
                text += "**Settings changed:** " + MarkdownText.cell(parts.joined(separator: " · ")) + "\n\n"
            case .runFinished(let finished):
                text += "**Run \(finished.run) \(finished.status.rawValue)**"
                if let reason = finished.reason { text += ": " + MarkdownText.cell(reason) }
                text += " · " + Self.describe(finished.totals) + "\n\n"
                if let candidate = finished.candidate {
                    text += "Best candidate:\n\n" + MarkdownText.fenced(candidate, info: "python") + "\n"
                }
            case .sessionFinished(let finished):
                sessionTotals = finished
            }
        }

        /// Output is written when its attempt's output ends, so one attempt's chunks form one block per stream run.
        mutating func flushOutput() {
            guard let pending = output else { return }
            output = nil
            for chunk in pending.chunks {
                text += chunk.stream == .stderr ? "Standard error:\n\n" : "Output:\n\n"
                text += MarkdownText.fenced(chunk.text, info: "text") + "\n"
            }
        }

        mutating func totals() {
            guard let finished = sessionTotals else { return }
            let totals = finished.totals
            text += "## Totals\n\n| | |\n|---|---|\n"
            text += "| last run | \(finished.status.rawValue) |\n"
            text += "| model calls | \(totals.modelCalls) |\n| executions | \(totals.executions) |\n"
            text += "| tokens | \(totals.usage.total) (\(totals.usage.prompt) prompt, \(totals.usage.completion) completion) |\n"
            text += "| time | \(TranscriptPrinter.formatDuration(ms: totals.durationMs)) |\n"
            if let cost = totals.costUSD { text += "| cost | $\(String(format: "%.4f", cost)) |\n" }
        }

        /// The plan published at `index` with the statuses its steps had when it was replaced or the run ended.
        func finalSteps(of index: Int, _ steps: [PlanStep]) -> [PlanStep] {
            var steps = steps
            for event in events[(index + 1)...] {
                switch event {
                case .stepUpdated(let update) where steps.indices.contains(update.index): steps[update.index].status = update.status
                case .planUpdated, .runFinished, .runStarted: return steps
                default: break
                }
            }
            return steps
        }

        static func mark(_ status: StepStatus) -> String {
            switch status {
            case .pending: "○"
            case .active: "▶"
            case .done: "✓"
            case .failed: "✗"
            case .skipped: "–"
            }
        }

        static func info(_ language: CodeLanguage) -> String {
            switch language {
            case .python: "python"
            case .shell: "sh"
            }
        }

        static func describe(_ totals: RunTotals) -> String {
            var parts = ["\(totals.modelCalls) model calls", "\(totals.executions) executions", "\(totals.usage.total) tokens",
                         TranscriptPrinter.formatDuration(ms: totals.durationMs)]
            if let cost = totals.costUSD { parts.append("$" + String(format: "%.4f", cost)) }
            return parts.joined(separator: " · ")
        }
    }
}
