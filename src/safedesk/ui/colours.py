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
