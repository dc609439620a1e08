public import Foundation

/// What a GGUF model file says about itself: the `general.*` keys of its header (name, architecture,
/// quantization, license, …). Only the header is read; other keys (the tokenizer's vocabulary, the
/// architecture's hyperparameters) are skipped without being kept.
///
/// The layout (little-endian; GGUF versions 2 and 3): the magic `GGUF`, a `u32` version, a `u64`
/// tensor count, a `u64` key count, then each key as a string (`u64` length and UTF-8 bytes), a `u32`
/// value type and the value.
public struct GGUFMetadata: Sendable, Equatable {
    /// The GGUF version.
    public var version: UInt32
    /// The number of tensors the file holds.
    public var tensorCount: UInt64
    /// Every `general.*` key with its value.
    public var general: [String: GGUFValue]

    /// `general.name`.
    public var name: String? { general["general.name"]?.text }
    /// `general.architecture` (`qwen2`, `llama`, …).
    public var architecture: String? { general["general.architecture"]?.text }
    /// `general.file_type`: llama.cpp's number for the dominant tensor type.
    public var fileType: Int? { general["general.file_type"]?.integer }
    /// The quantization `general.file_type` stands for (`Q4_K_M`, …), or the bare number when unknown.
    public var quantization: String? {
        fileType.map { Self.fileTypeNames[$0] ?? "file type \($0)" }
    }

    /// llama.cpp's `llama_ftype` values (4–6 and 33–35 are retired).
    static let fileTypeNames: [Int: String] = [
        0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
        12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K",
        19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL",
        26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16",
        36: "TQ1_0", 37: "TQ2_0",
    ]

    /// Reads the header of a GGUF file.
    public static func read(from url: URL) throws(GGUFError) -> GGUFMetadata {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw GGUFError(offset: 0, reason: "cannot open \(url.path): \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var reader = GGUFReader(handle: handle)
        return try parse(&reader)
    }

    /// Keys longer than this are not keys: the file is damaged.
    static let longestKey = 65_536
    /// A `general.*` string longer than this is not kept whole (a license text fits).
    static let longestKeptString = 1 << 20

    static func parse(_ reader: inout GGUFReader) throws(GGUFError) -> GGUFMetadata {
        let magic = try reader.bytes(4, for: "the magic number")
        guard magic == Array("GGUF".utf8) else {
            throw GGUFError(offset: 0, reason: "not a GGUF file (it starts with \(magic.map { String(format: "%02x", $0) }.joined()), not `GGUF`)")
        }
        let version: UInt32 = try reader.integer(for: "the version")
        guard version == 2 || version == 3 else {
            throw GGUFError(offset: 4, reason: "GGUF version \(version) is not supported (versions 2 and 3 are)")
        }
        let tensorCount: UInt64 = try reader.integer(for: "the tensor count")
        let keyCount: UInt64 = try reader.integer(for: "the key count")
        var general: [String: GGUFValue] = [:]
        for index in 0..<keyCount {
            let keyOffset = reader.offset
            let keyLength: UInt64 = try reader.integer(for: "the length of key \(index + 1)")
            guard keyLength <= longestKey else {
                throw GGUFError(offset: keyOffset, reason: "key \(index + 1) claims \(keyLength) bytes: the header is damaged")
            }
            let key = String(decoding: try reader.bytes(Int(keyLength), for: "key \(index + 1)"), as: UTF8.self)
            let type: UInt32 = try reader.integer(for: "the type of `\(key)`")
            if key.hasPrefix("general.") {
                general[key] = try value(of: type, key: key, from: &reader)
            } else {
                try skipValue(of: type, key: key, in: &reader)
            }
        }
        return GGUFMetadata(version: version, tensorCount: tensorCount, general: general)
    }

    private static func value(of type: UInt32, key: String, from reader: inout GGUFReader) throws(GGUFError) -> GGUFValue {
        let what = "`\(key)`"
        switch type {
        case 0: return .unsigned(UInt64(try reader.integer(for: what) as UInt8))
        case 1: return .signed(Int64(try reader.integer(for: what) as Int8))
        case 2: return .unsigned(UInt64(try reader.integer(for: what) as UInt16))
        case 3: return .signed(Int64(try reader.integer(for: what) as Int16))
        case 4: return .unsigned(UInt64(try reader.integer(for: what) as UInt32))
        case 5: return .signed(Int64(try reader.integer(for: what) as Int32))
        case 6: return .float(Double(Float(bitPattern: try reader.integer(for: what) as UInt32)))
        case 7: return .bool((try reader.integer(for: what) as UInt8) != 0)
        case 8: return .string(try string(key: key, from: &reader))
        case 9:
            let elementType: UInt32 = try reader.integer(for: "the element type of \(what)")
            let count: UInt64 = try reader.integer(for: "the length of \(what)")
            guard elementType != 9 else {
                throw GGUFError(offset: reader.offset, reason: "\(what) is an array of arrays, which GGUF metadata does not use")
            }
            var elements: [GGUFValue] = []
            for _ in 0..<count { elements.append(try value(of: elementType, key: key, from: &reader)) }
            return .array(elements)
        case 10: return .unsigned(try reader.integer(for: what) as UInt64)
        case 11: return .signed(try reader.integer(for: what) as Int64)
        case 12: return .float(Double(bitPattern: try reader.integer(for: what) as UInt64))
        default: throw GGUFError(offset: reader.offset, reason: "\(what) has the unknown value type \(type)")
        }
    }

    private static func string(key: String, from reader: inout GGUFReader) throws(GGUFError) -> String {
        let length: UInt64 = try reader.integer(for: "the length of `\(key)`")
        guard length <= longestKeptString else {
            try reader.skip(length, for: "`\(key)`")
            return "(\(length) bytes, not shown)"
        }
        return String(decoding: try reader.bytes(Int(length), for: "`\(key)`"), as: UTF8.self)
    }

    private static func skipValue(of type: UInt32, key: String, in reader: inout GGUFReader) throws(GGUFError) {
        switch type {
        case 8:
            let length: UInt64 = try reader.integer(for: "the length of `\(key)`")
            try reader.skip(length, for: "`\(key)`")
        case 9:
            let elementType: UInt32 = try reader.integer(for: "the element type of `\(key)`")
            let count: UInt64 = try reader.integer(for: "the length of `\(key)`")
            if let size = fixedSize(of: elementType) {
                let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
                guard !overflow else { throw GGUFError(offset: reader.offset, reason: "`\(key)` claims \(count) elements") }
                try reader.skip(bytes, for: "`\(key)`")
            } else if elementType == 8 {
                for _ in 0..<count {
                    let length: UInt64 = try reader.integer(for: "an element's length in `\(key)`")
                    try reader.skip(length, for: "an element of `\(key)`")
                }
            } else {
                throw GGUFError(offset: reader.offset, reason: "`\(key)` has the unsupported element type \(elementType)")
            }
        default:
            guard let size = fixedSize(of: type) else {
                throw GGUFError(offset: reader.offset, reason: "`\(key)` has the unknown value type \(type)")
            }
            try reader.skip(size, for: "`\(key)`")
        }
    }

    private static func fixedSize(of type: UInt32) -> UInt64? {
        switch type {
        case 0, 1, 7: 1
        case 2, 3: 2
        case 4, 5, 6: 4
        case 10, 11, 12: 8
        default: nil
        }
    }
}

/// A GGUF metadata value.
public enum GGUFValue: Sendable, Equatable {
    case unsigned(UInt64)
    case signed(Int64)
    case float(Double)
    case bool(Bool)
    case string(String)
    case array([GGUFValue])

