import Foundation

/// The saved goals of the prompt editor, one JSON string per line.
struct PromptHistory {
    let url: URL
    static let kept = 500

    /// The saved goals, oldest first.
    func load() -> [String] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        let decoder = JSONDecoder()
        return text.split(separator: "\n").compactMap { try? decoder.decode(String.self, from: Data($0.utf8)) }.suffix(Self.kept)
    }

    /// Appends a goal.
    func append(_ goal: String) {
        guard let data = try? JSONEncoder().encode(goal) else { return }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        guard let handle = try? FileHandle(forWritingTo: url) else { return }
        handle.seekToEndOfFile()
        handle.write(data + Data([0x0A]))
        try? handle.close()
    }
}
