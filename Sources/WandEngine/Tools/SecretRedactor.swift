import Foundation

/// Replaces configured secrets (stdio servers' `env` values, HTTP header values) in any text Wand
/// reports about a server: errors, a server's stderr, `wand tools`.
///
/// Values shorter than ``minimumLength`` are left alone: they cannot be meaningful secrets, and
/// replacing `1` or `yes` everywhere would garble every message.
public struct SecretRedactor: Sendable, Equatable {
    /// The secrets, longest first (so a secret containing another is replaced whole).
    private let secrets: [String]

    /// The shortest value treated as a secret.
    public static let minimumLength = 4
    /// What a secret becomes.
    public static let mask = "‹redacted›"

    /// Creates a redactor for the given values.
    public init(secrets: some Sequence<String>) {
        self.secrets = Set(secrets.filter { $0.count >= Self.minimumLength }).sorted { $0.count > $1.count }
    }

    /// The text with every secret replaced by ``mask``.
    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: Self.mask)
        }
        return result
    }
}
