import Foundation
import WandTestSupport

// libFuzzer's entry points. `Fuzz/run.sh` builds this with `-sanitize=fuzzer`, which links libFuzzer's
// own `main`; the target to fuzz is named by WAND_FUZZ_TARGET, so one build serves every parser.

/// The target this process fuzzes, read once from the environment.
let fuzzTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["WAND_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("wand-fuzz: set WAND_FUZZ_TARGET to one of \(names) (it was `\(name)`)\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    _ = fuzzTarget
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let problems = fuzzTarget.problems(in: input)
    if !problems.isEmpty {
        // A trap is what libFuzzer records as a crash, saving this input for the regression tests.
        fatalError("\(fuzzTarget.rawValue): " + problems.joined(separator: "\n"))
    }
    return 0
}
