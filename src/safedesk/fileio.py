"""Writing files: all or nothing, never a half-written file at the target, never through a link.

Every temp-then-rename writer in safedesk goes through `replace_atomically` (or, for files users
asked for, `write_atomically`). The temporary file is created exclusively (O_CREAT | O_EXCL, so an
existing file or a planted symlink is never opened) under an unpredictable name in the target's
folder: `.NAME.<random>.partial`, the one pattern `store/leftovers.py` looks for. Writers that
need a path rather than a file descriptor (SQLite, ReportLab) get the path of that exact, empty,
already-created file.
"""

from __future__ import annotations

import glob
import os
import secrets
import sqlite3
import stat
import time
from collections.abc import Callable
from pathlib import Path

from safedesk.errors import LibraryError

PARTIAL_SUFFIX = ".partial"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def temporary_beside(target: Path) -> Path:
    """Create an empty file with an unpredictable name in `target`'s folder and return its path.

    Exclusive: never an existing file, never a symlink's target. Its mode is the one the process
    would give any new file (0666 less the umask), so a finished file reads like any other.
    """
    stem = target.name[:120]  # room for the rest within a 255-byte file name
    for _attempt in range(100):
        candidate = target.with_name(f".{stem}.{secrets.token_hex(6)}{PARTIAL_SUFFIX}")
        try:
            fd = os.open(candidate, _FLAGS, 0o666)
        except FileExistsError:  # taken (or planted): another name
            continue
        os.close(fd)
        return candidate
    raise FileExistsError(f"no free temporary name in {target.parent}")


def replace_atomically(target: Path, write: Callable[[Path], object]) -> Path:
    """Call `write(temporary_path)`, then rename the result over `target`.

    On any failure the temporary file is removed and the error propagates unchanged; `target`
    is then exactly as it was.
    """
    partial = temporary_beside(target)
    try:
        write(partial)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


STALE_SECONDS = 3600  # a temporary this old belongs to a write that was killed


def _clear_stale(target: Path) -> None:
    """Remove what a killed earlier write of `target` left beside it: our own regular files
    named like our temporaries for that name, over an hour old (never a link, never a folder)."""
    cutoff = time.time() - STALE_SECONDS
    me = os.getuid() if hasattr(os, "getuid") else None
    for path in target.parent.glob(f".{glob.escape(target.name[:120])}.*{PARTIAL_SUFFIX}"):
        try:
            info = path.lstat()
            if (
                stat.S_ISREG(info.st_mode)
                and info.st_mtime < cutoff
                and (me is None or info.st_uid == me)
            ):
                path.unlink()
        except OSError:
            continue


def write_atomically(target: Path, write: Callable[[Path], object], what: str = "the file") -> Path:
    """`replace_atomically` for files users asked for: a missing folder, a full disk or any other
    failure raises LibraryError with one line saying so, and leaves neither a partial file nor a
    changed target behind. A process killed mid-write cannot clean up: what it left is cleared by
    the next write of the same file (and, in the library folder, by `doctor --repair`).
    """
    target = target.expanduser()
    if target.is_dir():
        raise LibraryError(f"{target} is a folder; give a file name inside it")
    if not target.parent.is_dir():
        raise LibraryError(f"the folder {target.parent} does not exist")
    _clear_stale(target)
    try:
        return replace_atomically(target, write)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise LibraryError(f"cannot write {what} to {target}: {reason}") from None
