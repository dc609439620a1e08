extension StringProtocol {
    /// The lines of text from a file, a model or a program, split at LF or CRLF, without their ends.
    ///
    /// `split(separator: "\n")` is not enough: Swift reads `"\r\n"` as one Character, which never equals
    /// `"\n"`, so text with CRLF line ends came out as a single line.
    func lines() -> [SubSequence] {
        split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }
}
