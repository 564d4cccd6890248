"""The app's own light and dark palettes: Qt's Fusion colours, with the roles that failed WCAG AA
changed so that every text reaches 4.5:1 on what it is drawn on.

Fusion's defaults fail: white on the #308cc6 highlight is 3.7:1 (3.2:1 in the dark palette), the
quieter line of a selected row 2.9:1, placeholders (half-transparent text) 4.0:1, and a visited link
(#ff00ff) 3.1:1. `tests/ui/test_accessibility.py` checks every pair below from these colours.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from safedesk.ui.colours import mix

R = QPalette.ColorRole

LIGHT: dict[QPalette.ColorRole, str] = {
    R.Window: "#efefef", R.WindowText: "#000000", R.Base: "#ffffff", R.AlternateBase: "#f7f7f7",
    R.Text: "#000000", R.Button: "#efefef", R.ButtonText: "#000000", R.BrightText: "#ffffff",
    R.ToolTipBase: "#ffffdc", R.ToolTipText: "#000000",
    R.Light: "#ffffff", R.Midlight: "#cacaca", R.Mid: "#b8b8b8", R.Dark: "#9f9f9f",
    R.Shadow: "#767676",
    R.Highlight: "#1f5b81", R.HighlightedText: "#ffffff",  # Fusion's #308cc6: 3.7:1
    R.PlaceholderText: "#656565",  # on Base and on Window (hints in dialogs use it too)
    R.Link: "#0000ff", R.LinkVisited: "#800080",
}  # fmt: skip

DARK: dict[QPalette.ColorRole, str] = {
    R.Window: "#323232", R.WindowText: "#f0f0f0", R.Base: "#242424", R.AlternateBase: "#2c2c2c",
    R.Text: "#f0f0f0", R.Button: "#323232", R.ButtonText: "#f0f0f0", R.BrightText: "#000000",
    R.ToolTipBase: "#3c3c3c", R.ToolTipText: "#f0f0f0",
    R.Light: "#505050", R.Midlight: "#424242", R.Mid: "#2a2a2a", R.Dark: "#1e1e1e",
    R.Shadow: "#141414",
    R.Highlight: "#5b9bd5", R.HighlightedText: "#000000",  # a light highlight: dark text on it
    R.PlaceholderText: "#a4a4a4",
    R.Link: "#7cb4e8", R.LinkVisited: "#b69ce0",
}  # fmt: skip

# what each text role is drawn on, for the checks (and for anyone changing a colour)
TEXT_ON: tuple[tuple[QPalette.ColorRole, QPalette.ColorRole], ...] = (
    (R.WindowText, R.Window), (R.Text, R.Base), (R.Text, R.AlternateBase),
    (R.ButtonText, R.Button), (R.ToolTipText, R.ToolTipBase),
    (R.HighlightedText, R.Highlight), (R.PlaceholderText, R.Base),
    (R.PlaceholderText, R.AlternateBase), (R.PlaceholderText, R.Window),
    (R.Link, R.Base), (R.LinkVisited, R.Base),
)  # fmt: skip
TEXT_ROLES = (R.WindowText, R.Text, R.ButtonText, R.PlaceholderText)
DISABLED_DIMMING = 0.55  # disabled text, part of the way to its background (WCAG exempts it)


def palette(dark: bool) -> QPalette:
    """The app's palette for a light or a dark colour scheme."""
    colours = DARK if dark else LIGHT
    result = QPalette()
    for role, colour in colours.items():
        result.setColor(role, QColor(colour))
    result.setColor(R.Accent, QColor(colours[R.Highlight]))
    disabled = QPalette.ColorGroup.Disabled
    for role, background in ((R.WindowText, R.Window), (R.Text, R.Base), (R.ButtonText, R.Button)):
        dimmed = mix(QColor(colours[role]), QColor(colours[background]), DISABLED_DIMMING)
        result.setColor(disabled, role, dimmed)
    result.setColor(disabled, R.Highlight, QColor(colours[R.Mid]))
    return result


def is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply(app: QGuiApplication) -> None:
    """Give the app the palette for the system's colour scheme, now and whenever it changes."""
    app.setPalette(palette(is_dark()))
    if not app.property("safedesk-palette"):
        app.setProperty("safedesk-palette", True)
        QGuiApplication.styleHints().colorSchemeChanged.connect(
            lambda scheme: app.setPalette(palette(scheme == Qt.ColorScheme.Dark))
        )
