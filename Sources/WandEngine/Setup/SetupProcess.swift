import Foundation

/// Runs setup's programs (venv, pip, the model assembly) with their output logged under `logs`.
struct SetupProcess: Sendable {
    /// Where logs go.
    let logs: URL
    /// The programs' environment.
    let environment: [String: String]

    /// Runs a program to completion, passing its output lines on and appending them to a log; throws on failure.
    @discardableResult
    func run(_ executable: String, _ arguments: [String], log: String? = nil,
             onLine: (String) -> Void = { _ in }) async throws -> Int32 {
        let process = try await ChildProcess.launch(ChildCommand(executable: executable, arguments: arguments,
                                                                 environment: environment))
        process.closeInput()
        let logHandle = log.flatMap { name -> FileHandle? in
            let url = logs.appendingPathComponent(name)
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            return try? FileHandle(forWritingTo: url)
        }
        defer { try? logHandle?.close() }
        var pending = ""
        var tail: [String] = []
        for await chunk in process.output {
            let bytes: [UInt8]
            switch chunk {
            case .stdout(let data), .stderr(let data): bytes = data
            }
            logHandle?.write(Data(bytes))
            pending += String(decoding: bytes, as: UTF8.self)
            while let newline = pending.firstIndex(where: { $0 == "\n" || $0 == "\r" }) {
                let line = String(pending[..<newline])
                pending.removeSubrange(...newline)
                onLine(line)
                tail.append(line)
                if tail.count > 8 { tail.removeFirst() }
            }
        }
        if !pending.isEmpty { onLine(pending) }
        let exit = await process.waitForExit()
        guard exit == .exited(0) else {
            let where_ = log.map { "; full log: \(logs.path)/\($0)" } ?? ""
            throw SetupError("`\(URL(fileURLWithPath: executable).lastPathComponent) \(arguments.prefix(3).joined(separator: " "))` "
                + "failed (\(exit))\(where_):\n" + tail.joined(separator: "\n"))
        }
        return 0
    }
}
