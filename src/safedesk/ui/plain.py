"""User and report text in Qt widgets that would otherwise guess it is HTML.

Tooltips, message boxes and labels treat text that looks like markup as rich text, so a collection
called "<img src=…>" would be drawn as an image. These helpers make such text always literal.
"""

from __future__ import annotations

from html import escape
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

Label = TypeVar("Label", bound=QLabel)


def tooltip(text: str) -> str:
    """A tooltip that shows `text` exactly as written (escaped inside explicit rich text)."""
    return f"<p>{escape(text)}</p>" if text else ""


def message(parent: QWidget | None, text: str, icon: QMessageBox.Icon) -> None:
    """A modal message box whose text is plain text, never markup."""
    box = QMessageBox(icon, "safedesk", text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def label(text: str = "", muted: bool = False) -> QLabel:
    """A word-wrapped label of plain text with no accessible name of its own (a screen reader
    reads what it shows). `muted`: the quieter colour (4.5:1 on a dialog's background in the
    app's palettes)."""
    return plain_label(QLabel(text), muted)


def plain_label(widget: Label, muted: bool = False) -> Label:
    """`widget` (a QLabel or a subclass) made plain text and word-wrapped; see `label`."""
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(True)
    if muted:
        widget.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return widget
