"""The search box: typing searches as you type (debounced, on a background thread, newest text
only), Enter runs the full search; results fill the list pane and notes appear under the box.

From the keyboard, Down takes the user into the results, and so does Enter once the full search
has arrived. The count and the notes are said to screen-reader users when typing pauses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QToolButton

from safedesk.library import Library
from safedesk.search.typeahead import LatestOnly
from safedesk.ui.notice import announce
from safedesk.ui.reading import Emphasis
from safedesk.ui.result_list import ListPane
from safedesk.ui.rows import hit_row
from safedesk.views import SearchResult

log = logging.getLogger(__name__)
SEARCH_DELAY_MS = 150
SEARCH_LIMIT = 200  # hits fetched per search; the filters and their counts work over these
ANNOUNCE_DELAY_MS = 700  # the result count is said once typing has paused this long


@dataclass(frozen=True)
class SearchRequest:
    text: str
    serial: int
    typing: bool = True


class _Delivery(QObject):
    """Carries search results from the search thread to the window's thread."""

    arrived = Signal(object, object)  # SearchRequest, SearchResult or an error message


class SearchController(QObject):
    """Owns the search box and the notes under it; shows results in `pane`.

    `theme_labels()` names themes as the filters show them; `cleared` asks the window to show
    what the sidebar has selected again (the box was emptied).
    """

    cleared = Signal()

    def __init__(
        self,
        parent: QObject,
        pane: ListPane,
        theme_labels: Callable[[], dict[tuple[str, str], str]],
    ) -> None:
        super().__init__(parent)
        self.pane = pane
        self._theme_labels = theme_labels
        self.library: Library | None = None
        self.emphasis = Emphasis()  # what the reading pane marks
        self.serial = 0
        self.searcher: LatestOnly[SearchRequest, Any] | None = None
        self._delivery = _Delivery(self)
        self._delivery.arrived.connect(self.arrived)

        self.box = QLineEdit(placeholderText="Search practice, findings and case studies  (Ctrl+K)")
        self.box.setClearButtonEnabled(True)
        self.box.setAccessibleName("Search")
        for button in self.box.findChildren(QToolButton):  # the clear button has no name
            button.setAccessibleName("Clear the search")
            button.setToolTip("Clear the search")
        self.box.installEventFilter(self)  # Down: into the results
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.run)
        self.box.textChanged.connect(lambda _text: self.timer.start())
        self.box.returnPressed.connect(self._enter)
        self._enter_serial = -1  # the full search whose results Enter moves into
        self.hint = QLabel()  # no accessible name: screen readers read what it shows
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        self.hint.setVisible(False)
        self._summary = ""
        self._announce = QTimer(self, singleShot=True, interval=ANNOUNCE_DELAY_MS)
        self._announce.timeout.connect(lambda: announce(self.box, self._summary))

    def attach(self, library: Library) -> None:
        self.library = library
        self.searcher = LatestOnly(self._search_job, self._delivery.arrived.emit)

    def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
            self.searcher = None

    def active(self) -> bool:
        return bool(self.box.text().strip())

    def end(self) -> None:
        """Choosing a place in the library ends a search: empty the box quietly."""
        if self.active():
            self.box.blockSignals(True)
            self.box.clear()
            self.box.blockSignals(False)
            self.show_hints(None)

    def focus(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.into_results()
            return True
        return False

    def into_results(self) -> None:
        """Move focus to the list, on its current row (the first if none is current)."""
        self._enter_serial = -1
        view = self.pane.view
        if self.pane.model.rowCount() == 0:
            return
        if not view.currentIndex().isValid():
            view.setCurrentIndex(self.pane.model.index(0))
        view.setFocus(Qt.FocusReason.TabFocusReason)

    def _enter(self) -> None:
        """Enter: the full search; focus moves into its results when they arrive."""
        self.run(typing=False)
        self._enter_serial = self.serial if self.active() else -1

    def run(self, typing: bool = True) -> None:
        """Hand the text to the search thread; only the newest text's results are ever shown."""
        text = self.box.text()  # a trailing space says the last word is finished
        if self.library is None or self.searcher is None:
            return
        self.timer.stop()
        self.serial += 1
        if not text.strip():
            self.emphasis = Emphasis()
            self.show_hints(None)
            self.cleared.emit()
            return
        self.searcher.submit(SearchRequest(text, self.serial, typing))

    def _search_job(self, request: SearchRequest) -> SearchResult | str:
        """On the search thread."""
        library = self.library
        if library is None:
            return "The library is closed."
        try:
            if request.typing:
                return library.search_as_you_type(request.text, limit=SEARCH_LIMIT)
            return library.search(request.text, limit=SEARCH_LIMIT)
        except Exception as exc:  # shown under the search box; the window carries on
            log.exception("search failed")
            return f"The search failed: {exc}"

    def arrived(self, request: SearchRequest, result: SearchResult | str) -> None:
        if request.serial != self.serial or self.library is None:
            return  # the text has changed since: a newer search is on its way
        if isinstance(result, str):
            self.pane.show_rows(result, [], filters=False)
            self._say(result)
            return
        self.emphasis = Emphasis.of(result)  # what the search says it matched
        labels = self._theme_labels()
        rows = [hit_row(h, labels) for h in result.hits]
        shown = f"top {len(rows)} of " if result.total > len(rows) else ""
        label = f"{shown}{result.total} results" + (f" ({result.note})" if result.note else "")
        self.pane.show_rows(label, rows, relevance=True)
        self.show_hints(result)
        self._say(". ".join(x for x in (self.pane.label.text(), self.hint.text()) if x))
        if request.serial == self._enter_serial and self.box.hasFocus():
            self.into_results()

    def _say(self, summary: str) -> None:
        """Say the result count (and the notes) once typing pauses; a newer one replaces it."""
        self._summary = summary
        self._announce.start()

    def show_hints(self, result: SearchResult | None) -> None:
        hints = []
        if result is not None and result.expanded:
            hints.append("Also searched for: " + ", ".join(
                f"{e['term']} = {e['expansion']}" for e in result.expanded
            ))  # fmt: skip
        if result is not None and result.suggestion:
            hints.append(f"Did you mean: {result.suggestion}?")
        self.hint.setText("   ".join(hints))
        self.hint.setVisible(bool(hints))
