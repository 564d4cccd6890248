"""Under the reading pane: bookmark the item, and a note that saves as you type (no Save button)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from safedesk.errors import LibraryError
from safedesk.library import Library
from safedesk.ui.notice import Notice

log = logging.getLogger(__name__)
SAVE_DELAY_MS = 500


class NotePanel(QWidget):
    """Typing a note bookmarks the item; each change is on disk half a second after typing stops."""

    changed = Signal()  # a bookmark was added, changed or removed

    def __init__(self) -> None:
        super().__init__()
        self.library: Library | None = None
        self.key: str | None = None
        self._loading = False
        self.toggle = QPushButton("☆ Bookmark")
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName("Bookmark this item")
        self.toggle.toggled.connect(self._toggled)
        self.tags = QLineEdit(placeholderText="Tags, separated by commas")
        self.tags.setAccessibleName("Tags")
        self.note = QPlainTextEdit(placeholderText="Your note: saved as you type")
        self.note.setAccessibleName("Your note")
        self.note.setTabChangesFocus(True)
        self.status = Notice()  # "Saved", "Bookmarked": said to screen-reader users as shown
        self.timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save)
        self.note.textChanged.connect(self._edited)
        self.tags.textEdited.connect(self._edited)
        top = QHBoxLayout()
        top.addWidget(self.toggle)
        top.addWidget(self.tags, 1)
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.note)
        self.setEnabled(False)

    def show_item(self, library: Library, key: str | None) -> None:
        self.save()  # never lose what was typed for the previous item
        self.library, self.key = library, key
        self._loading = True
        mark = library.bookmarked(key) if key else None
        self.toggle.setChecked(mark is not None)
        self._label()
        self.note.setPlainText(mark.note if mark else "")
        self.tags.setText(", ".join(mark.tags) if mark else "")
        self.status.setText("")
        self._loading = False
        self.setEnabled(key is not None)

    def _edited(self) -> None:
        if not self._loading:
            self.status.setText("…")
            self.timer.start()

    def save(self) -> None:
        """Write the note and tags now (called by the timer, on leaving an item, and on close)."""
        self.timer.stop()
        if self._loading or self.library is None or self.key is None:
            return
        note = self.note.toPlainText()
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        marked = self.library.bookmarked(self.key)
        if marked is None and not note.strip() and not tags:
            return
        if marked is not None and marked.note == note and marked.tags == tags:
            return
        try:
            self.library.bookmark(self.key, note=note, tags=tags, replace_tags=True)
        except LibraryError as exc:
            self.status.say(f"Not saved: {exc}")
            log.error("could not save the note on %s: %s", self.key, exc)
            return
        self._loading = True
        self.toggle.setChecked(True)
        self._loading = False
        self._label()
        self.status.say("Saved")
        self.changed.emit()

    def _toggled(self, on: bool) -> None:
        self._label()
        if self._loading or self.library is None or self.key is None:
            return
        if on:
            self.library.bookmark(self.key)
            self.status.say("Bookmarked")
        else:
            self.save()
            if self.library.bookmarked(self.key) is not None:
                self.library.unbookmark(self.key)
            self.status.say("Removed (in the Trash)")
        self.changed.emit()

    def _label(self) -> None:
        self.toggle.setText("★ Bookmarked" if self.toggle.isChecked() else "☆ Bookmark")
