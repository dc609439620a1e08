public import Foundation

/// Joins the directories of a sharded eval run (`wand eval merge DIR…`) into the directory the
/// unsharded run would have written: its configuration, every result in the run's order (task by
/// task, each task's strategies in the configured order), the sessions, and the report.
///
/// Refuses anything that would make the joined report claim what no run measured: directories that
/// are not shards, shards of different runs (another benchmark, strategies, model, settings, sandbox
/// or task data), a shard given twice, a missing shard, or a shard with results missing.
public enum EvalMerge {
    /// The joined run, before anything is written.
    public struct Joined: Sendable, Equatable {
        /// The configuration of the whole run.
        public var configuration: EvalConfiguration
        /// Every result, in the run's order.
        public var results: [EvalResult]
        /// Where each result's session file is now.
        public var sessionSources: [String: URL]
    }

    /// Checks and joins shard directories.
    public static func join(_ shards: [EvalRunDirectory]) throws(EvalRunError) -> Joined {
        guard !shards.isEmpty else { throw EvalRunError("give the shard directories to merge") }
        var loaded: [(directory: EvalRunDirectory, configuration: EvalConfiguration, shard: EvalShard)] = []
        for directory in shards {
            let configuration = try directory.loadConfiguration()
            guard let shard = configuration.shard else {
                throw EvalRunError("\(directory.url.path) is not a shard: it was run without --shard")
            }
            loaded.append((directory, configuration, shard))
        }
        let first = loaded[0]
        for other in loaded.dropFirst() {
            if other.shard.count != first.shard.count {
                throw EvalRunError("\(first.directory.url.path) is shard \(first.shard) and \(other.directory.url.path) is "
                    + "shard \(other.shard): they split the run differently")
            }
            if let field = differingField(first.configuration.wholeRun, other.configuration.wholeRun) {
                throw EvalRunError("\(first.directory.url.path) and \(other.directory.url.path) are shards of different runs: "
                    + "their `\(field.name)` differs (\(field.first) and \(field.second))")
            }
        }
        var byIndex: [Int: EvalRunDirectory] = [:]
        for entry in loaded {
            if let earlier = byIndex[entry.shard.index] {
                throw EvalRunError("shard \(entry.shard) is given twice: \(earlier.url.path) and \(entry.directory.url.path)")
            }
            byIndex[entry.shard.index] = entry.directory
        }
        let missing = (0..<first.shard.count).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            throw EvalRunError("shard" + (missing.count == 1 ? " " : "s ")
                + missing.map { "\($0)/\(first.shard.count)" }.joined(separator: ", ") + " of the run " + (missing.count == 1 ? "is" : "are")
                + " missing; give every shard's directory")
        }

        let whole = first.configuration.wholeRun
        var byPair: [String: EvalResult] = [:]
        var sessionSources: [String: URL] = [:]
        for entry in loaded {
            let expected = entry.shard.slice(whole.tasks)
            guard entry.configuration.tasks == expected else {
                throw EvalRunError("\(entry.directory.url.path) does not hold the tasks of shard \(entry.shard) of its run")
            }
            let wanted = Set(expected)
            var found = 0
            for result in entry.directory.loadResults() where wanted.contains(result.task) && whole.strategies.contains(result.strategy) {
                let key = pairKey(result.task, result.strategy)
                guard byPair[key] == nil else { continue }
                byPair[key] = result
                sessionSources[result.session] = entry.directory.url.appendingPathComponent(result.session)
                found += 1
            }
            let needed = expected.count * whole.strategies.count
            if found < needed {
                throw EvalRunError("\(entry.directory.url.path) (shard \(entry.shard)) is unfinished: \(found) of \(needed) results. "
                    + "Finish it with `wand eval \(whole.benchmark) --resume \(entry.directory.url.path)`")
            }
        }
        var configuration = whole
        let parallels = Set(loaded.compactMap(\.configuration.parallel))
        configuration.parallel = parallels.count == 1 ? parallels.first : nil
        let results = whole.tasks.flatMap { task in whole.strategies.compactMap { byPair[pairKey(task, $0)] } }
        return Joined(configuration: configuration, results: results, sessionSources: sessionSources)
    }

    /// Writes a joined run into `directory`, which must not hold a run already; returns the report.
    @discardableResult
    public static func write(_ joined: Joined, to directory: EvalRunDirectory) throws -> String {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory.config.path) || manager.fileExists(atPath: directory.results.path) {
            throw EvalRunError("\(directory.url.path) already holds an eval run; merge into a new directory")
        }
        try manager.createDirectory(at: directory.url, withIntermediateDirectories: true)
        for result in joined.results {
            guard let source = joined.sessionSources[result.session], manager.fileExists(atPath: source.path) else { continue }
            let target = directory.url.appendingPathComponent(result.session)
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manager.copyItem(at: source, to: target)
        }
        let writer = try ResultWriter(url: directory.results)
        for result in joined.results { try writer.append(result) }
        try directory.save(joined.configuration)
        return try directory.writeReport(configuration: joined.configuration, results: joined.results)
    }

    private static func pairKey(_ task: String, _ strategy: String) -> String { "\(strategy)\u{0}\(task)" }

    /// The first field (by name) in which two configurations differ, with both values as JSON.
    public static func differingField(_ a: EvalConfiguration, _ b: EvalConfiguration) -> (name: String, first: String, second: String)? {
        guard a != b else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func fields(_ configuration: EvalConfiguration) -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: encoder.encode(configuration))) as? [String: Any] ?? [:]
        }
        let left = fields(a)
        let right = fields(b)
        for name in Set(left.keys).union(right.keys).sorted() {
            let first = describe(left[name])
            let second = describe(right[name])
            if first != second { return (name, shorten(first), shorten(second)) }
        }
        return ("configuration", "", "")
    }

    private static func describe(_ value: Any?) -> String {
        guard let value else { return "absent" }
        guard JSONSerialization.isValidJSONObject([value]),
              let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "\(value)"
        }
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    private static func shorten(_ text: String) -> String {
        text.count > 80 ? String(text.prefix(77)) + "…" : text
    }
}
