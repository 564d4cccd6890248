"""The search box: typing searches as you type (debounced, on a background thread, newest text
only), Enter runs the full search; results fill the list pane and notes appear under the box
(what the search also looked for, "did you mean"). Beside the box, "Exact words" searches the
words alone, without the practice concepts they name, until the box is emptied or the user
chooses a place in the library: editing the words keeps it, since that refines the same search.
Enter on a half-typed word keeps the typed results when they are better (`enter_search.py`).

From the keyboard, Down takes the user into the results, and so does Enter once the full search
has arrived. The count and the notes are said to screen-reader users when typing pauses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from safedesk.library import Library
from safedesk.search.typeahead import LatestOnly
from safedesk.ui.enter_search import after_enter, half_typed
from safedesk.ui.notice import announce
from safedesk.ui.reading import Emphasis
from safedesk.ui.result_list import ListPane
from safedesk.ui.rows import hit_row
from safedesk.ui.search_notes import all_wordings, search_notes
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
    exact: bool = False  # the words alone, without the practice concepts they name


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
        self.exact = QCheckBox("E&xact words")  # Alt+X; the menu bar and filters leave X free
        self.exact.setAccessibleName("Exact words")
        self.exact.setToolTip(
            "Search only the words typed, not the practice concepts they name (Alt+X)"
        )
        self.exact.toggled.connect(self._exact_toggled)
        self._typing = True  # whether the search shown was run as you type or by Enter
        self.bar = QWidget()  # the box and its toggle, for the window's layout
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.box, 1)
        row.addWidget(self.exact)
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
        self._reset_exact()

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
        self._typing = typing
        if not text.strip():
            self._reset_exact()  # an emptied box starts a new search
            self.emphasis = Emphasis()
            self.show_hints(None)
            self.cleared.emit()
            return
        self.searcher.submit(SearchRequest(text, self.serial, typing, self.exact.isChecked()))

    def _exact_toggled(self, _checked: bool) -> None:
        """Run the search shown again, with or without the practice concepts; focus stays."""
        if self.active():
            self.run(typing=self._typing)

    def _reset_exact(self) -> None:
        self.exact.blockSignals(True)
        self.exact.setChecked(False)
        self.exact.blockSignals(False)

    def _search_job(self, request: SearchRequest) -> SearchResult | str:
        """On the search thread."""
        library = self.library
        if library is None:
            return "The library is closed."
        try:
            typed = None
            if request.typing or half_typed(request.text):
                typed = library.search_as_you_type(
                    request.text, limit=SEARCH_LIMIT, exact=request.exact
                )
                if request.typing:
                    return typed
            full = library.search(request.text, limit=SEARCH_LIMIT, exact=request.exact)
            return after_enter(request.text, full, typed)
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
        """The notes under the box: one line of plain text, which screen readers read as it is
        shown; the tooltip lists every wording the search added."""
        text = search_notes(result)
        self.hint.setText(text)
        wordings = all_wordings(result) if result is not None else ""
        self.hint.setToolTip(
            "<p>" + "<br>".join(escape(line) for line in wordings.splitlines()) + "</p>"
            if wordings
            else ""
        )
        self.hint.setVisible(bool(text))
