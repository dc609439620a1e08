public import TerminalUI

/// The roles the workbench draws with, and their defaults in terms of palette names.
///
/// Theme files set palette colours and may override any of these roles; a role not listed here is
/// reported as unknown.
public enum ThemeRoles {
    /// Palette names every theme has, with the terminal's own colours as defaults.
    public static let basePalette: [String: Color] = [
        "foreground": .default, "background": .default, "surface": .indexed(0), "on-surface": .indexed(7),
        "muted": .indexed(8), "accent": .indexed(4), "accent-alt": .indexed(6), "success": .indexed(2),
        "warning": .indexed(3), "error": .indexed(1), "keyword": .indexed(5), "string": .indexed(2),
        "number": .indexed(3), "comment": .indexed(8), "function": .indexed(4), "builtin": .indexed(6),
    ]

    /// Every known role and its default spec.
    public static let defaults: [String: RoleSpec] = [
        "text": RoleSpec(foreground: "foreground", background: "background"),
        "text.muted": RoleSpec(foreground: "muted", background: "background"),
        "pane.border": RoleSpec(foreground: "muted", background: "background"),
        "pane.border.focused": RoleSpec(foreground: "accent", background: "background", bold: true),
        "pane.title": RoleSpec(foreground: "foreground", background: "background", bold: true),
        "pane.title.focused": RoleSpec(foreground: "accent", background: "background", bold: true, reverse: false),
        "pane.footer": RoleSpec(foreground: "muted", background: "background"),
        "status": RoleSpec(foreground: "on-surface", background: "surface"),
        "status.label": RoleSpec(foreground: "on-surface", background: "surface", dim: true),
        "status.value": RoleSpec(foreground: "on-surface", background: "surface", bold: true),
        "status.key": RoleSpec(foreground: "accent", background: "surface", bold: true),
        "status.warning": RoleSpec(foreground: "warning", background: "surface", bold: true),
        "status.error": RoleSpec(foreground: "error", background: "surface", bold: true),
        "plan.step.pending": RoleSpec(foreground: "muted", background: "background"),
        "plan.step.active": RoleSpec(foreground: "accent", background: "background", bold: true),
        "plan.step.done": RoleSpec(foreground: "success", background: "background"),
        "plan.step.failed": RoleSpec(foreground: "error", background: "background", bold: true),
        "plan.step.skipped": RoleSpec(foreground: "muted", background: "background", dim: true),
        "plan.heading": RoleSpec(foreground: "foreground", background: "background", bold: true),
        "plan.answer": RoleSpec(foreground: "success", background: "background", bold: true),
        "plan.status.failed": RoleSpec(foreground: "error", background: "background", bold: true),
        "code.text": RoleSpec(foreground: "foreground", background: "background"),
        "code.keyword": RoleSpec(foreground: "keyword", background: "background", bold: true),
        "code.string": RoleSpec(foreground: "string", background: "background"),
        "code.number": RoleSpec(foreground: "number", background: "background"),
        "code.comment": RoleSpec(foreground: "comment", background: "background", italic: true),
        "code.function": RoleSpec(foreground: "function", background: "background"),
        "code.builtin": RoleSpec(foreground: "builtin", background: "background"),
        "code.decorator": RoleSpec(foreground: "accent-alt", background: "background"),
        "code.variable": RoleSpec(foreground: "accent-alt", background: "background"),
        "code.line-number": RoleSpec(foreground: "muted", background: "background"),
        "code.streaming": RoleSpec(foreground: "foreground", background: "background", italic: true),
        "code.thought": RoleSpec(foreground: "foreground", background: "background", italic: true),
        "output.stdout": RoleSpec(foreground: "foreground", background: "background"),
        "output.stderr": RoleSpec(foreground: "error", background: "background"),
        "output.marker": RoleSpec(foreground: "error", background: "background", bold: true),
        "output.value": RoleSpec(foreground: "accent", background: "background"),
        "output.file": RoleSpec(foreground: "accent-alt", background: "background"),
        "output.status.ok": RoleSpec(foreground: "success", background: "background", bold: true),
        "output.status.error": RoleSpec(foreground: "error", background: "background", bold: true),
        "output.status.running": RoleSpec(foreground: "warning", background: "background", bold: true),
        "prompt.text": RoleSpec(foreground: "foreground", background: "background"),
        "prompt.placeholder": RoleSpec(foreground: "muted", background: "background", italic: true),
        "prompt.hint": RoleSpec(foreground: "muted", background: "background"),
        "prompt.error": RoleSpec(foreground: "error", background: "background", bold: true),
        "overlay.border": RoleSpec(foreground: "accent", background: "background", bold: true),
        "overlay.text": RoleSpec(foreground: "foreground", background: "background"),
        "overlay.heading": RoleSpec(foreground: "accent", background: "background", bold: true),
        "overlay.key": RoleSpec(foreground: "accent-alt", background: "background", bold: true),
        "overlay.selected": RoleSpec(foreground: "foreground", background: "background", bold: true, reverse: true),
        "overlay.muted": RoleSpec(foreground: "muted", background: "background"),
        "notice.info": RoleSpec(foreground: "accent", background: "background"),
        "notice.warning": RoleSpec(foreground: "warning", background: "background", bold: true),
        "notice.error": RoleSpec(foreground: "error", background: "background", bold: true),
    ]
}
