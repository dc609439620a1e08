/// An item of a list that typed text narrows: its type says which items a query leaves.
public protocol Filterable: Sendable, Equatable {
    /// The items `query` leaves, in the order they are shown; `query` may be empty.
    static func matches(_ items: [Self], query: String) -> [Self]
}

/// A list narrowed as the user types, with one selected row among what the query leaves: the state
/// the command palette and the session browser share.
///
/// Every change keeps the selection on a match (or at 0 when nothing matches): a changed query
/// returns it to the first row, and new items keep its row where they still reach it.
public struct FilteredList<Item: Filterable>: Sendable, Equatable {
    /// Every item, unfiltered.
    public private(set) var items: [Item]
    /// What was typed.
    public private(set) var query = ""
    /// The selected row among ``matches``.
    public private(set) var selection = 0

    /// A list of `items` with nothing typed and the first row selected.
    public init(items: [Item]) { self.items = items }

    /// The items the query leaves, in the order shown.
    public var matches: [Item] { Item.matches(items, query: query) }

    /// The selected row among ``matches``; nil when nothing matches.
    public var selectedIndex: Int? { matches.isEmpty ? nil : selection }

    /// The selected item; nil when nothing matches.
    public var selected: Item? {
        let matches = self.matches
        return matches.isEmpty ? nil : matches[selection]
    }

    /// Adds typed text to the query; line breaks are dropped, since a query is one line.
    mutating func type(_ text: String) {
        query += text.filter { !$0.isNewline }
        selection = 0
    }

    /// Removes the query's last character.
    mutating func deleteBackward() {
        if !query.isEmpty { query.removeLast() }
        selection = 0
    }

    /// Empties the query.
    mutating func clearQuery() {
        query = ""
        selection = 0
    }

    /// Moves the selection by `step` rows, stopping at the first and last match.
    mutating func move(by step: Int) {
        selection = Self.clamped(selection + step, count: matches.count)
    }

    /// Replaces the items, keeping the query and the selected row (the last match when fewer remain).
    mutating func replaceItems(_ newItems: [Item]) {
        items = newItems
        selection = Self.clamped(selection, count: matches.count)
    }

    private static func clamped(_ row: Int, count: Int) -> Int {
        max(0, min(count - 1, row))
    }
}
