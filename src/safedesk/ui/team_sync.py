"""The window's side of the team library: a status-bar indicator (synced, n changes waiting,
offline) and syncs in the background: a while after each change, and every few minutes.

The indicator reads only this library (`library.team.status()`: a few local reads), never the
network; a sync runs on a worker thread with a SQLite connection of its own, so the window never
waits for the server. Sync is a core feature (team/client.py): this module only starts it and
shows what it did.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from safedesk.ui.plain import tooltip
from safedesk.ui.workers import Worker

if TYPE_CHECKING:
    from safedesk.library import Library
    from safedesk.ui.shell import Shell

log = logging.getLogger(__name__)

POLL_MS = 2000  # how often the indicator looks at this library (local reads only)
AFTER_CHANGE = 5.0  # seconds after a change before it is sent
EVERY = 120.0  # seconds between syncs that fetch teammates' changes
RETRY = 60.0  # seconds between attempts while the server cannot be reached


class TeamSync(QObject):
    """Starts syncs off the GUI thread and shows where this library stands."""

    synced = Signal(object)  # the SyncReport, on the GUI thread
    failed = Signal(str)

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.window())
        self.shell = shell
        self.library: Library | None = None
        self.indicator = QLabel()
        self.indicator.setAccessibleName("Team library status")
        self.indicator.hide()
        shell.statusBar().addPermanentWidget(self.indicator)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.tick)
        self.worker: Worker | None = None
        self.password: str | None = None  # asked for once, kept in memory for this session only
        self.last_attempt = 0.0
        self.last_failed = False
        self.error = ""
        self.after_change, self.every, self.retry = AFTER_CHANGE, EVERY, RETRY
        self.offline = self.needs_password = False

    @property
    def running(self) -> bool:
        return self.worker is not None

    def attach(self, library: Library) -> None:
        self.library = library
        self.last_attempt = 0.0
        self.tick()
        self.timer.start()

    # -- what the indicator says ------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return self.library.team.status() if self.library is not None else {"team": None}

    def tick(self) -> None:
        """Show where this library stands; start a sync if one is due."""
        status = self.state()
        self.show_status(status)
        if status.get("team") is None or status.get("state") != "joined" or self.running:
            return
        since = time.monotonic() - self.last_attempt
        if self.last_failed:
            due = since >= self.retry
        else:
            due = since >= self.every or (status["pending"] > 0 and since >= self.after_change)
        if due:
            self.sync_now()

    def show_status(self, status: dict[str, Any]) -> None:
        if status.get("team") is None or status.get("state") != "joined":
            self.indicator.hide()
            return
        pending = int(status.get("pending") or 0)
        waiting = f"{pending} change{'s' if pending != 1 else ''} waiting"
        if self.running:
            text = "Team: syncing…"
        elif self.last_failed:
            state = "password needed" if self.needs_password else (
                "offline" if self.offline else "not synced")  # fmt: skip
            text = f"Team: {state}" + (f" · {waiting}" if pending else "")
        elif pending:
            text = f"Team: {waiting}"
        elif status.get("last_sync"):
            text = "Team: synced"
        else:
            text = "Team: not synced yet"
        conflicts = int(status.get("conflicts") or 0)
        if conflicts:
            text += f" · {conflicts} conflict{'s' if conflicts != 1 else ''}"
        self.indicator.setText(text)
        details = [
            f"{status['team']} on {status['server']}, as {status['member']}",
            f"Last sync: {status.get('last_sync') or 'never'}",
        ]
        if self.last_failed and self.error:
            details.append(f"Last attempt: {self.error}")
        self.indicator.setToolTip(tooltip("\n".join(details)))
        self.indicator.show()

    # -- syncing ----------------------------------------------------------------------------------
    def sync_now(self) -> bool:
        """Start a sync in the background (False if one is running already)."""
        library = self.library
        if library is None or self.running:
            return False
        password = self.password

        def job(progress: Any) -> Any:
            report = library.team.sync(prompt=(lambda _q: password) if password else None)
            if report.documents:  # shared documents arrived: index them here, off the window
                library.ensure_index()
            return report

        self.last_attempt = time.monotonic()
        worker = Worker(job)
        worker.finished.connect(self._finished)  # bound methods: delivered on the GUI thread
        worker.failed.connect(self._failed)
        self.worker = worker
        worker.start()
        self.show_status(self.state())
        return True

    def _finished(self, report: Any) -> None:
        self._done()
        self.last_failed, self.error = False, ""
        self.offline = self.needs_password = False
        self.show_status(self.state())
        self.synced.emit(report)

    def _failed(self, message: str) -> None:
        from safedesk.team.errors import PasswordNeededError, TeamConnectionError

        error = self.worker.error if self.worker is not None else None
        self._done()
        self.last_failed, self.error = True, message
        self.offline = isinstance(error, TeamConnectionError)
        self.needs_password = isinstance(error, PasswordNeededError)
        log.info("team sync failed: %s", message)
        self.show_status(self.state())
        self.failed.emit(message)

    def _done(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.worker_thread.wait(5000)

    def wait(self, msecs: int = 30_000) -> None:
        """Let a running sync finish (on closing)."""
        self.timer.stop()
        if self.worker is not None:
            self.worker.worker_thread.wait(msecs)
