import Foundation
import Testing
@testable import WandEngine
import WandTestSupport

/// A GGUF header written byte by byte, little-endian, as llama.cpp's writer lays it out.
struct GGUFBytes {
    var bytes: [UInt8] = []

    mutating func u32(_ value: UInt32) { bytes += withUnsafeBytes(of: value.littleEndian, Array.init) }
    mutating func u64(_ value: UInt64) { bytes += withUnsafeBytes(of: value.littleEndian, Array.init) }
    mutating func string(_ text: String) {
        u64(UInt64(text.utf8.count))
        bytes += Array(text.utf8)
    }

    mutating func key(_ name: String, type: UInt32) {
        string(name)
        u32(type)
    }

    /// A small model's header: general keys between tokenizer and hyperparameter keys, which are skipped.
    static func fixture(version: UInt32 = 3) -> [UInt8] {
        var gguf = GGUFBytes()
        gguf.bytes = Array("GGUF".utf8)
        gguf.u32(version)
        gguf.u64(291)
        gguf.u64(8)
        gguf.key("general.architecture", type: 8)
        gguf.string("qwen2")
        gguf.key("qwen2.context_length", type: 4)
        gguf.u32(32_768)
        gguf.key("general.name", type: 8)
        gguf.string("Tiny Coder Instruct")
        gguf.key("tokenizer.ggml.tokens", type: 9)
        gguf.u32(8)
        gguf.u64(3)
        for token in ["a", "bc", "<|im_end|>"] { gguf.string(token) }
        gguf.key("tokenizer.ggml.token_type", type: 9)
        gguf.u32(5)
        gguf.u64(3)
        for type in [1, 1, 3] as [UInt32] { gguf.u32(type) }
        gguf.key("general.file_type", type: 4)
        gguf.u32(15)
        gguf.key("general.tags", type: 9)
        gguf.u32(8)
        gguf.u64(2)
        gguf.string("code")
        gguf.string("chat")
        gguf.key("qwen2.rope.freq_base", type: 6)
        gguf.u32(Float(1_000_000).bitPattern)
        return gguf.bytes
    }
}

@Suite("Model provenance")
struct ModelProvenanceTests {
    static func write(_ bytes: [UInt8], _ name: String) throws -> URL {
        let url = try FixtureSessions.temporaryDirectory("gguf").appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    @Test("the GGUF header reader keeps the general keys and skips the others")
    func readsGeneralKeys() throws {
        let metadata = try GGUFMetadata.read(from: Self.write(GGUFBytes.fixture(), "tiny.gguf"))
        #expect(metadata.version == 3)
        #expect(metadata.tensorCount == 291)
        #expect(metadata.name == "Tiny Coder Instruct")
        #expect(metadata.architecture == "qwen2")
        #expect(metadata.fileType == 15)
        #expect(metadata.quantization == "Q4_K_M")
        #expect(metadata.general["general.tags"] == .array([.string("code"), .string("chat")]))
        #expect(Set(metadata.general.keys) == ["general.architecture", "general.name", "general.file_type", "general.tags"])
    }

    @Test("a damaged or foreign file is refused with where and why, at every length it could be cut to")
    func damagedHeaders() throws {
        let bytes = GGUFBytes.fixture()
        for length in 0..<bytes.count {
            #expect(throws: GGUFError.self, "cut to \(length) bytes") {
                try GGUFMetadata.read(from: Self.write(Array(bytes.prefix(length)), "cut.gguf"))
            }
        }
        #expect(throws: GGUFError(offset: 0, reason: "not a GGUF file (it starts with 7f454c46, not `GGUF`)")) {
            try GGUFMetadata.read(from: Self.write([0x7F, 0x45, 0x4C, 0x46] + bytes.dropFirst(4), "elf.gguf"))
        }
        #expect(throws: GGUFError(offset: 4, reason: "GGUF version 1 is not supported (versions 2 and 3 are)")) {
            try GGUFMetadata.read(from: Self.write(GGUFBytes.fixture(version: 1), "old.gguf"))
        }
        var unknownType = GGUFBytes()
        unknownType.bytes = Array("GGUF".utf8)
        unknownType.u32(3)
        unknownType.u64(0)
        unknownType.u64(1)
        unknownType.key("general.odd", type: 13)
        do {
            _ = try GGUFMetadata.read(from: Self.write(unknownType.bytes, "odd.gguf"))
            Issue.record("an unknown value type was accepted")
        } catch {
            #expect("\(error)".hasSuffix("`general.odd` has the unknown value type 13"))
        }
    }

    @Test("the embedded model's header names Qwen2.5-Coder, architecture qwen2, quantization Q4_K_M", .requires(.model))
    func embeddedModelHeader() throws {
        let metadata = try GGUFMetadata.read(from: Requirement.modelLayout.modelFile)
        #expect(metadata.architecture == "qwen2")
        #expect(metadata.quantization == "Q4_K_M")
        #expect(metadata.name?.localizedCaseInsensitiveContains("coder") == true, "\(metadata.name ?? "no name")")
    }
}
