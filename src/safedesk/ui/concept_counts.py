"""Counting the items of each practice concept for the sidebar, off the GUI thread.

The first count after the library opens or its reports change reads every item (about 0.1 s a
report with the counts kept on disk, 0.5 s without); later ones are kept in memory and cost about
2 ms. So the window never waits for them: until `counted` says they are ready, `latest()` is None
and the sidebar shows the concepts without numbers. (Counting in the job that opens the library
would make the window ready that much later.)
"""

from __future__ import annotations

import functools
import json
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from safedesk.paths import resources_dir
from safedesk.search.typeahead import LatestOnly
from safedesk.views import ConceptNode

if TYPE_CHECKING:
    from safedesk.library import Library

log = logging.getLogger(__name__)


class _Delivery(QObject):
    arrived = Signal(object, object)  # (library, generation), the tree or None


class ConceptCounts(QObject):
    """The thesaurus tree with counts for a library's current contents."""

    counted = Signal()  # `latest()` has counts for the library's current generation

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._latest: tuple[int, list[ConceptNode]] | None = None
        self._delivery = _Delivery(self)
        self._delivery.arrived.connect(self._arrived)
        self._counter: LatestOnly[tuple[Library, int], list[ConceptNode] | None] | None = None
        self._library: Library | None = None
        self._asked: tuple[Library, int] | None = None  # the count on its way

    def latest(self, library: Library) -> list[ConceptNode] | None:
        """The tree counted for `library` as it is now, or None (and a count starts)."""
        generation = library.generation
        latest = self._latest
        if latest is not None and self._library is library and latest[0] == generation:
            return latest[1]
        self._library = library
        if self._asked != (library, generation):
            self._asked = (library, generation)
            # started once the window has done what it is doing (opening: the first theme shown)
            QTimer.singleShot(0, self, self._start)
        return None

    def _start(self) -> None:
        if self._asked is None or self._library is None:
            return
        if self._counter is None:
            self._counter = LatestOnly(_count, self._delivery.arrived.emit)
        self._counter.submit(self._asked)

    def _arrived(self, request: tuple[Library, int], tree: list[ConceptNode] | None) -> None:
        library, generation = request  # `latest` checks the generation when it is asked
        if self._asked == request:
            self._asked = None
        if tree is None or library is not self._library or self._counter is None:
            return  # failed, another library, or closed (this was already on its way)
        self._latest = (generation, tree)
        self.counted.emit()

    def close(self) -> None:
        self._library = None
        if self._counter is not None:
            self._counter.close()
            self._counter = None


def _count(request: tuple[Library, int]) -> list[ConceptNode] | None:
    """On the counting thread."""
    library, _generation = request
    try:
        return library.concepts()
    except Exception:  # the library closed, or the index is being rebuilt: no counts this time
        log.warning("counting the practice concepts failed", exc_info=True)
        return None


@functools.lru_cache(maxsize=1)
def uncounted() -> list[ConceptNode]:
    """The thesaurus tree without counts (`count` is -1), read from the file the library's
    thesaurus comes from (`Library.thesaurus`) as it is: loading the thesaurus itself analyses
    every label, which is work for the counting thread, not for the window's opening."""
    try:
        path = resources_dir() / "thesaurus" / "practice-concepts.json"
        data = json.loads(path.read_text("utf-8"))
        entries = {e["id"]: e for e in data["concepts"]}
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("the practice thesaurus could not be read", exc_info=True)
        return []

    def by_label(ids: list[str]) -> list[dict[str, Any]]:
        return sorted((entries[i] for i in ids if i in entries), key=lambda e: e["prefLabel"])

    def node(entry: dict[str, Any], path: tuple[str, ...]) -> ConceptNode:
        return ConceptNode(
            id=entry["id"],
            label=entry["prefLabel"],
            scope_note=entry.get("scopeNote", ""),
            count=-1,
            children=[
                node(child, (*path, child["id"]))
                for child in by_label(entry.get("narrower", []))
                if child["id"] not in path
            ],
        )

    roots = by_label([i for i, e in entries.items() if not e.get("broader")])
    return [node(root, (root["id"],)) for root in roots]
