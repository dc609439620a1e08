public import Foundation
public import TerminalUI
public import WandEngine
public import Workbench

/// A replay of a session rendered by the workbench itself, as an asciicast v2 file that the `asciinema`
/// player (and asciinema.org) plays: the recorded events go through the workbench's reducer one by one, as
/// stepping through a replay does, each frame is drawn by its renderer into a cell buffer, and the cells
/// that changed are written as terminal text at the time the events happened.
public struct AsciicastRecording: Sendable {
    /// How the recording is made.
    public struct Options: Sendable, Equatable {
        /// The screen size in cells.
        public var size: Size
        /// Playback speed relative to the recording (2 plays twice as fast).
        public var speed: Double
        /// The longest pause between two frames, in seconds of the recording, so idle stretches do not stall.
        public var maxIdle: Double
        /// Frames closer together than this many seconds of the cast are merged, as a terminal redrawn
        /// at that rate would show them.
        public var frameInterval: Double
        /// How colours are written.
        public var colors: ANSIScreen.Colors

        /// Creates options; the defaults are a 120×40 screen at the recorded speed with pauses of at most 2 s.
        public init(size: Size = Size(width: 120, height: 40), speed: Double = 1, maxIdle: Double = 2,
                    frameInterval: Double = 1.0 / 30, colors: ANSIScreen.Colors = .trueColor) {
            self.size = size
            self.speed = speed
            self.maxIdle = maxIdle
            self.frameInterval = frameInterval
            self.colors = colors
        }
    }

    /// One frame's output: seconds from the start of the cast, and the terminal text.
    public struct Frame: Sendable, Equatable {
        /// Seconds from the start.
        public var time: Double
        /// What is written to the terminal.
        public var text: String
    }

    /// The cast's title.
    public var title: String
    /// When the session started.
    public var start: Date?
    /// The options used.
    public var options: Options
    /// The frames in order.
    public var frames: [Frame]

    /// Renders the replay of `events` with `theme`; the title names the session.
    public init(events: [EventRecord], title: String, theme: Theme, options: Options) {
        self.title = title
        self.options = options
        start = events.first?.time
        var state = ViewState(mode: .replay, size: options.size, themeName: theme.name, themeNames: [theme.name],
                              replay: ReplayState(fileName: title, events: events))
        var screen = ANSIScreen(colors: options.colors)
        var frames: [Frame] = []
        var time = 0.0
        var lastFrameTime = -Double.infinity
        var pending = ""
        for index in events.indices {
            if index > 0 {
                let gap = events[index].time.timeIntervalSince(events[index - 1].time)
                time += min(options.maxIdle, max(0, gap)) / options.speed
            }
            _ = Reducer.reduce(&state, .action(.replayForward))
            // Stepping pauses playback; the cast shows the replay playing, as the workbench's own playback would.
            state.replay?.isPlaying = index < events.count - 1
            let nextTime = index + 1 < events.count
                ? time + min(options.maxIdle, max(0, events[index + 1].time.timeIntervalSince(events[index].time))) / options.speed
                : Double.infinity
            // An event followed within one frame interval is drawn with the next, unless a frame is due anyway.
            guard nextTime - time >= options.frameInterval || time - lastFrameTime >= options.frameInterval
                || index == events.count - 1 else { continue }
            pending += screen.update(to: WorkbenchRenderer.render(state, theme: theme))
            if index == events.count - 1 { pending += screen.finish() }
            guard !pending.isEmpty else { continue }
            frames.append(Frame(time: time, text: pending))
            lastFrameTime = time
            pending = ""
        }
        self.frames = frames
    }

    /// The asciicast v2 file (https://docs.asciinema.org/manual/asciicast/v2): a header line, then one
    /// `[time, "o", text]` line per frame.
    public func file() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var header: [String: AsciicastValue] = [
            "version": .int(2), "width": .int(options.size.width), "height": .int(options.size.height),
            "title": .string(title), "env": .object(["TERM": .string("xterm-256color")]),
        ]
        if let start { header["timestamp"] = .int(Int(start.timeIntervalSince1970)) }
        if let last = frames.last { header["duration"] = .double(Self.microseconds(last.time)) }
        var data = try encoder.encode(header)
        data.append(0x0A)
        for frame in frames {
            data.append(try encoder.encode([AsciicastValue.double(Self.microseconds(frame.time)), .string("o"), .string(frame.text)]))
            data.append(0x0A)
        }
        return data
    }

    /// Seconds rounded to microseconds, the precision asciinema records with.
    private static func microseconds(_ seconds: Double) -> Double { (seconds * 1_000_000).rounded() / 1_000_000 }
}

/// The JSON values an asciicast line holds.
private enum AsciicastValue: Encodable {
    case int(Int)
    case double(Double)
    case string(String)
    case object([String: AsciicastValue])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