    /// The value as text: strings as they are, numbers in decimal, arrays comma-separated.
    public var text: String {
        switch self {
        case .unsigned(let value): String(value)
        case .signed(let value): String(value)
        case .float(let value): String(value)
        case .bool(let value): String(value)
        case .string(let value): value
        case .array(let values): values.map(\.text).joined(separator: ", ")
        }
    }

    /// The value as an integer, if it is one.
    public var integer: Int? {
        switch self {
        case .unsigned(let value): Int(exactly: value)
        case .signed(let value): Int(exactly: value)
        default: nil
        }
    }
}

/// A GGUF header could not be read; says where and why.
public struct GGUFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset in the file.
    public var offset: UInt64
    /// What is wrong.
    public var reason: String

    /// `at byte N: reason`.
    public var description: String { "GGUF header, at byte \(offset): \(reason)" }
}

/// Reads a file front to back through a buffer; skipping past the buffer seeks.
struct GGUFReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    /// Bytes consumed so far.
    private(set) var offset: UInt64 = 0
    private static let chunk = 1 << 20

    init(handle: FileHandle) { self.handle = handle }

    mutating func bytes(_ count: Int, for what: String) throws(GGUFError) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            if position == buffer.count { try refill(for: what, missing: count - result.count) }
            let take = min(count - result.count, buffer.count - position)
            result.append(contentsOf: buffer[position..<(position + take)])
            position += take
        }
        offset += UInt64(count)
        return result
    }

    mutating func integer<Value: FixedWidthInteger>(for what: String) throws(GGUFError) -> Value {
        let raw = try bytes(MemoryLayout<Value>.size, for: what)
        return raw.reversed().reduce(Value(0)) { $0 << 8 | Value(truncatingIfNeeded: $1) }
    }

    mutating func skip(_ count: UInt64, for what: String) throws(GGUFError) {
        let inBuffer = UInt64(buffer.count - position)
        if count <= inBuffer {
            position += Int(count)
            offset += count
            return
        }
        let target = offset + count
        do {
            let end = try handle.seekToEnd()
            guard target <= end else {
                throw GGUFError(offset: offset, reason: "the file ends (at byte \(end)) inside \(what)")
            }
            try handle.seek(toOffset: target)
        } catch let error as GGUFError {
            throw error
        } catch {
            throw GGUFError(offset: offset, reason: "cannot read \(what): \(error.localizedDescription)")
        }
        buffer = []
        position = 0
        offset = target
    }

    private mutating func refill(for what: String, missing: Int) throws(GGUFError) {
        let data: Data?
        do {
            data = try handle.read(upToCount: Self.chunk)
        } catch {
            throw GGUFError(offset: offset, reason: "cannot read \(what): \(error.localizedDescription)")
        }
        guard let data, !data.isEmpty else {
            throw GGUFError(offset: offset, reason: "the file ends inside \(what) (\(missing) bytes missing)")
        }
        buffer = Array(data)
        position = 0
    }
}
