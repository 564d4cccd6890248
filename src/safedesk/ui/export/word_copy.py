"""Writing the Word copy of a briefing off the GUI thread.

A long session pack takes a second or more to write as Word; the dialog stays responsive, shows a
progress dialog if it lasts, and the file appears all at once (`Library.export_brief` writes a
temporary file and renames it) or not at all.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from safedesk.briefing.request import BriefRequest
from safedesk.library import Library
from safedesk.ui.background import progress_dialog
from safedesk.ui.workers import Worker


class WordCopyWriter(QObject):
    """Writes one Word copy at a time; says `written(path)` or `failed(path, why)`."""

    written = Signal(str)
    failed = Signal(str, str)

    def __init__(self, library: Library, window: QWidget) -> None:
        super().__init__(window)
        self.library = library
        self.window = window
        self._worker: Worker | None = None
        self._target: Path | None = None
        self._progress: QProgressDialog | None = None

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def write(self, target: Path, choice: BriefRequest) -> bool:
        """Start writing `choice` as Word at `target`; False if a copy is being written."""
        if self._worker is not None:
            return False
        library, request = self.library, replace(choice, format="docx")

        def job(_progress: Any) -> None:
            library.export_brief(target, request)

        worker = Worker(job)
        # bound methods of this object, so that Qt delivers them on the GUI thread
        worker.finished.connect(self._finished)
        worker.failed.connect(self._failed)
        self._worker, self._target = worker, target
        self._progress = progress_dialog(self.window, "Writing the Word copy…")
        worker.start()
        return True

    def wait(self, msecs: int = 30_000) -> None:
        """Let a copy being written finish (the dialog is closing)."""
        if self._worker is not None:
            self._worker.worker_thread.wait(msecs)

    def _finished(self, _result: object) -> None:
        target = self._end()
        self.written.emit(str(target))

    def _failed(self, message: str) -> None:
        target = self._end()
        self.failed.emit(str(target), message)

    def _end(self) -> Path | None:
        if self._worker is not None:
            self._worker.worker_thread.wait()
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
        target, self._worker, self._target, self._progress = self._target, None, None, None
        return target
