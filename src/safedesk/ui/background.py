"""Slow work off the GUI thread, behind a progress dialog: opening, imports, index rebuilds.

The dialog shows after half a second (quick work shows none), says what is being done and how
far it is; for a job that can stop safely it has a Cancel button that really stops the work, and
the status bar then says "Cancelled".
"""

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
Job = Callable[..., Any]  # job(progress), or job(progress, cancelled) when cancellable
SHOW_AFTER_MS = 500  # work that is over sooner shows no progress dialog


class Background(QObject):
    """Runs one job at a time on a worker thread with a window-modal progress dialog.

    `done(result)` runs on the GUI thread afterwards; a failure is shown in a dialog, unless
    `rescue(error)` (given per job) takes care of it and returns True. A `cancellable` job is
    called as `job(progress, cancelled)` and its dialog has a Cancel button; once the job has
    stopped, the status bar says `stopped` ("Cancelled; nothing was imported").
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
        self._stopped = ""
        self._cancellable = False

    def run(
        self,
        label: str,
        job: Job,
        done: Callable[[Any], None],
        failure: str,
        rescue: Callable[[Exception], bool] | None = None,
        cancellable: bool = False,
        stopped: str = "Cancelled",
    ) -> None:
        if self.progress is not None:
            self.progress.deleteLater()  # the last job's
        self.progress = progress_dialog(self.window, label, cancellable)
        worker = Worker(job, cancellable)
        self._done, self._failure, self._stopped = done, failure, stopped
        self._rescue = rescue or (lambda _error: False)
        # bound methods of this object, so that Qt delivers them on the GUI thread
        worker.progressed.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.stopped.connect(self._on_stopped)
        self._cancellable = cancellable
        if cancellable:
            self.progress.canceled.connect(self.cancel)
        self.worker = worker
        worker.start()

    def wait(self, msecs: int = 10_000) -> None:
        """Let a running job finish (on closing)."""
        if self.worker is not None:
            self.worker.worker_thread.wait(msecs)

    def cancel(self) -> None:
        """Cancel (the progress dialog's button): ask the running job to stop."""
        worker = self.worker
        if worker is None or not worker.running() or worker.cancelled():
            return
        worker.cancel()
        self._status("Cancelling…")

    def _on_stopped(self) -> None:
        self._close_progress()
        log.info("%s", self._stopped)
        self._status(self._stopped)

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
        """Close the dialog (kept until the next job: it says what was done last)."""
        if self.progress is not None:
            if self._cancellable:
                self._cancellable = False
                self.progress.canceled.disconnect(self.cancel)  # closing it is no Cancel
            self.progress.close()


def progress_dialog(parent: QWidget, label: str, cancellable: bool = False) -> QProgressDialog:
    """A window-modal progress dialog (0-100%) shown only if the work lasts SHOW_AFTER_MS."""
    dialog = QProgressDialog(label, "Cancel", 0, 100, parent)
    dialog.setWindowTitle("safedesk")
    dialog.setAccessibleName(label.rstrip("…"))
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setValue(0)  # starts the clock for SHOW_AFTER_MS
    return dialog
