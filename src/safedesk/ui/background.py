"""Slow work off the GUI thread, behind a progress dialog: opening, imports, index rebuilds."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from safedesk.ui.plain import message as show
from safedesk.ui.wording import for_the_app
from safedesk.ui.workers import Worker

log = logging.getLogger(__name__)
Job = Callable[[Callable[[str, float], None]], Any]


class Background(QObject):
    """Runs one job at a time on a worker thread with a window-modal progress dialog.

    `done(result)` runs on the GUI thread afterwards; a failure is shown in a dialog, unless
    `rescue(error)` (given per job) takes care of it and returns True.
    """

    def __init__(self, window: QWidget, status: Callable[[str], None]) -> None:
        super().__init__(window)
        self.window = window
        self._status = status
        self.worker: Worker | None = None
        self.progress: QProgressDialog | None = None
        self._done: Callable[[Any], None] = lambda _result: None
        self._failure = ""
        self._rescue: Callable[[Exception], bool] = lambda _error: False

    def run(
        self,
        label: str,
        job: Job,
        done: Callable[[Any], None],
        failure: str,
        rescue: Callable[[Exception], bool] | None = None,
    ) -> None:
        self.progress = progress_dialog(self.window, label)
        worker = Worker(job)
        self._done, self._failure = done, failure
        self._rescue = rescue or (lambda _error: False)
        # bound methods of this object, so that Qt delivers them on the GUI thread
        worker.progressed.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        self.worker = worker
        worker.start()

    def wait(self, msecs: int = 10_000) -> None:
        """Let a running job finish (on closing)."""
        if self.worker is not None:
            self.worker.worker_thread.wait(msecs)

    def _on_progress(self, message: str, fraction: float) -> None:
        if self.progress is not None:
            self.progress.setLabelText(message)
            self.progress.setValue(int(fraction * 100))

    def _on_finished(self, result: Any) -> None:
        self._close_progress()
        self._done(result)

    def _on_failed(self, message: str) -> None:
        self._close_progress()
        error = self.worker.error if self.worker is not None else None
        if error is not None and self._rescue(error):
            return
        log.error("%s: %s", self._failure, message)
        show(self.window, f"{self._failure}:\n\n{for_the_app(message)}", QMessageBox.Icon.Critical)
        self._status(f"{self._failure}.")

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()


def progress_dialog(parent: QWidget, label: str) -> QProgressDialog:
    dialog = QProgressDialog(label, "", 0, 100, parent)
    dialog.setWindowTitle("safedesk")
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(300)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    return dialog
