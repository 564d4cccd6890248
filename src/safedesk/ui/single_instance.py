"""One window per library: a second launch asks the first to come forward, then exits.

A local socket named after the library folder is the lock. A killed instance leaves its socket
file behind; nobody answers on it, so the next launch removes it and takes over (a stale lock
never blocks start).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_MS = 500
RAISE = b"raise\n"


def server_name(data_dir: Path) -> str:
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"safedesk-{digest}"


def ask_running_instance(name: str) -> bool:
    """True if another safedesk serves `name` and was asked to raise its window."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(RAISE)
    socket.flush()
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later launches; emits `raise_requested` when one asks."""

    raise_requested = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(name):
            # nobody answered on `name` (we asked first), so this is a dead instance's leftover
            QLocalServer.removeServer(name)
            if not self.server.listen(name):
                log.warning("cannot listen on %s: %s", name, self.server.errorString())
        self.server.newConnection.connect(self._incoming)

    @property
    def listening(self) -> bool:
        return self.server.isListening()

    def _incoming(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.waitForReadyRead(CONNECT_TIMEOUT_MS)
            if bytes(socket.readAll().data()).startswith(RAISE.strip()):
                self.raise_requested.emit()
            socket.disconnectFromServer()

    def close(self) -> None:
        self.server.close()
