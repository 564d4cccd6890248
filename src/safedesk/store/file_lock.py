"""An exclusive lock between processes, held on a lock file (for one-at-a-time work such as a
schema upgrade).

POSIX `flock` (or Windows' `msvcrt.locking`) on a file that is never removed: the operating system
releases the lock when its holder exits, however it exits, so a killed process never leaves the
library locked. Removing the file would let a third process lock a new file while the second
still holds the old one, so it stays (it is empty and harmless).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from safedesk.errors import LibraryError

POLL_SECONDS = 0.05


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def exclusive(
    path: Path,
    timeout: float,
    busy: str,
    waiting: Callable[[], None] | None = None,
) -> Iterator[None]:
    """Hold the lock on `path` (created if missing) for the `with` block. If another process
    holds it, call `waiting()` once and wait up to `timeout` seconds, then raise LibraryError
    saying `busy`."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        raise LibraryError(f"cannot make the lock file {path}: {exc.strerror}") from None
    try:
        deadline = time.monotonic() + timeout
        told = False
        while not _try_lock(fd):
            if not told and waiting is not None:
                waiting()
                told = True
            if time.monotonic() >= deadline:
                raise LibraryError(busy)
            time.sleep(POLL_SECONDS)
        yield  # closing the descriptor below releases the lock
    finally:
        os.close(fd)
