import Foundation

/// Reads the answer a program printed, and the form answers are compared in when programs vote.
///
/// Small models label their output ("The total is 42", "Answer: 42") or print a working value before
/// the result; the answer is taken from the last line printed, and a line whose only number is the
/// value is reduced to that number, so "Total: $1,250" and "1250" count as the same answer.
public enum ProgramAnswer {
    /// The answer in a program's standard output: its last non-empty line, without an `Answer:` label,
    /// reduced to its number when it holds exactly one (a whole-day `timedelta` to its days). Nil when
    /// the program printed nothing.
    public static func extract(_ stdout: String) -> String? {
        guard let line = stdout.split(whereSeparator: \.isNewline)
            .map({ $0.trimmingCharacters(in: .whitespaces) })
            .last(where: { !$0.isEmpty }) else { return nil }
        var unlabelled = withoutLabel(line)
        // A day count printed as a `timedelta` ("345 days, 0:00:00") is the number of days.
        if let days = unlabelled.wholeMatch(of: /(-?[0-9]+) days?, 0:00:00/) { unlabelled = String(days.1) }
        let numbers = numericTokens(unlabelled)
        if numbers.count == 1, unlabelled.count <= 120 { return numbers[0].printed }
        return unlabelled.count > 2_000 ? String(unlabelled.prefix(2_000)) : unlabelled
    }

    /// The form two answers are compared in: case and white space folded, a trailing full stop and
    /// quotes dropped, and a lone number written canonically (`2.0` → `2`, `1,000` → `1000`, `$5` → `5`).
    public static func voteKey(_ answer: String) -> String {
        let folded = answer.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .trimmingCharacters(in: CharacterSet(charactersIn: ".\"'` "))
        let numbers = numericTokens(folded)
        if numbers.count == 1, numbers[0].printed == folded.filter({ !"$€£%,".contains($0) }) {
            return canonical(numbers[0].value)
        }
        return folded
    }

    /// Labels small models put before the value.
    private static let labels = ["final answer:", "answer:", "the answer is", "result:", "output:"]

    private static func withoutLabel(_ line: String) -> String {
        let lowered = line.lowercased()
        for label in labels where lowered.hasPrefix(label) {
            return String(line.dropFirst(label.count)).trimmingCharacters(in: .whitespaces)
        }
        return line
    }

    /// Tokens that read as numbers, with currency signs, thousands separators and a trailing full
    /// stop or percent sign removed. Dates (`2024-03-15`) and times (`14:30`) are not numbers here.
    private static func numericTokens(_ text: String) -> [(printed: String, value: Double)] {
        text.split(whereSeparator: { $0.isWhitespace || "=:;()[]{}/".contains($0) }).compactMap { raw in
            var token = raw.trimmingCharacters(in: CharacterSet(charactersIn: "$€£,.!?%\"'"))
            guard !token.isEmpty, token.first!.isNumber || token.first == "-" || token.first == "+" else { return nil }
            if token.contains(",") {
                let parts = token.split(separator: ",", omittingEmptySubsequences: false)
                guard parts.dropFirst().allSatisfy({ $0.prefix(3).count == 3 && ($0.count == 3 || $0.dropFirst(3).first == ".") })
                else { return nil }
                token = token.replacingOccurrences(of: ",", with: "")
            }
            guard let value = Double(token), value.isFinite, !token.lowercased().contains("n") else { return nil }
            return (token, value)
        }
    }

    private static func canonical(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.12g", value)
    }
}
