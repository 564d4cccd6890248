"""Backups of the library database: making them, listing them, copying them.

A backup is a whole copy of `library.sqlite3` made with SQLite's online backup API, in
rollback-journal mode (one self-contained file), named `library-<UTC time>-<reason>.sqlite3` in
the library's `backups/` folder; the newest few of each reason are kept. Checking one before it is
used is `schema_check.py`. Everything here works on files and connections, without a `Library`.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from safedesk.errors import LibraryError
from safedesk.fileio import replace_atomically
from safedesk.store.database import reason
from safedesk.store.locations import file_uri

log = logging.getLogger(__name__)

BACKUPS_KEPT = 10
USER_TABLES = ("bookmark", "collection", "example", "session_record")


def backups(backups_dir: Path) -> list[Path]:
    """The backups in `backups_dir`, newest first (names carry a UTC time stamp)."""
    found = sorted(backups_dir.glob("library-*.sqlite3"), key=lambda p: p.name, reverse=True)
    return [p for p in found if p.is_file()]


class BackupFolderError(LibraryError):
    """A backup cannot be made in the backups folder; the message names it and says why."""


def backup(conn: sqlite3.Connection, backups_dir: Path, reason: str) -> Path:
    """Copy the live database with SQLite's online backup API; keep the newest few copies.

    A folder that cannot hold it (not a folder, not writable, a full disk) raises
    BackupFolderError naming the folder and the reason; no partial copy is left behind.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups_dir / f"library-{stamp}-{reason}.sqlite3"

    def copy(partial: Path) -> None:
        dest = sqlite3.connect(partial)
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # one file: no -wal or -shm to check it
        finally:
            dest.close()

    made = not backups_dir.exists()
    try:
        backups_dir.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, copy)
    except (OSError, sqlite3.Error) as exc:
        if made:
            with contextlib.suppress(OSError):
                backups_dir.rmdir()
        raise BackupFolderError(
            f"cannot make a backup in {backups_dir}: {_folder_problem(exc, backups_dir)}"
        ) from None
    # rotate per reason, so that many imports never push out the daily copies
    for old in sorted(backups_dir.glob(f"library-*-{reason}.sqlite3"))[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    log.info("backed up the library to %s", target)
    return target


def _folder_problem(exc: OSError | sqlite3.Error, folder: Path) -> str:
    if folder.exists() and not folder.is_dir():
        return "it is a file, not a folder"
    if isinstance(exc, sqlite3.Error):
        return reason(exc).split(";")[0]
    return (exc.strerror or str(exc)).lower() if exc.errno else str(exc)


def has_user_data(conn: sqlite3.Connection) -> bool:
    """True if the library holds anything of the user's own (then it is worth a daily backup)."""
    try:
        return any(
            conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in USER_TABLES
        )
    except sqlite3.OperationalError:
        return False


def copy_database(source: Path, dest: sqlite3.Connection | Path) -> None:
    """Copy the database file `source` (opened read-only) into `dest` with the backup API."""
    src = sqlite3.connect(file_uri(source, mode="ro"), uri=True)
    target = dest if isinstance(dest, sqlite3.Connection) else sqlite3.connect(dest)
    try:
        src.backup(target)
    finally:
        if target is not dest:
            target.close()
        src.close()
