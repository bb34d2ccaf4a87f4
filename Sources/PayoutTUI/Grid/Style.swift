/// A semantic colour role; a `Theme` decides what colour (if any) each role gets.
///
/// State is never shown by colour alone: code that uses `.ok`, `.warn` or `.bad`
/// also writes a word or glyph, so the monochrome theme loses nothing.
public enum ColorRole: String, Sendable, Hashable, CaseIterable {
    /// Ordinary text on the terminal's own background.
    case normal
    /// Emphasis that is not a state: the active pane title, key names in hints.
    case accent
    /// Settled, paid, healthy.
    case ok
    /// Pending, due soon, needs attention.
    case warn
    /// Late, short, held, failed.
    case bad
    /// Secondary text: timestamps, hints, placeholders.
    case muted
    /// Headers and column titles.
    case header
    /// The selected row.
    case selection
}

/// Text attributes that a terminal can draw without colour.
public struct TextAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let reverse = TextAttributes(rawValue: 1 << 1)
    public static let underline = TextAttributes(rawValue: 1 << 2)
    public static let dim = TextAttributes(rawValue: 1 << 3)
}

/// How a cell looks, in semantic terms: foreground and background roles plus attributes.
///
/// Styles say what a cell means ("bad", "selected"); the `Theme` in force turns that
/// into colour numbers and attributes when the grid is drawn.
public struct Style: Sendable, Hashable {
    /// The role whose colour the text takes.
    public var foreground: ColorRole
    /// The role whose colour the cell background takes.
    public var background: ColorRole
    /// Attributes asked for explicitly (the theme may add more for a role).
    public var attributes: TextAttributes

    /// Creates a style; the defaults are plain text.
    public init(foreground: ColorRole = .normal, background: ColorRole = .normal, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// Plain text: normal on normal, no attributes.
    public static let plain = Style()
    /// Accent text.
    public static let accent = Style(foreground: .accent)
    /// Text for a good state.
    public static let ok = Style(foreground: .ok)
    /// Text for a state that needs attention.
    public static let warn = Style(foreground: .warn)
    /// Text for a bad state.
    public static let bad = Style(foreground: .bad)
    /// Secondary text.
    public static let muted = Style(foreground: .muted)
    /// Header text.
    public static let header = Style(foreground: .header)
    /// A selected row.
    public static let selection = Style(foreground: .selection, background: .selection)

    /// True when bold is asked for.
    public var isBold: Bool { attributes.contains(.bold) }
    /// True when reverse video is asked for.
    public var isReverse: Bool { attributes.contains(.reverse) }
    /// True when underline is asked for.
    public var isUnderline: Bool { attributes.contains(.underline) }
    /// True when dim is asked for.
    public var isDim: Bool { attributes.contains(.dim) }

    /// This style with `attributes` added.
    public func with(_ attributes: TextAttributes) -> Style {
        var copy = self
        copy.attributes.formUnion(attributes)
        return copy
    }

    /// This style with bold added.
    public var bold: Style { with(.bold) }
    /// This style with reverse video added.
    public var reverse: Style { with(.reverse) }
    /// This style with underline added.
    public var underline: Style { with(.underline) }
    /// This style with dim added.
    public var dim: Style { with(.dim) }

    /// This style on the selection background (the foreground role is kept).
    public var selected: Style {
        var copy = self
        copy.background = .selection
        return copy
    }
}

/// A style resolved by a theme: terminal colour numbers and final attributes.
public struct ResolvedStyle: Sendable, Hashable {
    /// Foreground colour number; `Theme.defaultColor` (-1) is the terminal's own.
    public var foreground: Int
    /// Background colour number; `Theme.defaultColor` (-1) is the terminal's own.
    public var background: Int
    /// Attributes to draw with.
    public var attributes: TextAttributes

    /// Creates a resolved style.
    public init(foreground: Int, background: Int, attributes: TextAttributes) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// Maps colour roles to terminal colour numbers and attributes.
///
/// Colour numbers are the curses ones: 0 black, 1 red, 2 green, 3 yellow, 4 blue,
/// 5 magenta, 6 cyan, 7 white, -1 the terminal's default. `standard` uses only the
/// eight basic colours so it works on any colour terminal. `monochrome` (chosen when
/// `NO_COLOR` is set and non-empty, or the terminal has no colours) turns colour off
/// entirely and shows selection with reverse video.
public struct Theme: Sendable, Hashable {
    /// The terminal's default colour.
    public static let defaultColor = -1

    /// A short name for diagnostics ("standard", "monochrome").
    public var name: String
    /// False when the theme draws no colour at all; backends then skip colour setup.
    public var usesColor: Bool
    /// Foreground colour per role; roles not listed use `defaultColor`.
    public var foregrounds: [ColorRole: Int]
    /// Background colour per role; roles not listed use `defaultColor`.
    public var backgrounds: [ColorRole: Int]
    /// Attributes added whenever a role is used as foreground or background.
    public var roleAttributes: [ColorRole: TextAttributes]

    /// Creates a theme.
    public init(
        name: String,
        usesColor: Bool,
        foregrounds: [ColorRole: Int] = [:],
        backgrounds: [ColorRole: Int] = [:],
        roleAttributes: [ColorRole: TextAttributes] = [:]
    ) {
        self.name = name
        self.usesColor = usesColor
        self.foregrounds = foregrounds
        self.backgrounds = backgrounds
        self.roleAttributes = roleAttributes
    }

    /// The colour theme: eight basic colours on the terminal's own background.
    public static let standard = Theme(
        name: "standard",
        usesColor: true,
        foregrounds: [
            .accent: 6,  // cyan
            .ok: 2,  // green
            .warn: 3,  // yellow
            .bad: 1,  // red
            .header: 6,  // cyan
            .selection: 7,  // white
        ],
        backgrounds: [
            .selection: 4  // blue
        ],
        roleAttributes: [
            .header: .bold,
            .muted: .dim,
            .bad: .bold,
        ]
    )

    /// No colour at all: selection in reverse video, headers bold, muted text dim.
    public static let monochrome = Theme(
        name: "monochrome",
        usesColor: false,
        roleAttributes: [
            .selection: .reverse,
            .header: .bold,
            .muted: .dim,
            .bad: .bold,
        ]
    )

    /// True when `NO_COLOR` is present in `environment` with a non-empty value.
    public static func noColorRequested(in environment: [String: String]) -> Bool {
        guard let value = environment["NO_COLOR"] else { return false }
        return !value.isEmpty
    }

    /// `monochrome` when `NO_COLOR` asks for it, otherwise `preferred`.
    public static func forEnvironment(_ environment: [String: String], preferred: Theme = .standard) -> Theme {
        noColorRequested(in: environment) ? .monochrome : preferred
    }

    /// Colour numbers and attributes for `style` under this theme.
    ///
    /// Without colour both colours are `defaultColor`, and the explicit attributes are
    /// combined with the roles' attributes (so selection still shows, by reverse video).
    public func resolve(_ style: Style) -> ResolvedStyle {
        var attributes = style.attributes
        if let extra = roleAttributes[style.foreground] { attributes.formUnion(extra) }
        if style.background != style.foreground, let extra = roleAttributes[style.background] {
            attributes.formUnion(extra)
        }
        guard usesColor else {
            return ResolvedStyle(foreground: Theme.defaultColor, background: Theme.defaultColor, attributes: attributes)
        }
        return ResolvedStyle(
            foreground: foregrounds[style.foreground] ?? Theme.defaultColor,
            background: backgrounds[style.background] ?? Theme.defaultColor,
            attributes: attributes
        )
    }
}
