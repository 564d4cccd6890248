"""One window per library: a second launch asks the first to come forward, then exits.

A local socket named after the library folder is the lock. It lives in a folder only this user
can enter (`runtime_folder`: $XDG_RUNTIME_DIR checked for owner and mode, else a 0700 folder in
the user's cache folder), never in the shared /tmp, where another local user could create it
first and make safedesk say "already open" and exit. Both ends also check who is at the other end
(SO_PEERCRED on Linux): a peer that is not this user is ignored. A killed instance leaves its
socket file behind; nobody answers on it, so the next launch removes it and takes over (a stale
lock never blocks start).
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket as pysocket
import stat
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_MS = 500
RAISE = b"raise\n"
MAX_SOCKET_PATH = 100  # sockaddr_un holds 104-108 bytes, depending on the system


def private_folder(path: Path) -> bool:
    """Make `path` (a folder of this user's, mode 0700) if needed; True if it is one: a real
    folder, not a link, owned by this user, that no one else may enter."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return False
        if info.st_mode & 0o077:
            path.chmod(0o700)  # ours, but open to others: close it
            info = path.lstat()
        return not info.st_mode & 0o077
    except OSError:
        return False


def runtime_folder() -> Path | None:
    """Where this user's sockets may live, or None if no safe folder can be had."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_absolute():
        base = Path(runtime)
        try:
            info = base.lstat()
        except OSError:
            info = None
        if (
            info is not None
            and stat.S_ISDIR(info.st_mode)
            and info.st_uid == os.getuid()
            and not info.st_mode & 0o077
            and private_folder(base / "safedesk")
        ):
            return base / "safedesk"
        log.warning("ignoring XDG_RUNTIME_DIR=%s: not a private folder of this user's", runtime)
    import platformdirs

    fallback = Path(platformdirs.user_cache_dir("safedesk", appauthor=False)) / "run"
    return fallback if private_folder(fallback) else None


def server_name(data_dir: Path) -> str | None:
    """The socket for `data_dir`'s window: a path in `runtime_folder()` (on Windows a named
    pipe, private to the user), or None if there is no safe place for one."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    name = f"safedesk-{digest}"
    if sys.platform == "win32":
        return name
    folder = runtime_folder()
    if folder is None or len(str(folder / name).encode()) > MAX_SOCKET_PATH:
        log.warning("no private folder for the single-instance socket; not using one")
        return None
    return str(folder / name)


def peer_uid(fd: int) -> int | None:
    """The user id of the process at the other end of the connected Unix socket `fd`, or None
    where the system cannot say (only Linux's SO_PEERCRED is asked)."""
    option = getattr(pysocket, "SO_PEERCRED", None)
    if option is None or fd < 0:
        return None
    try:
        sock = pysocket.socket(fileno=os.dup(fd))
    except OSError:
        return None
    try:
        creds = sock.getsockopt(pysocket.SOL_SOCKET, option, struct.calcsize("3i"))
    except OSError:
        return None
    finally:
        sock.close()
    uid: int = struct.unpack("3i", creds)[1]
    return uid


def same_user(fd: int) -> bool:
    """False if the peer on `fd` is known to be another user (unknown counts as the same: the
    socket's folder already keeps others out)."""
    uid = peer_uid(fd)
    return uid is None or uid == os.getuid()


def ask_running_instance(name: str | None) -> bool:
    """True if another safedesk of this user's serves `name` and was asked to raise its window."""
    if name is None:
        return False
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    if not same_user(int(socket.socketDescriptor())):
        log.warning("ignoring %s: it is served by another user", name)
        socket.abort()
        return False
    socket.write(RAISE)
    socket.flush()
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later launches; emits `raise_requested` when one (of this user's) asks."""

    raise_requested = Signal()

    def __init__(self, name: str | None) -> None:
        super().__init__()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if name is not None and not self.server.listen(name):
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
            if not same_user(int(socket.socketDescriptor())):
                log.warning("ignoring a connection from another user")
                socket.abort()
                continue
            socket.waitForReadyRead(CONNECT_TIMEOUT_MS)
            if bytes(socket.readAll().data()).startswith(RAISE.strip()):
                self.raise_requested.emit()
            socket.disconnectFromServer()

    def close(self) -> None:
        self.server.close()
