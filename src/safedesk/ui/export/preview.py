"""Rendering the export preview off the GUI thread: one render at a time, newest choice only.

The preview *is* the PDF that Save writes and Print prints: `Library.export_brief` renders it into
a temporary folder (removed on `shutdown`). Renders for choices the user has moved past are
dropped; a render already made for a choice is reused.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, QObject, QTemporaryDir, Signal

from safedesk.briefing.request import BriefRequest
from safedesk.errors import LibraryError
from safedesk.library import Library
from safedesk.ui.workers import Worker

log = logging.getLogger(__name__)


class PreviewRenderer(QObject):
    """Renders the choice last asked for (`want`) and says when it is ready or why it failed;
    results for any other choice are kept for later but never announced."""

    ready = Signal(object, object)  # BriefRequest, Path of its PDF
    failed = Signal(object, str)  # BriefRequest, why

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.renders_started = 0
        self.wanted: BriefRequest | None = None
        self._running: BriefRequest | None = None  # at most one render at a time
        self._pending: BriefRequest | None = None  # the newest choice asked for while one ran
        self._rendered: dict[BriefRequest, Path] = {}
        self._workers: list[Worker] = []
        self._tmp: QTemporaryDir | None = None
        self._closed = False

    def want(self, choice: BriefRequest) -> Path | None:
        """Ask for `choice`'s PDF: its path now if it was made before, else None and `ready`
        (or `failed`) follows."""
        if self._closed:
            return None
        self.wanted = choice
        cached = self._rendered.get(choice)
        if cached is not None:
            self._pending = None
            return cached
        if self._running is not None:
            self._pending = None if choice == self._running else choice
            return None
        self._start(choice)
        return None

    def forget_pending(self) -> None:
        """The choice shown already is wanted again: nothing queued needs rendering."""
        self._pending = None

    def _start(self, choice: BriefRequest) -> None:
        self.renders_started += 1
        try:
            path = self._temp_dir() / f"preview-{self.renders_started}.pdf"
        except LibraryError as exc:
            if choice == self.wanted:
                self.failed.emit(choice, str(exc))
            return
        library = self.library

        def job(_progress: Any) -> Path:
            library.export_brief(path, choice)
            return path

        worker = Worker(job)
        # bound methods of this object, so that Qt delivers them on the GUI thread
        worker.finished.connect(self._finished)
        worker.failed.connect(self._failed)
        worker.worker_thread.finished.connect(self._reap)
        self._running = choice
        self._workers.append(worker)
        worker.start()

    def _finished(self, path: Path) -> None:
        choice, self._running = self._running, None
        if choice is None or self._closed:
            return
        self._rendered[choice] = path
        self._next()
        if choice == self.wanted:
            self.ready.emit(choice, path)

    def _failed(self, message: str) -> None:
        choice, self._running = self._running, None
        if choice is None or self._closed:
            return
        log.warning("the export preview failed: %s", message)
        self._next()
        if choice == self.wanted:
            self.failed.emit(choice, message)

    def _next(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and pending not in self._rendered:
            self._start(pending)

    def _reap(self) -> None:
        self._workers = [w for w in self._workers if not w.worker_thread.wait(0)]

    def _temp_dir(self) -> Path:
        if self._tmp is None or not self._tmp.isValid():
            self._tmp = QTemporaryDir(str(Path(QDir.tempPath()) / "safedesk-export-XXXXXX"))
            if not self._tmp.isValid():
                raise LibraryError(f"cannot make a temporary folder: {self._tmp.errorString()}")
        return Path(self._tmp.path())

    def shutdown(self) -> None:
        """Finish the running render and remove every preview file."""
        if self._closed:
            return
        self._closed = True
        for worker in self._workers:
            worker.worker_thread.wait(15_000)
        self._workers.clear()
        self._running = self._pending = None
        self._rendered.clear()
        if self._tmp is not None:
            self._tmp.remove()
            self._tmp = None
