/// Turns an execution's result into the short, informative text sent back to the model.
///
/// Small models lose the thread in long observations, so this keeps the error and the traceback's
/// last frames, the head and tail of long output, and says plainly which limit stopped the code.
public enum FeedbackFormatter {
    /// Characters of output kept (split between head and tail).
    public static let outputBudget = 1_500

    /// The observation for one execution.
    public static func observation(output: [OutputChunk], result: ExecFinished, limits: ExecutionLimits? = nil) -> String {
        var parts: [String] = []
        let stdout = output.filter { $0.stream == .stdout }.map(\.text).joined()
        let stderr = output.filter { $0.stream == .stderr }.map(\.text).joined()
        if let limit = result.limit {
            parts.append(limitMessage(limit, error: result.error, limits: limits))
        } else if let error = result.error {
            parts.append("The code failed with \(error).")
            if let traceback = result.traceback, !traceback.isEmpty { parts.append(trimTraceback(traceback)) }
            if let hint = hint(for: error) { parts.append(hint) }
        } else if result.exitStatus == 0 {
            parts.append("The code ran without error.")
        } else if let status = result.exitStatus {
            parts.append("The code exited with status \(status).")
        }
        if !stdout.isEmpty {
            parts.append("Output:\n" + headAndTail(stdout))
        } else if result.value == nil, result.error == nil, result.limit == nil {
            parts.append("It printed nothing. Use print() to show the values you need.")
        }
        if !stderr.isEmpty, result.error == nil || !stderr.contains("Traceback") {
            parts.append("Errors printed:\n" + headAndTail(stderr, budget: outputBudget / 2))
        }
        if let value = result.value { parts.append("Value of the last expression: \(headAndTail(value, budget: 400))") }
        if result.truncated { parts.append("(The output was long; its middle was cut.)") }
        if result.stateLost { parts.append("The Python session was restarted: earlier variables and imports are gone.") }
        return parts.joined(separator: "\n")
    }

    static func limitMessage(_ limit: ExecutionLimit, error: String?, limits: ExecutionLimits?) -> String {
        switch limit {
        case .timeout:
            let seconds = limits.map { " of \(Int($0.timeout)) s" } ?? ""
            return "The code was stopped by the time limit\(seconds): it ran too long (an endless loop, or work too slow for the limit)."
        case .cpu: return "The code was stopped by the CPU time limit: it computed too long."
        case .memory:
            let size = limits.map { " of \($0.memoryMB) MiB" } ?? ""
            return "The code was stopped by the memory limit\(size): it tried to use too much memory."
        case .processes: return "The code started too many processes and hit the process limit."
        case .fileSize: return "The code tried to write a file larger than the file size limit."
        case .output: return "The code printed more output than the limit allows."
        case .cancelled: return "The user stopped the code."
        }
    }

    /// What to do about errors small models cause by assuming things about their environment: a
    /// package that is not installed, or a file the question only showed inline.
    static func hint(for error: String) -> String? {
        if error.hasPrefix("ModuleNotFoundError") {
            return "That package is not installed here: use only the Python standard library."
        }
        if error.hasPrefix("FileNotFoundError") {
            return "There is no such file: write the data from the task into the program itself."
        }
        return nil
    }

    /// The last frames of a traceback (the error line and the user's lines that led to it).
    public static func trimTraceback(_ traceback: String, maxLines: Int = 12) -> String {
        let lines = traceback.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > maxLines else { return traceback }
        return (["Traceback (last frames):"] + lines.suffix(maxLines - 1)).joined(separator: "\n")
    }

    /// The text cut to its head and tail with a marker between them.
    public static func headAndTail(_ text: String, budget: Int = outputBudget) -> String {
        let trimmed = text.hasSuffix("\n") ? String(text.dropLast()) : text
        guard trimmed.count > budget else { return trimmed }
        let half = budget / 2
        let cut = trimmed.count - 2 * half
        return String(trimmed.prefix(half)) + "\n[… \(cut) characters cut …]\n" + String(trimmed.suffix(half))
    }
}
