public import TerminalUI
public import WandEngine

/// Key bindings as data: which keys trigger which action in which context.
///
/// The same table drives key handling, the help overlay and the status bar hints, so they cannot
/// disagree; tests press keys by action name through it.
public struct Keymap: Sendable, Equatable {
    /// One binding.
    public struct Binding: Sendable, Equatable {
        /// The action.
        public var action: Action
        /// Where it applies.
        public var context: KeyContext
        /// The keys, first one shown in hints.
        public var keys: [Key]
    }

    /// Every binding, in help order.
    public private(set) var bindings: [Binding]

    /// The default bindings.
    public static let standard = Keymap(bindings: [
        Binding(action: .help, context: .global, keys: [.function(1)]),
        Binding(action: .quit, context: .global, keys: [.control("q")]),
        Binding(action: .interrupt, context: .global, keys: [.control("c")]),
        Binding(action: .focusNext, context: .global, keys: [.tab]),
        Binding(action: .focusPrevious, context: .global, keys: [.backTab]),
        Binding(action: .nextTheme, context: .global, keys: [.function(2)]),
        Binding(action: .openPalette, context: .live, keys: [.control("p")]),
        Binding(action: .cancel, context: .global, keys: [.escape]),
        Binding(action: .submit, context: .prompt, keys: [.enter]),
        Binding(action: .newline, context: .prompt, keys: [.altEnter, .control("j")]),
        Binding(action: .cursorUp, context: .prompt, keys: [.up]),
        Binding(action: .cursorDown, context: .prompt, keys: [.down]),
        Binding(action: .cursorLeft, context: .prompt, keys: [.left, .control("b")]),
        Binding(action: .cursorRight, context: .prompt, keys: [.right, .control("f")]),
        Binding(action: .lineStart, context: .prompt, keys: [.home, .control("a")]),
        Binding(action: .lineEnd, context: .prompt, keys: [.end, .control("e")]),
        Binding(action: .deleteBackward, context: .prompt, keys: [.backspace]),
        Binding(action: .deleteForward, context: .prompt, keys: [.delete, .control("d")]),
        Binding(action: .deleteWord, context: .prompt, keys: [.control("w")]),
        Binding(action: .deleteToLineStart, context: .prompt, keys: [.control("u")]),
        Binding(action: .deleteToLineEnd, context: .prompt, keys: [.control("k")]),
        Binding(action: .historyPrevious, context: .prompt, keys: [.alt("p")]),
        Binding(action: .historyNext, context: .prompt, keys: [.alt("n")]),
        Binding(action: .help, context: .pane, keys: [.character("?")]),
        Binding(action: .quit, context: .pane, keys: [.character("q")]),
        Binding(action: .scrollUp, context: .pane, keys: [.up, .character("k")]),
        Binding(action: .scrollDown, context: .pane, keys: [.down, .character("j")]),
        Binding(action: .pageUp, context: .pane, keys: [.pageUp, .character("b")]),
        Binding(action: .pageDown, context: .pane, keys: [.pageDown, .character("f")]),
        Binding(action: .scrollTop, context: .pane, keys: [.home, .character("g")]),
        Binding(action: .scrollBottom, context: .pane, keys: [.end, .character("G")]),
        Binding(action: .previousAttempt, context: .code, keys: [.character("[")]),
        Binding(action: .nextAttempt, context: .code, keys: [.character("]")]),
        Binding(action: .replayPlayPause, context: .replay, keys: [.character(" ")]),
        Binding(action: .replayForward, context: .replay, keys: [.character("."), .right, .character("l")]),
        Binding(action: .replayBack, context: .replay, keys: [.character(","), .left, .character("h")]),
        Binding(action: .replayNextStep, context: .replay, keys: [.character("n")]),
        Binding(action: .replayPreviousStep, context: .replay, keys: [.character("p")]),
        Binding(action: .replayFaster, context: .replay, keys: [.character("+"), .character("=")]),
        Binding(action: .replaySlower, context: .replay, keys: [.character("-")]),
        Binding(action: .replayStart, context: .replay, keys: [.character("<")]),
        Binding(action: .replayEnd, context: .replay, keys: [.character(">")]),
        Binding(action: .replayFork, context: .replay, keys: [.character("F")]),
        Binding(action: .replayRerun, context: .replay, keys: [.character("R")]),
        Binding(action: .approveRun, context: .approval, keys: [.character("y"), .enter]),
        Binding(action: .approveSkip, context: .approval, keys: [.character("n")]),
        Binding(action: .approveEdit, context: .approval, keys: [.character("e")]),
        Binding(action: .approveAlways, context: .approval, keys: [.character("a")]),
        Binding(action: .closeOverlay, context: .help, keys: [.escape, .function(1), .character("?"), .character("q"),
                                                              .control("c")]),
        Binding(action: .scrollUp, context: .help, keys: [.up, .character("k")]),
        Binding(action: .scrollDown, context: .help, keys: [.down, .character("j")]),
        Binding(action: .pageUp, context: .help, keys: [.pageUp, .character("b")]),
        Binding(action: .pageDown, context: .help, keys: [.pageDown, .character("f")]),
        Binding(action: .scrollTop, context: .help, keys: [.home, .character("g")]),
        Binding(action: .scrollBottom, context: .help, keys: [.end, .character("G")]),
        Binding(action: .installModel, context: .welcome, keys: [.character("i"), .enter]),
        Binding(action: .openDemo, context: .welcome, keys: [.character("d")]),
        Binding(action: .closeOverlay, context: .welcome, keys: [.escape, .control("c")]),
        Binding(action: .quit, context: .welcome, keys: [.character("q"), .control("q")]),
        Binding(action: .completeCommand, context: .command, keys: [.tab]),
        Binding(action: .paletteChoose, context: .palette, keys: [.enter]),
        Binding(action: .selectPrevious, context: .palette, keys: [.up, .control("p")]),
        Binding(action: .selectNext, context: .palette, keys: [.down, .control("n")]),
        Binding(action: .filterDeleteBackward, context: .palette, keys: [.backspace]),
        Binding(action: .closeOverlay, context: .palette, keys: [.escape, .control("c")]),
        Binding(action: .sessionReplay, context: .sessions, keys: [.enter]),
        Binding(action: .sessionResume, context: .sessions, keys: [.character("r")]),
        Binding(action: .sessionFork, context: .sessions, keys: [.character("f")]),
        Binding(action: .sessionDelete, context: .sessions, keys: [.character("d")]),
        Binding(action: .sessionFilter, context: .sessions, keys: [.character("/")]),
        Binding(action: .selectPrevious, context: .sessions, keys: [.up, .character("k")]),
        Binding(action: .selectNext, context: .sessions, keys: [.down, .character("j")]),
        Binding(action: .closeOverlay, context: .sessions, keys: [.escape, .character("q"), .control("c")]),
        Binding(action: .filterDone, context: .sessionFilter, keys: [.enter]),
        Binding(action: .filterClear, context: .sessionFilter, keys: [.escape]),
        Binding(action: .selectPrevious, context: .sessionFilter, keys: [.up]),
        Binding(action: .selectNext, context: .sessionFilter, keys: [.down]),
        Binding(action: .filterDeleteBackward, context: .sessionFilter, keys: [.backspace]),
        Binding(action: .confirmYes, context: .confirm, keys: [.character("y")]),
        Binding(action: .confirmNo, context: .confirm, keys: [.character("n"), .escape]),
    ])

