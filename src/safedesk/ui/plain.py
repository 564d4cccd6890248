"""User and report text in Qt widgets that would otherwise guess it is HTML.

Tooltips, message boxes and labels treat text that looks like markup as rich text, so a collection
called "<img src=…>" would be drawn as an image. These helpers make such text always literal.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def tooltip(text: str) -> str:
    """A tooltip that shows `text` exactly as written (escaped inside explicit rich text)."""
    return f"<p>{escape(text)}</p>" if text else ""


def message(parent: QWidget | None, text: str, icon: QMessageBox.Icon) -> None:
    """A modal message box whose text is plain text, never markup."""
    box = QMessageBox(icon, "safedesk", text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
