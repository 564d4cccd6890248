"""Slow work off the GUI thread, reporting progress through signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal


class Worker(QObject):
    """Runs `job(progress)` on its own thread; `progress(message, fraction)` is thread-safe."""

    progressed = Signal(str, float)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable[[Callable[[str, float], None]], Any]) -> None:
        super().__init__()
        self._job = job
        self.error: Exception | None = None  # what `failed` reported, for callers that need more
        self.worker_thread = QThread()
        self.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self._run)

    def _run(self) -> None:
        try:
            result = self._job(lambda message, fraction: self.progressed.emit(message, fraction))
        except Exception as exc:  # shown to the user as a dialog, and logged by the caller
            self.error = exc
            self.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.finished.emit(result)
        finally:
            self.worker_thread.quit()

    def start(self) -> None:
        self.worker_thread.start()
