import Foundation
import TerminalUI
import WandEngine

/// The bottom line: model, strategy, step, tokens, elapsed time, sandbox, replay position, hints.
enum StatusBar {
    /// The segments, left to right, as (label, value) pairs.
    static func segments(_ state: ViewState) -> [(label: String, value: String)] {
        let session = state.session
        var segments: [(String, String)] = []
        if let replay = state.replay {
            let mark = replay.isPlaying ? "▶" : "❚❚"
            segments.append(("replay", "\(mark) \(replay.position)/\(replay.events.count) \(formatSpeed(replay.speed))"))
        }
        // While idle, the live workbench shows what the next goal will use (commands change it).
        let next = state.mode == .live && !state.isBusy ? state.live : nil
        let model = next?.model ?? session.model?.name ?? state.live?.model ?? "?"
        segments.append(("model", model))
        let strategy = next?.strategy ?? (session.strategy.isEmpty ? (state.live?.strategy ?? "?") : session.strategy)
        segments.append(("strategy", strategy))
        // A live comparison's runs are folded per side, not into the session this bar otherwise reads:
        // its steps are each side's, its tokens and time the sides' together. (A replay folds the
        // whole file into the session too, which has the step and time; its tokens are the sides'.)
        let comparison = state.comparison
        let liveComparison = state.mode == .live ? comparison : nil
        segments.append(("step", liveComparison.map { $0.sides.map { stepText($0.session) }.joined(separator: " · ") }
                            ?? stepText(session)))
        let (usage, cost) = comparison.map { ($0.usage, $0.costUSD) } ?? (session.usage, session.costUSD)
        var tokens = formatCount(usage.total)
        if let cost { tokens += String(format: " $%.4f", cost) }
        segments.append(("tokens", tokens))
        let seconds = liveComparison.map { $0.sides.reduce(0) { $0 + $1.seconds(now: state.now) } } ?? elapsed(state)
        segments.append(("time", formatElapsed(seconds)))
        let sandbox = session.started?.sandbox.summary ?? state.live?.sandbox
        if let sandbox { segments.append(("sandbox", sandbox)) }
        return segments
    }

    static func stepText(_ session: SessionState) -> String {
        if !session.plan.isEmpty {
            let current = session.plan.firstIndex { $0.status == .active }
                ?? session.plan.firstIndex { $0.status == .pending } ?? session.plan.count - 1
            return "\(current + 1)/\(session.plan.count)"
        }
        return String(session.attempts.filter { $0.run == session.run }.count)
    }

    static func elapsed(_ state: ViewState) -> Double {
        if state.mode == .live, state.session.isRunning, let now = state.now, let start = state.session.startTime {
            return max(0, now.timeIntervalSince(start))
        }
        return state.session.elapsedSeconds
    }

    static func formatSpeed(_ speed: Double) -> String {
        speed >= 1 ? "\(Int(speed))×" : (speed == 0.5 ? "½×" : "¼×")
    }

    static func formatCount(_ count: Int) -> String {
        count < 10_000 ? String(count) : String(format: "%.1fk", Double(count) / 1000)
    }

    static func formatElapsed(_ seconds: Double) -> String {
        let total = Int(seconds)
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%02d:%02d", total / 60, total % 60)
    }

    /// Hints for the right end, from the keymap.
    static func hints(_ state: ViewState) -> String {
        let keymap = state.keymap
        var parts: [String] = []
        if let help = keymap.firstKey(for: .help, in: [.global]) { parts.append("\(help.displayName) help") }
        if state.mode == .replay, let play = keymap.firstKey(for: .replayPlayPause, in: [.replay]) {
            parts.append("\(play.displayName) play")
        }
        if let quit = keymap.firstKey(for: .quit, in: [.global]) { parts.append("\(quit.displayName) quit") }
        return parts.joined(separator: "  ")
    }

    /// The left part in one of three forms: labelled, compact (values only), or compact with a short model name.
    static func leftLine(_ state: ViewState, theme: Theme, compact: Bool, modelLimit: Int?,
                         essentialOnly: Bool = false) -> StyledLine {
        var line: [Span] = [Span(" ", style: theme.style("status"))]
        let shown = segments(state).filter { !essentialOnly || !["strategy", "sandbox"].contains($0.label) }
        for (index, segment) in shown.enumerated() {
            if index > 0 { line.append(Span(compact ? " · " : " │ ", style: theme.style("status.label"))) }
            var value = segment.value
            if segment.label == "model", let modelLimit, value.count > modelLimit {
                value = String(value.prefix(max(1, modelLimit - 1))) + "…"
            }
            if compact {
                switch segment.label {
                case "step": value = "step " + value
                case "tokens": value += " tok"
                default: break
                }
            } else {
                line.append(Span(segment.label + " ", style: theme.style("status.label")))
            }
            line.append(Span(value, style: theme.style("status.value")))
        }
        return StyledLine(line)
    }

    /// Draws the bar in one row, giving up hints, then labels, then model-name length before cutting.
    static func draw(_ state: ViewState, theme: Theme, in rect: Rect, on buffer: inout Buffer) {
        guard !rect.isEmpty else { return }
        buffer.fill(rect, with: Cell(" ", style: theme.style("status")))
        let right = state.message.map { StyledLine($0 + " ", style: theme.style("status.warning")) }
            ?? StyledLine(hints(state) + " ", style: theme.style("status.key"))
        let labelled = leftLine(state, theme: theme, compact: false, modelLimit: nil)
        let compact = leftLine(state, theme: theme, compact: true, modelLimit: nil)
        let short = leftLine(state, theme: theme, compact: true, modelLimit: 14)
        let minimal = leftLine(state, theme: theme, compact: true, modelLimit: 10, essentialOnly: true)
        let message = state.message != nil
        let candidates: [(left: StyledLine, withRight: Bool)] = message
            ? [(labelled, true), (compact, true), (short, true), (minimal, true)]
            : [(labelled, true), (labelled, false), (compact, true), (compact, false), (short, false), (minimal, false)]
        let fitting = candidates.first { $0.left.width + ($0.withRight ? right.width + 1 : 0) <= rect.width }
        let (left, withRight) = fitting ?? (minimal, message)
        let leftWidth = withRight ? max(0, rect.width - right.width - 1) : rect.width
        buffer.put(left, x: rect.x, y: rect.y, limit: leftWidth)
        if withRight {
            let rightWidth = min(right.width, rect.width)
            buffer.put(right, x: rect.maxX - rightWidth, y: rect.y, limit: rightWidth)
        }
    }
}
