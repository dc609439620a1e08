import Foundation
import Testing
import WandEngine
@testable import WandExport
import WandTestSupport

/// The Markdown export: what it shows, and that nothing a model or program wrote can reshape it.
@Suite("Markdown export")
struct MarkdownTranscriptTests {
    /// The fixture with an answer that says where it came from.
    static func fibonacci() -> [EventRecord] {
        FixtureSessions.fibonacci(answerSource: AnswerSource(kind: .program, attempt: 2))
    }

    @Test("goal, plan, the model's words, code, output, answer with its source, totals")
    func content() {
        let document = MarkdownTranscript.document(Self.fibonacci(), name: "fixture")
        #expect(document.hasPrefix("# What is the 30th Fibonacci number (F1 = F2 = 1)? Use code.\n"))
        #expect(document.contains("| model | qwen2.5-coder-0.5b-instruct (profile local) |"))
        #expect(document.contains("## Run 1 · plan\n\n**Goal**\n\n> What is the 30th Fibonacci number (F1 = F2 = 1)? Use code.\n"))
        #expect(document.contains("1. ✓ Write a function for Fibonacci numbers\n2. ✓ Print the 30th number and answer\n"))
        #expect(document.contains("> I will compute it iteratively.\n"))
        #expect(document.contains("**Attempt 2** · python · plan step 1\n\n```python\ndef fib(n):\n"))
        #expect(document.contains("Output:\n\n```text\nF30 = 832040\n```\n"))
        #expect(document.contains("Standard error:\n\n```text\nnote: computed in 30 steps\n```\n"))
        #expect(document.contains("Result: SyntaxError: '(' was never closed · 12 ms"))
        #expect(document.contains("**Feedback to the model** (error)\n\n```text\nSyntaxError: '(' was never closed (line 6). Fix the code.\n```\n"))
        #expect(document.contains("### Answer\n\n> 832040\n\n— printed by attempt 2\n"))
        #expect(document.contains("**Run 1 answered** · 2 model calls · 2 executions · 684 tokens · 6.0 s"))
        #expect(document.contains("## Totals\n"))
        #expect(document.contains("| tokens | 684 (540 prompt, 144 completion) |"))
    }

    @Test("a run the file leaves open ends as interrupted")
    func interrupted() {
        let cut = Array(Self.fibonacci().prefix(12))
        let document = MarkdownTranscript.document(cut, name: "cut")
        #expect(document.contains("**Run 1 interrupted**: Wand stopped before the run finished"))
        #expect(!document.contains("## Totals"))
    }

