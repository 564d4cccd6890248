"""Writing files users asked for: all or nothing, never a half-written file at the target."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from safedesk.errors import LibraryError


def write_atomically(target: Path, write: Callable[[Path], object], what: str = "the file") -> Path:
    """Call `write(temporary_path)`, then rename the result over `target`.

    A missing folder, a full disk or any other failure raises LibraryError with one line saying
    so, and leaves neither a partial file nor a changed target behind.
    """
    target = target.expanduser()
    if target.is_dir():
        raise LibraryError(f"{target} is a folder; give a file name inside it")
    if not target.parent.is_dir():
        raise LibraryError(f"the folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.partial")
    try:
        write(partial)
        partial.replace(target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise LibraryError(f"cannot write {what} to {target}: {reason}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
