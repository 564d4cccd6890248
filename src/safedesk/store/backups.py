"""Backups of the library database: making them, listing them, and checking one before it is used.

A backup is a whole copy of `library.sqlite3` made with SQLite's online backup API, named
`library-<UTC time>-<reason>.sqlite3` in the library's `backups/` folder; the newest few of each
reason are kept. Everything here works on files and connections, without an open `Library`.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from safedesk.errors import LibraryError
from safedesk.store import database

log = logging.getLogger(__name__)

BACKUPS_KEPT = 10
USER_TABLES = ("bookmark", "collection", "example", "session_record")


def backups(backups_dir: Path) -> list[Path]:
    """The backups in `backups_dir`, newest first (names carry a UTC time stamp)."""
    found = sorted(backups_dir.glob("library-*.sqlite3"), key=lambda p: p.name, reverse=True)
    return [p for p in found if p.is_file()]


def backup(conn: sqlite3.Connection, backups_dir: Path, reason: str) -> Path:
    """Copy the live database with SQLite's online backup API; keep the newest few copies."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups_dir / f"library-{stamp}-{reason}.sqlite3"
    partial = target.with_suffix(".partial")
    try:
        dest = sqlite3.connect(partial)
        try:
            conn.backup(dest)
        finally:
            dest.close()
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)  # never leave half a backup behind (disk full...)
        raise
    # rotate per reason, so that many imports never push out the daily copies
    for old in sorted(backups_dir.glob(f"library-*-{reason}.sqlite3"))[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    log.info("backed up the library to %s", target)
    return target


def has_user_data(conn: sqlite3.Connection) -> bool:
    """True if the library holds anything of the user's own (then it is worth a daily backup)."""
    try:
        return any(
            conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in USER_TABLES
        )
    except sqlite3.OperationalError:
        return False


def check_backup(source: Path) -> str:
    """Check that `source` is a healthy safedesk library (read-only); return its schema revision."""
    if not source.is_file():
        raise LibraryError(f"no such file: {source}")
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        raise LibraryError(f"{source.name} is not a safedesk library backup") from None
    if ok != "ok":
        raise LibraryError(f"{source.name} is damaged (SQLite says: {ok})")
    if revision is None or revision[0] not in database.KNOWN_REVISIONS:
        raise LibraryError(
            f"{source.name} comes from another version of safedesk; it was not restored"
        )
    return str(revision[0])


def newest_healthy(candidates: list[Path], folder: Path) -> Path:
    """The first of `candidates` (newest first) that passes `check_backup`; LibraryError naming
    `folder` if none does."""
    for candidate in candidates:
        try:
            check_backup(candidate)
        except LibraryError as why:
            log.warning("skipping backup %s: %s", candidate.name, why)
            continue
        return candidate
    raise LibraryError(f"there are no usable backups in {folder}")


def copy_database(source: Path, dest: sqlite3.Connection | Path) -> None:
    """Copy the database file `source` (opened read-only) into `dest` with the backup API."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = dest if isinstance(dest, sqlite3.Connection) else sqlite3.connect(dest)
    try:
        src.backup(target)
    finally:
        if target is not dest:
            target.close()
        src.close()
