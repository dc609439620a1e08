import Foundation

/// One of `count` disjoint slices of a run's tasks (`--shard INDEX/COUNT`, INDEX from 0, as Kubernetes
/// numbers the pods of an Indexed Job). Task `k` of the run belongs to shard `k mod count`: every
/// task is in exactly one shard, and neighbouring tasks (which in HumanEval are of similar difficulty)
/// go to different shards, so the shards take about as long as each other.
public struct EvalShard: Codable, Sendable, Equatable, CustomStringConvertible {
    /// This shard, from 0.
    public var index: Int
    /// How many shards the run is split into.
    public var count: Int

    /// Creates a shard; `index` must be in `0..<count`.
    public init(index: Int, count: Int) throws(EvalShardError) {
        guard count >= 1 else { throw EvalShardError(text: "\(index)/\(count)", reason: "the shard count must be at least 1") }
        guard (0..<count).contains(index) else {
            throw EvalShardError(text: "\(index)/\(count)", reason: "the index must be from 0 to \(count - 1)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `INDEX/COUNT`.
    public init(parsing text: String) throws(EvalShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let count = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw EvalShardError(text: text, reason: "write it as INDEX/COUNT, e.g. 0/4 for the first of four shards")
        }
        try self.init(index: index, count: count)
    }

    /// `INDEX/COUNT`.
    public var description: String { "\(index)/\(count)" }

    /// This shard's elements of the run's list, in order.
    public func slice<Element>(_ all: [Element]) -> [Element] {
        all.enumerated().filter { $0.offset % count == index }.map(\.element)
    }
}

/// A `--shard` value that cannot be used.
public struct EvalShardError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The value as given.
    public var text: String
    /// What is wrong.
    public var reason: String

    /// `--shard TEXT: reason`.
    public var description: String { "--shard \(text): \(reason)" }
}
