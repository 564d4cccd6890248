"""Rendering the export preview off the GUI thread: one render at a time, newest choice only.

The preview *is* the PDF that Save writes and Print prints: `Library.export_brief` renders it into
a temporary folder (removed on `shutdown`). A render for a choice the user has moved past is
stopped at once (a 500-item pack must not keep the CPU busy after the paper size changed), and so
is one the user stops (`stop`); a stopped render leaves no file. A render already made for a
choice is reused. Long renders report how far they are (`progressed`).
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
    progressed = Signal(object, str, float)  # BriefRequest, what is being done, fraction 0..1
    stopped = Signal(object)  # BriefRequest whose render was stopped (stale, or `stop`)

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.renders_started = 0
        self.renders_stopped = 0
        self.wanted: BriefRequest | None = None
        self._running: BriefRequest | None = None  # at most one render at a time
        self._pending: BriefRequest | None = None  # the newest choice asked for while one ran
        self._rendered: dict[BriefRequest, Path] = {}
        self._workers: list[Worker] = []
        self._current: Worker | None = None  # the running render's worker
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
            if choice == self._running and not self._current_cancelled():
                self._pending = None
            else:  # the running render is stale (or stopping): this choice starts once it ends
                self._pending = choice
                self._cancel_running()
            return None
        self._start(choice)
        return None

    def stop(self) -> None:
        """Stop the running render and forget what was queued (the user's Stop or Cancel)."""
        self._pending = None
        self._cancel_running()

    @property
    def busy(self) -> bool:
        """A render is running."""
        return self._running is not None

    def _cancel_running(self) -> None:
        if self._current is not None:
            self._current.cancel()

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

        def job(progress: Any, cancelled: Any) -> Path:
            library.export_brief(path, choice, progress, cancelled)
            return path

        worker = Worker(job, cancellable=True)
        # bound methods of this object, so that Qt delivers them on the GUI thread
        worker.progressed.connect(self._progressed)
        worker.finished.connect(self._finished)
        worker.failed.connect(self._failed)
        worker.stopped.connect(self._stopped)
        worker.worker_thread.finished.connect(self._reap)
        self._running, self._current = choice, worker
        self._workers.append(worker)
        worker.start()

    def _progressed(self, message: str, fraction: float) -> None:
        choice = self._running
        if choice is not None and not self._closed and not self._current_cancelled():
            self.progressed.emit(choice, message, fraction)

    def _current_cancelled(self) -> bool:
        return self._current is not None and self._current.cancelled()

    def _stopped(self) -> None:
        choice, self._running, self._current = self._running, None, None
        if choice is None or self._closed:
            return
        self.renders_stopped += 1
        log.info("the export preview was stopped before it was finished")
        self._next()
        self.stopped.emit(choice)

    def _finished(self, path: Path) -> None:
        choice, self._running, self._current = self._running, None, None
        if choice is None or self._closed:
            return
        self._rendered[choice] = path
        self._next()
        if choice == self.wanted:
            self.ready.emit(choice, path)

    def _failed(self, message: str) -> None:
        choice, self._running, self._current = self._running, None, None
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
        """Stop the running render and remove every preview file."""
        if self._closed:
            return
        self._closed = True
        for worker in self._workers:
            worker.cancel()
        for worker in self._workers:
            worker.worker_thread.wait(15_000)
        self._workers.clear()
        self._running = self._pending = None
        self._rendered.clear()
        if self._tmp is not None:
            self._tmp.remove()
            self._tmp = None
