"""The search box: typing searches as you type (debounced, on a background thread, newest text
only), Enter runs the full search; results fill the list pane and notes appear under the box."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit

from safedesk.library import Library
from safedesk.search.typeahead import LatestOnly
from safedesk.ui.reading import Emphasis
from safedesk.ui.result_list import ListPane
from safedesk.ui.rows import hit_row
from safedesk.views import SearchResult

log = logging.getLogger(__name__)
SEARCH_DELAY_MS = 150
SEARCH_LIMIT = 200  # hits fetched per search; the filters and their counts work over these


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
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.run)
        self.box.textChanged.connect(lambda _text: self.timer.start())
        self.box.returnPressed.connect(lambda: self.run(typing=False))
        self.hint = QLabel()
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setAccessibleName("Search notes")
        self.hint.setVisible(False)

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
            return
        self.emphasis = Emphasis.of(result)  # what the search says it matched
        labels = self._theme_labels()
        rows = [hit_row(h, labels) for h in result.hits]
        shown = f"top {len(rows)} of " if result.total > len(rows) else ""
        label = f"{shown}{result.total} results" + (f" ({result.note})" if result.note else "")
        self.pane.show_rows(label, rows, relevance=True)
        self.show_hints(result)

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
