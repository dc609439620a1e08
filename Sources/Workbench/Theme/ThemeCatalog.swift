public import Foundation
public import WandEngine
import TerminalUI

/// The themes Wand can use: theme files (`*.toml`) from the bundled `Themes/` directory and the
/// user's theme directory, with `extends` resolved.
public struct ThemeCatalog: Sendable {
    /// Themes by name.
    public private(set) var themes: [String: Theme] = [:]
    /// Files that could not be used, each naming the file and line.
    public private(set) var problems: [ConfigFileError] = []

    /// Theme names, sorted, with the defaults first.
    public var names: [String] {
        let preferred = ["dark", "light", "high-contrast"]
        return preferred.filter { themes[$0] != nil } + themes.keys.filter { !preferred.contains($0) }.sorted()
    }

    private static let topLevelKeys: Set<String> = ["name", "extends", "description", "palette", "roles"]
    private static let roleKeys: Set<String> = ["fg", "bg", "bold", "dim", "italic", "underline", "reverse"]

    /// Loads every theme file from the directories, later directories overriding earlier ones by name.
    public init(directories: [URL]) {
        var documents: [String: TOMLDocument] = [:]
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
            for file in files.filter({ $0.pathExtension == "toml" }).sorted(by: { $0.path < $1.path }) {
                do {
                    let document = try TOMLDocument(contentsOf: file)
                    let name = document.root["name"]?.string ?? file.deletingPathExtension().lastPathComponent
                    documents[name] = document
                } catch {
                    problems.append(error)
                }
            }
        }
        var resolving: Set<String> = []
        for name in documents.keys.sorted() {
            resolve(name, documents: documents, resolving: &resolving)
        }
    }

    /// Parses one theme file's text on top of the built-in defaults (no `extends` lookup); for tests and checks.
    public static func parse(source: String, file: String) throws(ConfigFileError) -> Theme {
        let document = try TOMLDocument(source: source, file: file)
        let name = document.root["name"]?.string ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        var palette = ThemeRoles.basePalette
        var roles = ThemeRoles.defaults
        try apply(document, palette: &palette, roles: &roles)
        return Theme(name: name, palette: palette, roles: roles)
    }

    /// A theme by name, or an error listing the available names.
    public func theme(named name: String) throws(ConfigFileError) -> Theme {
        guard let theme = themes[name] else {
            throw ConfigFileError(file: "--theme", line: nil,
                                  message: "no theme named `\(name)`; available: \(names.joined(separator: ", "))")
        }
        return theme
    }

    @discardableResult
    private mutating func resolve(_ name: String, documents: [String: TOMLDocument], resolving: inout Set<String>) -> Theme? {
        if let done = themes[name] { return done }
        guard let document = documents[name] else { return nil }
        guard !resolving.contains(name) else {
            problems.append(document.error(at: ["extends"], "`extends` forms a cycle through `\(name)`"))
            return nil
        }
        resolving.insert(name)
        defer { resolving.remove(name) }
        var palette = ThemeRoles.basePalette
        var roles = ThemeRoles.defaults
        if let parentName = document.root["extends"]?.string {
            guard let parent = resolve(parentName, documents: documents, resolving: &resolving) else {
                if documents[parentName] == nil {
                    problems.append(document.error(at: ["extends"], "extends unknown theme `\(parentName)`"))
                }
                return nil
            }
            palette = parent.palette
            roles = parent.roles
        }
        do {
            try Self.apply(document, palette: &palette, roles: &roles)
        } catch {
            problems.append(error)
            return nil
        }
        let theme = Theme(name: name, palette: palette, roles: roles)
        themes[name] = theme
        return theme
    }

    private static func apply(_ document: TOMLDocument, palette: inout [String: Color],
                              roles: inout [String: RoleSpec]) throws(ConfigFileError) {
        for key in document.root.keys.sorted() where !topLevelKeys.contains(key) {
            throw document.error(at: [key], "unknown key `\(key)`; a theme has \(topLevelKeys.sorted().joined(separator: ", "))")
        }
        for key in ["name", "extends", "description"] {
            if let value = document.root[key], value.string == nil {
                throw document.error(at: [key], "`\(key)` must be a string, not a \(value.typeName)")
            }
        }
        if let paletteNode = document.root["palette"] {
            guard let table = paletteNode.table else {
                throw document.error(at: ["palette"], "`palette` must be a table of colours")
            }
            for (name, value) in table.sorted(by: { $0.key < $1.key }) {
                guard let text = value.string, let color = ColorSpec.parse(text) ?? palette[text] else {
                    throw document.error(at: ["palette", name],
                                         "palette colour `\(name)` is not a colour (use #rrggbb, an ANSI name, 0–255 or default)")
                }
                palette[name] = color
            }
        }
        if let rolesNode = document.root["roles"] {
            guard let table = rolesNode.table else {
                throw document.error(at: ["roles"], "`roles` must be a table")
            }
            for (role, value) in table.sorted(by: { $0.key < $1.key }) {
                guard ThemeRoles.defaults[role] != nil else {
                    throw document.error(at: ["roles", role], "unknown role `\(role)`")
                }
                let spec = try roleSpec(value, role: role, document: document, palette: palette)
                roles[role] = (roles[role] ?? RoleSpec()).overlaid(with: spec)
            }
        }
    }

    private static func roleSpec(_ node: TOMLNode, role: String, document: TOMLDocument,
                                 palette: [String: Color]) throws(ConfigFileError) -> RoleSpec {
        if let text = node.string {
            guard palette[text] != nil || ColorSpec.parse(text) != nil else {
                throw document.error(at: ["roles", role], "`\(text)` is neither a palette name nor a colour")
            }
            return RoleSpec(foreground: text)
        }
        guard let table = node.table else {
            throw document.error(at: ["roles", role], "role `\(role)` must be a colour or a table like { fg = \"accent\", bold = true }")
        }
        for key in table.keys.sorted() where !roleKeys.contains(key) {
            throw document.error(at: ["roles", role, key],
                                 "unknown key `\(key)` in role `\(role)`; use \(roleKeys.sorted().joined(separator: ", "))")
        }
        var spec = RoleSpec()
        for (key, value) in table {
            switch key {
            case "fg", "bg":
                guard let text = value.string, palette[text] != nil || ColorSpec.parse(text) != nil else {
                    throw document.error(at: ["roles", role, key],
                                         "`\(key)` of role `\(role)` is neither a palette name nor a colour")
                }
                if key == "fg" { spec.foreground = text } else { spec.background = text }
            default:
                guard let flag = value.boolean else {
                    throw document.error(at: ["roles", role, key], "`\(key)` of role `\(role)` must be true or false")
                }
                switch key {
                case "bold": spec.bold = flag
                case "dim": spec.dim = flag
                case "italic": spec.italic = flag
                case "underline": spec.underline = flag
                default: spec.reverse = flag
                }
            }
        }
        return spec
    }
}
