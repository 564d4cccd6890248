"""Under the reading pane: bookmark the item, and a note that saves as you type (no Save button).

The panel writes only what the user changed, and never over a value it has not seen: it
remembers what it loaded, and if the note changed elsewhere meanwhile (the command line, another
window, a restored backup) both versions are kept. When the library changes elsewhere and the user
has not typed, the panel shows the new values (`reload`).
"""

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
from safedesk.views import BookmarkInfo

log = logging.getLogger(__name__)
SAVE_DELAY_MS = 500
ALSO_WRITTEN = "\n\n— Also written elsewhere meanwhile (both kept) —\n"


class NotePanel(QWidget):
    """Typing a note bookmarks the item; each change is on disk half a second after typing stops."""

    changed = Signal()  # a bookmark was added or removed (the sidebar's count changes)

    def __init__(self) -> None:
        super().__init__()
        self.library: Library | None = None
        self.key: str | None = None
        self._loading = False
        self._dirty = False  # the user typed since the values were loaded or saved
        self._seen: tuple[str, list[str]] | None = None  # the bookmark's note and tags as loaded
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
        self._show(library.bookmarked(key) if key else None)
        self.status.setText("")
        self.setEnabled(key is not None)

    def reload(self) -> None:
        """The library changed elsewhere: show the bookmark as it is now, unless the user is
        typing (their words are saved next, beside the other version if it differs)."""
        if self.library is None or self.key is None or self._dirty:
            return
        self._show(self.library.bookmarked(self.key))

    def _show(self, mark: BookmarkInfo | None) -> None:
        self._loading = True
        self.toggle.setChecked(mark is not None)
        self._label()
        self.note.setPlainText(mark.note if mark else "")
        self.tags.setText(", ".join(mark.tags) if mark else "")
        self._loading = False
        self._seen = (mark.note, list(mark.tags)) if mark else None
        self._dirty = False

    def _edited(self) -> None:
        if not self._loading:
            self._dirty = True
            self.status.setText("…")
            self.timer.start()

    def save(self) -> None:
        """Write what the user changed (called by the timer, on leaving an item, and on close)."""
        self.timer.stop()
        if not self._dirty or self.library is None or self.key is None:
            return
        note = self.note.toPlainText()
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        now = self.library.bookmarked(self.key)
        current = (now.note, list(now.tags)) if now else None
        both = current is not None and current != self._seen and current[0] != note
        if current is not None and current != self._seen:  # changed elsewhere meanwhile
            seen_tags = self._seen[1] if self._seen else []
            tags += [t for t in current[1] if t not in tags and t not in seen_tags]
            if both and current[0].strip():
                note = f"{note}{ALSO_WRITTEN}{current[0]}"
        if now is None and not note.strip() and not tags:
            self._dirty = False
            return
        try:
            saved = self.library.bookmark(self.key, note=note, tags=tags, replace_tags=True)
        except LibraryError as exc:
            self.status.say(f"Not saved: {exc}")
            log.error("could not save the note on %s: %s", self.key, exc)
            return
        self._seen, self._dirty = (saved.note, list(saved.tags)), False
        if both:
            self._show(saved)
            self.status.say("Saved; the note was also changed elsewhere: kept both")
        else:
            self.status.say("Saved")
        if now is None:
            self._loading = True
            self.toggle.setChecked(True)
            self._loading = False
            self._label()
            self.changed.emit()

    def _toggled(self, on: bool) -> None:
        self._label()
        if self._loading or self.library is None or self.key is None:
            return
        if on:
            mark = self.library.bookmark(self.key)
            self._seen = (mark.note, list(mark.tags))
            self.status.say("Bookmarked")
        else:
            self.save()
            if self.library.bookmarked(self.key) is not None:
                self.library.unbookmark(self.key)
            self._seen = None
            self.status.say("Removed (in the Trash)")
        self.changed.emit()

    def _label(self) -> None:
        self.toggle.setText("★ Bookmarked" if self.toggle.isChecked() else "☆ Bookmark")
