"""A practice concept's items for the list (what `safedesk concept TERM` lists), found off the GUI
thread: a broad concept searches dozens of wordings. Only the newest concept chosen is listed, so
walking the tree with the arrow keys never queues work."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from safedesk.search.typeahead import LatestOnly
from safedesk.views import ConceptDetail

if TYPE_CHECKING:
    from safedesk.library import Library

log = logging.getLogger(__name__)
LISTED = 200  # items listed for a concept (as many as a search lists)


class _Delivery(QObject):
    arrived = Signal(object, object)  # (library, concept id), ConceptDetail or an error message


class ConceptListing(QObject):
    """`request(library, id)`; `listed(id, detail or message)` on the GUI thread, for the newest
    request only."""

    listed = Signal(str, object)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._delivery = _Delivery(self)
        self._delivery.arrived.connect(self._arrived)
        self._finder: LatestOnly[tuple[Library, str], ConceptDetail | str] | None = None
        self._wanted: tuple[Library, str] | None = None

    def request(self, library: Library, concept_id: str) -> None:
        self._wanted = (library, concept_id)
        if self._finder is None:
            self._finder = LatestOnly(_find, self._delivery.arrived.emit)
        self._finder.submit(self._wanted)

    def forget(self) -> None:
        """Something else was chosen: a listing on its way is not shown."""
        self._wanted = None

    def idle(self, timeout: float = 5.0) -> bool:
        return self._finder is None or self._finder.idle(timeout)

    def _arrived(self, request: tuple[Library, str], found: ConceptDetail | str) -> None:
        if request == self._wanted:
            self._wanted = None
            self.listed.emit(request[1], found)

    def close(self) -> None:
        self._wanted = None
        if self._finder is not None:
            self._finder.close()
            self._finder = None


def _find(request: tuple[Library, str]) -> ConceptDetail | str:
    """On the listing thread."""
    library, concept_id = request
    try:
        return library.concept(concept_id, limit=LISTED)
    except Exception as exc:  # shown in the list's label; the window carries on
        log.exception("listing a practice concept failed")
        return f"The concept's items could not be listed: {exc}"
