"""The search index's life: one lock, the stamp it must match; opening, rebuilding, updating it.

The index is derived data. What it must have been built from is a *token* (the store's content and
local-example generations); when the token on disk differs, or the files are damaged, the index is
rebuilt from the store's documents. Whoosh's open searcher is shared and not thread-safe, so every
use of the index holds `lock` (the window searches on a background thread while it reads).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from safedesk.errors import LibraryError
from safedesk.search.index import STAMP_NAME, IndexUnavailable, SearchIndex
from safedesk.store.reader import Document

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]
Token = Callable[[], str]
Documents = Callable[[str | None], Iterable[Document]]  # one report's documents, or all (None)


class IndexKeeper:
    """Keeps the index at `folder` in step with the store.

    `token()` names what the index must be built from now; `documents(report)` yields the search
    documents of one report (or of everything, for None).
    """

    def __init__(self, folder: Path, token: Token, documents: Documents) -> None:
        self.folder = folder
        self.lock = threading.RLock()
        self._token = token
        self._documents = documents
        self._index: SearchIndex | None = None

    def ensure(self, progress: Progress | None = None) -> SearchIndex:
        """The open index, rebuilt first if it is missing, stale or damaged."""
        with self.lock:
            token = self._token()
            if self._index is not None and self._index.generation == token:
                return self._index
            index = self._index or SearchIndex(self.folder)
            self._index = index
            try:
                index.open(token)
            except IndexUnavailable as why:
                log.warning("%s; rebuilding it from the library", why)
                self._rebuild(token, progress)
            return index

    def rebuild(self, progress: Progress | None = None) -> None:
        """Build the index again from the store (a repair; also after damage found mid-search)."""
        with self.lock:
            self._rebuild(self._token(), progress)

    def changed(self, report: str, before: str, progress: Progress | None = None) -> None:
        """`report`'s documents changed (the token was `before`): update the index in place if it
        was current before the change, else rebuild it. A write that fails (a full disk) leaves the
        index to be rebuilt later and raises OSError for the caller to explain."""
        with self.lock:
            token = self._token()
            if self._index is None:
                self._index = SearchIndex(self.folder)
                try:
                    self._index.open(before)
                except IndexUnavailable:
                    self._rebuild(token, progress)
                    return
            if self._index.generation != before:
                self._rebuild(token, progress)
                return
            try:
                self._index.update(report, self._documents(report), token, progress)
            except OSError:
                self.forget()
                raise

    def follow(self, report: str, before: str) -> None:
        """After a small change (local examples): update the index if it is at hand and was
        current; otherwise leave it, and the next search rebuilds it."""
        with self.lock:
            if before == self._token():
                return
            if self._index is None and self.folder.is_dir():
                index = SearchIndex(self.folder)
                try:
                    index.open(before)
                except IndexUnavailable:
                    return
                self._index = index
            if self._index is not None and self._index.generation == before:
                try:
                    self.changed(report, before)
                except OSError as exc:  # the change itself is saved; the index is rebuilt later
                    log.warning("the search index could not follow a change: %s", exc)

    def forget(self) -> None:
        """Close the index and drop its stamp, so that it is rebuilt the next time it is needed
        (after a failed write, or when the store under it was replaced)."""
        with self.lock:
            self.close()
            (self.folder / STAMP_NAME).unlink(missing_ok=True)

    def close(self) -> None:
        with self.lock:
            if self._index is not None:
                self._index.close()
                self._index = None

    def check(self, expected: int) -> tuple[bool, str]:
        """Whether the index on disk is current and holds `expected` documents, and what it is
        (for `doctor`: it reads a copy and never rebuilds)."""
        probe = SearchIndex(self.folder)
        try:
            probe.open(self._token())
            count = probe.doc_count()
        except IndexUnavailable as why:
            return False, f"{why}; it is rebuilt automatically"
        finally:
            probe.close()
        if count != expected:
            return False, f"holds {count} items but the library has {expected}"
        return True, f"current, {count} items"

    def _rebuild(self, token: str, progress: Progress | None) -> None:
        index = self._index or SearchIndex(self.folder)
        self._index = index
        try:
            index.rebuild(self._documents(None), token, progress)
        except OSError as exc:  # a full disk: the old index (if any) and the library are intact
            self.forget()
            raise LibraryError(
                f"cannot build the search index in {self.folder}: {exc.strerror or exc}"
            ) from None
