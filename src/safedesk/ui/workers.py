"""Slow work off the GUI thread, reporting progress through signals, and stoppable."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

Progress = Callable[[str, float], None]


class Worker(QObject):
    """Runs `job(progress)` on its own thread; `progress(message, fraction)` is thread-safe.

    With `cancellable`, the job is called as `job(progress, cancelled)`: `cancelled()` says True
    once `cancel()` was called, and the job stops at its next safe point by raising. A job that
    raised after `cancel()` reports `stopped`, not `failed`; one that finished anyway (it was past
    the point of no return) reports `finished` as usual.
    """

    progressed = Signal(str, float)
    finished = Signal(object)
    failed = Signal(str)
    stopped = Signal()

    def __init__(self, job: Callable[..., Any], cancellable: bool = False) -> None:
        super().__init__()
        self._job = job
        self._cancellable = cancellable
        self._stop = threading.Event()
        self.error: Exception | None = None  # what `failed` reported, for callers that need more
        self.worker_thread = QThread()
        self.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self._run)

    def cancel(self) -> None:
        """Ask the job to stop (thread-safe; it stops at its next check)."""
        self._stop.set()

    def cancelled(self) -> bool:
        return self._stop.is_set()

    def _run(self) -> None:
        def progress(message: str, fraction: float) -> None:
            self.progressed.emit(message, fraction)

        try:
            if self._cancellable:
                result = self._job(progress, self.cancelled)
            else:
                result = self._job(progress)
        except Exception as exc:  # shown to the user as a dialog, and logged by the caller
            self.error = exc
            if self._stop.is_set():
                self.stopped.emit()
            else:
                self.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.finished.emit(result)
        finally:
            self.worker_thread.quit()

    def start(self) -> None:
        self.worker_thread.start()

    def running(self) -> bool:
        return self.worker_thread.isRunning()
