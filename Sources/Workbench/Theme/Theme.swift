public import TerminalUI

/// How one role looks, as written in a theme: colours by palette name or literal, and attributes.
///
/// Every field is optional so a theme that extends another changes only what it names.
public struct RoleSpec: Sendable, Equatable {
    /// Foreground: a palette name or a colour.
    public var foreground: String?
    /// Background: a palette name or a colour.
    public var background: String?
    /// Bold.
    public var bold: Bool?
    /// Dim.
    public var dim: Bool?
    /// Italic.
    public var italic: Bool?
    /// Underline.
    public var underline: Bool?
    /// Reverse video.
    public var reverse: Bool?

    /// Creates a role spec.
    public init(foreground: String? = nil, background: String? = nil, bold: Bool? = nil, dim: Bool? = nil,
                italic: Bool? = nil, underline: Bool? = nil, reverse: Bool? = nil) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.italic = italic
        self.underline = underline
        self.reverse = reverse
    }

    /// This spec with another's set fields laid over it.
    func overlaid(with other: RoleSpec) -> RoleSpec {
        RoleSpec(foreground: other.foreground ?? foreground, background: other.background ?? background,
                 bold: other.bold ?? bold, dim: other.dim ?? dim, italic: other.italic ?? italic,
                 underline: other.underline ?? underline, reverse: other.reverse ?? reverse)
    }
}

/// A resolved theme: a palette of named colours and a style for every role.
///
/// Roles are dotted names (`plan.step.done`); asking for a role that has no entry falls back to its
/// parent (`plan.step`, then `plan`), and finally to `text`.
public struct Theme: Sendable, Equatable {
    /// The theme's name.
    public var name: String
    /// Named colours.
    public var palette: [String: Color]
    /// Role specs after inheritance.
    public var roles: [String: RoleSpec]
    private var resolved: [String: Style]

    /// Creates a theme, resolving every role's colours against the palette.
    public init(name: String, palette: [String: Color], roles: [String: RoleSpec]) {
        self.name = name
        self.palette = palette
        self.roles = roles
        var resolved: [String: Style] = [:]
        for (role, spec) in roles { resolved[role] = Self.style(for: spec, palette: palette) }
        self.resolved = resolved
    }

    /// The style for a role, falling back through parent roles to `text`.
    public func style(_ role: String) -> Style {
        var name = Substring(role)
        while true {
            if let style = resolved[String(name)] { return style }
            guard let dot = name.lastIndex(of: ".") else { break }
            name = name[..<dot]
        }
        return resolved["text"] ?? .plain
    }

    /// The built-in theme used when no theme file can be read: terminal default colours and ANSI accents.
    public static let fallback = Theme(name: "fallback", palette: ThemeRoles.basePalette, roles: ThemeRoles.defaults)

    private static func style(for spec: RoleSpec, palette: [String: Color]) -> Style {
        func color(_ name: String?) -> Color {
            guard let name else { return .default }
            return palette[name] ?? ColorSpec.parse(name) ?? .default
        }
        var attributes: TextAttributes = []
        if spec.bold == true { attributes.insert(.bold) }
        if spec.dim == true { attributes.insert(.dim) }
        if spec.italic == true { attributes.insert(.italic) }
        if spec.underline == true { attributes.insert(.underline) }
        if spec.reverse == true { attributes.insert(.reverse) }
        return Style(foreground: color(spec.foreground), background: color(spec.background), attributes: attributes)
    }
}
