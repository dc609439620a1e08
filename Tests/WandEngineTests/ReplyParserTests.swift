import Testing
@testable import WandEngine

/// A small, seeded generator (SplitMix64), so property failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

@Suite("Reply parser")
struct ReplyParserTests {
    static let chatter = ["Sure! Here is the code:", "Let me think.", "This should work.", "Output below.", "",
                          "The result is printed.", "# not a fence", "Use `print()` to see it.", "ok"]
    static let pythonLines = ["x = 1", "print(x)", "def f(a):", "    return a * 2", "import math", "for i in range(3):",
                              "    print(i)", "result = f(21)", "# a comment", "s = 'text with ``` inside quotes'"]
    static let tags = ["python", "py", "Python3", "", "python {.numberLines}", "bash", "sh", "json", "text"]

    /// A random reply built from known parts, with the blocks it must contain.
    static func randomReply(_ generator: inout SeededGenerator) -> (text: String, blocks: [(tag: String, code: String)], unclosed: Bool) {
        var parts: [String] = []
        var blocks: [(String, String)] = []
        let blockCount = Int.random(in: 0...3, using: &generator)
        let unclosed = blockCount > 0 && Bool.random(using: &generator)
        for index in 0..<blockCount {
            parts.append(chatter.randomElement(using: &generator)!)
            let tag = tags.randomElement(using: &generator)!
            let lines = (0..<Int.random(in: 1...5, using: &generator)).map { _ in pythonLines.randomElement(using: &generator)! }
            let fence = Bool.random(using: &generator) ? "```" : "~~~~"
            let indent = Bool.random(using: &generator) ? "  " : ""
            let code = lines.joined(separator: "\n")
            blocks.append((tag, code))
            parts.append(indent + fence + tag + "\n" + code + (unclosed && index == blockCount - 1 ? "" : "\n" + indent + fence))
        }
        if !unclosed { parts.append(chatter.randomElement(using: &generator)!) }
        return (parts.joined(separator: "\n"), blocks, unclosed)
    }

    @Test("property: every generated block is found with its code, tag and closure; prose keeps no code",
          arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func generatedReplies(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        for _ in 0..<200 {
            let reply = Self.randomReply(&generator)
            let parsed = ReplyParser.parse(reply.text)
            #expect(parsed.blocks.count == reply.blocks.count, "\(reply.text)")
            for (found, expected) in zip(parsed.blocks, reply.blocks) {
                #expect(found.source == expected.code.trimmingCharacters(in: .newlines))
                #expect(found.tag == String(expected.tag.lowercased().split(separator: " ").first ?? ""))
            }
            if let last = parsed.blocks.last { #expect(last.closed == !reply.unclosed) }
            for block in reply.blocks {
                for line in block.code.split(separator: "\n") where line.count > 8 && line.hasPrefix("def ") {
                    #expect(!parsed.prose.contains(line))
                }
            }
        }
    }

    @Test("property: a language is assigned exactly to runnable tags or untagged code")
    func languages() {
        var generator = SeededGenerator(state: 42)
        for _ in 0..<500 {
            let reply = Self.randomReply(&generator)
            for block in ReplyParser.parse(reply.text).blocks {
                switch block.tag {
                case "python", "py", "python3": #expect(block.language == .python)
                case "bash", "sh": #expect(block.language == .shell)
                case "json", "text": #expect(block.language == nil)
                case "": #expect(block.language != nil)
                default: break
                }
            }
        }
    }

    @Test("property: arbitrary bytes never crash the parser and prose never grows", arguments: [11, 12, 13])
    func fuzz(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        let alphabet = Array("`~\n \tpython#:Final Answer<answer></answer>abc123\u{1F600}é")
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...120, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            let parsed = ReplyParser.parse(text)
            #expect(parsed.prose.count <= text.count)
        }
    }

    @Test("final answers are found in their usual shapes", arguments: [
        ("Final Answer: 832040", "832040"),
        ("**Final Answer:** 42", "42"),
        ("The work is done.\nFINAL ANSWER - yes", "yes"),
        ("Final answer:\n\nParis\n\nThanks", "Paris"),
        ("<answer>7 apples</answer>", "7 apples"),
        ("### Final Answer\n12", "12"),
        ("Final Answer: 2*3 = 6", "2*3 = 6"),
        ("**Final Answer: C#**", "C#"),
        ("**Final Answer:** **42**", "42"),
        ("Done.\r\nFinal Answer:\r\n\r\n7\r\n", "7"),
    ])
    func finalAnswers(text: String, answer: String) {
        #expect(ReplyParser.parse(text).finalAnswer == answer)
    }

    @Test("no final answer is invented from chatter")
    func noFinalAnswer() {
        #expect(ReplyParser.parse("Here is the code.\n```python\nprint(1)\n```").finalAnswer == nil)
        #expect(ReplyParser.parse("The final answering machine broke.").finalAnswer == nil)
    }

    @Test("a final answer written inside a code block is taken out of the code")
    func answerInsideCode() {
        let parsed = ReplyParser.parse("```python\nprint(fib(30))\nFinal Answer: 832040\n```")
        #expect(parsed.blocks.first?.source == "print(fib(30))")
        #expect(parsed.finalAnswer == "832040")
    }

    @Test("a reply with CRLF line ends gives the same code, and an answer line in code keeps its #")
    func crlfReply() {
        let parsed = ReplyParser.parse("Here:\r\n```python\r\nprint(1)\r\nprint(2)\r\n# Final Answer: C#\r\n```\r\n")
        #expect(parsed.blocks.map(\.source) == ["print(1)\nprint(2)"])
        #expect(parsed.blocks.first?.language == .python)
        #expect(parsed.finalAnswer == "C#")
    }

    @Test("an unclosed fence runs to the end; a missing tag guesses the language")
    func unclosedAndGuess() {
        let parsed = ReplyParser.parse("Try:\n```\nls -la\necho done")
        #expect(parsed.blocks.count == 1)
        #expect(parsed.blocks[0].closed == false)
        #expect(parsed.blocks[0].language == .shell)
        #expect(ReplyParser.parse("```\nimport os\nprint(os.getcwd())\n```").blocks.first?.language == .python)
    }

    @Test("several blocks: the first runnable one is chosen, output samples are skipped")
    func severalBlocks() {
        let parsed = ReplyParser.parse("```text\n42\n```\nand\n```python\nprint(42)\n```\n```python\nprint(43)\n```")
        #expect(parsed.blocks.count == 3)
        #expect(parsed.firstRunnable?.source == "print(42)")
    }

    @Test("implementation extraction keeps definitions and drops the model's own checks")
    func implementation() {
        let candidate = """
            import re
            LIMIT = 10
            def f(x):
                assert x >= 0
                return x + 1

            assert f(1) == 2
            print(f(2))
            def check():
                assert f(0) == 1
            check()
            if __name__ == "__main__":
                check()
            """
        #expect(TestSuite.implementation(of: candidate) == """
            import re
            LIMIT = 10
            def f(x):
                assert x >= 0
                return x + 1

            def check():
                assert f(0) == 1
            """)
    }
}
