import Foundation
import TerminalUI
import WandEngine
import WandExport
import Workbench

/// One session in an export format, made the same way for `wand export` and the workbench's `/export`.
enum SessionExport {
    /// The Markdown transcript.
    static func markdown(_ loaded: LoadedSession) -> Data {
        Data(MarkdownTranscript.document(loaded.events, name: loaded.url.deletingPathExtension().lastPathComponent).utf8)
    }

    /// The asciicast of the replay, its JSON free of raw control characters.
    static func cast(_ loaded: LoadedSession, theme: Theme, options: AsciicastRecording.Options) throws -> Data {
        let recording = AsciicastRecording(events: loaded.events, title: "wand replay \(loaded.url.lastPathComponent)",
                                           theme: theme, options: options)
        return Data(InertText.escapingControls(json: String(decoding: try recording.file(), as: UTF8.self)).utf8)
    }

    /// The file name `/export` writes when none is given: the session's id and the format's extension.
    static func defaultFileName(_ loaded: LoadedSession, format: ExportFormat) -> String {
        let id = loaded.url.deletingPathExtension().lastPathComponent
        switch format {
        case .markdown: return id + ".md"
        case .cast: return id + ".cast"
        case .chatJSONL: return id + ".jsonl"
        }
    }

    /// Writes one session in a format to a file (the workbench's `/export`); returns a sentence saying
    /// what was written, or throws ``ExportFailure`` saying why nothing was.
    static func write(_ loaded: LoadedSession, format: ExportFormat, to url: URL, theme: Theme) async throws -> String {
        let data: Data
        var detail = ""
        switch format {
        case .markdown:
            data = markdown(loaded)
        case .cast:
            data = try cast(loaded, theme: theme, options: AsciicastRecording.Options())
        case .chatJSONL:
            let report = await ChatTrainingExport.examples(from: [ChatTrainingExport.Source(session: loaded)], includeAll: false,
                                                           reenact: false)
            guard !report.examples.isEmpty else {
                throw ExportFailure("nothing to export as chat-jsonl: no run of this session was accepted "
                    + "(`wand export --format chat-jsonl --all` takes every run)")
            }
            data = try ChatTrainingExport.jsonLines(report.examples)
            detail = " (\(report.examples.count) example(s))"
        }
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw ExportFailure("cannot write \(url.path): \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
        }
        return "Exported \(format.rawValue) to \(url.path)\(detail)"
    }
}