    @Test("hostile model and program text stays inside its block and holds no terminal control")
    func hostileContent() {
        let goal = "# Goal heading?\n- not a list\n<script>alert(1)</script> | cell | $x$"
        let prose = "## Injected heading\n\n```\nfake fence\n```\n1. not a list\n[link](http://example.com) *bold* \u{1B}]0;title\u{07}"
        let reply = prose + "\n```python\nprint('`````')\n```"
        let output = "````\n# Output heading\n`````\n\u{1B}[2J\u{9B}31m done"
        let events: [AgentEvent] = [
            .sessionStarted(FixtureSessions.started(goal: goal, strategy: "codeact")),
            .runStarted(RunStarted(run: 1, goal: goal, strategy: "codeact")),
            .modelStarted(ModelStarted(call: 1, purpose: .act)),
            .modelFinished(ModelFinished(call: 1, text: reply, usage: TokenUsage(prompt: 1, completion: 1), firstTokenMs: 1,
                                         totalMs: 1, finishReason: "stop")),
            .codeProposed(CodeProposed(attempt: 1, language: .python, source: "print('`````')")),
            .execStarted(ExecStarted(attempt: 1, language: .python, runner: .kernel)),
            .execOutput(ExecOutput(attempt: 1, stream: .stdout, chunk: output)),
            .execFinished(ExecFinished(attempt: 1, exitStatus: 0, durationMs: 3,
                                       files: [WorkspaceFile(path: "# plot\u{1B}]0;title\u{07}\n- item*.png", size: 3)])),
            .feedbackSent(FeedbackSent(attempt: 1, kind: .observation, text: output)),
            .answer(AnswerGiven(text: "## 42 | <b>", source: AnswerSource(kind: .model))),
            .runFinished(RunFinished(run: 1, status: .answered, totals: RunTotals())),
        ]
        let document = MarkdownTranscript.document(FixtureSessions.records(events), name: "hostile")
        #expect(!document.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) })
        let blocks = Self.structure(of: document)
        // Every heading outside a code block is one the exporter wrote.
        #expect(blocks.headings == ["# \\# Goal heading?", "## Run 1 · codeact", "### Answer"])
        #expect(blocks.unclosedFence == false)
        #expect(blocks.codeLines.contains("# Output heading"))
        #expect(blocks.codeLines.contains("`````"))
        #expect(blocks.codeLines.contains("print('`````')"))
        #expect(document.contains("> \\#\\# Injected heading\n"))
        #expect(document.contains("\\<script\\>alert(1)\\</script\\> \\| cell \\| \\$x\\$"))
        #expect(document.contains("> 1\\. not a list"))
        #expect(document.contains("> \\#\\# 42 \\| \\<b\\>\n"))
        #expect(document.contains("␛\\]0;title␇"))
        #expect(document.contains("Files in the workspace:\n\n- saved \\# plot␛\\]0;title␇␊- item\\*.png (image, 3 bytes)\n"),
                "the file's name is one inert, literal list item")
    }

    @Test("the files a step saved are listed after its result, with how many more")
    func savedFiles() {
        let events: [AgentEvent] = [
            .sessionStarted(FixtureSessions.started(goal: "Plot squares", strategy: "codeact")),
            .runStarted(RunStarted(run: 1, goal: "Plot squares", strategy: "codeact")),
            .codeProposed(CodeProposed(attempt: 1, language: .python, source: "plt.savefig('plot.png')")),
            .execStarted(ExecStarted(attempt: 1, language: .python, runner: .kernel)),
            .execFinished(ExecFinished(attempt: 1, exitStatus: 0, durationMs: 3,
                                       files: [WorkspaceFile(path: "plot.png", size: 14_321), WorkspaceFile(path: "data/table.csv", size: 120)],
                                       moreFiles: 2)),
            .runFinished(RunFinished(run: 1, status: .answered, totals: RunTotals())),
        ]
        let document = MarkdownTranscript.document(FixtureSessions.records(events), name: "plot")
        #expect(document.contains("Result: exit 0 · 3 ms\n\nFiles in the workspace:\n\n- saved plot.png (image, 13 KiB)\n"
            + "- saved data/table.csv (120 bytes)\n- … and 2 more files saved\n\n"), "\(document)")
    }

    @Test("escaping: inline structure everywhere, block markers at line starts, hard breaks kept")
    func escaping() {
        #expect(MarkdownText.escaped("a *b* _c_ `d` [e](f) <g> h|i ~j~ &amp; $k$ \\") ==
            "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<g\\> h\\|i \\~j\\~ \\&amp; \\$k\\$ \\\\")
        #expect(MarkdownText.escaped("# h\n- l\n+ l\n= u\n12. n\n3) n\n    code") == "\\# h\\\n\\- l\\\n\\+ l\\\n\\= u\\\n12\\. n\\\n3\\) n\\\ncode")
        #expect(MarkdownText.escaped("a - b. 3.14 1+1=2") == "a - b. 3.14 1+1=2")
        #expect(MarkdownText.escaped("80.0\n-5\n+1\n---\n===\n7.\n-") == "80.0\\\n-5\\\n+1\\\n\\---\\\n\\===\\\n7\\.\\\n\\-")
        #expect(MarkdownText.escaped("one\n\ntwo") == "one\n\ntwo")
        #expect(MarkdownText.fenced("a ``` b\n```` c") == "`````\na ``` b\n```` c\n`````\n")
        #expect(MarkdownText.fenced("", info: "text") == "```text\n```\n")
        #expect(MarkdownText.cell("a\nb | c") == "a b \\| c")
        #expect(MarkdownText.cell("1. - v0.1.0 issue #15") == "1. - v0.1.0 issue \\#15")
    }

    /// Headings outside code blocks, and the lines inside them, by CommonMark's fence rules.
    static func structure(of document: String) -> (headings: [String], codeLines: [String], unclosedFence: Bool) {
        var headings: [String] = []
        var codeLines: [String] = []
        var fence: Int?
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            let backticks = line.prefix(while: { $0 == "`" }).count
            if let open = fence {
                if backticks >= open, line.dropFirst(backticks).allSatisfy(\.isWhitespace) {
                    fence = nil
                } else {
                    codeLines.append(String(line))
                }
            } else if backticks >= 3 {
                fence = backticks
            } else if line.hasPrefix("#") {
                headings.append(String(line))
            }
        }
        return (headings, codeLines, fence != nil)
    }
}
