"""A rich-text view that reads as a document to a screen reader and to the keyboard: a caret that
arrow keys and Page Down move, links reached with Tab and followed with Enter, a focus ring, and
the accessible document of `document_accessible.py` (headings, links, images, tables).

The reading pane and the guide are DocumentViews; links are followed by whoever connects
`anchorClicked` (a click, Enter on a highlighted link and a screen reader's Press all emit it).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAccessibleInterface, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

from safedesk.ui import accessibility
from safedesk.ui.focus_ring import FocusRing


class DocumentView(QTextBrowser):
    link_highlight_changed = Signal()  # Tab or Shift+Tab moved the highlight onto or off a link

    def __init__(self, parent: QWidget | None = None) -> None:
        accessibility.register(DocumentView, _accessible)
        super().__init__(parent)
        self.setOpenLinks(False)  # the owner follows links (anchorClicked)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard  # a caret that keys move
        )
        self.focus_ring = FocusRing(self)

    def focusNextPrevChild(self, next: bool) -> bool:
        # QTextBrowser moves its link highlight here without any signal: say so ourselves
        moved = super().focusNextPrevChild(next)
        self.link_highlight_changed.emit()
        return moved

    def follow(self, href: str) -> None:
        """Follow a link as a click on it does."""
        self.anchorClicked.emit(QUrl(href))

    def select_range(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)


def _accessible(view: DocumentView) -> QAccessibleInterface:
    from safedesk.ui.document_accessible import DocumentAccessible

    return DocumentAccessible(view)