    /// The action bound to a key, looking through contexts in order.
    public func action(for key: Key, in contexts: [KeyContext]) -> Action? {
        for context in contexts {
            if let binding = bindings.first(where: { $0.context == context && $0.keys.contains(key) }) {
                return binding.action
            }
        }
        return nil
    }

    /// The keys bound to an action in a context (empty when unbound).
    public func keys(for action: Action, in context: KeyContext) -> [Key] {
        bindings.first(where: { $0.action == action && $0.context == context })?.keys ?? []
    }

    /// The first key bound to an action in any of the contexts, for hints and tests.
    public func firstKey(for action: Action, in contexts: [KeyContext] = KeyContext.allCases) -> Key? {
        for context in contexts {
            if let key = keys(for: action, in: context).first { return key }
        }
        return nil
    }

    /// The bindings of one context, in table order.
    public func bindings(in context: KeyContext) -> [Binding] {
        bindings.filter { $0.context == context }
    }

    /// Rebinds actions from a key file: `[context]` tables mapping action IDs to a key name or a list of them.
    public func overriding(with document: TOMLDocument) throws(ConfigFileError) -> Keymap {
        var copy = self
        for (contextName, node) in document.root.sorted(by: { $0.key < $1.key }) {
            guard let context = KeyContext(rawValue: contextName) else {
                throw document.error(at: [contextName], "unknown context `\(contextName)`; contexts are "
                    + KeyContext.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard let table = node.table else {
                throw document.error(at: [contextName], "`\(contextName)` must be a table of action = key(s)")
            }
            for (actionName, value) in table.sorted(by: { $0.key < $1.key }) {
                guard let action = Action(rawValue: actionName) else {
                    throw document.error(at: [contextName, actionName], "unknown action `\(actionName)`")
                }
                let names: [String]
                switch value {
                case .string(let name): names = [name]
                case .array(let items): names = items.compactMap(\.string)
                default: throw document.error(at: [contextName, actionName], "a key binding must be a key name or a list of them")
                }
                var keys: [Key] = []
                for name in names {
                    guard let key = Key(name: name) else {
                        throw document.error(at: [contextName, actionName], "unknown key name `\(name)`")
                    }
                    keys.append(key)
                }
                if let index = copy.bindings.firstIndex(where: { $0.action == action && $0.context == context }) {
                    copy.bindings[index].keys = keys
                } else {
                    copy.bindings.append(Binding(action: action, context: context, keys: keys))
                }
            }
        }
        return copy
    }
}
