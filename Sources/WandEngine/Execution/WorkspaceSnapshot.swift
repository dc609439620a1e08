public import Foundation
import Glibc

/// The regular files of a workspace with their size, modification time and inode: one taken before a
/// code step and one after tell which files the step created or changed (`exec.finished`'s `files`).
///
/// Not walked: hidden entries (a name starting with `.`: Wand's own `.wand/`, and the caches and settings
/// programs write under `$HOME`, which is the workspace) and `__pycache__` directories (Python's bytecode
/// of modules the code imported from the workspace). Symbolic links are neither followed nor listed, so
/// no link leads the walk out of the workspace or round a loop. A workspace of more than ``entryLimit``
/// entries is walked only as far as that many, in path order (stopping before a directory that holds more
/// than are left), and compared only that far.
public struct WorkspaceSnapshot: Sendable, Equatable {
    /// What tells one version of a file from another without reading it.
    struct Stamp: Sendable, Equatable {
        var size: Int
        var inode: UInt64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
    }

    /// The files by their path's bytes relative to the workspace (components joined by `/`).
    private(set) var files: [[UInt8]: Stamp] = [:]
    /// The first entry left unwalked when the walk stopped at its limit: the snapshot holds exactly the
    /// files before it in ``precedes(_:_:)`` order. Nil when the whole workspace was walked.
    private(set) var stoppedAt: [UInt8]?

    /// The most entries (files, directories and others, hidden ones not counted) one snapshot visits.
    public static let entryLimit = 50_000
    /// The most files `exec.finished` lists; it counts the others.
    public static let listedLimit = 20
    /// Directories deeper than this below the workspace are not walked (each level holds a descriptor open).
    static let depthLimit = 64

    /// Walks `directory`; a directory that cannot be read is left out (an empty snapshot when it is the
    /// workspace itself).
    public static func take(of directory: URL, entryLimit: Int = entryLimit) -> WorkspaceSnapshot {
        var snapshot = WorkspaceSnapshot()
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return snapshot }
        var budget = entryLimit
        snapshot.walk(descriptor, prefix: [], depth: 0, budget: &budget)
        return snapshot
    }

    /// The files created or changed since `before` (a different size, modification time or inode), in
    /// path order: the first `limit` of them, and how many more there are.
    public func changes(since before: WorkspaceSnapshot, listing limit: Int = listedLimit) -> (files: [WorkspaceFile], more: Int) {
        // Past the point where either walk stopped, one side knows nothing: compare only up to there.
        let bound = [before.stoppedAt, stoppedAt].compactMap { $0 }.min(by: Self.precedes)
        var changed = files.filter { path, stamp in
            if let bound, !Self.precedes(path, bound) { return false }
            return before.files[path] != stamp
        }.map(\.key)
        changed.sort(by: Self.precedes)
        let listed = changed.prefix(limit).map { path in
            WorkspaceFile(path: String(decoding: path, as: UTF8.self), size: files[path]?.size ?? 0)
        }
        return (Array(listed), changed.count - listed.count)
    }

    /// Whether path `a` comes before `b` in walk order: component by component, a directory before what it
    /// holds. With `/` weighed below every byte a name can hold, that is the byte order of the joined paths.
    static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            return (x == 0x2F ? 0 : Int(x) + 1) < (y == 0x2F ? 0 : Int(y) + 1)
        }
        return a.count < b.count
    }

    /// Walks the directory open as `descriptor` (and closes it), its entries in name order.
    private mutating func walk(_ descriptor: Int32, prefix: [UInt8], depth: Int, budget: inout Int) {
        guard let directory = fdopendir(descriptor) else {
            close(descriptor)
            return
        }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix(while: { $0 != 0 })) }
            if name.first == 0x2E || name == Self.pythonCache { continue }
            names.append(name)
            // Its entries can only be walked in order once all their names are read and sorted; a
            // directory holding more than are left to walk ends the walk before it, so memory stays bounded.
            if names.count > budget {
                stoppedAt = prefix
                return
            }
        }
        names.sort { $0.lexicographicallyPrecedes($1) }
        for name in names {
            guard stoppedAt == nil else { return }
            let path = prefix.isEmpty ? name : prefix + [0x2F] + name
            guard budget > 0 else {
                stoppedAt = path
                return
            }
            budget -= 1
            var status = stat()
            let found = (name + [0]).withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { fstatat(dirfd(directory), $0.baseAddress!, &status, AT_SYMLINK_NOFOLLOW) }
            }
            guard found == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFREG:
                files[path] = Stamp(size: Int(status.st_size), inode: UInt64(status.st_ino),
                                    modifiedSeconds: Int(status.st_mtim.tv_sec), modifiedNanoseconds: Int(status.st_mtim.tv_nsec))
            case S_IFDIR where depth + 1 < Self.depthLimit:
                let child = (name + [0]).withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) {
                        openat(dirfd(directory), $0.baseAddress!, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    }
                }
                if child >= 0 { walk(child, prefix: path, depth: depth + 1, budget: &budget) }
            default:
                continue
            }
        }
    }

    private static let pythonCache = Array("__pycache__".utf8)
}
