"""Colours derived from the current palette, so that light and dark themes both read well."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """`a` moved `amount` of the way towards `b`."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def quiet_text(palette: QPalette, selected: bool = False) -> QColor:
    """Secondary text (where an item comes from): the text colour softened towards the page."""
    if selected:
        text = palette.color(QPalette.ColorRole.HighlightedText)
        return mix(text, palette.color(QPalette.ColorRole.Highlight), 0.2)
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.4)


def search_mark(palette: QPalette) -> QColor:
    """Behind a searched word: the highlight colour softened towards the page."""
    return mix(
        palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Highlight), 0.35
    )


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance (0 black, 1 white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.red())
        + 0.7152 * linear(colour.green())
        + 0.0722 * linear(colour.blue())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1 to 21; text needs 4.5 for AA)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
