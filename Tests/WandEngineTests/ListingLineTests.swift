import Foundation
import Testing
import WandEngine
import WandTestSupport

/// The listing's own reader of `session.started` and run lines must read fields exactly as `JSONDecoder`
/// does, and give up (so the listing decodes the line whole) on anything it is not sure of.
@Suite("Session listing line reader")
struct ListingLineTests {
    static func read(_ text: String) -> ListingLine? {
        Data(text.utf8).withUnsafeBytes { ListingLine.read($0) }
    }

    @Test("every line of the bundled sessions and the 0.1.0 session reads as JSONDecoder reads it",
          arguments: SessionCompatibilityTests.bundled + [SessionCompatibilityTests.release])
    func bundledLines(file: URL) throws {
        let lines = try Data(contentsOf: file).split(separator: 0x0A)
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(line.withUnsafeBytes { ListingLine.read($0) } != nil, "every line Wand writes is read")
            #expect(FuzzTarget.listingProblems(Data(line)).isEmpty)
        }
    }

    @Test("a comparison's sides, a run's status, escapes and surrogate pairs")
    func fields() throws {
        let started = #"{"comparison":[{"model":{"x":[1,2,{"y":null}]},"strategy":"codeact"},{"strategy":"pal"}],"#
            + #""goal":"caf\u00e9 \ud83d\ude00 \"q\" a\/b\\c\n","seq":1,"settings":{"k":-1.5e3,"t":true,"f":false},"#
            + #""strategy":"codeact","time":"2026-12-05T01:00:00.000Z","type":"session.started","v":1}"#
        let line = try #require(Self.read(started))
        #expect(line.goal == "café 😀 \"q\" a/b\\c\n")
        #expect(line.comparison == ["codeact", "pal"])
        #expect(line.strategy == "codeact")
        #expect(FuzzTarget.listingProblems(Data(started.utf8)).isEmpty)

        let finished = #"{"run":2,"seq":9,"status":"budget-exhausted","time":"2026-12-05T01:00:00.000Z","type":"run.finished","v":1}"#
        #expect(Self.read(finished)?.status == "budget-exhausted")
        #expect(Data(finished.utf8).withUnsafeBytes { ListingLine.read($0, type: "session.started") } == nil,
                "a line of another type than asked for")
    }

    @Test("lines it is not sure of are left to the full decoder", arguments: [
        #"{"seq":1,"time":"2026-12-05T01:00:00.000Z","type":"notice","v":1.0}"#,
        #"{"seq":1,"time":"2026-12-05T01:00:00.000Z","type":"notice","v":2}"#,
        #"{"seq":1,"time":"yesterday","type":"notice","v":1}"#,
        #"{"seq":1,"time":"2026-12-05T01:00:00.000Z","type":"notice","v":1} trailing"#,
        #"{"seq":1,"time":"2026-12-05T01:00:00.000Z","type":"notice","v":1"#,
        #"{"goal":"\ud83d","seq":1,"time":"2026-12-05T01:00:00.000Z","type":"notice","v":1}"#,
        #"{"goal":"tab"# + "\t" + #"inside","seq":1,"time":"2026-12-05T01:00:00.000Z","type":"notice","v":1}"#,
        #"{"goal":7,"seq":1,"time":"2026-12-05T01:00:00.000Z","type":"notice","v":1}"#,
        #"{"deep":"# + String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
            + #","seq":1,"time":"2026-12-05T01:00:00.000Z","type":"notice","v":1}"#,
        #"{"seq":99999999999999999999,"time":"2026-12-05T01:00:00.000Z","type":"notice","v":1}"#,
        #"{"seq":1,"time":"2026-12-05T01:00:00.000Z","time":"2026-12-06T01:00:00.000Z","type":"notice","v":1}"#,
        #"{"seq":081,"time":"2026-12-05T01:00:00.000Z","type":"notice","v":1}"#,
        #"{"n":1.,"seq":1,"time":"2026-12-05T01:00:00.000Z","type":"notice","v":1}"#,
        #"["seq",1]"#,
        "",
    ])
    func givesUp(line: String) {
        #expect(Self.read(line) == nil)
    }
}
